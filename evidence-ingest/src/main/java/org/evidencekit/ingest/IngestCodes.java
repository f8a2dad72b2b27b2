package org.evidencekit.ingest;

/**
 * Codes of {@link IngestFinding}s: a vocabulary that grows, frozen once published (docs/
 * finding-codes.md). Container findings of the media probe keep their own codes.
 */
public final class IngestCodes {
  private IngestCodes() {}

  /** The file name cannot be an object key (invalid UTF-8, control characters, too long). */
  public static final String BAD_NAME = "BAD_NAME";

  /**
   * The key holds other bytes, or a seal of other bytes: nothing was changed there. Since a
   * recording whose own key is taken goes to the key derived from its content ({@link
   * #NAME_TAKEN}), a {@code CONFLICT} means that that key was not free for it either (only someone
   * who put other bytes there can have made it so), or that no such key could be made.
   */
  public static final String KEY_TAKEN = "KEY_TAKEN";

  /**
   * Another recording (other bytes) holds the key this one's device, day and name give it (a file
   * counter reset after a card format or battery swap, a second card, an edited copy brought back
   * under its name): this one is stored under the key derived from its content, {@code
   * NAME~HEX.EXT}, which the message names with the one it could not take. A warning: both are kept
   * and a person may ask why two recordings share a name.
   */
  public static final String NAME_TAKEN = "NAME_TAKEN";

  /** The file could not be read. */
  public static final String UNREADABLE = "UNREADABLE";

  /** The store refused or failed a write; what was committed before is listed in the message. */
  public static final String STORE_FAILED = "STORE_FAILED";

  /** The file is not a recognised media container; it was sealed and stored as it is. */
  public static final String NOT_MEDIA = "NOT_MEDIA";

  /** Neither the container nor the file name says when it was recorded. */
  public static final String NOT_PLACED = "NOT_PLACED";

  /**
   * The recording (clock-corrected) ends after the time it was ingested, or after the device's
   * clock reading at docking: one of the clocks is wrong.
   */
  public static final String RECORDED_AFTER_INGEST = "RECORDED_AFTER_INGEST";

  /** Retention could not be applied by the store (read back differs, or the store refused). */
  public static final String RETENTION_NOT_APPLIED = "RETENTION_NOT_APPLIED";

  /**
   * The recording was disposed of under an approved plan (a {@code disposed} entry names its key)
   * and came in again: stored and logged again under the seal kept for it, whose ingest time
   * its retention counts from. A warning for the records officer: destroyed evidence is back.
   */
  public static final String DISPOSED_BEFORE = "DISPOSED_BEFORE";

  /**
   * A seal object sits at the recording's seal key that is not the seal the ledger logged for it
   * (left by an older, unchained ingest); the logged one is in force.
   */
  public static final String SEAL_OBJECT_DIFFERS = "SEAL_OBJECT_DIFFERS";

  /**
   * The recording was already logged but its seal object was not yet at its key (another station
   * was about to write it, or one stopped first): it was written from the staged copy.
   */
  public static final String SEAL_OBJECT_COMPLETED = "SEAL_OBJECT_COMPLETED";

  /**
   * The same bytes are already in the archive under another key (a renamed copy): stored again,
   * with both keys named.
   */
  public static final String DUPLICATE_CONTENT = "DUPLICATE_CONTENT";

  /**
   * The file changed size between the probe and the seal (a camera still writing, a card pulled,
   * someone editing it): what was sealed and stored is the file as it then was, and the container
   * findings are of the file as probed.
   */
  public static final String CHANGED_WHILE_READ = "CHANGED_WHILE_READ";

  /** The GPS position in the container could not be read. */
  public static final String BAD_LOCATION = "BAD_LOCATION";

  /**
   * The recording was found in a trash folder of the card ({@code $RECYCLE.BIN}, {@code .Trashes},
   * {@code .Trash-UID}): deleted there, and sealed and kept as every recording is. A
   * warning: a person asks why it was deleted.
   */
  public static final String FOUND_IN_TRASH = "FOUND_IN_TRASH";
}
