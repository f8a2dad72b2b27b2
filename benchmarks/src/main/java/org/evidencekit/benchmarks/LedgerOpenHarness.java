package org.evidencekit.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.store.FileSystemEvidenceStore;

/**
 * Opening a ledger of a million entries: time to read and validate every batch and rebuild the
 * subtree hashes, and the heap they keep. Not JMH: one cold-ish open is what an operator waits for.
 * Run: {@code java -Xmx512m -cp benchmarks/target/benchmarks.jar
 * org.evidencekit.benchmarks.LedgerOpenHarness}.
 */
public final class LedgerOpenHarness {
  private LedgerOpenHarness() {}

  public static void main(String[] a) throws Exception {
    Path d = Files.createTempDirectory("ob");
    try (FileSystemEvidenceStore s = FileSystemEvidenceStore.openOrCreate(d, Clock.systemUTC())) {
      EvidenceLedger l = EvidenceLedger.open(s, Clock.systemUTC());
      List<LedgerEntry> chunk = new ArrayList<>();
      for (long i = 0; i < 1_000_000; i++) {
        chunk.add(
            LedgerEntry.builder()
                .type("viewed")
                .time(Instant.ofEpochSecond(1770000000L + i))
                .actor("officer-" + (i % 97))
                .subject("CAM-" + (i % 13) + "/2026-03-01/rec-" + i + ".mp4")
                .details(Map.of("reason", "case review"))
                .build());
        if (chunk.size() == 65536) {
          l.appendAll(chunk);
          chunk.clear();
        }
      }
      l.appendAll(chunk);
    }
    for (int r = 0; r < 3; r++) {
      Runtime.getRuntime().gc();
      long m0 = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
      long t0 = System.nanoTime();
      try (FileSystemEvidenceStore s = FileSystemEvidenceStore.openOrCreate(d, Clock.systemUTC())) {
        EvidenceLedger l = EvidenceLedger.open(s, Clock.systemUTC());
        long t1 = System.nanoTime();
        Runtime.getRuntime().gc();
        long m1 = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf(
            "open %d entries: %.0f ms, heap +%d MB%n", l.size(), (t1 - t0) / 1e6, (m1 - m0) >> 20);
      }
    }
  }
}
