package org.evidencekit.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 6962/9162 reference vectors, with mutated negatives. */
class MerkleTreeTest {
  private static final HashAlgorithm SHA = HashAlgorithm.SHA256;
  private static JsonNode vectors;
  private static List<Digest> leaves;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = MerkleTreeTest.class.getResourceAsStream("/vectors/rfc9162-tree.json")) {
      vectors = new ObjectMapper().readTree(in);
    }
    leaves = new ArrayList<>();
    for (JsonNode l : vectors.get("leaves")) {
      leaves.add(MerkleTree.leafHash(SHA, HexFormat.of().parseHex(l.asText())));
    }
  }

  private static List<Digest> digests(JsonNode arr) {
    List<Digest> out = new ArrayList<>();
    arr.forEach(n -> out.add(Digest.ofHex(n.asText())));
    return out;
  }

  @Test
  void rootOfTheEightReferenceLeaves() {
    assertEquals(
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        MerkleTree.rootHash(SHA, leaves).hex());
  }

  @Test
  void rootOfEveryPrefix() {
    JsonNode roots = vectors.get("roots");
    for (int n = 1; n <= 8; n++) {
      assertEquals(
          roots.get(n - 1).asText(),
          MerkleTree.rootHash(SHA, leaves.subList(0, n)).hex(),
          "n=" + n);
    }
  }

  @Test
  void emptyTreeHashesToTheHashOfNothing() {
    assertEquals(vectors.get("emptyRoot").asText(), MerkleTree.rootHash(SHA, List.of()).hex());
  }

  @Test
  void inclusionProofsMatchTheVectorsAndVerify() {
    for (JsonNode v : vectors.get("inclusion")) {
      int index = v.get("index").asInt();
      int size = v.get("size").asInt();
      List<Digest> expected = digests(v.get("proof"));
      List<Digest> sub = leaves.subList(0, size);
      assertEquals(expected, MerkleTree.inclusionProof(SHA, sub, index), v.toString());
      Digest root = MerkleTree.rootHash(SHA, sub);
      assertTrue(MerkleTree.verifyInclusion(SHA, index, size, leaves.get(index), expected, root));
    }
  }

  @Test
  void mutatedInclusionProofsAreRejected() {
    for (JsonNode v : vectors.get("inclusion")) {
      int index = v.get("index").asInt();
      int size = v.get("size").asInt();
      List<Digest> proof = digests(v.get("proof"));
      Digest root = MerkleTree.rootHash(SHA, leaves.subList(0, size));
      Digest leaf = leaves.get(index);
      // wrong index, wrong size, wrong leaf, wrong root
      assertFalse(MerkleTree.verifyInclusion(SHA, index + 1, size, leaf, proof, root));
      assertFalse(MerkleTree.verifyInclusion(SHA, index, 0, leaf, proof, root));
      assertFalse(MerkleTree.verifyInclusion(SHA, -1, size, leaf, proof, root));
      assertFalse(
          MerkleTree.verifyInclusion(SHA, index, size, leaves.get((index + 1) % 8), proof, root));
      assertFalse(
          MerkleTree.verifyInclusion(SHA, index, size, leaf, proof, Digest.of(new byte[32])));
      // truncated and extended proofs
      List<Digest> extended = new ArrayList<>(proof);
      extended.add(root);
      assertFalse(MerkleTree.verifyInclusion(SHA, index, size, leaf, extended, root));
      if (!proof.isEmpty()) {
        assertFalse(
            MerkleTree.verifyInclusion(
                SHA, index, size, leaf, proof.subList(0, proof.size() - 1), root));
        for (int i = 0; i < proof.size(); i++) {
          List<Digest> flipped = new ArrayList<>(proof);
          byte[] b = flipped.get(i).toByteArray();
          b[0] ^= 1;
          flipped.set(i, Digest.of(b));
          assertFalse(MerkleTree.verifyInclusion(SHA, index, size, leaf, flipped, root));
        }
      }
    }
  }

  @Test
  void consistencyProofsMatchTheVectorsAndVerify() {
    for (JsonNode v : vectors.get("consistency")) {
      int m = v.get("size1").asInt();
      int n = v.get("size2").asInt();
      List<Digest> expected = digests(v.get("proof"));
      assertEquals(
          expected, MerkleTree.consistencyProof(SHA, leaves.subList(0, n), m), v.toString());
      Digest r1 = MerkleTree.rootHash(SHA, leaves.subList(0, m));
      Digest r2 = MerkleTree.rootHash(SHA, leaves.subList(0, n));
      assertTrue(MerkleTree.verifyConsistency(SHA, m, n, r1, r2, expected));
    }
  }

  @Test
  void mutatedConsistencyProofsAreRejected() {
    for (JsonNode v : vectors.get("consistency")) {
      int m = v.get("size1").asInt();
      int n = v.get("size2").asInt();
      List<Digest> proof = digests(v.get("proof"));
      Digest r1 = MerkleTree.rootHash(SHA, leaves.subList(0, m));
      Digest r2 = MerkleTree.rootHash(SHA, leaves.subList(0, n));
      assertFalse(
          MerkleTree.verifyConsistency(SHA, m, n, r2.equals(r1) ? leaves.get(3) : r2, r2, proof));
      assertFalse(MerkleTree.verifyConsistency(SHA, m, n, r1, Digest.of(new byte[32]), proof));
      assertFalse(MerkleTree.verifyConsistency(SHA, n + 1, n, r1, r2, proof));
      List<Digest> extended = new ArrayList<>(proof);
      extended.add(r1);
      assertFalse(MerkleTree.verifyConsistency(SHA, m, n, r1, r2, extended));
      if (!proof.isEmpty()) {
        assertFalse(
            MerkleTree.verifyConsistency(SHA, m, n, r1, r2, proof.subList(1, proof.size())));
        assertFalse(MerkleTree.verifyConsistency(SHA, m, n, r1, r1, proof));
      }
    }
  }

  @Test
  void consistencyFromTheEmptyTreeIsRejected() {
    Digest empty = MerkleTree.rootHash(SHA, List.of());
    Digest r8 = MerkleTree.rootHash(SHA, leaves);
    assertFalse(MerkleTree.verifyConsistency(SHA, 0, 8, empty, r8, List.of()));
    assertFalse(MerkleTree.verifyConsistency(SHA, 0, 8, empty, r8, List.of(r8)));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.consistencyProof(SHA, leaves, 0));
  }

  @Test
  void digestsOfTheWrongWidthAreRefusedOrRejected() {
    Digest short1 = Digest.of(new byte[31]);
    Digest root = MerkleTree.rootHash(SHA, leaves);
    assertFalse(MerkleTree.verifyInclusion(SHA, 0, 8, short1, List.of(), root));
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.rootHash(SHA, List.of(short1)));
  }
}
