package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catalog snapshot the ledger's key signed for the ledger's own root is taken as it is, destroyed
 * recordings included: opening the catalog reads no ledger batch the
 * snapshot covers, and the record sheet is the one a fold of the whole ledger makes, a replaced
 * kept seal still caught by the digest the snapshot carries. One edited, or of another format, is
 * refused and named, and the ledger is folded instead.
 */
class SignedSnapshotCatalogTest {
  static final String CASE = SealGoneSheetTest.CASE;
  static final String GONE = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[0];
  static final String LATER_GONE = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[1];
  static final Clock AT = Clock.fixed(DestroyedRecordingsSheetTest.LATER, ZoneOffset.UTC);

  @TempDir Path dir;

  /** Counts the objects opened for reading, by key: one of our stores, forwarded to. */
  static final class CountingStore extends ForwardingEvidenceStore {
    final EvidenceStore inner;
    final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

    CountingStore(EvidenceStore inner) {
      super(inner);
      this.inner = inner;
    }

    @Override
    public SeekableByteChannel openRead(ObjectKey key) throws IOException {
      reads.computeIfAbsent(key.value(), k -> new AtomicInteger()).incrementAndGet();
      return inner.openRead(key);
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }

  /** {@code n} custody entries in batches of 100, so that the ledger outgrows a few tiles. */
  private static void custody(EvidenceLedger ledger, int n) throws IOException {
    for (int done = 0; done < n; done += 100) {
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = done; i < Math.min(n, done + 100); i++) {
        batch.add(
            LedgerEntry.builder()
                .type(EntryType.VIEWED)
                .time(AT.instant())
                .actor("officer-" + (i % 5))
                .subject(GONE)
                .details(Map.of("reason", "review " + i))
                .build());
      }
      ledger.appendAll(batch);
    }
  }

