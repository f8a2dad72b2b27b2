package org.evidencekit.continuity;

import java.io.IOException;

/**
 * An input file of the analysis (actions, documents, devices, recordings or policy) is malformed.
 * The message is one line naming the file (when read from a path), the entry (its number from 1, or
 * its id once known) and the member.
 */
public final class ContinuityFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public ContinuityFormatException(String message) {
    super(message);
  }
}
