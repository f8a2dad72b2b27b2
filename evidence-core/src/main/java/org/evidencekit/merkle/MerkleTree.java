package org.evidencekit.merkle;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.merkle.MerkleMath;
import org.evidencekit.internal.merkle.PackedLeaves;
import org.evidencekit.internal.merkle.TreeHasher;

/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle trees: tree hashes, inclusion proofs and
 * consistency proofs, their generation from leaf hashes and their verification. Verification needs
 * nothing but this class, so auditors can check proofs offline.
 *
 * <p>Leaf hashes are {@code H(0x00 || data)}, interior nodes {@code H(0x01 || left || right)}, and
 * the empty tree hashes to {@code H("")} (RFC 9162 section 2.1.1).
 */
public final class MerkleTree {
  private MerkleTree() {}

  /** {@code H(0x00 || data)}. */
  public static Digest leafHash(HashAlgorithm algorithm, byte[] data) {
    requireNonNull(algorithm, "algorithm");
    requireNonNull(data, "data");
    return Digest.of(new TreeHasher(algorithm).leaf(data, 0, data.length));
  }

  /** {@code H(0x01 || left || right)}. */
  public static Digest nodeHash(HashAlgorithm algorithm, Digest left, Digest right) {
    requireNonNull(algorithm, "algorithm");
    TreeHasher h = new TreeHasher(algorithm);
    return Digest.of(h.node(bytes(h, left), bytes(h, right)));
  }

  /** The Merkle Tree Hash of the given leaf hashes (RFC 9162 section 2.1.1). */
  public static Digest rootHash(HashAlgorithm algorithm, List<Digest> leafHashes) {
    requireNonNull(algorithm, "algorithm");
    TreeHasher h = new TreeHasher(algorithm);
    PackedLeaves leaves = pack(h, leafHashes);
    return Digest.of(MerkleMath.subtreeHash(h, leaves, 0, leaves.size()));
  }

  /**
   * The inclusion proof (audit path) of leaf {@code index} in the tree of all {@code leafHashes}
   * (RFC 9162 section 2.1.3.1).
   */
  public static List<Digest> inclusionProof(
      HashAlgorithm algorithm, List<Digest> leafHashes, long index) {
    requireNonNull(algorithm, "algorithm");
    TreeHasher h = new TreeHasher(algorithm);
    return MerkleMath.inclusionProof(h, pack(h, leafHashes), index);
  }

  /**
   * The consistency proof from the tree of the first {@code oldSize} leaves to the tree of all of
   * them (RFC 9162 section 2.1.4.1). {@code oldSize} runs from 1 to the leaf count.
   */
  public static List<Digest> consistencyProof(
      HashAlgorithm algorithm, List<Digest> leafHashes, long oldSize) {
    requireNonNull(algorithm, "algorithm");
    TreeHasher h = new TreeHasher(algorithm);
    return MerkleMath.consistencyProof(h, pack(h, leafHashes), oldSize);
  }

  /**
   * Verifies an inclusion proof (RFC 9162 section 2.1.3.2).
   *
   * @return true only if {@code leafHash} is leaf {@code index} of a tree of {@code treeSize}
   *     leaves whose hash is {@code root}
   */
  public static boolean verifyInclusion(
      HashAlgorithm algorithm,
      long index,
      long treeSize,
      Digest leafHash,
      List<Digest> proof,
      Digest root) {
    requireNonNull(algorithm, "algorithm");
    requireNonNull(leafHash, "leafHash");
    requireNonNull(proof, "proof");
    requireNonNull(root, "root");
    if (index < 0 || treeSize <= 0 || index >= treeSize) {
      return false;
    }
    TreeHasher h = new TreeHasher(algorithm);
    if (!widthsMatch(h, leafHash, root) || !widthsMatch(h, proof)) {
      return false;
    }
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash.toByteArray();
    for (Digest p : proof) {
      if (sn == 0) {
        return false;
      }
      byte[] pb = p.toByteArray();
      if ((fn & 1) == 1 || fn == sn) {
        h.node(pb, 0, r, 0, r, 0);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        h.node(r, 0, pb, 0, r, 0);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Digest.of(r).equals(root);
  }

  /**
   * Verifies a consistency proof (RFC 9162 section 2.1.4.2). A proof from size 0 is rejected: every
   * tree extends the empty one, so such a "proof" proves nothing.
   *
   * @return true only if the tree of {@code oldSize} leaves hashing to {@code oldRoot} is a prefix
   *     of the tree of {@code newSize} leaves hashing to {@code newRoot}
   */
  public static boolean verifyConsistency(
      HashAlgorithm algorithm,
      long oldSize,
      long newSize,
      Digest oldRoot,
      Digest newRoot,
      List<Digest> proof) {
    requireNonNull(algorithm, "algorithm");
    requireNonNull(oldRoot, "oldRoot");
    requireNonNull(newRoot, "newRoot");
    requireNonNull(proof, "proof");
    if (oldSize <= 0 || oldSize > newSize) {
      return false;
    }
    TreeHasher h = new TreeHasher(algorithm);
    if (!widthsMatch(h, oldRoot, newRoot) || !widthsMatch(h, proof)) {
      return false;
    }
    if (oldSize == newSize) {
      return proof.isEmpty() && oldRoot.equals(newRoot);
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<Digest> path = new ArrayList<>(proof.size() + 1);
    if (Long.bitCount(oldSize) == 1) {
      path.add(oldRoot);
    }
    path.addAll(proof);
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0).toByteArray();
    byte[] sr = fr.clone();
    for (int i = 1; i < path.size(); i++) {
      if (sn == 0) {
        return false;
      }
      byte[] c = path.get(i).toByteArray();
      if ((fn & 1) == 1 || fn == sn) {
        h.node(c, 0, fr, 0, fr, 0);
        h.node(c, 0, sr, 0, sr, 0);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        h.node(sr, 0, c, 0, sr, 0);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && Digest.of(fr).equals(oldRoot) && Digest.of(sr).equals(newRoot);
  }

  private static PackedLeaves pack(TreeHasher h, List<Digest> leafHashes) {
    requireNonNull(leafHashes, "leafHashes");
    PackedLeaves p = new PackedLeaves(h.width(), leafHashes.size());
    for (Digest d : leafHashes) {
      p.add(bytes(h, d), 0);
    }
    return p;
  }

  private static byte[] bytes(TreeHasher h, Digest d) {
    requireNonNull(d, "digest");
    if (d.length() != h.width()) {
      throw new IllegalArgumentException(
          "digest of " + d.length() + " bytes for " + h.algorithm() + " (" + h.width() + ")");
    }
    return d.toByteArray();
  }

  private static boolean widthsMatch(TreeHasher h, Digest a, Digest b) {
    return a.length() == h.width() && b.length() == h.width();
  }

  private static boolean widthsMatch(TreeHasher h, List<Digest> proof) {
    for (Digest d : proof) {
      if (d == null || d.length() != h.width()) {
        return false;
      }
    }
    return true;
  }
}
