package org.evidencekit.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.evidencekit.trust.TrustAnchors;

/**
 * The sweep from the command line. {@code spark-submit --class org.evidencekit.spark.SparkSweepMain
 * evidence-spark.jar STORE [--output PATH] [--actor NAME] [--split-bytes N] [--no-listing]} (the
 * master and resources come from spark-submit; docs/spark.md); and {@link #sweep}, which {@code
 * evidence sweep --spark MASTER} calls by reflection so that the plain CLI never needs Spark.
 *
 * <p>Exit codes as the CLI's: 0 clean, 1 problems found, 2 bad input.
 */
public final class SparkSweepMain {
  private SparkSweepMain() {}

  public static void main(String[] args) throws IOException {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, null, out, err));
  }

  /**
   * {@link #main} without exiting: parses {@code args}, runs the sweep in the session that {@code
   * spark-submit} configured (or on {@code master} when given), returns the exit code: 0 clean, 1
   * problems, 2 bad arguments or a sweep that could not run (one line on {@code err}).
   */
  static int run(String[] args, String master, PrintWriter out, PrintWriter err) {
    String store = null;
    String output = null;
    String actor = "evidence-spark";
    long split = SparkSweep.DEFAULT_SPLIT_BYTES;
    boolean list = true;
    List<Path> ledgerTrust = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--output" -> output = args[++i];
          case "--actor" -> actor = args[++i];
          case "--split-bytes" -> {
            split = Long.parseLong(args[++i]);
            if (split < 1) {
              throw new IllegalArgumentException("--split-bytes must be positive, not " + split);
            }
          }
          case "--no-listing" -> list = false;
          case "--ledger-trust" -> ledgerTrust.add(Path.of(args[++i]));
          default -> {
            if (store != null || args[i].startsWith("--")) {
              throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            store = args[i];
          }
        }
      }
      if (store == null) {
        throw new IllegalArgumentException("no STORE given");
      }
      if (output != null && Files.exists(Path.of(output))) {
        // Spark would refuse it only after the whole sweep, with a stack trace
        throw new IllegalArgumentException(
            "--output " + output + " exists: name a new folder for the results");
      }
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      err.println(
          "usage: SparkSweepMain STORE [--output PATH] [--actor NAME] [--split-bytes N]"
              + " [--no-listing] [--ledger-trust PEM]: "
              + e.getMessage());
      err.flush();
      return 2;
    }
    SparkSession spark = session(master, err);
    if (spark == null) {
      return 2;
    }
    try {
      return run(spark, store, output, actor, split, list, ledgerTrust, out, err);
    } finally {
      spark.stop();
    }
  }

  /** The session, or null with one line on {@code err} (a master URL Spark cannot use, say). */
  private static SparkSession session(String master, PrintWriter err) {
    try {
      SparkSession.Builder b = SparkSession.builder().appName("evidence sweep");
      if (master != null) {
        b.master(master).config("spark.ui.enabled", "false");
      }
      return b.getOrCreate();
    } catch (Exception e) { // Scala throws SparkException unchecked
      err.println(
          "evidence: cannot start Spark"
              + (master == null ? "" : " on master '" + master + "'")
              + ": "
              + e.getMessage());
      err.flush();
      return null;
    }
  }

  /**
   * What {@code evidence sweep STORE --spark MASTER} does: runs the sweep in a Spark session on
   * {@code master} (e.g. {@code local[2]}), prints each problem and the counts, and returns the
   * exit code.
   */
  public static int sweep(String master, String store, PrintWriter out, PrintWriter err)
      throws IOException {
    requireNonNull(master, "master");
    SparkSession spark = session(master, err);
    if (spark == null) {
      return 2;
    }
    try {
      return run(
          spark,
          store,
          null,
          "evidence-cli",
          SparkSweep.DEFAULT_SPLIT_BYTES,
          true,
          List.of(),
          out,
          err);
    } finally {
      spark.stop();
    }
  }

  private static int run(
      SparkSession spark,
      String store,
      String output,
      String actor,
      long split,
      boolean list,
      List<Path> ledgerTrust,
      PrintWriter out,
      PrintWriter err) {
    SparkSweep.Builder b =
        SparkSweep.builder()
            .store(StoreOpener.uri(storeUri(store)))
            .clock(Clock.systemUTC())
            .actor(actor)
            .splitBytes(split)
            .listStore(list);
    if (output != null) {
      b.output(output);
    }
    SweepSummary s;
    try {
      if (!ledgerTrust.isEmpty()) {
        b.ledgerKeys(TrustAnchors.fromPem(ledgerTrust));
      }
      s = b.build().run(spark);
    } catch (Exception e) { // IOException, and Spark's own (Scala's are unchecked)
      err.println("evidence: sweep failed: " + e.getMessage());
      err.flush();
      return 2;
    }
    s.notes().forEach(n -> out.println("NOTE " + n));
    s.problems().forEach(out::println);
    out.println((s.clean() ? "CLEAN: " : "PROBLEMS: ") + s);
    out.println(
        "summary logged at ledger entry "
            + s.ledgerIndex()
            + "; sign a checkpoint over it with 'evidence ledger checkpoint'");
    out.flush();
    return s.clean() ? 0 : 1;
  }

  /** A folder path or a store URI ({@code file:}, {@code s3://bucket/prefix?endpoint=…}). */
  static URI storeUri(String store) {
    if (store.startsWith("s3://") || store.startsWith("file:")) {
      return URI.create(store);
    }
    return Path.of(store).toAbsolutePath().normalize().toUri();
  }
}
