package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seal kept for good of a recording destroyed under an approved plan, replaced in
 * the store by one that tells another story: another device, officer and start, signed with the
 * station's stolen key or not signed at all. The ledger logged the digest of the original seal in
 * the recording's {@code sealed} entry; the record sheet used to describe the destroyed row from
 * whatever seal object the store held. Now it believes only the logged seal, as for a kept
 * recording: a substitute gives a flagged row (RECORDING_DAMAGED) described from the ledger entry
 * (R-18, R-20).
 */
class DestroyedSealReplacedSheetTest {
  static final Instant LATER = DestroyedRecordingsSheetTest.LATER;
  static final String CASE = SealGoneSheetTest.CASE;
  static final String OTHER_CASE = "ZZ-OTHER";
  static final String FILE = ReportTest.SPLIT3[0];
  static final String KEY = "DEVCAM7/2023-06-01/" + FILE;

  @TempDir Path dir;

  /**
   * Ingests the case's three recordings (signed by {@code stationKey} when given), destroys the
   * first under an approved plan and puts in place of its kept seal one naming DEVCAM9, officer
   * police-9999, a start a day later and {@code forgedCase}, signed by {@code stationKey} when
   * given; returns the store's folder.
   */
  private Path destroyAndReplaceSeal(
      SigningKeys.@Nullable LocalSigningKey stationKey, String forgedCase) throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root, stationKey);
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      DestroyedRecordingsSheetTest.dispose(st, LATER, FILE);
    }
    Path bytes = dir.resolve("any.mp4");
    Files.write(bytes, "whatever the attacker has".getBytes(StandardCharsets.UTF_8));
    Seal forged =
        Sealer.create()
            .seal(bytes)
            .withMetadata(
                RecordingMetadata.builder()
                    .deviceId("DEVCAM9")
                    .officerId("police-9999")
                    .addCaseId(forgedCase)
                    .originalFileName("forged.mp4")
                    .recordingStart(Instant.parse("2023-06-02T09:00:00Z"))
                    .build());
    if (stationKey != null) {
      forged = SealSigner.sign(forged, stationKey, null);
    }
    DamagedSealReportTest.plantSeal(root, FILE, forged.toJson());
    return root;
  }

  private static Selection sheet(EvidenceStore st, String caseId) throws Exception {
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    return ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
        .select(CatalogQuery.builder().caseId(caseId).build());
  }

  /** The destroyed row is the one the ledger logged, flagged, and nothing of the forgery shows. */
  private static void assertDescribedFromTheLedger(Selection s) throws Exception {
    assertEquals(2, s.recordings().size());
    assertEquals(List.of(KEY), s.destroyed().stream().map(r -> r.key()).toList());
    CatalogedRecording row = s.destroyed().get(0);
    assertTrue(row.seal().isEmpty(), "the substitute is not shown as its seal");
    assertEquals("DEVCAM7", row.metadata().deviceId().orElseThrow());
    assertEquals("police-0042", row.metadata().officerId().orElseThrow());
    assertEquals(List.of(CASE), row.metadata().caseIds());
    assertEquals(Instant.parse("2023-06-01T14:10:00Z"), row.start().orElseThrow());
    assertTrue(row.disposal().isPresent(), "still destroyed under its plan");
    assertEquals(SweepReport.Status.DAMAGED, row.verification().orElseThrow());
    assertTrue(row.verificationDetail().contains("replaced"), row.verificationDetail());
    List<ReportFinding> damaged =
        RecordSheet.findings(s).stream().filter(f -> f.code().equals("RECORDING_DAMAGED")).toList();
    assertEquals(1, damaged.size(), s.findings().toString());
    assertEquals(List.of(KEY), damaged.get(0).recordings());
    assertEquals(ReportFinding.Severity.ERROR, damaged.get(0).severity());

    Presentation p = Presentation.of(ZoneOffset.UTC, Locale.ENGLISH);
    String printed =
        new String(RecordSheet.csv(s, p), StandardCharsets.UTF_8)
            + new String(RecordSheet.json(s, p), StandardCharsets.UTF_8)
            + ReportTest.text(RecordSheet.html(s, p))
            + ReportTest.text(SupervisorReport.html(s, p));
    for (String forged : List.of("DEVCAM9", "police-9999", "forged.mp4", "2023-06-02")) {
      assertFalse(printed.contains(forged), forged + " printed: " + printed);
    }
    assertTrue(
        ReportTest.text(RecordSheet.html(s, p)).contains("not the seal its ledger entry logged"));
  }

  @Test
  void aKeptSealReplacedWithTheStolenStationKeyIsNotBelieved() throws Exception {
    SigningKeys.LocalSigningKey stationKey = SigningKeys.generate(SignatureSuite.ED25519);
    Path root = destroyAndReplaceSeal(stationKey, CASE);
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      assertDescribedFromTheLedger(sheet(st, CASE));
    }
  }

  @Test
  void anUnsignedKeptSealNamingAnotherCaseDoesNotMoveItsRecording() throws Exception {
    Path root = destroyAndReplaceSeal(null, OTHER_CASE);
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      assertDescribedFromTheLedger(sheet(st, CASE));
      Selection other = sheet(st, OTHER_CASE);
      assertTrue(other.destroyed().isEmpty(), "the forged seal's case does not take it");
      assertTrue(other.recordings().isEmpty());
    }
  }

  /**
   * A catalog opened before the disposal learns which seal the destroyed recording had from the
   * entries it takes in on refresh, and holds the replaced kept seal to it all the same.
   */
  @Test
  void aCatalogRefreshedAcrossTheDisposalHoldsTheKeptSealToItsEntry() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      ArchiveCatalog early = ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later);
      assertEquals(
          3, early.select(CatalogQuery.builder().caseId(CASE).build()).recordings().size());
      DestroyedRecordingsSheetTest.dispose(st, LATER, FILE);
      Path bytes = dir.resolve("any.mp4");
      Files.write(bytes, "whatever the attacker has".getBytes(StandardCharsets.UTF_8));
      DamagedSealReportTest.plantSeal(
          root,
          FILE,
          Sealer.create()
              .seal(bytes)
              .withMetadata(
                  RecordingMetadata.builder()
                      .deviceId("DEVCAM9")
                      .officerId("police-9999")
                      .addCaseId(CASE)
                      .originalFileName("forged.mp4")
                      .recordingStart(Instant.parse("2023-06-02T09:00:00Z"))
                      .build())
              .toJson());
      early.refresh();
      assertDescribedFromTheLedger(early.select(CatalogQuery.builder().caseId(CASE).build()));
    }
  }

  /** The seal kept as logged: believed, no finding (what the check must not spoil). */
  @Test
  void theLoggedKeptSealIsBelieved() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    try (EvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(root, Clock.fixed(LATER, ZoneOffset.UTC))) {
      DestroyedRecordingsSheetTest.dispose(st, LATER, FILE);
      Selection s = sheet(st, CASE);
      CatalogedRecording row = s.destroyed().get(0);
      assertTrue(row.seal().isPresent());
      assertEquals(FILE, row.fileName());
      assertTrue(row.verification().isEmpty());
      assertTrue(
          s.findings().stream().noneMatch(f -> f.code().startsWith("RECORDING_")),
          s.findings().toString());
    }
  }
}
