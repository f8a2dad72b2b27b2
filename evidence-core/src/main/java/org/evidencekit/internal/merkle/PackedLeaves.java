package org.evidencekit.internal.merkle;

import java.util.Arrays;
import org.evidencekit.hash.Digest;

/**
 * Leaf hashes of one algorithm packed into one growable array: 32 bytes a leaf and no object per
 * leaf, so a 4 GiB recording at 1 MiB segments costs 128 KiB.
 */
public final class PackedLeaves {
  private final int width;
  private byte[] data;
  private int count;

  public PackedLeaves(int width, int initialCapacity) {
    this.width = width;
    this.data = new byte[Math.max(1, initialCapacity) * width];
  }

  /** Wraps a copy of packed bytes, whose length must be a multiple of {@code width}. */
  public static PackedLeaves copyOf(int width, byte[] packed) {
    if (packed.length % width != 0) {
      throw new IllegalArgumentException("packed leaves are not a multiple of " + width);
    }
    PackedLeaves p = new PackedLeaves(width, 0);
    p.data = packed.clone();
    p.count = packed.length / width;
    return p;
  }

  public int width() {
    return width;
  }

  public int size() {
    return count;
  }

  public void add(byte[] src, int offset) {
    if ((count + 1) * (long) width > data.length) {
      long grown = Math.max((long) data.length * 2, (long) (count + 1) * width);
      if (grown > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("too many leaves");
      }
      data = Arrays.copyOf(data, (int) grown);
    }
    System.arraycopy(src, offset, data, count * width, width);
    count++;
  }

  public void copy(int index, byte[] out, int offset) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(index);
    }
    System.arraycopy(data, index * width, out, offset, width);
  }

  public Digest get(int index) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(index);
    }
    return Digest.of(data, index * width, width);
  }

  public boolean equalsAt(int index, byte[] other, int offset) {
    return Arrays.equals(data, index * width, (index + 1) * width, other, offset, offset + width);
  }

  /** The first {@code n} leaves, packed. */
  public byte[] toByteArray(int n) {
    if (n < 0 || n > count) {
      throw new IndexOutOfBoundsException(n);
    }
    return Arrays.copyOf(data, n * width);
  }

  public byte[] toByteArray() {
    return toByteArray(count);
  }

  public PackedLeaves prefix(int n) {
    return copyOf(width, toByteArray(n));
  }
}
