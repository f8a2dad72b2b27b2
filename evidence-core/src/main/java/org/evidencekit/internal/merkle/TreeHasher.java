package org.evidencekit.internal.merkle;

import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.hash.Hasher;
import org.evidencekit.internal.hash.Hashers;

/**
 * RFC 9162 section 2.1.1 hashing: leaf = H(0x00 || data), node = H(0x01 || left || right), empty
 * tree = H(""). One instance per thread.
 */
public final class TreeHasher {
  private final HashAlgorithm algorithm;
  private final Hasher hasher;
  private final int width;

  public TreeHasher(HashAlgorithm algorithm) {
    this.algorithm = algorithm;
    this.hasher = Hashers.create(algorithm.name());
    this.width = algorithm.digestLength();
  }

  public HashAlgorithm algorithm() {
    return algorithm;
  }

  public int width() {
    return width;
  }

  public byte[] emptyRoot() {
    byte[] out = new byte[width];
    hasher.reset();
    hasher.finish(out, 0);
    return out;
  }

  public byte[] leaf(byte[] data, int offset, int length) {
    byte[] out = new byte[width];
    hasher.reset();
    hasher.update((byte) 0);
    hasher.update(data, offset, length);
    hasher.finish(out, 0);
    return out;
  }

  /** node = H(0x01 || left || right), written to {@code out} (which may alias an input). */
  public void node(byte[] left, int lo, byte[] right, int ro, byte[] out, int oo) {
    hasher.reset();
    hasher.update((byte) 1);
    hasher.update(left, lo, width);
    hasher.update(right, ro, width);
    hasher.finish(out, oo);
  }

  public byte[] node(byte[] left, byte[] right) {
    byte[] out = new byte[width];
    node(left, 0, right, 0, out, 0);
    return out;
  }
}
