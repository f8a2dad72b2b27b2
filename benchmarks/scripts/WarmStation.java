package org.evidencekit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealRun;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;

/**
 * A station that stays up: one JVM seals a folder alone (as SealAll does) and then ingests it
 * (exactly what `evidence ingest DIR --store ... -q` runs), RUNS times, each ingest into a store of
 * its own (removed at once on a tmpfs, at the end on a disk), so that the first round shows the
 * fresh JVM and the later ones a JVM whose JIT has compiled both paths. In package org.evidencekit.cli only to call the CLI's own ingest path.
 *
 * <pre>
 * javac -cp evidence.jar -d cls WarmStation.java
 * java [the CLI's JVM flags] -cp evidence.jar:cls org.evidencekit.cli.WarmStation DIR STORE-PARENT RUNS
 * </pre>
 */
public class WarmStation {
  public static void main(String[] args) throws Exception {
    Path in = Path.of(args[0]);
    Path parent = Path.of(args[1]);
    int runs = Integer.parseInt(args[2]);
    String suite = args.length > 3 ? args[3] : "sha256+sm3";
    List<Path> stores = new ArrayList<>();
    boolean inMemory = Files.getFileStore(parent).type().equals("tmpfs");
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      sealAlone(in, suite);
      long t1 = System.nanoTime();
      Path store = Files.createTempDirectory(parent, "warm-station-");
      stores.add(store);
      StringWriter err = new StringWriter();
      Integer code =
          FastPath.run(
              new String[] {
                "ingest", in.toString(), "--store", store.toString(), "--device", "DEVCAM7",
                "--officer", "bench", "--suite", suite, "-q"
              },
              new PrintWriter(new StringWriter()),
              new PrintWriter(err));
      long t2 = System.nanoTime();
      // exit 1 is the late-ingest finding of recordings named for 2023, not a failure
      System.out.printf(
          "round %d: seal alone %.3f s   ingest %.3f s   ingest / seal %.2f   exit %s%s%n",
          i,
          (t1 - t0) / 1e9,
          (t2 - t1) / 1e9,
          (double) (t2 - t1) / (t1 - t0),
          code,
          code != null && code > 1 ? " " + err.toString().trim() : "");
      if (inMemory) {
        delete(store); // a tmpfs holds each store in memory: eight of them slowed later rounds 2x
        stores.remove(store);
      }
      Thread.sleep(2000); // let the page cache write the last store back before the next round
    }
    // on a disk, stores are removed only now: ext4 slows file creation just after many deletions
    for (Path store : stores) {
      delete(store);
    }
    System.exit(0); // the station's background threads are daemons, but say so
  }

  private static void delete(Path store) throws java.io.IOException {
    try (Stream<Path> walk = Files.walk(store)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void sealAlone(Path dir, String suite) throws Exception {
    Sealer sealer = Sealer.builder().suite(SealSuite.forName(suite).orElseThrow()).build();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    long total = 0;
    for (Path f : files) {
      total += Files.size(f);
    }
    List<FileChannel> open = new ArrayList<>();
    List<CompletableFuture<Seal>> seals = new ArrayList<>();
    try (SealRun run = sealer.newRun(total)) {
      for (Path f : files) {
        FileChannel ch = FileChannel.open(f);
        open.add(ch);
        seals.add(run.submit(ch, n -> {}));
      }
      run.finish();
    }
    for (CompletableFuture<Seal> s : seals) {
      s.get();
    }
    for (FileChannel ch : open) {
      ch.close();
    }
  }
}
