package org.evidencekit.spark;

import java.io.Serializable;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.LedgerEntry;
import org.jspecify.annotations.Nullable;

/**
 * One recording to check, as the driver knows it from the ledger: the index and seal digest of its
 * latest {@code sealed} entry, or none when it was found in the store but never logged; whether it
 * is logged as stored encrypted, and the index of its latest {@code rewrapped} entry (key rotation,
 * -1 if none).
 */
final class WorkItem implements Serializable {
  private static final long serialVersionUID = 2L;

  final String key;
  final long loggedIndex;
  final @Nullable String loggedDigest;

  /**
   * Whether the ledger logs it as stored encrypted: found unencrypted, its plaintext was put in the
   * ciphertext's place.
   */
  final boolean loggedEncrypted;

  /** The index of its latest {@code rewrapped} entry since its {@code sealed} one; -1 if none. */
  final long rewrappedIndex;

  /**
   * The {@code sealed} entry itself (its canonical bytes), once the driver read it: only for a
   * recording stored encrypted, whose ciphertext is checked against what the entry logged of it.
   */
  final byte @Nullable [] sealedEntry;

  /** Its latest {@code rewrapped} entry (canonical bytes), read with {@link #sealedEntry}. */
  final byte @Nullable [] rewrappedEntry;

  /**
   * Why the driver could not read the entries {@link #sealedEntry} needs (a damaged ledger batch);
   * null if it could.
   */
  final @Nullable String entryUnreadable;

  WorkItem(String key, long loggedIndex, @Nullable String loggedDigest) {
    this(key, loggedIndex, loggedDigest, false, -1, null, null, null);
  }

  private WorkItem(
      String key,
      long loggedIndex,
      @Nullable String loggedDigest,
      boolean loggedEncrypted,
      long rewrappedIndex,
      byte @Nullable [] sealedEntry,
      byte @Nullable [] rewrappedEntry,
      @Nullable String entryUnreadable) {
    this.key = key;
    this.loggedIndex = loggedIndex;
    this.loggedDigest = loggedDigest;
    this.loggedEncrypted = loggedEncrypted;
    this.rewrappedIndex = rewrappedIndex;
    this.sealedEntry = sealedEntry;
    this.rewrappedEntry = rewrappedEntry;
    this.entryUnreadable = entryUnreadable;
  }

  /** A logged recording as the catalog index has it. */
  static WorkItem logged(String key, CatalogIndex.Row row, CatalogIndex catalog) {
    Long rewrapped = catalog.rewrapped().get(key);
    return new WorkItem(
        key,
        row.index(),
        row.sealDigest(),
        catalog.encrypted().contains(key),
        rewrapped == null ? -1 : rewrapped,
        null,
        null,
        null);
  }

  /**
   * This item with its {@code sealed} entry and, if its key was rotated, its latest {@code
   * rewrapped} entry, as the driver read them from the ledger.
   */
  WorkItem withEntries(LedgerEntry sealed, @Nullable LedgerEntry rewrapped) {
    return new WorkItem(
        key,
        loggedIndex,
        loggedDigest,
        loggedEncrypted,
        rewrappedIndex,
        sealed.canonical(),
        rewrapped == null ? null : rewrapped.canonical(),
        null);
  }

  /** This item, its entries not readable: {@code why}. */
  WorkItem withEntriesUnreadable(String why) {
    return new WorkItem(
        key, loggedIndex, loggedDigest, loggedEncrypted, rewrappedIndex, null, null, why);
  }

  boolean logged() {
    return loggedDigest != null;
  }

  /** Whether the driver has been to the ledger for this item's entries, readable or not. */
  boolean entriesRead() {
    return sealedEntry != null || entryUnreadable != null;
  }
}
