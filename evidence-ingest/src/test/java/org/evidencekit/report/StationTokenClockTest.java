package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestResult;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ingest.IngestStatus;
import org.evidencekit.ingest.IngestedRecording;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.trust.TrustPolicy;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A station never compared its token's time with its own clock: with a TSA whose clock is a day
 * ahead (or ten minutes behind) every seal of the run was logged with a token no verifier believes
 * ({@code TIMESTAMP_DELAYED}, or a token before the ingest time: ), and nobody was told
 * until a report. Now such a seal is refused before it is logged, with the two times, and the
 * content stays stored for a re-run with the clocks set right.
 */
class StationTokenClockTest {
  @TempDir Path dir;

  @Test
  void aTokenTheStationsClockDisagreesWithIsRefusedBeforeItIsLogged() throws Exception {
    for (Duration skew : List.of(Duration.ofDays(1), Duration.ofMinutes(-10))) {
      Path root = dir.resolve("store" + skew.toMinutes());
      SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
      try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
        IngestResult wrong = ingest(st, key, new InProcessTsa(skew), skew.toMinutes());
        for (IngestedRecording r : wrong.recordings()) {
          assertEquals(IngestStatus.INCOMPLETE, r.status(), r.findings().toString());
          assertTrue(r.seal().isEmpty());
          String why = r.findings().toString();
          assertTrue(why.contains("token says"), why);
          assertTrue(why.contains("this clock reads"), why);
        }
        EvidenceArchive archive = EvidenceArchive.open(st, Clock.systemUTC());
        assertTrue(archive.sealedRecordings().isEmpty(), "nothing is logged");

        // the TSA set right: the same run completes, and its seals verify with trusted time
        InProcessTsa right = new InProcessTsa();
        IngestResult done = ingest(st, key, right, skew.toMinutes());
        Verifier v =
            Verifier.builder()
                .trust(
                    TrustPolicy.builder()
                        .signers(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer())))
                        .timestampAuthorities(
                            TrustAnchors.ofPublicKeys(List.of(right.publicKeyDer())))
                        .build())
                .build();
        assertEquals(3, done.recordings().size());
        for (IngestedRecording r : done.recordings()) {
          assertEquals(IngestStatus.RESUMED, r.status(), r.findings().toString());
          VerificationReport report = v.verifySeal(r.seal().orElseThrow());
          assertTrue(report.has(FindingCode.TIMESTAMP_VERIFIED), report.toString());
          assertFalse(report.has(FindingCode.TIMESTAMP_DELAYED), report.toString());
        }
      }
    }
  }

  /**
   * Another station's entries 110 s ahead of this one's clock (within the tolerance, so this
   * station dates its seals at the ledger's latest time rather than go back in the log) and a TSA
   * 15 s behind: the token, 15 s from this station's clock, was refused as "before the seal's
   * ingest time" by more than the tolerance, which the station itself had moved forward.
   */
  @Test
  void anotherStationsLaterLedgerEntriesDoNotGetAnHonestTokenRefused() throws Exception {
    Path root = dir.resolve("shared");
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      Path other = dir.resolve("other").resolve("DEVCAM9_20230601_100000_0001.mp4");
      Files.createDirectories(other.getParent());
      try (InputStream in =
          StationTokenClockTest.class
              .getClassLoader()
              .getResourceAsStream("fixtures/f02_split3/" + ReportTest.SPLIT3[0])) {
        Files.copy(in, other);
      }
      IngestResult ahead =
          IngestStation.builder()
              .store(st)
              .signer(key)
              .clock(Clock.offset(Clock.systemUTC(), Duration.ofSeconds(110)))
              .build()
              .ingest(IngestRequest.builder("DEVCAM9", "police-0043").add(other).build());
      assertEquals(IngestStatus.INGESTED, ahead.recordings().get(0).status());

      InProcessTsa slow = new InProcessTsa(Duration.ofSeconds(-15));
      IngestResult honest = ingest(st, key, slow, 0);
      // and a verifier believes the seals so dated (its default skew is 5 minutes)
      Verifier v =
          Verifier.builder()
              .trust(
                  TrustPolicy.builder()
                      .signers(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer())))
                      .timestampAuthorities(TrustAnchors.ofPublicKeys(List.of(slow.publicKeyDer())))
                      .build())
              .build();
      assertEquals(3, honest.recordings().size());
      for (IngestedRecording r : honest.recordings()) {
        assertEquals(IngestStatus.INGESTED, r.status(), r.findings().toString());
        VerificationReport report = v.verifySeal(r.seal().orElseThrow());
        assertTrue(report.has(FindingCode.TIMESTAMP_VERIFIED), report.toString());
      }
    }
  }

  private IngestResult ingest(
      EvidenceStore st, SigningKeys.LocalSigningKey key, InProcessTsa tsa, long card)
      throws Exception {
    IngestRequest.Builder r = IngestRequest.builder("DEVCAM7", "police-0042");
    for (String name : ReportTest.SPLIT3) {
      Path to = dir.resolve("card" + card).resolve(name);
      if (!Files.exists(to)) {
        Files.createDirectories(to.getParent());
        try (InputStream in =
            StationTokenClockTest.class
                .getClassLoader()
                .getResourceAsStream("fixtures/f02_split3/" + name)) {
          Files.copy(in, to);
        }
      }
      r.add(to);
    }
    return IngestStation.builder()
        .store(st)
        .signer(key)
        .timestampAuthority(tsa)
        .build()
        .ingest(r.build());
  }
}
