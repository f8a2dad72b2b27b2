package org.evidencekit.storage;

import java.io.IOException;

/** No committed object has the key. */
public class NoSuchObjectException extends IOException {
  private static final long serialVersionUID = 1L;

  public NoSuchObjectException(String message) {
    super(message);
  }

  public NoSuchObjectException(String message, Throwable cause) {
    super(message, cause);
  }
}
