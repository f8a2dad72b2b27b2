package org.evidencekit.ingest;

/** What became of one recording of an ingest run. */
public enum IngestStatus {
  /** Stored, sealed, logged and chained now. */
  INGESTED,
  /**
   * An earlier ingest of the same bytes under the same key stopped part-way (content or seal
   * stored, not logged, or logged without its seal object): the missing steps were done now.
   */
  RESUMED,
  /**
   * The same bytes were already ingested under this key, by an earlier run or by another station at
   * the same time: nothing was stored twice, nothing was logged again.
   */
  ALREADY,
  /**
   * The key holds different bytes (or a seal of different bytes), and so does the key derived from
   * the recording's content that such a recording goes to instead ({@link IngestCodes#NAME_TAKEN}),
   * or none could be derived: nothing was changed.
   */
  CONFLICT,
  /** Nothing of this recording was committed (bad name, unreadable file, store refused). */
  FAILED,
  /**
   * Part of this recording was committed (its content, perhaps its seal) but not all of it, for
   * instance because the store filled up: a later run of the same request completes it as {@link
   * #RESUMED}.
   */
  INCOMPLETE;

  /** Whether anything of the recording is committed in the store after this run. */
  public boolean committedSomething() {
    return this != FAILED && this != CONFLICT;
  }
}
