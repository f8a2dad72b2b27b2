package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What becomes disposable in the next days, per custodian and case, so that custodians and case
 * handlers hear of it before it happens and can ask for a hold. A recording linked to several cases
 * is listed under each.
 */
public final class UpcomingDisposals {
  private UpcomingDisposals() {}

  /** Custodian and case are empty strings when the facts name none. */
  public record Notice(
      String custodian, String caseId, String recordingId, Instant disposableFrom) {
    public Notice {
      requireNonNull(custodian, "custodian");
      requireNonNull(caseId, "caseId");
      requireNonNull(recordingId, "recordingId");
      requireNonNull(disposableFrom, "disposableFrom");
    }
  }

  /**
   * The recordings that are not disposable at {@code at} but will be within {@code within} if
   * nothing changes (no hold in force, no open case, not permanent), sorted by custodian, case and
   * date. Recordings that cannot be decided are left out (a plan reports them).
   */
  public static List<Notice> within(
      RetentionPolicy policy,
      RetentionFacts facts,
      RetentionHistory history,
      Instant at,
      Duration within) {
    requireNonNull(policy, "policy");
    requireNonNull(facts, "facts");
    requireNonNull(history, "history");
    requireNonNull(at, "at");
    requireNonNull(within, "within");
    if (within.isNegative()) {
      throw new IllegalArgumentException("the notice period must not be negative");
    }
    Instant horizon = at.plus(within);
    List<Notice> out = new ArrayList<>();
    for (RetentionFacts.Recording r : facts.recordings()) {
      RetentionDecision d;
      try {
        d = RetentionEngine.decide(policy, facts, history, r.id(), at);
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (d.disposable() || !d.holdsInForce().isEmpty() || d.retainUntil().isEmpty()) {
        continue;
      }
      Instant from = d.retainUntil().get();
      if (from.isAfter(horizon)) {
        continue;
      }
      String custodian = r.custodian().orElse("");
      if (r.caseIds().isEmpty()) {
        out.add(new Notice(custodian, "", r.id(), from));
      }
      for (String c : r.caseIds()) {
        out.add(new Notice(custodian, c, r.id(), from));
      }
    }
    out.sort(
        Comparator.comparing(Notice::custodian)
            .thenComparing(Notice::caseId)
            .thenComparing(Notice::disposableFrom)
            .thenComparing(Notice::recordingId));
    return out;
  }
}
