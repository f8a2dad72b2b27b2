package org.evidencekit.seal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * {@link SealingChannel} as an {@link OutputStream}. {@link #finish()} returns the seal; {@code
 * close()} abandons an unfinished seal and never closes the destination.
 */
public final class SealingOutputStream extends OutputStream {
  private final SealingChannel channel;
  private final byte[] one = new byte[1];

  SealingOutputStream(SealingChannel channel) {
    this.channel = channel;
  }

  @Override
  public void write(int b) throws IOException {
    one[0] = (byte) b;
    channel.write(ByteBuffer.wrap(one));
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    channel.write(ByteBuffer.wrap(b, off, len));
  }

  /** See {@link SealingChannel#frontier()}. */
  public SealFrontier frontier() throws IOException {
    return channel.frontier();
  }

  /** See {@link SealingChannel#finish()}. */
  public Seal finish() throws IOException {
    return channel.finish();
  }

  @Override
  public void close() {
    channel.close();
  }
}
