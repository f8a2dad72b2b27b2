package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.evidencekit.storage.ObjectKey;

/**
 * A record kept for good was committed, but the store failed to retain it afterwards ({@link
 * PermanentRecords#put}, on a store that sets retention only after the commit: S3 Object Lock, the
 * in-memory reference store). Unlike any other {@link IOException} from {@code put}, this one says
 * that the object <em>is</em> there with the bytes given, readable and final, only not yet
 * protected from deletion through the store's API.
 *
 * <p>So a caller must not treat it as "nothing written": doing the same work again would write the
 * record, or its ledger entry, twice. It goes on as after a successful {@code put} and leaves the
 * lock to be completed: {@link PermanentRecords#lock} is idempotent and is also what a later reader
 * of the record calls (the ledger locks every batch it takes in). The cause is the store's failure.
 */
public final class RecordNotRetainedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String key;

  RecordNotRetainedException(ObjectKey key, IOException cause) {
    super(
        requireNonNull(key, "key").value()
            + " is committed but not retained for good yet: "
            + requireNonNull(cause, "cause").getMessage(),
        cause);
    this.key = key.value();
  }

  /** The committed record that still needs its lock. */
  public ObjectKey key() {
    return ObjectKey.of(key);
  }
}
