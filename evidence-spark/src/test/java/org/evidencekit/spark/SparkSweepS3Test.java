package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.storage.EvidenceStore;
import org.junit.jupiter.api.Test;

/**
 * The Spark sweep in local[2] against the Ceph RGW: a generated archive of over a thousand
 * recordings with damaged, missing, unlogged, substituted and unexpected ones, the results compared
 * with the single-process sweep and with what was done. The S3 requests each sweep made are printed
 * (BENCHMARKS.md); no timing is asserted.
 */
class SparkSweepS3Test {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  @Test
  void thousandRecordingsOverS3() throws Exception {
    CountingS3.assumeServer();
    String prefix = "sweep-" + Long.toString(System.nanoTime(), 36) + "/";
    StoreOpener opener = () -> CountingS3.open(prefix);
    SyntheticArchive archive = new SyntheticArchive(CLOCK);
    try (EvidenceStore store = opener.open()) {
      archive.write(store, 1000, 4, 8);
    }
    assertTrue(archive.expected.size() >= 1000);

    CountingS3.reset();
    Map<String, Status> single;
    try (EvidenceStore store = opener.open()) {
      single = TestSpark.statuses(EvidenceArchive.open(store, CLOCK).sweep(null));
    }
    Map<String, Long> singleCalls = CountingS3.calls();
    assertEquals(archive.expected, single, "the single-process sweep");

    CountingS3.reset();
    SweepSummary s =
        SparkSweep.builder()
            .store(opener)
            .clock(CLOCK)
            .actor("auditor-1")
            .splitBytes(2L * SyntheticArchive.SEGMENT)
            .build()
            .run(TestSpark.session());
    Map<String, Long> sparkCalls = CountingS3.calls();
    Map<String, Status> fromSpark = new java.util.TreeMap<>();
    archive.expected.forEach((k, v) -> fromSpark.put(k, Status.OK));
    s.problems().forEach(r -> fromSpark.put(r.key(), r.status()));
    assertEquals(single, fromSpark, "the Spark sweep agrees with the single-process sweep");
    assertEquals(archive.expectedCounts(), s.counts());

    int n = archive.expected.size();
    System.out.printf(
        "S3 requests for %d keys: single-process sweep %d %s; Spark sweep with listing %d %s"
            + "%n",
        n, CountingS3.total(singleCalls), singleCalls, CountingS3.total(sparkCalls), sparkCalls);
  }
}
