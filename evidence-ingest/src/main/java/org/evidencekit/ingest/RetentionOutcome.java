package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.evidencekit.retention.RetentionDecision;
import org.evidencekit.retention.RetentionPushDown;

/**
 * How long a recording is kept and who enforces it: the retention engine's decision and what
 * the store did with it.
 *
 * @param decision the decision, with its reasons
 * @param basis the instant retention is counted from: the later of the clock-corrected recording
 *     end and the trusted ingest time, so neither a wrong camera clock nor a wrong container time
 *     can make evidence expire early
 * @param enforcement who enforces it: the store (Object Lock), the library, the engine only, or
 *     nobody (failed)
 * @param message what the store reported
 */
public record RetentionOutcome(
    RetentionDecision decision,
    Instant basis,
    RetentionPushDown.Enforcement enforcement,
    String message) {
  public RetentionOutcome {
    requireNonNull(decision, "decision");
    requireNonNull(basis, "basis");
    requireNonNull(enforcement, "enforcement");
    requireNonNull(message, "message");
  }

  /** Kept for ever (a permanent case file). */
  public boolean permanent() {
    return decision.permanent();
  }

  /** Held: an open case or a legal hold keeps it whatever the dates say. */
  public boolean held() {
    return !decision.openEvents().isEmpty() || !decision.holdsInForce().isEmpty();
  }
}
