package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
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
   * A seal whose recording was disposed of is kept for good: named disposed, as the
   * single-process sweep names it, not a missing recording; a seal without content and without a
   * disposal is still missing content.
   */
  @Test
  void aDisposedRecordingsSealIsNotMissingContent() throws Exception {
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      put(store, "cam/gone.mp4.seal.json");
      put(store, "cam/lost.mp4.seal.json");
      WorkList w =
          WorkList.withListing(
              new TreeMap<String, CatalogIndex.Row>(),
              new TreeMap<>(Map.of("cam/gone.mp4", 7L)),
              store);
      Map<String, RecordingResult> settled =
          w.settled.stream().collect(Collectors.toMap(RecordingResult::key, r -> r));
      assertEquals(Status.OK, settled.get("cam/gone.mp4").status(), settled.toString());
      assertTrue(
          settled.get("cam/gone.mp4").detail().startsWith("disposed at ledger entry 7"),
          settled.toString());
      assertEquals(Status.MISSING, settled.get("cam/lost.mp4").status(), settled.toString());
      assertTrue(w.work.isEmpty());
    }
  }
}
