package org.evidencekit.spark;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.ledger.SweepReport.Status;

/** One local[2] Spark session for the test JVM (starting one takes seconds). */
final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  static synchronized SparkSession session() {
    if (session == null || session.sparkContext().isStopped()) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("evidence-spark-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.driver.host", "127.0.0.1")
              .getOrCreate();
      // no shutdown hook of ours: Spark stops its context in its own, and two hooks race
    }
    return session;
  }

  /** Stops the session, so that no Spark thread outlives the test class. */
  static synchronized void stop() {
    if (session != null) {
      session.stop();
      session = null;
    }
  }

  /** Key to status, refusing a key reported with two different statuses. */
  static Map<String, Status> statuses(SweepReport report) {
    Map<String, Status> out = new TreeMap<>();
    for (SweepReport.Item i : report.items()) {
      Status before = out.put(i.key(), i.status());
      if (before != null && before != i.status()) {
        throw new AssertionError(i.key() + " reported both " + before + " and " + i.status());
      }
    }
    return out;
  }

  /** Key to status as the job wrote them under {@code path} ("parquet" or "json" inside). */
  static Map<String, Status> written(String output, String format) {
    Map<String, Status> out = new TreeMap<>();
    for (Row r : session().read().format(format).load(output + "/" + format).collectAsList()) {
      Status before = out.put(r.getAs("key"), Status.valueOf(r.getAs("status")));
      if (before != null) {
        throw new AssertionError(r.getAs("key") + " written twice");
      }
    }
    return out;
  }
}
