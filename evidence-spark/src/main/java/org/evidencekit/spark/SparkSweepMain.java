package org.evidencekit.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.spark.sql.SparkSession;

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
    String store = null;
    String output = null;
    String actor = "evidence-spark";
    long split = SparkSweep.DEFAULT_SPLIT_BYTES;
    boolean list = true;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--output" -> output = args[++i];
          case "--actor" -> actor = args[++i];
          case "--split-bytes" -> split = Long.parseLong(args[++i]);
          case "--no-listing" -> list = false;
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
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      err.println(
          "usage: SparkSweepMain STORE [--output PATH] [--actor NAME] [--split-bytes N]"
              + " [--no-listing]: "
              + e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSession.builder().appName("evidence sweep").getOrCreate();
    int code;
    try {
      code = run(spark, store, output, actor, split, list, out, err);
    } finally {
      spark.stop();
    }
    System.exit(code);
  }

  /**
   * What {@code evidence sweep STORE --spark MASTER} does: runs the sweep in a Spark session on
   * {@code master} (e.g. {@code local[2]}), prints each problem and the counts, and returns the
   * exit code.
   */
  public static int sweep(String master, String store, PrintWriter out, PrintWriter err)
      throws IOException {
    SparkSession spark =
        SparkSession.builder()
            .master(master)
            .appName("evidence sweep")
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    try {
      return run(
          spark, store, null, "evidence-cli", SparkSweep.DEFAULT_SPLIT_BYTES, true, out, err);
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
      s = b.build().run(spark);
    } catch (IOException | RuntimeException e) {
      err.println("evidence: sweep failed: " + e.getMessage());
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
