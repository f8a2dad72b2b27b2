package org.evidencekit.ledger;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evidencekit.storage.EvidenceStore;

/**
 * The ledger batches read lately, so that a reader that hashes the batches after a checkpoint and
 * then folds the same entries into a catalog reads each of them once. Batch objects are
 * create-only: a copy never goes stale. Bounded to {@value #MAX_BYTES} bytes of entries.
 */
final class BatchCache {
  static final long MAX_BYTES = 32L << 20;

  private final EvidenceStore store;
  private final Map<Long, List<byte[]>> recent = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;

  BatchCache(EvidenceStore store) {
    this.store = store;
  }

  /** The entry lines of the batch that starts at entry {@code first}, read if not held. */
  List<byte[]> lines(long first) throws IOException {
    synchronized (recent) {
      List<byte[]> held = recent.get(first);
      if (held != null) {
        return held;
      }
    }
    List<byte[]> read = EvidenceLedger.readBatch(store, first);
    long size = read.stream().mapToLong(l -> l.length + 1L).sum();
    synchronized (recent) {
      if (size <= MAX_BYTES && recent.putIfAbsent(first, read) == null) {
        bytes += size;
        var it = recent.entrySet().iterator();
        while (bytes > MAX_BYTES && it.hasNext()) {
          bytes -= it.next().getValue().stream().mapToLong(l -> l.length + 1L).sum();
          it.remove();
        }
      }
    }
    return read;
  }
}
