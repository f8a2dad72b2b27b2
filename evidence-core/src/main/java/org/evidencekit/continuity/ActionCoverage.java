package org.evidencekit.continuity;

import java.util.List;

/**
 * How much of an action was recorded.
 *
 * @param actionId the action
 * @param type its type
 * @param mandatory whether Art. 13 requires recording it
 * @param requiredSeconds time that had to be recorded (the stages, or the whole action)
 * @param recordedSeconds time that was
 * @param uncovered the stretches that were not
 * @param recordings ids of the recordings that cover it
 */
public record ActionCoverage(
    String actionId,
    String type,
    boolean mandatory,
    double requiredSeconds,
    double recordedSeconds,
    List<Interval> uncovered,
    List<String> recordings) {
  public ActionCoverage {
    uncovered = List.copyOf(uncovered);
    recordings = List.copyOf(recordings);
  }

  /** recorded / required, 0 to 1 (1 for an action with nothing required). */
  public double ratio() {
    return requiredSeconds <= 0 ? 1.0 : Math.min(1.0, recordedSeconds / requiredSeconds);
  }
}
