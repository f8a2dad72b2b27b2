package org.evidencekit.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.evidencekit.crypt.DecryptionException;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.crypt.KeyEncryptionKey;
import org.evidencekit.crypt.NoMatchingKeyException;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;
import org.jspecify.annotations.Nullable;

/**
 * {@link EvidenceArchive#rewrap}: the key rotation of one recording stored encrypted, its
 * checks, the replacement of the stored ciphertext by way of a copy kept in the store, and its
 * {@code rewrapped} entry.
 */
final class KeyRotation {
  /** Folder of {@link #copies}. */
  static final String COPIES = "ledger/rewrap/";

  private final EvidenceStore store;
  private final EvidenceLedger ledger;
  private final Clock clock;

  KeyRotation(EvidenceStore store, EvidenceLedger ledger, Clock clock) {
    this.store = store;
    this.ledger = ledger;
    this.clock = clock;
  }

  /**
   * Rotates {@code key}, whose live {@code sealed} entry is {@code sealed}, stored seal {@code
   * seal} and latest {@code rewrapped} entry since then {@code rewrapped} (null if none).
   */
  long rewrap(
      String key,
      Map.Entry<Long, LedgerEntry> sealed,
      Seal seal,
      @Nullable LedgerEntry rewrapped,
      KeyEncryptionKey oldKek,
      KeyEncryptionKey newKek,
      String actor,
      String reason)
      throws IOException {
    if (!seal.digest().hex().equals(sealed.getValue().payloadDigest().orElse(""))) {
      throw new LedgerException(
          "the stored seal of " + key + " is not the one the ledger recorded; refusing to rotate");
    }
    Map<String, String> logged = ArchiveSweep.asLogged(sealed.getValue().details(), rewrapped);
    String loggedKek = logged.get(ArchiveSweep.KEK);
    if (loggedKek == null || !logged.containsKey(ArchiveSweep.ENCRYPTION)) {
      throw new LedgerException(
          "ledger entry "
              + sealed.getKey()
              + " does not log "
              + key
              + " as stored encrypted under a named key; nothing to rotate");
    }
    if (!loggedKek.equals(oldKek.keyId())) {
      throw new IllegalArgumentException(
          key
              + " is logged as wrapped under '"
              + loggedKek
              + "', not under the old key given ('"
              + oldKek.keyId()
              + "')");
    }
    Map<String, String> after = new TreeMap<>(logged);
    after.put(ArchiveSweep.KEK, newKek.keyId());
    ObjectKey content = ObjectKey.of(key);
    EncryptedRecording stored;
    boolean done;
    Optional<EncryptedRecording> restored =
        store.exists(content) ? Optional.empty() : restoreRewrapped(content, seal, newKek, after);
    if (restored.isPresent()) {
      return logRewrapped(key, seal, oldKek, newKek, actor, reason, restored.get());
    }
    try (SeekableByteChannel ch = store.openRead(content)) {
      if (!EncryptedRecording.looksEncrypted(ch)) {
        throw new LedgerException(
            "the stored content of "
                + key
                + " is unencrypted, but logged as stored encrypted: the ciphertext was replaced;"
                + " refusing to rotate");
      }
      // the header names the old key id (to rotate now) or the new one (rotated, not logged yet)
      boolean sameId = oldKek.keyId().equals(newKek.keyId());
      ch.position(0);
      EncryptedRecording opened;
      try {
        opened = EncryptedRecording.open(ch, seal, List.of(oldKek, newKek));
        done = !sameId && opened.keyId().equals(newKek.keyId());
      } catch (NoMatchingKeyException neither) {
        opened = null; // the check below names the header's key id as not the logged one
        done = false;
      } catch (DecryptionException e) {
        if (!sameId) {
          throw e;
        }
        ch.position(0); // a key slot whose key was replaced: already re-wrapped under the new key?
        opened = EncryptedRecording.open(ch, seal, List.of(newKek));
        done = true;
      }
      ch.position(0);
      ArchiveSweep.checkAsLogged(ch, seal, done ? after : logged);
      if (opened == null) {
        throw new DecryptionException(
            "the header of " + key + " names neither the logged key nor the new one");
      }
      if (done) {
        opened.read(0, 0); // the last segment: bound to this seal
      }
      stored = opened;
    }
    if (done) {
      deleteCopies(content); // a rotation that stopped after storing its copy in place
    } else {
      replaceRewrapped(content, seal, oldKek, newKek, after);
    }
    return logRewrapped(key, seal, oldKek, newKek, actor, reason, stored);
  }

