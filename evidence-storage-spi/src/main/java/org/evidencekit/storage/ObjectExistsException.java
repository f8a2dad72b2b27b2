package org.evidencekit.storage;

import java.io.IOException;

/** An object with the key exists; objects are never overwritten. */
public class ObjectExistsException extends IOException {
  private static final long serialVersionUID = 1L;

  public ObjectExistsException(String message) {
    super(message);
  }

  public ObjectExistsException(String message, Throwable cause) {
    super(message, cause);
  }
}
