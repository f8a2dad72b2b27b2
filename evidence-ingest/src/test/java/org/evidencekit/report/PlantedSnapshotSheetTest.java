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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A case's record sheet selects its recordings through the catalog, which starts from a snapshot in
 * the store. Anyone who can write the store can plant or edit one: the snapshot is
 * bound to the ledger by its size and root and 16 of its rows are re-read, but a row left out is
 * nothing the sample can draw. Such a recording used to vanish from its case's sheet without a word
 * (the sweep said UNLOGGED); now the sheet finds it in the store, reads the ledger instead of the
 * snapshot and lists it. And a snapshot written before a recording kept its first {@code sealed}
 * entry (format 3) may cite a second one, which logs a substitute: it is read no more.
 */
class PlantedSnapshotSheetTest {
  static final String CASE = SealGoneSheetTest.CASE;
  static final String FILE = ReportTest.SPLIT3[1];
  static final String KEY = "DEVCAM7/2023-06-01/" + FILE;
  static final Clock LATER =
      Clock.fixed(SealGoneSheetTest.DOCKED.plusSeconds(3600), ZoneOffset.UTC);

  @TempDir Path dir;

  /** The content file of the store's only catalog snapshot. */
  private static Path snapshotContent(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root.resolve("objects/catalog.d"))) {
      List<Path> found = all.filter(p -> p.getFileName().toString().equals("content")).toList();
      assertEquals(1, found.size(), found.toString());
      return found.get(0);
    }
  }

  private static void overwrite(Path content, String text) throws Exception {
    content.getParent().toFile().setWritable(true);
    content.toFile().setWritable(true);
    Files.writeString(content, text);
  }

  private static Selection sheet(EvidenceStore st) throws Exception {
    return ArchiveCatalog.open(EvidenceArchive.open(st, LATER), "here", LATER)
        .select(CatalogQuery.builder().caseId(CASE).build());
  }

  /** The index of the first {@code sealed} entry the ledger holds for {@code key}. */
  private static long firstSealed(EvidenceLedger ledger, String key) throws Exception {
    List<LedgerEntry> all = ledger.entries();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).type().equals(EntryType.SEALED) && all.get(i).subject().equals(key)) {
        return i;
      }
    }
    throw new AssertionError(key + " not sealed");
  }

  @Test
  void aRecordingLeftOutOfAPlantedSnapshotStaysOnItsCaseSheet() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    long logged;
    String sealDigest;
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      EvidenceLedger ledger = EvidenceLedger.open(st, LATER);
      assertTrue(CatalogIndex.write(st, ledger, 1).isPresent());
      logged = firstSealed(ledger, KEY);
      sealDigest = EvidenceArchive.open(st, LATER).seal(KEY).digest().hex();
    }
    // the attacker takes the recording's row out and mends the end line's count
    Path content = snapshotContent(root);
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(content, StandardCharsets.UTF_8)) {
      if (line.startsWith("end\t3\t")) {
        kept.add(line.replace("end\t3\t", "end\t2\t"));
      } else if (!line.endsWith("\t" + KEY)) {
        kept.add(line);
      }
    }
    assertEquals(
        Files.readAllLines(content, StandardCharsets.UTF_8).size() - 1, kept.size(), "one row out");
    overwrite(content, String.join("\n", kept) + "\n");

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      CatalogIndex planted = CatalogIndex.read(st, EvidenceLedger.open(st, LATER));
      assertTrue(planted.refused().isEmpty(), "the sample cannot see a row left out");
      assertFalse(planted.recordings().containsKey(KEY), "the shortcut lacks it");

      Selection s = sheet(st);
      assertEquals(3, s.recordings().size(), "the case's three recordings");
      CatalogedRecording row =
          s.recordings().stream().filter(r -> r.key().equals(KEY)).findFirst().orElseThrow();
      assertEquals(logged, row.ledgerIndex(), "its sealed entry, from the ledger");
      assertEquals(sealDigest, row.seal().orElseThrow().digest().hex());
      assertEquals(FILE, row.fileName());
      assertTrue(row.verification().isEmpty(), "nothing wrong with the recording itself");
      assertEquals(
          List.of(1, 2, 3), s.recordings().stream().map(CatalogedRecording::number).toList());
    }
  }

  /**
   * A snapshot edited to say a kept recording was destroyed: its row becomes a {@code d} row citing
   * the {@code disposed} entry of the recording that was. Whether the sample draws that row is
   * chance (two draws among two rows: missed one time in four); the recording's content in the
   * store is not, and the sheet lists it as kept, the other alone as destroyed, at every open
   * (R-16, R-18, R-20).
   */
  @Test
  void aKeptRecordingASnapshotSaysWasDestroyedStaysKept() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    String gone = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[0];
    Clock destroyedAt = Clock.fixed(DestroyedRecordingsSheetTest.LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, destroyedAt)) {
      DestroyedRecordingsSheetTest.dispose(
          st, DestroyedRecordingsSheetTest.LATER, ReportTest.SPLIT3[0]);
      assertTrue(CatalogIndex.write(st, EvidenceLedger.open(st, destroyedAt), 1).isPresent());
    }
    Path content = snapshotContent(root);
    String disposedAt = null;
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(content, StandardCharsets.UTF_8)) {
      if (line.startsWith("d\t") && line.endsWith("\t" + gone)) {
        disposedAt = line.split("\t")[1];
      }
      if (!line.endsWith("\t" + KEY) && !line.startsWith("end\t")) {
        lines.add(line);
      }
    }
    assertTrue(disposedAt != null, "the snapshot lists the destroyed one");
    lines.add("d\t" + disposedAt + "\t" + KEY);
    lines.add("end\t1\t2");
    overwrite(content, String.join("\n", lines) + "\n");

    // each catalog draws its sample afresh: one that misses the false row takes the snapshot
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      for (int draw = 0; draw < 8; draw++) {
        Selection s =
            ArchiveCatalog.open(EvidenceArchive.open(st, destroyedAt), "here", destroyedAt)
                .select(CatalogQuery.builder().caseId(CASE).build());
        assertEquals(List.of(gone), s.destroyed().stream().map(r -> r.key()).toList());
        assertEquals(2, s.recordings().size());
        assertTrue(s.recordings().stream().anyMatch(r -> r.key().equals(KEY)), "kept");
        assertTrue(
            s.findings().stream().noneMatch(f -> f.code().startsWith("RECORDING_")),
            s.findings().toString());
      }
    }
  }

  /**
   * A ledger that logged a substitute as a second {@code sealed} entry (as ledgers could before
   * ingest refused it), with a catalog snapshot of format 3 written then, which kept each
   * recording's latest entry: the catalog takes the first, as the sweep and the ledger's index do,
   * so the substitute in the store is flagged, not listed as the recording.
   */
  @Test
  void aSnapshotCitingASecondSealedEntryIsNotBelieved() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    Path substitute = dir.resolve("substitute.mp4");
    Files.write(substitute, "not what the camera recorded".getBytes(StandardCharsets.UTF_8));
    Seal forged =
        Sealer.create()
            .seal(substitute)
            .withMetadata(
                RecordingMetadata.builder()
                    .deviceId("DEVCAM9")
                    .officerId("police-9999")
                    .addCaseId(CASE)
                    .recordingStart(Instant.parse("2023-06-01T14:10:03Z"))
                    .build());
    ReplacedSealSheetTest.removeObject(root, FILE);
    ReplacedSealSheetTest.removeObject(root, FILE + ".seal.json");
    long first;
    String firstDigest;
    long second;
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      PermanentRecords.put(st, ObjectKey.of(KEY), Files.readAllBytes(substitute));
      PermanentRecords.put(st, ObjectKey.of(KEY + ".seal.json"), forged.toJson());
      EvidenceLedger ledger = EvidenceLedger.open(st, LATER);
      first = firstSealed(ledger, KEY);
      LedgerEntry was = ledger.entry(first);
      firstDigest = was.payloadDigest().orElseThrow();
      second = ledger.size();
      ledger.append(
          LedgerEntry.builder()
              .type(EntryType.SEALED)
              .time(LATER.instant())
              .actor(was.actor())
              .subject(KEY)
              .payloadDigest(forged.digest().hex())
              .details(java.util.Map.of("device", "DEVCAM9", "officer", "police-9999"))
              .build());
      // the snapshot as it was written then: each recording's latest sealed entry
      StringBuilder b = new StringBuilder("evidencekit-catalog 3\n");
      b.append("ledger-size\t").append(ledger.size()).append('\n');
      b.append("ledger-root\t").append(ledger.root(ledger.size()).hex()).append('\n');
      for (String f : ReportTest.SPLIT3) {
        String k = "DEVCAM7/2023-06-01/" + f;
        long at = k.equals(KEY) ? second : firstSealed(ledger, k);
        b.append(at)
            .append('\t')
            .append(ledger.entry(at).payloadDigest().orElseThrow())
            .append('\t')
            .append(k)
            .append('\n');
      }
      b.append("end\t3\t0\n");
      PermanentRecords.put(
          st,
          ObjectKey.of(String.format(java.util.Locale.ROOT, "catalog/%020d.tsv", ledger.size())),
          b.toString().getBytes(StandardCharsets.UTF_8));
    }

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      CatalogIndex index = CatalogIndex.read(st, EvidenceLedger.open(st, LATER));
      assertEquals(new CatalogIndex.Row(first, firstDigest), index.recordings().get(KEY));
      assertEquals(1, index.refused().size(), index.refused().toString());

      Selection s = sheet(st);
      assertEquals(3, s.recordings().size());
      CatalogedRecording row =
          s.recordings().stream().filter(r -> r.key().equals(KEY)).findFirst().orElseThrow();
      assertEquals(first, row.ledgerIndex());
      assertTrue(row.seal().isEmpty(), "the substitute is not its seal");
      assertEquals(SweepReport.Status.DAMAGED, row.verification().orElseThrow());
      assertEquals("DEVCAM7", row.metadata().deviceId().orElseThrow());
      assertEquals("police-0042", row.metadata().officerId().orElseThrow());
    }
  }

  /**
   * As above, and the kept recording's content deleted too, so the store holds only its seal, as
   * for one destroyed; among many destroyed recordings the sample of 16 rarely draws the false
   * {@code d} row. The row cites the {@code disposed} entry of another object: the catalog does not
   * take it, and the recording stays on its case's sheet as kept, its content missing (R-16, R-18,
   *
   */
  @Test
  void aFalseDestroyedRowForARecordingWhoseContentWasDeletedIsNotBelieved() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    String gone = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[0];
    Clock destroyedAt = Clock.fixed(DestroyedRecordingsSheetTest.LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, destroyedAt)) {
      DestroyedRecordingsSheetTest.dispose(
          st, DestroyedRecordingsSheetTest.LATER, ReportTest.SPLIT3[0]);
      EvidenceLedger ledger = EvidenceLedger.open(st, destroyedAt);
      // objects of other archives' keys destroyed too: 300 more d rows for the sample to draw from
      List<LedgerEntry> others = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        others.add(
            LedgerEntry.builder()
                .type(EntryType.DISPOSED)
                .time(destroyedAt.instant())
                .actor("executor-1")
                .subject("ELSEWHERE/" + i)
                .details(java.util.Map.of("objectKey", "ELSEWHERE/" + i))
                .build());
      }
      ledger.appendAll(others);
      assertTrue(CatalogIndex.write(st, ledger, 1).isPresent());
    }
    Path content = snapshotContent(root);
    String disposedAt = null;
    int live = 0;
    int destroyed = 0;
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(content, StandardCharsets.UTF_8)) {
      if (line.startsWith("d\t") && line.endsWith("\t" + gone)) {
        disposedAt = line.split("\t")[1];
      }
      if (line.endsWith("\t" + KEY) || line.startsWith("end\t")) {
        continue;
      }
      live += line.matches("[0-9]+\t.*") ? 1 : 0;
      destroyed += line.startsWith("d\t") ? 1 : 0;
      lines.add(line);
    }
    assertTrue(disposedAt != null, "the snapshot lists the destroyed one");
    lines.add("d\t" + disposedAt + "\t" + KEY);
    lines.add("end\t" + live + "\t" + (destroyed + 1));
    overwrite(content, String.join("\n", lines) + "\n");
    ReplacedSealSheetTest.removeObject(root, FILE);

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      for (int draw = 0; draw < 8; draw++) {
        Selection s =
            ArchiveCatalog.open(EvidenceArchive.open(st, destroyedAt), "here", destroyedAt)
                .select(CatalogQuery.builder().caseId(CASE).build());
        assertEquals(List.of(gone), s.destroyed().stream().map(r -> r.key()).toList());
        CatalogedRecording row =
            s.recordings().stream().filter(r -> r.key().equals(KEY)).findFirst().orElseThrow();
        assertEquals(SweepReport.Status.MISSING, row.verification().orElseThrow());
      }
    }
  }
}
