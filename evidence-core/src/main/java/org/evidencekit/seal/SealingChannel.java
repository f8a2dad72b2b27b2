package org.evidencekit.seal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.WritableByteChannel;
import org.evidencekit.internal.seal.SegmentPipeline;

/**
 * Seals the bytes written to it while passing them on to a destination the caller owns. Call {@link
 * #finish()} to get the seal; a stream cut off early still finishes into a valid seal of what
 * arrived, consistent with every checkpoint emitted before.
 *
 * <p>Not thread-safe: one writer at a time. Closing without finishing abandons the seal; {@code
 * close()} is idempotent and never closes the destination. After any failure (the destination or
 * hashing threw) the channel stays failed.
 */
public final class SealingChannel implements WritableByteChannel {
  private final WritableByteChannel destination;
  private final int segmentSize;
  private final SealAccumulator acc;
  private final SegmentPipeline pipeline;
  private SegmentPipeline.Workspace current;
  private int fill;
  private boolean open = true;
  private IOException failure;

  SealingChannel(
      Sealer sealer, WritableByteChannel destination, SealFrontier frontier, long expectedLength) {
    this.destination = destination;
    this.segmentSize = sealer.segmentSize();
    this.acc = sealer.accumulator(frontier);
    this.pipeline = sealer.pipeline(false, acc, expectedLength);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    ensureUsable();
    int n = src.remaining();
    try {
      if (destination != null) {
        ByteBuffer dup = src.duplicate();
        while (dup.hasRemaining()) {
          destination.write(dup);
        }
      }
      while (src.hasRemaining()) {
        if (current == null) {
          current = pipeline.acquire();
          fill = 0;
        }
        int take = Math.min(src.remaining(), segmentSize - fill);
        src.get(current.buffer, fill, take);
        fill += take;
        if (fill == segmentSize) {
          SegmentPipeline.Workspace ws = current;
          current = null;
          pipeline.submitBuffered(ws, segmentSize);
        }
      }
    } catch (IOException | RuntimeException e) {
      fail(e);
      throw e;
    }
    return n;
  }

  /** Bytes written so far. */
  public long bytesWritten() {
    return acc.length() + pendingBytes();
  }

  private long pendingBytes() {
    // segments submitted but not yet folded, plus the partly filled buffer
    return (pipeline.nextIndex() - acc.segments()) * (long) segmentSize + fill;
  }

  /**
   * Waits for every whole segment written so far and returns the state to persist for a crash
   * resume. Bytes of a partly filled segment are not in it: resume from {@link
   * SealFrontier#length()}.
   */
  public SealFrontier frontier() throws IOException {
    ensureUsable();
    try {
      pipeline.drain();
    } catch (IOException e) {
      fail(e);
      throw e;
    }
    return acc.toFrontier();
  }

  /** Seals everything written, closes this channel (not the destination) and returns the seal. */
  public Seal finish() throws IOException {
    ensureUsable();
    try {
      if (current != null) {
        SegmentPipeline.Workspace ws = current;
        current = null;
        if (fill > 0) {
          pipeline.submitBuffered(ws, fill);
        } else {
          pipeline.release(ws);
        }
        fill = 0;
      }
      pipeline.drain();
      Seal seal = acc.toSeal();
      open = false;
      pipeline.close();
      return seal;
    } catch (IOException | RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  private void fail(Exception e) {
    if (failure == null) {
      failure =
          e instanceof IOException
              ? (IOException) e
              : new IOException("sealing failed: " + e.getMessage(), e);
    }
  }

  private void ensureUsable() throws IOException {
    if (failure != null) {
      throw new IOException("sealing channel failed earlier: " + failure.getMessage(), failure);
    }
    if (!open) {
      throw new ClosedChannelException();
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  /** Abandons an unfinished seal and releases the hash workers. Idempotent. */
  @Override
  public void close() {
    open = false;
    pipeline.close();
  }
}
