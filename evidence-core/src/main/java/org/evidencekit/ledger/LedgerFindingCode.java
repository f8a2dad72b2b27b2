package org.evidencekit.ledger;

import java.util.Set;

/**
 * Stable codes of what verifying the ledger finds ({@link EvidenceLedger#verify}, {@link
 * EvidenceLedger#checkPublished}, {@link ProofBundle#verify}, {@link DeviceChain#verify}; R-07,
 * R-18, Art. 21). Like {@link org.evidencekit.verify.FindingCode}, a code is never renamed or
 * reused; callers branch on the code and show the finding's message. A constant class, not an enum,
 * because the vocabulary grows.
 */
public final class LedgerFindingCode {
  private LedgerFindingCode() {}

  /** Entries between two stored batches are gone: the log has a hole. */
  public static final String ENTRIES_MISSING = "LEDGER_ENTRIES_MISSING";

  /** A stored batch of entries cannot be read, is truncated or is not canonical. */
  public static final String BATCH_DAMAGED = "LEDGER_BATCH_DAMAGED";

  /** An object in the ledger's folders that the ledger never writes (a name it does not use). */
  public static final String UNEXPECTED_OBJECT = "LEDGER_UNEXPECTED_OBJECT";

  /**
   * A seal staged under {@code ledger/seals/} (kept for good: the copy a crashed ingest is
   * completed from) no longer hashes to its name: it was altered, truncated or replaced.
   */
  public static final String STAGED_SEAL_DAMAGED = "LEDGER_STAGED_SEAL_DAMAGED";

  /**
   * A stored tile (derived data that speeds proofs up) does not match the entries it summarises;
   * proofs fall back to the entries, but something changed stored data.
   */
  public static final String TILE_MISMATCH = "LEDGER_TILE_MISMATCH";

  /**
   * A stored tile (derived data) that the newest checkpoint covers is gone or unreadable: it was
   * rebuilt from the entries, so nothing is lost, but stored data went away.
   */
  public static final String TILE_MISSING = "LEDGER_TILE_MISSING";

  /**
   * A record the ledger keeps for good (a batch) has no retention until {@link
   * PermanentRecords#FOREVER} and the store refused to set it: it can be deleted through the
   * store's API. Nothing is wrong with its content.
   */
  public static final String RECORD_NOT_RETAINED = "LEDGER_RECORD_NOT_RETAINED";

  /** A stored checkpoint cannot be read, or states a size other than its name. */
  public static final String CHECKPOINT_UNREADABLE = "LEDGER_CHECKPOINT_UNREADABLE";

  /** A checkpoint's signature does not verify with any trusted ledger key. */
  public static final String CHECKPOINT_UNTRUSTED = "LEDGER_CHECKPOINT_UNTRUSTED";

  /**
   * Trusted ledger keys were given but the ledger stores no checkpoint: nothing signed attests its
   * entries, which anyone with write access could have rewritten after deleting the checkpoints.
   */
  public static final String CHECKPOINT_MISSING = "LEDGER_CHECKPOINT_MISSING";

  /** The log now holds fewer entries than a checkpoint published: entries were removed. */
  public static final String ENTRIES_REMOVED = "LEDGER_ENTRIES_REMOVED";

  /**
   * The entries now stored do not hash to a checkpoint's root: an entry was altered, removed or
   * reordered.
   */
  public static final String ROOT_MISMATCH = "LEDGER_ROOT_MISMATCH";

  /** A published checkpoint is cosigned by fewer witnesses than the policy's quorum. */
  public static final String WITNESS_QUORUM_MISSED = "LEDGER_WITNESS_QUORUM_MISSED";

  /**
   * A published checkpoint is not a state of this log: the log forked or was rolled back below it.
   */
  public static final String CHECKPOINT_NOT_OF_THIS_LOG = "LEDGER_CHECKPOINT_NOT_OF_THIS_LOG";

  /** A proof bundle's checkpoint is of another log than the one its verifier named (origin). */
  public static final String CHECKPOINT_OTHER_ORIGIN = "LEDGER_CHECKPOINT_OTHER_ORIGIN";

  /** A proof bundle's inclusion proof does not lead from its entry to its checkpoint's root. */
  public static final String INCLUSION_PROOF_INVALID = "LEDGER_INCLUSION_PROOF_INVALID";

  /** A proof bundle's entry is not a {@code sealed} entry. */
  public static final String ENTRY_NOT_SEALED = "LEDGER_ENTRY_NOT_SEALED";

  /** A proof bundle's entry names another seal than the bundle carries. */
  public static final String ENTRY_FOR_OTHER_SEAL = "LEDGER_ENTRY_FOR_OTHER_SEAL";

  /** A seal of a device names a predecessor that is not among the device's seals: one is gone. */
  public static final String CHAIN_MISSING = "CHAIN_MISSING";

  /** A recording of the chain was replaced: a dangling link plus a seal nobody follows. */
  public static final String CHAIN_REPLACED = "CHAIN_REPLACED";

  /** Two or more seals name the same predecessor. */
  public static final String CHAIN_FORKED = "CHAIN_FORKED";

  /** A link runs backwards in recording time without running forwards in ingest time. */
  public static final String CHAIN_REORDERED = "CHAIN_REORDERED";

  /** More than one seal of the device names no predecessor. */
  public static final String CHAIN_SECOND_GENESIS = "CHAIN_SECOND_GENESIS";

  /** A seal of another device, or of none, was given for the device's chain. */
  public static final String CHAIN_FOREIGN_SEAL = "CHAIN_FOREIGN_SEAL";

  /**
   * A seal of the device's chain is not intact checked on its own: unsigned, a broken signature, a
   * signer the verifier does not trust, or a tree that does not hold.
   */
  public static final String CHAIN_UNTRUSTED_SEAL = "CHAIN_UNTRUSTED_SEAL";

  /**
   * A stored entry's time breaks the rules the ledger holds every append to (R-04, R-14, R-16;
   * docs/ledger.md, "Entries"): after the verifier's clock, far behind the latest time before it, a
   * jump of more than 31 days without a named acceptance of it, an acceptance that does not name
   * the jump, or a record dated before what it concerns. The library refuses such an entry, so it
   * was written around it, or by a build from before the rule. Inconclusive, not tampered: the
   * entry is in the log as written, and nothing in its bytes tells an older build's entry, valid
   * when written, from a forged one.
   */
  public static final String ENTRY_TIME_REFUSED = "LEDGER_ENTRY_TIME_REFUSED";

  /**
   * Codes that leave the log's state undecided rather than shown altered: the checkpoint cannot be
   * read or trusted, so nothing is concluded about the entries against it; or an entry's time is
   * one the library refuses, which an older build may have written honestly.
   */
  static final Set<String> INCONCLUSIVE =
      Set.of(
          CHECKPOINT_UNREADABLE,
          CHECKPOINT_UNTRUSTED,
          CHECKPOINT_MISSING,
          WITNESS_QUORUM_MISSED,
          ENTRY_TIME_REFUSED);
}
