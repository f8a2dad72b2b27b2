package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.evidencekit.ledger.DeviceChain.Problem;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.trust.TrustPolicy;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;

/** Device-chain tamper matrix (R-07, Art. 21): delete, replace, fork, reorder, foreign. */
class DeviceChainTest {
  private static final Instant T0 = Instant.parse("2026-03-01T01:00:00Z");

  static Seal seal(String device, int n, Seal previous) throws IOException {
    SealingChannel ch = Sealer.create().newSealingChannel();
    ch.write(ByteBuffer.wrap(("recording " + device + " " + n).getBytes()));
    RecordingMetadata.Builder md =
        RecordingMetadata.builder()
            .deviceId(device)
            .recordingStart(T0.plusSeconds(600L * n))
            .recordingEnd(T0.plusSeconds(600L * n + 300))
            .ingestTime(T0.plusSeconds(600L * n + 3600));
    if (previous != null) {
      md.previousSealDigest(previous.digest().hex());
    }
    return ch.finish().withMetadata(md.build());
  }

  static List<Seal> chain(int n) throws IOException {
    List<Seal> out = new ArrayList<>();
    Seal prev = null;
    for (int i = 0; i < n; i++) {
      prev = seal("CAM-1", i, prev);
      out.add(prev);
    }
    return out;
  }

  private static List<Problem> problems(List<Seal> seals) {
    return DeviceChain.verify("CAM-1", seals).stream()
        .map(DeviceChain.Finding::problem)
        .collect(Collectors.toList());
  }

  @Test
  void anUnbrokenChainInAnyOrderHasNoFindings() throws IOException {
    List<Seal> c = chain(6);
    Collections.reverse(c);
    assertEquals(List.of(), problems(c));
  }

  @Test
  void aDeletedRecordingIsMissingAtItsSuccessor() throws IOException {
    List<Seal> c = chain(6);
    Seal gone = c.remove(3);
    List<DeviceChain.Finding> f = DeviceChain.verify("CAM-1", c);
    assertEquals(1, f.size(), f.toString());
    assertEquals(Problem.MISSING, f.get(0).problem());
    assertEquals(c.get(3).digest().hex(), f.get(0).sealDigest());
    assertEquals(true, f.get(0).message().contains(gone.digest().hex().substring(0, 12)));
  }

  @Test
  void deletingTheNewestRecordingIsInvisibleToTheChainAlone() throws IOException {
    // The chain cannot see a deleted tail; the ledger's "sealed" entries do (docs/ledger.md).
    List<Seal> c = chain(4);
    c.remove(3);
    assertEquals(List.of(), problems(c));
  }

  @Test
  void aReplacedRecordingIsReported() throws IOException {
    List<Seal> c = chain(6);
    // A doctored copy of recording 3, sealed a day later and linked to recording 2.
    SealingChannel ch = Sealer.create().newSealingChannel();
    ch.write(ByteBuffer.wrap("doctored".getBytes()));
    Seal forged =
        ch.finish()
            .withMetadata(
                RecordingMetadata.builder()
                    .deviceId("CAM-1")
                    .recordingStart(T0.plusSeconds(1800))
                    .ingestTime(T0.plusSeconds(86_400))
                    .previousSealDigest(c.get(2).digest().hex())
                    .build());
    c.set(3, forged);
    List<DeviceChain.Finding> f = DeviceChain.verify("CAM-1", c);
    assertEquals(1, f.size(), f.toString());
    assertEquals(Problem.REPLACED, f.get(0).problem());
    assertEquals(c.get(4).digest().hex(), f.get(0).sealDigest());
    assertEquals(true, f.get(0).message().contains(forged.digest().hex().substring(0, 12)));
  }

