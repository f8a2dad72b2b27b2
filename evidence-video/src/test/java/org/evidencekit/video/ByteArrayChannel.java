package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only channel over a prefix held in memory, an optional run of zeros of any length, and a
 * suffix: enough to present a multi-GB file without storing it. Counts the bytes read.
 */
final class ByteArrayChannel implements SeekableByteChannel {
  private final byte[] prefix;
  private final long zeros;
  private final byte[] suffix;
  private long position;
  long bytesRead;

  ByteArrayChannel(byte[] content) {
    this(content, 0, new byte[0]);
  }

  ByteArrayChannel(byte[] prefix, long zeros, byte[] suffix) {
    this.prefix = prefix;
    this.zeros = zeros;
    this.suffix = suffix;
  }

  @Override
  public int read(ByteBuffer dst) {
    long size = size();
    if (position >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - position);
    for (int i = 0; i < n; i++) {
      long p = position + i;
      byte b;
      if (p < prefix.length) {
        b = prefix[(int) p];
      } else if (p < prefix.length + zeros) {
        b = 0;
      } else {
        b = suffix[(int) (p - prefix.length - zeros)];
      }
      dst.put(b);
    }
    position += n;
    bytesRead += n;
    return n;
  }

  @Override
  public int write(ByteBuffer src) {
    throw new NonWritableChannelException();
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public SeekableByteChannel position(long p) {
    position = p;
    return this;
  }

  @Override
  public long size() {
    return prefix.length + zeros + suffix.length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
