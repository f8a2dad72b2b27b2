package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stations (threads and processes at once) whose runs overlap heavily: each ingests a random
 * two-thirds of one card of many small files of one device, so their grouped {@code sealed} appends
 * collide again and again. Every recording is logged by exactly one station (the
 * others say ALREADY), never CONFLICT, FAILED or INCOMPLETE; one entry per key, one chain.
 */
class OverlappingRunsTest {
  @TempDir Path dir;

  @Test
  void threadsAndProcessesIngestOverlappingRunsOfManySmallFiles() throws Exception {
    int[] sizes = new int[40];
    Random rnd = new Random(19);
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = 1 + rnd.nextInt(300_000);
    }
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 19, sizes);
    List<List<Path>> plan = new ArrayList<>();
    for (int s = 0; s < 5; s++) {
      List<Path> mine = new ArrayList<>(files.values());
      Collections.shuffle(mine, rnd);
      plan.add(new ArrayList<>(mine.subList(0, sizes.length * 2 / 3)));
    }
    Path root = Files.createDirectories(dir.resolve("store"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    for (List<Path> mine : plan.subList(3, 5)) {
      List<String> cmd =
          new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
      cmd.add(RaceMain.class.getName());
      cmd.add(root.toString());
      cmd.add("DEVCAM7");
      mine.forEach(p -> cmd.add(p.toString()));
      procs.add(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<IngestResult>> runs = new ArrayList<>();
    Map<String, List<IngestStatus>> statuses = new HashMap<>();
    try {
      for (List<Path> mine : plan.subList(0, 3)) {
        Callable<IngestResult> job =
            () -> {
              try (EvidenceStore store =
                  FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
                IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "police-race");
                mine.forEach(b::add);
                IngestStation station = IngestStation.builder().store(store).build();
                go.await();
                return station.ingest(b.build());
              }
            };
        runs.add(pool.submit(job));
      }
      go.countDown();
      for (Future<IngestResult> f : runs) {
        for (IngestedRecording r : f.get(5, TimeUnit.MINUTES).recordings()) {
          statuses
              .computeIfAbsent(ArchiveChecks.name(r.key().orElseThrow()), k -> new ArrayList<>())
              .add(r.status());
          assertTrue(
              r.status() != IngestStatus.INCOMPLETE && r.status() != IngestStatus.FAILED,
              r.key() + " " + r.status() + " " + r.findings());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    for (Process p : procs) {
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "a station process hung");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.exitValue(), out);
      for (String line : out.strip().split("\n")) {
        String[] w = line.split(" ", 3);
        assertTrue(w.length == 3, line);
        statuses
            .computeIfAbsent(ArchiveChecks.name(w[1]), k -> new ArrayList<>())
            .add(IngestStatus.valueOf(w[0]));
      }
    }
    for (Map.Entry<String, List<IngestStatus>> e : statuses.entrySet()) {
      long offered = plan.stream().filter(l -> l.contains(files.get(e.getKey()))).count();
      assertEquals(offered, e.getValue().size(), e.toString());
    }
    ManyStationsTest.checkStatuses(statuses, 5);
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      int offered =
          (int)
              files.values().stream()
                  .filter(p -> plan.stream().anyMatch(l -> l.contains(p)))
                  .count();
      assertEquals(
          offered, ArchiveChecks.assertArchiveHolds(store, ArchiveChecks.contents(files)).size());
    }
  }

  /** One station serving several threads (it says it may), one store instance, overlapping runs. */
  @Test
  void oneStationServesThreadsWithOverlappingRuns() throws Exception {
    int[] sizes = new int[30];
    Random rnd = new Random(23);
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = rnd.nextInt(400_000);
    }
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 23, sizes);
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      IngestStation station = IngestStation.builder().store(store).build();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<IngestResult>> runs = new ArrayList<>();
      try {
        for (int t = 0; t < 4; t++) {
          List<Path> mine = new ArrayList<>(files.values());
          Collections.shuffle(mine, rnd);
          List<Path> part = mine.subList(0, sizes.length * 3 / 4);
          runs.add(
              pool.submit(
                  () -> {
                    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "police-race");
                    part.forEach(b::add);
                    go.await();
                    return station.ingest(b.build());
                  }));
        }
        go.countDown();
        Map<String, List<IngestStatus>> statuses = new HashMap<>();
        for (Future<IngestResult> f : runs) {
          for (IngestedRecording r : f.get(5, TimeUnit.MINUTES).recordings()) {
            assertTrue(
                r.status() != IngestStatus.INCOMPLETE && r.status() != IngestStatus.FAILED,
                r.key() + " " + r.status() + " " + r.findings());
            statuses.computeIfAbsent(r.key().orElseThrow(), k -> new ArrayList<>()).add(r.status());
          }
        }
        ManyStationsTest.checkStatuses(statuses, 4);
        assertEquals(
            statuses.size(),
            ArchiveChecks.assertArchiveHolds(store, ArchiveChecks.contents(files)).size());
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
