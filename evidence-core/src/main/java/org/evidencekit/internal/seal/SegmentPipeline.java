package org.evidencekit.internal.seal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.hash.Hasher;
import org.evidencekit.internal.hash.Hashers;

/**
 * Hashes segments in parallel and hands their leaf hashes to a {@link Sink} strictly in order.
 *
 * <p>A bounded number of segments is in flight ({@code parallelism}, or twice that for file reads);
 * each owns a {@link Workspace} (a buffer and one hasher per algorithm) from a fixed pool, so
 * memory is {@code O(parallelism x buffer)} whatever the content size. File segments are read with
 * positional reads through a small buffer (256 KiB, which stays in L2 and matches mmap throughput);
 * pushed bytes are hashed from segment-sized buffers. Every algorithm of a dual suite hashes each
 * chunk while it is hot in cache, so the content is read once.
 */
public final class SegmentPipeline implements AutoCloseable {
  /** Receives the leaf hashes of segment {@code index}, one per algorithm, in index order. */
  public interface Sink {
    void accept(long index, int length, byte[][] leafHashes) throws IOException;
  }

  /** A reusable buffer plus one hasher per algorithm. */
  public static final class Workspace {
    public final byte[] buffer;
    final Hasher[] hashers;

    /** For file reads when every hasher takes direct buffers: saves the JDK's bounce copy. */
    final ByteBuffer direct;

    Workspace(int bufferSize, List<HashAlgorithm> algorithms, boolean fileReads) {
      this.hashers = new Hasher[algorithms.size()];
      boolean allDirect = true;
      for (int i = 0; i < hashers.length; i++) {
        hashers[i] = Hashers.create(algorithms.get(i));
        allDirect &= hashers[i].prefersDirectBuffers();
      }
      boolean useDirect = fileReads && allDirect;
      this.direct = useDirect ? ByteBuffer.allocateDirect(bufferSize) : null;
      this.buffer = useDirect ? new byte[0] : new byte[bufferSize];
    }
  }

  /** Reads through files in chunks this size: fits L2, measured as fast as mmap. */
  public static final int FILE_CHUNK = 256 * 1024;

  private static final int HASH_CHUNK = 64 * 1024;
  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final List<HashAlgorithm> algorithms;
  private final Executor executor;
  private final ExecutorService ownedPool;
  private final int maxInFlight;
  private final BlockingQueue<Workspace> workspaces;
  private final ArrayDeque<Future<byte[][]>> pending = new ArrayDeque<>();
  private final ArrayDeque<Integer> pendingLengths = new ArrayDeque<>();
  private final Sink sink;
  private long nextIndex;
  private IOException failure;
  private boolean closed;

  /**
   * @param executor where hashing runs, or null to use a private pool of {@code parallelism} daemon
   *     threads that {@link #close()} shuts down
   * @param fileReads whether segments are read from files ({@link #submitFileRange}, buffers of
   *     {@link #FILE_CHUNK}) or pushed ({@link #submitBuffered}, segment-sized buffers)
   */
  public SegmentPipeline(
      List<HashAlgorithm> algorithms,
      Executor executor,
      int parallelism,
      boolean fileReads,
      int segmentSize,
      long firstIndex,
      Sink sink) {
    this.algorithms = List.copyOf(algorithms);
    int workers = Math.max(1, parallelism);
    if (!fileReads) {
      // Pushed bytes need whole segments in memory: never let the buffers (workers + 1 of them)
      // take more than half the heap; fewer workers hash slower but never run out of memory.
      long budget = Runtime.getRuntime().maxMemory() / 2;
      long fit = budget / segmentSize - 1;
      if (fit < 1) {
        throw new IllegalStateException(
            "segment size "
                + segmentSize
                + " needs at least "
                + (4L * segmentSize >> 20)
                + " MiB of heap to seal a stream; the JVM has "
                + (Runtime.getRuntime().maxMemory() >> 20)
                + " MiB (raise -Xmx or use smaller segments)");
      }
      workers = (int) Math.min(workers, fit);
    }
    // Small read buffers allow a deeper queue, so a worker that finishes ahead of the segment
    // the fold waits for can start the next one; segment-sized buffers keep memory bounded.
    this.maxInFlight = fileReads ? 2 * workers : workers;
    int bufferSize = fileReads ? Math.min(FILE_CHUNK, segmentSize) : segmentSize;
    if (executor == null) {
      this.ownedPool = Executors.newFixedThreadPool(workers, daemonThreads());
      this.executor = ownedPool;
    } else {
      this.ownedPool = null;
      this.executor = executor;
    }
    // one spare workspace lets the producer fill the next buffer while all workers hash
    this.workspaces = new ArrayBlockingQueue<>(maxInFlight + 1);
    for (int i = 0; i < maxInFlight + 1; i++) {
      workspaces.add(new Workspace(bufferSize, algorithms, fileReads));
    }
    this.nextIndex = firstIndex;
    this.sink = sink;
  }

