package org.evidencekit.retention;

/** An active policy would be replaced by one that keeps something shorter. Refused. */
public final class PolicyShorteningException extends Exception {
  private static final long serialVersionUID = 1L;

  public PolicyShorteningException(String message) {
    super(message);
  }
}
