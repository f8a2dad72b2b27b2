package org.evidencekit.ledger;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The in-memory {@link LedgerView} of an {@link EvidenceLedger}, built while batches are read and
 * appended. Memory: one map entry per live or disposed recording (its key and an index, about
 * 100-150 bytes) plus one entry per device; entries themselves stay in the store.
 *
 * <p>{@link #overlay()} gives a view with pending entries applied on top, without changing this
 * one, so the conditions of a batch can be judged in order before the batch is known to land.
 */
final class LedgerIndex implements LedgerView {
  private final Map<String, Long> sealed;

  /** First 64 bits of a content root to the latest sealed entry with it (confirmed on read). */
  private final Map<Long, Long> roots;

  private final Map<String, EvidenceArchive.Sealed> deviceTips;
  private final LedgerIndex base;

  /** Recordings disposed of (and not sealed again since) at this level, to their entry. */
  private final Map<String, Long> disposed;

  /** Live recordings whose key was rotated at this level, to the latest {@code rewrapped} entry. */
  private final Map<String, Long> rewrapped;

  private long size;
  private Instant latest;

  LedgerIndex() {
    this.sealed = new HashMap<>();
    this.roots = new HashMap<>();
    this.deviceTips = new HashMap<>();
    this.base = null;
    this.disposed = new HashMap<>();
    this.rewrapped = new HashMap<>();
  }

  private LedgerIndex(LedgerIndex base) {
    this.sealed = new HashMap<>();
    this.roots = new HashMap<>();
    this.deviceTips = new HashMap<>();
    this.base = base;
    this.disposed = new HashMap<>();
    this.rewrapped = new HashMap<>();
    this.size = base.size;
    this.latest = base.latest;
  }

  /** A view of this index with further entries applied on top; this index is not changed. */
  LedgerIndex overlay() {
    return new LedgerIndex(this);
  }

  /** Takes in the entry at {@code index}, which must be the next one. */
  void add(long index, LedgerEntry e) {
    size = index + 1;
    if (latest == null || e.time().isAfter(latest)) {
      latest = e.time();
    }
    switch (e.type()) {
      case EntryType.SEALED:
        // a live recording keeps its first sealed entry: a recording is sealed once until it is
        // disposed of, and a later entry for it logs a substitute
        if (sealedIndex(e.subject()).isEmpty()) {
          sealed.put(e.subject(), index);
          rewrapped.remove(e.subject());
        }
        disposed.remove(e.subject());
        Long root = rootKey(e.details().get("root"));
        if (root != null) {
          roots.put(root, index);
        }
        String device = e.details().get("device");
        if (device != null) {
          deviceTips.put(device, new EvidenceArchive.Sealed(index, e));
        }
        break;
      case EntryType.DISPOSED:
        sealed.remove(e.objectKey());
        disposed.put(e.objectKey(), index);
        rewrapped.remove(e.objectKey());
        break;
      case EntryType.REWRAPPED:
        if (sealedIndex(e.subject()).isPresent()) {
          rewrapped.put(e.subject(), index);
        }
        break;
      default:
        break;
    }
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public OptionalLong sealedIndex(String subject) {
    Long i = sealed.get(subject);
    if (i != null) {
      return OptionalLong.of(i);
    }
    if (base == null || disposed.containsKey(subject)) {
      return OptionalLong.empty();
    }
    return base.sealedIndex(subject);
  }

  /**
   * The index of the latest {@code rewrapped} entry of a live recording since its {@code sealed}
   * entry, if its key was ever rotated.
   */
  OptionalLong rewrappedIndex(String subject) {
    Long i = rewrapped.get(subject);
    if (i != null) {
      return OptionalLong.of(i);
    }
    if (base == null || disposed.containsKey(subject) || sealed.containsKey(subject)) {
      return OptionalLong.empty(); // a seal at this level starts afresh
    }
    return base.rewrappedIndex(subject);
  }

  @Override
  public OptionalLong disposedIndex(String objectKey) {
    Long d = disposed.get(objectKey);
    if (d != null) {
      return OptionalLong.of(d);
    }
    if (base == null || sealed.containsKey(objectKey)) {
      return OptionalLong.empty();
    }
    return base.disposedIndex(objectKey);
  }

  @Override
  public Optional<EvidenceArchive.Sealed> latestSealOf(String deviceId) {
    EvidenceArchive.Sealed s = deviceTips.get(deviceId);
    if (s != null || base == null) {
      return Optional.ofNullable(s);
    }
    return base.latestSealOf(deviceId);
  }

  /** The map key of a root: its first 64 bits, or null when it is not 16+ hex digits. */
  static Long rootKey(String rootHex) {
    if (rootHex == null || rootHex.length() < 16) {
      return null;
    }
    try {
      return Long.parseUnsignedLong(rootHex.substring(0, 16), 16);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * A candidate entry for {@code rootHex} (64 bits match; the caller reads the entry to confirm the
   * whole root and that its subject is still live).
   */
  @Override
  public OptionalLong sealedIndexByRoot(String rootHex) {
    Long k = rootKey(rootHex);
    if (k == null) {
      return OptionalLong.empty();
    }
    Long i = roots.get(k);
    if (i != null) {
      return OptionalLong.of(i);
    }
    return base == null ? OptionalLong.empty() : base.sealedIndexByRoot(rootHex);
  }

  @Override
  public Optional<Instant> latestTime() {
    return Optional.ofNullable(latest);
  }
}
