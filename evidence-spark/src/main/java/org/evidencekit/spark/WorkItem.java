package org.evidencekit.spark;

import java.io.Serializable;
import org.evidencekit.ledger.LedgerEntry;
import org.jspecify.annotations.Nullable;

/**
 * One recording to check, as the driver knows it from the ledger: the index and seal digest of its
 * latest {@code sealed} entry, or none when it was found in the store but never logged.
 */
final class WorkItem implements Serializable {
  private static final long serialVersionUID = 1L;

  final String key;
  final long loggedIndex;
  final @Nullable String loggedDigest;

  /**
   * The {@code sealed} entry itself (its canonical bytes), once the driver read it: only for a
   * recording stored encrypted, whose ciphertext is checked against what the entry logged of it.
   */
  final byte @Nullable [] sealedEntry;

  WorkItem(String key, long loggedIndex, @Nullable String loggedDigest) {
    this(key, loggedIndex, loggedDigest, null);
  }

  private WorkItem(
      String key, long loggedIndex, @Nullable String loggedDigest, byte @Nullable [] sealedEntry) {
    this.key = key;
    this.loggedIndex = loggedIndex;
    this.loggedDigest = loggedDigest;
    this.sealedEntry = sealedEntry;
  }

  /** This item with its {@code sealed} entry, as the driver read it from the ledger. */
  WorkItem withSealedEntry(LedgerEntry entry) {
    return new WorkItem(key, loggedIndex, loggedDigest, entry.canonical());
  }

  boolean logged() {
    return loggedDigest != null;
  }
}
