package org.evidencekit.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerFindingCode;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;
import org.jspecify.annotations.Nullable;

/**
 * The integrity sweep (R-20, Art. 21(5)) as a Spark job, for archives one machine cannot sweep in
 * time. Same verdicts as {@link EvidenceArchive#sweep}, one result per key:
 *
 * <ol>
 *   <li>The driver opens the ledger from its newest checkpoint ({@link
 *       EvidenceLedger#openFromCheckpoint}: the stored tiles it vouches for and the batches after
 *       it) and reads the work list, every recording's latest {@code sealed} entry, from the newest
 *       catalog snapshot that checks against the ledger plus the entries after it ({@link
 *       CatalogIndex}): O(new entries) reads, not O(ledger). Unless told not to, it lists the store
 *       once to find what the ledger does not name (unlogged recordings, unexpected objects, seals
 *       without content).
 *   <li>Executors, about {@value SparkJobs#RECORDINGS_PER_TASK} recordings per task and one store
 *       per task, check each seal against the ledger's digest and each content's length; a small
 *       recording is verified there and then.
 *   <li>A recording longer than {@code splitBytes} is cut into runs of whole Merkle segments; each
 *       run verifies on its own against the sealed root (inclusion proofs), on any executor, and
 *       the recording is intact only if every run is.
 *   <li>Every result goes to {@code output/parquet} and {@code output/json}; the driver appends a
 *       {@value #ENTRY_TYPE} entry with the counts, the problem keys and the SHA-256 of the problem
 *       list, and signs a checkpoint that covers it.
 * </ol>
 *
 * Encrypted recordings are reported {@code NOT_CHECKED}: the job is given no keys. One whose
 * ciphertext does not hold its seal's length, or whose header is not what its {@code sealed} entry
 * logged (suite, key id, the nonce prefix of the ciphertext stored at ingest: another encryption
 * put in its place), with the key id of its latest {@code rewrapped} entry (a logged key rotation),
 * is {@code DAMAGED}; the driver reads these entries for these recordings only, and an entry it
 * cannot read (a damaged ledger batch) makes that recording {@code DAMAGED}, naming the entry,
 * while the others are checked. A recording the catalog index says is stored encrypted but found
 * unencrypted (its plaintext put in the ciphertext's place) is {@code DAMAGED}, as in the
 * single-process sweep.
 */
public final class SparkSweep {
  /** Ledger entry type of a sweep summary; its subject is {@value #ENTRY_SUBJECT}. */
  public static final String ENTRY_TYPE = "swept";

  /** Subject of the summary entry: the sweep concerns the whole archive. */
  public static final String ENTRY_SUBJECT = "archive";

  /** Default longest run of segments one task verifies: 256 MiB. */
  public static final long DEFAULT_SPLIT_BYTES = 256L << 20;

  /** Ledger findings that say the entries themselves changed, not only derived data. */
  private static final Set<String> LEDGER_ALTERED =
      Set.of(LedgerFindingCode.ROOT_MISMATCH, LedgerFindingCode.ENTRIES_REMOVED);

  // keeps the summary entry far below the ledger's 64 KiB entry limit
  private static final int MAX_LISTED_KEY_CHARS = 32 * 1024;

  private final StoreOpener opener;
  private final Clock clock;
  private final String actor;
  private final @Nullable SigningKeyProvider checkpointKey;
  private final TrustAnchors ledgerKeys;
  private final @Nullable String output;
  private final long splitBytes;
  private final boolean listStore;

