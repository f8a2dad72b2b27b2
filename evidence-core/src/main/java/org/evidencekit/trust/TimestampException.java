package org.evidencekit.trust;

import java.io.IOException;

/** A time-stamping authority refused, was unreachable, or answered something invalid. */
public final class TimestampException extends IOException {
  private static final long serialVersionUID = 1L;

  public TimestampException(String message) {
    super(message);
  }

  public TimestampException(String message, Throwable cause) {
    super(message, cause);
  }
}
