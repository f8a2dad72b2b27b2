package org.evidencekit.internal.merkle;

import java.util.ArrayList;
import java.util.List;
import org.evidencekit.hash.Digest;

/**
 * An append-only RFC 9162 tree that keeps the hash of every complete, aligned perfect subtree
 * (level k holds subtrees of 2^k leaves), so any subtree hash, root, inclusion or consistency proof
 * costs O(log^2 n) hashes instead of O(n). About 2 x 32 bytes per leaf.
 */
public final class MerkleCache {
  private final TreeHasher h;
  private final int w;
  private final List<PackedLeaves> levels = new ArrayList<>();

  public MerkleCache(TreeHasher hasher) {
    this.h = hasher;
    this.w = hasher.width();
    levels.add(new PackedLeaves(w, 1024));
  }

  public long size() {
    return levels.get(0).size();
  }

  /** Appends a leaf hash and completes the perfect subtrees it closes. */
  public void append(byte[] leafHash) {
    levels.get(0).add(leafHash, 0);
    int k = 0;
    byte[] left = new byte[w];
    byte[] right = new byte[w];
    while (levels.get(k).size() % 2 == 0) {
      PackedLeaves lvl = levels.get(k);
      int n = lvl.size();
      lvl.copy(n - 2, left, 0);
      lvl.copy(n - 1, right, 0);
      if (levels.size() == k + 1) {
        levels.add(new PackedLeaves(w, 16));
      }
      levels.get(k + 1).add(h.node(left, right), 0);
      k++;
    }
  }

  public Digest leaf(long index) {
    return levels.get(0).get((int) index);
  }

  /** MTH(D[lo:hi]). */
  public byte[] hash(long lo, long hi) {
    long n = hi - lo;
    if (n == 0) {
      return h.emptyRoot();
    }
    if (Long.bitCount(n) == 1 && lo % n == 0) {
      int k = Long.numberOfTrailingZeros(n);
      byte[] out = new byte[w];
      levels.get(k).copy((int) (lo >> k), out, 0);
      return out;
    }
    long k = Long.highestOneBit(n - 1);
    return h.node(hash(lo, lo + k), hash(lo + k, hi));
  }

  public byte[] root(long size) {
    return hash(0, size);
  }

  /** Inclusion proof of leaf {@code m} in the tree of the first {@code size} leaves. */
  public List<Digest> inclusionProof(long m, long size) {
    if (m < 0 || m >= size || size > size()) {
      throw new IllegalArgumentException("leaf " + m + " is not in a tree of " + size);
    }
    List<Digest> out = new ArrayList<>();
    path(m, 0, size, out);
    return out;
  }

  private void path(long m, long lo, long hi, List<Digest> out) {
    long n = hi - lo;
    if (n == 1) {
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m < k) {
      path(m, lo, lo + k, out);
      out.add(Digest.of(hash(lo + k, hi)));
    } else {
      path(m - k, lo + k, hi, out);
      out.add(Digest.of(hash(lo, lo + k)));
    }
  }

  /** Consistency proof from the first {@code m} leaves to the first {@code n} (1 <= m <= n). */
  public List<Digest> consistencyProof(long m, long n) {
    if (m < 1 || m > n || n > size()) {
      throw new IllegalArgumentException("no consistency proof from " + m + " to " + n);
    }
    List<Digest> out = new ArrayList<>();
    subproof(m, 0, n, true, out);
    return out;
  }

  private void subproof(long m, long lo, long hi, boolean complete, List<Digest> out) {
    long n = hi - lo;
    if (m == n) {
      if (!complete) {
        out.add(Digest.of(hash(lo, hi)));
      }
      return;
    }
    long k = Long.highestOneBit(n - 1);
    if (m <= k) {
      subproof(m, lo, lo + k, complete, out);
      out.add(Digest.of(hash(lo + k, hi)));
    } else {
      subproof(m - k, lo + k, hi, false, out);
      out.add(Digest.of(hash(lo, lo + k)));
    }
  }
}
