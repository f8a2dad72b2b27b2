package org.evidencekit.trust;

import java.io.IOException;

/** A key, certificate or keystore file could not be read: wrong format, password or algorithm. */
public final class KeyFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public KeyFormatException(String message) {
    super(message);
  }

  public KeyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
