package org.evidencekit.storage;

import java.io.IOException;

/**
 * The store cannot be reached or cannot accept the operation now (I/O failure, read-only or full
 * storage, server down).
 */
public class StoreUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message) {
    super(message);
  }

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
