package org.evidencekit.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;

/**
 * A store that passes every call to a real one, its objects too ({@link ForwardingObject}): tests
 * that inject a fault or a hook override only that. Every method of the SPI is forwarded, default
 * ones included, so a wrapper never hides what the real store does (a hand-written wrapper that
 * missed {@code retainOnCommit} made the ingest decline retention at commit under it).
 */
class ForwardingStore extends ForwardingEvidenceStore {
  final EvidenceStore real;

  ForwardingStore(EvidenceStore real) {
    super(real);
    this.real = real;
  }

  /** An object being written that passes every call to the real store's. */
  static class ForwardingObject implements WritableObject {
    final WritableObject w;

    ForwardingObject(WritableObject w) {
      this.w = w;
    }

    @Override
    public ObjectKey key() {
      return w.key();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return w.write(src);
    }

    @Override
    public boolean supportsPositionalWrites() {
      return w.supportsPositionalWrites();
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return w.write(src, position);
    }

    @Override
    public boolean retainOnCommit(Instant retainUntil) {
      return w.retainOnCommit(retainUntil);
    }

    @Override
    public boolean isOpen() {
      return w.isOpen();
    }

    @Override
    public ObjectInfo commit() throws IOException {
      return w.commit();
    }

    @Override
    public void abort() throws IOException {
      w.abort();
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }
}
