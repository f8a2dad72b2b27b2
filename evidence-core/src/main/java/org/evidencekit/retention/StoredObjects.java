package org.evidencekit.retention;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.ledger.RecordNotRetainedException;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.slf4j.LoggerFactory;

/** Create-only records of disposition, kept for good: plans, approvals, tombstones, registers. */
final class StoredObjects {
  private StoredObjects() {}

  /** Largest record read back (a register of 100,000 items is about 40 MiB). */
  static final int MAX_BYTES = 256 << 20;

  /**
   * Writes {@code bytes} as a new object (never overwrites: an existing key is an {@code
   * ObjectExistsException}), retained for good where the store can (in the commit itself where it
   * takes that) and held where it can.
   *
   * <p>Returns normally once the object is committed, even if its retention or hold then failed
   * twice: the record is there, and a caller that took the failure for "nothing written" would
   * store it again or miss its ledger entry. The lock is completed when the same step runs again
   * and by the steps that list these records ({@link #keepIfLoose}); a warning names it meanwhile.
   *
   * @throws IOException if nothing was committed
   */
  static void createPermanent(EvidenceStore store, ObjectKey key, byte[] bytes) throws IOException {
    boolean retained = true;
    try {
      PermanentRecords.put(store, key, bytes);
    } catch (RecordNotRetainedException e) {
      retained = false;
    }
    try {
      if (!retained) {
        PermanentRecords.lock(store, key); // once more: the store's failure may have passed
      }
      hold(store, key);
    } catch (IOException e) {
      LoggerFactory.getLogger(StoredObjects.class)
          .warn(
              "{} is committed but not yet retained for good and held ({}); it is locked when its"
                  + " step runs again",
              key.value(),
              e.getMessage());
    }
  }

  /**
   * Completes the lock of a record found stored: its writer may have stopped, or its store failed,
   * between the commit and the retention or hold. Idempotent.
   */
  static void keep(EvidenceStore store, ObjectKey key) throws IOException {
    PermanentRecords.lock(store, key);
    hold(store, key);
  }

  /** {@link #keep}, only where the listing shows the record not yet retained for good or held. */
  static void keepIfLoose(EvidenceStore store, ObjectInfo info) throws IOException {
    boolean retained = PermanentRecords.keptForGood(store, info);
    boolean held = !store.capabilities().contains(Capability.LEGAL_HOLD) || info.legalHold();
    if (!retained || !held) {
      keep(store, info.key());
    }
  }

  /** {@link #keepIfLoose(EvidenceStore, ObjectInfo)} for a record known by its key. */
  static void keepIfLoose(EvidenceStore store, ObjectKey key) throws IOException {
    keepIfLoose(store, store.stat(key));
  }

  private static void hold(EvidenceStore store, ObjectKey key) throws IOException {
    if (store.capabilities().contains(Capability.LEGAL_HOLD)) {
      store.setLegalHold(key, true);
    }
  }

  static byte[] read(EvidenceStore store, ObjectKey key) throws IOException {
    return read(store, key, MAX_BYTES);
  }

  /**
   * The object's bytes, reading at most one past {@code max} or past what the heap can hold: a
   * larger one is refused.
   */
  static byte[] read(EvidenceStore store, ObjectKey key, int max) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key);
        InputStream in = Channels.newInputStream(ch)) {
      return BoundedFiles.readAtMost(
          in,
          key.value(),
          max,
          () -> new RetentionFormatException(key.value() + " is larger than " + max + " bytes"),
          RetentionFormatException::new);
    }
  }

  /**
   * The objects under {@code prefix}, at most {@code max} of them. The listing is read one entry
   * past the bound and no further, and no object is opened, so a store with millions of objects
   * planted under the prefix costs a page of its listing, not millions of reads.
   *
   * @param what the records, plural, for the message ("approvals of a plan")
   * @throws RetentionFormatException naming the prefix and the bound, if there are more
   */
  static List<ObjectInfo> list(EvidenceStore store, String prefix, int max, String what)
      throws IOException {
    try (Stream<ObjectInfo> s = store.list(prefix)) {
      List<ObjectInfo> out = s.limit(max + 1L).collect(Collectors.toList());
      if (out.size() > max) {
        throw new RetentionFormatException(
            prefix + " holds more than " + max + " objects, the most " + what + " can be");
      }
      return out;
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause(); // an object the store cannot describe: its own error, naming it
    }
  }

  /**
   * The sequence number of the next object under {@code prefix} (the count plus one), refusing
   * before anything is written once there are {@code max}: a record past the bound would be one
   * that {@link #list(EvidenceStore, String, int, String)} refuses.
   *
   * @throws RetentionFormatException naming the prefix and the bound
   */
  static long next(EvidenceStore store, String prefix, int max, String what) throws IOException {
    int n = list(store, prefix, max, what).size();
    if (n >= max) {
      throw new RetentionFormatException(
          prefix + " already holds " + max + " objects, the most " + what + " can be");
    }
    return n + 1L;
  }

  /**
   * {@link #next(EvidenceStore, String, int, String)}, passing over each number some stored object
   * under {@code prefix} already begins with ({@link #seq}). Anyone who can write to the store can
   * put an object under the name the next record would take: counting alone, every attempt to store
   * that record would collide, and the step would fail, run after run. Numbers stay
   * increasing, so the listing's order is still the order the records were stored in.
   *
   * @throws RetentionFormatException naming the prefix and the bound
   */
  static long nextFree(EvidenceStore store, String prefix, int max, String what)
      throws IOException {
    List<ObjectInfo> listed = list(store, prefix, max, what);
    if (listed.size() >= max) {
      throw new RetentionFormatException(
          prefix + " already holds " + max + " objects, the most " + what + " can be");
    }
    int digits = seq(0).length();
    Set<String> taken =
        listed.stream()
            .map(i -> i.key().value())
            .filter(k -> k.startsWith(prefix) && k.length() >= prefix.length() + digits)
            .map(k -> k.substring(prefix.length(), prefix.length() + digits))
            .collect(Collectors.toSet());
    long n = listed.size() + 1L;
    while (taken.contains(seq(n))) {
      n++; // at most once per listed object
    }
    return n;
  }

  /** A folder name for an id of any spelling: ids may hold slashes or be prefixes of others. */
  static String folder(String id) {
    return HashAlgorithm.SHA256.hash(id.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 32);
  }

  static String seq(long n) {
    return String.format(Locale.ROOT, "%020d", n);
  }
}
