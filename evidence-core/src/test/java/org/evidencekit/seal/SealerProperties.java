package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.evidencekit.NaiveMerkle;
import org.evidencekit.hash.HashAlgorithm;

/** Streaming equals the naive whole-buffer model for any length and any write chunking. */
class SealerProperties {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;

  @Provide
  Arbitrary<SealSuite> suites() {
    return Arbitraries.of(SealSuite.all());
  }

  @Provide
  Arbitrary<List<Integer>> chunks() {
    return Arbitraries.integers().between(1, 3 * SEG).list().ofMinSize(1).ofMaxSize(12);
  }

  @Property(tries = 60)
  void streamingEqualsNaiveForAnyLengthAndChunking(
      @ForAll("suites") SealSuite suite,
      @ForAll @IntRange(min = 0, max = 6 * SEG + 3) int length,
      @ForAll("chunks") List<Integer> chunks,
      @ForAll @IntRange(min = 1, max = 4) int parallelism)
      throws IOException {
    byte[] data = new byte[length];
    new Random(length).nextBytes(data);
    Sealer sealer = Sealer.builder().suite(suite).segmentSize(SEG).parallelism(parallelism).build();
    Seal seal;
    try (SealingChannel ch = sealer.newSealingChannel()) {
      int off = 0;
      int i = 0;
      while (off < length) {
        int n = Math.min(chunks.get(i++ % chunks.size()), length - off);
        ch.write(ByteBuffer.wrap(data, off, n));
        off += n;
      }
      seal = ch.finish();
    }
    assertEquals(length, seal.length());
    for (HashAlgorithm a : suite.algorithms()) {
      assertArrayEquals(NaiveMerkle.root(a.name(), data, SEG), seal.root(a).toByteArray());
    }
    assertArrayEquals(seal.toJson(), Seal.parse(seal.toJson()).toJson());
  }
}
