package org.evidencekit.retention;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;

/** Create-only records of disposition, kept for good: plans, approvals, tombstones, registers. */
final class StoredObjects {
  private StoredObjects() {}

  /** Largest record read back (a register of 100,000 items is about 40 MiB). */
  static final int MAX_BYTES = 256 << 20;

  /**
   * Writes {@code bytes} as a new object (never overwrites: an existing key is an {@code
   * ObjectExistsException}), retained for good where the store can (in the commit itself where it
   * takes that) and held where it can.
   */
  static void createPermanent(EvidenceStore store, ObjectKey key, byte[] bytes) throws IOException {
    PermanentRecords.put(store, key, bytes);
    hold(store, key);
  }

  private static void hold(EvidenceStore store, ObjectKey key) throws IOException {
    if (store.capabilities().contains(Capability.LEGAL_HOLD)) {
      store.setLegalHold(key, true);
    }
  }

  static byte[] read(EvidenceStore store, ObjectKey key) throws IOException {
    return read(store, key, MAX_BYTES);
  }

  /** The object's bytes, reading at most one past {@code max}: a larger one is refused. */
  static byte[] read(EvidenceStore store, ObjectKey key, int max) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key);
        InputStream in = Channels.newInputStream(ch)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw new RetentionFormatException(key.value() + " is larger than " + max + " bytes");
      }
      return b;
    }
  }

  /** The SHA-256 of an object's content, read through the store. */
  static String sha256(EvidenceStore store, ObjectKey key) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (SeekableByteChannel ch = store.openRead(key)) {
      ByteBuffer b = ByteBuffer.allocate(1 << 16);
      while (ch.read(b) >= 0) {
        b.flip();
        md.update(b);
        b.clear();
      }
    }
    return Digest.of(md.digest()).hex();
  }

  static List<ObjectInfo> list(EvidenceStore store, String prefix) throws IOException {
    try (Stream<ObjectInfo> s = store.list(prefix)) {
      return s.collect(Collectors.toList());
    }
  }

  /** A folder name for an id of any spelling: ids may hold slashes or be prefixes of others. */
  static String folder(String id) {
    return HashAlgorithm.SHA256.hash(id.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32);
  }

  static String seq(long n) {
    return String.format(Locale.ROOT, "%020d", n);
  }
}
