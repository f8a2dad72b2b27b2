package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.evidencekit.NaiveMerkle;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.merkle.MerkleCache;
import org.evidencekit.internal.merkle.TreeHasher;
import org.evidencekit.merkle.MerkleTree;

/**
 * The ledger's cached tree against a naive RFC 9162 model written from the RFC's recursive
 * definitions (MTH, PATH, SUBPROOF over list slices), and the verifiers against every kind of
 * damaged proof.
 */
class LedgerProofProperties {
  private static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(NaiveMerkle.leaf("sha256", ("entry " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  private static MerkleCache cache(List<byte[]> leaves) {
    MerkleCache c = new MerkleCache(new TreeHasher(HashAlgorithm.SHA256));
    leaves.forEach(c::append);
    return c;
  }

  /** A tiled cache (tiles of 2^floor leaves) whose complete tiles come from the leaf list. */
  private static MerkleCache tiled(List<byte[]> leaves, int floor, int[] fetches) {
    int t = 1 << floor;
    MerkleCache c =
        new MerkleCache(
            new TreeHasher(HashAlgorithm.SHA256),
            floor,
            (tile, again) -> {
              fetches[0]++;
              byte[] out = new byte[t * 32];
              for (int i = 0; i < t; i++) {
                System.arraycopy(leaves.get((int) tile * t + i), 0, out, i * 32, 32);
              }
              return out;
            });
    leaves.forEach(c::append);
    return c;
  }

  @Property(tries = 150)
  void aTiledCacheGivesTheSameRootsAndProofsAsTheFullOne(
      @ForAll @IntRange(min = 1, max = 400) int size,
      @ForAll @IntRange(min = 0, max = 399) int m,
      @ForAll @IntRange(min = 1, max = 5) int floor) {
    m = m % size;
    List<byte[]> d = leaves(size);
    MerkleCache full = cache(d);
    int[] fetches = new int[1];
    MerkleCache tiled = tiled(d, floor, fetches);
    assertEquals(full.size(), tiled.size());
    for (long s = Math.max(1, size - 3); s <= size; s++) {
      assertArrayEquals(full.root(s), tiled.root(s), "root " + s);
    }
    assertEquals(full.inclusionProof(m, size), tiled.inclusionProof(m, size));
    assertEquals(full.leaf(m), tiled.leaf(m));
    int old = 1 + m % size;
    assertEquals(full.consistencyProof(old, size), tiled.consistencyProof(old, size));
  }

  @Property(tries = 30)
  void aTileThatNoLongerHashesToTheTreeIsRefetchedThenRefused(
      @ForAll @IntRange(min = 16, max = 100) int size) {
    List<byte[]> d = leaves(size);
    int[] calls = new int[1];
    MerkleCache c =
        new MerkleCache(
            new TreeHasher(HashAlgorithm.SHA256),
            2,
            (tile, again) -> {
              calls[0]++;
              byte[] out = new byte[4 * 32];
              for (int i = 0; i < 4; i++) {
                System.arraycopy(d.get((int) tile * 4 + i), 0, out, i * 32, 32);
              }
              if (!again) {
                out[5] ^= 1; // the stored copy is damaged; the rebuilt one is right
              }
              return out;
            });
    d.forEach(c::append);
    assertEquals(Digest.of(d.get(1)), c.leaf(1));
    assertEquals(2, calls[0], "fetched, found damaged, rebuilt");
    MerkleCache broken =
        new MerkleCache(new TreeHasher(HashAlgorithm.SHA256), 2, (tile, again) -> new byte[4 * 32]);
    d.forEach(broken::append);
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> broken.inclusionProof(0, size));
  }

  private static int split(int n) {
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }

  /** RFC 9162 2.1.3.1 PATH(m, D[n]). */
  static List<byte[]> naivePath(int m, List<byte[]> d) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (n == 1) {
      return out;
    }
    int k = split(n);
    if (m < k) {
      out.addAll(naivePath(m, d.subList(0, k)));
      out.add(NaiveMerkle.mth("sha256", d.subList(k, n)));
    } else {
      out.addAll(naivePath(m - k, d.subList(k, n)));
      out.add(NaiveMerkle.mth("sha256", d.subList(0, k)));
    }
    return out;
  }

  /** RFC 9162 2.1.4.1 SUBPROOF(m, D[n], b). */
  static List<byte[]> naiveSubproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(NaiveMerkle.mth("sha256", d));
      }
      return out;
    }
    int k = split(n);
    if (m <= k) {
      out.addAll(naiveSubproof(m, d.subList(0, k), b));
      out.add(NaiveMerkle.mth("sha256", d.subList(k, n)));
    } else {
      out.addAll(naiveSubproof(m - k, d.subList(k, n), false));
      out.add(NaiveMerkle.mth("sha256", d.subList(0, k)));
    }
    return out;
  }

  private static void assertSame(List<byte[]> expected, List<Digest> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i).toByteArray(), "hash " + i);
    }
  }

  @Property(tries = 200)
  void inclusionProofsMatchTheRfcDefinition(
      @ForAll @IntRange(min = 1, max = 300) int size, @ForAll @IntRange(min = 0, max = 299) int m) {
    m = m % size;
    List<byte[]> d = leaves(size + 7);
    MerkleCache c = cache(d);
    List<byte[]> prefix = d.subList(0, size);
    assertArrayEquals(NaiveMerkle.mth("sha256", prefix), c.root(size));
    List<Digest> proof = c.inclusionProof(m, size);
    assertSame(naivePath(m, prefix), proof);
    assertTrue(
        MerkleTree.verifyInclusion(
            HashAlgorithm.SHA256,
            m,
            size,
            Digest.of(d.get(m)),
            proof,
            Digest.of(NaiveMerkle.mth("sha256", prefix))));
  }

  @Property(tries = 200)
  void consistencyProofsMatchTheRfcDefinition(
      @ForAll @IntRange(min = 1, max = 300) int newSize,
      @ForAll @IntRange(min = 1, max = 300) int oldSize) {
    oldSize = 1 + (oldSize - 1) % newSize;
    List<byte[]> d = leaves(newSize);
    MerkleCache c = cache(d);
    List<Digest> proof = c.consistencyProof(oldSize, newSize);
    assertSame(naiveSubproof(oldSize, d, true), proof);
    assertTrue(
        MerkleTree.verifyConsistency(
            HashAlgorithm.SHA256,
            oldSize,
            newSize,
            Digest.of(NaiveMerkle.mth("sha256", d.subList(0, oldSize))),
            Digest.of(NaiveMerkle.mth("sha256", d)),
            proof));
  }

  @Property(tries = 100)
  void everyDamagedInclusionProofIsRejected(
      @ForAll @IntRange(min = 2, max = 200) int size, @ForAll @IntRange(min = 0, max = 199) int m) {
    m = m % size;
    List<byte[]> d = leaves(size + 1);
    MerkleCache c = cache(d);
    Digest root = Digest.of(c.root(size));
    Digest leaf = Digest.of(d.get(m));
    List<Digest> proof = c.inclusionProof(m, size);
    InclusionProof good = new InclusionProof(m, size, leaf, proof, root);
    assertTrue(good.verifyPath());
    for (int i = 0; i < proof.size(); i++) {
      List<Digest> bad = new ArrayList<>(proof);
      byte[] b = bad.get(i).toByteArray();
      b[i % b.length] ^= 1;
      bad.set(i, Digest.of(b));
      assertFalse(new InclusionProof(m, size, leaf, bad, root).verifyPath(), "flipped hash " + i);
    }
    if (!proof.isEmpty()) {
      assertFalse(
          new InclusionProof(m, size, leaf, proof.subList(0, proof.size() - 1), root).verifyPath(),
          "truncated");
    }
    List<Digest> longer = new ArrayList<>(proof);
    longer.add(root);
    assertFalse(new InclusionProof(m, size, leaf, longer, root).verifyPath(), "extended");
    // The path alone does not pin the size (a checkpoint binds size and root together), but a
    // path for one size never leads to the root of another.
    assertFalse(
        new InclusionProof(m, size + 1, leaf, proof, Digest.of(c.root(size + 1))).verifyPath(),
        "size + 1");
    if (m < size - 1) {
      assertFalse(
          new InclusionProof(m, size - 1, leaf, proof, Digest.of(c.root(size - 1))).verifyPath(),
          "size - 1");
    }
    assertFalse(
        new InclusionProof((m + 1) % size, size, leaf, proof, root).verifyPath(), "wrong index");
    assertFalse(
        new InclusionProof(m, size, leaf, proof, Digest.of(c.root(size - 1))).verifyPath(),
        "wrong root");
    assertFalse(
        new InclusionProof(m, size, Digest.of(d.get((m + 1) % size)), proof, root).verifyPath(),
        "wrong leaf");
  }

  @Property(tries = 100)
  void everyDamagedConsistencyProofIsRejected(
      @ForAll @IntRange(min = 2, max = 200) int newSize,
      @ForAll @IntRange(min = 1, max = 199) int oldSize) {
    oldSize = 1 + (oldSize - 1) % (newSize - 1); // strictly older
    List<byte[]> d = leaves(newSize);
    MerkleCache c = cache(d);
    Digest oldRoot = Digest.of(c.root(oldSize));
    Digest newRoot = Digest.of(c.root(newSize));
    List<Digest> proof = c.consistencyProof(oldSize, newSize);
    assertTrue(new ConsistencyProof(oldSize, newSize, oldRoot, newRoot, proof).verify());
    for (int i = 0; i < proof.size(); i++) {
      List<Digest> bad = new ArrayList<>(proof);
      byte[] b = bad.get(i).toByteArray();
      b[0] ^= (byte) 0x80;
      bad.set(i, Digest.of(b));
      assertFalse(
          new ConsistencyProof(oldSize, newSize, oldRoot, newRoot, bad).verify(), "flip " + i);
    }
    if (!proof.isEmpty()) {
      assertFalse(
          new ConsistencyProof(
                  oldSize, newSize, oldRoot, newRoot, proof.subList(0, proof.size() - 1))
              .verify(),
          "truncated");
    }
    List<Digest> longer = new ArrayList<>(proof);
    longer.add(newRoot);
    assertFalse(new ConsistencyProof(oldSize, newSize, oldRoot, newRoot, longer).verify());
    assertFalse(
        new ConsistencyProof(oldSize, newSize, newRoot, newRoot, proof).verify(), "wrong old root");
    assertFalse(
        new ConsistencyProof(oldSize, newSize, oldRoot, oldRoot, proof).verify(), "wrong new root");
    assertFalse(
        new ConsistencyProof(
                0,
                newSize,
                Digest.of(new TreeHasher(HashAlgorithm.SHA256).emptyRoot()),
                newRoot,
                List.of())
            .verify(),
        "from size 0");
    assertFalse(
        new ConsistencyProof(newSize, oldSize, newRoot, oldRoot, proof).verify(), "backwards");
  }
}
