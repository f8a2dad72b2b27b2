package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.internal.seal.LanePolicy;
import org.evidencekit.internal.seal.RangeSource;
import org.evidencekit.internal.seal.SegmentPipeline;
import org.evidencekit.storage.WritableObject;

/**
 * Seals content as it streams: cuts it into fixed-size segments, hashes them in parallel and folds
 * the leaf hashes in order into one RFC 9162 tree per algorithm of the suite.
 * Memory is {@code O(segment size x parallelism + log n)} plus 32 bytes a segment for the leaf
 * hashes the seal keeps, whatever the content size.
 *
 * <pre>{@code
 * Sealer sealer = Sealer.builder().suite(SealSuite.SHA256_SM3).build();
 * Seal seal = sealer.seal(Path.of("recording.mp4"));
 * Files.write(Path.of("recording.mp4.seal.json"), seal.toJson());
 * }</pre>
 *
 * <p>A sealer is immutable and thread-safe; each call has its own state. Without an {@link
 * Builder#executor executor}, each call starts {@code parallelism} daemon threads and stops them
 * before it returns.
 */
public final class Sealer {
  /** Smallest segment size: 64 KiB. */
  public static final int MIN_SEGMENT_SIZE = 64 * 1024;

  /** Largest segment size: 64 MiB. */
  public static final int MAX_SEGMENT_SIZE = 64 * 1024 * 1024;

  /** Default segment size: 1 MiB (32 bytes of leaf hash per MiB, 128 KiB for 4 GiB). */
  public static final int DEFAULT_SEGMENT_SIZE = 1024 * 1024;

  private final SealSuite suite;
  private final int segmentSize;
  private final int parallelism;
  private final Executor executor;
  private final int checkpointEvery;
  private final CheckpointListener checkpointListener;
  private final LongConsumer progress;
  private final LanePolicy lanePolicy;

  private Sealer(Builder b) {
    this.suite = b.suite;
    this.segmentSize = b.segmentSize;
    this.parallelism = b.parallelism;
    this.executor = b.executor;
    this.checkpointEvery = b.checkpointEvery;
    this.checkpointListener = b.checkpointListener;
    this.progress = b.progress;
    this.lanePolicy = b.lanePolicy;
  }

  /** A sealer with the defaults: {@code sha256}, 1 MiB segments, one worker per core. */
  public static Sealer create() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public SealSuite suite() {
    return suite;
  }

  public int segmentSize() {
    return segmentSize;
  }

  /**
   * Seals a file, reading its segments in parallel with positional reads. The file must not change
   * while it is sealed; a file that shrinks or grows meanwhile is an error.
   */
  public Seal seal(Path file) throws IOException {
    requireNonNull(file, "file");
    return sealFile(file, null);
  }

  /**
   * Continues sealing {@code file} from a persisted frontier: only the bytes from {@link
   * SealFrontier#length()} on are read.
   */
  public Seal resume(SealFrontier frontier, Path file) throws IOException {
    requireNonNull(frontier, "frontier");
    requireNonNull(file, "file");
    checkCompatible(frontier);
    return sealFile(file, frontier);
  }

  private Seal sealFile(Path file, SealFrontier frontier) throws IOException {
    // a named pipe or device would block the read or never end: refused before any byte is read
    try (FileChannel ch = BoundedFiles.openRegularFile(file)) {
      long size = ch.size();
      long start = frontier == null ? 0 : frontier.length();
      if (size < start) {
        throw new IOException(
            file + " has " + size + " bytes, fewer than the " + start + " already sealed");
      }
      SealAccumulator acc = accumulator(frontier);
      try (SegmentPipeline p = pipeline(true, acc, size - start)) {
        for (long off = start; off < size; off += segmentSize) {
          p.submitFileRange(ch, off, (int) Math.min(segmentSize, size - off));
        }
        p.drain();
      }
      if (ch.size() != size) {
        throw new IOException(file + " changed size while it was being sealed");
      }
      return acc.toSeal();
    }
  }

  /**
   * Seals a file while storing it: the hash workers read the file's segments in parallel with
   * positional reads and write each stretch, as read, at the same position into {@code destination}
   * before hashing it, so every byte is read once, stored and hashed by the same worker, and
   * nothing funnels through one thread. The seal is therefore a seal of exactly the bytes written.
   * Neither channel is closed and {@code destination} is not committed: that is the caller's next
   * step once the seal is in hand.
   *
   * @param progress told the number of bytes sealed so far, on the calling thread, as segments
   *     complete in order
   * @throws UnsupportedOperationException if {@code destination} does not {@link
   *     WritableObject#supportsPositionalWrites() take positional writes}
   * @throws IOException if the file changed size while it was read, or reading or writing failed
   */
  public Seal sealInto(FileChannel source, WritableObject destination, LongConsumer progress)
      throws IOException {
    requireNonNull(source, "source");
    requireNonNull(destination, "destination");
    requireNonNull(progress, "progress");
    if (!destination.supportsPositionalWrites()) {
      throw new UnsupportedOperationException(
          destination.key() + " does not take positional writes; use newSealingChannel");
    }
    long size = source.size();
    SealAccumulator acc = accumulator(null);
    RangeSource teed = RangeSource.teed(source, destination::write);
    SegmentPipeline.Sink sink =
        (index, length, leaves) -> {
          acc.accept(index, length, leaves);
          progress.accept(acc.length());
        };
    try (SegmentPipeline p =
        new SegmentPipeline(
            suite.algorithms(),
            executor,
            parallelism,
            true,
            segmentSize,
            0,
            size,
            lanePolicy,
            sink)) {
      p.endBatchesEvery(checkpointEvery);
      for (long off = 0; off < size; off += segmentSize) {
        p.submitRange(teed, off, (int) Math.min(segmentSize, size - off));
      }
      p.drain();
    }
    if (source.size() != size) {
      throw new IOException(
          "the file changed size while it was sealed (" + size + " -> " + source.size() + ")");
    }
    return acc.toSeal();
  }

