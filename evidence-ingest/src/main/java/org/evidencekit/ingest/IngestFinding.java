package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

/**
 * A coded finding about one recording of an ingest run (codes in {@link IngestCodes}; they are
 * listed in docs/finding-codes.md). Messages carry the numbers they are about.
 *
 * @param code a stable code, see {@link IngestCodes}
 * @param severity how much it matters
 * @param message what was found, in words, with the numbers
 */
public record IngestFinding(String code, Severity severity, String message) {
  /** How much a finding matters. */
  public enum Severity {
    /** The recording is not (fully) in the archive, or its evidence is in doubt. */
    ERROR,
    /** In the archive, but something about it needs a person's look. */
    WARNING,
    /** For the record; nothing to do. */
    NOTICE
  }

  public IngestFinding {
    requireNonNull(code, "code");
    requireNonNull(severity, "severity");
    requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return severity + " " + code + ": " + message;
  }
}
