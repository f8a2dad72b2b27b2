package org.evidencekit.ledger;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the log holds at one position, as far as appending decisions need it: which recordings have
 * a live {@code sealed} entry, the latest seal of each device (the device chain's tip, R-07) and
 * the latest time any entry carries. A condition passed to {@link EvidenceLedger#appendIf} is
 * evaluated against the view at the exact position its entry would take, after every entry before
 * it, by any writer, is known.
 */
public interface LedgerView {
  /** Entries in the log up to this view's position. */
  long size();

  /** The index of the latest {@code sealed} entry of {@code subject}, unless it was disposed. */
  OptionalLong sealedIndex(String subject);

  /**
   * The index of the latest {@code disposed} entry that removed the object at {@code objectKey}
   * (its {@code objectKey} detail, else its subject), unless that key was sealed again since: the
   * recording there was destroyed under an approved plan and its seal is kept for good.
   */
  OptionalLong disposedIndex(String objectKey);

  /**
   * The latest {@code sealed} entry whose {@code device} detail is {@code deviceId}: the tip of the
   * device's chain of seals. Disposal does not move the tip.
   */
  Optional<EvidenceArchive.Sealed> latestSealOf(String deviceId);

  /**
   * The index of a live {@code sealed} entry whose {@code root} detail (the content's Merkle root,
   * lowercase hex) is {@code rootHex}, if any: the same bytes logged under some key.
   */
  OptionalLong sealedIndexByRoot(String rootHex);

  /** The latest time any entry carries (entries need not be in time order across writers). */
  Optional<Instant> latestTime();
}