  /** Seals everything {@code source} yields until end of stream. Does not close it. */
  public Seal seal(ReadableByteChannel source) throws IOException {
    requireNonNull(source, "source");
    if (source instanceof FileChannel) {
      FileChannel fc = (FileChannel) source;
      if (fc.position() == 0) {
        return sealFileChannel(fc);
      }
    }
    SealAccumulator acc = accumulator(null);
    try (SegmentPipeline p = pipeline(false, acc, -1)) {
      SegmentPipeline.Workspace ws = p.acquire();
      int fill = 0;
      while (true) {
        int n = source.read(ByteBuffer.wrap(ws.buffer, fill, segmentSize - fill));
        if (n < 0) {
          break;
        }
        fill += n;
        if (fill == segmentSize) {
          p.submitBuffered(ws, fill);
          ws = p.acquire();
          fill = 0;
        }
      }
      if (fill > 0) {
        p.submitBuffered(ws, fill);
      } else {
        p.release(ws);
      }
      p.drain();
    }
    return acc.toSeal();
  }

  private Seal sealFileChannel(FileChannel ch) throws IOException {
    long size = ch.size();
    SealAccumulator acc = accumulator(null);
    try (SegmentPipeline p = pipeline(true, acc, size)) {
      for (long off = 0; off < size; off += segmentSize) {
        p.submitFileRange(ch, off, (int) Math.min(segmentSize, size - off));
      }
      p.drain();
    }
    ch.position(size);
    return acc.toSeal();
  }

  /**
   * A channel that seals what is written to it and passes it on to {@code destination}, which the
   * caller owns and closes; closing the sealing channel never closes the destination.
   */
  public SealingChannel newSealingChannel(WritableByteChannel destination) {
    requireNonNull(destination, "destination");
    return new SealingChannel(this, destination, null, -1);
  }

  /**
   * As {@link #newSealingChannel(WritableByteChannel)}, for a caller that knows how many bytes it
   * will write (say, the size of the file it copies). Only a hint for how to hash: while the SM3
   * lanes are cold in this JVM, a short stream is hashed on the scalar code, which finishes it
   * sooner. The seal is the same whatever the hint, and a wrong hint is harmless.
   *
   * @param expectedLength the bytes expected, or -1 if not known
   */
  public SealingChannel newSealingChannel(WritableByteChannel destination, long expectedLength) {
    requireNonNull(destination, "destination");
    return new SealingChannel(this, destination, null, checkedLength(expectedLength));
  }

  /** A channel that only seals what is written to it. */
  public SealingChannel newSealingChannel() {
    return new SealingChannel(this, null, null, -1);
  }

  /**
   * As {@link #newSealingChannel()}, told how many bytes will be written; the hint works as in
   * {@link #newSealingChannel(WritableByteChannel, long)} and never changes the seal.
   *
   * @param expectedLength the bytes expected, or -1 if not known
   */
  public SealingChannel newSealingChannel(long expectedLength) {
    return new SealingChannel(this, null, null, checkedLength(expectedLength));
  }

  private static long checkedLength(long expectedLength) {
    if (expectedLength < -1) {
      throw new IllegalArgumentException("expectedLength must be -1 or more: " + expectedLength);
    }
    return expectedLength;
  }

  /** An output stream form of {@link #newSealingChannel(WritableByteChannel)}. */
  public SealingOutputStream newSealingOutputStream(OutputStream destination) {
    requireNonNull(destination, "destination");
    return new SealingOutputStream(
        new SealingChannel(this, java.nio.channels.Channels.newChannel(destination), null, -1));
  }

  /**
   * Continues a stream from a persisted frontier. Write the content from {@link
   * SealFrontier#length()} on; the finished seal covers the whole stream.
   */
  public SealingChannel resume(SealFrontier frontier, WritableByteChannel destination) {
    requireNonNull(frontier, "frontier");
    requireNonNull(destination, "destination");
    checkCompatible(frontier);
    return new SealingChannel(this, destination, frontier, -1);
  }

