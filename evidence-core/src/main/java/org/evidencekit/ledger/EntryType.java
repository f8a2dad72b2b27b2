package org.evidencekit.ledger;

/**
 * Kinds of ledger entries. A constant class: stored names are frozen and new
 * kinds are added over time.
 */
public final class EntryType {
  private EntryType() {}

  /** A recording was sealed; the payload digest is the seal's digest. */
  public static final String SEALED = "sealed";

  public static final String INGESTED = "ingested";
  public static final String VIEWED = "viewed";
  public static final String EXPORTED = "exported";
  public static final String HANDED_OVER = "handed-over";
  public static final String HOLD_PLACED = "hold-placed";
  public static final String HOLD_RELEASED = "hold-released";
  public static final String RETENTION_EXTENDED = "retention-extended";
  public static final String DISPOSED = "disposed";
  public static final String VERIFIED = "verified";
  public static final String SPOT_CHECKED = "spot-checked";
}
