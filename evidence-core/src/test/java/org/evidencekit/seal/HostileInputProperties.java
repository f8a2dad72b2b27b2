package org.evidencekit.seal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.Hostile;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;

/**
 * Seals, frontiers and range proofs under attack (R-05: a seal travels with its recording and may
 * be swapped by anyone who can write the folder). A parser returns a value every method of which
 * answers, or throws {@link SealFormatException}, quickly.
 */
class HostileInputProperties {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;
  static final List<byte[]> SEALS;
  static final List<byte[]> FRONTIERS;
  static final List<byte[]> RANGE_PROOFS;

  static {
    try {
      Seal plain = SealJsonTest.sample();
      Seal described =
          plain.withMetadata(
              RecordingMetadata.builder()
                  .deviceId("DEVCAM7")
                  .officerId("police-0042")
                  .addCaseId("ZZ-2026-0001")
                  .recordingStart(Instant.parse("2026-03-01T01:00:00Z"))
                  .recordingEnd(Instant.parse("2026-03-01T01:10:00Z"))
                  .clockOffsetMillis(-1250)
                  .addPosition(
                      GeoPosition.of("31.2304", "121.4737", Instant.parse("2026-03-01T01:01:00Z")))
                  .mediaType("video/mp4")
                  .originalFileName("VID_0001.MP4")
                  .build());
      Seal signed = SealSigner.sign(described, SigningKeys.generate(SignatureSuite.ED25519), null);
      SEALS = List.of(plain.toJson(), described.toJson(), signed.toJson());
      byte[] data = new byte[3 * SEG + 5];
      new Random(2).nextBytes(data);
      SealingChannel ch =
          Sealer.builder()
              .suite(SealSuite.SHA256_SM3)
              .segmentSize(SEG)
              .checkpointEvery(1, c -> {})
              .build()
              .newSealingChannel(Channels.newChannel(new ByteArrayOutputStream()));
      ch.write(ByteBuffer.wrap(data));
      FRONTIERS = List.of(ch.frontier().toJson());
      ch.finish();
      RANGE_PROOFS =
          List.of(
              plain.proveRange(new ByteRange(3, SEG)).toJson(),
              plain.proveRange(new ByteRange(0, plain.length()), HashAlgorithm.SM3).toJson());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static Arbitrary<byte[]> hostile(List<byte[]> valid) {
    return Arbitraries.oneOf(
        Hostile.randomBytes(700), Hostile.mutationsOf(valid), Hostile.nastyValuesIn(valid));
  }

  @Provide
  Arbitrary<byte[]> seals() {
    return hostile(SEALS);
  }

  @Provide
  Arbitrary<byte[]> frontiers() {
    return hostile(FRONTIERS);
  }

  @Provide
  Arbitrary<byte[]> rangeProofs() {
    return hostile(RANGE_PROOFS);
  }

  @Property(tries = 1000)
  void aSealParsesIntoAUsableValueOrIsRefused(@ForAll("seals") byte[] input) {
    Hostile.check(
        "Seal.parse",
        input,
        b -> {
          Seal s = Seal.parse(b);
          HashAlgorithm a = s.suite().primary();
          s.digest();
          s.toJson();
          s.signedPayload();
          s.computeRoot(a);
          s.leafHashes(a);
          s.metadata().ifPresent(RecordingMetadata::toString);
          if (s.segmentCount() > 0) {
            s.segmentRange(s.segmentCount() - 1);
            s.consistencyProof(a, 1);
          }
          if (s.length() > 0) {
            s.proveRange(new ByteRange(s.length() - 1, 1)).toJson();
          }
          return s.toString();
        },
        SealFormatException.class);
  }

  @Property(tries = 1000)
  void aFrontierParsesIntoOneASealerResumesOrIsRefused(@ForAll("frontiers") byte[] input) {
    Hostile.check(
        "SealFrontier.parse",
        input,
        b -> {
          SealFrontier f = SealFrontier.parse(b);
          f.toJson();
          f.length();
          return Sealer.builder()
              .suite(f.suite())
              .segmentSize(f.segmentSize())
              .build()
              .resume(f, Channels.newChannel(new ByteArrayOutputStream()))
              .finish();
        },
        SealFormatException.class);
  }

  @Property(tries = 1000)
  void aRangeProofParsesIntoAUsableValueOrIsRefused(@ForAll("rangeProofs") byte[] input) {
    Hostile.check(
        "RangeProof.parse",
        input,
        b -> {
          RangeProof p = RangeProof.parse(b);
          p.toJson();
          p.coveredRange();
          for (int i = 0; i < p.segmentCount(); i++) {
            p.inclusionProof(i);
          }
          return p.range();
        },
        SealFormatException.class);
  }
}
