package org.evidencekit.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.DataLengthException;
import org.bouncycastle.crypto.OutputLengthException;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** Our SM4 against GB/T 32907-2016's examples and against BouncyCastle's engine. */
class Sm4EngineTest {
  private static final byte[] KEY = HexFormat.of().parseHex("0123456789abcdeffedcba9876543210");

  private static Sm4Engine engine(boolean encrypt, byte[] key) {
    Sm4Engine e = new Sm4Engine();
    e.init(encrypt, new KeyParameter(key));
    return e;
  }

  @Test
  void gbT32907Example1EncryptsAndDecrypts() {
    byte[] out = new byte[16];
    engine(true, KEY).processBlock(KEY, 0, out, 0);
    assertArrayEquals(HexFormat.of().parseHex("681edf34d206965e86b3e94f536e4246"), out);
    byte[] back = new byte[16];
    engine(false, KEY).processBlock(out, 0, back, 0);
    assertArrayEquals(KEY, back);
  }

  /** The standard's second example: the same block encrypted one million times in a row. */
  @Test
  void gbT32907Example2AMillionTimes() {
    Sm4Engine e = engine(true, KEY);
    byte[] b = KEY.clone();
    for (int i = 0; i < 1_000_000; i++) {
      e.processBlock(b, 0, b, 0); // in place, as GCM may use it
    }
    assertArrayEquals(HexFormat.of().parseHex("595298c7c6fd271f0402f804c33d3f66"), b);
  }

  @Property(tries = 300)
  void matchesBouncyCastleBothWays(
      @ForAll @Size(16) byte[] key, @ForAll @Size(48) byte[] data, @ForAll boolean encrypt) {
    SM4Engine bc = new SM4Engine();
    bc.init(encrypt, new KeyParameter(key));
    Sm4Engine ours = engine(encrypt, key);
    byte[] expected = new byte[48];
    byte[] actual = new byte[48 + 3];
    for (int off = 0; off < 48; off += 16) {
      bc.processBlock(data, off, expected, off);
      ours.processBlock(data, off, actual, off + 3); // any offsets
    }
    assertArrayEquals(expected, java.util.Arrays.copyOfRange(actual, 3, 51));
  }

  /** Four interleaved counter blocks are four single blocks, the counter wrapping mod 2^32. */
  @Property(tries = 200)
  void counterBlocksAreFourSingleBlocks(
      @ForAll @Size(16) byte[] key,
      @ForAll int n0,
      @ForAll int n1,
      @ForAll int n2,
      @ForAll int ctr) {
    Sm4Engine e = engine(true, key);
    byte[] ks = new byte[64];
    e.counterBlocks(n0, n1, n2, ctr, ks);
    for (int i = 0; i < 4; i++) {
      byte[] block =
          java.nio.ByteBuffer.allocate(16).putInt(n0).putInt(n1).putInt(n2).putInt(ctr + i).array();
      byte[] one = new byte[16];
      e.processBlock(block, 0, one, 0);
      assertArrayEquals(one, java.util.Arrays.copyOfRange(ks, 16 * i, 16 * i + 16), "block " + i);
    }
  }

  @Test
  void counterBlocksWrapAtTheTopOfTheCounter() {
    Sm4Engine e = engine(true, KEY);
    byte[] ks = new byte[64];
    e.counterBlocks(1, 2, 3, -2, ks); // 0xfffffffe, 0xffffffff, 0, 1
    byte[] zero = java.nio.ByteBuffer.allocate(16).putInt(1).putInt(2).putInt(3).putInt(0).array();
    byte[] one = new byte[16];
    e.processBlock(zero, 0, one, 0);
    assertArrayEquals(one, java.util.Arrays.copyOfRange(ks, 32, 48));
  }

  @Test
  void refusesBadKeysAndShortBuffers() {
    Sm4Engine e = new Sm4Engine();
    assertThrows(
        IllegalStateException.class, () -> e.processBlock(new byte[16], 0, new byte[16], 0));
    assertThrows(
        IllegalArgumentException.class, () -> e.init(true, new KeyParameter(new byte[32])));
    assertThrows(IllegalArgumentException.class, () -> e.init(true, null));
    e.init(true, new KeyParameter(KEY));
    assertThrows(DataLengthException.class, () -> e.processBlock(new byte[20], 5, new byte[16], 0));
    assertThrows(
        OutputLengthException.class, () -> e.processBlock(new byte[16], 0, new byte[15], 0));
    assertThrows(
        DataLengthException.class, () -> e.processBlock(new byte[16], -1, new byte[16], 0));
  }
}
