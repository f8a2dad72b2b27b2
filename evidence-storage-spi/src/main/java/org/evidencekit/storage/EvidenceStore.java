package org.evidencekit.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where recordings, seals and ledger entries are kept. The contract is written
 * for evidence: nothing is visible half-written, nothing is ever overwritten, nothing under
 * retention or legal hold can be deleted, and every read returns exactly the committed bytes.
 * {@code docs/storage-spi.md} is the normative specification and the conformance kit ({@code
 * evidence-storage-tck}) checks it.
 *
 * <p>Implementations are thread-safe. Errors are strict {@link IOException} subclasses: {@link
 * NoSuchObjectException}, {@link ObjectExistsException}, {@link RetentionLockedException}, {@link
 * StoreUnavailableException}; caller errors (an operation the store lacks the capability for) are
 * {@link UnsupportedOperationException}.
 */
public interface EvidenceStore extends Closeable {
  /** What this store supports beyond the mandatory operations. Constant for its lifetime. */
  Set<Capability> capabilities();

  /**
   * Starts writing a new object. Nothing is visible under {@code key} until {@link
   * WritableObject#commit()} succeeds; {@code abort()} or {@code close()} without commit leaves
   * nothing behind. If the key exists when this is called, or when the write commits, the call
   * fails with {@link ObjectExistsException} and the existing object is untouched: of several
   * concurrent writers of one key exactly one commits.
   */
  WritableObject create(ObjectKey key) throws IOException;

  /**
   * Opens a committed object for reading. The channel is read-only; with {@link
   * Capability#RANGE_READ} it is seekable. It reads exactly the committed bytes.
   *
   * @throws NoSuchObjectException if no committed object has this key
   */
  SeekableByteChannel openRead(ObjectKey key) throws IOException;

  /**
   * Describes a committed object.
   *
   * @throws NoSuchObjectException if no committed object has this key
   */
  ObjectInfo stat(ObjectKey key) throws IOException;

  /** Whether a committed object has this key. */
  boolean exists(ObjectKey key) throws IOException;

  /**
   * The committed objects whose keys start with {@code prefix} (a plain string prefix; {@code ""}
   * for all), in {@link ObjectKey#ORDER}. Lazy: close the stream. Objects committed or deleted
   * while the stream is consumed may or may not appear.
   *
   * @throws UnsupportedOperationException without {@link Capability#LIST}
   */
  Stream<ObjectInfo> list(String prefix) throws IOException;

  /**
   * The keys {@link #list} would return, without describing each object. Where a description costs
   * a request per object (S3: retention and digest live in object metadata), this is the cheap way
   * to learn what a store holds: an archive-wide sweep needs only the keys. Same order, same
   * laziness, same consistency as {@link #list}.
   *
   * @throws UnsupportedOperationException without {@link Capability#LIST}
   */
  default Stream<ObjectKey> keys(String prefix) throws IOException {
    return list(prefix).map(ObjectInfo::key);
  }

  /**
   * Sets or extends the retention of an object: it cannot be deleted before {@code retainUntil}.
   * Retention only ever extends: an earlier instant than the one in force is refused with {@link
   * RetentionLockedException} and changes nothing; the same instant is a no-op.
   *
   * @throws UnsupportedOperationException without {@link Capability#RETENTION}
   */
  void setRetention(ObjectKey key, Instant retainUntil) throws IOException;

  /**
   * Places or releases a legal hold. A held object cannot be deleted, whatever its retention.
   *
   * @throws UnsupportedOperationException without {@link Capability#LEGAL_HOLD}
   */
  void setLegalHold(ObjectKey key, boolean hold) throws IOException;

  /**
   * Deletes a committed object.
   *
   * @throws RetentionLockedException if its retention has not ended or a legal hold is on; the
   *     object is untouched
   * @throws NoSuchObjectException if no committed object has this key
   */
  void delete(ObjectKey key) throws IOException;
}
