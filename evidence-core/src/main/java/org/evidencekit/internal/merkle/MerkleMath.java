package org.evidencekit.internal.merkle;

import java.util.ArrayList;
import java.util.List;
import org.evidencekit.hash.Digest;

/** RFC 9162 tree hashes and proof generation over packed leaf hashes. */
public final class MerkleMath {
  private MerkleMath() {}

  /** RFC 9162 2.1.3.1 / 2.1.4.1 over packed leaves. */
  public static List<Digest> inclusionProof(TreeHasher h, PackedLeaves leaves, long index) {
    int n = leaves.size();
    if (index < 0 || index >= n) {
      throw new IllegalArgumentException("leaf index " + index + " outside tree of size " + n);
    }
    List<Digest> path = new ArrayList<>();
    path(h, leaves, (int) index, 0, n, path);
    return List.copyOf(path);
  }

  /** RFC 9162 2.1.3.1 / 2.1.4.1 over packed leaves. */
  public static List<Digest> consistencyProof(TreeHasher h, PackedLeaves leaves, long oldSize) {
    int n = leaves.size();
    if (oldSize < 1 || oldSize > n) {
      throw new IllegalArgumentException(
          "old size " + oldSize + " must be between 1 and the tree size " + n);
    }
    List<Digest> proof = new ArrayList<>();
    subproof(h, leaves, (int) oldSize, 0, n, true, proof);
    return List.copyOf(proof);
  }

  /** MTH(D[lo:hi]) over packed leaves. Internal. */
  public static byte[] subtreeHash(TreeHasher h, PackedLeaves leaves, int lo, int hi) {
    int n = hi - lo;
    if (n == 0) {
      return h.emptyRoot();
    }
    if (n == 1) {
      byte[] out = new byte[h.width()];
      leaves.copy(lo, out, 0);
      return out;
    }
    int k = largestPowerOfTwoBelow(n);
    return h.node(subtreeHash(h, leaves, lo, lo + k), subtreeHash(h, leaves, lo + k, hi));
  }

  private static void path(
      TreeHasher h, PackedLeaves leaves, int m, int lo, int hi, List<Digest> out) {
    int n = hi - lo;
    if (n == 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(h, leaves, m, lo, lo + k, out);
      out.add(Digest.of(subtreeHash(h, leaves, lo + k, hi)));
    } else {
      path(h, leaves, m - k, lo + k, hi, out);
      out.add(Digest.of(subtreeHash(h, leaves, lo, lo + k)));
    }
  }

  private static void subproof(
      TreeHasher h,
      PackedLeaves leaves,
      int m,
      int lo,
      int hi,
      boolean complete,
      List<Digest> out) {
    int n = hi - lo;
    if (m == n) {
      if (!complete) {
        out.add(Digest.of(subtreeHash(h, leaves, lo, hi)));
      }
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(h, leaves, m, lo, lo + k, complete, out);
      out.add(Digest.of(subtreeHash(h, leaves, lo + k, hi)));
    } else {
      subproof(h, leaves, m - k, lo + k, hi, false, out);
      out.add(Digest.of(subtreeHash(h, leaves, lo, lo + k)));
    }
  }

  /** The largest power of two strictly below {@code n} (n at least 2). */
  public static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }
}
