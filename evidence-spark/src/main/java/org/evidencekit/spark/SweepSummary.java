package org.evidencekit.spark;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.SweepReport.Status;

/**
 * What a {@link SparkSweep} found: counts per status, every result that is not {@code OK} (the
 * {@code OK} ones are in the Parquet and JSON output), and where its summary went in the ledger.
 */
public final class SweepSummary {
  private final Map<Status, Long> counts;
  private final List<RecordingResult> problems;
  private final long ledgerIndex;
  private final LogCheckpoint checkpoint;
  private final boolean listed;
  private final List<String> notes;
  private final boolean ledgerIntact;

  SweepSummary(
      Map<Status, Long> counts,
      List<RecordingResult> problems,
      long ledgerIndex,
      LogCheckpoint checkpoint,
      boolean listed,
      List<String> notes,
      boolean ledgerIntact) {
    Map<Status, Long> c = new EnumMap<>(Status.class);
    for (Status s : Status.values()) {
      c.put(s, counts.getOrDefault(s, 0L));
    }
    this.counts = Collections.unmodifiableMap(c);
    this.problems = List.copyOf(problems);
    this.ledgerIndex = ledgerIndex;
    this.checkpoint = checkpoint;
    this.listed = listed;
    this.notes = List.copyOf(notes);
    this.ledgerIntact = ledgerIntact;
  }

  /** How many recordings or objects have {@code status}. */
  public long count(Status status) {
    return counts.get(status);
  }

  /** Every status with its count, zeros included. */
  public Map<Status, Long> counts() {
    return counts;
  }

  /** Recordings and objects looked at. */
  public long total() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The results that are not {@code OK}, in key order. */
  public List<RecordingResult> problems() {
    return problems;
  }

  /** Whether everything is {@code OK} and the ledger's entries hash to its newest checkpoint. */
  public boolean clean() {
    return problems.isEmpty() && ledgerIntact;
  }

  /**
   * Whether the ledger's entries hash to its newest stored checkpoint and are all still there
   * (false after a {@code LEDGER_ROOT_MISMATCH} or {@code LEDGER_ENTRIES_REMOVED}, in {@link
   * #notes()}). The results are still those the stored entries give.
   */
  public boolean ledgerIntact() {
    return ledgerIntact;
  }

  /**
   * What the driver refused or found on the way to the work list, one line each: stored tiles
   * missing or forged, catalog snapshots that did not check against the ledger (each replaced by
   * the ledger's own entries, so the results stand), and ledger findings against the newest
   * checkpoint. Empty when everything checked.
   */
  public List<String> notes() {
    return notes;
  }

  /**
   * Whether the store was listed, so unlogged and unexpected objects could be found at all; without
   * a listing only what the ledger names was checked.
   */
  public boolean listed() {
    return listed;
  }

  /** The ledger index of the summary entry. */
  public long ledgerIndex() {
    return ledgerIndex;
  }

  /** The signed checkpoint that covers the summary entry, when a signing key was given. */
  public Optional<LogCheckpoint> checkpoint() {
    return Optional.ofNullable(checkpoint);
  }

  @Override
  public String toString() {
    return total()
        + " checked, "
        + count(Status.OK)
        + " ok, "
        + count(Status.DAMAGED)
        + " damaged, "
        + count(Status.MISSING)
        + " missing, "
        + count(Status.UNLOGGED)
        + " unlogged, "
        + count(Status.UNEXPECTED)
        + " unexpected"
        + (count(Status.NOT_CHECKED) == 0
            ? ""
            : ", " + count(Status.NOT_CHECKED) + " encrypted and not checked (no key)");
  }
}
