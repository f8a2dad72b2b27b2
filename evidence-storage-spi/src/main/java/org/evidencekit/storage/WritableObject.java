package org.evidencekit.storage;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * An object being written: invisible until {@link #commit()}. Not thread-safe. Closing without
 * committing aborts; {@code close()} is idempotent and never throws for an aborted write.
 */
public interface WritableObject extends WritableByteChannel {
  /** The key being written. */
  ObjectKey key();

  /**
   * Makes the object visible, durably, with exactly the bytes written. Afterwards the channel is
   * closed.
   *
   * @throws ObjectExistsException if another writer committed the key first; nothing of this write
   *     remains
   */
  ObjectInfo commit() throws IOException;

  /** Discards what was written; nothing remains. Idempotent. */
  void abort() throws IOException;

  /** Aborts unless committed. */
  @Override
  void close() throws IOException;
}
