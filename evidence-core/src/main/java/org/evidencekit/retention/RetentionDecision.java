package org.evidencekit.retention;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the engine decided for one recording at one instant, and why: the effective end of retention
 * (or permanent, or held open by an event such as an unarchived case), the holds in force, whether
 * it may be disposed of now, and the derivation a person can read.
 */
public final class RetentionDecision {
  private final String recordingId;
  private final Instant retainUntil;
  private final boolean permanent;
  private final List<String> openEvents;
  private final List<RetentionFacts.Hold> holdsInForce;
  private final Instant evaluatedAt;
  private final String policyId;
  private final int policyVersion;
  private final List<String> derivation;
  private final boolean shorteningRefused;

  RetentionDecision(
      String recordingId,
      Instant retainUntil,
      boolean permanent,
      List<String> openEvents,
      List<RetentionFacts.Hold> holdsInForce,
      Instant evaluatedAt,
      String policyId,
      int policyVersion,
      List<String> derivation,
      boolean shorteningRefused) {
    this.recordingId = recordingId;
    this.retainUntil = retainUntil;
    this.permanent = permanent;
    this.openEvents = List.copyOf(openEvents);
    this.holdsInForce = List.copyOf(holdsInForce);
    this.evaluatedAt = evaluatedAt;
    this.policyId = policyId;
    this.policyVersion = policyVersion;
    this.derivation = List.copyOf(derivation);
    this.shorteningRefused = shorteningRefused;
  }

  public String recordingId() {
    return recordingId;
  }

  /**
   * When retention ends (exclusive: disposable from this instant), if it has a fixed end; empty
   * when permanent or held open by an event.
   */
  public Optional<Instant> retainUntil() {
    return permanent || !openEvents.isEmpty() ? Optional.empty() : Optional.of(retainUntil);
  }

  /** The latest fixed end among the applicable rules, even while an event holds it open. */
  public Optional<Instant> latestFixedEnd() {
    return Optional.ofNullable(retainUntil);
  }

  public boolean permanent() {
    return permanent;
  }

  /** Events that keep the recording until they happen, e.g. "case ZZ-1 is not archived". */
  public List<String> openEvents() {
    return openEvents;
  }

  public List<RetentionFacts.Hold> holdsInForce() {
    return holdsInForce;
  }

  /** Whether it may be disposed of at {@link #evaluatedAt()}. */
  public boolean disposable() {
    return !permanent
        && openEvents.isEmpty()
        && holdsInForce.isEmpty()
        && retainUntil != null
        && !evaluatedAt.isBefore(retainUntil);
  }

  public Instant evaluatedAt() {
    return evaluatedAt;
  }

  public String policyId() {
    return policyId;
  }

  public int policyVersion() {
    return policyVersion;
  }

  /** One line per step: the rules that applied, the facts used and the arithmetic. */
  public List<String> derivation() {
    return derivation;
  }

  /** Whether the current rules would have ended retention earlier than an earlier decision did. */
  public boolean shorteningRefused() {
    return shorteningRefused;
  }

  /**
   * Where the recording stands: disposable, retained, held, open (an event pending) or permanent.
   */
  public RetentionStatus status() {
    if (permanent) {
      return RetentionStatus.PERMANENT;
    }
    if (!holdsInForce.isEmpty()) {
      return RetentionStatus.HELD;
    }
    if (!openEvents.isEmpty()) {
      return RetentionStatus.OPEN;
    }
    return disposable() ? RetentionStatus.DISPOSABLE : RetentionStatus.RETAINED;
  }

  @Override
  public String toString() {
    return recordingId + " " + status() + (retainUntil == null ? "" : " until " + retainUntil);
  }
}
