package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.continuity.ContinuityCode;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.trust.TrustPolicy;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A card recorded on 2023-06-01 whose seals claim an ingest two hours after it ended, but whose
 * tokens were stamped today: made today with the station's key and back-dated (here, the seals a
 * station made on the day, signed again today with their claims). The supervisor report took the
 * claimed ingest time for the ingest, so no LATE_INGEST (Art. 17, R-14). Now, with the trust policy
 * given, the seals are {@code SEAL_NOT_TRUSTED} ({@code TIMESTAMP_DELAYED}) and the ingest is
 * judged at the attested time, which is years late.
 */
class BackDatedIngestReportTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");
  static final String CASE = "ZZ-2023-0042";

  @TempDir Path dir;

  @Test
  void aBackDatedIngestIsJudgedAtItsAttestedTime() throws Exception {
    SigningKeys.LocalSigningKey stationKey = SigningKeys.generate(SignatureSuite.ED25519);
    InProcessTsa tsa = new InProcessTsa();
    Path root = dir.resolve("store");
    IngestRequest.Builder r = IngestRequest.builder("DEVCAM7", "police-0042").addCase(CASE);
    for (String name : ReportTest.SPLIT3) {
      Path to = dir.resolve("card").resolve(name);
      Files.createDirectories(to.getParent());
      try (InputStream in =
          BackDatedIngestReportTest.class
              .getClassLoader()
              .getResourceAsStream("fixtures/f02_split3/" + name)) {
        Files.copy(in, to);
      }
      r.add(to);
    }
    // what the station wrote on the day, signed again today with its key, claims and all, and
    // timestamped today (a station with the TSA no longer signs what its own clock contradicts)
    Path honest = dir.resolve("honest");
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(honest, Clock.systemUTC())) {
      IngestStation.builder()
          .store(st)
          .signer(stationKey)
          .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
          .build()
          .ingest(r.build());
    }
    try (EvidenceStore was = FileSystemEvidenceStore.open(honest, Clock.systemUTC());
        EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      EvidenceArchive from = EvidenceArchive.open(was, Clock.systemUTC());
      EvidenceArchive to = EvidenceArchive.open(st, Clock.systemUTC());
      for (String name : ReportTest.SPLIT3) {
        String key = "DEVCAM7/2023-06-01/" + name;
        RecordingMetadata md = from.seal(key).metadata().orElseThrow();
        assertEquals(DOCKED, md.ingestTime().orElseThrow());
        RecordingMetadata.Builder b =
            RecordingMetadata.builder()
                .deviceId(md.deviceId().orElseThrow())
                .officerId(md.officerId().orElseThrow())
                .addCaseId(CASE)
                .recordingStart(md.recordingStart().orElseThrow())
                .ingestTime(md.ingestTime().orElseThrow());
        md.recordingEnd().ifPresent(b::recordingEnd);
        md.mediaType().ifPresent(b::mediaType);
        Path file = dir.resolve("card").resolve(name);
        Seal seal =
            SealSigner.sign(Sealer.create().seal(file).withMetadata(b.build()), stationKey, tsa);
        to.ingest(key, file, seal, "intake-1");
      }
    }

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      // believed (a bound of ten thousand days): ingested on time by the seals' own word
      Selection believed = select(st, stationKey, tsa, Duration.ofDays(10_000));
      assertEquals(3, believed.recordings().size());
      for (CatalogedRecording row : believed.recordings()) {
        assertFalse(row.signatureProblem(), row.signature());
      }
      assertFalse(
          believed.continuity().has(ContinuityCode.LATE_INGEST),
          believed.continuity().findings().toString());

      // the default bound: the claims are not believed, and the ingest is judged when attested
      Instant before = Instant.now();
      Selection checked = select(st, stationKey, tsa, null);
      assertEquals(3, checked.recordings().size());
      for (CatalogedRecording row : checked.recordings()) {
        assertTrue(row.signatureProblem(), row.signature());
        assertTrue(row.signature().contains("TIMESTAMP_DELAYED"), row.signature());
      }
      assertTrue(
          checked.findings().stream().anyMatch(f -> f.code().equals("SEAL_NOT_TRUSTED")),
          checked.findings().toString());
      List<ContinuityFinding> late = checked.continuity().findings(ContinuityCode.LATE_INGEST);
      assertEquals(1, late.size(), checked.continuity().findings().toString());
      Instant lateUntil = late.get(0).when().orElseThrow().end();
      // the tokens were stamped during the ingest above, years after DOCKED
      assertTrue(lateUntil.isBefore(before), lateUntil.toString());
      assertTrue(lateUntil.isAfter(DOCKED.plus(Duration.ofDays(365))), lateUntil.toString());
    }
  }

  /**
   * The same late card, but the seals claim no ingest time at all: signed today with the station's
   * key (device, officer, case and recording time as the station writes them) and timestamped
   * today, logged with {@code EvidenceArchive.ingest}. No claim, so nothing is TIMESTAMP_DELAYED,
   * and the report had no ingest time to judge Art. 17 by: no LATE_INGEST for a card ingested years
   * after it was recorded. The token's time is the only one known, so it is judged at that.
   */
  @Test
  void aSealClaimingNoIngestTimeIsJudgedAtItsAttestedTime() throws Exception {
    SigningKeys.LocalSigningKey stationKey = SigningKeys.generate(SignatureSuite.ED25519);
    InProcessTsa tsa = new InProcessTsa();
    Path honest = dir.resolve("honest");
    Path root = dir.resolve("store");
    IngestRequest.Builder r = IngestRequest.builder("DEVCAM7", "police-0042").addCase(CASE);
    for (String name : ReportTest.SPLIT3) {
      Path to = dir.resolve("card").resolve(name);
      Files.createDirectories(to.getParent());
      try (InputStream in =
          BackDatedIngestReportTest.class
              .getClassLoader()
              .getResourceAsStream("fixtures/f02_split3/" + name)) {
        Files.copy(in, to);
      }
      r.add(to);
    }
    // the facts a station writes of each file, read from an ingest on the day
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(honest, Clock.systemUTC())) {
      IngestStation.builder()
          .store(st)
          .signer(stationKey)
          .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
          .build()
          .ingest(r.build());
    }
    try (EvidenceStore was = FileSystemEvidenceStore.open(honest, Clock.systemUTC());
        EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      EvidenceArchive from = EvidenceArchive.open(was, Clock.systemUTC());
      EvidenceArchive to = EvidenceArchive.open(st, Clock.systemUTC());
      for (String name : ReportTest.SPLIT3) {
        String key = "DEVCAM7/2023-06-01/" + name;
        RecordingMetadata md = from.seal(key).metadata().orElseThrow();
        RecordingMetadata.Builder b =
            RecordingMetadata.builder()
                .deviceId(md.deviceId().orElseThrow())
                .officerId(md.officerId().orElseThrow())
                .addCaseId(CASE)
                .recordingStart(md.recordingStart().orElseThrow());
        md.recordingEnd().ifPresent(b::recordingEnd);
        md.mediaType().ifPresent(b::mediaType);
        Path file = dir.resolve("card").resolve(name);
        Seal seal =
            SealSigner.sign(Sealer.create().seal(file).withMetadata(b.build()), stationKey, tsa);
        to.ingest(key, file, seal, "intake-1");
      }
    }

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      Instant before = Instant.now();
      Selection checked = select(st, stationKey, tsa, null);
      assertEquals(3, checked.recordings().size());
      List<ContinuityFinding> late = checked.continuity().findings(ContinuityCode.LATE_INGEST);
      assertEquals(1, late.size(), checked.continuity().findings().toString());
      Instant lateUntil = late.get(0).when().orElseThrow().end();
      // the tokens were stamped just above, years after the card was recorded
      assertTrue(lateUntil.isBefore(before), lateUntil.toString());
      assertTrue(lateUntil.isAfter(DOCKED.plus(Duration.ofDays(365))), lateUntil.toString());
    }
  }

  /**
   * The same card ingested five days after it ended, the ingest time honest, but with a clock
   * offset stated 4 d 22 h "behind" (the station's operator, or whoever holds its key, states the
   * offset): the corrected end moved to four hours before the ingest, and the report found no late
   * ingest (Art. 17, R-14). Judged also by the device's own times it is LATE_INGEST_UNCORRECTED.
   * Stated 8 h ahead instead (a camera keeping local time as UTC), nothing is flagged but the
   * offset itself.
   */
  @Test
  void anIngestInTimeOnlyByItsStatedClockOffsetIsAFinding() throws Exception {
    Instant ingested = DOCKED.plus(Duration.ofDays(5));
    Selection late = ingestedWithOffset("late", ingested, Duration.ofDays(-4).minusHours(22));
    assertEquals(3, late.recordings().size());
    assertFalse(
        late.continuity().has(ContinuityCode.LATE_INGEST), late.continuity().findings().toString());
    List<ContinuityFinding> f = late.continuity().findings(ContinuityCode.LATE_INGEST_UNCORRECTED);
    assertEquals(1, f.size(), late.continuity().findings().toString());
    assertEquals(3, f.get(0).files().size());
    assertEquals(ingested, f.get(0).when().orElseThrow().end());
    assertTrue(
        late.findings().stream().anyMatch(x -> x.code().equals("LATE_INGEST_UNCORRECTED")),
        late.findings().toString());

    Selection local =
        ingestedWithOffset("local", DOCKED.plus(Duration.ofHours(8)), Duration.ofHours(8));
    assertFalse(
        local.continuity().has(ContinuityCode.LATE_INGEST_UNCORRECTED),
        local.continuity().findings().toString());
    assertFalse(
        local.continuity().has(ContinuityCode.LATE_INGEST),
        local.continuity().findings().toString());
  }

  /**
   * The sealed recording times are the signer's too: the same late card signed again with its
   * recording start and end moved 4 d 22 h later (no offset, the ingest time honest) was in time by
   * the report, which took the sealed times. The content's own container times are covered by its
   * hash: read with the timelines, the report flags each seal whose times are not its content's
   * ({@code SEALED_TIME_MISMATCH}) and judges Art. 17 by the content's times ({@code LATE_INGEST}).
   */
  @Test
  void sealedTimesThatAreNotTheContentsAreFlaggedAndNotUsed() throws Exception {
    Instant ingested = DOCKED.plus(Duration.ofDays(5));
    Duration moved = Duration.ofDays(4).plusHours(22);
    ingestedWithOffset("plain", ingested, Duration.ZERO);
    SigningKeys.LocalSigningKey stationKey = SigningKeys.generate(SignatureSuite.ED25519);
    Path root = dir.resolve("moved");
    try (EvidenceStore was = FileSystemEvidenceStore.open(dir.resolve("plain"), Clock.systemUTC());
        EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      EvidenceArchive from = EvidenceArchive.open(was, Clock.systemUTC());
      EvidenceArchive to = EvidenceArchive.open(st, Clock.systemUTC());
      for (String name : ReportTest.SPLIT3) {
        String key = "DEVCAM7/2023-06-01/" + name;
        RecordingMetadata md = from.seal(key).metadata().orElseThrow();
        RecordingMetadata.Builder b =
            RecordingMetadata.builder()
                .deviceId(md.deviceId().orElseThrow())
                .officerId(md.officerId().orElseThrow())
                .addCaseId(CASE)
                .originalFileName(name)
                .recordingStart(md.recordingStart().orElseThrow().plus(moved))
                .recordingEnd(md.recordingEnd().orElseThrow().plus(moved))
                .ingestTime(ingested);
        md.mediaType().ifPresent(b::mediaType);
        Path file = dir.resolve("card-plain").resolve(name);
        Seal seal =
            SealSigner.sign(Sealer.create().seal(file).withMetadata(b.build()), stationKey, null);
        to.ingest(key, file, seal, "intake-1");
      }
    }
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      Clock now = Clock.systemUTC();
      Selection s =
          ArchiveCatalog.open(EvidenceArchive.open(st, now), "here", now)
              .select(CatalogQuery.builder().caseId(CASE).readTimelines().build());
      assertEquals(3, s.recordings().size());
      List<ReportFinding> mismatch =
          s.findings().stream().filter(f -> f.code().equals("SEALED_TIME_MISMATCH")).toList();
      assertEquals(3, mismatch.size(), s.findings().toString());
      assertEquals(ReportFinding.Severity.ERROR, mismatch.get(0).severity());
      List<ContinuityFinding> late = s.continuity().findings(ContinuityCode.LATE_INGEST);
      assertEquals(1, late.size(), s.continuity().findings().toString());
      // from the content's end, 2023-06-01 (device clock), to the ingest five days later
      assertEquals(ingested, late.get(0).when().orElseThrow().end());
      assertTrue(late.get(0).when().orElseThrow().start().isBefore(DOCKED), late.get(0).toString());

      // the honest seals of the same card agree with their content: nothing flagged
      try (EvidenceStore plain =
          FileSystemEvidenceStore.open(dir.resolve("plain"), Clock.systemUTC())) {
        Selection h =
            ArchiveCatalog.open(EvidenceArchive.open(plain, now), "here", now)
                .select(CatalogQuery.builder().caseId(CASE).readTimelines().build());
        assertFalse(
            h.findings().stream().anyMatch(f -> f.code().equals("SEALED_TIME_MISMATCH")),
            h.findings().toString());
        assertTrue(h.continuity().has(ContinuityCode.LATE_INGEST), h.findings().toString());
      }
    }
  }

  private Selection ingestedWithOffset(String name, Instant at, Duration offset) throws Exception {
    Path root = dir.resolve(name);
    IngestRequest.Builder r =
        IngestRequest.builder("DEVCAM7", "police-0042").addCase(CASE).clockOffset(offset);
    for (String file : ReportTest.SPLIT3) {
      Path to = dir.resolve("card-" + name).resolve(file);
      Files.createDirectories(to.getParent());
      try (InputStream in =
          BackDatedIngestReportTest.class
              .getClassLoader()
              .getResourceAsStream("fixtures/f02_split3/" + file)) {
        Files.copy(in, to);
      }
      r.add(to);
    }
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      IngestStation.builder()
          .store(st)
          .signer(SigningKeys.generate(SignatureSuite.ED25519))
          .clock(Clock.fixed(at, ZoneOffset.UTC))
          .build()
          .ingest(r.build());
    }
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      Clock now = Clock.systemUTC();
      return ArchiveCatalog.open(EvidenceArchive.open(st, now), "here", now)
          .select(CatalogQuery.builder().caseId(CASE).build());
    }
  }

  private static Selection select(
      EvidenceStore st, SigningKeys.LocalSigningKey stationKey, InProcessTsa tsa, Duration bound)
      throws Exception {
    TrustPolicy.Builder p =
        TrustPolicy.builder()
            .signers(TrustAnchors.ofPublicKeys(List.of(stationKey.publicKeyDer())))
            .timestampAuthorities(TrustAnchors.ofPublicKeys(List.of(tsa.publicKeyDer())));
    if (bound != null) {
      p.maxTimestampDelay(bound);
    }
    Verifier stations = Verifier.builder().trust(p.build()).build();
    Clock now = Clock.systemUTC();
    return ArchiveCatalog.open(EvidenceArchive.open(st, now), "here", now)
        .select(CatalogQuery.builder().caseId(CASE).signatures(stations).build());
  }
}
