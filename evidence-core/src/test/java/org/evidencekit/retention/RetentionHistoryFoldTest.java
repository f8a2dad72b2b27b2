package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.store.StoreFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention history is folded entry by entry as the ledger's batches are read (R-07, R-14): a
 * retention entry that cannot be read, or a batch that cannot, stops the fold with the same error
 * at every read, and the fold neither skips nor repeats an entry around it. The ledger is longer
 * than the entries a ledger keeps parsed in memory, so the fold reads batches from the store.
 */
class RetentionHistoryFoldTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final int FIRST = 2500;
  static final int LAST = 2500;

  @TempDir Path dir;
  FileSystemEvidenceStore store;

  @BeforeEach
  void threeBatches() throws Exception {
    store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.fixed(T0, ZoneOffset.UTC));
    EvidenceLedger ledger = EvidenceLedger.open(store, Clock.fixed(T0, ZoneOffset.UTC));
    List<LedgerEntry> first = new ArrayList<>(decisions(0, 9));
    first.add(hold("R-held", "h-1"));
    ledger.appendAll(first); // a repeat would place this hold twice
    ledger.appendAll(decisions(10, FIRST - 10));
    ledger.appendAll(List.of(decided("R-middle", "2030-01-01T00:00:00Z")));
    ledger.appendAll(decisions(FIRST, LAST));
    assertTrue(FIRST + 1 + LAST > EvidenceLedger.MAX_BATCH, "past what a ledger keeps parsed");
  }

  private static List<LedgerEntry> decisions(int from, int n) {
    List<LedgerEntry> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      // R0..R99 raised again and again: a repeat or a skip changes no mark, a lost raise does
      out.add(decided("R" + (i % 100), T0.plus(Duration.ofDays(i)).toString()));
    }
    return out;
  }

  private static LedgerEntry hold(String id, String holdId) {
    return LedgerEntry.builder()
        .type(EntryType.HOLD_PLACED)
        .time(T0)
        .actor("legal")
        .subject(id)
        .details(
            Map.of(
                RetentionEvents.HOLD, holdId,
                RetentionEvents.KIND, "legal",
                RetentionEvents.REASON, "appeal"))
        .build();
  }

  private static LedgerEntry decided(String id, String until) {
    return LedgerEntry.builder()
        .type(EntryType.RETENTION_DECIDED)
        .time(T0)
        .actor("station")
        .subject(id)
        .details(Map.of(RetentionEvents.UNTIL, until, RetentionEvents.PERMANENT, "false"))
        .build();
  }

  private EvidenceLedger open() throws Exception {
    return EvidenceLedger.open(store, Clock.fixed(T0, ZoneOffset.UTC));
  }

  private Path batch(long first) {
    return StoreFiles.content(
        store, ObjectKey.of(String.format("ledger/batches/%020d.jsonl", first)));
  }

  @Test
  void theFoldReadsEveryEntryOnce() throws Exception {
    RetentionHistory h = RetentionHistory.reader(open()).read();
    assertEquals(1, h.holds("R-held").size());
    for (int r = 0; r < 100; r++) {
      // the last raise of R<r> is the largest i < FIRST + LAST with i % 100 == r
      int last = (FIRST + LAST - 100) + r;
      assertEquals(
          T0.plus(Duration.ofDays(last)), h.mark("R" + r).orElseThrow().until().orElseThrow());
    }
    assertEquals(
        Instant.parse("2030-01-01T00:00:00Z"),
        h.mark("R-middle").orElseThrow().until().orElseThrow());
  }

  @Test
  void aBatchThatCannotBeReadStopsTheFoldAtEveryReadAndItResumesWhereItStopped() throws Exception {
    EvidenceLedger ledger = open();
    String whole = new String(RetentionHistory.reader(open()).read().toJson());
    RetentionHistory.Reader reader = RetentionHistory.reader(ledger);
    // the second batch, cut short behind the store after the ledger read it at open: the first
    // batch's entries are folded before the fold stops
    Path middle = batch(10);
    byte[] kept = Files.readAllBytes(middle);
    middle.toFile().setWritable(true);
    Files.write(middle, java.util.Arrays.copyOf(kept, kept.length - 2));
    for (int i = 0; i < 2; i++) {
      LedgerException x = assertThrows(LedgerException.class, reader::read);
      assertTrue(x.getMessage().contains(String.format("%020d", 10)), x.getMessage());
    }
    Files.write(middle, kept);
    // what was folded before the failure is neither lost nor folded twice
    RetentionHistory resumed = reader.read();
    assertEquals(whole, new String(resumed.toJson()));
    assertEquals(1, resumed.holds("R-held").size());
  }

  @Test
  void aRetentionEntryThatCannotBeReadIsRefusedAtEveryRead() throws Exception {
    EvidenceLedger ledger = open();
    ledger.appendAll(List.of(decided("R-bad", "soon")));
    ledger.appendAll(decisions(FIRST + LAST, 10));
    RetentionHistory.Reader reader = RetentionHistory.reader(ledger);
    for (int i = 0; i < 2; i++) {
      RetentionFormatException x = assertThrows(RetentionFormatException.class, reader::read);
      assertTrue(
          x.getMessage().contains("R-bad") && x.getMessage().contains("soon"), x.getMessage());
      assertThrows(RetentionFormatException.class, () -> reader.read(List.of("R1")));
    }
    assertThrows(RetentionFormatException.class, () -> RetentionHistory.read(open()));
  }

  /**
   * Folds while other threads append to the same ledger: the fold holds its own lock while it reads
   * batches and the ledger's, the appends the ledger's: none waits for the other for good (the time
   * box catches a deadlock), and the history read at the end is a fresh instance's, each hold once.
   */
  @Test
  @Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
  void foldsAndAppendsOnOneLedgerFromManyThreadsAgree() throws Exception {
    EvidenceLedger ledger = open();
    RetentionHistory.Reader shared = RetentionHistory.reader(ledger);
    java.util.concurrent.atomic.AtomicInteger appending =
        new java.util.concurrent.atomic.AtomicInteger(2);
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      int me = t;
      threads.add(
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 60; i++) {
                    ledger.appendAll(
                        List.of(
                            decided("C" + me, T0.plus(Duration.ofDays(9000 + i)).toString()),
                            hold("H" + me, "h-" + i)));
                  }
                } catch (Throwable x) {
                  failures.add(x);
                } finally {
                  appending.decrementAndGet();
                }
              }));
      threads.add(
          new Thread(
              () -> {
                try {
                  while (appending.get() > 0) {
                    shared.read(List.of("C0", "C1"));
                    RetentionHistory.reader(ledger).read(); // a fold from the first entry
                  }
                } catch (Throwable x) {
                  failures.add(x);
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), failures);
    RetentionHistory fresh = RetentionHistory.reader(open()).read();
    RetentionHistory folded = shared.read();
    assertEquals(new String(fresh.toJson()), new String(folded.toJson()));
    for (String h : List.of("H0", "H1")) {
      assertEquals(60, folded.holds(h).size(), h);
      assertEquals(60, fresh.holds(h).size(), h);
    }
    assertEquals(
        T0.plus(Duration.ofDays(9059)), folded.mark("C1").orElseThrow().until().orElseThrow());
  }
}
