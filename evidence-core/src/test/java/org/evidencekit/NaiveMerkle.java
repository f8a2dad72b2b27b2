package org.evidencekit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * The reference model: RFC 9162 written as literally as the RFC states it, over whole byte arrays,
 * with the hash libraries called directly. Slow and obviously right.
 */
public final class NaiveMerkle {
  private NaiveMerkle() {}

  public static byte[] hash(String alg, byte[]... parts) {
    if (alg.equals("sha256")) {
      try {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) {
          md.update(p);
        }
        return md.digest();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    SM3Digest d = new SM3Digest();
    for (byte[] p : parts) {
      d.update(p, 0, p.length);
    }
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  public static byte[] leaf(String alg, byte[] data) {
    return hash(alg, new byte[] {0}, data);
  }

  public static byte[] mth(String alg, List<byte[]> leafHashes) {
    int n = leafHashes.size();
    if (n == 0) {
      return hash(alg);
    }
    if (n == 1) {
      return leafHashes.get(0);
    }
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return hash(
        alg,
        new byte[] {1},
        mth(alg, leafHashes.subList(0, k)),
        mth(alg, leafHashes.subList(k, n)));
  }

  /** Leaf hashes of {@code data} cut into segments of {@code size}. */
  public static List<byte[]> segmentLeaves(String alg, byte[] data, int size) {
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < data.length; off += size) {
      out.add(leaf(alg, Arrays.copyOfRange(data, off, Math.min(data.length, off + size))));
    }
    return out;
  }

  public static byte[] root(String alg, byte[] data, int segmentSize) {
    return mth(alg, segmentLeaves(alg, data, segmentSize));
  }
}
