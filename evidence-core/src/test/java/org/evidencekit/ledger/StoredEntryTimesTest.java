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
 * intact, and the backdated ingest read as on time. (The rules themselves: EntryTimeAnchorsTest.)
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
  void aBackdatedEntryWrittenAroundTheLedgerIsNamed() throws IOException {
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
      // inconclusive, not tampered: nothing in the bytes tells an entry an older build wrote
      // before the rule from one written around the ledger (docs/ledger.md, "Entries")
      assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
      List<Finding> found = timeFindings(r);
      assertEquals(1, found.size(), r::toString);
      String m = found.get(0).message();
      assertTrue(m.startsWith("entry 3: "), m);
      assertTrue(m.contains("2026-02-28T01:00:00Z"), m);
    }
  }
}