  private static ThreadFactory daemonThreads() {
    int pool = POOL_IDS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "evidencekit-hash-" + pool + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Takes a free workspace, waiting for a hashing task to release one. */
  public Workspace acquire() throws IOException {
    checkUsable();
    while (pending.size() >= maxInFlight) {
      drainOne();
    }
    try {
      return workspaces.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for a hash worker");
    }
  }

  /** Returns an unused workspace. */
  public void release(Workspace ws) {
    workspaces.add(ws);
  }

  /** Hashes {@code ws.buffer[0, length)} as the next segment; the workspace is given up. */
  public void submitBuffered(Workspace ws, int length) throws IOException {
    submit(
        () -> {
          try {
            return hashBuffer(ws, length);
          } finally {
            workspaces.add(ws);
          }
        },
        length);
  }

  /** Reads and hashes {@code [offset, offset + length)} of {@code file} as the next segment. */
  public void submitFileRange(FileChannel file, long offset, int length) throws IOException {
    Workspace ws = acquire();
    submit(
        () -> {
          try {
            return hashFileRange(ws, file, offset, length);
          } finally {
            workspaces.add(ws);
          }
        },
        length);
  }

  private void submit(java.util.concurrent.Callable<byte[][]> task, int length) throws IOException {
    checkUsable();
    while (pending.size() >= maxInFlight) {
      drainOne();
    }
    FutureTask<byte[][]> f = new FutureTask<>(task);
    try {
      executor.execute(f);
    } catch (RejectedExecutionException e) {
      failure = new IOException("hash executor rejected a segment task", e);
      throw failure;
    }
    pending.add(f);
    pendingLengths.add(length);
  }

  /** Waits for every submitted segment and delivers it to the sink. */
  public void drain() throws IOException {
    checkUsable();
    while (!pending.isEmpty()) {
      drainOne();
    }
  }

  /** The index the next submitted segment gets. */
  public long nextIndex() {
    return nextIndex + pending.size();
  }

  private void drainOne() throws IOException {
    Future<byte[][]> f = pending.poll();
    int length = pendingLengths.poll();
    byte[][] leaves;
    try {
      leaves = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.addFirst(f);
      pendingLengths.addFirst(length);
      throw new InterruptedIOException("interrupted while hashing");
    } catch (ExecutionException e) {
      failure = asIoException(e.getCause());
      throw failure;
    } catch (CancellationException e) {
      failure = new IOException("segment hashing was cancelled", e);
      throw failure;
    }
    try {
      sink.accept(nextIndex++, length, leaves);
    } catch (IOException | RuntimeException e) {
      failure = e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e);
      throw e;
    }
  }

  private static IOException asIoException(Throwable t) {
    if (t instanceof IOException) {
      return (IOException) t;
    }
    if (t instanceof UncheckedIOException) {
      return ((UncheckedIOException) t).getCause();
    }
    if (t instanceof Error) {
      throw (Error) t;
    }
    return new IOException("segment hashing failed: " + t, t);
  }

  private void checkUsable() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new IOException("pipeline is closed");
    }
  }

  private byte[][] hashBuffer(Workspace ws, int length) {
    Hasher[] hs = ws.hashers;
    for (Hasher h : hs) {
      h.reset();
      h.update((byte) 0);
    }
    if (hs.length == 1) {
      hs[0].update(ws.buffer, 0, length);
    } else {
      for (int off = 0; off < length; off += HASH_CHUNK) {
        int n = Math.min(HASH_CHUNK, length - off);
        for (Hasher h : hs) {
          h.update(ws.buffer, off, n);
        }
      }
    }
    return finish(hs);
  }

  private static byte[][] hashFileRange(Workspace ws, FileChannel file, long offset, int length)
      throws IOException {
    Hasher[] hs = ws.hashers;
    for (Hasher h : hs) {
      h.reset();
      h.update((byte) 0);
    }
    if (ws.direct != null) {
      return hashFileRangeDirect(ws, file, offset, length);
    }
    ByteBuffer bb = ByteBuffer.wrap(ws.buffer);
    long pos = offset;
    long end = offset + length;
    while (pos < end) {
      int want = (int) Math.min(ws.buffer.length, end - pos);
      bb.clear().limit(want);
      while (bb.hasRemaining()) {
        int n = file.read(bb, pos + bb.position());
        if (n < 0) {
          throw new EOFException(
              "file ended at byte " + (pos + bb.position()) + " while sealing: it shrank");
        }
      }
      for (Hasher h : hs) {
        h.update(ws.buffer, 0, want);
      }
      pos += want;
    }
    return finish(hs);
  }

  private static byte[][] hashFileRangeDirect(
      Workspace ws, FileChannel file, long offset, int length) throws IOException {
    Hasher[] hs = ws.hashers;
    ByteBuffer bb = ws.direct;
    long pos = offset;
    long end = offset + length;
    while (pos < end) {
      int want = (int) Math.min(bb.capacity(), end - pos);
      bb.clear().limit(want);
      while (bb.hasRemaining()) {
        int n = file.read(bb, pos + bb.position());
        if (n < 0) {
          throw new EOFException(
              "file ended at byte " + (pos + bb.position()) + " while sealing: it shrank");
        }
      }
      for (Hasher h : hs) {
        bb.flip();
        h.update(bb);
      }
      pos += want;
    }
    return finish(hs);
  }

  private static byte[][] finish(Hasher[] hs) {
    byte[][] out = new byte[hs.length][];
    for (int i = 0; i < hs.length; i++) {
      out[i] = new byte[hs[i].digestLength()];
      hs[i].finish(out[i], 0);
    }
    return out;
  }

  /** Cancels what is still in flight and stops a private pool. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Future<byte[][]> f : pending) {
      f.cancel(false);
    }
    pending.clear();
    pendingLengths.clear();
    if (ownedPool != null) {
      ownedPool.shutdown();
    }
  }

  public List<HashAlgorithm> algorithms() {
    return algorithms;
  }
}