  private long logRewrapped(
      String key,
      Seal seal,
      KeyEncryptionKey oldKek,
      KeyEncryptionKey newKek,
      String actor,
      String reason,
      EncryptedRecording stored)
      throws IOException {
    Map<String, String> details = new TreeMap<>();
    details.put(ArchiveSweep.ENCRYPTION, stored.suite().id());
    details.put(ArchiveSweep.FROM_KEK, oldKek.keyId());
    details.put(ArchiveSweep.KEK, newKek.keyId());
    details.put(ArchiveSweep.NONCE_PREFIX, stored.noncePrefix());
    details.put("reason", reason);
    return ledger.append(
        LedgerEntry.builder()
            .type(EntryType.REWRAPPED)
            .time(clock.instant())
            .actor(actor)
            .subject(key)
            .payloadDigest(seal.digest().hex())
            .details(details)
            .build());
  }

  /**
   * Where a key rotation keeps the checked re-wrapped ciphertext of {@code key} inside the store
   * while the stored one is replaced: under the ledger's own prefix (sweeps and disposition leave
   * it alone), in a folder named by the SHA-256 of the key (any key, one folder, no clash between a
   * key and a longer one).
   */
  static String copies(String key) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return COPIES + HexFormat.of().formatHex(h) + "/";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Re-wraps {@code content} under {@code newKek} and replaces the stored ciphertext with it. The
   * copy is made and checked in a temporary file (as logged after the rotation, opens with the new
   * key, bound to the seal), then stored as an object of its own under {@link #copies} before the
   * stored ciphertext is deleted, so that at every moment the store holds a checked ciphertext of
   * the recording: a process that stops between the delete and the new object leaves
   * the copy in the store, not in a temporary folder a reboot may empty, and the rotation run again
   * restores it ({@link #restoreRewrapped}).
   */
  private void replaceRewrapped(
      ObjectKey content,
      Seal seal,
      KeyEncryptionKey oldKek,
      KeyEncryptionKey newKek,
      Map<String, String> after)
      throws IOException {
    refuseIfRetained(content);
    ObjectKey copy =
        ObjectKey.of(
            copies(content.value())
                + clock.instant().toEpochMilli()
                + "-"
                + Long.toHexString(new SecureRandom().nextLong()));
    Path staged = Files.createTempFile("evidence-rewrap-", ".enc");
    try {
      try (SeekableByteChannel in = store.openRead(content);
          FileChannel out = FileChannel.open(staged, StandardOpenOption.WRITE)) {
        EncryptedRecording.rewrap(in, out, oldKek, newKek);
        out.force(true);
      }
      try (FileChannel c = FileChannel.open(staged)) {
        ArchiveSweep.checkAsLogged(c, seal, after);
        c.position(0);
        EncryptedRecording.open(c, seal, List.of(newKek)).read(0, 0);
      }
      try (FileChannel in = FileChannel.open(staged);
          WritableObject w = store.create(copy)) {
        ChannelIo.copy(in, w);
        w.commit();
      }
    } finally {
      Files.deleteIfExists(staged);
    }
    try {
      store.delete(content); // refused while retained or held: nothing changed
    } catch (RetentionLockedException e) {
      deleteQuietly(copy);
      // the store's words ("K is retained until T") did not say why a rotation needs a delete,
      // nor that nothing changed
      throw new RetentionLockedException(
          "cannot rotate the key: "
              + e.getMessage()
              + " (a rotation replaces the stored ciphertext); nothing changed or logged",
          e);
    }
    storeCopy(copy, content);
  }

  /**
   * Refuses, before anything is written, a rotation of a recording the store keeps for now: its
   * ciphertext would have to be deleted (objects are create-only). The store's own refusal of the
   * delete stays the last word; this only spares a copy of the whole ciphertext made for nothing.
   */
  private void refuseIfRetained(ObjectKey content) throws IOException {
    ObjectInfo info = store.stat(content);
    Instant now = clock.instant();
    if (info.legalHold() || info.retainUntil().filter(until -> until.isAfter(now)).isPresent()) {
      throw new RetentionLockedException(
          "cannot rotate the key: "
              + content.value()
              + (info.legalHold()
                  ? " is under a legal hold"
                  : " is retained until " + info.retainUntil().orElseThrow())
              + " (a rotation replaces the stored ciphertext); nothing changed or logged");
    }
  }

  /**
   * Stores the re-wrapped {@code copy} as {@code content}, then deletes every kept copy of it.
   *
   * @throws IOException naming the copy kept in the store if the new object cannot be stored
   */
  private void storeCopy(ObjectKey copy, ObjectKey content) throws IOException {
    try (SeekableByteChannel in = store.openRead(copy);
        WritableObject w = store.create(content)) {
      ChannelIo.copy(in, w);
      w.commit();
    } catch (IOException e) {
      throw new IOException(
          "the ciphertext of "
              + content.value()
              + " was deleted for its key rotation and its re-wrapped copy could not be stored"
              + " in its place ("
              + e.getMessage()
              + "): the checked copy is kept in the store at "
              + copy.value()
              + "; run the rotation again (same keys) to restore and log it",
          e);
    }
    deleteCopies(content);
  }

  /** Deletes every copy kept for a rotation of {@code content} (once it is stored in place). */
  private void deleteCopies(ObjectKey content) throws IOException {
    List<ObjectKey> copies;
    try (Stream<ObjectKey> kept = store.keys(copies(content.value()))) {
      copies = kept.collect(Collectors.toList());
    }
    copies.forEach(this::deleteQuietly);
  }

  /** Deletes a copy no longer needed; one the store keeps (a bucket's default lock) stays. */
  private void deleteQuietly(ObjectKey k) {
    try {
      store.delete(k);
    } catch (IOException e) {
      // a leftover copy is harmless: sweeps leave the ledger's prefix alone, and the rotation
      // that needs one checks it before use
    }
  }

  /**
   * Finishes a rotation that stopped after deleting the stored ciphertext: the first copy kept
   * under {@link #copies} that checks out (as logged after the rotation, opens with {@code newKek},
   * bound to the seal) is stored in place and returned; empty if there is none.
   */
  private Optional<EncryptedRecording> restoreRewrapped(
      ObjectKey content, Seal seal, KeyEncryptionKey newKek, Map<String, String> after)
      throws IOException {
    List<ObjectKey> copies;
    try (Stream<ObjectKey> kept = store.keys(copies(content.value()))) {
      copies = kept.sorted(Comparator.comparing(ObjectKey::value)).collect(Collectors.toList());
    }
    for (ObjectKey copy : copies) {
      EncryptedRecording opened;
      try (SeekableByteChannel ch = store.openRead(copy)) {
        ArchiveSweep.checkAsLogged(ch, seal, after);
        ch.position(0);
        opened = EncryptedRecording.open(ch, seal, List.of(newKek));
        opened.read(0, 0);
      } catch (IOException | RuntimeException notThisOne) {
        continue; // not a checked copy for this rotation: never stored in the recording's place
      }
      storeCopy(copy, content);
      return Optional.of(opened);
    }
    return Optional.empty();
  }
}
