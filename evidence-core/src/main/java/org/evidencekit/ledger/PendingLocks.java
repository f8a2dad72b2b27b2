package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.slf4j.LoggerFactory;

/**
 * Records a writer committed whose retention then failed ({@link RecordNotRetainedException}), kept
 * so that the writer tries their locks again at its next step. A writer that moves on
 * never reads its own records again, so nothing else would lock them while it runs; if the process
 * ends first, the next reader that relies on a record locks it. Each failure is logged as a warning
 * (SLF4J). Thread-safe.
 */
public final class PendingLocks {
  private final EvidenceStore store;
  private final Class<?> writer;
  private final Set<ObjectKey> keys = ConcurrentHashMap.newKeySet();

  /**
   * @param writer the class whose logger the warnings go to
   */
  public PendingLocks(EvidenceStore store, Class<?> writer) {
    this.store = requireNonNull(store, "store");
    this.writer = requireNonNull(writer, "writer");
  }

  /** Notes a record committed but not retained, to be locked at the next {@link #retry}. */
  public void add(RecordNotRetainedException e) {
    requireNonNull(e, "e");
    keys.add(e.key());
    LoggerFactory.getLogger(writer).warn("{}; its lock is tried again", e.getMessage());
  }

  /** Tries the lock of every record noted; one that fails again stays for the next try. */
  public void retry() {
    for (ObjectKey k : keys) {
      try {
        PermanentRecords.lock(store, k);
        keys.remove(k);
      } catch (IOException e) {
        LoggerFactory.getLogger(writer)
            .warn("{} is still not retained for good: {}", k.value(), e.getMessage());
      }
    }
  }

  /** Records still waiting for their lock. */
  public int size() {
    return keys.size();
  }
}
