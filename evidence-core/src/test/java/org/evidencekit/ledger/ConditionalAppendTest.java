package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.junit.jupiter.api.Test;

/**
 * {@link EvidenceLedger#appendIf}: the condition is judged at the exact position the entry takes,
 * against every earlier entry of every writer, so "at most one sealed entry per recording" and
 * "each seal names the device's tip" hold however writers interleave.
 */
class ConditionalAppendTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private static LedgerEntry sealed(String subject, String device, String digest) {
    return LedgerEntry.builder()
        .type(EntryType.SEALED)
        .time(CLOCK.instant())
        .actor("t")
        .subject(subject)
        .payloadDigest(digest)
        .details(Map.of("device", device))
        .build();
  }

  private static String hex(int n) {
    return String.format("%064x", n);
  }

  private static LedgerEntry disposed(String id, String objectKey) {
    return LedgerEntry.builder()
        .type(EntryType.DISPOSED)
        .time(CLOCK.instant())
        .actor("ro")
        .subject(id) // a recording's id need not be its key
        .details(Map.of("plan", "p", "objectKey", objectKey))
        .build();
  }

  /**
   * A recording disposed of is no longer live, and the view says where it was disposed of, until it
   * is sealed again: in the ledger as read, as reopened, and inside one batch, where each condition
   * sees the entries admitted before it.
   */
  @Test
  void theViewKnowsWhatWasDisposedOfUntilItIsSealedAgain() throws Exception {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
    EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
    l.appendAll(List.of(sealed("K/a", "D", hex(1)), sealed("K/b", "D", hex(2))));
    l.append(disposed("rec-a", "K/a"));
    for (LedgerView v : List.of(l.view(), EvidenceLedger.open(store, CLOCK).view())) {
      assertEquals(OptionalLong.empty(), v.sealedIndex("K/a"));
      assertEquals(OptionalLong.of(2), v.disposedIndex("K/a"));
      assertEquals(OptionalLong.empty(), v.disposedIndex("rec-a"), "keyed by the object removed");
      assertEquals(OptionalLong.empty(), v.disposedIndex("K/b"));
    }
    // one batch: disposed, then sealed again; each condition sees what came before it
    List<OptionalLong> idx =
        l.appendAllIf(
            List.of(
                disposed("rec-b", "K/b"), sealed("K/a", "D", hex(3)), sealed("K/c", "D", hex(4))),
            List.of(
                v -> v.disposedIndex("K/b").isEmpty() && v.sealedIndex("K/b").isPresent(),
                v ->
                    v.disposedIndex("K/b").equals(OptionalLong.of(3))
                        && v.sealedIndex("K/a").isEmpty(),
                v ->
                    v.disposedIndex("K/a").isEmpty()
                        && v.sealedIndex("K/a").equals(OptionalLong.of(4))));
    assertEquals(List.of(OptionalLong.of(3), OptionalLong.of(4), OptionalLong.of(5)), idx);
    for (LedgerView v : List.of(l.view(), EvidenceLedger.open(store, CLOCK).view())) {
      assertEquals(OptionalLong.empty(), v.disposedIndex("K/a"), "sealed again");
      assertEquals(OptionalLong.of(4), v.sealedIndex("K/a"));
      assertEquals(OptionalLong.of(3), v.disposedIndex("K/b"));
      assertEquals(OptionalLong.empty(), v.sealedIndex("K/b"));
    }
  }

  @Test
  void writersOnSeparateLedgersLogEachSubjectOnceAndChainEachDeviceOnce() throws Exception {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
    int writers = 4;
    int subjects = 40;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> done = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int me = w;
      done.add(
          pool.submit(
              () -> {
                EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
                go.await();
                int won = 0;
                for (int i = 0; i < subjects; i++) {
                  String subject = "DEV/" + ((i * 7 + me * 3) % subjects);
                  while (true) {
                    String prev =
                        l.view()
                            .latestSealOf("DEV")
                            .flatMap(s -> s.entry().payloadDigest())
                            .orElse("");
                    String digest = hex(me * 1000 + i);
                    OptionalLong idx =
                        l.appendIf(
                            LedgerEntry.builder()
                                .type(EntryType.SEALED)
                                .time(CLOCK.instant())
                                .actor("w" + me)
                                .subject(subject)
                                .payloadDigest(digest)
                                .details(Map.of("device", "DEV", "previousSeal", prev))
                                .build(),
                            v ->
                                v.sealedIndex(subject).isEmpty()
                                    && v.latestSealOf("DEV")
                                        .flatMap(s -> s.entry().payloadDigest())
                                        .orElse("")
                                        .equals(prev));
                    if (idx.isPresent()) {
                      won++;
                      break;
                    }
                    if (l.view().sealedIndex(subject).isPresent()) {
                      break; // another writer logged it
                    }
                  }
                }
                return won;
              }));
    }
    go.countDown();
    int total = 0;
    for (Future<Integer> f : done) {
      total += f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertEquals(subjects, total, "each subject logged by exactly one writer");
    List<LedgerEntry> all = EvidenceLedger.open(store, CLOCK).entries();
    assertEquals(subjects, all.size());
    Set<String> seen = new HashSet<>();
    String prev = "";
    for (LedgerEntry e : all) {
      assertTrue(seen.add(e.subject()), "twice: " + e.subject());
      assertEquals(prev, e.details().get("previousSeal"), "the chain runs in log order");
      prev = e.payloadDigest().orElseThrow();
    }
  }

  @Property(tries = 60)
  void theViewAgreesWithANaiveModel(@ForAll("ops") List<Integer> ops) throws Exception {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
    EvidenceLedger a = EvidenceLedger.open(store, CLOCK);
    EvidenceLedger b = EvidenceLedger.open(store, CLOCK);
    Map<String, Long> model = new HashMap<>(); // live subject -> index of its sealed entry
    Map<String, String> tips = new HashMap<>();
    long size = 0;
    int n = 0;
    for (int op : ops) {
      EvidenceLedger l = (op & 1) == 0 ? a : b; // two writers, each behind the other at times
      String subject = "S" + ((op >> 1) % 5);
      String device = "D" + ((op >> 4) % 2);
      boolean dispose = (op >> 6) % 4 == 0;
      LedgerEntry e =
          dispose
              ? LedgerEntry.builder()
                  .type(EntryType.DISPOSED)
                  .time(CLOCK.instant())
                  .actor("t")
                  .subject(subject)
                  .build()
              : sealed(subject, device, hex(n++));
      OptionalLong idx =
          l.appendIf(
              e,
              v -> dispose ? v.sealedIndex(subject).isPresent() : v.sealedIndex(subject).isEmpty());
      boolean expected = dispose ? model.containsKey(subject) : !model.containsKey(subject);
      assertEquals(expected, idx.isPresent(), "op " + op);
      if (idx.isPresent()) {
        assertEquals(size, idx.getAsLong());
        size++;
        if (dispose) {
          model.remove(subject);
        } else {
          model.put(subject, idx.getAsLong());
          tips.put(device, e.payloadDigest().orElseThrow());
        }
      }
    }
    b.refresh();
    for (int s = 0; s < 5; s++) {
      Long want = model.get("S" + s);
      assertEquals(
          want == null ? OptionalLong.empty() : OptionalLong.of(want),
          b.view().sealedIndex("S" + s));
    }
    for (Map.Entry<String, String> t : tips.entrySet()) {
      assertEquals(
          t.getValue(),
          b.view().latestSealOf(t.getKey()).orElseThrow().entry().payloadDigest().orElseThrow());
    }
    assertEquals(size, b.size());
  }

  @Provide
  Arbitrary<List<Integer>> ops() {
    return Arbitraries.integers().between(0, 1023).list().ofMaxSize(40);
  }

  /**
   * {@link EvidenceLedger#appendAllIf}: a run's entries land in one batch object; each condition
   * sees the entries admitted before it in the run, so a chain can be judged link by link, and a
   * rejected link takes the links chained after it with it while independent ones still land.
   */
  @Test
  void aRunOfConditionalEntriesLandsInOneBatchAndJudgesLinkByLink() throws Exception {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
    EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
    l.append(sealed("DEV/taken", "DEV", hex(99)));
    long batchesBefore = store.list("ledger/batches/").count();
    List<LedgerEntry> run = new ArrayList<>();
    List<java.util.function.Predicate<LedgerView>> conditions = new ArrayList<>();
    String prev = hex(99);
    for (int i = 0; i < 5; i++) {
      String subject = i == 2 ? "DEV/taken" : "DEV/" + i;
      String p = prev;
      run.add(sealed(subject, "DEV", hex(i)));
      conditions.add(
          v ->
              v.sealedIndex(subject).isEmpty()
                  && v.latestSealOf("DEV")
                      .flatMap(x -> x.entry().payloadDigest())
                      .orElse("")
                      .equals(p));
      prev = hex(i);
    }
    // an unconditional one at the end: lands whatever happened to the chain
    run.add(sealed("OTHER/1", "OTHER", hex(50)));
    conditions.add(v -> true);
    List<OptionalLong> got = l.appendAllIf(run, conditions);
    assertEquals(OptionalLong.of(1), got.get(0));
    assertEquals(OptionalLong.of(2), got.get(1), "sees entry 0 of the same run as the tip");
    assertTrue(got.get(2).isEmpty(), "DEV/taken has an entry");
    assertTrue(got.get(3).isEmpty(), "chained after a rejected link");
    assertTrue(got.get(4).isEmpty());
    assertEquals(OptionalLong.of(3), got.get(5));
    assertEquals(batchesBefore + 1, store.list("ledger/batches/").count(), "one batch object");
    EvidenceLedger reopened = EvidenceLedger.open(store, CLOCK);
    assertEquals(4, reopened.size());
    assertEquals("OTHER/1", reopened.entry(3).subject());
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> l.appendAllIf(run, conditions.subList(0, 1)));
  }
}
