package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entries written around the ledger, as whoever can write the store's files can: the
 * ledger refuses on append an entry timed more than 2 minutes before its latest entry (an ingest
 * backdated into its 24 hours) or more than 31 days after it without a named acceptance, but a
 * batch committed beside it with such an entry, after the newest checkpoint, was verified as
 * intact, and the backdated ingest read as on time.
 */
class StoredEntryTimesTest {
  static final Instant LATEST = EntryTimeBoundsTest.LATEST;
  @TempDir Path dir;

  private static LedgerEntry sealed(Instant time, String key) {
    return LedgerEntry.builder()
        .type(EntryType.SEALED)
        .time(time)
        .actor("ingest-station")
        .subject(key)
        .payloadDigest("ab".repeat(32))
        .details(Map.of("device", "CAM-7"))
        .build();
  }

  /** Commits a batch of these entries at {@code first} through the store, not the ledger. */
  private static void writeAround(FileSystemEvidenceStore store, long first, LedgerEntry... es)
      throws IOException {
    try (WritableObject w = store.create(EvidenceLedger.batchKey(first))) {
      for (LedgerEntry e : es) {
        w.write(ByteBuffer.wrap(e.canonical()));
        w.write(ByteBuffer.wrap(new byte[] {'\n'}));
      }
      w.commit();
    }
  }

  private static List<Finding> timeFindings(LedgerReport r) {
    return r.findings().stream()
        .filter(f -> f.code().equals(LedgerFindingCode.ENTRY_TIME_REFUSED))
        .collect(Collectors.toList());
  }

  @Test
  void aBackdatedEntryWrittenAroundTheLedgerIsTampering() throws IOException {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir, EntryTimeBoundsTest.CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, EntryTimeBoundsTest.CLOCK);
      l.append(EntryTimeBoundsTest.viewed(LATEST, "cam/a.mp4"));
      l.append(EntryTimeBoundsTest.viewed(LATEST.plusSeconds(60), "cam/a.mp4"));
      // 1 minute behind the latest: stations' clocks differ that much, and the ledger takes it
      l.append(EntryTimeBoundsTest.viewed(LATEST, "cam/a.mp4"));
      assertEquals(Verdict.INTACT, l.verify(TrustAnchors.none()).verdict());

      // an ingest logged as a day earlier than it was: inside the 24 hours it missed
      writeAround(store, 3, sealed(LATEST.minus(Duration.ofDays(1)), "cam/late.mp4"));
      LedgerReport r =
          EvidenceLedger.open(store, EntryTimeBoundsTest.CLOCK).verify(TrustAnchors.none());
      assertEquals(Verdict.TAMPERED, r.verdict(), r::toString);
      List<Finding> found = timeFindings(r);
      assertEquals(1, found.size(), r::toString);
      String m = found.get(0).message();
      assertTrue(m.startsWith("entry 3 (sealed cam/late.mp4) is timed 2026-02-28T01:00:00Z"), m);
      assertTrue(m.contains("before the latest entry before it (2026-03-01T01:01:00Z)"), m);
    }
  }

  @Test
  void anEntryFarAheadWithoutANamedAcceptanceIsTamperingAndOneAcceptedIsNot() throws IOException {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir, EntryTimeBoundsTest.CLOCK)) {
      EvidenceLedger.open(store, EntryTimeBoundsTest.CLOCK)
          .append(EntryTimeBoundsTest.viewed(LATEST, "cam/a.mp4"));
      Instant later = LATEST.plus(Duration.ofDays(400));
      writeAround(
          store,
          1,
          EntryTimeBoundsTest.jumpAccepted(LATEST, later, "station down for a year"),
          EntryTimeBoundsTest.viewed(later, "cam/a.mp4"),
          // record-timed: a disposal logged after the run that made its tombstone stopped
          LedgerEntry.builder()
              .type(EntryType.DISPOSED)
              .time(LATEST)
              .actor("ro-4")
              .subject("cam/a.mp4")
              .details(Map.of("plan", "p", "objectKey", "cam/a.mp4"))
              .build());
      assertEquals(
          Verdict.INTACT,
          EvidenceLedger.open(store, EntryTimeBoundsTest.CLOCK)
              .verify(TrustAnchors.none())
              .verdict());

      Instant muchLater = later.plus(Duration.ofDays(32));
      writeAround(store, 4, EntryTimeBoundsTest.viewed(muchLater, "cam/a.mp4"));
      LedgerReport r =
          EvidenceLedger.open(store, EntryTimeBoundsTest.CLOCK).verify(TrustAnchors.none());
      assertEquals(Verdict.TAMPERED, r.verdict(), r::toString);
      List<Finding> found = timeFindings(r);
      assertEquals(1, found.size(), r::toString);
      assertTrue(found.get(0).message().startsWith("entry 4 (viewed cam/a.mp4)"), found::toString);
      assertTrue(
          found.get(0).message().contains("after the latest entry before it"), found::toString);
    }
  }
}
