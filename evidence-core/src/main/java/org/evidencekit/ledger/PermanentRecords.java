package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Instant;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;

/**
 * Records kept for good: the seal objects, staged seals, ledger batches and checkpoints that prove
 * what was stored, when and by whom. They outlive the recordings they describe: a recording
 * disposed of under an approved plan leaves its seal and its entries behind, which is how a records
 * officer later shows what was destroyed and that it was what had been sealed. So none
 * of them may be deleted through the library or the store's API, at any time: each is committed
 * retained until {@link #FOREVER} where the store takes retention at commit, or given that
 * retention right after its commit where the store can only set it afterwards.
 *
 * <p>Derived data that the ledger rebuilds from these records (tiles, catalog snapshots) is not
 * written here: it may be replaced when found wrong.
 */
public final class PermanentRecords {
  private PermanentRecords() {}

  /**
   * Retention that means "for good": the latest New Year every store we know can keep. Ceph RGW (S3
   * Object Lock) keeps retain-until dates in 32 unsigned bits of seconds, up to
   * 2106-02-07T06:28:15Z, and wraps a later one into the past. Retention only ever extends, so a
   * station of that time can extend these records further.
   */
  public static final Instant FOREVER = Instant.parse("2106-01-01T00:00:00Z");

  /**
   * Creates, writes and commits an object holding {@code bytes}, retained for good where the store
   * keeps retention ({@link Capability#RETENTION}): in the commit's own durable step if the store
   * offers that ({@link WritableObject#retainOnCommit}), else by {@link #lock} right after it.
   *
   * @throws org.evidencekit.storage.ObjectExistsException if the key is taken (nothing written);
   *     whoever wrote the existing object locked it, or a caller that finds it holds the same bytes
   *     may {@link #lock} it
   * @throws RecordNotRetainedException if the object was committed but the lock after the commit
   *     failed: the record is there (do not write it again); its lock is still to be done
   * @throws IOException for any other failure: nothing was committed
   */
  public static void put(EvidenceStore store, ObjectKey key, byte[] bytes) throws IOException {
    requireNonNull(store, "store");
    requireNonNull(key, "key");
    requireNonNull(bytes, "bytes");
    boolean retains = store.capabilities().contains(Capability.RETENTION);
    boolean atCommit;
    try (WritableObject w = store.create(key)) {
      atCommit = retains && w.retainOnCommit(FOREVER);
      ChannelIo.writeFully(w, bytes);
      w.commit();
    }
    if (retains && !atCommit) {
      try {
        lock(store, key);
      } catch (IOException e) {
        throw new RecordNotRetainedException(key, e);
      }
    }
  }

  /**
   * Whether {@code info} (a description of one of {@code store}'s objects) shows nothing left to
   * lock: the object is retained at least until {@link #FOREVER}, or the store keeps no retention.
   */
  public static boolean keptForGood(EvidenceStore store, ObjectInfo info) {
    requireNonNull(store, "store");
    requireNonNull(info, "info");
    return !store.capabilities().contains(Capability.RETENTION)
        || info.retainUntil().filter(u -> !u.isBefore(FOREVER)).isPresent();
  }

  /**
   * Retains an existing object for good where the store keeps retention; nothing on a store that
   * does not. Idempotent, and nothing to do for an object already kept longer. Also completes an
   * object whose writer stopped between its commit and its lock.
   */
  public static void lock(EvidenceStore store, ObjectKey key) throws IOException {
    requireNonNull(store, "store");
    requireNonNull(key, "key");
    if (store.capabilities().contains(Capability.RETENTION)) {
      try {
        store.setRetention(key, FOREVER);
      } catch (RetentionLockedException keptLonger) {
        // retention only extends: kept at least as long already (an earlier build locked until
        // 9999 on a store that can count that far)
      }
    }
  }
}
