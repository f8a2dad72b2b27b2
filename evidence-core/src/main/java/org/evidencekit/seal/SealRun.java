package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.evidencekit.internal.seal.RangeSource;
import org.evidencekit.internal.seal.SegmentPipeline;
import org.evidencekit.storage.WritableObject;
import org.jspecify.annotations.Nullable;

/**
 * Seals many files as one stream of segments: segments of consecutive files share the hash workers
 * and, with SM3, the vector lanes. A file of one or two segments cannot fill sixteen lanes on its
 * own and would hash on scalar SM3, five times slower; in a run, a folder of small files hashes per
 * byte as fast as one large file. Each file still gets its own seal, exactly the one {@link
 * Sealer#seal(java.nio.file.Path)} or {@link Sealer#sealInto} gives it.
 *
 * <p>Files are submitted in order from one thread; each submission returns at once (or once the
 * workers have room) with a future that completes when that file's last segment is hashed, on the
 * submitting thread or the one that calls {@link #finish()}. Not thread-safe. Made by {@link
 * Sealer#newRun(long)}.
 */
public final class SealRun implements AutoCloseable {
  private final Sealer sealer;
  private final SegmentPipeline pipeline;
  private final ArrayDeque<Job> jobs = new ArrayDeque<>();
  private long nextIndex;
  private boolean finished;

  private static final class Job {
    final FileChannel source;
    final long size;
    final long firstIndex;
    final long segments;
    final SealAccumulator acc;
    final LongConsumer progress;
    final CompletableFuture<Seal> done = new CompletableFuture<>();

    Job(
        FileChannel source,
        long size,
        long firstIndex,
        long segments,
        SealAccumulator acc,
        LongConsumer progress) {
      this.source = source;
      this.size = size;
      this.firstIndex = firstIndex;
      this.segments = segments;
      this.acc = acc;
      this.progress = progress;
    }
  }

  SealRun(Sealer sealer, long expectedBytes) {
    this.sealer = sealer;
    this.pipeline = sealer.runPipeline(this::accept, expectedBytes);
  }

  /**
   * Seals {@code source} as the run's next file; the future gives its seal.
   *
   * @param progress told the file's bytes sealed so far, in order
   */
  public CompletableFuture<Seal> submit(FileChannel source, LongConsumer progress)
      throws IOException {
    return submit(source, null, progress);
  }

  /**
   * Seals {@code source} as the run's next file while storing it into {@code destination} with
   * positional writes, as {@link Sealer#sealInto} does; {@code destination} is neither committed
   * nor closed. The future gives the file's seal once every byte is hashed and written.
   */
  public CompletableFuture<Seal> submitInto(
      FileChannel source, WritableObject destination, LongConsumer progress) throws IOException {
    requireNonNull(destination, "destination");
    if (!destination.supportsPositionalWrites()) {
      throw new UnsupportedOperationException(
          destination.key() + " does not take positional writes; use Sealer.newSealingChannel");
    }
    return submit(source, destination, progress);
  }

  private CompletableFuture<Seal> submit(
      FileChannel source, @Nullable WritableObject destination, LongConsumer progress)
      throws IOException {
    requireNonNull(source, "source");
    requireNonNull(progress, "progress");
    if (finished) {
      throw new IllegalStateException("the run is finished");
    }
    int segmentSize = sealer.segmentSize();
    long size = source.size();
    long segments = (size + segmentSize - 1) / segmentSize;
    Job job = new Job(source, size, nextIndex, segments, sealer.plainAccumulator(), progress);
    jobs.add(job);
    nextIndex += segments;
    RangeSource from =
        destination == null ? RangeSource.of(source) : RangeSource.teed(source, destination::write);
    try {
      completeEmptyHeads();
      for (long off = 0; off < size; off += segmentSize) {
        pipeline.submitRange(from, off, (int) Math.min(segmentSize, size - off));
      }
    } catch (IOException | RuntimeException e) {
      failAll(e);
      throw e;
    }
    return job.done;
  }

  /** Waits for every submitted file; each future is complete afterwards. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      pipeline.drain();
      completeEmptyHeads();
    } catch (IOException | RuntimeException e) {
      failAll(e);
      throw e;
    } finally {
      pipeline.close();
    }
  }

  /** Stops the run: files not sealed yet fail with an exception. */
  @Override
  public void close() {
    finished = true;
    pipeline.close();
    failAll(new IOException("the seal run was closed before this file was sealed"));
  }

  private void accept(long index, int length, byte[][] leaves) throws IOException {
    Job job = jobs.peekFirst();
    if (job == null || index < job.firstIndex || index >= job.firstIndex + job.segments) {
      throw new IllegalStateException("segment " + index + " belongs to no file of the run");
    }
    job.acc.accept(index - job.firstIndex, length, leaves);
    job.progress.accept(job.acc.length());
    if (job.acc.segments() == job.segments) {
      jobs.removeFirst();
      complete(job);
      completeEmptyHeads();
    }
  }

  /** Files of no bytes have no segments to wait for: complete them once they reach the head. */
  private void completeEmptyHeads() throws IOException {
    while (!jobs.isEmpty() && jobs.peekFirst().segments == 0) {
      complete(jobs.removeFirst());
    }
  }

  private static void complete(Job job) throws IOException {
    long now = job.source.size();
    if (now != job.size) {
      IOException e =
          new IOException(
              "the file changed size while it was sealed (" + job.size + " -> " + now + ")");
      job.done.completeExceptionally(e);
      return;
    }
    job.done.complete(job.acc.toSeal());
  }

  private void failAll(Throwable t) {
    for (Job j : jobs) {
      j.done.completeExceptionally(t);
    }
    jobs.clear();
  }
}
