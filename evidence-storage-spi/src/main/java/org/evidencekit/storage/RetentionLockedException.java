package org.evidencekit.storage;

import java.io.IOException;

/** The object is under retention or legal hold, or a retention change would shorten it. */
public class RetentionLockedException extends IOException {
  private static final long serialVersionUID = 1L;

  public RetentionLockedException(String message) {
    super(message);
  }

  public RetentionLockedException(String message, Throwable cause) {
    super(message, cause);
  }
}
