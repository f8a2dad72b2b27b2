package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording's case ids are logged in its {@code sealed} ledger entry joined by commas, and a
 * recording whose seal is gone is put on its cases' sheets from that entry. A case id
 * holding a comma ({@code A,B}) read back as the two cases {@code A} and {@code B}, and its
 * recording went onto both their sheets; such an id is now refused where case ids enter, and the
 * sheets of the ids that are accepted take exactly their own recordings.
 */
class CaseIdCommaTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  @Test
  void aCaseIdWithACommaIsRefusedWhereCaseIdsEnter() {
    IngestRequest.Builder r = IngestRequest.builder("DEVCAM7", "police-0042");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> r.addCase("A,B"));
    assertTrue(e.getMessage().contains("comma at position 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> r.addCase(",A"));
    RecordingMetadata.Builder md = RecordingMetadata.builder();
    e = assertThrows(IllegalArgumentException.class, () -> md.addCaseId("A,B"));
    assertTrue(e.getMessage().contains("comma at position 1"), e.getMessage());
    // the refused ids were not taken: A and B each still go in once
    assertEquals(List.of("A", "B"), r.addCase("A").addCase("B").add(dir).build().caseIds());
    assertEquals(List.of("A", "B"), md.addCaseId("A").addCaseId("B").build().caseIds());
  }

  /**
   * Three files of DEVCAM7: the first of case A, the second of case B, the third of both. Each
   * case's sheet takes exactly its own, with their seals and, from their ledger entries, without.
   */
  @Test
  void eachCaseSheetTakesExactlyItsOwnRecordingsSealsOrNot() throws Exception {
    Path root = dir.resolve("store");
    String[] files = ReportTest.SPLIT3;
    ingest(root, files[0], "A");
    ingest(root, files[1], "B");
    ingest(root, files[2], "A", "B");
    assertEquals(List.of(files[0], files[2]), sheet(root, "A"));
    assertEquals(List.of(files[1], files[2]), sheet(root, "B"));
    assertEquals(List.of(), sheet(root, "A,B"));
    for (String f : files) {
      SealGoneSheetTest.removeSeal(root, f);
    }
    assertEquals(List.of(files[0], files[2]), sheet(root, "A"), "from the ledger entries");
    assertEquals(List.of(files[1], files[2]), sheet(root, "B"), "from the ledger entries");
    assertEquals(List.of(), sheet(root, "A,B"), "from the ledger entries");
  }

  /** The file names on case {@code caseId}'s sheet, in sheet order. */
  private static List<String> sheet(Path root, String caseId) throws Exception {
    Clock later = Clock.fixed(DOCKED.plusSeconds(3600), ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      return ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
          .select(CatalogQuery.builder().caseId(caseId).build())
          .recordings()
          .stream()
          .map(CatalogedRecording::fileName)
          .toList();
    }
  }

  /** Ingests one f02 fixture file of DEVCAM7, officer police-0042, for {@code cases}. */
  private void ingest(Path root, String name, String... cases) throws Exception {
    IngestRequest.Builder r = IngestRequest.builder("DEVCAM7", "police-0042");
    for (String c : cases) {
      r.addCase(c);
    }
    Path to = dir.resolve("card-" + name).resolve(name);
    Files.createDirectories(to.getParent());
    try (InputStream in =
        CaseIdCommaTest.class.getClassLoader().getResourceAsStream("fixtures/f02_split3/" + name)) {
      Files.copy(in, to);
    }
    r.add(to);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      IngestStation.builder()
          .store(st)
          .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
          .build()
          .ingest(r.build());
    }
  }
}
