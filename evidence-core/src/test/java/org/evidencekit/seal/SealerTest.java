package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.evidencekit.NaiveMerkle;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.merkle.MerkleTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealerTest {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;

  @TempDir Path dir;

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Seal sealBytes(Sealer sealer, byte[] data) throws IOException {
    try (SealingChannel ch = sealer.newSealingChannel()) {
      ch.write(ByteBuffer.wrap(data));
      return ch.finish();
    }
  }

  static Sealer sealer(SealSuite suite) {
    return Sealer.builder().suite(suite).segmentSize(SEG).build();
  }

  @Test
  void emptyContentSealsToTheHashOfNothing() throws IOException {
    Seal s = sealBytes(sealer(SealSuite.SHA256_SM3), new byte[0]);
    assertEquals(0, s.length());
    assertEquals(0, s.segmentCount());
    assertEquals(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        s.root(HashAlgorithm.SHA256).hex());
    assertEquals(
        "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b",
        s.root(HashAlgorithm.SM3).hex());
  }

  @Test
  void oneShortSegmentIsTheLeafHash() throws IOException {
    byte[] data = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Seal s = sealBytes(sealer(SealSuite.SHA256), data);
    assertEquals(MerkleTree.leafHash(HashAlgorithm.SHA256, data), s.root(HashAlgorithm.SHA256));
    assertEquals(1, s.segmentCount());
  }

  @Test
  void everyInputFormGivesTheNaiveRoot() throws IOException {
    byte[] data = random(5 * SEG + 1234, 1);
    Path file = dir.resolve("content.bin");
    Files.write(file, data);
    for (SealSuite suite : SealSuite.all()) {
      Sealer sealer = sealer(suite);
      List<Seal> seals = new ArrayList<>();
      seals.add(sealer.seal(file));
      seals.add(sealer.seal(Channels.newChannel(new java.io.ByteArrayInputStream(data))));
      try (java.nio.channels.FileChannel fc = java.nio.channels.FileChannel.open(file)) {
        seals.add(sealer.seal(fc));
        assertEquals(data.length, fc.position(), "a sealed channel is read to its end");
      }
      seals.add(sealBytes(sealer, data));
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      try (SealingOutputStream out = sealer.newSealingOutputStream(copy)) {
        out.write(data, 0, 100);
        out.write(data[100]);
        out.write(data, 101, data.length - 101);
        seals.add(out.finish());
      }
      assertArrayEquals(data, copy.toByteArray(), "the destination receives every byte");
      for (Seal s : seals) {
        assertEquals(data.length, s.length());
        assertEquals(6, s.segmentCount());
        for (HashAlgorithm a : suite.algorithms()) {
          assertArrayEquals(NaiveMerkle.root(a.name(), data, SEG), s.root(a).toByteArray());
          assertEquals(s.root(a), s.computeRoot(a));
        }
      }
    }
  }

  @Test
  void dualSuiteEqualsBothSingleSuites() throws IOException {
    byte[] data = random(3 * SEG + 7, 2);
    Seal dual = sealBytes(sealer(SealSuite.SHA256_SM3), data);
    Seal sha = sealBytes(sealer(SealSuite.SHA256), data);
    Seal sm3 = sealBytes(sealer(SealSuite.SM3), data);
    assertEquals(sha.root(HashAlgorithm.SHA256), dual.root(HashAlgorithm.SHA256));
    assertEquals(sm3.root(HashAlgorithm.SM3), dual.root(HashAlgorithm.SM3));
    assertEquals(sha.leafHashes(HashAlgorithm.SHA256), dual.leafHashes(HashAlgorithm.SHA256));
  }

  @Test
  void aCallersExecutorIsUsedAndNotShutDown() throws IOException {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      byte[] data = random(10 * SEG, 3);
      Sealer s = Sealer.builder().segmentSize(SEG).executor(pool).parallelism(3).build();
      Seal seal = sealBytes(s, data);
      assertArrayEquals(
          NaiveMerkle.root("sha256", data, SEG), seal.root(HashAlgorithm.SHA256).toByteArray());
      assertTrue(!pool.isShutdown());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void checkpointsArePrefixRootsAndConsistentWithTheFinalSeal() throws IOException {
    byte[] data = random(10 * SEG + 5, 4);
    List<Checkpoint> seen = new ArrayList<>();
    Sealer sealer =
        Sealer.builder()
            .segmentSize(SEG)
            .suite(SealSuite.SHA256_SM3)
            .checkpointEvery(3, seen::add)
            .build();
    Seal seal = sealBytes(sealer, data);
    assertEquals(3, seen.size());
    assertEquals(seen, seal.checkpoints());
    for (Checkpoint c : seen) {
      assertEquals(c.segments() * SEG, c.length());
      for (HashAlgorithm a : seal.suite().algorithms()) {
        byte[] prefix = java.util.Arrays.copyOf(data, (int) c.length());
        assertArrayEquals(NaiveMerkle.root(a.name(), prefix, SEG), c.root(a).toByteArray());
        List<Digest> proof = seal.consistencyProof(a, c.segments());
        assertTrue(
            MerkleTree.verifyConsistency(
                a, c.segments(), seal.segmentCount(), c.root(a), seal.root(a), proof));
      }
    }
  }

  @Test
  void aStreamCutOffMidwayStillSealsWhatArrivedConsistentWithItsCheckpoints() throws IOException {
    byte[] data = random(20 * SEG, 5);
    int cut = 7 * SEG + 999;
    List<Checkpoint> seen = new ArrayList<>();
    Sealer sealer = Sealer.builder().segmentSize(SEG).checkpointEvery(2, seen::add).build();
    SealingChannel ch = sealer.newSealingChannel();
    ch.write(ByteBuffer.wrap(data, 0, cut));
    Seal partial = ch.finish();
    assertEquals(cut, partial.length());
    assertEquals(3, seen.size());
    Checkpoint last = seen.get(seen.size() - 1);
    assertTrue(
        MerkleTree.verifyConsistency(
            HashAlgorithm.SHA256,
            last.segments(),
            partial.segmentCount(),
            last.root(HashAlgorithm.SHA256),
            partial.root(HashAlgorithm.SHA256),
            partial.consistencyProof(HashAlgorithm.SHA256, last.segments())));
    assertArrayEquals(
        NaiveMerkle.root("sha256", java.util.Arrays.copyOf(data, cut), SEG),
        partial.root(HashAlgorithm.SHA256).toByteArray());
  }

  @Test
  void resumingFromAPersistedFrontierEqualsSealingInOneGo() throws IOException {
    byte[] data = random(9 * SEG + 77, 6);
    Sealer sealer =
        Sealer.builder()
            .segmentSize(SEG)
            .suite(SealSuite.SHA256_SM3)
            .checkpointEvery(2, c -> {})
            .build();
    Seal whole = sealBytes(sealer, data);

    // first life: write 4.5 segments, persist the frontier, "crash"
    ByteArrayOutputStream stored = new ByteArrayOutputStream();
    SealingChannel first = sealer.newSealingChannel(Channels.newChannel(stored));
    first.write(ByteBuffer.wrap(data, 0, 4 * SEG + SEG / 2));
    byte[] persisted = first.frontier().toJson();
    first.close();

    // second life: read the frontier back, send the content from its length on
    SealFrontier frontier = SealFrontier.parse(persisted);
    assertEquals(4 * SEG, frontier.length());
    assertEquals(2, frontier.checkpoints().size());
    ByteArrayOutputStream rest = new ByteArrayOutputStream();
    SealingChannel second = sealer.resume(frontier, Channels.newChannel(rest));
    second.write(
        ByteBuffer.wrap(data, (int) frontier.length(), data.length - (int) frontier.length()));
    Seal resumed = second.finish();
    assertArrayEquals(whole.toJson(), resumed.toJson());

    // and the file form reads only what is new
    Path file = dir.resolve("f.bin");
    Files.write(file, data);
    assertArrayEquals(whole.toJson(), sealer.resume(frontier, file).toJson());
  }

  @Test
  void resumeRefusesAFrontierOfAnotherConfiguration() throws IOException {
    SealingChannel ch = sealer(SealSuite.SHA256).newSealingChannel();
    ch.write(ByteBuffer.wrap(random(2 * SEG, 1)));
    SealFrontier f = ch.frontier();
    WritableByteChannel sink = Channels.newChannel(new ByteArrayOutputStream());
    assertThrows(IllegalArgumentException.class, () -> sealer(SealSuite.SM3).resume(f, sink));
  }

  @Test
  void segmentSizeMustBeAPowerOfTwoInRange() {
    assertThrows(IllegalArgumentException.class, () -> Sealer.builder().segmentSize(SEG / 2));
    assertThrows(IllegalArgumentException.class, () -> Sealer.builder().segmentSize(SEG + 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> Sealer.builder().segmentSize(Sealer.MAX_SEGMENT_SIZE * 2));
    assertThrows(
        IllegalStateException.class, () -> Sealer.builder().segmentSize(SEG).segmentSize(SEG));
  }

  @Test
  void aFailingDestinationFailsTheChannelForGood() throws IOException {
    WritableByteChannel broken =
        new WritableByteChannel() {
          @Override
          public int write(ByteBuffer src) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public boolean isOpen() {
            return true;
          }

          @Override
          public void close() {}
        };
    SealingChannel ch = Sealer.create().newSealingChannel(broken);
    assertThrows(IOException.class, () -> ch.write(ByteBuffer.wrap(new byte[10])));
    IOException again = assertThrows(IOException.class, ch::finish);
    assertTrue(again.getMessage().contains("disk full"));
  }

  @Test
  void writingAfterFinishIsRefused() throws IOException {
    SealingChannel ch = Sealer.create().newSealingChannel();
    ch.finish();
    assertThrows(
        java.nio.channels.ClosedChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
    ch.close();
    ch.close();
  }

  @Test
  void aFileThatIsMissingIsAnIoError() {
    assertThrows(IOException.class, () -> Sealer.create().seal(dir.resolve("missing")));
  }

  @Test
  void theLengthHintNeverChangesTheSeal() throws IOException {
    byte[] data = new byte[5 * SEG + 17];
    new Random(5).nextBytes(data);
    for (SealSuite suite : SealSuite.all()) {
      Sealer sealer = Sealer.builder().segmentSize(SEG).suite(suite).build();
      Seal expected = sealBytes(sealer, data);
      // right, too small, too large, unknown
      for (long hint : new long[] {data.length, 1, 10L << 30, -1}) {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        Seal seal;
        try (SealingChannel ch = sealer.newSealingChannel(Channels.newChannel(copy), hint)) {
          ch.write(ByteBuffer.wrap(data));
          seal = ch.finish();
        }
        assertArrayEquals(expected.toJson(), seal.toJson(), suite + " hint " + hint);
        assertArrayEquals(data, copy.toByteArray());
        try (SealingChannel ch = sealer.newSealingChannel(hint)) { // no destination
          ch.write(ByteBuffer.wrap(data));
          assertArrayEquals(expected.toJson(), ch.finish().toJson(), suite + " hint " + hint);
        }
      }
      assertThrows(
          IllegalArgumentException.class,
          () -> sealer.newSealingChannel(Channels.newChannel(new ByteArrayOutputStream()), -2));
      assertThrows(IllegalArgumentException.class, () -> sealer.newSealingChannel(-2));
    }
  }
}
