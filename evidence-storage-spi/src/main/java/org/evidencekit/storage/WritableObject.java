package org.evidencekit.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * An object being written: invisible until {@link #commit()}. Not thread-safe, except that {@link
 * #write(ByteBuffer, long) positional writes} may come from several threads at once. Closing
 * without committing aborts; {@code close()} is idempotent and never throws for an aborted write.
 *
 * <p>An object is written either in order ({@link #write(ByteBuffer)}) or, where the store {@link
 * #supportsPositionalWrites() supports it}, at positions; the two are never mixed in one object.
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

  /**
   * Whether this object takes {@link #write(ByteBuffer, long)}: a parallel sealer can then store
   * each stretch of a recording from the thread that read and hashed it, so the content is read
   * once and never funnelled through one thread.
   */
  default boolean supportsPositionalWrites() {
    return false;
  }

  /**
   * Writes all of {@code src}'s remaining bytes at {@code position}; safe to call from several
   * threads at once, all of which must have returned before {@link #commit()}. The committed object
   * is as long as its furthest write reaches, and the writer must have written every byte below
   * that exactly once. A store may refuse a write over bytes already written ({@link
   * IllegalArgumentException}, nothing of it written) and a commit that leaves a stretch unwritten
   * ({@link IllegalStateException}, the write aborted); one that accepts them reads such a stretch
   * as zeros. A store that keeps a digest of the whole object cannot compute one over bytes that
   * arrive out of order, so {@link ObjectInfo#sha256()} is empty for such an object: whoever writes
   * at positions keeps its own proof of the content (a seal).
   *
   * @return the number of bytes written, {@code src}'s remaining bytes on entry
   * @throws UnsupportedOperationException if {@link #supportsPositionalWrites()} is false
   * @throws IllegalStateException if the object was written in order before
   */
  default int write(ByteBuffer src, long position) throws IOException {
    throw new UnsupportedOperationException(
        getClass().getName() + " does not take positional writes");
  }

  /**
   * Asks that the object be committed already retained until {@code retainUntil}, exactly as {@link
   * EvidenceStore#setRetention} right after the commit would leave it, but in the commit's own
   * durable step: the object is never visible without its retention, even across a crash, and the
   * store spends no second metadata write on it. Call before {@link #commit()}; a later call
   * replaces an earlier one. Retention can still only be extended afterwards.
   *
   * @return whether the store does so; false (the default, and any store without {@link
   *     Capability#RETENTION}) means nothing was recorded and the caller sets the retention after
   *     the commit, as before
   */
  default boolean retainOnCommit(java.time.Instant retainUntil) {
    java.util.Objects.requireNonNull(retainUntil, "retainUntil");
    return false;
  }

  /** Discards what was written; nothing remains. Idempotent. */
  void abort() throws IOException;

  /** Aborts unless committed. */
  @Override
  void close() throws IOException;
}