  /**
   * The case's three recordings, the first destroyed under an approved plan, 600 custody entries,
   * then a checkpoint and a catalog snapshot signed by the ledger's key at that size.
   *
   * @return the snapshot's size
   */
  private long archiveWithADestroyedRecording(Path root) throws Exception {
    SealGoneSheetTest.ingestSplit3(dir, root);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, AT)) {
      DestroyedRecordingsSheetTest.dispose(
          st, DestroyedRecordingsSheetTest.LATER, ReportTest.SPLIT3[0]);
      EvidenceLedger ledger = EvidenceLedger.open(st, AT);
      custody(ledger, 600);
      ledger.checkpoint(PlantedSnapshotSheetTest.LEDGER_KEY);
      return CatalogIndex.write(st, ledger, 1, PlantedSnapshotSheetTest.LEDGER_KEY).orElseThrow();
    }
  }

  private static ArchiveCatalog open(EvidenceStore st, boolean trusting) throws IOException {
    EvidenceArchive archive = EvidenceArchive.openFromCheckpoint(st, AT);
    return trusting
        ? ArchiveCatalog.open(archive, "here", AT, PlantedSnapshotSheetTest.TRUSTED)
        : ArchiveCatalog.open(archive, "here", AT);
  }

  private static Selection caseSheet(ArchiveCatalog c) throws IOException {
    return c.select(CatalogQuery.builder().caseId(CASE).build());
  }

  /** What a sheet says of each recording: key, status, disposal, verification. */
  private static Map<String, String> described(Selection s) {
    Map<String, String> out = new TreeMap<>();
    for (CatalogedRecording r : s.recordings()) {
      out.put(r.key(), "kept " + r.ledgerIndex() + " " + r.verification());
    }
    for (CatalogedRecording r : s.destroyed()) {
      out.put(
          r.key(),
          "destroyed "
              + r.disposal().orElseThrow()
              + " "
              + r.verification()
              + " "
              + r.metadata().deviceId()
              + " "
              + r.start());
    }
    return out;
  }

  /** The ledger batches read whose every entry is below {@code end}, with how often. */
  private static Map<String, Integer> batchesReadBelow(
      CountingStore st, Path root, long end, long size) throws IOException {
    List<Long> firsts = new ArrayList<>();
    try (Stream<ObjectKey> keys = st.inner.keys("ledger/batches/")) {
      keys.forEach(k -> firsts.add(Long.parseLong(k.value().substring(15, 35))));
    }
    firsts.sort(null);
    Map<String, Integer> out = new TreeMap<>();
    for (int i = 0; i < firsts.size(); i++) {
      long last = i + 1 < firsts.size() ? firsts.get(i + 1) : size;
      String k = String.format(java.util.Locale.ROOT, "ledger/batches/%020d.jsonl", firsts.get(i));
      AtomicInteger n = st.reads.get(k);
      if (last <= end && n != null) {
        out.put(k, n.get());
      }
    }
    return out;
  }

  @Test
  void aSignedSnapshotWithADestroyedRecordingOpensWithoutFoldingTheLedger() throws Exception {
    Path root = dir.resolve("store");
    long snapshot = archiveWithADestroyedRecording(root);
    long tilesEnd = snapshot / 256 * 256;
    assertTrue(tilesEnd >= 512, "the checkpoint's tiles cover " + tilesEnd + " entries");

    Map<String, String> folded;
    try (CountingStore st = new CountingStore(FileSystemEvidenceStore.open(root, AT))) {
      ArchiveCatalog c = open(st, false);
      assertEquals(OptionalLong.empty(), c.snapshot(), "no key trusted: no snapshot believed");
      assertTrue(
          !batchesReadBelow(st, root, tilesEnd, snapshot).isEmpty(),
          "the fold reads the batches the snapshot covers");
      folded = described(caseSheet(c));
    }
    assertTrue(folded.get(GONE).startsWith("destroyed "), folded.toString());

    try (CountingStore st = new CountingStore(FileSystemEvidenceStore.open(root, AT))) {
      ArchiveCatalog c = open(st, true);

      assertEquals(OptionalLong.of(snapshot), c.snapshot());
      assertEquals(List.of(), c.snapshotsRefused());
      assertEquals(
          Map.of(),
          batchesReadBelow(st, root, tilesEnd, snapshot),
          "the ledger's tiles and the signed snapshot stand for every batch below the tiles' end");
      assertEquals(
          1, st.reads.get(CatalogIndex.PREFIX + String.format("%020d.tsv", snapshot)).get());
      // the sheet is the fold's: the destroyed row, its disposal and approvers, from the snapshot
      assertEquals(folded, described(caseSheet(c)));
    }
  }

  /**
   * Content nobody logged (a crashed ingest's leftover, or a planted file) beside a signed
   * snapshot: the snapshot cannot have left a logged recording out, so the catalog still opens from
   * it without listing the store, and the stray object is the sweep's to report.
   */
  @Test
  void aStrayObjectInTheStoreCostsNoFold() throws Exception {
    Path root = dir.resolve("store");
    long snapshot = archiveWithADestroyedRecording(root);
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, AT)) {
      PermanentRecords.put(
          st,
          ObjectKey.of("DEVCAM7/2023-06-01/leftover.mp4"),
          "a crashed ingest's bytes".getBytes(StandardCharsets.UTF_8));
    }
    try (CountingStore st = new CountingStore(FileSystemEvidenceStore.open(root, AT))) {
      ArchiveCatalog c = open(st, true);
      assertEquals(OptionalLong.of(snapshot), c.snapshot());
      assertEquals(Map.of(), batchesReadBelow(st, root, snapshot / 256 * 256, snapshot));
      Selection s = caseSheet(c);
      assertEquals(2, s.recordings().size());
      assertEquals(List.of(GONE), s.destroyed().stream().map(r -> r.key()).toList());
    }
  }

  /**
   * The destroyed recording's seal, kept for good, replaced under the store by one a stolen station
   * key could sign: the snapshot carries the digest its sealed entry logged, so the row is flagged
   * from the snapshot as from a fold.
   */
  @Test
  void aReplacedKeptSealIsCaughtByTheDigestTheSnapshotCarries() throws Exception {
    Path root = dir.resolve("store");
    long snapshot = archiveWithADestroyedRecording(root);
    Path substitute = dir.resolve("substitute.mp4");
    Files.write(substitute, "not what the camera recorded".getBytes(StandardCharsets.UTF_8));
    Seal forged =
        Sealer.create()
            .seal(substitute)
            .withMetadata(
                RecordingMetadata.builder()
                    .deviceId("DEVCAM9")
                    .addCaseId(CASE)
                    .recordingStart(Instant.parse("2023-06-01T14:10:00Z"))
                    .build());
    ReplacedSealSheetTest.removeObject(root, ReportTest.SPLIT3[0] + ".seal.json");
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, AT)) {
      PermanentRecords.put(st, ObjectKey.of(GONE + ".seal.json"), forged.toJson());
    }
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, AT)) {
      ArchiveCatalog c = open(st, true);
      assertEquals(OptionalLong.of(snapshot), c.snapshot());
      CatalogedRecording row = caseSheet(c).destroyed().get(0);
      assertEquals(GONE, row.key());
      assertEquals(SweepReport.Status.DAMAGED, row.verification().orElseThrow());
      assertTrue(row.seal().isEmpty(), "the substitute is not its seal");
      assertEquals("DEVCAM7", row.metadata().deviceId().orElseThrow(), "from its sealed entry");
    }
  }

  /**
   * A snapshot signed for an older state: the catalog starts from it and folds only the entries
   * after it, a second disposal among them, and says what the whole ledger says.
   */
  @Test
  void aSnapshotOfAnOlderCheckpointFoldsOnlyTheTail() throws Exception {
    Path root = dir.resolve("store");
    long snapshot = archiveWithADestroyedRecording(root);
    long size;
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, AT)) {
      DestroyedRecordingsSheetTest.dispose(
          st, DestroyedRecordingsSheetTest.LATER.plusSeconds(60), ReportTest.SPLIT3[1]);
      EvidenceLedger ledger = EvidenceLedger.open(st, AT);
      size = ledger.size();
      ledger.checkpoint(PlantedSnapshotSheetTest.LEDGER_KEY);
    }
    assertTrue(size > snapshot);
    Map<String, String> folded;
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, AT)) {
      folded = described(caseSheet(open(st, false)));
      CatalogIndex index =
          CatalogIndex.read(
              st, EvidenceLedger.openFromCheckpoint(st, AT), PlantedSnapshotSheetTest.TRUSTED);
      assertEquals(OptionalLong.of(snapshot), index.snapshot());
      assertEquals(size - snapshot, index.entriesRead(), "the tail only");
      assertEquals(List.of(GONE, LATER_GONE), List.copyOf(index.disposed().keySet()));
      assertEquals(index.disposed().keySet(), index.disposedSeals().keySet());

      ArchiveCatalog c = open(st, true);
      assertEquals(OptionalLong.of(snapshot), c.snapshot());
      Selection s = caseSheet(c);
      assertEquals(List.of(GONE, LATER_GONE), s.destroyed().stream().map(r -> r.key()).toList());
      assertEquals(folded, described(s));
    }
  }

  /**
   * A signed snapshot with one digit of a row changed (its signature kept), and a snapshot of the
   * earlier, unsigned format: both refused and named, and the ledger folded instead.
   */
  @Test
  void anEditedOrUnsignedSnapshotIsRefusedAndTheLedgerDecides() throws Exception {
    Path root = dir.resolve("store");
    long snapshot = archiveWithADestroyedRecording(root);
    Path content = snapshotContent(root);
    String text = Files.readString(content, StandardCharsets.UTF_8);
    int d = text.indexOf("\nd\t") + 3; // the destroyed row's disposed entry
    char digit = text.charAt(d);
    String edited =
        text.substring(0, d) + (digit == '9' ? '8' : (char) (digit + 1)) + text.substring(d + 1);
    overwrite(content, edited);
    Map<String, String> folded;
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, AT)) {
      folded = described(caseSheet(open(st, false)));
      // an older size, in the earlier format: what session 14 wrote, unsigned
      EvidenceLedger ledger = EvidenceLedger.open(st, AT);
      long older = snapshot - 100;
      PermanentRecords.put(
          st,
          ObjectKey.of(CatalogIndex.PREFIX + String.format("%020d.tsv", older)),
          ("evidencekit-catalog 4\nledger-size\t"
                  + older
                  + "\nledger-root\t"
                  + ledger.root(older).hex()
                  + "\nend\t0\t0\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, AT)) {
      ArchiveCatalog c = open(st, true);
      assertEquals(OptionalLong.empty(), c.snapshot());
      List<String> refused = c.snapshotsRefused();
      assertEquals(2, refused.size(), refused.toString());
      assertTrue(refused.get(0).contains("not signed by a trusted ledger key"), refused.get(0));
      assertTrue(refused.get(1).contains("is not signed by the ledger's key"), refused.get(1));
      assertEquals(folded, described(caseSheet(c)));
    }
  }

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
}
