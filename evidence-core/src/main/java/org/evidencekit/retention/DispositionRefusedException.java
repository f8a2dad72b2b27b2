package org.evidencekit.retention;

/**
 * A disposition step was refused before anything was deleted: the plan is missing or damaged, the
 * approvals are not enough, not trusted or expired, or an approver is the planner.
 */
public final class DispositionRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public DispositionRefusedException(String message) {
    super(message);
  }
}
