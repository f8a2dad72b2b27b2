package org.evidencekit.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** Known-answer tests for the primitives under the segment ciphers. */
class CipherVectorsTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void aes256GcmMatchesTheGcmSpecificationTestCase14() throws Exception {
    // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 14 (NIST-submitted).
    SegmentCipher c = SegmentCipher.of(AeadSuite.AES_256_GCM, new byte[32]);
    byte[] out = new byte[32];
    int n = c.encrypt(new byte[12], new byte[0], new byte[16], 0, 16, out);
    assertEquals(32, n);
    assertArrayEquals(
        hex("cea7403d4d606b6e074ec5d3baf39d18 d0d1c8a799996bf0265b98b5d48ab919"), out);
    byte[] back = new byte[32];
    assertEquals(16, c.decrypt(new byte[12], new byte[0], out, 0, 32, back));
  }

  @Test
  void sm4MatchesGbT32907Example1() {
    SM4Engine e = new SM4Engine();
    e.init(true, new KeyParameter(hex("0123456789abcdeffedcba9876543210")));
    byte[] out = new byte[16];
    e.processBlock(hex("0123456789abcdeffedcba9876543210"), 0, out, 0);
    assertArrayEquals(hex("681edf34d206965e86b3e94f536e4246"), out);
  }

  @Test
  void sm4GcmMatchesRfc8998AppendixA1() throws Exception {
    SegmentCipher c = SegmentCipher.of(AeadSuite.SM4_GCM, hex("0123456789ABCDEFFEDCBA9876543210"));
    byte[] pt =
        hex(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
                + "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFF EEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
    byte[] out = new byte[pt.length + 16];
    c.encrypt(
        hex("00001234567800000000ABCD"),
        hex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2"),
        pt,
        0,
        pt.length,
        out);
    assertArrayEquals(
        hex(
            "17F399F08C67D5EE19D0DC9969C4BB7D 5FD46FD3756489069157B282BB200735"
                + "D82710CA5C22F0CCFA7CBF93D496AC15 A56834CBCF98C397B4024A2691233B8D"
                + "83DE3541E4C2B58177E065A9BF7B62EC"),
        out);
  }
}
