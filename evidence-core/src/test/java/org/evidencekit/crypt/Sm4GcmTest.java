package org.evidencekit.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * Our SM4-GCM against RFC 8998 and against BouncyCastle's GCM over BouncyCastle's SM4, for any key,
 * nonce, associated data and length (every partial-block and four-block-group boundary below 300
 * bytes), both ways; and a flipped bit anywhere is refused without a byte written.
 */
class Sm4GcmTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  private static byte[] bouncyCastle(
      boolean encrypt, byte[] key, byte[] nonce, byte[] aad, byte[] in) throws Exception {
    GCMModeCipher g = GCMBlockCipher.newInstance(new SM4Engine());
    g.init(encrypt, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
    byte[] out = new byte[g.getOutputSize(in.length)];
    int n = g.processBytes(in, 0, in.length, out, 0);
    n += g.doFinal(out, n);
    return Arrays.copyOf(out, n);
  }

  @Test
  void rfc8998AppendixA1() {
    byte[] pt =
        hex(
            "aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd"
                + "eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa");
    byte[] nonce = hex("00001234567800000000abcd");
    byte[] aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    Sm4Gcm gcm = new Sm4Gcm(hex("0123456789abcdeffedcba9876543210"));
    byte[] out = new byte[pt.length + 16];
    assertEquals(pt.length + 16, gcm.encrypt(nonce, aad, pt, 0, pt.length, out));
    assertArrayEquals(
        hex(
            "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735"
                + "d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
                + "83de3541e4c2b58177e065a9bf7b62ec"),
        out);
    byte[] back = new byte[pt.length];
    assertEquals(pt.length, gcm.decrypt(nonce, aad, out, 0, out.length, back));
    assertArrayEquals(pt, back);
  }

  @Property(tries = 400)
  void matchesBouncyCastleBothWays(
      @ForAll @Size(16) byte[] key,
      @ForAll @Size(12) byte[] nonce,
      @ForAll @Size(max = 40) byte[] aad,
      @ForAll @IntRange(max = 300) int length,
      @ForAll @IntRange(max = 5) int offset)
      throws Exception {
    byte[] plain = new byte[length];
    new java.util.Random(length * 31L + offset).nextBytes(plain);
    byte[] expected = bouncyCastle(true, key, nonce, aad, plain);
    Sm4Gcm gcm = new Sm4Gcm(key);
    byte[] in = new byte[offset + length];
    System.arraycopy(plain, 0, in, offset, length);
    byte[] out = new byte[length + 16];
    assertEquals(length + 16, gcm.encrypt(nonce, aad, in, offset, length, out));
    assertArrayEquals(expected, out);
    // and ours decrypts BouncyCastle's output (at an offset), reusing the same instance
    byte[] ct = new byte[offset + expected.length];
    System.arraycopy(expected, 0, ct, offset, expected.length);
    byte[] back = new byte[length];
    assertEquals(length, gcm.decrypt(nonce, aad, ct, offset, expected.length, back));
    assertArrayEquals(plain, back);
  }

  @Property(tries = 200)
  void aFlippedBitAnywhereIsRefusedAndNothingIsWritten(
      @ForAll @IntRange(min = 0, max = 100) int length,
      @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit) {
    byte[] key = new byte[16];
    byte[] nonce = new byte[12];
    byte[] aad = "segment 7, not last".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Sm4Gcm gcm = new Sm4Gcm(key);
    byte[] ct = new byte[length + 16];
    gcm.encrypt(nonce, aad, new byte[length], 0, length, ct);
    // flip one bit of the ciphertext and tag, the nonce or the associated data
    int span = ct.length + nonce.length + aad.length;
    int i = where % span;
    byte[] target = i < ct.length ? ct : i < ct.length + 12 ? nonce : aad;
    int at = i < ct.length ? i : i < ct.length + 12 ? i - ct.length : i - ct.length - 12;
    target[at] ^= (byte) (1 << bit);
    byte[] out = new byte[length];
    Arrays.fill(out, (byte) 0x5a);
    assertEquals(-1, gcm.decrypt(nonce, aad, ct, 0, ct.length, out));
    byte[] untouched = new byte[length];
    Arrays.fill(untouched, (byte) 0x5a);
    assertArrayEquals(untouched, out, "no plaintext before the tag checks out");
  }

  @Test
  void refusesWhatItCannotDo() {
    Sm4Gcm gcm = new Sm4Gcm(new byte[16]);
    assertThrows(
        IllegalArgumentException.class,
        () -> gcm.encrypt(new byte[16], new byte[0], new byte[1], 0, 1, new byte[17]));
    assertThrows(
        IllegalArgumentException.class,
        () -> gcm.encrypt(new byte[12], new byte[0], new byte[8], 0, 8, new byte[23]));
    assertEquals(-1, gcm.decrypt(new byte[12], new byte[0], new byte[15], 0, 15, new byte[0]));
  }
}
