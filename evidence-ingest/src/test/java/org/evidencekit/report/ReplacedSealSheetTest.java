package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
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
 * Someone holding one station's signing key replaces a recording in the store together with its
 * seal object, the new seal signed by that stolen key and naming another case.
 * The ledger logged the digest of the original seal; the record sheet used to take the seal object
 * on its word: the recording dropped off its case's sheet without a word (the query matched the
 * forged seal's case), appeared on the other case's sheet with its signature "verified", and even a
 * re-verifying sheet said nothing, since the sweep's DAMAGED line was for a row no longer selected.
 * Now a seal object that is not the one logged is not believed: the row is described from its
 * ledger entry and flagged DAMAGED.
 */
class ReplacedSealSheetTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");
  static final String CASE = "ZZ-2023-0042";
  static final String OTHER_CASE = "ZZ-OTHER";

  @TempDir Path dir;

  @Test
  void aSealReplacedUnderTheStoreWithTheStolenKeyIsNotBelieved() throws Exception {
    SigningKeys.LocalSigningKey stationKey = SigningKeys.generate(SignatureSuite.ED25519);
    Path root = dir.resolve("store");
    IngestRequest.Builder r = IngestRequest.builder("DEVCAM7", "police-0042").addCase(CASE);
    for (String name : ReportTest.SPLIT3) {
      Path to = dir.resolve("card").resolve(name);
      Files.createDirectories(to.getParent());
      try (InputStream in =
          ReplacedSealSheetTest.class
              .getClassLoader()
              .getResourceAsStream("fixtures/f02_split3/" + name)) {
        Files.copy(in, to);
      }
      r.add(to);
    }
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      IngestStation.builder()
          .store(st)
          .signer(stationKey)
          .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
          .build()
          .ingest(r.build());
    }
    String file = ReportTest.SPLIT3[1];
    String key = "DEVCAM7/2023-06-01/" + file;
    // the attacker's substitute: other bytes, a seal with the original's facts but another case,
    // signed by the stolen station key; both objects replaced outside the store's API
    Path substitute = dir.resolve("substitute.mp4");
    Files.write(substitute, "not what the camera recorded".getBytes(StandardCharsets.UTF_8));
    Seal forged;
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      RecordingMetadata was =
          EvidenceArchive.open(st, Clock.systemUTC()).seal(key).metadata().orElseThrow();
      RecordingMetadata.Builder md =
          RecordingMetadata.builder()
              .deviceId(was.deviceId().orElseThrow())
              .officerId(was.officerId().orElseThrow())
              .addCaseId(OTHER_CASE)
              .recordingStart(was.recordingStart().orElseThrow())
              .ingestTime(was.ingestTime().orElseThrow());
      was.previousSealDigest().ifPresent(md::previousSealDigest);
      forged =
          SealSigner.sign(
              Sealer.create().seal(substitute).withMetadata(md.build()), stationKey, null);
    }
    removeObject(root, file);
    removeObject(root, file + ".seal.json");
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      PermanentRecords.put(st, ObjectKey.of(key), Files.readAllBytes(substitute));
      PermanentRecords.put(st, ObjectKey.of(key + ".seal.json"), forged.toJson());
    }

    Clock later = Clock.fixed(DOCKED.plusSeconds(3600), ZoneOffset.UTC);
    Verifier stations =
        Verifier.builder()
            .trust(
                TrustPolicy.builder()
                    .signers(TrustAnchors.ofPublicKeys(List.of(stationKey.publicKeyDer())))
                    .build())
            .build();
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      for (boolean reverify : new boolean[] {false, true}) {
        CatalogQuery.Builder q = CatalogQuery.builder().caseId(CASE).signatures(stations);
        if (reverify) {
          q.reverify();
        }
        Selection s =
            ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later).select(q.build());
        List<CatalogedRecording> rows = s.recordings();
        assertEquals(3, rows.size(), "the replaced recording stays on its case's sheet");
        CatalogedRecording row =
            rows.stream().filter(x -> x.key().equals(key)).findFirst().orElseThrow();
        assertTrue(row.damaged(), "flagged");
        assertEquals(SweepReport.Status.DAMAGED, row.verification().orElseThrow());
        assertTrue(row.verificationDetail().contains("replaced"), row.verificationDetail());
        assertFalse(row.seal().isPresent(), "the forged seal is not shown as its seal");
        assertFalse(row.signature().startsWith("verified"), row.signature());
        assertEquals(List.of(CASE), row.metadata().caseIds(), "what the ledger logged");
        assertTrue(
            s.findings().stream()
                .anyMatch(
                    f -> f.code().equals("RECORDING_DAMAGED") && f.recordings().contains(key)),
            s.findings().toString());
        String html =
            new String(
                RecordSheet.html(
                    s, Presentation.of(Presentation.DEFAULT_ZONE, java.util.Locale.ENGLISH)),
                StandardCharsets.UTF_8);
        assertTrue(html.contains("not the seal its ledger entry logged"), html);
        assertEquals(
            0,
            ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
                .select(CatalogQuery.builder().caseId(OTHER_CASE).build())
                .recordings()
                .size(),
            "the forged seal's case does not take it");
      }
    }
  }

  /** Removes an object of DEVCAM7's 2023-06-01 folder outside the store, as an attacker would. */
  static void removeObject(Path root, String name) throws Exception {
    Path obj = root.resolve("objects/DEVCAM7.d/2023-06-01.d/" + name + ".o");
    assertTrue(Files.isDirectory(obj), obj.toString());
    try (Stream<Path> all = Files.walk(obj)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    }
  }
}
