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
   * The seal was almost certainly made for other content: not one of at least three compared
   * segments matches, or none of one or two does and the length or the original file name differs
   * too. TAMPERED.
   */
  public static final String SEAL_NOT_FOR_CONTENT = "SEAL_NOT_FOR_CONTENT";

  /**
   * The recording and its seal are empty (0 bytes): intact, but nothing was recorded. Its verdict
   * stays INTACT; the finding says why that means little.
   */
  public static final String EMPTY_RECORDING = "EMPTY_RECORDING";

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

  /** The seal carries no signature, and the trust policy requires one. INCONCLUSIVE. */
  public static final String SIGNATURE_MISSING = "SIGNATURE_MISSING";

  /**
   * The signature does not verify over the seal's canonical payload (the seal was changed after
   * signing), or its key, key id or suite is malformed. INCONCLUSIVE.
   */
  public static final String SIGNATURE_INVALID = "SIGNATURE_INVALID";

  /** The signature is valid but its key is not among the trusted signers. INCONCLUSIVE. */
  public static final String SIGNER_UNTRUSTED = "SIGNER_UNTRUSTED";

  /** No RFC 3161 token, and the trust policy requires one. INCONCLUSIVE. */
  public static final String TIMESTAMP_MISSING = "TIMESTAMP_MISSING";

  /**
   * The token does not verify, is for other data (replayed from another seal), lacks a
   * time-stamping certificate, or its time is outside the policy. INCONCLUSIVE.
   */
  public static final String TIMESTAMP_INVALID = "TIMESTAMP_INVALID";

  /** The token is valid but its authority is not trusted. INCONCLUSIVE. */
  public static final String TIMESTAMP_UNTRUSTED = "TIMESTAMP_UNTRUSTED";

  /** Informational: the signature verified; the message names the key and suite. */
  public static final String SIGNATURE_VERIFIED = "SIGNATURE_VERIFIED";

  /** Informational: the timestamp verified; the message gives its time and authority. */
  public static final String TIMESTAMP_VERIFIED = "TIMESTAMP_VERIFIED";

  /**
   * Informational: the seal carries a signature that verifies with the key the seal itself carries,
   * but no trust policy was given: nothing about who signed was verified (anyone can sign with a
   * key of their own).
   */
  public static final String SIGNATURE_UNCHECKED = "SIGNATURE_UNCHECKED";

  /** Informational: a token is present but no time-stamping authority is trusted. */
  public static final String TIMESTAMP_UNCHECKED = "TIMESTAMP_UNCHECKED";

  /**
   * The seal contradicts itself: its stated length does not fit its own leaves (the content matches
   * every sealed leaf at another length), so a field of the seal was altered, not the content.
   * INCONCLUSIVE; content findings are not reported against such a seal.
   */
  public static final String SEAL_INCONSISTENT = "SEAL_INCONSISTENT";

  /**
   * Informational: no verified timestamp attests when the seal was signed, so the signer's
   * certificates were checked at the seal's own claimed ingest time (or the verifier's time).
   */
  public static final String SIGNING_TIME_UNATTESTED = "SIGNING_TIME_UNATTESTED";

  /**
   * A verified token attests the signature later than the seal's claimed ingest time by more than
   * the trust policy's {@code maxTimestampDelay}: only "signed no later than the token's time" is
   * attested, and the claimed ingest time (whatever the signer wrote) may be back-dated. The
   * message names both times. INCONCLUSIVE.
   */
  public static final String TIMESTAMP_DELAYED = "TIMESTAMP_DELAYED";

  /**
   * The seal is signed by a trusted station, but the trust policy's station register does not bind
   * that station to the device the seal names at the seal's trusted time: a station's key sealing
   * for another station's camera (a stolen key putting a recording into another district's device
   * history). The message names the signer and the device. INCONCLUSIVE.
   */
  public static final String DEVICE_NOT_BOUND = "DEVICE_NOT_BOUND";

  /**
   * A device, officer or case id of the seal holds a character a reader does not see (a control,
   * zero-width or bidirectional-override character, a line separator): printed, it reads as another
   * id. A station's ingest refuses such ids, so the seal was made by hand. The message names the
   * field, the id escaped ({@code \\uXXXX}), the character and its position. INCONCLUSIVE.
   */
  public static final String UNPRINTABLE_IDENTIFIER = "UNPRINTABLE_IDENTIFIER";

  static final java.util.Set<String> INCONCLUSIVE =
      java.util.Set.of(
          SEAL_ROOT_MISMATCH,
          SEAL_INCONSISTENT,
          CHECKPOINT_MISMATCH,
          SUITE_DISAGREEMENT,
          PROOF_ROOT_MISMATCH,
          SIGNATURE_MISSING,
          SIGNATURE_INVALID,
          SIGNER_UNTRUSTED,
          TIMESTAMP_MISSING,
          TIMESTAMP_INVALID,
          TIMESTAMP_UNTRUSTED,
          TIMESTAMP_DELAYED,
          DEVICE_NOT_BOUND,
          UNPRINTABLE_IDENTIFIER);

  static final java.util.Set<String> INFORMATIONAL =
      java.util.Set.of(
          SIGNATURE_VERIFIED,
          TIMESTAMP_VERIFIED,
          SIGNATURE_UNCHECKED,
          TIMESTAMP_UNCHECKED,
          SIGNING_TIME_UNATTESTED);

  /**
   * Codes that say the seal itself is broken (it contradicts itself or was changed after signing):
   * content is not judged against such a seal.
   */
  static final java.util.Set<String> SEAL_BROKEN =
      java.util.Set.of(
          SEAL_ROOT_MISMATCH,
          SEAL_INCONSISTENT,
          CHECKPOINT_MISMATCH,
          SUITE_DISAGREEMENT,
          SIGNATURE_INVALID);

  /** Codes that judge the content against the seal. */
  static final java.util.Set<String> CONTENT =
      java.util.Set.of(
          SEGMENT_MODIFIED,
          SEGMENT_MOVED,
          CONTENT_TRUNCATED,
          CONTENT_EXTENDED,
          SEAL_NOT_FOR_CONTENT,
          RANGE_NOT_PROVEN);

  /**
   * Whether a code only informs (a signature or timestamp verified, or not checked for want of
   * anchors) and says nothing is wrong.
   */
  public static boolean isInformational(String code) {
    return INFORMATIONAL.contains(code);
  }
}
