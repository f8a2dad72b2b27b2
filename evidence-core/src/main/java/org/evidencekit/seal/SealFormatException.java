package org.evidencekit.seal;

import java.io.IOException;

/**
 * A stored seal, frontier or range proof is malformed, truncated or of an unknown format ({@link
 * NotASealException} when it is not JSON at all).
 */
public class SealFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public SealFormatException(String message) {
    super(message);
  }
}
