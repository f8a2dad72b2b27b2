package org.evidencekit.storage;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a store knows about one committed object. {@code sha256}, when present, is the store's own
 * digest of the bytes as committed, which {@code openRead} content must always match; it is absent
 * only for an object {@link WritableObject#write(java.nio.ByteBuffer, long) written at positions},
 * whose writer keeps its own proof of the content.
 */
public final class ObjectInfo {
  private final ObjectKey key;
  private final long size;
  private final Instant createdAt;
  private final byte[] sha256;
  private final Instant retainUntil;
  private final boolean legalHold;
  private final boolean storageEnforced;

  private ObjectInfo(Builder b) {
    this.key = requireNonNull(b.key, "key");
    if (b.size < 0) {
      throw new IllegalArgumentException("size " + b.size);
    }
    this.size = b.size;
    this.createdAt = requireNonNull(b.createdAt, "createdAt");
    if (b.sha256 != null && b.sha256.length != 32) {
      throw new IllegalArgumentException("sha256 must be 32 bytes, not " + b.sha256.length);
    }
    this.sha256 = b.sha256 == null ? null : b.sha256.clone();
    this.retainUntil = b.retainUntil;
    this.legalHold = b.legalHold;
    this.storageEnforced = b.storageEnforced;
  }

  public static Builder builder(ObjectKey key) {
    return new Builder(key);
  }

  public ObjectKey key() {
    return key;
  }

  /** Size in bytes. */
  public long size() {
    return size;
  }

  /** When the object was committed, by the store's clock. */
  public Instant createdAt() {
    return createdAt;
  }

  /**
   * SHA-256 of the committed bytes, as the store computed it while they were written; empty for an
   * object written at positions (see {@link WritableObject#write(java.nio.ByteBuffer, long)}).
   */
  public Optional<byte[]> sha256() {
    return sha256 == null ? Optional.empty() : Optional.of(sha256.clone());
  }

  /** {@link #sha256()} in lower-case hex. */
  public Optional<String> sha256Hex() {
    return sha256 == null ? Optional.empty() : Optional.of(HexFormat.of().formatHex(sha256));
  }

  /** The end of the retention period, if one is set. */
  public Optional<Instant> retainUntil() {
    return Optional.ofNullable(retainUntil);
  }

  public boolean legalHold() {
    return legalHold;
  }

  /** Whether retention and hold are enforced by the storage itself, not only by the library. */
  public boolean storageEnforced() {
    return storageEnforced;
  }

  /**
   * A builder holding this object's values; each may be replaced once (as each setting of a fresh
   * builder may be made once).
   */
  public Builder toBuilder() {
    Builder b = new Builder(key);
    b.size = size;
    b.createdAt = createdAt;
    b.sha256 = sha256 == null ? null : sha256.clone();
    b.retainUntil = retainUntil;
    b.legalHold = legalHold;
    b.storageEnforced = storageEnforced;
    return b;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ObjectInfo)) {
      return false;
    }
    ObjectInfo i = (ObjectInfo) o;
    return key.equals(i.key)
        && size == i.size
        && createdAt.equals(i.createdAt)
        && Arrays.equals(sha256, i.sha256)
        && Objects.equals(retainUntil, i.retainUntil)
        && legalHold == i.legalHold
        && storageEnforced == i.storageEnforced;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, size, createdAt, retainUntil, legalHold);
  }

  @Override
  public String toString() {
    return "ObjectInfo{"
        + key
        + ", "
        + size
        + " bytes, created "
        + createdAt
        + (retainUntil == null ? "" : ", retain until " + retainUntil)
        + (legalHold ? ", legal hold" : "")
        + "}";
  }

  /** Builds {@link ObjectInfo} values; for store implementations. */
  public static final class Builder {
    private final ObjectKey key;
    private Long size;
    private Instant createdAt;
    private byte[] sha256;
    private Instant retainUntil;
    private boolean legalHold;
    private boolean storageEnforced;

    private final Set<String> set = new HashSet<>();

    private Builder(ObjectKey key) {
      this.key = requireNonNull(key, "key");
    }

    /** A setting made twice is a caller's mistake: the first value would be silently lost. */
    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " of " + key + " was already set");
      }
    }

    /** Size in bytes; required. */
    public Builder size(long size) {
      once("size");
      this.size = size;
      return this;
    }

    /** When the object was committed; required. */
    public Builder createdAt(Instant createdAt) {
      once("createdAt");
      this.createdAt = requireNonNull(createdAt, "createdAt");
      return this;
    }

    /** The store's SHA-256 of the whole object (copied), or null when it has none. */
    public Builder sha256(byte[] sha256) {
      once("sha256");
      this.sha256 = sha256 == null ? null : sha256.clone();
      return this;
    }

    /** The end of retention, or null for none. */
    public Builder retainUntil(Instant retainUntil) {
      once("retainUntil");
      this.retainUntil = retainUntil;
      return this;
    }

    public Builder legalHold(boolean legalHold) {
      once("legalHold");
      this.legalHold = legalHold;
      return this;
    }

    public Builder storageEnforced(boolean storageEnforced) {
      once("storageEnforced");
      this.storageEnforced = storageEnforced;
      return this;
    }

    /**
     * The object's information.
     *
     * @throws IllegalStateException naming a missing size or createdAt
     */
    public ObjectInfo build() {
      String missing = size == null ? "size" : createdAt == null ? "createdAt" : null;
      if (missing != null) {
        throw new IllegalStateException("object info of " + key + " needs " + missing);
      }
      return new ObjectInfo(this);
    }
  }
}