  @Test
  void aSecondRecordingOnTheSamePredecessorIsAFork() throws IOException {
    List<Seal> c = chain(5);
    SealingChannel ch = Sealer.create().newSealingChannel();
    ch.write(ByteBuffer.wrap("second branch".getBytes()));
    Seal branch =
        ch.finish()
            .withMetadata(
                RecordingMetadata.builder()
                    .deviceId("CAM-1")
                    .recordingStart(T0.plusSeconds(600L * 2 + 100))
                    .previousSealDigest(c.get(1).digest().hex())
                    .build());
    c.add(branch);
    List<Problem> p = problems(c);
    assertEquals(true, p.contains(Problem.FORKED), p.toString());
  }

  @Test
  void aLinkRunningBackwardsInTimeIsAReorder() throws IOException {
    Seal a = seal("CAM-1", 5, null);
    Seal b = seal("CAM-1", 2, a); // starts 30 minutes before its predecessor
    assertEquals(List.of(Problem.REORDERED), problems(List.of(a, b)));
  }

  @Test
  void twoStartsAndForeignSealsAreReported() throws IOException {
    List<Seal> c = chain(3);
    c.add(seal("CAM-1", 7, null));
    c.add(seal("CAM-2", 1, null));
    List<Problem> p = problems(c);
    assertEquals(true, p.contains(Problem.SECOND_GENESIS), p.toString());
    assertEquals(true, p.contains(Problem.FOREIGN), p.toString());
  }

  /**
   * an attacker holding a station key deletes recording 2 of 6 and re-signs 3 to 5 with
   * their own key so the links close over the gap. The links alone cannot see it; checked against
   * the trusted station's key, every re-made seal is named, and an unsigned seal too.
   */
  @Test
  void sealsAnAttackerRemadeToCloseAGapAreUntrustedUnderTheStationsKey() throws Exception {
    SigningKeys.LocalSigningKey station = SigningKeys.generate(SignatureSuite.ED25519);
    SigningKeys.LocalSigningKey attacker = SigningKeys.generate(SignatureSuite.ED25519);
    List<Seal> forged = new ArrayList<>();
    Seal prev = null;
    for (int i = 0; i < 6; i++) {
      if (i == 2) {
        continue; // deleted
      }
      Seal s = SealSigner.sign(seal("CAM-1", i, prev), i < 2 ? station : attacker, null);
      forged.add(s);
      prev = s;
    }
    Seal unsigned = seal("CAM-1", 6, prev);
    forged.add(unsigned);
    assertEquals(List.of(), problems(forged), "the links alone close over the gap");

    Verifier trusted =
        Verifier.builder()
            .trust(
                TrustPolicy.builder()
                    .signers(TrustAnchors.ofPublicKeys(List.of(station.publicKeyDer())))
                    .build())
            .build();
    List<DeviceChain.Finding> f = DeviceChain.verify("CAM-1", forged, trusted);
    List<String> untrusted =
        f.stream()
            .filter(x -> x.problem() == Problem.UNTRUSTED)
            .map(DeviceChain.Finding::sealDigest)
            .collect(Collectors.toList());
    List<String> remade =
        forged.subList(2, forged.size()).stream()
            .map(x -> x.digest().hex())
            .collect(Collectors.toList());
    assertEquals(remade, untrusted, f.toString());
    assertEquals(remade.size(), f.size(), "no other finding: the links hold");
    assertEquals(LedgerFindingCode.CHAIN_UNTRUSTED_SEAL, f.get(0).code());

    // the station's own chain, all signed by it, passes; a seal given twice is one link
    List<Seal> good = new ArrayList<>();
    prev = null;
    for (int i = 0; i < 4; i++) {
      prev = SealSigner.sign(seal("CAM-1", i, prev), station, null);
      good.add(prev);
    }
    good.add(good.get(1));
    assertEquals(List.of(), DeviceChain.verify("CAM-1", good, trusted));
    // without anchors only broken seals are named: the attacker's own signatures hold
    assertEquals(List.of(), DeviceChain.verify("CAM-1", forged, Verifier.create()));
  }
}
