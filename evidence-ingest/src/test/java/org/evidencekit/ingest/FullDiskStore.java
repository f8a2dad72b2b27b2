package org.evidencekit.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.function.Predicate;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.InsufficientStorageException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;

/**
 * A store whose disk fills up: writes to keys that {@code full} accepts fail with "no space left",
 * as a real disk would mid-copy. Everything else goes to the real store underneath.
 */
final class FullDiskStore extends ForwardingStore {
  private volatile Predicate<String> full;
  private final boolean positional;

  FullDiskStore(EvidenceStore real, Predicate<String> full) {
    this(real, full, false);
  }

  /**
   * With {@code positional}, objects also take positional writes (as the filesystem store's do):
   * the hash workers of a seal run then write them, and a full key fails at its second segment, in
   * the middle of the copy.
   */
  FullDiskStore(EvidenceStore real, Predicate<String> full, boolean positional) {
    super(real);
    this.full = full;
    this.positional = positional;
  }

  /** Keys whose commit makes the object visible and then fails (a folder that cannot be synced). */
  private volatile Predicate<String> unsynced = k -> false;

  void failAfterCommit(Predicate<String> keys) {
    unsynced = keys;
  }

  /** Keys written in order (not at positions), for tests that check which path a copy took. */
  final Set<String> writtenInOrder = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Keys written at positions. */
  final Set<String> writtenAtPositions = java.util.concurrent.ConcurrentHashMap.newKeySet();

  void heal() {
    full = k -> false;
    unsynced = k -> false;
  }

  @Override
  public WritableObject create(ObjectKey key) throws IOException {
    WritableObject w = real.create(key);
    return new ForwardingObject(w) {
      @Override
      public int write(ByteBuffer src) throws IOException {
        if (full.test(key.value())) {
          throw new InsufficientStorageException(
              "No space left on device writing " + key.value(), new IOException("ENOSPC"));
        }
        writtenInOrder.add(key.value());
        return w.write(src);
      }

      @Override
      public boolean supportsPositionalWrites() {
        return positional && w.supportsPositionalWrites();
      }

      @Override
      public int write(ByteBuffer src, long position) throws IOException {
        if (!positional) {
          throw new UnsupportedOperationException("no positional writes");
        }
        if (position > 0 && full.test(key.value())) {
          throw new InsufficientStorageException(
              "No space left on device writing " + key.value() + " at " + position,
              new IOException("ENOSPC"));
        }
        writtenAtPositions.add(key.value());
        return w.write(src, position);
      }

      @Override
      public ObjectInfo commit() throws IOException {
        ObjectInfo info = w.commit();
        if (unsynced.test(key.value())) {
          throw new IOException("cannot sync the folder of " + key.value() + ": EIO");
        }
        return info;
      }
    };
  }
}
