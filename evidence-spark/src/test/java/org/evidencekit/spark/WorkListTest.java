package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the driver settles from the listing alone, before any executor reads a byte. */
class WorkListTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private static void put(EvidenceStore store, String key) throws Exception {
    try (WritableObject w = store.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(new byte[] {1}));
      w.commit();
    }
  }

  /**
   * Ingests {@code cam/gone.mp4} and disposes of it as a plan's run would (its {@code disposed}
   * entry, its content deleted); returns the ledger.
   */
  private static EvidenceLedger disposeOne(EvidenceStore store, Path dir) throws Exception {
    EvidenceArchive archive = EvidenceArchive.open(store, CLOCK);
    Path f = dir.resolve("gone.mp4");
    Files.write(f, new byte[70_000]);
    archive.ingest("cam/gone.mp4", f, Sealer.create().seal(f), "intake-1");
    archive
        .ledger()
        .append(
            LedgerEntry.builder()
                .type(EntryType.DISPOSED)
                .time(CLOCK.instant())
                .actor("executor")
                .subject("gone")
                .details(Map.of("plan", "p", "objectKey", "cam/gone.mp4"))
                .build());
    store.delete(ObjectKey.of("cam/gone.mp4"));
    return archive.ledger();
  }

  private static Map<String, RecordingResult> settled(EvidenceStore store, EvidenceLedger ledger)
      throws Exception {
    CatalogIndex catalog = CatalogIndex.read(store, ledger);
    WorkList w = WorkList.withListing(catalog, store);
    assertTrue(w.work.isEmpty());
    return w.settled.stream().collect(Collectors.toMap(RecordingResult::key, r -> r));
  }

  /**
   * A seal whose recording was disposed of is kept for good: the one its sealed entry
   * logged is named disposed, as the single-process sweep names it, not a missing recording; a seal
   * without content and without a disposal is still missing content.
   */
  @Test
  void aDisposedRecordingsSealIsNotMissingContent() throws Exception {
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK)) {
      EvidenceLedger ledger = disposeOne(store, dir);
      put(store, "cam/lost.mp4.seal.json");
      Map<String, RecordingResult> settled = settled(store, ledger);
      assertEquals(Status.OK, settled.get("cam/gone.mp4").status(), settled.toString());
      assertTrue(
          settled.get("cam/gone.mp4").detail().startsWith("disposed at ledger entry 1;"),
          settled.toString());
      assertTrue(
          settled.get("cam/gone.mp4").detail().endsWith("as logged at entry 0"),
          settled.toString());
      assertEquals(Status.MISSING, settled.get("cam/lost.mp4").status(), settled.toString());
    }
  }

  /**
   * The Spark sweep used to call a destroyed recording's kept seal OK from the listing alone: one
   * replaced by another seal, or by bytes that are no seal, is DAMAGED now, and a deleted one
   * MISSING, in the single-process sweep's words.
   */
  @Test
  void aReplacedDamagedOrDeletedKeptSealIsNotOk() throws Exception {
    try (InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK)) {
      EvidenceLedger ledger = disposeOne(store, dir);
      ObjectKey seal = ObjectKey.of("cam/gone.mp4" + EvidenceArchive.SEAL_SUFFIX);
      Path other = dir.resolve("other.mp4");
      Files.write(other, new byte[] {7, 7, 7});

      store.removeBehindTheStore(seal);
      try (WritableObject w = store.create(seal)) {
        w.write(ByteBuffer.wrap(Sealer.create().seal(other).toJson()));
        w.commit();
      }
      RecordingResult replaced = settled(store, ledger).get("cam/gone.mp4");
      assertEquals(Status.DAMAGED, replaced.status(), replaced.toString());
      assertTrue(replaced.detail().contains("logged at entry 0 (replaced)"), replaced.toString());

      store.removeBehindTheStore(seal);
      put(store, seal.value());
      RecordingResult damaged = settled(store, ledger).get("cam/gone.mp4");
      assertEquals(Status.DAMAGED, damaged.status(), damaged.toString());
      assertTrue(damaged.detail().contains("cannot be read"), damaged.toString());

      store.removeBehindTheStore(seal);
      RecordingResult gone = settled(store, ledger).get("cam/gone.mp4");
      assertEquals(Status.MISSING, gone.status(), gone.toString());
      assertTrue(
          gone.detail().startsWith("seal missing: disposed at ledger entry 1"), gone.toString());
    }
  }
}