  private void checkCompatible(SealFrontier frontier) {
    if (frontier.suite() != suite || frontier.segmentSize() != segmentSize) {
      throw new IllegalArgumentException(
          "frontier was made with suite "
              + frontier.suite()
              + " and segment size "
              + frontier.segmentSize()
              + ", this sealer uses "
              + suite
              + " and "
              + segmentSize);
    }
  }

  SealAccumulator accumulator(SealFrontier frontier) {
    return new SealAccumulator(
        suite, segmentSize, checkpointEvery, checkpointListener, progress, frontier);
  }

  /**
   * Starts a run of files sealed as one stream of segments ({@link SealRun}): what a folder of many
   * small files needs to hash as fast per byte as one large file.
   *
   * @param expectedBytes the run's total size if known, else -1 (a run known to be small may stay
   *     off SM3's vector lanes while they are not compiled yet)
   */
  public SealRun newRun(long expectedBytes) {
    return new SealRun(this, expectedBytes);
  }

  SegmentPipeline runPipeline(SegmentPipeline.Sink sink, long expectedBytes) {
    return new SegmentPipeline(
        suite.algorithms(),
        executor,
        parallelism,
        true,
        segmentSize,
        0,
        expectedBytes,
        lanePolicy,
        sink);
  }

  /** An accumulator for one file of a run: no checkpoints, progress reported by the run. */
  SealAccumulator plainAccumulator() {
    return new SealAccumulator(suite, segmentSize, 0, null, null, null);
  }

  /**
   * @param bytes how many bytes will be hashed, or -1 if not known (streams)
   */
  SegmentPipeline pipeline(boolean fileReads, SealAccumulator acc, long bytes) {
    long first = acc.segments();
    SegmentPipeline p =
        new SegmentPipeline(
            suite.algorithms(),
            executor,
            parallelism,
            fileReads,
            segmentSize,
            first,
            bytes,
            lanePolicy,
            acc);
    p.endBatchesEvery(checkpointEvery);
    return p;
  }

  /** Configures a {@link Sealer}. Each setting may be given once. */
  public static final class Builder {
    private SealSuite suite = SealSuite.SHA256;
    private int segmentSize = DEFAULT_SEGMENT_SIZE;
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private Executor executor;
    private int checkpointEvery;
    private CheckpointListener checkpointListener;
    private LongConsumer progress;
    private LanePolicy lanePolicy = LanePolicy.shared();
    private final java.util.Set<String> set = new java.util.HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    public Builder suite(SealSuite suite) {
      once("suite");
      this.suite = requireNonNull(suite, "suite");
      return this;
    }

    /** A power of two from 64 KiB to 64 MiB; default 1 MiB. */
    public Builder segmentSize(int bytes) {
      once("segmentSize");
      if (bytes < MIN_SEGMENT_SIZE || bytes > MAX_SEGMENT_SIZE || Integer.bitCount(bytes) != 1) {
        throw new IllegalArgumentException(
            "segment size must be a power of two from 64 KiB to 64 MiB, got " + bytes);
      }
      this.segmentSize = bytes;
      return this;
    }

    /** How many segments hash at once (default: available processors). */
    public Builder parallelism(int workers) {
      once("parallelism");
      if (workers < 1 || workers > 256) {
        throw new IllegalArgumentException("parallelism must be 1 to 256, got " + workers);
      }
      this.parallelism = workers;
      return this;
    }

    /**
     * Where segment hashing runs. The sealer never shuts it down. It must run tasks concurrently up
     * to {@code parallelism}, or sealing runs slower but still correctly.
     */
    public Builder executor(Executor executor) {
      once("executor");
      this.executor = requireNonNull(executor, "executor");
      return this;
    }

    /** Emit a checkpoint after every {@code segments} whole segments. */
    public Builder checkpointEvery(int segments, CheckpointListener listener) {
      once("checkpointEvery");
      if (segments < 1) {
        throw new IllegalArgumentException("checkpoint interval must be at least 1 segment");
      }
      this.checkpointEvery = segments;
      this.checkpointListener = requireNonNull(listener, "listener");
      return this;
    }

    /** Called with the number of bytes sealed so far, in order, after each segment. */
    public Builder progress(LongConsumer bytesSealed) {
      once("progress");
      this.progress = requireNonNull(bytesSealed, "bytesSealed");
      return this;
    }

    /**
     * How many bytes of small files this sealer hashes on scalar SM3 while the JIT has not yet
     * compiled the SM3 vector lanes, before it takes the lanes for every file so that they warm up
     * (a file of 256 MiB or more, or a stream, takes them at once). 0 takes them from the first
     * file. Without this setting the sealer shares one budget of 256 MiB with every sealer and
     * verifier of the JVM that has none of its own, since the JIT is the JVM's. Only the speed
     * changes, never the seal.
     */
    public Builder sm3ColdLaneBudget(long bytes) {
      once("sm3ColdLaneBudget");
      this.lanePolicy = new LanePolicy(bytes);
      return this;
    }

    public Sealer build() {
      return new Sealer(this);
    }
  }
}
