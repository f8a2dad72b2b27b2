package org.evidencekit.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerException;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.WitnessPolicy;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import scala.Tuple2;

/**
 * Spot checks at scale (R-17, Art. 20), chosen exactly as {@link EvidenceArchive#spotCheck}
 * chooses: the population is every recording whose latest {@code sealed} entry lies before the
 * checkpoint (and whose seal passes the filter, judged on the executors; a recording whose seal
 * cannot be read stays in, so damage cannot shrink the population), the selection is {@link
 * EvidenceArchive#select} seeded by the signed checkpoint, and one {@code spot-checked} entry is
 * appended per chosen recording. The chosen recordings are verified as the sweep verifies them,
 * large ones split into segment ranges.
 */
public final class SparkSpotCheck {
  private final StoreOpener opener;
  private final Clock clock;
  private final String actor;
  private final LogCheckpoint checkpoint;
  private final WitnessPolicy witnesses;
  private final int count;
  private final String criteria;
  private final SealFilter filter;
  private final boolean filtered;
  private final long splitBytes;

  private SparkSpotCheck(Builder b) {
    this.opener = b.opener;
    this.clock = b.clock;
    this.actor = b.actor;
    this.checkpoint = b.checkpoint;
    this.witnesses = b.witnesses;
    this.count = b.count;
    this.criteria = b.criteria;
    this.filter = b.filter == null ? SealFilter.all() : b.filter;
    this.filtered = b.filter != null;
    this.splitBytes = b.splitBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Chooses, verifies and logs. */
  public SpotCheckOutcome run(SparkSession spark) throws IOException {
    requireNonNull(spark, "spark");
    try (EvidenceStore store = opener.open()) {
      EvidenceLedger ledger = EvidenceLedger.openFromCheckpoint(store, clock);
      if (checkpoint.size() > ledger.size()
          || !checkpoint.root().equals(ledger.root(checkpoint.size()))) {
        throw new LedgerException("the checkpoint is not of this ledger: " + checkpoint);
      }
      // the catalog (newest snapshot that checks, plus the entries after it), not every batch
      CatalogIndex catalog = CatalogIndex.read(store, ledger);
      SortedMap<String, CatalogIndex.Row> logged = catalog.recordings();
      List<String> before = new ArrayList<>();
      logged.forEach(
          (k, s) -> {
            if (s.index() < checkpoint.size()) {
              before.add(k);
            }
          });
      List<String> candidates = filtered ? candidates(spark, before, logged) : before;
      List<String> chosen =
          EvidenceArchive.select(checkpoint, witnesses, criteria, candidates, count);
      List<WorkItem> work = new ArrayList<>();
      for (String k : chosen) {
        CatalogIndex.Row s = logged.get(k);
        work.add(WorkItem.logged(k, s, catalog));
      }
      JavaRDD<RecordingResult> verified =
          SparkJobs.verify(spark, opener, work, List.of(), splitBytes, ledger::entry);
      Map<String, RecordingResult> byKey = new HashMap<>();
      try {
        verified.collect().forEach(r -> byKey.put(r.key(), r));
      } finally {
        verified.unpersist(false);
      }
      List<RecordingResult> results = new ArrayList<>();
      for (String k : chosen) {
        RecordingResult r = byKey.get(k);
        results.add(r);
        ledger.append(
            LedgerEntry.builder()
                .type(EntryType.SPOT_CHECKED)
                .time(clock.instant())
                .actor(actor)
                .subject(k)
                .details(
                    Map.of(
                        "checkpointSize",
                        Long.toString(checkpoint.size()),
                        "checkpointRoot",
                        checkpoint.root().hex(),
                        "criteria",
                        criteria,
                        "result",
                        r.status().name(),
                        "population",
                        Integer.toString(candidates.size())))
                .build());
      }
      return new SpotCheckOutcome(checkpoint, criteria, candidates.size(), results);
    }
  }

  private List<String> candidates(
      SparkSession spark, List<String> keys, SortedMap<String, CatalogIndex.Row> logged) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Tuple2<String, String>> sealed = new ArrayList<>();
    for (String k : keys) {
      sealed.add(new Tuple2<>(k, logged.get(k).sealDigest()));
    }
    Set<String> in =
        new HashSet<>(
            jsc.parallelize(sealed, SparkJobs.tasks(jsc, keys.size()))
                .mapPartitions(new FilterTask(opener, filter))
                .collect());
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      if (in.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * Keeps the keys whose seal passes the filter, cannot be read, or is not the seal the ledger
   * logged (given with each key): a substitute signed with a stolen station key must not steer its
   * recording out of the population, as in {@link EvidenceArchive#spotCheck}.
   */
  static final class FilterTask
      implements FlatMapFunction<Iterator<Tuple2<String, String>>, String> {
    private static final long serialVersionUID = 1L;
    private final StoreOpener opener;
    private final SealFilter filter;

    FilterTask(StoreOpener opener, SealFilter filter) {
      this.opener = opener;
      this.filter = filter;
    }

    @Override
    public Iterator<String> call(Iterator<Tuple2<String, String>> keys) throws IOException {
      List<String> out = new ArrayList<>();
      try (EvidenceStore store = opener.open()) {
        RecordingCheck check = new RecordingCheck(store);
        while (keys.hasNext()) {
          Tuple2<String, String> sealed = keys.next();
          String k = sealed._1();
          try {
            Seal seal = check.seal(k);
            if (!seal.digest().hex().equals(sealed._2()) || filter.test(seal)) {
              out.add(k);
            }
          } catch (IOException | RuntimeException unreadable) {
            out.add(k);
          }
        }
      }
      return out.iterator();
    }
  }

  /** Settings of a spot check; each may be set once. */
  public static final class Builder {
    private StoreOpener opener;
    private Clock clock;
    private String actor;
    private LogCheckpoint checkpoint;
    private WitnessPolicy witnesses;
    private int count;
    private String criteria = "all";
    private SealFilter filter;
    private long splitBytes = SparkSweep.DEFAULT_SPLIT_BYTES;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " is already set");
      }
    }

    /** How the driver and the executors open the store (required). */
    public Builder store(StoreOpener opener) {
      once("store");
      this.opener = requireNonNull(opener, "opener");
      return this;
    }

    /** Time of the {@code spot-checked} entries (required). */
    public Builder clock(Clock clock) {
      once("clock");
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Who checks (required). */
    public Builder actor(String actor) {
      once("actor");
      requireNonNull(actor, "actor");
      if (actor.isBlank()) {
        throw new IllegalArgumentException("actor must not be blank");
      }
      this.actor = actor;
      return this;
    }

    /** The signed checkpoint that fixes the population and seeds the choice (required). */
    public Builder checkpoint(LogCheckpoint checkpoint) {
      once("checkpoint");
      this.checkpoint = requireNonNull(checkpoint, "checkpoint");
      return this;
    }

    /**
     * The witnesses whose cosignatures the checkpoint must carry before it may seed a sample
     * (required; Art. 20: nobody can know or steer the sample before they signed).
     */
    public Builder witnesses(WitnessPolicy witnesses) {
      once("witnesses");
      this.witnesses = requireNonNull(witnesses, "witnesses");
      return this;
    }

    /** How many recordings to check (required, at least 1). */
    public Builder count(int count) {
      once("count");
      if (count < 1) {
        throw new IllegalArgumentException("count must be at least 1");
      }
      this.count = count;
      return this;
    }

    /**
     * Which recordings, with the words that go into the seed and the entries (default {@code
     * "all"}, every recording). The filter must say what the words say.
     */
    public Builder criteria(String criteria, SealFilter filter) {
      once("criteria");
      requireNonNull(criteria, "criteria");
      if (criteria.isBlank()) {
        throw new IllegalArgumentException("criteria must not be blank");
      }
      this.criteria = criteria;
      this.filter = requireNonNull(filter, "filter");
      return this;
    }

    /** As {@link SparkSweep.Builder#splitBytes}. */
    public Builder splitBytes(long bytes) {
      once("splitBytes");
      if (bytes < 1) {
        throw new IllegalArgumentException("splitBytes must be positive, got " + bytes);
      }
      this.splitBytes = bytes;
      return this;
    }

    public SparkSpotCheck build() {
      List<String> missing = new ArrayList<>();
      if (opener == null) {
        missing.add("store");
      }
      if (clock == null) {
        missing.add("clock");
      }
      if (actor == null) {
        missing.add("actor");
      }
      if (checkpoint == null) {
        missing.add("checkpoint");
      }
      if (witnesses == null) {
        missing.add("witnesses");
      }
      if (count == 0) {
        missing.add("count");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("missing " + String.join(", ", missing));
      }
      return new SparkSpotCheck(this);
    }
  }
}
