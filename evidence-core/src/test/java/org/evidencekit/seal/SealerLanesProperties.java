package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.evidencekit.NaiveMerkle;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.hash.Sm3Lanes;
import org.evidencekit.internal.seal.LanePolicy;
import org.evidencekit.internal.seal.SegmentPipeline;
import org.evidencekit.verify.Verifier;

/**
 * File sealing with SM3 lanes: batches of segments hashed together give exactly the naive model's
 * leaves, from files and from streams, for every batch shape (full, partial, a short last segment,
 * segments too short for lanes), every parallelism, both SM3 suites; verification on lanes locates
 * changes.
 */
class SealerLanesProperties {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;
  static final int W = Sm3Lanes.width();

  @BeforeContainer
  static void warmTheLanes() {
    // small files go on the lanes only once they are compiled (COLD_LANES_MIN_BYTES)
    Sm3Lanes.warmUp();
    assertTrue(Sm3Lanes.warm());
  }

  private static Path file(byte[] data) throws IOException {
    Path f = Files.createTempFile("lanes", ".bin");
    f.toFile().deleteOnExit();
    Files.write(f, data);
    return f;
  }

  private static void assertSealMatchesNaive(SealSuite suite, int segment, int length, int par)
      throws IOException {
    assertSealMatchesNaive(suite, segment, length, par, false);
    assertSealMatchesNaive(suite, segment, length, par, true);
  }

  /** Sealing a file (file batches) or a stream of the same bytes (pushed batches). */
  private static void assertSealMatchesNaive(
      SealSuite suite, int segment, int length, int par, boolean pushed) throws IOException {
    byte[] data = new byte[length];
    new Random(length * 31L + segment).nextBytes(data);
    Path f = file(data);
    try {
      Sealer sealer = Sealer.builder().suite(suite).segmentSize(segment).parallelism(par).build();
      Seal seal =
          pushed
              ? sealer.seal(Channels.newChannel(new ByteArrayInputStream(data)))
              : sealer.seal(f);
      assertEquals(length, seal.length());
      for (HashAlgorithm a : suite.algorithms()) {
        List<byte[]> leaves = NaiveMerkle.segmentLeaves(a.name(), data, segment);
        assertEquals(leaves.size(), seal.segmentCount());
        for (int i = 0; i < leaves.size(); i++) {
          assertArrayEquals(
              leaves.get(i), seal.leafHash(a, i).toByteArray(), a + " leaf " + i + " of " + length);
        }
        assertArrayEquals(NaiveMerkle.mth(a.name(), leaves), seal.root(a).toByteArray());
      }
    } finally {
      Files.delete(f);
    }
  }

  @Example
  void pipelinesWithSm3UseTheLanes() throws IOException {
    try (SegmentPipeline p =
        new SegmentPipeline(
            SealSuite.SHA256_SM3.algorithms(),
            null,
            2,
            false,
            1 << 20,
            0,
            -1,
            LanePolicy.shared(),
            (i, n, l) -> {})) {
      assertEquals(W, p.laneWidth(), "pushed 1 MiB segments fit in the test heap");
    }
    try (SegmentPipeline p =
        new SegmentPipeline(
            SealSuite.SM3.algorithms(),
            null,
            2,
            true,
            SEG,
            0,
            -1,
            LanePolicy.shared(),
            (i, n, l) -> {})) {
      assertEquals(W, p.laneWidth());
      assertTrue(W >= 4, "lanes are on in the test JVM: " + Sm3Lanes.unavailableReason());
    }
    try (SegmentPipeline p =
        new SegmentPipeline(
            SealSuite.SHA256.algorithms(),
            null,
            2,
            true,
            SEG,
            0,
            -1,
            LanePolicy.shared(),
            (i, n, l) -> {})) {
      assertEquals(0, p.laneWidth(), "SHA-256 alone has no lanes");
    }
    try (SegmentPipeline p =
        new SegmentPipeline(
            SealSuite.SM3.algorithms(),
            null,
            2,
            true,
            SEG,
            0,
            1000,
            LanePolicy.shared(),
            (i, n, l) -> {})) {
      assertEquals(W, p.laneWidth(), "once warm, small runs use the lanes too");
    }
  }

  /** A sealer's or verifier's own lane budget changes where SM3 runs, never the seal. */
  @Example
  void aLaneBudgetOfItsOwnSealsAndVerifiesTheSame() throws IOException {
    byte[] data = new byte[3 * SEG + 17];
    new Random(5).nextBytes(data);
    Seal shared =
        Sealer.builder()
            .suite(SealSuite.SHA256_SM3)
            .segmentSize(SEG)
            .build()
            .seal(Channels.newChannel(new ByteArrayInputStream(data)));
    for (long budget : new long[] {0, 1, LanePolicy.COLD_LANES_MIN_BYTES}) {
      Seal own =
          Sealer.builder()
              .suite(SealSuite.SHA256_SM3)
              .segmentSize(SEG)
              .sm3ColdLaneBudget(budget)
              .build()
              .seal(Channels.newChannel(new ByteArrayInputStream(data)));
      assertEquals(shared.roots(), own.roots());
      assertTrue(
          Verifier.builder()
              .sm3ColdLaneBudget(budget)
              .build()
              .verify(Channels.newChannel(new ByteArrayInputStream(data)), own)
              .isIntact());
    }
    assertThrows(
        IllegalStateException.class,
        () -> Sealer.builder().sm3ColdLaneBudget(0).sm3ColdLaneBudget(0));
    assertThrows(
        IllegalStateException.class,
        () -> Verifier.builder().sm3ColdLaneBudget(0).sm3ColdLaneBudget(0));
    assertThrows(IllegalArgumentException.class, () -> Sealer.builder().sm3ColdLaneBudget(-1));
  }

