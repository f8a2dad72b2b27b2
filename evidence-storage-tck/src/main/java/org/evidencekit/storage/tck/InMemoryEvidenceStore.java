package org.evidencekit.storage.tck;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;

/**
 * The reference store: everything in memory, every capability but persistence and storage
 * enforcement, retention decided by the injected clock. It passes the whole conformance kit and is
 * the model the kit's properties compare against; use it in tests of code that takes a store.
 */
public final class InMemoryEvidenceStore implements EvidenceStore {
  private static final Set<Capability> CAPABILITIES =
      Set.of(
          Capability.RANGE_READ,
          Capability.LIST,
          Capability.RETENTION,
          Capability.LEGAL_HOLD,
          Capability.INJECTED_CLOCK);

  private final Clock clock;
  private final ConcurrentSkipListMap<ObjectKey, Entry> objects =
      new ConcurrentSkipListMap<>(ObjectKey.ORDER);
  private volatile boolean closed;

  private static final class Entry {
    final byte[] content;
    final ObjectInfo info;

    Entry(byte[] content, ObjectInfo info) {
      this.content = content;
      this.info = info;
    }
  }

  public InMemoryEvidenceStore(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new StoreUnavailableException("store is closed");
    }
  }

  @Override
  public WritableObject create(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    checkOpen();
    if (objects.containsKey(key)) {
      throw new ObjectExistsException(key + " exists");
    }
    return new Writer(key);
  }

  private Entry entry(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    checkOpen();
    Entry e = objects.get(key);
    if (e == null) {
      throw new NoSuchObjectException(key.value());
    }
    return e;
  }

  @Override
  public SeekableByteChannel openRead(ObjectKey key) throws IOException {
    return new ReadChannel(entry(key).content);
  }

  @Override
  public ObjectInfo stat(ObjectKey key) throws IOException {
    return entry(key).info;
  }

  @Override
  public boolean exists(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    checkOpen();
    return objects.containsKey(key);
  }

  @Override
  public Stream<ObjectInfo> list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix");
    checkOpen();
    List<ObjectInfo> out = new ArrayList<>();
    for (Entry e : objects.values()) {
      if (e.info.key().startsWith(prefix)) {
        out.add(e.info);
      }
    }
    return out.stream();
  }

  @Override
  public void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
    requireNonNull(retainUntil, "retainUntil");
    synchronized (this) {
      Entry e = entry(key);
      Instant current = e.info.retainUntil().orElse(null);
      if (current != null && retainUntil.isBefore(current)) {
        throw new RetentionLockedException(
            key
                + " is retained until "
                + current
                + "; retention cannot be shortened to "
                + retainUntil);
      }
      objects.put(key, new Entry(e.content, e.info.toBuilder().retainUntil(retainUntil).build()));
    }
  }

  @Override
  public void setLegalHold(ObjectKey key, boolean hold) throws IOException {
    synchronized (this) {
      Entry e = entry(key);
      objects.put(key, new Entry(e.content, e.info.toBuilder().legalHold(hold).build()));
    }
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    synchronized (this) {
      Entry e = entry(key);
      if (e.info.legalHold()) {
        throw new RetentionLockedException(key + " is under legal hold");
      }
      Instant until = e.info.retainUntil().orElse(null);
      if (until != null && clock.instant().isBefore(until)) {
        throw new RetentionLockedException(key + " is retained until " + until);
      }
      objects.remove(key);
    }
  }

  /**
   * Removes an object whatever its retention and holds, as an insider with access to the storage
   * underneath the store's API could: for tests of what the library finds after such tampering.
   * Nothing in the {@link EvidenceStore} API can do this.
   *
   * @throws NoSuchObjectException if no committed object has this key
   */
  public void removeBehindTheStore(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    synchronized (this) {
      entry(key);
      objects.remove(key);
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private final class Writer implements WritableObject {
    private final ObjectKey key;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final MessageDigest sha256;
    private boolean open = true;

    Writer(ObjectKey key) {
      this.key = key;
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public ObjectKey key() {
      return key;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (!open) {
        throw new ClosedChannelException();
      }
      int n = src.remaining();
      byte[] b = new byte[n];
      src.get(b);
      bytes.write(b, 0, n);
      sha256.update(b);
      return n;
    }

    @Override
    public ObjectInfo commit() throws IOException {
      if (!open) {
        throw new ClosedChannelException();
      }
      open = false;
      checkOpen();
      byte[] content = bytes.toByteArray();
      ObjectInfo info =
          ObjectInfo.builder(key)
              .size(content.length)
              .createdAt(clock.instant())
              .sha256(sha256.digest())
              .build();
      if (objects.putIfAbsent(key, new Entry(content, info)) != null) {
        throw new ObjectExistsException(key + " was committed by another writer first");
      }
      return info;
    }

    @Override
    public void abort() {
      open = false;
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      abort();
    }
  }

  private static final class ReadChannel implements SeekableByteChannel {
    private final byte[] content;
    private long position;
    private boolean open = true;

    ReadChannel(byte[] content) {
      this.content = content;
    }

    private void checkOpen() throws ClosedChannelException {
      if (!open) {
        throw new ClosedChannelException();
      }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      checkOpen();
      if (position >= content.length) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), content.length - position);
      dst.put(content, (int) position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
      checkOpen();
      return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      checkOpen();
      if (newPosition < 0) {
        throw new IllegalArgumentException("negative position");
      }
      position = newPosition;
      return this;
    }

    @Override
    public long size() throws IOException {
      checkOpen();
      return content.length;
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
