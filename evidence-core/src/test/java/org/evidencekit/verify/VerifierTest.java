package org.evidencekit.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.ByteRange;
import org.evidencekit.seal.RangeProof;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tamper matrix: every kind of change is TAMPERED (or INCONCLUSIVE) and located. */
class VerifierTest {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;
  static final int LEN = 8 * SEG + 1000;

  @TempDir Path dir;

  private final byte[] data = random(LEN, 11);
  private final Seal seal = seal(data, SealSuite.SHA256_SM3);
  private final Verifier verifier = Verifier.create();

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static Seal seal(byte[] data, SealSuite suite) {
    try (SealingChannel ch =
        Sealer.builder()
            .suite(suite)
            .segmentSize(SEG)
            .checkpointEvery(3, c -> {})
            .build()
            .newSealingChannel()) {
      ch.write(ByteBuffer.wrap(data));
      return ch.finish();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Verifies through both the file path and the plain channel path; they must agree. */
  private VerificationReport verify(byte[] content, Seal s) throws IOException {
    Path f = dir.resolve("c" + System.nanoTime());
    Files.write(f, content);
    VerificationReport viaFile = verifier.verify(f, s);
    VerificationReport viaChannel =
        verifier.verify(Channels.newChannel(new ByteArrayInputStream(content)), s);
    assertEquals(viaFile.toString(), viaChannel.toString());
    return viaFile;
  }

  @Test
  void untouchedContentIsIntact() throws IOException {
    VerificationReport r = verify(data, seal);
    assertEquals(Verdict.INTACT, r.verdict());
    assertTrue(r.findings().isEmpty());
    assertTrue(r.tamperedRanges().isEmpty());
  }

  @Test
  void everySingleBitFlipIsLocatedToItsSegment() throws IOException {
    for (int off : new int[] {0, 1, SEG - 1, SEG, 3 * SEG + 17, LEN - 1}) {
      byte[] t = data.clone();
      t[off] ^= 0x10;
      VerificationReport r = verify(t, seal);
      assertEquals(Verdict.TAMPERED, r.verdict(), "offset " + off);
      int seg = off / SEG;
      assertEquals(List.of(seal.segmentRange(seg)), r.tamperedRanges(), "offset " + off);
      assertTrue(r.has(FindingCode.SEGMENT_MODIFIED));
    }
  }

  @Test
  void adjacentModifiedSegmentsMergeIntoOneRange() throws IOException {
    byte[] t = data.clone();
    t[2 * SEG + 5] ^= 1;
    t[3 * SEG + 5] ^= 1;
    t[6 * SEG] ^= 1;
    VerificationReport r = verify(t, seal);
    assertEquals(
        List.of(new ByteRange(2 * SEG, 2 * SEG), new ByteRange(6 * SEG, SEG)), r.tamperedRanges());
  }

  @Test
  void truncationAtEveryKindOfBoundaryIsNamed() throws IOException {
    for (int cut : new int[] {0, 1, SEG, 4 * SEG, 4 * SEG + 10, LEN - 1}) {
      VerificationReport r = verify(Arrays.copyOf(data, cut), seal);
      assertEquals(Verdict.TAMPERED, r.verdict(), "cut " + cut);
      assertTrue(r.has(FindingCode.CONTENT_TRUNCATED), "cut " + cut);
      long wholeEnd = (long) cut / SEG * SEG;
      assertEquals(
          List.of(new ByteRange(wholeEnd, LEN - wholeEnd)), r.tamperedRanges(), "cut " + cut);
    }
  }

  @Test
  void appendedBytesAreNamedAsSuch() throws IOException {
    byte[] t = Arrays.copyOf(data, LEN + 33);
    VerificationReport r = verify(t, seal);
    assertEquals(Verdict.TAMPERED, r.verdict());
    assertTrue(r.has(FindingCode.CONTENT_EXTENDED));
    assertEquals(List.of(new ByteRange(LEN, 33)), r.tamperedRanges());
  }

  @Test
  void swappedSegmentsAreFoundAsMoved() throws IOException {
    byte[] t = data.clone();
    System.arraycopy(data, 1 * SEG, t, 5 * SEG, SEG);
    System.arraycopy(data, 5 * SEG, t, 1 * SEG, SEG);
    VerificationReport r = verify(t, seal);
    assertEquals(Verdict.TAMPERED, r.verdict());
    assertEquals(2, r.findings(FindingCode.SEGMENT_MOVED).size());
    assertEquals(List.of(new ByteRange(SEG, SEG), new ByteRange(5 * SEG, SEG)), r.tamperedRanges());
  }

  @Test
  void aDuplicatedSegmentIsFoundAsMoved() throws IOException {
    byte[] t = data.clone();
    System.arraycopy(data, 2 * SEG, t, 3 * SEG, SEG);
    VerificationReport r = verify(t, seal);
    assertEquals(List.of(new ByteRange(3 * SEG, SEG)), r.tamperedRanges());
    assertTrue(r.findings(FindingCode.SEGMENT_MOVED).get(0).message().contains("segment 2"));
  }

  @Test
  void aDroppedSegmentShiftsEverythingAfterIt() throws IOException {
    byte[] t = new byte[LEN - SEG];
    System.arraycopy(data, 0, t, 0, 2 * SEG);
    System.arraycopy(data, 3 * SEG, t, 2 * SEG, LEN - 3 * SEG);
    VerificationReport r = verify(t, seal);
    assertEquals(Verdict.TAMPERED, r.verdict());
    assertTrue(r.has(FindingCode.SEGMENT_MOVED));
    assertTrue(r.has(FindingCode.CONTENT_TRUNCATED));
    assertEquals(2 * SEG, r.tamperedRanges().get(0).offset());
  }

  @Test
  void aSealForOtherContentSaysSo() throws IOException {
    VerificationReport r = verify(random(LEN, 99), seal);
    assertEquals(Verdict.TAMPERED, r.verdict());
    assertEquals(FindingCode.SEAL_NOT_FOR_CONTENT, r.findings().get(0).code());
  }

  @Test
  void aSealWhoseLeavesWereRewrittenIsInconclusive() throws IOException {
    // an attacker edits a segment and rewrites that leaf in the seal, but cannot change the root
    byte[] t = data.clone();
    t[4 * SEG] ^= 1;
    Seal forged = seal(t, SealSuite.SHA256_SM3);
    String json = new String(forged.toJson(), java.nio.charset.StandardCharsets.UTF_8);
    for (HashAlgorithm a : seal.suite().algorithms()) {
      json = json.replace(forged.root(a).hex(), seal.root(a).hex());
    }
    Seal withOriginalRoots = Seal.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    VerificationReport r = verify(t, withOriginalRoots);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertTrue(r.has(FindingCode.SEAL_ROOT_MISMATCH));
  }

  @Test
  void aForgedCheckpointIsInconclusive() throws IOException {
    Seal other = seal(random(LEN, 5), SealSuite.SHA256_SM3);
    String json = new String(seal.toJson(), java.nio.charset.StandardCharsets.UTF_8);
    String cpRoot = seal.checkpoints().get(0).root(HashAlgorithm.SHA256).hex();
    String otherRoot = other.checkpoints().get(0).root(HashAlgorithm.SHA256).hex();
    Seal forged =
        Seal.parse(
            json.replace(cpRoot, otherRoot).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    VerificationReport r = verify(data, forged);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertTrue(r.has(FindingCode.CHECKPOINT_MISMATCH));
    // the range check judged the content against the same altered seal (INTACT)
    try (SeekableByteChannel ch = channelOf(data)) {
      VerificationReport range = verifier.verifyRange(ch, forged, new ByteRange(SEG + 10, 100));
      assertEquals(Verdict.INCONCLUSIVE, range.verdict(), range.findings().toString());
      assertTrue(range.has(FindingCode.CHECKPOINT_MISMATCH), range.findings().toString());
    }
  }

  @Test
  void emptyContentAgainstAnEmptySeal() throws IOException {
    Seal empty = seal(new byte[0], SealSuite.SHA256);
    assertEquals(Verdict.INTACT, verify(new byte[0], empty).verdict());
    VerificationReport r = verify(new byte[] {1}, empty);
    assertEquals(List.of(new ByteRange(0, 1)), r.tamperedRanges());
    assertTrue(r.has(FindingCode.CONTENT_EXTENDED));
  }

  // ------------------------------------------------------------------ ranges

  private SeekableByteChannel channelOf(byte[] content) throws IOException {
    Path f = dir.resolve("r" + System.nanoTime());
    Files.write(f, content);
    return Files.newByteChannel(f);
  }

  @Test
  void aRangeVerifiesAloneEvenWhenOtherSegmentsWereTampered() throws IOException {
    byte[] t = data.clone();
    t[7 * SEG] ^= 1;
    try (SeekableByteChannel ch = channelOf(t)) {
      VerificationReport ok = verifier.verifyRange(ch, seal, new ByteRange(SEG + 10, 2 * SEG));
      assertEquals(Verdict.INTACT, ok.verdict());
      VerificationReport bad = verifier.verifyRange(ch, seal, new ByteRange(7 * SEG + 100, 5));
      assertEquals(Verdict.TAMPERED, bad.verdict());
      assertEquals(List.of(new ByteRange(7 * SEG, SEG)), bad.tamperedRanges());
    }
  }

  @Test
  void aRangeBeyondTruncatedContentIsTruncated() throws IOException {
    try (SeekableByteChannel ch = channelOf(Arrays.copyOf(data, 3 * SEG + 5))) {
      VerificationReport r = verifier.verifyRange(ch, seal, new ByteRange(2 * SEG, 2 * SEG));
      assertEquals(Verdict.TAMPERED, r.verdict());
      assertTrue(r.has(FindingCode.CONTENT_TRUNCATED));
    }
  }

  @Test
  void aRangeProofTravelsAsJsonAndChecksWithOnlyTheCoveredBytesAndTheRoot() throws IOException {
    RangeProof proof = seal.proveRange(new ByteRange(2 * SEG + 3, SEG));
    RangeProof back = RangeProof.parse(proof.toJson());
    assertArrayEquals(proof.toJson(), back.toJson());
    ByteRange covered = back.coveredRange();
    assertEquals(new ByteRange(2 * SEG, 2 * SEG), covered);
    byte[] bytes = Arrays.copyOfRange(data, (int) covered.offset(), (int) covered.end());
    Digest root = seal.root(HashAlgorithm.SHA256);
    assertEquals(
        Verdict.INTACT,
        verifier
            .verifyRangeProof(Channels.newChannel(new ByteArrayInputStream(bytes)), back, root)
            .verdict());
    bytes[SEG + 1] ^= 1;
    VerificationReport bad =
        verifier.verifyRangeProof(Channels.newChannel(new ByteArrayInputStream(bytes)), back, root);
    assertEquals(Verdict.TAMPERED, bad.verdict());
    assertEquals(List.of(new ByteRange(3 * SEG, SEG)), bad.tamperedRanges());
    VerificationReport wrongRoot =
        verifier.verifyRangeProof(
            Channels.newChannel(new ByteArrayInputStream(bytes)),
            back,
            seal.root(HashAlgorithm.SM3));
    assertEquals(Verdict.INCONCLUSIVE, wrongRoot.verdict());
  }

  @Test
  void aRangeProofOfTheLastShortSegment() throws IOException {
    RangeProof proof = seal.proveRange(new ByteRange(LEN - 1, 1), HashAlgorithm.SM3);
    ByteRange covered = proof.coveredRange();
    assertEquals(new ByteRange(8 * SEG, 1000), covered);
    byte[] bytes = Arrays.copyOfRange(data, (int) covered.offset(), (int) covered.end());
    assertEquals(
        Verdict.INTACT,
        verifier
            .verifyRangeProof(
                Channels.newChannel(new ByteArrayInputStream(bytes)),
                proof,
                seal.root(HashAlgorithm.SM3))
            .verdict());
  }

  @Test
  void rangesOutsideTheContentAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> seal.proveRange(new ByteRange(LEN, 1)));
    assertThrows(IllegalArgumentException.class, () -> seal.proveRange(new ByteRange(0, 0)));
  }

  // ------------------------------------------------------------------ verifying channel

  @Test
  void theVerifyingChannelPassesIntactContentThrough() throws IOException {
    try (InputStream in = verifier.newVerifyingInputStream(new ByteArrayInputStream(data), seal)) {
      assertArrayEquals(data, in.readAllBytes());
    }
  }

  @Test
  void theVerifyingChannelReleasesNothingOfABadSegmentAndStaysFailed() throws IOException {
    byte[] t = data.clone();
    t[3 * SEG + 9] ^= 1;
    ReadableByteChannel ch =
        verifier.newVerifyingChannel(Channels.newChannel(new ByteArrayInputStream(t)), seal);
    ByteArrayOutputStream released = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(4096);
    IntegrityException e =
        assertThrows(
            IntegrityException.class,
            () -> {
              while (ch.read(buf.clear()) >= 0) {
                released.write(buf.array(), 0, buf.position());
              }
            });
    assertEquals(FindingCode.SEGMENT_MODIFIED, e.code());
    assertEquals(new ByteRange(3 * SEG, SEG), e.range().orElseThrow());
    assertEquals(3 * SEG, released.size(), "exactly the verified segments were released");
    assertArrayEquals(Arrays.copyOf(data, 3 * SEG), released.toByteArray());
    assertThrows(IntegrityException.class, () -> ch.read(buf.clear()));
  }

  @Test
  void theVerifyingChannelCatchesTruncationAndExtension() throws IOException {
    InputStream shortIn =
        verifier.newVerifyingInputStream(
            new ByteArrayInputStream(Arrays.copyOf(data, LEN - 1)), seal);
    IntegrityException e1 = assertThrows(IntegrityException.class, shortIn::readAllBytes);
    assertEquals(FindingCode.CONTENT_TRUNCATED, e1.code());
    InputStream longIn =
        verifier.newVerifyingInputStream(
            new ByteArrayInputStream(Arrays.copyOf(data, LEN + 1)), seal);
    IntegrityException e2 = assertThrows(IntegrityException.class, longIn::readAllBytes);
    assertEquals(FindingCode.CONTENT_EXTENDED, e2.code());
  }

  @Test
  void theVerifyingChannelRefusesASelfInconsistentSealBeforeReleasingAnything() throws IOException {
    byte[] t = data.clone();
    t[0] ^= 1;
    Seal forged = seal(t, SealSuite.SHA256_SM3);
    String json = new String(forged.toJson(), java.nio.charset.StandardCharsets.UTF_8);
    for (HashAlgorithm a : seal.suite().algorithms()) {
      json = json.replace(forged.root(a).hex(), seal.root(a).hex());
    }
    Seal s = Seal.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ReadableByteChannel ch =
        verifier.newVerifyingChannel(Channels.newChannel(new ByteArrayInputStream(t)), s);
    IntegrityException e =
        assertThrows(IntegrityException.class, () -> ch.read(ByteBuffer.allocate(10)));
    assertEquals(FindingCode.SEAL_ROOT_MISMATCH, e.code());
    assertFalse(e.range().isPresent());
  }

  /** a forged checkpoint makes the seal as inconsistent for the channel as for verify. */
  @Test
  void theVerifyingChannelRefusesASealWithAForgedCheckpoint() throws IOException {
    Seal other = seal(random(LEN, 5), SealSuite.SHA256_SM3);
    String json = new String(seal.toJson(), java.nio.charset.StandardCharsets.UTF_8);
    String cpRoot = seal.checkpoints().get(0).root(HashAlgorithm.SHA256).hex();
    String otherRoot = other.checkpoints().get(0).root(HashAlgorithm.SHA256).hex();
    Seal forged =
        Seal.parse(
            json.replace(cpRoot, otherRoot).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    ReadableByteChannel ch =
        verifier.newVerifyingChannel(Channels.newChannel(new ByteArrayInputStream(data)), forged);
    IntegrityException e =
        assertThrows(IntegrityException.class, () -> ch.read(ByteBuffer.allocate(10)));
    assertEquals(FindingCode.CHECKPOINT_MISMATCH, e.code());
  }
}
