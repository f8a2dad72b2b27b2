package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.evidencekit.storage.EvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code evidence sweep STORE --spark MASTER} calls (by name, from the CLI). */
class SparkSweepMainTest {
  @TempDir Path dir;

  @Test
  void printsTheProblemsAndExitsOneThenZeroOnACleanArchive() throws Exception {
    Path store = dir.resolve("store");
    Files.createDirectories(store);
    // written a day ago: the sweep logs its entry on the system clock, which the ledger takes only
    // within 31 days of its latest entry
    SyntheticArchive archive =
        new SyntheticArchive(
            Clock.fixed(
                Instant.now().minus(java.time.Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS),
                ZoneOffset.UTC));
    try (EvidenceStore s = StoreOpener.uri(store.toUri()).open()) {
      archive.write(s, 8, 0, 1); // recordings 1 to 7 are each one kind of problem
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // the CLI stops its session; TestSpark starts a new one for the next test
    int code =
        SparkSweepMain.sweep(
            "local[2]", store.toString(), new PrintWriter(out), new PrintWriter(err));
    assertEquals(1, code, out + "" + err);
    assertTrue(out.toString().contains("DAMAGED cam-01/rec-00001.bin"), out.toString());
    assertTrue(out.toString().contains("UNLOGGED cam-04/rec-00004.bin"), out.toString());
    assertTrue(out.toString().contains("UNEXPECTED cam-06/rec-00006.bin"), out.toString());
    // its seal deleted: still a sealed recording, missing its seal, not stray data
    assertTrue(
        out.toString().contains("MISSING cam-07/rec-00007.bin: seal missing"), out.toString());
    assertTrue(
        out.toString().contains("PROBLEMS: 8 checked, 1 ok, 2 damaged, 3 missing, 1 unlogged"),
        out.toString());

    Path clean = dir.resolve("clean");
    Files.createDirectories(clean);
    try (EvidenceStore s = StoreOpener.uri(clean.toUri()).open()) {
      new SyntheticArchive(Clock.systemUTC()).write(s, 1, 0, 1);
    }
    out = new StringWriter();
    code =
        SparkSweepMain.sweep(
            "local[2]", clean.toString(), new PrintWriter(out), new PrintWriter(err));
    assertEquals(0, code, out + "" + err);
    assertTrue(out.toString().contains("CLEAN: 1 checked, 1 ok"), out.toString());
  }

  /**
   * Bad arguments are one line and exit code 2, before any Spark work: a split size that is not
   * positive, an output folder that exists (Spark would refuse it only after the sweep, with a
   * stack trace), an unknown flag, no store.
   */
  @Test
  void badArgumentsAreOneLineAndExitTwo() throws Exception {
    Path existing = Files.createDirectories(dir.resolve("results"));
    String[][] cases = {
      {"store", "--split-bytes", "-5"},
      {"store", "--split-bytes", "many"},
      {"store", "--output", existing.toString()},
      {"store", "--bogus"},
      {},
    };
    for (String[] args : cases) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = SparkSweepMain.run(args, "local[1]", new PrintWriter(out), new PrintWriter(err));
      String what = String.join(" ", args);
      assertEquals(2, code, what + ": " + err);
      assertEquals(1, err.toString().lines().count(), what + ": " + err);
      assertTrue(err.toString().startsWith("usage: SparkSweepMain"), what + ": " + err);
      assertEquals("", out.toString(), what);
    }
  }
}
