package org.evidencekit.internal.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.junit.jupiter.api.Test;

/**
 * The SM3 lanes against the GB/T 32905 examples and BouncyCastle's SM3: every lane's chaining value
 * after any number of blocks, from heap and direct buffers, wherever the lanes' blocks sit in the
 * buffer.
 */
class Sm3LanesTest {
  /** Chaining value of BouncyCastle after {@code data[off, off + len)}, through our layout. */
  private static int[] scalarState(byte[] data, int off, int len) {
    Sm3 s = new Sm3();
    s.update(data, off, len);
    int[] st = new int[8];
    s.exportState(st, 1, 0);
    return st;
  }

  private static byte[] bouncyCastle(byte[] data, int off, int len) {
    SM3Digest d = new SM3Digest();
    d.update(data, off, len);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  @Test
  void lanesAreOnInTheTestJvm() {
    // surefire starts the JVM with --add-modules jdk.incubator.vector, as the launcher does
    assertTrue(Sm3Lanes.available(), () -> "lanes off: " + Sm3Lanes.unavailableReason());
    assertTrue(Sm3Lanes.width() >= 4);
    assertEquals(Sm3Lanes.width(), Sm3Lanes.create().lanes());
  }

  /** {@code m} with SM3's padding (0x80, zeros, 64-bit big-endian bit length). */
  private static byte[] padded(byte[] m) {
    int len = ((m.length + 8) / 64 + 1) * 64;
    ByteBuffer b = ByteBuffer.allocate(len).put(m).put((byte) 0x80);
    b.putLong(len - 8, m.length * 8L);
    return b.array();
  }

  @Test
  void gbT32905ExamplesOnTheLanes() {
    // example 1 ("abc", one block) on even lanes, example 2 ("abcd" x 16, two blocks) on odd
    // lanes; the one-block lanes then compress a block of zeros whose result is not read
    byte[] one = padded("abc".getBytes(StandardCharsets.US_ASCII));
    byte[] two = padded("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII));
    assertEquals(64, one.length);
    assertEquals(128, two.length);
    Sm3LaneCompressor c = Sm3Lanes.create();
    int lanes = c.lanes();
    byte[] data = new byte[lanes * 128];
    int[] offsets = new int[lanes];
    int[] state = new int[8 * lanes];
    for (int i = 0; i < lanes; i++) {
      offsets[i] = i * 128;
      System.arraycopy(i % 2 == 0 ? one : two, 0, data, i * 128, i % 2 == 0 ? 64 : 128);
      for (int k = 0; k < 8; k++) {
        state[k * lanes + i] = Sm3.IV[k];
      }
    }
    c.compress(state, ByteBuffer.wrap(data), offsets, 1);
    int[] afterOne = state.clone();
    for (int i = 0; i < lanes; i++) {
      offsets[i] += 64;
    }
    c.compress(state, ByteBuffer.wrap(data), offsets, 1);
    for (int i = 0; i < lanes; i++) {
      int[] st = i % 2 == 0 ? afterOne : state;
      ByteBuffer digest = ByteBuffer.allocate(32);
      for (int k = 0; k < 8; k++) {
        digest.putInt(st[k * lanes + i]);
      }
      assertEquals(
          i % 2 == 0
              ? "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
              : "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
          HexFormat.of().formatHex(digest.array()),
          "lane " + i);
    }
  }

  @Property(tries = 40)
  void everyLaneMatchesTheScalarHashOfItsOwnBlocks(
      @ForAll @IntRange(min = 1, max = 9) int blocks,
      @ForAll @IntRange(min = 0, max = 200) int gap,
      @ForAll boolean direct,
      @ForAll boolean littleEndianView,
      @ForAll long seed) {
    Sm3LaneCompressor c = Sm3Lanes.create();
    int lanes = c.lanes();
    int stride = blocks * 64 + gap;
    byte[] data = new byte[lanes * stride + 7];
    new Random(seed).nextBytes(data);
    int[] offsets = new int[lanes];
    int[] state = new int[8 * lanes];
    for (int i = 0; i < lanes; i++) {
      // lanes in reverse order and off the 4-byte grid: the compressor may assume neither
      offsets[i] = 3 + (lanes - 1 - i) * stride;
      for (int k = 0; k < 8; k++) {
        state[k * lanes + i] = Sm3.IV[k];
      }
    }
    ByteBuffer buf =
        direct ? ByteBuffer.allocateDirect(data.length) : ByteBuffer.allocate(data.length);
    buf.put(data).clear();
    if (littleEndianView) {
      buf.order(ByteOrder.LITTLE_ENDIAN);
    }
    c.compress(state, buf, offsets, blocks);
    assertEquals(0, buf.position(), "the buffer's position is left alone");
    for (int i = 0; i < lanes; i++) {
      int[] expected = scalarState(data, offsets[i], blocks * 64);
      for (int k = 0; k < 8; k++) {
        assertEquals(expected[k], state[k * lanes + i], "lane " + i + " word " + k);
      }
    }
  }

  @Property(tries = 60)
  void exportedStateContinuesInAnotherHasher(
      @ForAll @IntRange(min = 0, max = 6) int blocks,
      @ForAll @IntRange(min = 0, max = 300) int rest,
      @ForAll long seed) {
    byte[] data = new byte[blocks * 64 + rest];
    new Random(seed).nextBytes(data);
    Sm3 first = new Sm3();
    first.update(data, 0, blocks * 64);
    int[] st = new int[8 * 3];
    long n = first.exportState(st, 3, 2);
    assertEquals(blocks * 64L, n);
    Sm3 second = new Sm3();
    second.importState(st, 3, 2, n);
    second.update(data, blocks * 64, rest);
    byte[] out = new byte[32];
    second.finish(out, 0);
    assertArrayEquals(bouncyCastle(data, 0, data.length), out);
  }

  @Test
  void stateMovesOnlyAtBlockBoundaries() {
    Sm3 s = new Sm3();
    s.update(new byte[65], 0, 65);
    assertThrows(IllegalStateException.class, () -> s.exportState(new int[8], 1, 0));
    assertThrows(IllegalArgumentException.class, () -> s.importState(new int[8], 1, 0, 65));
  }

  @Test
  void tooSmallStateIsRefused() {
    Sm3LaneCompressor c = Sm3Lanes.create();
    assertThrows(
        IllegalArgumentException.class,
        () -> c.compress(new int[8], ByteBuffer.allocate(64), new int[c.lanes()], 1));
  }

  /**
   * Only HotSpot's C2 compiles the lanes into vector code; elsewhere they run far slower than
   * scalar SM3 (64 s instead of 1.2 s for 256 MiB with {@code -XX:TieredStopAtLevel=1}), so the
   * probe keeps them off.
   */
  @Test
  void lanesOnlyWhereC2CompilesThem() {
    String hs = "OpenJDK 64-Bit Server VM";
    List<String> none = List.of();
    assertNull(Sm3Lanes.compilerReason(hs, "mixed mode, sharing", false, none));
    assertNull(
        Sm3Lanes.compilerReason("Java HotSpot(TM) 64-Bit Server VM", "mixed mode", false, none));
    assertNull(
        Sm3Lanes.compilerReason(hs, "mixed mode", false, List.of("-XX:TieredStopAtLevel=4")));
    assertNull(Sm3Lanes.compilerReason(hs, "mixed mode", false, List.of("-XX:-TieredCompilation")));
    assertTrue(
        Sm3Lanes.compilerReason(hs, "mixed mode, emulated-client, sharing", false, none)
            .contains("without C2"));
    assertTrue(
        Sm3Lanes.compilerReason(hs, "interpreted mode, sharing", false, none)
            .contains("interpreted"));
    for (String level : List.of("0", "2", "3")) {
      assertTrue(
          Sm3Lanes.compilerReason(
                  hs, "mixed mode", false, List.of("-Xmx1g", "-XX:TieredStopAtLevel=" + level))
              .contains("TieredStopAtLevel=" + level),
          level);
    }
    // the last setting wins, as in the JVM (option variables first, then the command line)
    assertNull(
        Sm3Lanes.compilerReason(
            hs,
            "mixed mode",
            false,
            List.of("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4")));
    assertTrue(Sm3Lanes.compilerReason(hs, "mixed mode", true, none).contains("JVMCI"));
    assertTrue(
        Sm3Lanes.compilerReason("Eclipse OpenJ9 VM", "JRE 17", false, none).contains("OpenJ9"));
  }

  /** A setting in a java launcher argument file ({@code java @flags ...}) is seen too. */
  @Test
  void argumentFilesAreLookedInto(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path flags =
        java.nio.file.Files.writeString(
            dir.resolve("flags"), "-Xmx1g\n  -XX:TieredStopAtLevel=2\n");
    List<String> expanded =
        Sm3Lanes.expandArgumentFiles(List.of("java", "@" + flags, "-jar", "x.jar", "@missing"));
    assertEquals(
        List.of("java", "-Xmx1g", "-XX:TieredStopAtLevel=2", "-jar", "x.jar", "@missing"),
        expanded);
    assertTrue(
        Sm3Lanes.compilerReason("OpenJDK 64-Bit Server VM", "mixed mode", false, expanded)
            .contains("TieredStopAtLevel=2"));
    assertEquals(List.of("@@literal"), Sm3Lanes.expandArgumentFiles(List.of("@@literal")));
  }
}
