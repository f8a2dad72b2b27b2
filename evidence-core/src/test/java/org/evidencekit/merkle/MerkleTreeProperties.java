package org.evidencekit.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.evidencekit.NaiveMerkle;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;

/** Roots and proofs of any tree against the naive model, for both hash algorithms. */
class MerkleTreeProperties {

  private static List<Digest> leaves(HashAlgorithm alg, int n, int seed) {
    List<Digest> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(MerkleTree.leafHash(alg, new byte[] {(byte) i, (byte) (i >> 8), (byte) seed}));
    }
    return out;
  }

  private static List<byte[]> raw(List<Digest> d) {
    List<byte[]> out = new ArrayList<>();
    d.forEach(x -> out.add(x.toByteArray()));
    return out;
  }

  @Provide
  Arbitrary<HashAlgorithm> algorithms() {
    return Arbitraries.of(HashAlgorithm.SHA256, HashAlgorithm.SM3);
  }

  @Property(tries = 200)
  void rootEqualsNaiveModel(
      @ForAll("algorithms") HashAlgorithm alg, @ForAll @IntRange(min = 0, max = 300) int n) {
    List<Digest> l = leaves(alg, n, n);
    assertArrayEquals(
        NaiveMerkle.mth(alg.name(), raw(l)), MerkleTree.rootHash(alg, l).toByteArray());
  }

  @Provide
  Arbitrary<int[]> indexInTree() {
    return Arbitraries.integers()
        .between(1, 200)
        .flatMap(n -> Arbitraries.integers().between(0, n - 1).map(i -> new int[] {i, n}));
  }

  @Property(tries = 300)
  void everyInclusionProofVerifiesAndNoOtherLeafDoes(
      @ForAll("algorithms") HashAlgorithm alg, @ForAll("indexInTree") int[] in) {
    int i = in[0];
    int n = in[1];
    List<Digest> l = leaves(alg, n, 7);
    Digest root = MerkleTree.rootHash(alg, l);
    List<Digest> proof = MerkleTree.inclusionProof(alg, l, i);
    assertTrue(MerkleTree.verifyInclusion(alg, i, n, l.get(i), proof, root));
    if (n > 1) {
      int j = (i + 1) % n;
      assertFalse(MerkleTree.verifyInclusion(alg, j, n, l.get(i), proof, root));
      assertFalse(MerkleTree.verifyInclusion(alg, i, n, l.get(j), proof, root));
    }
  }

  @Provide
  Arbitrary<int[]> sizes() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 200), Arbitraries.integers().between(0, 200))
        .as((m, extra) -> new int[] {m, m + extra});
  }

  @Property(tries = 300)
  void everyConsistencyProofVerifiesAndDivergentTreesDoNot(
      @ForAll("algorithms") HashAlgorithm alg, @ForAll("sizes") int[] s) {
    int m = s[0];
    int n = s[1];
    List<Digest> l = leaves(alg, n, 3);
    Digest r1 = MerkleTree.rootHash(alg, l.subList(0, m));
    Digest r2 = MerkleTree.rootHash(alg, l);
    List<Digest> proof = MerkleTree.consistencyProof(alg, l, m);
    assertTrue(MerkleTree.verifyConsistency(alg, m, n, r1, r2, proof));
    // a tree that rewrote its history is not consistent with the old root
    List<Digest> forked = new ArrayList<>(l);
    forked.set(m - 1, MerkleTree.leafHash(alg, new byte[] {42, 42}));
    Digest forkRoot = MerkleTree.rootHash(alg, forked);
    List<Digest> forkProof = MerkleTree.consistencyProof(alg, forked, m);
    assertFalse(MerkleTree.verifyConsistency(alg, m, n, r1, forkRoot, forkProof));
  }
}
