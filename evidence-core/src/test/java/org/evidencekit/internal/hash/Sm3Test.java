package org.evidencekit.internal.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.Test;

/** Our SM3 against GB/T 32905 and against BouncyCastle for every length and every split. */
class Sm3Test {
  private static String hex(Hasher h) {
    byte[] out = new byte[32];
    h.finish(out, 0);
    return HexFormat.of().formatHex(out);
  }

  private static byte[] bouncyCastle(byte[] data) {
    SM3Digest d = new SM3Digest();
    d.update(data, 0, data.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  @Test
  void gbT32905ExampleOne() {
    Sm3 h = new Sm3();
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    h.update(abc, 0, 3);
    assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", hex(h));
  }

  @Test
  void gbT32905ExampleTwo() {
    Sm3 h = new Sm3();
    byte[] m = "abcd".repeat(16).getBytes(StandardCharsets.US_ASCII);
    h.update(m, 0, m.length);
    assertEquals("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732", hex(h));
  }

  @Test
  void emptyInputAndReuseAfterFinish() {
    Sm3 h = new Sm3();
    assertEquals("1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b", hex(h));
    h.update((byte) 'a');
    h.update("bc".getBytes(StandardCharsets.US_ASCII), 0, 2);
    assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", hex(h));
    h.update("abc".getBytes(StandardCharsets.US_ASCII), 0, 3);
    h.reset();
    assertEquals("1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b", hex(h));
  }

  @Test
  void everyLengthAroundTheBlockAndPaddingBoundaries() {
    Random r = new Random(5);
    for (int n = 0; n <= 300; n++) {
      byte[] data = new byte[n];
      r.nextBytes(data);
      Sm3 h = new Sm3();
      h.update(data, 0, n);
      byte[] out = new byte[32];
      h.finish(out, 0);
      assertArrayEquals(bouncyCastle(data), out, "length " + n);
    }
  }

  @Test
  void directAndHeapBuffersAgree() {
    byte[] data = new byte[100_000];
    new Random(9).nextBytes(data);
    ByteBuffer direct = ByteBuffer.allocateDirect(data.length);
    direct.put(data).flip();
    Sm3 h = new Sm3();
    h.update(direct);
    byte[] out = new byte[32];
    h.finish(out, 0);
    assertArrayEquals(bouncyCastle(data), out);
    h.update(ByteBuffer.wrap(data, 10, 500));
    h.finish(out, 0);
    assertArrayEquals(bouncyCastle(java.util.Arrays.copyOfRange(data, 10, 510)), out);
  }

  @Test
  void outOfBoundsArgumentsAreRefused() {
    Sm3 h = new Sm3();
    assertThrows(IndexOutOfBoundsException.class, () -> h.update(new byte[4], 2, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> h.update(new byte[4], -1, 1));
  }

  @Provide
  Arbitrary<List<Integer>> splits() {
    return Arbitraries.integers().between(0, 200).list().ofMaxSize(20);
  }

  @Property(tries = 300)
  void equalsBouncyCastleForAnyInputAndAnySplit(
      @ForAll @IntRange(min = 0, max = 5000) int length, @ForAll("splits") List<Integer> splits) {
    byte[] data = new byte[length];
    new Random(length * 7L + splits.size()).nextBytes(data);
    Sm3 h = new Sm3();
    int off = 0;
    for (int s : splits) {
      int n = Math.min(s, length - off);
      if (n == 1) {
        h.update(data[off]);
      } else {
        h.update(data, off, n);
      }
      off += n;
    }
    h.update(data, off, length - off);
    byte[] out = new byte[32];
    h.finish(out, 0);
    assertArrayEquals(bouncyCastle(data), out);
  }
}
