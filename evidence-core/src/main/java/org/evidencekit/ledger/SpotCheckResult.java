package org.evidencekit.ledger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A spot check: the checkpoint that seeded it, the population, and each result. */
public final class SpotCheckResult {
  private final LogCheckpoint checkpoint;
  private final String criteria;
  private final int population;
  private final Map<String, SweepReport.Item> results;

  SpotCheckResult(
      LogCheckpoint checkpoint,
      String criteria,
      int population,
      Map<String, SweepReport.Item> results) {
    this.checkpoint = checkpoint;
    this.criteria = criteria;
    this.population = population;
    this.results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
  }

  public LogCheckpoint checkpoint() {
    return checkpoint;
  }

  public String criteria() {
    return criteria;
  }

  /** How many recordings the selection was drawn from. */
  public int population() {
    return population;
  }

  /** Selected recording keys, in selection order, with what was found. */
  public Map<String, SweepReport.Item> results() {
    return results;
  }

  /**
   * Whether at least one recording was checked and every one checked is {@code OK}. A check that
   * drew nothing (no recording sealed before the checkpoint matched the criteria) vouches for
   * nothing, so it is not all OK.
   */
  public boolean allOk() {
    return !results.isEmpty()
        && results.values().stream().allMatch(i -> i.status() == SweepReport.Status.OK);
  }
}