  @Example
  void batchesEndAtCheckpointsSoLiveUploadsAreNotHeldBack() throws IOException {
    AtomicInteger tasks = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Executor counting =
        r -> {
          tasks.incrementAndGet();
          pool.execute(r);
        };
    List<Long> delivered = new ArrayList<>();
    try {
      for (int every : new int[] {0, 4}) {
        tasks.set(0);
        try (SegmentPipeline p =
            new SegmentPipeline(
                SealSuite.SM3.algorithms(),
                counting,
                2,
                false,
                SEG,
                0,
                -1,
                LanePolicy.shared(),
                (i, n, l) -> delivered.add(i))) {
          p.endBatchesEvery(every);
          for (int i = 0; i < 4; i++) {
            SegmentPipeline.Workspace ws = p.acquire();
            p.submitBuffered(ws, SEG);
          }
          assertEquals(
              every == 0 ? 0 : 1, tasks.get(), "tasks started before drain, every=" + every);
          p.drain();
          assertEquals(1, tasks.get());
        }
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(List.of(0L, 1L, 2L, 3L, 0L, 1L, 2L, 3L), delivered);
  }

  @Example
  void checkpointsFromLaneBatchesMatchTheNaiveTree() throws IOException {
    byte[] data = new byte[(2 * W + 3) * SEG + 99];
    new Random(11).nextBytes(data);
    List<Checkpoint> seen = new ArrayList<>();
    Sealer sealer =
        Sealer.builder()
            .suite(SealSuite.SM3)
            .segmentSize(SEG)
            .checkpointEvery(5, seen::add)
            .build();
    Seal seal;
    try (SealingChannel ch = sealer.newSealingChannel()) {
      ch.write(ByteBuffer.wrap(data));
      seal = ch.finish();
    }
    assertEquals((2 * W + 3) / 5, seen.size());
    List<byte[]> leaves = NaiveMerkle.segmentLeaves("sm3", data, SEG);
    for (Checkpoint c : seen) {
      int n = (int) c.segments();
      assertArrayEquals(
          NaiveMerkle.mth("sm3", leaves.subList(0, n)),
          c.root(HashAlgorithm.SM3).toByteArray(),
          "checkpoint at " + n);
    }
    assertArrayEquals(NaiveMerkle.mth("sm3", leaves), seal.root(HashAlgorithm.SM3).toByteArray());
  }

  @Example
  void everyBatchShape() throws IOException {
    int[] segmentCounts = {1, W / 4 - 1, W / 4, W - 1, W, W + 1, 2 * W + W / 4};
    int[] tails = {0, 1, 62, 63, 64, 126, 127, 128, SEG - 1};
    for (SealSuite suite : List.of(SealSuite.SM3, SealSuite.SHA256_SM3)) {
      for (int n : segmentCounts) {
        for (int tail : tails) {
          int length = Math.max(0, n - 1) * SEG + (tail == 0 ? SEG : tail);
          assertSealMatchesNaive(suite, SEG, length, 2);
        }
      }
    }
  }

  @Example
  void tinyFilesHaveNoWholeBlockForTheLanes() throws IOException {
    for (int length : new int[] {0, 1, 63, 64, 126, 127, 128, 191, 192}) {
      assertSealMatchesNaive(SealSuite.SHA256_SM3, SEG, length, 1);
    }
  }

  @Property(tries = 25)
  void anyLengthAnyParallelism(
      @ForAll @IntRange(min = 0, max = 3 * 16 + 2) int segments,
      @ForAll @IntRange(min = 0, max = SEG) int extra,
      @ForAll @IntRange(min = 1, max = 4) int parallelism,
      @ForAll boolean dual)
      throws IOException {
    assertSealMatchesNaive(
        dual ? SealSuite.SHA256_SM3 : SealSuite.SM3, SEG, segments * SEG + extra, parallelism);
  }

  @Example
  void largerSegmentsGoThroughTheLanesInSeveralChunks() throws IOException {
    // 1 MiB segments take 32 chunk reads per lane
    assertSealMatchesNaive(SealSuite.SM3, 1 << 20, (W + 2) * (1 << 20) + 12345, 2);
  }

  @Example
  void verificationOnTheLanesLocatesAChange() throws IOException {
    int segments = 2 * W + 3;
    byte[] data = new byte[segments * SEG - 5];
    new Random(7).nextBytes(data);
    Path f = file(data);
    try {
      Seal seal = Sealer.builder().suite(SealSuite.SM3).segmentSize(SEG).build().seal(f);
      assertTrue(Verifier.create().verify(f, seal).isIntact());
      int victim = W + 1;
      data[victim * SEG + 777] ^= 0x20;
      Files.write(f, data);
      var report = Verifier.create().verify(f, seal);
      assertEquals(List.of(seal.segmentRange(victim)), report.tamperedRanges());
      try (var in = Channels.newChannel(new ByteArrayInputStream(data))) {
        assertEquals(
            List.of(seal.segmentRange(victim)),
            Verifier.create().verify(in, seal).tamperedRanges(),
            "the same from a stream");
      }
    } finally {
      Files.delete(f);
    }
  }
}
