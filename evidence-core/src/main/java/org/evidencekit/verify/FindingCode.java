package org.evidencekit.verify;

/**
 * Stable codes of verification findings, documented in {@code docs/finding-codes.md}. Codes are
 * frozen once released: new ones are added, none is renamed or reused. A constant class rather than
 * an enum because the vocabulary grows (the trust layer adds signature and timestamp codes).
 */
public final class FindingCode {
  private FindingCode() {}

  /** Bytes of one or more segments differ from what was sealed. TAMPERED. */
  public static final String SEGMENT_MODIFIED = "SEGMENT_MODIFIED";

  /** A segment holds content sealed at another position: segments moved, swapped or copied. */
  public static final String SEGMENT_MOVED = "SEGMENT_MOVED";

  /** The content is shorter than sealed; the range names the missing bytes. TAMPERED. */
  public static final String CONTENT_TRUNCATED = "CONTENT_TRUNCATED";

  /** The content is longer than sealed; the range names the extra bytes. TAMPERED. */
  public static final String CONTENT_EXTENDED = "CONTENT_EXTENDED";

  /**
   * Not one of at least three compared segments matches: the seal was almost certainly made for
   * other content.
   */
  public static final String SEAL_NOT_FOR_CONTENT = "SEAL_NOT_FOR_CONTENT";

  /** The seal's leaf hashes do not fold to its stored root: the seal was altered. INCONCLUSIVE. */
  public static final String SEAL_ROOT_MISMATCH = "SEAL_ROOT_MISMATCH";

  /** A stored checkpoint is not a prefix of the sealed tree. INCONCLUSIVE. */
  public static final String CHECKPOINT_MISMATCH = "CHECKPOINT_MISMATCH";

  /** The trees of a dual suite disagree about which segments match. INCONCLUSIVE. */
  public static final String SUITE_DISAGREEMENT = "SUITE_DISAGREEMENT";

  /** A range proof leads to a root other than the trusted one. INCONCLUSIVE. */
  public static final String PROOF_ROOT_MISMATCH = "PROOF_ROOT_MISMATCH";

  /** A segment of a proven range fails its inclusion proof. TAMPERED. */
  public static final String RANGE_NOT_PROVEN = "RANGE_NOT_PROVEN";
}
