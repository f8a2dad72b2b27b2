package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.storage.EvidenceStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark sweep in local[2] against the Ceph RGW: a generated archive (1,004 recordings in
 * {@code mvn verify}; the module pom's {@code spark-quick} profile runs 204) of recordings with
 * damaged, missing, unlogged, substituted and unexpected ones, the results compared with the
 * single-process sweep and with what was done. The S3 requests each sweep made are printed
 * (BENCHMARKS.md); no timing is asserted.
 */
class SparkSweepS3Test {
  @AfterAll
  static void stop() {
    TestSpark.stop();
  }

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  @Test
  void thousandRecordingsOverS3() throws Exception {
    CountingS3.assumeServer();
    String prefix = "sweep-" + Long.toString(System.nanoTime(), 36) + "/";
    StoreOpener opener = () -> CountingS3.open(prefix);
    SyntheticArchive archive = new SyntheticArchive(CLOCK);
    int small = Integer.getInteger("evidence.spark.s3.recordings", 1000);
    assertTrue(small >= 100, "at least one of each kind of damage");
    long t0 = System.nanoTime();
    try (EvidenceStore store = opener.open()) {
      archive.write(store, small, 4, 8);
    }
    long t1 = System.nanoTime();

    CountingS3.reset();
    Map<String, Status> single;
    try (EvidenceStore store = opener.open()) {
      single = TestSpark.statuses(EvidenceArchive.open(store, CLOCK).sweep(null));
    }
    Map<String, Long> singleCalls = CountingS3.calls();
    long t2 = System.nanoTime();
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
    long t3 = System.nanoTime();
    Map<String, Status> fromSpark = new TreeMap<>();
    archive.expected.forEach((k, v) -> fromSpark.put(k, Status.OK));
    s.problems().forEach(r -> fromSpark.put(r.key(), r.status()));
    assertEquals(single, fromSpark, "the Spark sweep agrees with the single-process sweep");
    assertEquals(archive.expectedCounts(), s.counts());

    int n = archive.expected.size();
    System.out.printf(
        "S3 requests for %d keys: single-process sweep %d %s; Spark sweep with listing %d %s,"
            + " %d beyond the reads"
            + " (seconds: write %.1f, single-process sweep %.1f, Spark sweep %.1f)%n",
        n,
        CountingS3.total(singleCalls),
        singleCalls,
        CountingS3.total(sparkCalls),
        sparkCalls,
        CountingS3.beyondReads(sparkCalls),
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9);
    // the target: N + O(N / 1000) requests beyond the reads of a sweep of N recordings;
    // the O(N / 1000) part is listings and one store opening per task (about 1,000 recordings),
    // with a constant for the ledger and the summary entry
    long allowed = n + 20L * (n / 1000 + 1);
    assertTrue(
        CountingS3.beyondReads(sparkCalls) <= allowed,
        "requests beyond the reads: "
            + CountingS3.beyondReads(sparkCalls)
            + " > "
            + allowed
            + " "
            + sparkCalls);
  }
}
