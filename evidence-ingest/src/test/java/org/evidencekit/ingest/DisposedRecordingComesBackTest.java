package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording disposed of under an approved plan whose copy comes in again, years later,
 * from a card or another station: it is stored and logged again (nothing is lost), reported as a
 * new ingest with a DISPOSED_BEFORE warning, not as the completion of an interrupted one, and the
 * archive stays consistent.
 */
class DisposedRecordingComesBackTest {
  @TempDir Path dir;

  @Test
  void storedAgainLoggedAgainAndFlagged() throws Exception {
    Path f = Fixtures.copy("fixtures/remuxed-no-creation-time.mp4", dir.resolve("in/clip.mp4"));
    MutableClock wall = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(wall);
    IngestRequest request = IngestRequest.builder("CAM", "p").add(f).build();
    IngestedRecording first =
        IngestStation.builder()
            .store(store)
            .clock(wall)
            .build()
            .ingest(request)
            .recordings()
            .get(0);
    assertEquals(IngestStatus.INGESTED, first.status());
    String key = first.key().orElseThrow();

    // eleven years on, past any retention for an undated clip of no case: disposed of as
    // DispositionExecution does it (content deleted, seal kept for good, a disposed entry)
    wall.advance(Duration.ofDays(11 * 366));
    Fixtures.acceptClockJump(store, wall.instant(), dir.resolve("clock-mark"));
    store.delete(ObjectKey.of(key));
    long disposedAt =
        EvidenceLedger.open(store, wall)
            .append(
                LedgerEntry.builder()
                    .type(EntryType.DISPOSED)
                    .time(wall.instant())
                    .actor("records-officer")
                    .subject("recording-1")
                    .details(Map.of("plan", "p", "objectKey", key))
                    .build());

    IngestStation station = IngestStation.builder().store(store).clock(wall).build();
    IngestedRecording back = station.ingest(request).recordings().get(0);
    assertEquals(IngestStatus.INGESTED, back.status(), back.findings()::toString);
    IngestFinding flag =
        back.findings().stream()
            .filter(x -> x.code().equals(IngestCodes.DISPOSED_BEFORE))
            .findFirst()
            .orElseThrow(() -> new AssertionError(back.findings()));
    assertEquals(IngestFinding.Severity.WARNING, flag.severity());
    assertTrue(flag.message().contains("ledger entry " + disposedAt), flag.message());
    assertTrue(store.exists(ObjectKey.of(key)));
    // the seal kept for good is the one in force: the recording's first ingest
    assertEquals(first.seal().orElseThrow().digest(), back.seal().orElseThrow().digest());
    List<LedgerEntry> entries = EvidenceLedger.open(store, wall).entries();
    LedgerEntry last =
        entries.stream()
            .filter(e -> e.type().equals(EntryType.SEALED) && e.subject().equals(key))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertTrue(entries.indexOf(last) > disposedAt, "logged again after its disposal");

    SweepReport sweep = EvidenceArchive.open(store, wall).sweep(null);
    assertTrue(sweep.clean(), sweep::toString);
    assertEquals("intact", sweep.items().get(0).detail(), sweep::toString);

    // once back, it is an ordinary recording: a further run changes nothing
    int size = entries.size();
    IngestedRecording again = station.ingest(request).recordings().get(0);
    assertEquals(IngestStatus.ALREADY, again.status());
    assertTrue(
        again.findings().stream().noneMatch(x -> x.code().equals(IngestCodes.DISPOSED_BEFORE)));
    assertEquals(size, EvidenceLedger.open(store, wall).size());
  }
}
