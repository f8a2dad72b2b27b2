package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Side by side, interleaved, medians: the single-process sweep, the Spark sweep in local[1] and in
 * local[2], over one CPU-bound archive on a filesystem store (the page cache holds it). Runs only
 * with {@code -Devidence.bench=true} (BENCHMARKS.md has the command); asserts nothing about time.
 */
@EnabledIfSystemProperty(named = "evidence.bench", matches = "true")
class SparkSweepBenchmark {
  @TempDir Path dir;

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double busy(long cpuStart, long wallStart) {
    double wall = System.nanoTime() - wallStart;
    return Math.round((cpuNanos() - cpuStart) / wall * 100) / 100.0;
  }

  @Test
  void sweepThroughput() throws Exception {
    int recordings = Integer.getInteger("evidence.bench.recordings", 48);
    int mib = Integer.getInteger("evidence.bench.mib", 16);
    int rounds = Integer.getInteger("evidence.bench.rounds", 3);
    SealSuite suite =
        SealSuite.forName(System.getProperty("evidence.bench.suite", "sha256")).orElseThrow();
    Path storeDir = dir.resolve("store");
    Files.createDirectories(storeDir);
    StoreOpener opener = StoreOpener.uri(storeDir.toUri());
    Clock clock = Clock.systemUTC();
    Sealer sealer = Sealer.builder().suite(suite).build();
    long bytes = 0;
    try (EvidenceStore store = opener.open()) {
      List<LedgerEntry> entries = new ArrayList<>();
      for (int i = 0; i < recordings; i++) {
        byte[] content = SyntheticArchive.bytes(i, mib << 20);
        Seal seal = sealer.seal(Channels.newChannel(new ByteArrayInputStream(content)));
        String key = "bench/rec-" + i + ".bin";
        SyntheticArchive.put(store, key, content);
        SyntheticArchive.put(store, key + SyntheticArchive.SEAL, seal.toJson());
        entries.add(
            LedgerEntry.builder()
                .type(EntryType.SEALED)
                .time(clock.instant())
                .actor("b")
                .subject(key)
                .payloadDigest(seal.digest().hex())
                .build());
        bytes += content.length;
      }
      EvidenceLedger.open(store, clock).appendAll(entries);
    }
    Map<String, List<Double>> seconds = new TreeMap<>();
    // cores the JVM kept busy during a run (process CPU time / wall time): shows whether a
    // "one-core" configuration really used one core
    Map<String, List<Double>> cores = new TreeMap<>();
    for (int r = 0; r < rounds; r++) {
      // other work on the machine changes everything: print it beside each round
      System.out.printf(
          "BENCH round %d load average %s%n",
          r,
          new String(Files.readAllBytes(Path.of("/proc/loadavg")), StandardCharsets.US_ASCII)
              .trim());
      long c0 = cpuNanos();
      long t0 = System.nanoTime();
      SweepReport single;
      try (EvidenceStore store = opener.open()) {
        single = EvidenceArchive.open(store, clock).sweep(null);
      }
      seconds
          .computeIfAbsent("single-process", k -> new ArrayList<>())
          .add((System.nanoTime() - t0) / 1e9);
      cores.computeIfAbsent("single-process", k -> new ArrayList<>()).add(busy(c0, t0));
      assertEquals(recordings, single.items(SweepReport.Status.OK).size());
      for (String master : List.of("local[1]", "local[2]")) {
        SparkSession spark =
            SparkSession.builder()
                .master(master)
                .appName("bench")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
        try {
          long c1 = cpuNanos();
          long t1 = System.nanoTime();
          SweepSummary s =
              SparkSweep.builder().store(opener).clock(clock).actor("bench").build().run(spark);
          seconds
              .computeIfAbsent("spark " + master, k -> new ArrayList<>())
              .add((System.nanoTime() - t1) / 1e9);
          cores.computeIfAbsent("spark " + master, k -> new ArrayList<>()).add(busy(c1, t1));
          assertEquals(recordings, s.count(SweepReport.Status.OK));
        } finally {
          spark.stop();
        }
      }
    }
    System.out.printf(
        "BENCH archive: %d recordings x %d MiB, suite %s, %d rounds%n",
        recordings, mib, suite, rounds);
    for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue());
      Collections.sort(v);
      double median = v.get(v.size() / 2);
      System.out.printf(
          "BENCH %-16s median %6.2f s  %7.1f MB/s  runs %s%n",
          e.getKey(), median, bytes / median / 1e6, e.getValue());
    }
    cores.forEach((k, v) -> System.out.printf("BENCH %-16s busy cores per run %s%n", k, v));
  }
}
