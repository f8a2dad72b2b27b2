package org.evidencekit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.evidencekit.InMemoryChannel;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;

/** Tamper properties over random content, positions and lengths. */
class VerifierProperties {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;
  private final Verifier verifier = Verifier.builder().parallelism(2).build();

  private static byte[] content(int length) {
    byte[] b = new byte[length];
    new Random(length * 31L).nextBytes(b);
    return b;
  }

  private static Seal seal(byte[] data) throws IOException {
    try (SealingChannel ch =
        Sealer.builder().suite(SealSuite.SHA256).segmentSize(SEG).build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(data));
      return ch.finish();
    }
  }

  private VerificationReport verify(byte[] content, Seal seal) throws IOException {
    return verifier.verify(Channels.newChannel(new ByteArrayInputStream(content)), seal);
  }

  @Property(tries = 40)
  void anySingleBitFlipIsTamperedAndLocated(
      @ForAll @IntRange(min = 1, max = 5 * SEG) int length,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int where,
      @ForAll @IntRange(min = 0, max = 7) int bit)
      throws IOException {
    byte[] data = content(length);
    Seal seal = seal(data);
    int off = where % length;
    data[off] ^= (byte) (1 << bit);
    VerificationReport r = verify(data, seal);
    assertEquals(Verdict.TAMPERED, r.verdict());
    assertEquals(1, r.tamperedRanges().size());
    ByteRange range = r.tamperedRanges().get(0);
    assertTrue(range.offset() <= off && off < range.end(), range + " holds " + off);
    assertEquals(seal.segmentRange(off / SEG), range);
  }

  @Property(tries = 40)
  void anyRangeOfIntactContentVerifiesAlone(
      @ForAll @IntRange(min = 1, max = 5 * SEG) int length,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int a,
      @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int b)
      throws IOException {
    byte[] data = content(length);
    Seal seal = seal(data);
    int off = a % length;
    int len = 1 + b % (length - off);
    try (SeekableByteChannel ch = new InMemoryChannel(data)) {
      assertEquals(
          Verdict.INTACT, verifier.verifyRange(ch, seal, new ByteRange(off, len)).verdict());
    }
  }

  @Property(tries = 40)
  void anyTruncationOrExtensionIsNamed(
      @ForAll @IntRange(min = 1, max = 4 * SEG) int length,
      @ForAll @IntRange(min = -4 * SEG, max = 4 * SEG) int delta)
      throws IOException {
    byte[] data = content(length);
    Seal seal = seal(data);
    int newLength = Math.max(0, length + delta);
    VerificationReport r = verify(Arrays.copyOf(data, newLength), seal);
    if (newLength == length) {
      assertEquals(Verdict.INTACT, r.verdict());
    } else {
      assertEquals(Verdict.TAMPERED, r.verdict());
      assertTrue(
          r.has(newLength < length ? FindingCode.CONTENT_TRUNCATED : FindingCode.CONTENT_EXTENDED));
      ByteRange last = r.tamperedRanges().get(r.tamperedRanges().size() - 1);
      assertEquals(Math.max(length, newLength), last.end());
    }
  }

  @Property(tries = 30)
  void anySwapOfTwoDifferentSegmentsIsFoundAsMoved(
      @ForAll @IntRange(min = 2, max = 8) int segments,
      @ForAll @IntRange(min = 0, max = 100) int i,
      @ForAll @IntRange(min = 0, max = 100) int j)
      throws IOException {
    int x = i % segments;
    int y = j % segments;
    if (x == y) {
      return;
    }
    byte[] data = content(segments * SEG);
    Seal seal = seal(data);
    byte[] t = data.clone();
    System.arraycopy(data, x * SEG, t, y * SEG, SEG);
    System.arraycopy(data, y * SEG, t, x * SEG, SEG);
    VerificationReport r = verify(t, seal);
    assertEquals(2, r.findings(FindingCode.SEGMENT_MOVED).size());
    List<ByteRange> expected =
        Math.abs(x - y) == 1
            ? List.of(new ByteRange(Math.min(x, y) * (long) SEG, 2L * SEG))
            : List.of(
                new ByteRange(Math.min(x, y) * (long) SEG, SEG),
                new ByteRange(Math.max(x, y) * (long) SEG, SEG));
    assertEquals(expected, r.tamperedRanges());
  }
}
