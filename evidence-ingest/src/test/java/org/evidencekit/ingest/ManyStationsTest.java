package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many stations, one archive: threads and processes ingest overlapping sets of files
 * of one device into one store at once. Whatever the interleaving, every recording has exactly one
 * {@code sealed} entry, the device's seals form one unbroken chain, and the same bytes ingested
 * twice at once is ALREADY for all but one station, never CONFLICT.
 */
class ManyStationsTest {
  @TempDir Path dir;

  /** Files every station gets (shared), plus some only one station gets. */
  private List<List<Path>> plan(int stations, int ownEach) throws IOException {
    Path shared = Fixtures.folder("f02_split3", dir);
    List<Path> common = new ArrayList<>();
    for (String n : Fixtures.SPLIT3) {
      common.add(shared.resolve(n));
    }
    Random rnd = new Random(42);
    List<List<Path>> out = new ArrayList<>();
    for (int s = 0; s < stations; s++) {
      List<Path> mine = new ArrayList<>(common);
      for (int j = 0; j < ownEach; j++) {
        byte[] b = new byte[1000 + rnd.nextInt(200_000)];
        rnd.nextBytes(b);
        mine.add(
            Files.write(
                Files.createDirectories(dir.resolve("st" + s))
                    .resolve(String.format("DEVCAM7_20230601_15%02d%02d_%03d.bin", s, j, j)),
                b));
      }
      Collections.shuffle(mine, rnd);
      out.add(mine);
    }
    return out;
  }

  /** Opens one station's own instance of the shared store. */
  @FunctionalInterface
  interface StoreFactory {
    EvidenceStore open() throws IOException;
  }

  @Test
  void threadsWithTheirOwnStoreAndLedgerInstances() throws Exception {
    Path root = dir.resolve("store");
    race(4, 3, () -> FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC()));
  }

  /** The same race against a real S3 server with Object Lock (Ceph RGW, started by .ci/run). */
  @Test
  void threadsAgainstAnS3ObjectLockBucket() throws Exception {
    String endpoint = System.getenv("S3_ENDPOINT");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        endpoint != null && !endpoint.isBlank(), "S3_ENDPOINT is not set: S3 race skipped");
    String bucket = "evidencekit-race-" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
    // each station builds its own store (a builder takes each setting once)
    java.util.function.Supplier<org.evidencekit.storage.s3.S3EvidenceStore.Builder> b =
        () ->
            org.evidencekit.storage.s3.S3EvidenceStore.builder()
                .bucket(bucket)
                .endpoint(java.net.URI.create(endpoint))
                .credentials(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"));
    try (var client = b.get().buildClient()) {
      org.evidencekit.storage.s3.S3EvidenceStore.createLockedBucket(client, bucket);
    }
    race(4, 2, () -> b.get().prefix("bureau-7").open());
  }

  private void race(int n, int ownEach, StoreFactory stores) throws Exception {
    List<List<Path>> plan = plan(n, ownEach);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<IngestResult>> runs = new ArrayList<>();
    try {
      for (List<Path> files : plan) {
        Callable<IngestResult> job =
            () -> {
              try (EvidenceStore store = stores.open()) {
                IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "police-0042");
                files.forEach(b::add);
                IngestStation station = IngestStation.builder().store(store).build();
                go.await();
                return station.ingest(b.build());
              }
            };
        runs.add(pool.submit(job));
      }
      go.countDown();
      Map<String, List<IngestStatus>> statuses = new HashMap<>();
      for (Future<IngestResult> f : runs) {
        for (IngestedRecording r : f.get(5, TimeUnit.MINUTES).recordings()) {
          assertTrue(r.status() != IngestStatus.INCOMPLETE, r.findings().toString());
          statuses.computeIfAbsent(r.key().orElseThrow(), k -> new ArrayList<>()).add(r.status());
        }
      }
      checkStatuses(statuses, n);
    } finally {
      pool.shutdownNow();
    }
    try (EvidenceStore store = stores.open()) {
      checkArchive(store, 3 + n * ownEach);
    }
  }

  @Test
  void processesRacingOnOneFilesystemStore() throws Exception {
    int n = 3;
    List<List<Path>> plan = plan(n, 3);
    Path root = dir.resolve("store");
    Files.createDirectories(root);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    for (List<Path> files : plan) {
      List<String> cmd = new ArrayList<>();
      cmd.add(java);
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(RaceMain.class.getName());
      cmd.add(root.toString());
      cmd.add("DEVCAM7");
      files.forEach(p -> cmd.add(p.toString()));
      procs.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }
    Map<String, List<IngestStatus>> statuses = new HashMap<>();
    for (Process p : procs) {
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "a station process hung");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      for (String line : out.strip().split("\n")) {
        String[] w = line.split(" ", 3);
        assertTrue(w.length == 3 && !w[0].equals("INCOMPLETE"), line);
        statuses.computeIfAbsent(w[1], k -> new ArrayList<>()).add(IngestStatus.valueOf(w[0]));
      }
    }
    checkStatuses(statuses, n);
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      checkArchive(store, 3 + n * 3);
    }
  }

  /** Shared files: one station stored them, the others found them; nothing else. */
  static void checkStatuses(Map<String, List<IngestStatus>> statuses, int stations) {
    for (Map.Entry<String, List<IngestStatus>> e : statuses.entrySet()) {
      List<IngestStatus> s = e.getValue();
      assertTrue(!s.contains(IngestStatus.CONFLICT), e.toString());
      assertTrue(!s.contains(IngestStatus.FAILED), e.toString());
      long logged = s.stream().filter(x -> x != IngestStatus.ALREADY).count();
      assertEquals(1, logged, "exactly one station logs " + e);
      if (e.getKey().endsWith(".mp4")) {
        assertEquals(stations, s.size(), e.toString());
      }
    }
  }

  /** One sealed entry per recording, one chain per device. */
  static void checkArchive(EvidenceStore store, int recordings) throws IOException {
    List<LedgerEntry> sealed = Fixtures.sealedEntries(store);
    assertEquals(recordings, sealed.size(), sealed.toString());
    assertEquals(
        recordings, sealed.stream().map(LedgerEntry::subject).distinct().count(), "one per key");
    List<Seal> seals = Fixtures.storedSeals(store);
    assertEquals(recordings, seals.size());
    assertEquals(List.of(), DeviceChain.verify("DEVCAM7", seals));
    // the ledger order is the chain order: each entry names the one before
    for (int i = 1; i < sealed.size(); i++) {
      assertEquals(
          sealed.get(i - 1).payloadDigest().orElseThrow(),
          sealed.get(i).details().get("previousSeal"),
          "entry " + i);
    }
  }
}
