package org.evidencekit.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.storage.EvidenceStore;
import scala.Tuple2;

/**
 * The distributed part shared by sweeps and spot checks: check recordings on executors, split the
 * large ones into segment ranges and verify those on any executor, put each recording's verdict
 * back together, write the results.
 */
final class SparkJobs {
  /** About this many recordings per task: each task opens the store once. */
  static final int RECORDINGS_PER_TASK = 1000;

  private SparkJobs() {}

  /** The {@code sealed} entry at a ledger index, as the driver reads it. */
  @FunctionalInterface
  interface SealedEntries {
    LedgerEntry at(long index) throws IOException;
  }

  /**
   * Every recording's result (one per key), persisted until the caller unpersists it. A recording
   * stored encrypted is checked twice: first its length, then, with its {@code sealed} entry (and
   * its latest {@code rewrapped} entry, if its key was rotated) read by the driver from {@code
   * entries} (for these recordings only), the suite, key id and nonce prefix the entries logged of
   * its ciphertext.
   */
  static JavaRDD<RecordingResult> verify(
      SparkSession spark,
      StoreOpener opener,
      List<WorkItem> work,
      List<RecordingResult> settled,
      long splitBytes,
      SealedEntries entries)
      throws IOException {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<FirstPass> first =
        jsc.parallelize(work, tasks(jsc, work.size()))
            .mapPartitions(new FirstPassTask(opener, splitBytes))
            .persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<RecordingResult> whole = first.filter(f -> f.result != null).map(f -> f.result);
    JavaRDD<RangeTask> ranges = first.flatMap(f -> f.ranges.iterator());
    long rangeCount = ranges.count();
    JavaRDD<RecordingResult> out = whole;
    if (rangeCount > 0) {
      // ranges go to as many tasks as there are cores (or more): one big recording spreads out
      int n = (int) Math.min(rangeCount, Math.max(2L * jsc.defaultParallelism(), rangeCount / 4));
      JavaRDD<RecordingResult> split =
          ranges
              .repartition(n)
              .mapPartitions(new RangeVerifyTask(opener))
              .mapToPair(r -> new Tuple2<>(r.key(), r))
              .groupByKey()
              .map(t -> RecordingCheck.combine(t._1(), t._2()));
      out = out.union(split);
    }
    List<WorkItem> encrypted =
        new ArrayList<>(first.filter(f -> f.needsEntry != null).map(f -> f.needsEntry).collect());
    if (!encrypted.isEmpty()) {
      // in ledger order, so each batch is read once while the ledger's batch cache holds it
      encrypted.sort(Comparator.comparingLong(w -> w.loggedIndex));
      List<WorkItem> withEntries = new ArrayList<>(encrypted.size());
      for (WorkItem w : encrypted) {
        withEntries.add(withEntries(w, entries));
      }
      out =
          out.union(
              jsc.parallelize(withEntries, tasks(jsc, withEntries.size()))
                  .mapPartitions(new FirstPassTask(opener, splitBytes))
                  .filter(f -> f.result != null)
                  .map(f -> f.result));
    }
    if (!settled.isEmpty()) {
      out = out.union(jsc.parallelize(settled, 1));
    }
    out = out.persist(StorageLevel.MEMORY_AND_DISK());
    out.count();
    first.unpersist(false);
    return out;
  }

  /**
   * {@code w} with its {@code sealed} entry and latest {@code rewrapped} entry; one that cannot be
   * read (a damaged or missing ledger batch) is that recording's finding, not the sweep's end.
   */
  private static WorkItem withEntries(WorkItem w, SealedEntries entries) {
    long at = w.loggedIndex;
    try {
      LedgerEntry sealed = entries.at(at);
      at = w.rewrappedIndex;
      return w.withEntries(sealed, at < 0 ? null : entries.at(at));
    } catch (IOException | RuntimeException e) {
      return w.withEntriesUnreadable("entry " + at + " cannot be read (" + e.getMessage() + ")");
    }
  }

  static int tasks(JavaSparkContext jsc, int items) {
    int byCount = (items + RECORDINGS_PER_TASK - 1) / RECORDINGS_PER_TASK;
    return Math.max(1, Math.max(2 * jsc.defaultParallelism(), byCount));
  }

  static Map<Status, Long> counts(JavaRDD<RecordingResult> results) {
    Map<Status, Long> out = new TreeMap<>();
    results
        .map(r -> r.status().name())
        .countByValue()
        .forEach((s, n) -> out.put(Status.valueOf(s), n));
    return out;
  }

  static List<RecordingResult> problems(JavaRDD<RecordingResult> results) {
    List<RecordingResult> out =
        new ArrayList<>(results.filter(r -> r.status() != Status.OK).collect());
    out.sort((a, b) -> a.key().compareTo(b.key()));
    return out;
  }

  /** Writes {@code output}/parquet and {@code output}/json; refuses to overwrite either. */
  static void write(SparkSession spark, JavaRDD<RecordingResult> results, String output) {
    StructType schema =
        new StructType()
            .add("key", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("detail", DataTypes.StringType, false);
    Dataset<Row> df =
        spark.createDataFrame(
            results.map(r -> RowFactory.create(r.key(), r.status().name(), r.detail())), schema);
    df.write().mode(SaveMode.ErrorIfExists).parquet(output + "/parquet");
    df.write().mode(SaveMode.ErrorIfExists).json(output + "/json");
  }

  /** Opens the store once per task and checks each recording of the task. */
  static final class FirstPassTask implements FlatMapFunction<Iterator<WorkItem>, FirstPass> {
    private static final long serialVersionUID = 1L;
    private final StoreOpener opener;
    private final long splitBytes;

    FirstPassTask(StoreOpener opener, long splitBytes) {
      this.opener = opener;
      this.splitBytes = splitBytes;
    }

    @Override
    public Iterator<FirstPass> call(Iterator<WorkItem> items) throws IOException {
      List<FirstPass> out = new ArrayList<>();
      try (EvidenceStore store = opener.open()) {
        RecordingCheck check = new RecordingCheck(store);
        while (items.hasNext()) {
          out.add(check.first(items.next(), splitBytes));
        }
      }
      return out.iterator();
    }
  }

  /** Opens the store once per task and verifies each segment range of the task. */
  static final class RangeVerifyTask
      implements FlatMapFunction<Iterator<RangeTask>, RecordingResult> {
    private static final long serialVersionUID = 1L;
    private final StoreOpener opener;

    RangeVerifyTask(StoreOpener opener) {
      this.opener = opener;
    }

    @Override
    public Iterator<RecordingResult> call(Iterator<RangeTask> ranges) throws IOException {
      List<RecordingResult> out = new ArrayList<>();
      try (EvidenceStore store = opener.open()) {
        RecordingCheck check = new RecordingCheck(store);
        while (ranges.hasNext()) {
          out.add(check.range(ranges.next()));
        }
      }
      return out.iterator();
    }
  }
}
