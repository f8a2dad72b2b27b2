package org.evidencekit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.InclusionProof;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The targets: at least 5,000 durably appended events per second on the filesystem store (group
 * commit, 32 appending threads: a bureau's stations and viewers logging at once must never wait on
 * the ledger), and an inclusion proof in under 1 ms at a million entries.
 */
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
public class LedgerBenchmark {
  static final AtomicLong SEQ = new AtomicLong();

  static LedgerEntry entry(long i) {
    return LedgerEntry.builder()
        .type(EntryType.VIEWED)
        .time(Instant.ofEpochSecond(1_770_000_000L + i))
        .actor("officer-" + (i % 97))
        .subject("CAM-" + (i % 13) + "/2026-03-01/rec-" + i + ".mp4")
        .details(Map.of("reason", "case review"))
        .build();
  }

  /** A fresh ledger in a temporary filesystem store. */
  @State(Scope.Benchmark)
  public static class Appending {
    Path dir;
    FileSystemEvidenceStore store;
    EvidenceLedger ledger;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      dir = Files.createTempDirectory("ledger-bench");
      store = FileSystemEvidenceStore.openOrCreate(dir, Clock.systemUTC());
      ledger = EvidenceLedger.open(store, Clock.systemUTC());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      System.out.println("\nentries appended: " + ledger.size());
      store.close();
    }
  }

  /** Durable appends from 32 threads: each call returns only once its batch is committed. */
  @Benchmark
  @Threads(32)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long append(Appending s) throws IOException {
    return s.ledger.append(entry(SEQ.incrementAndGet()));
  }

  /**
   * Durable appends from one thread with 1,000 in flight ({@code appendAsync}), as an ingest
   * service would issue them; scored per entry.
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @org.openjdk.jmh.annotations.OperationsPerInvocation(1000)
  public long appendAsync(Appending s) throws Exception {
    List<java.util.concurrent.CompletableFuture<Long>> f = new ArrayList<>(1000);
    for (int i = 0; i < 1000; i++) {
      f.add(s.ledger.appendAsync(entry(SEQ.incrementAndGet())));
    }
    long last = 0;
    for (java.util.concurrent.CompletableFuture<Long> x : f) {
      last = x.get();
    }
    return last;
  }

  /** A ledger of {@code size} entries, bulk-loaded once. */
  @State(Scope.Benchmark)
  public static class Big {
    @Param({"1000000"})
    int size;

    EvidenceLedger ledger;
    FileSystemEvidenceStore store;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      store =
          FileSystemEvidenceStore.openOrCreate(
              Files.createTempDirectory("ledger-big"), Clock.systemUTC());
      ledger = EvidenceLedger.open(store, Clock.systemUTC());
      List<LedgerEntry> chunk = new ArrayList<>();
      for (long i = 0; i < size; i++) {
        chunk.add(entry(i));
        if (chunk.size() == 65_536) {
          ledger.appendAll(chunk);
          chunk.clear();
        }
      }
      ledger.appendAll(chunk);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      store.close();
    }
  }

  /** An inclusion proof for a random entry in the whole log. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public InclusionProof inclusionProof(Big b) throws IOException {
    long n = b.ledger.size();
    return b.ledger.proveInclusion(ThreadLocalRandom.current().nextLong(n), n);
  }

  /** A consistency proof from a random older size to the whole log. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Object consistencyProof(Big b) throws IOException {
    long n = b.ledger.size();
    return b.ledger.proveConsistency(1 + ThreadLocalRandom.current().nextLong(n - 1), n);
  }
}
