package org.evidencekit.storage.tck;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;

/**
 * A store that passes every call to another: a test that injects a fault, plants a listing or
 * counts reads overrides only that. Every method of the SPI is forwarded, default ones included
 * ({@link #keys}), so a wrapper never hides what the store underneath does.
 */
public class ForwardingEvidenceStore implements EvidenceStore {
  /** The store every call goes to. */
  protected final EvidenceStore delegate;

  public ForwardingEvidenceStore(EvidenceStore delegate) {
    this.delegate = requireNonNull(delegate, "delegate");
  }

  @Override
  public Set<Capability> capabilities() {
    return delegate.capabilities();
  }

  @Override
  public WritableObject create(ObjectKey key) throws IOException {
    return delegate.create(key);
  }

  @Override
  public SeekableByteChannel openRead(ObjectKey key) throws IOException {
    return delegate.openRead(key);
  }

  @Override
  public ObjectInfo stat(ObjectKey key) throws IOException {
    return delegate.stat(key);
  }

  @Override
  public boolean exists(ObjectKey key) throws IOException {
    return delegate.exists(key);
  }

  @Override
  public Stream<ObjectInfo> list(String prefix) throws IOException {
    return delegate.list(prefix);
  }

  @Override
  public Stream<ObjectKey> keys(String prefix) throws IOException {
    return delegate.keys(prefix);
  }

  @Override
  public void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
    delegate.setRetention(key, retainUntil);
  }

  @Override
  public void setLegalHold(ObjectKey key, boolean hold) throws IOException {
    delegate.setLegalHold(key, hold);
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    delegate.delete(key);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
