package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.util.Set;

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

  /** A hold was placed on a recording (subject); details: hold, kind, reason. */
  public static final String HOLD_PLACED = "hold-placed";

  /** A hold was released (subject: the recording); details: hold, reason. */
  public static final String HOLD_RELEASED = "hold-released";

  public static final String RETENTION_EXTENDED = "retention-extended";

  /**
   * Retention was decided for a recording (subject) and raised its high-water mark; details: until,
   * permanent, policy, status.
   */
  public static final String RETENTION_DECIDED = "retention-decided";

  /** A disposition plan was stored (subject {@code plan:<digest>}, payload: the plan's digest). */
  public static final String DISPOSITION_PLANNED = "disposition-planned";

  /** One approver signed a disposition plan (payload: the approval document's digest). */
  public static final String DISPOSITION_APPROVED = "disposition-approved";

  /** A disposal is about to be attempted (payload: the content's SHA-256 read before). */
  public static final String DISPOSAL_INTENDED = "disposal-intended";

  /** A recording was deleted under an approved plan (payload: the content's SHA-256). */
  public static final String DISPOSED = "disposed";

  /** The store refused to delete a recording an approved plan named. */
  public static final String DISPOSAL_REFUSED = "disposal-refused";

  /** The object an approved plan named was already gone when disposal came to it. */
  public static final String DISPOSAL_MISSING = "disposal-missing";

  /** A destruction register (销毁清册) was stored (payload: its digest). */
  public static final String DESTRUCTION_REGISTERED = "destruction-registered";

  /** A trusted clock without any earlier anchor was initialised by a named person. */
  public static final String CLOCK_INITIALISED = "clock-initialised";

  /** A named person accepted a trusted clock's jump beyond its bound; details: from, to, reason. */
  public static final String CLOCK_JUMP_ACCEPTED = "clock-jump-accepted";

  /**
   * A recording stored encrypted had its data key re-wrapped under another key-encryption key (key
   * rotation, {@link EvidenceArchive#rewrap}); subject: the recording, payload: its seal's digest;
   * details: {@code encryption} (suite), {@code fromKek} and {@code kek} (the key ids before and
   * after), {@code noncePrefix} (the stored ciphertext's, unchanged by a rotation), {@code reason}.
   * Sweeps and exports then expect the header to name {@code kek}.
   */
  public static final String REWRAPPED = "rewrapped";

  public static final String VERIFIED = "verified";
  public static final String SPOT_CHECKED = "spot-checked";

  /**
   * The kinds written only by the library path that enforces their rules: {@code sealed} (the
   * content checked against its seal, {@link EvidenceArchive#ingest}), {@code rewrapped} (the
   * stored ciphertext checked as logged and its new wrapping against the new key, {@link
   * EvidenceArchive#rewrap}: a free-form one would make any key id in a header pass), retention's
   * decisions and holds (a named person and a reason), disposition (a recorded plan, two approvals,
   * a register) and the trusted clock's vouchings (a named person and a reason). Read back, they
   * extend retention, lift holds or move the clock's anchor, so a free-form
   * custody append must not write them.
   */
  private static final Set<String> GOVERNED =
      Set.of(
          SEALED,
          REWRAPPED,
          HOLD_PLACED,
          HOLD_RELEASED,
          RETENTION_DECIDED,
          DISPOSITION_PLANNED,
          DISPOSITION_APPROVED,
          DISPOSAL_INTENDED,
          DISPOSED,
          DISPOSAL_REFUSED,
          DISPOSAL_MISSING,
          DESTRUCTION_REGISTERED,
          CLOCK_INITIALISED,
          CLOCK_JUMP_ACCEPTED);

  /**
   * Whether entries of {@code type} are written only through the library path that enforces their
   * rules (see the constants: sealing, retention, holds, disposition, the trusted clock), never by
   * a free-form custody append such as {@code evidence ledger append}.
   */
  public static boolean isGoverned(String type) {
    requireNonNull(type, "type");
    return GOVERNED.contains(type);
  }
}