  private SparkSweep(Builder b) {
    this.opener = b.opener;
    this.clock = b.clock;
    this.actor = b.actor;
    this.checkpointKey = b.checkpointKey;
    this.ledgerKeys = b.ledgerKeys;
    this.output = b.output;
    this.splitBytes = b.splitBytes;
    this.listStore = b.listStore;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the sweep on {@code spark} and logs its summary.
   *
   * @throws IOException if the ledger cannot be read or appended to, or the store cannot be listed
   *     (a recording that cannot be read is a result, not an exception)
   */
  public SweepSummary run(SparkSession spark) throws IOException {
    requireNonNull(spark, "spark");
    try (EvidenceStore store = opener.open()) {
      EvidenceLedger ledger = EvidenceLedger.openFromCheckpoint(store, clock);
      // the newest catalog snapshot the ledger's key signed for this ledger, and the entries after
      // it; with no ledger key trusted, the whole ledger
      CatalogIndex catalog = CatalogIndex.read(store, ledger, trustedLedgerKeys());
      List<String> notes = new ArrayList<>();
      ledger.openFindings().forEach(f -> notes.add(f.code() + ": " + f.message()));
      catalog.refused().forEach(r -> notes.add("catalog snapshot refused: " + r));
      boolean ledgerIntact =
          ledger.openFindings().stream().noneMatch(f -> LEDGER_ALTERED.contains(f.code()));
      WorkList plan =
          listStore ? WorkList.withListing(catalog, store) : WorkList.fromLedger(catalog);
      JavaRDD<RecordingResult> results =
          SparkJobs.verify(spark, opener, plan.work, plan.settled, splitBytes, ledger::entry);
      try {
        if (output != null) {
          SparkJobs.write(spark, results, output);
        }
        Map<Status, Long> counts = SparkJobs.counts(results);
        List<RecordingResult> problems = SparkJobs.problems(results);
        long index = ledger.append(summaryEntry(counts, problems, notes, ledgerIntact));
        LogCheckpoint cp = checkpointKey == null ? null : ledger.checkpoint(checkpointKey);
        return new SweepSummary(counts, problems, index, cp, listStore, notes, ledgerIntact);
      } finally {
        results.unpersist(false);
      }
    }
  }

  /** The keys given, else the checkpoint key's own: its holder signs the snapshots it trusts. */
  private TrustAnchors trustedLedgerKeys() throws IOException {
    if (!ledgerKeys.isEmpty() || checkpointKey == null) {
      return ledgerKeys;
    }
    return TrustAnchors.ofPublicKeys(List.of(checkpointKey.publicKeyDer()));
  }

  private LedgerEntry summaryEntry(
      Map<Status, Long> counts,
      List<RecordingResult> problems,
      List<String> notes,
      boolean ledgerIntact) {
    Map<String, String> details = new TreeMap<>();
    long total = 0;
    for (Status s : Status.values()) {
      long n = counts.getOrDefault(s, 0L);
      total += n;
      details.put(name(s), Long.toString(n));
    }
    details.put("total", Long.toString(total));
    details.put("listed", Boolean.toString(listStore));
    details.put("engine", "spark");
    if (!notes.isEmpty()) {
      details.put("index-notes", Integer.toString(notes.size()));
    }
    if (!ledgerIntact) {
      details.put("ledger-intact", "false");
    }
    if (output != null) {
      details.put("output", output);
    }
    StringBuilder lines = new StringBuilder();
    for (RecordingResult r : problems) {
      lines.append(r).append('\n');
    }
    keys(problems, details);
    // the problem list itself, as the results name it: anyone holding the output can match it
    String digest =
        HashAlgorithm.SHA256.hash(lines.toString().getBytes(StandardCharsets.UTF_8)).hex();
    return LedgerEntry.builder()
        .type(ENTRY_TYPE)
        .time(clock.instant())
        .actor(actor)
        .subject(ENTRY_SUBJECT)
        .payloadDigest(digest)
        .details(details)
        .build();
  }

  /** The problem keys per status, newline-separated, as many as fit; the rest are counted. */
  private static void keys(List<RecordingResult> problems, Map<String, String> details) {
    int budget = MAX_LISTED_KEY_CHARS;
    Map<Status, StringBuilder> listed = new TreeMap<>();
    Map<Status, Integer> unlisted = new TreeMap<>();
    for (RecordingResult r : problems) {
      if (r.key().length() + 1 <= budget) {
        budget -= r.key().length() + 1;
        StringBuilder b = listed.computeIfAbsent(r.status(), s -> new StringBuilder());
        b.append(b.length() == 0 ? "" : "\n").append(r.key());
      } else {
        unlisted.merge(r.status(), 1, Integer::sum);
      }
    }
    listed.forEach((s, b) -> details.put(name(s) + ".keys", b.toString()));
    unlisted.forEach((s, n) -> details.put(name(s) + ".keys-not-listed", Integer.toString(n)));
  }

  private static String name(Status s) {
    return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Settings of a sweep; each may be set once. */
  public static final class Builder {
    private StoreOpener opener;
    private Clock clock;
    private String actor;
    private @Nullable SigningKeyProvider checkpointKey;
    private TrustAnchors ledgerKeys = TrustAnchors.none();
    private @Nullable String output;
    private long splitBytes = DEFAULT_SPLIT_BYTES;
    private boolean listStore = true;
    private final Set<String> set = new HashSet<>();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " is already set");
      }
    }

    /** How the driver and every executor open the archive's store (required). */
    public Builder store(StoreOpener opener) {
      once("store");
      this.opener = requireNonNull(opener, "opener");
      return this;
    }

    /** The clock of the summary entry's time (required). */
    public Builder clock(Clock clock) {
      once("clock");
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Who runs the sweep, for the summary entry (required). */
    public Builder actor(String actor) {
      once("actor");
      requireNonNull(actor, "actor");
      if (actor.isBlank()) {
        throw new IllegalArgumentException("actor must not be blank");
      }
      this.actor = actor;
      return this;
    }

    /**
     * Signs a checkpoint covering the summary entry; without one the entry is appended unsigned.
     */
    public Builder checkpointKey(SigningKeyProvider key) {
      once("checkpointKey");
      this.checkpointKey = requireNonNull(key, "key");
      return this;
    }

    /**
     * The keys trusted to sign the ledger's checkpoints and catalog snapshots: the driver starts
     * from the newest snapshot one of them signed for this ledger and reads only the entries after
     * it (docs/report.md, "Catalog index"). Without them, the {@link #checkpointKey}'s public key;
     * with neither, the whole ledger is read.
     */
    public Builder ledgerKeys(TrustAnchors keys) {
      once("ledgerKeys");
      this.ledgerKeys = requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Where the per-recording results go, as a Spark path ({@code file:}, {@code hdfs:}, {@code
     * s3a:}): {@code output/parquet} and {@code output/json}. Existing output is never overwritten.
     */
    public Builder output(String output) {
      once("output");
      requireNonNull(output, "output");
      if (output.isBlank()) {
        throw new IllegalArgumentException("output must not be blank");
      }
      this.output = output;
      return this;
    }

    /**
     * Recordings longer than this are verified as runs of whole segments of at most this many bytes
     * (at least one segment), each on any executor. Default {@value #DEFAULT_SPLIT_BYTES}.
     */
    public Builder splitBytes(long bytes) {
      once("splitBytes");
      if (bytes < 1) {
        throw new IllegalArgumentException("splitBytes must be positive, got " + bytes);
      }
      this.splitBytes = bytes;
      return this;
    }

    /**
     * Whether to list the store to find objects the ledger does not name (default true). Without
     * the listing, unlogged and unexpected objects are not looked for: the summary says so.
     */
    public Builder listStore(boolean list) {
      once("listStore");
      this.listStore = list;
      return this;
    }

    public SparkSweep build() {
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
      if (!missing.isEmpty()) {
        throw new IllegalStateException("missing " + String.join(", ", missing));
      }
      return new SparkSweep(this);
    }
  }
}
