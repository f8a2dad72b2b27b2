package org.evidencekit.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Known-answer tests: GB/T 32905-2016 appendix A for SM3, FIPS 180-4 examples for SHA-256. */
class HashAlgorithmTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void sm3GbT32905ExampleOne() {
    assertEquals(
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        HashAlgorithm.SM3.hash(ascii("abc")).hex());
  }

  @Test
  void sm3GbT32905ExampleTwo() {
    assertEquals(
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
        HashAlgorithm.SM3.hash(ascii("abcd".repeat(16))).hex());
  }

  @Test
  void sha256Fips180Examples() {
    assertEquals(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        HashAlgorithm.SHA256.hash(ascii("abc")).hex());
    assertEquals(
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        HashAlgorithm.SHA256
            .hash(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))
            .hex());
  }

  @Test
  void namesAreFrozenAndLookedUp() {
    assertEquals(HashAlgorithm.SHA256, HashAlgorithm.forName("sha256").orElseThrow());
    assertEquals(HashAlgorithm.SM3, HashAlgorithm.forName("sm3").orElseThrow());
    assertTrue(HashAlgorithm.forName("SHA256").isEmpty());
    assertTrue(HashAlgorithm.forName("md5").isEmpty());
  }

  @Test
  void digestCopiesAndComparesBytes() {
    byte[] b = {1, 2, 3};
    Digest d = Digest.of(b);
    b[0] = 9;
    assertEquals("010203", d.hex());
    byte[] out = d.toByteArray();
    out[1] = 9;
    assertEquals("010203", d.hex());
    assertEquals(Digest.ofHex("010203"), d);
    assertEquals(Digest.ofHex("010203").hashCode(), d.hashCode());
    assertNotEquals(Digest.ofHex("010204"), d);
    assertThrows(IllegalArgumentException.class, () -> Digest.ofHex("abc"));
    assertThrows(IllegalArgumentException.class, () -> Digest.ofHex("zz"));
    assertThrows(IllegalArgumentException.class, () -> Digest.of(new byte[0]));
  }
}
