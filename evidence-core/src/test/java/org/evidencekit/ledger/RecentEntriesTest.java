package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.junit.jupiter.api.Test;

/**
 * Ranges of entries are the log's, whether the ledger still holds them parsed (the latest {@link
 * EvidenceLedger#RECENT}, appended here or taken in from another writer) or reads their batches
 * again: compared with a fresh instance, which reads every one from the store.
 */
class RecentEntriesTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void rangesInMemoryAndFromTheStoreAgree() throws Exception {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC));
    EvidenceLedger mine = EvidenceLedger.open(store, Clock.systemUTC());
    EvidenceLedger other = EvidenceLedger.open(store, Clock.systemUTC());
    int n = 0;
    for (int round = 0; round < 6; round++) {
      EvidenceLedger writer = round % 3 == 2 ? other : mine; // some batches come from elsewhere
      writer.refresh();
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = 0; i < 1100; i++, n++) {
        batch.add(EvidenceLedgerTest.entry(n));
      }
      writer.appendAll(batch);
    }
    mine.refresh();
    assertEquals(n, mine.size());
    EvidenceLedger fresh = EvidenceLedger.open(store, Clock.systemUTC());
    long[][] ranges = {
      {0, n},
      {n - 1, n},
      {n, n},
      {n - EvidenceLedger.RECENT, n},
      {n - EvidenceLedger.RECENT - 1, n},
      {n - 5000, n - 10},
      {100, 200},
      {1099, 1101},
      {n - 2000, n - 1999}
    };
    for (long[] r : ranges) {
      assertEquals(
          text(fresh.entries(r[0], r[1])), text(mine.entries(r[0], r[1])), r[0] + ".." + r[1]);
      assertEquals(
          text(fresh.entries(r[0], r[1])),
          text(fresh.entries().subList((int) r[0], (int) r[1])),
          "a fresh instance's own memory agrees too");
    }
  }

  private static List<String> text(List<LedgerEntry> es) {
    List<String> out = new ArrayList<>();
    for (LedgerEntry e : es) {
      out.add(new String(e.canonical(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return out;
  }
}
