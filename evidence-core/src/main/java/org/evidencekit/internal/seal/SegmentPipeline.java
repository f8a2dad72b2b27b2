package org.evidencekit.internal.seal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
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
import org.evidencekit.internal.hash.Sm3LaneCompressor;
import org.evidencekit.internal.hash.Sm3Lanes;

/**
 * Hashes segments in parallel and hands their leaf hashes to a {@link Sink} strictly in order.
 *
 * <p>A bounded number of segments is in flight ({@code parallelism}, or twice that for file reads);
 * each owns a {@link Workspace} (a buffer and one hasher per algorithm) from a fixed pool, so
 * memory is {@code O(parallelism x buffer)} whatever the content size. File segments are read with
 * positional reads through a small buffer (256 KiB, which stays in L2 and matches mmap throughput);
 * pushed bytes are hashed from segment-sized buffers. Every algorithm of a dual suite hashes each
 * chunk while it is hot in cache, so the content is read once.
 *
 * <p>When a suite has SM3 and the JVM offers {@link Sm3Lanes SM3 lanes}, segments are hashed in
 * batches of one segment per vector lane: a worker takes the same stretch of each of the batch's
 * segments (read from the file, or from the pushed buffers), gives it to the suite's other hashers
 * one segment at a time, and runs SM3's compression on all of them at once. The leaf hashes are the
 * same; only the speed differs. Pushed batches hold a segment per lane, so they are used only when
 * they fit in half the heap; a run known to be small skips the lanes while they are cold.
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

    /** Lane batches only: one set of hashers per lane, lane 0's being {@link #hashers}. */
    final Hasher[][] laneHashers;

    /** Lane batches only: lane {@code i} reads into {@code regions[i]}, a slice of direct. */
    final ByteBuffer[] regions;

    final Sm3LaneCompressor lanes;
    final int[] laneState;
    final int[] laneOffsets;

    /** A lane-batch workspace: {@code width} lanes of {@code chunk} bytes in one direct buffer. */
    Workspace(List<HashAlgorithm> algorithms, int width, int chunk) {
      this.lanes = Sm3Lanes.create();
      this.laneHashers = new Hasher[width][algorithms.size()];
      for (Hasher[] hs : laneHashers) {
        for (int a = 0; a < hs.length; a++) {
          hs[a] = Hashers.create(algorithms.get(a).name());
        }
      }
      this.hashers = laneHashers[0];
      this.direct = ByteBuffer.allocateDirect(width * chunk);
      this.regions = new ByteBuffer[width];
      for (int i = 0; i < width; i++) {
        regions[i] = direct.slice(i * chunk, chunk);
      }
      this.buffer = new byte[0];
      this.laneState = new int[8 * width];
      this.laneOffsets = new int[width];
    }

    /** A plain workspace; with {@code laneWidth > 0}, one lane of a batch of pushed segments. */
    Workspace(int bufferSize, List<HashAlgorithm> algorithms, boolean fileReads, int laneWidth) {
      this.laneHashers = null;
      this.regions = null;
      this.lanes = laneWidth > 0 ? Sm3Lanes.create() : null;
      this.laneState = laneWidth > 0 ? new int[8 * laneWidth] : null;
      this.laneOffsets = laneWidth > 0 ? new int[laneWidth] : null;
      this.hashers = new Hasher[algorithms.size()];
      boolean allDirect = true;
      for (int i = 0; i < hashers.length; i++) {
        hashers[i] = Hashers.create(algorithms.get(i).name());
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

  /**
   * Bytes each lane of a batch reads at a time: a 16-lane batch then works on 512 KiB, which stays
   * in L2 while the suite's other hashers and SM3 go over it.
   */
  static final int LANE_CHUNK = 32 * 1024;

  /** A segment shorter than this has no whole SM3 block after the first: no use for lanes. */
  private static final int LANE_MIN_LENGTH = 127;

  private static final AtomicInteger POOL_IDS = new AtomicInteger();

  private final List<HashAlgorithm> algorithms;
  private final Executor executor;
  private final ExecutorService ownedPool;
  private final int maxInFlight;
  private final BlockingQueue<Workspace> workspaces;

  /** Per task, the leaf hashes of its segments: {@code [segment][algorithm]}. */
  private final ArrayDeque<Future<byte[][][]>> pending = new ArrayDeque<>();

  private final ArrayDeque<int[]> pendingLengths = new ArrayDeque<>();
  private int pendingSegments;

  /** SM3 lanes in use: the lane count, or 0 when segments are hashed one per task. */
  private final int laneWidth;

  /** Hashes runs of segments on the lanes; null without lanes. */
  private final LaneHashing lanes;

  /** File segments collected for the next lane batch. */
  private final long[] batchOffsets;

  private final int[] batchLengths;
  private final Workspace[] batchWorkspaces;
  private final boolean fileReads;

  /** Where each segment of the collected lane batch is read from (one file, or several). */
  private final RangeSource[] batchSources;

  private int batchSize;
  private int batchEvery;

  private final Sink sink;
  private long nextIndex;
  private IOException failure;
  private boolean closed;

  /**
   * @param executor where hashing runs, or null to use a private pool of {@code parallelism} daemon
   *     threads that {@link #close()} shuts down
   * @param fileReads whether segments are read from files ({@link #submitFileRange}, buffers of
   *     {@link #FILE_CHUNK}) or pushed ({@link #submitBuffered}, segment-sized buffers)
   * @param expectedBytes how many bytes this pipeline will hash, or -1 if not known: while the SM3
   *     lanes are cold, a run known to be small stays on scalar SM3 ({@link LanePolicy}), without
   *     even loading the Vector API
   * @param lanePolicy decides that, and counts the runs it keeps off the cold lanes
   */
  public SegmentPipeline(
      List<HashAlgorithm> algorithms,
      Executor executor,
      int parallelism,
      boolean fileReads,
      int segmentSize,
      long firstIndex,
      long expectedBytes,
      LanePolicy lanePolicy,
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
    int lanes =
        algorithms.contains(HashAlgorithm.SM3)
                && lanePolicy.usesLanes(Sm3Lanes.warm(), expectedBytes)
                && Sm3Lanes.available()
            ? Sm3Lanes.width()
            : 0;
    if (!fileReads
        && (long) (workers + 1) * lanes * segmentSize > Runtime.getRuntime().maxMemory() / 2) {
      lanes = 0; // a batch of pushed segments is lanes x segment bytes: not in this heap
    }
    this.laneWidth = lanes;
    this.lanes = lanes > 0 ? new LaneHashing(lanes, algorithms.indexOf(HashAlgorithm.SM3)) : null;
    this.fileReads = fileReads;
    this.batchOffsets = new long[laneWidth];
    this.batchLengths = new int[laneWidth];
    this.batchWorkspaces = new Workspace[laneWidth];
    this.batchSources = new RangeSource[laneWidth];
    if (executor == null) {
      this.ownedPool = Executors.newFixedThreadPool(workers, daemonThreads());
      this.executor = ownedPool;
    } else {
      this.ownedPool = null;
      this.executor = executor;
    }
    // one spare workspace lets the producer fill the next buffer while all workers hash
    // (with pushed lane batches, one spare batch)
    int pool = laneWidth > 0 && !fileReads ? (maxInFlight + 1) * laneWidth : maxInFlight + 1;
    this.workspaces = new ArrayBlockingQueue<>(pool);
    for (int i = 0; i < pool; i++) {
      workspaces.add(
          laneWidth > 0 && fileReads
              ? new Workspace(algorithms, laneWidth, LANE_CHUNK)
              : new Workspace(bufferSize, algorithms, fileReads, laneWidth));
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
    if (laneWidth > 0) {
      checkUsable();
      batchWorkspaces[batchSize] = ws;
      batchLengths[batchSize] = length;
      batchSize++;
      flushBatchIfDue();
      return;
    }
    submit(
        () -> {
          try {
            return new byte[][][] {hashBuffer(ws, length)};
          } finally {
            workspaces.add(ws);
          }
        },
        new int[] {length});
  }

  /** Reads and hashes {@code [offset, offset + length)} of {@code file} as the next segment. */
  public void submitFileRange(FileChannel file, long offset, int length) throws IOException {
    submitRange(RangeSource.of(file), offset, length);
  }

  /** Reads and hashes {@code [offset, offset + length)} of {@code file} as the next segment. */
  public void submitRange(RangeSource file, long offset, int length) throws IOException {
    if (laneWidth > 0) {
      checkUsable();
      batchSources[batchSize] = file;
      batchOffsets[batchSize] = offset;
      batchLengths[batchSize] = length;
      batchSize++;
      flushBatchIfDue();
      return;
    }
    Workspace ws = acquire();
    submit(
        () -> {
          try {
            return new byte[][][] {hashFileRange(ws, file, offset, length)};
          } finally {
            workspaces.add(ws);
          }
        },
        new int[] {length});
  }

  /**
   * Ends lane batches where the segment count reaches a multiple of {@code segments} (the sealer's
   * checkpoint interval), so no checkpoint waits for later segments to arrive: on a slow live
   * upload a full batch could take many seconds to fill. 0 (the default) never ends early.
   */
  public void endBatchesEvery(int segments) {
    if (segments < 0) {
      throw new IllegalArgumentException("segments must not be negative: " + segments);
    }
    this.batchEvery = segments;
  }

  private void flushBatchIfDue() throws IOException {
    if (batchSize == laneWidth || (batchEvery > 0 && nextIndex() % batchEvery == 0)) {
      flushBatch();
    }
  }

  /** Submits the collected lane batch as one task. */
  private void flushBatch() throws IOException {
    if (batchSize == 0) {
      return;
    }
    int[] lengths = Arrays.copyOf(batchLengths, batchSize);
    if (!fileReads) {
      Workspace[] wss = Arrays.copyOf(batchWorkspaces, batchSize);
      Arrays.fill(batchWorkspaces, null);
      batchSize = 0;
      submit(
          () -> {
            try {
              return hashBufferedBatch(wss, lengths);
            } finally {
              workspaces.addAll(Arrays.asList(wss));
            }
          },
          lengths);
      return;
    }
    RangeSource[] sources = Arrays.copyOf(batchSources, batchSize);
    Arrays.fill(batchSources, null);
    long[] offsets = Arrays.copyOf(batchOffsets, batchSize);
    batchSize = 0;
    Workspace ws = acquire();
    submit(
        () -> {
          try {
            return hashFileBatch(ws, sources, offsets, lengths);
          } finally {
            workspaces.add(ws);
          }
        },
        lengths);
  }

  private void submit(java.util.concurrent.Callable<byte[][][]> task, int[] lengths)
      throws IOException {
    checkUsable();
    while (pending.size() >= maxInFlight) {
      drainOne();
    }
    FutureTask<byte[][][]> f = new FutureTask<>(task);
    try {
      executor.execute(f);
    } catch (RejectedExecutionException e) {
      failure = new IOException("hash executor rejected a segment task", e);
      throw failure;
    }
    pending.add(f);
    pendingLengths.add(lengths);
    pendingSegments += lengths.length;
  }

  /** Waits for every submitted segment and delivers it to the sink. */
  public void drain() throws IOException {
    checkUsable();
    flushBatch();
    while (!pending.isEmpty()) {
      drainOne();
    }
  }

  /** The index the next submitted segment gets. */
  public long nextIndex() {
    return nextIndex + pendingSegments + batchSize;
  }

  /** SM3 segments hashed per task ({@link Sm3Lanes}), or 0 when segments go one per task. */
  public int laneWidth() {
    return laneWidth;
  }

  private void drainOne() throws IOException {
    Future<byte[][][]> f = pending.poll();
    int[] lengths = pendingLengths.poll();
    byte[][][] leaves;
    try {
      leaves = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.addFirst(f);
      pendingLengths.addFirst(lengths);
      throw new InterruptedIOException("interrupted while hashing");
    } catch (ExecutionException e) {
      failure = asIoException(e.getCause());
      throw failure;
    } catch (CancellationException e) {
      failure = new IOException("segment hashing was cancelled", e);
      throw failure;
    }
    pendingSegments -= lengths.length;
    try {
      for (int i = 0; i < lengths.length; i++) {
        sink.accept(nextIndex++, lengths[i], leaves[i]);
      }
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

  private static byte[][] hashFileRange(Workspace ws, RangeSource file, long offset, int length)
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
      Workspace ws, RangeSource file, long offset, int length) throws IOException {
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

  /**
   * How many leading segments of a batch go on the lanes: the run of equally long ones, if they
   * have whole blocks and fill enough lanes to beat scalar SM3 (a lane costs 1/width of a vector
   * pass, scalar SM3 about a quarter of one); else 0.
   */
  private int laneRun(int[] lengths) {
    int run = 1;
    while (run < lengths.length && lengths[run] == lengths[0]) {
      run++;
    }
    return lengths[0] >= LANE_MIN_LENGTH && run * 4 >= laneWidth ? run : 0;
  }

  /**
   * Hashes a batch of file segments: the leading run of equally long segments on the SM3 lanes
   * (when it fills enough lanes to beat scalar SM3), the rest one by one with lane 0's hashers.
   */
  private byte[][][] hashFileBatch(
      Workspace ws, RangeSource[] sources, long[] offsets, int[] lengths) throws IOException {
    byte[][][] out = new byte[lengths.length][][];
    int done = laneRun(lengths);
    if (done > 0) {
      lanes.hashFile(ws, sources, offsets, lengths[0], done, out);
    }
    for (int i = done; i < lengths.length; i++) {
      out[i] = hashFileRange(ws, sources[i], offsets[i], lengths[i]);
    }
    return out;
  }

  /** As {@link #hashFileBatch}, for pushed segments, one per workspace. */
  private byte[][][] hashBufferedBatch(Workspace[] wss, int[] lengths) {
    byte[][][] out = new byte[lengths.length][][];
    int done = laneRun(lengths);
    if (done > 0) {
      lanes.hashBuffers(wss, lengths[0], done, out);
    }
    for (int i = done; i < lengths.length; i++) {
      out[i] = hashBuffer(wss[i], lengths[i]);
    }
    return out;
  }

  static byte[][] finish(Hasher[] hs) {
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
    for (Future<byte[][][]> f : pending) {
      f.cancel(false);
    }
    pending.clear();
    pendingLengths.clear();
    pendingSegments = 0;
    batchSize = 0;
    Arrays.fill(batchSources, null);
    Arrays.fill(batchWorkspaces, null);
    if (ownedPool != null) {
      ownedPool.shutdown();
    }
  }

  public List<HashAlgorithm> algorithms() {
    return algorithms;
  }
}
