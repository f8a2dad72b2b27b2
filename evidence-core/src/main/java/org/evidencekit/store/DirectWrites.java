package org.evidencekit.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An object's positional writes that bypass the page cache where the file system allows it ({@code
 * O_DIRECT}; issue 25, R-04's upload and R-14's storage at copy speed).
 *
 * <p>The bytes of each aligned {@link #WINDOW} of the file are gathered in an aligned direct buffer
 * as they arrive, from any thread and in any order. Once a window holds every one of its bytes it
 * is written with one {@code O_DIRECT} write on one of the store's I/O threads, while the writers
 * (the hash workers of a seal) go on. What never fills a window (the file's last, partial one, or
 * stretches that came while every buffer was taken) goes through the page cache as before, at the
 * commit or at once. The commit's {@code fsync} makes both durable.
 *
 * <p>Why: on the reference VM, writing 1 GiB through the page cache cost 1.0-1.1 s of kernel CPU
 * time (filling page-cache pages the host must back, then writing them back) and an {@code
 * O_DIRECT} write of it 0.15-0.2 s (BENCHMARKS.md, issue 25). An ingest is CPU-bound on two cores:
 * every CPU-second the kernel spends copying is half a second of the officer's wait. A station also
 * never reads a recording back right after storing it, so caching it only evicts what other
 * programs use.
 *
 * <p>A write over bytes already written to a window still gathered, or to one already written, is
 * refused ({@link IllegalArgumentException}, nothing of it written), as {@link
 * org.evidencekit.storage.WritableObject#write(ByteBuffer, long)} allows.
 */
final class DirectWrites {
  /** The span of file one buffer gathers and one direct write stores. */
  static final int WINDOW = 1 << 20;

  /**
   * The alignment buffers are made with. A file system asking for more (its {@code f_frsize}) gets
   * no direct writes; 512 and 4096, the usual ones, divide it.
   */
  static final int ALIGNMENT = 4096;

  /**
   * Windows gathered: those below 16 TiB, ext4's largest file. Bytes past it go through the page
   * cache: an object's bookkeeping is a bit per window up to the furthest one gathered, so 2 MiB at
   * most (a bit per window up to a write at 2 PiB would be 256 MiB of heap).
   */
  static final long GATHERED_WINDOWS = 1L << 24;

  /** The system property that turns direct writes off or sizes their buffers. */
  static final String PROPERTY = "evidencekit.store.directWrites";

  /** The buffers and I/O threads of one store, shared by its writers. */
  static final class Shared implements AutoCloseable {
    private int maxBuffers;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private int allocated;
    private final ThreadPoolExecutor io;
    private volatile boolean unavailable;
    private final AtomicInteger failedOpens = new AtomicInteger();

    /** Direct opens failing in a row that turn direct writes off for the store's life. */
    static final int OPEN_FAILURES = 3;

    private volatile boolean aligned;
    private final AtomicLong directWindows = new AtomicLong();

    /**
     * @param maxBuffers windows gathered or in flight at once, over all of the store's writers; 0
     *     turns direct writes off
     * @param ioThreads direct writes in flight at once
     */
    Shared(int maxBuffers, int ioThreads) {
      this.maxBuffers = maxBuffers;
      this.unavailable = maxBuffers == 0;
      this.io =
          new ThreadPoolExecutor(
              ioThreads,
              ioThreads,
              30,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "evidence-store-direct-io");
                t.setDaemon(true);
                return t;
              });
      io.allowCoreThreadTimeOut(true);
    }

    /**
     * The default: {@link #defaultBuffers} at most (less with a small heap: a 16th of it), two
     * writes in flight. The system property {@code evidencekit.store.directWrites} set to {@code
     * false} turns direct writes off, so every write goes through the page cache (a file system
     * where direct writes are slow, as on some network mounts); set to a whole number, it is the
     * number of 1 MiB buffers instead (0 is off).
     *
     * @throws IllegalArgumentException if the property is set to anything else, empty included
     */
    static Shared withDefaults() {
      return configured(
          System.getProperty(PROPERTY),
          Runtime.getRuntime().maxMemory(),
          Runtime.getRuntime().availableProcessors());
    }

    static Shared configured(@Nullable String property, long maxHeap, int processors) {
      // unset is the default; set but empty or blank (a shell variable that was not set) is
      // refused below like any other value that is neither true, false nor a number
      String p = property == null ? "true" : property.strip();
      if (p.equalsIgnoreCase("false")) {
        return new Shared(0, 1);
      }
      long byHeap = maxHeap / (16L * WINDOW);
      if (p.equalsIgnoreCase("true")) {
        return new Shared((int) Math.max(0, Math.min(defaultBuffers(processors), byHeap)), 2);
      }
      int n = -1;
      // ASCII digits only, as everywhere else in the project (parseInt would also take a sign and
      // the digits of other scripts)
      if (p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        try {
          n = Integer.parseInt(p);
        } catch (NumberFormatException tooLarge) {
          n = -1;
        }
      }
      if (n < 0) {
        throw new IllegalArgumentException(
            PROPERTY
                + " is \""
                + property
                + "\": expected true, false or a number of 1 MiB buffers from 0 to "
                + Integer.MAX_VALUE
                + " (0 turns direct writes off)");
      }
      return new Shared(n, 2);
    }

    /**
     * Buffers per store by default: 16 per processor and 64 more (96 MiB on two cores). Each hash
     * worker gathers up to 16 windows at once (one per SM3 lane of a batch, which ends them all
     * together), so {@code 16 x processors} are being filled while the rest wait for the disk. With
     * fewer, every buffer is often taken, and the windows begun then go through the page cache,
     * whose writes wait for the file's lock behind the direct ones: with 48 on two cores the hash
     * workers of a 1 GiB ingest stood in {@code ext4_buffered_write_iter} a seventh of their time.
     */
    static int defaultBuffers(int processors) {
      return 64 + 16 * Math.max(1, Math.min(processors, 64));
    }

    /** Windows this store may gather or have in flight at once; 0 when direct writes are off. */
    synchronized int maxBuffers() {
      return maxBuffers;
    }

    /**
     * A direct-write channel onto {@code file}, or null where its file system takes no {@code
     * O_DIRECT} (tmpfs before Linux 6.6, macOS) or wants another alignment, then never tried again
     * for this store; or null when the open fails, tried again for the next object unless {@link
     * #OPEN_FAILURES} opens in a row have failed (a file system that refuses {@code O_DIRECT} at
     * open, as some FUSE mounts do, rather than a passing shortage of file descriptors).
     */
    @Nullable FileChannel openDirect(Path file) {
      if (unavailable) {
        return null;
      }
      try {
        if (!aligned) {
          // once per store (its staging folder is on one file system): getFileStore reads the
          // mount table
          java.nio.file.FileStore fs = Files.getFileStore(file);
          long block = fs.getBlockSize();
          // in memory there is no disk to go past: a direct write would only add our copy
          boolean inMemory = fs.type().equals("tmpfs") || fs.type().equals("ramfs");
          if (inMemory || block <= 0 || block > ALIGNMENT || ALIGNMENT % block != 0) {
            unavailable = true;
            return null;
          }
          aligned = true;
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, directOption());
        failedOpens.set(0);
        return ch;
      } catch (UnsupportedOperationException | LinkageError e) {
        unavailable = true; // this JDK has no O_DIRECT
        return null;
      } catch (IOException e) {
        if (failedOpens.incrementAndGet() >= OPEN_FAILURES) {
          unavailable = true;
        }
        return null;
      }
    }

    /** Whether direct writes are off for good in this store (off, refused, or no such option). */
    boolean unavailable() {
      return unavailable;
    }

    /** {@code ExtendedOpenOption.DIRECT}, from the JDK's {@code jdk.unsupported} module. */
    private static OpenOption directOption() {
      return com.sun.nio.file.ExtendedOpenOption.DIRECT;
    }

    /** A free window buffer, or null if all are taken (or direct memory is short). */
    synchronized @Nullable ByteBuffer take() {
      ByteBuffer b = idle.poll();
      if (b != null || allocated >= maxBuffers) {
        return b;
      }
      try {
        b = ByteBuffer.allocateDirect(WINDOW + ALIGNMENT).alignedSlice(ALIGNMENT);
      } catch (OutOfMemoryError e) {
        // The JVM's direct-memory limit: gather no more windows than are made (each failed
        // allocation is a full collection first); writes beyond go through the cache.
        maxBuffers = allocated;
        return null;
      }
      allocated++;
      return b.limit(WINDOW).slice();
    }

    /**
     * Takes a buffer back. Every buffer made is kept for the store's life: made again, a buffer
     * costs its zeroing and, on a VM, the host backing its pages anew.
     */
    synchronized void give(ByteBuffer b) {
      idle.push(b.clear());
    }

    /** Buffers made and not taken now (tests, diagnostics). */
    synchronized int idleBuffers() {
      return idle.size();
    }

    /** Windows written with direct writes since the store opened (tests, diagnostics). */
    long directWindows() {
      return directWindows.get();
    }

    @Override
    public void close() {
      io.shutdown(); // writes in flight finish; their writers wait for them
    }
  }

  /**
   * One window being gathered: where it is, its bytes, and the stretches of it written, sorted and
   * merged.
   */
  private static final class Window {
    final long index;
    final ByteBuffer buffer;
    int filled;
    int[] starts = new int[4];
    int[] ends = new int[4];
    int count;

    Window(long index, ByteBuffer buffer) {
      this.index = index;
      this.buffer = buffer;
    }

    /** The index of the first stretch ending after {@code from}. */
    private int firstEndingAfter(int from) {
      int lo = 0;
      int hi = count;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ends[mid] <= from) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return lo;
    }

    boolean overlaps(int from, int to) {
      int i = firstEndingAfter(from);
      return i < count && starts[i] < to;
    }

    /** Records {@code [from, to)}, which overlaps nothing recorded. */
    void add(int from, int to) {
      int i = firstEndingAfter(from);
      boolean joinsLeft = i > 0 && ends[i - 1] == from;
      boolean joinsRight = i < count && starts[i] == to;
      if (joinsLeft && joinsRight) {
        ends[i - 1] = ends[i];
        System.arraycopy(starts, i + 1, starts, i, count - i - 1);
        System.arraycopy(ends, i + 1, ends, i, count - i - 1);
        count--;
      } else if (joinsLeft) {
        ends[i - 1] = to;
      } else if (joinsRight) {
        starts[i] = from;
      } else {
        if (count == starts.length) {
          starts = java.util.Arrays.copyOf(starts, count * 2);
          ends = java.util.Arrays.copyOf(ends, count * 2);
        }
        System.arraycopy(starts, i, starts, i + 1, count - i);
        System.arraycopy(ends, i, ends, i + 1, count - i);
        starts[i] = from;
        ends[i] = to;
        count++;
      }
      filled += to - from;
    }
  }

  private final Shared shared;
  private final FileChannel direct;
  private final FileChannel cached;
  private final String name;

  /** Windows being gathered, by index. */
  private final Map<Long, Window> gathering = new HashMap<>();

  /** Windows written (or being written) directly: no byte of them may come again. */
  private final BitSet written = new BitSet();

  /** Windows that go through the page cache, as no buffer was free when their first byte came. */
  private final BitSet throughCache = new BitSet();

  private int inFlight;
  private @Nullable IOException failure;
  private boolean finished;

  /**
   * @param direct the object's content file opened for direct writes; closed by {@link #finish()}
   *     or {@link #discard()}
   * @param cached the same file opened as usual, for what does not fill a window
   * @param name the object, for messages
   */
  DirectWrites(Shared shared, FileChannel direct, FileChannel cached, String name) {
    this.shared = shared;
    this.direct = direct;
    this.cached = cached;
    this.name = name;
  }

  /**
   * Writes all of {@code src} at {@code position}: into windows, or through the page cache.
   *
   * @return how many of its bytes went through the page cache
   * @throws IllegalArgumentException if a byte of it was written before; nothing of it is written
   * @throws IOException if an earlier direct write failed, or this write through the cache did
   */
  long write(ByteBuffer src, long position) throws IOException {
    int n = src.remaining();
    if (n == 0) {
      // no byte to place: a window taken for it would hold a buffer and an empty stretch that
      // the next write there counts as an overlap
      return 0;
    }
    if (position < 0 || position > Long.MAX_VALUE - n) {
      throw new IllegalArgumentException(n + " bytes at " + position + " of " + name);
    }
    long end = position + n;
    // computed once: (w + 1) * WINDOW wraps around for the last window below Long.MAX_VALUE
    long first = position / WINDOW;
    long last = (end - 1) / WINDOW;
    int base = src.position();
    List<long[]> viaCache = null; // {from, to} in the file
    List<Window> toWrite = null;
    synchronized (this) {
      if (failure != null) {
        throw failure;
      }
      if (finished) {
        throw new java.nio.channels.ClosedChannelException(); // committed or aborted meanwhile
      }
      for (long w = first; w <= last; w++) {
        long from = w == first ? position : w * WINDOW;
        long to = w == last ? end : (w + 1) * WINDOW;
        if (w >= GATHERED_WINDOWS || throughCache.get((int) w)) {
          continue;
        }
        Window win = gathering.get(w);
        if (written.get((int) w)
            || (win != null && win.overlaps((int) (from - w * WINDOW), (int) (to - w * WINDOW)))) {
          throw new IllegalArgumentException(
              "bytes " + position + "-" + (end - 1) + " of " + name + " were written before");
        }
      }
      for (long w = first; w <= last; w++) {
        long from = w == first ? position : w * WINDOW;
        long to = w == last ? end : (w + 1) * WINDOW;
        Window win = w >= GATHERED_WINDOWS ? null : gathering.get(w);
        if (win == null && w < GATHERED_WINDOWS && !throughCache.get((int) w)) {
          ByteBuffer b = shared.take();
          if (b == null) {
            throughCache.set((int) w);
          } else {
            win = new Window(w, b);
            gathering.put(w, win);
          }
        }
        if (win == null) {
          if (viaCache == null) {
            viaCache = new ArrayList<>(2);
          }
          viaCache.add(new long[] {from, to});
          continue;
        }
        int at = (int) (from - w * WINDOW);
        int len = (int) (to - from);
        win.buffer.put(at, src, base + (int) (from - position), len);
        win.add(at, at + len);
        if (win.filled == WINDOW) {
          gathering.remove(w);
          written.set((int) w);
          inFlight++;
          if (toWrite == null) {
            toWrite = new ArrayList<>(2);
          }
          toWrite.add(win);
        }
      }
    }
    if (toWrite != null) {
      for (Window win : toWrite) {
        submit(win);
      }
    }
    long viaCacheBytes = 0;
    if (viaCache != null) {
      for (long[] r : viaCache) {
        ByteBuffer part = src.duplicate();
        part.limit(base + (int) (r[1] - position)).position(base + (int) (r[0] - position));
        writeCached(part, r[0]);
        viaCacheBytes += r[1] - r[0];
      }
    }
    src.position(base + n);
    return viaCacheBytes;
  }

  private void submit(Window win) {
    Runnable task = () -> store(win);
    try {
      shared.io.execute(task);
    } catch (RejectedExecutionException | OutOfMemoryError e) {
      // the store is closing, or no thread could be started: write it here, so that the window
      // counted in flight is written and commit or abort never waits for it in vain
      task.run();
    }
  }

  /** Writes a whole window directly; through the cache if the file system refuses that write. */
  private void store(Window win) {
    IOException failed = null;
    boolean stored = false;
    long at = win.index * WINDOW;
    try {
      ByteBuffer b = win.buffer.duplicate().clear();
      try {
        while (b.hasRemaining()) {
          at += direct.write(b, at);
        }
        shared.directWindows.incrementAndGet();
      } catch (IOException directFailed) {
        // a file system may open O_DIRECT and refuse the write (EINVAL): the cache then; a full
        // disk fails there too and is reported from there
        writeCached(b, at);
      }
      stored = true;
    } catch (IOException e) {
      failed = e;
    } catch (RuntimeException e) {
      failed = new IOException("cannot write " + name + ": " + e, e);
    } finally {
      if (!stored && failed == null) {
        // an Error on its way out: the window is not on disk, so the commit must not succeed
        failed =
            new IOException(
                "cannot write " + name + ": bytes from " + win.index * WINDOW + " lost");
      }
      shared.give(win.buffer);
      synchronized (this) {
        inFlight--;
        if (failed != null && failure == null) {
          failure = failed;
        }
        notifyAll();
      }
    }
  }

  private void writeCached(ByteBuffer part, long position) throws IOException {
    long at = position;
    while (part.hasRemaining()) {
      at += cached.write(part, at);
    }
  }

  /**
   * Waits for the direct writes in flight, then writes the windows never filled through the cache;
   * call before the commit's {@code fsync}. Closes the direct channel. After a failure, {@link
   * #discard()} gives back what is still gathered.
   *
   * @throws IOException the first failed write, if one failed
   */
  void finish() throws IOException {
    List<Window> partial;
    synchronized (this) {
      finished = true;
      while (inFlight > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while " + name + " was written");
        }
      }
      if (failure != null) {
        throw failure; // the caller aborts: discard() gives the buffers back
      }
      partial = takeGathered();
    }
    try {
      for (Window win : partial) {
        long origin = win.index * WINDOW;
        for (int i = 0; i < win.count; i++) {
          ByteBuffer part = win.buffer.duplicate().limit(win.ends[i]).position(win.starts[i]);
          writeCached(part, origin + win.starts[i]);
        }
      }
    } finally {
      release(partial);
      direct.close();
    }
  }

  /** Drops what is gathered and waits for writes in flight (their buffers are shared). */
  void discard() {
    List<Window> partial;
    boolean interrupted = false;
    synchronized (this) {
      finished = true;
      while (inFlight > 0) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      partial = takeGathered();
    }
    release(partial);
    try {
      direct.close();
    } catch (IOException ignored) {
      // the content is deleted either way
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The windows still gathering, now no longer this object's; called holding its lock. */
  private List<Window> takeGathered() {
    List<Window> taken = new ArrayList<>(gathering.values());
    gathering.clear();
    return taken;
  }

  private void release(@Nullable List<Window> windows) {
    if (windows != null) {
      for (Window win : windows) {
        shared.give(win.buffer);
      }
    }
  }
}
