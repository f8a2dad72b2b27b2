package org.evidencekit.spark;

import java.util.List;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.SweepReport.Status;

/**
 * A spot check run by {@link SparkSpotCheck}: the checkpoint that seeded it, how many recordings it
 * drew from, and each chosen recording's result in the order of selection.
 */
public final class SpotCheckOutcome {
  private final LogCheckpoint checkpoint;
  private final String criteria;
  private final long population;
  private final List<RecordingResult> results;

  SpotCheckOutcome(
      LogCheckpoint checkpoint, String criteria, long population, List<RecordingResult> results) {
    this.checkpoint = checkpoint;
    this.criteria = criteria;
    this.population = population;
    this.results = List.copyOf(results);
  }

  public LogCheckpoint checkpoint() {
    return checkpoint;
  }

  public String criteria() {
    return criteria;
  }

  /** Recordings the selection was drawn from. */
  public long population() {
    return population;
  }

  /** Each chosen recording's result, in the order of selection. */
  public List<RecordingResult> results() {
    return results;
  }

  /**
   * Whether at least one recording was checked and every one checked is {@code OK}, as {@link
   * org.evidencekit.ledger.SpotCheckResult#allOk()}: a check that drew nothing vouches for nothing.
   */
  public boolean allOk() {
    return !results.isEmpty() && results.stream().allMatch(r -> r.status() == Status.OK);
  }
}
