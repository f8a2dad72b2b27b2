package org.evidencekit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A deterministic pseudo-random content of any length, readable from any position, with no storage
 * behind it: byte {@code i} is a function of the seed and {@code i} (SplitMix64 of the word index).
 * Lets tests seal and verify multi-GB content without large files. Optionally flips one byte, to
 * play a tampered copy.
 */
public final class PseudoRandomChannel implements SeekableByteChannel {
  private final long length;
  private final long seed;
  private final long flipAt;
  private long position;
  private boolean open = true;
  private long bytesRead;

  public PseudoRandomChannel(long length, long seed) {
    this(length, seed, -1);
  }

  public PseudoRandomChannel(long length, long seed, long flipAt) {
    this.length = length;
    this.seed = seed;
    this.flipAt = flipAt;
  }

  public static long word(long seed, long index) {
    long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public static byte byteAt(long seed, long i) {
    return (byte) (word(seed, i >>> 3) >>> ((i & 7) * 8));
  }

  public long bytesRead() {
    return bytesRead;
  }

  @Override
  public int read(ByteBuffer dst) {
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), length - position);
    int start = dst.position();
    long p = position;
    int i = 0;
    // byte-by-byte until aligned, then whole little-endian words
    while (i < n && (p & 7) != 0) {
      dst.put(byteAt(seed, p++));
      i++;
    }
    ByteBuffer le = dst.slice().order(ByteOrder.LITTLE_ENDIAN);
    int words = (n - i) / 8;
    for (int w = 0; w < words; w++) {
      le.putLong(word(seed, p >>> 3));
      p += 8;
    }
    dst.position(dst.position() + words * 8);
    i += words * 8;
    while (i < n) {
      dst.put(byteAt(seed, p++));
      i++;
    }
    if (flipAt >= position && flipAt < position + n) {
      int idx = start + (int) (flipAt - position);
      dst.put(idx, (byte) (dst.get(idx) ^ 0x01));
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
  public SeekableByteChannel position(long newPosition) {
    this.position = newPosition;
    return this;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public SeekableByteChannel truncate(long size) {
    throw new NonWritableChannelException();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }
}
