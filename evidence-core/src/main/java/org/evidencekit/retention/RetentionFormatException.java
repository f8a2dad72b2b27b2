package org.evidencekit.retention;

import java.io.IOException;

/** A retention policy, facts or history document is malformed. */
public final class RetentionFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public RetentionFormatException(String message) {
    super(message);
  }
}
