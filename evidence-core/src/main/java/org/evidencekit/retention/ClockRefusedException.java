package org.evidencekit.retention;

/** The trusted clock will not vouch for the time: it ran backwards or jumped beyond its bound. */
public final class ClockRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public ClockRefusedException(String message) {
    super(message);
  }
}
