package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's chain of seals checked as the archive holds it: whole after an ingest,
 * whole after a lawful disposal (the seal is kept for good), broken where an insider removed a seal
 * object behind the store.
 */
class StoredDeviceChainTest {
  @TempDir Path dir;

  @Test
  void wholeAfterIngestAndDisposalBrokenWhereASealWasRemoved() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    MutableClock wall = new MutableClock(Instant.parse("2023-06-01T16:00:00Z"));
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(wall);
    List<String> keys =
        IngestStation.builder()
            .store(store)
            .clock(wall)
            .build()
            .ingest(IngestRequest.builder("DEVCAM7", "p").add(card).build())
            .recordings()
            .stream()
            .map(r -> r.key().orElseThrow())
            .toList();
    assertEquals(3, keys.size());
    EvidenceArchive archive = EvidenceArchive.open(store, wall);
    assertEquals(List.of(), archive.deviceChain("DEVCAM7"));
    assertEquals(List.of(), archive.deviceChain("OTHERCAM"), "no seals, nothing broken");

    // the middle recording disposed of lawfully, years later: its seal stays, the chain is whole
    wall.advance(Duration.ofDays(11 * 366));
    Fixtures.acceptClockJump(store, wall.instant(), dir.resolve("clock-mark"));
    store.delete(ObjectKey.of(keys.get(1)));
    archive
        .ledger()
        .append(
            LedgerEntry.builder()
                .type(EntryType.DISPOSED)
                .time(wall.instant())
                .actor("records-officer")
                .subject("recording-2")
                .details(Map.of("plan", "p", "objectKey", keys.get(1)))
                .build());
    assertEquals(List.of(), EvidenceArchive.open(store, wall).deviceChain("DEVCAM7"));

    // an insider removes the first seal object underneath the store: the second's link is missing
    store.removeBehindTheStore(ObjectKey.of(keys.get(0) + EvidenceArchive.SEAL_SUFFIX));
    List<DeviceChain.Finding> broken = EvidenceArchive.open(store, wall).deviceChain("DEVCAM7");
    assertEquals(1, broken.size(), broken::toString);
    assertEquals(DeviceChain.Problem.MISSING, broken.get(0).problem());
  }
}
