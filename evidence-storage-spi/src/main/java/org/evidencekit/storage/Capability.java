package org.evidencekit.storage;

import static java.util.Objects.requireNonNull;

/**
 * What a store can do beyond the operations every store MUST support (create-only writes, whole
 * reads, stat, delete). A constant class: new capabilities are added, none is renamed. {@code
 * docs/storage-spi.md} defines each one normatively.
 */
public final class Capability {
  /** {@link EvidenceStore#openRead} channels support {@code position(long)} for range reads. */
  public static final Capability RANGE_READ = new Capability("range-read");

  /** {@link EvidenceStore#list} is supported. */
  public static final Capability LIST = new Capability("list");

  /** {@link EvidenceStore#setRetention} is supported and enforced by the store. */
  public static final Capability RETENTION = new Capability("retention");

  /** {@link EvidenceStore#setLegalHold} is supported and enforced by the store. */
  public static final Capability LEGAL_HOLD = new Capability("legal-hold");

  /**
   * Retention and holds are enforced by the storage itself (WORM: S3 Object Lock in compliance
   * mode, SnapLock), not only by this library: even an administrator going around EvidenceKit
   * cannot delete early.
   */
  public static final Capability STORAGE_ENFORCED_RETENTION =
      new Capability("storage-enforced-retention");

  /** Objects, retention and holds survive closing and reopening the store. */
  public static final Capability PERSISTENT = new Capability("persistent");

  /**
   * The store decides retention expiry with the {@link java.time.Clock} it was given, so tests can
   * move time; a store that uses its server's clock lacks this.
   */
  public static final Capability INJECTED_CLOCK = new Capability("injected-clock");

  private final String name;

  private Capability(String name) {
    this.name = requireNonNull(name);
  }

  /** The stable name, as in the spec. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
