package org.evidencekit.internal.merkle;

import java.util.Arrays;

/**
 * The right frontier of an RFC 9162 tree being built left to right: the roots of the perfect
 * subtrees that the binary decomposition of the leaf count names, largest first. Appending a leaf
 * is amortised O(1) node hashes; the root is O(log n). Memory is O(log n).
 */
public final class CompactRange {
  private final TreeHasher hasher;
  private final int width;
  private byte[][] nodes = new byte[64][];
  private long[] sizes = new long[64];
  private int depth;
  private long count;

  public CompactRange(TreeHasher hasher) {
    this.hasher = hasher;
    this.width = hasher.width();
  }

  /** A range holding {@code leaves}' first {@code n} leaves (used to resume). */
  public static CompactRange of(TreeHasher hasher, PackedLeaves leaves, int n) {
    CompactRange r = new CompactRange(hasher);
    byte[] buf = new byte[hasher.width()];
    for (int i = 0; i < n; i++) {
      leaves.copy(i, buf, 0);
      r.append(buf, 0);
    }
    return r;
  }

  public long size() {
    return count;
  }

  public void append(byte[] leafHash, int offset) {
    byte[] node = Arrays.copyOfRange(leafHash, offset, offset + width);
    long size = 1;
    while (depth > 0 && sizes[depth - 1] == size) {
      hasher.node(nodes[depth - 1], 0, node, 0, node, 0);
      size <<= 1;
      depth--;
    }
    nodes[depth] = node;
    sizes[depth] = size;
    depth++;
    count++;
  }

  /** The Merkle Tree Hash of everything appended so far. */
  public byte[] root() {
    if (depth == 0) {
      return hasher.emptyRoot();
    }
    byte[] acc = nodes[depth - 1].clone();
    for (int i = depth - 2; i >= 0; i--) {
      hasher.node(nodes[i], 0, acc, 0, acc, 0);
    }
    return acc;
  }
}
