package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The last step of an ingest run writes a catalog snapshot once a batch of entries came in. */
class CatalogStepTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private static void seal(EvidenceLedger ledger, int n, int from) throws IOException {
    List<LedgerEntry> batch = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      batch.add(
          LedgerEntry.builder()
              .type(EntryType.SEALED)
              .time(CLOCK.instant())
              .actor("station-1")
              .subject("cam/" + i + ".mp4")
              .payloadDigest(String.format("%064x", i))
              .build());
    }
    ledger.appendAll(batch);
  }

  private static ObjectKey snapshot(long size) {
    return ObjectKey.of(String.format("catalog/%020d.tsv", size));
  }

  private static long snapshots(EvidenceStore store) throws IOException {
    try (var s = store.keys("catalog/")) {
      return s.count();
    }
  }

  @Test
  void aSnapshotIsWrittenOnceABatchOfEntriesAccumulated() throws IOException {
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      seal(ledger, CatalogIndex.DEFAULT_EVERY - 1, 0);
      CatalogStep.afterRun(store, ledger);
      assertEquals(0, snapshots(store), "not due yet");
      seal(ledger, 1, CatalogIndex.DEFAULT_EVERY - 1);
      CatalogStep.afterRun(store, ledger);
      assertTrue(store.exists(snapshot(CatalogIndex.DEFAULT_EVERY)));
      seal(ledger, 10, CatalogIndex.DEFAULT_EVERY);
      CatalogStep.afterRun(store, ledger);
      assertEquals(1, snapshots(store), "10 entries since: not due");
      CatalogIndex index = CatalogIndex.read(store, ledger);
      assertEquals(OptionalLong.of(CatalogIndex.DEFAULT_EVERY), index.snapshot());
      assertEquals(10, index.entriesRead());
      assertEquals(CatalogIndex.DEFAULT_EVERY + 10, index.recordings().size());
    }
  }

  @Test
  void aStoreThatRefusesTheSnapshotDoesNotFailTheRun() throws IOException {
    EvidenceLedger ledger;
    EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK);
    ledger = EvidenceLedger.open(store, CLOCK);
    seal(ledger, CatalogIndex.DEFAULT_EVERY, 0);
    store.close(); // every call now fails with StoreUnavailableException
    CatalogStep.afterRun(store, ledger);
  }
}
