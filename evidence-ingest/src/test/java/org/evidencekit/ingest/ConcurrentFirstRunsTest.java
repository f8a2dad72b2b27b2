package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stations make the first runs of one empty archive at once, each through its own store
 * instance on the one folder, their clocks three minutes apart, one across midnight in the policy's
 * zone, over cards that share half their files. Every recording is stored and logged once, none is
 * lost, each is retained after the runs, and none is retained past the decision either station
 * reports for it.
 */
class ConcurrentFirstRunsTest {
  @TempDir Path dir;

  @Test
  void twoStationsFirstRunsOnOneEmptyArchiveKeepEveryRecordingRetainedAsDecided() throws Exception {
    int n = 120;
    int[] sizes = new int[n];
    java.util.Arrays.fill(sizes, 2_000);
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("all"), 9, sizes);
    List<Path> all = new ArrayList<>(files.values());
    // A has the first 80, B the last 80: 40 on both
    IngestRequest.Builder ra = IngestRequest.builder("DEVCAM7", "p-a");
    IngestRequest.Builder rb = IngestRequest.builder("DEVCAM7", "p-b");
    for (int i = 0; i < n; i++) {
      if (i < 80) {
        ra.add(all.get(i));
      }
      if (i >= 40) {
        rb.add(all.get(i));
      }
    }
    Instant tA = Instant.parse("2023-06-01T16:01:30Z"); // 00:01:30 on 06-02 in Shanghai
    Instant tB = tA.minusSeconds(180); // 23:58:30 on 06-01
    Path root = dir.resolve("archive");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (EvidenceStore a =
            FileSystemEvidenceStore.openOrCreate(root, Clock.fixed(tA, ZoneOffset.UTC));
        EvidenceStore b =
            FileSystemEvidenceStore.openOrCreate(root, Clock.fixed(tB, ZoneOffset.UTC))) {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      Future<IngestResult> fa = pool.submit(() -> run(a, tA, ra.build(), go));
      Future<IngestResult> fb = pool.submit(() -> run(b, tB, rb.build(), go));
      go.countDown();
      List<IngestResult> results = List.of(fa.get(), fb.get());
      Map<String, List<Instant>> decided = new HashMap<>();
      for (IngestResult r : results) {
        for (IngestedRecording rec : r.recordings()) {
          assertTrue(
              rec.status() == IngestStatus.INGESTED
                  || rec.status() == IngestStatus.ALREADY
                  || rec.status() == IngestStatus.RESUMED,
              rec + " " + rec.findings());
          rec.retention()
              .flatMap(x -> x.decision().latestFixedEnd())
              .ifPresent(
                  e ->
                      decided
                          .computeIfAbsent(rec.key().orElseThrow(), k -> new ArrayList<>())
                          .add(e));
        }
      }
      List<LedgerEntry> sealed = Fixtures.sealedEntries(a);
      assertEquals(n, sealed.size(), "every recording logged once");
      assertEquals(n, sealed.stream().map(LedgerEntry::subject).distinct().count());
      for (LedgerEntry e : sealed) {
        String key = e.subject();
        assertTrue(a.exists(ObjectKey.of(key)), key + " lost");
        Optional<Instant> kept = a.stat(ObjectKey.of(key)).retainUntil();
        assertTrue(kept.isPresent(), key + " visible without retention after the runs");
        List<Instant> ends = decided.get(key);
        assertFalse(ends == null || ends.isEmpty(), key + " has no decision");
        for (Instant end : ends) {
          assertFalse(
              kept.get().isAfter(end), key + " kept until " + kept.get() + ", decided " + end);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static IngestResult run(
      EvidenceStore store,
      Instant now,
      IngestRequest request,
      java.util.concurrent.CountDownLatch go)
      throws Exception {
    go.await();
    return IngestStation.builder()
        .store(store)
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .build()
        .ingest(request);
  }
}
