package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.DecryptionException;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.crypt.KeyEncryptionKey;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.store.StoreFiles;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rotation of the key-encryption key of a recording stored encrypted, under a new key id: the
 * honest operator's rotation ({@link EvidenceArchive#rewrap}) is logged and sweeps as before; the
 * same change of key id without its entry, or an older wrapping put back, stays DAMAGED (R-05,
 *
 */
class KeyRotationTest {
  private static final String KEY = "SECURE/rec.mp4";

  @TempDir Path dir;
  FileSystemEvidenceStore store;
  EvidenceArchive archive;
  final AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("kek-2026");
  final AesKeyEncryptionKey next = AesKeyEncryptionKey.generate("kek-2027");
  Path plaintext;

  @BeforeEach
  void setUp() throws IOException {
    store = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), EvidenceLedgerTest.CLOCK);
    archive = EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK);
    plaintext = dir.resolve("rec.mp4");
    byte[] content = new byte[(1 << 20) + 4321];
    new Random(27).nextBytes(content);
    Files.write(plaintext, content);
  }

  private void ingest(AeadSuite suite) throws IOException {
    Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(plaintext);
    archive.ingestEncrypted(KEY, plaintext, seal, suite, kek, "intake");
  }

  private Path content() {
    Path c = StoreFiles.content(store, ObjectKey.of(KEY));
    assertTrue(c.toFile().setWritable(true));
    return c;
  }

  private SweepReport.Item swept(KeyEncryptionKey... keks) throws IOException {
    SweepReport r = archive.sweep(null, List.of(keks));
    return r.items().stream().filter(i -> i.key().equals(KEY)).findFirst().orElseThrow();
  }

  private String headerPrefix() throws IOException {
    return HexFormat.of().formatHex(Files.readAllBytes(content()), 12, 19);
  }

  private byte[] rewrappedByHand(KeyEncryptionKey from, KeyEncryptionKey to) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (SeekableByteChannel in = Files.newByteChannel(content())) {
      EncryptedRecording.rewrap(in, Channels.newChannel(out), from, to);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void anHonestRotationUnderANewKeyIdIsLoggedAndSweepsOk(AeadSuite suite) throws IOException {
    ingest(suite);
    String prefix = headerPrefix();
    byte[] before = Files.readAllBytes(content());
    long index = archive.rewrap(KEY, kek, next, "key-officer", "yearly rotation");

    LedgerEntry e = archive.ledger().entry(index);
    assertEquals(EntryType.REWRAPPED, e.type());
    assertEquals(KEY, e.subject());
    assertEquals(archive.seal(KEY).digest().hex(), e.payloadDigest().orElseThrow());
    assertEquals(
        Map.of(
            "encryption", suite.id(),
            "fromKek", "kek-2026",
            "kek", "kek-2027",
            "noncePrefix", prefix,
            "reason", "yearly rotation"),
        e.details());
    // the stored ciphertext: the new key id in its header, the same prefix and segments
    byte[] after = Files.readAllBytes(content());
    assertEquals(prefix, headerPrefix());
    assertEquals(
        -1,
        java.util.Arrays.mismatch(
            java.util.Arrays.copyOfRange(before, headerLength(before), before.length),
            java.util.Arrays.copyOfRange(after, headerLength(after), after.length)),
        "segments unchanged");

    assertEquals(SweepReport.Status.NOT_CHECKED, swept().status(), swept().toString());
    assertEquals(SweepReport.Status.OK, swept(next).status(), swept(next).toString());
    assertEquals(SweepReport.Status.NOT_CHECKED, swept(kek).status(), "the old key is locked out");
    SigningKeys.LocalSigningKey ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
    archive.export(KEY, "clerk", "appeal", "court-7", ledgerKey);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    archive.exportDecrypted(
        KEY, "clerk", "appeal", "court-7", ledgerKey, List.of(next), Channels.newChannel(out));
    assertEquals(-1, java.util.Arrays.mismatch(Files.readAllBytes(plaintext), out.toByteArray()));
    // a later sweep from a freshly opened archive (the ledger read from the store) agrees
    EvidenceArchive reopened = EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK);
    reopened.export(KEY, "clerk", "appeal", "court-7", ledgerKey);

    // the copy wrapped under the old key put back: the rotation undone, without an entry
    Files.write(content(), before);
    SweepReport.Item back = swept(kek, next);
    assertEquals(SweepReport.Status.DAMAGED, back.status(), back.toString());
    assertTrue(back.detail().contains("'kek-2026'"), back.detail());
  }

  /**
   * The rotation done by hand ({@code EncryptedRecording.rewrap}, the object replaced behind the
   * library): DAMAGED, as any change of key id nobody logged. Running the library's rotation then
   * finds the header already under the new key and logs it, and the recording sweeps OK again.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aRotationDoneByHandIsDamagedUntilLogged(AeadSuite suite) throws IOException {
    ingest(suite);
    byte[] rotated = rewrappedByHand(kek, next);
    Files.write(content(), rotated);
    for (SweepReport.Item i : List.of(swept(), swept(next))) {
      assertEquals(SweepReport.Status.DAMAGED, i.status(), i.toString());
      assertTrue(i.detail().contains("re-wrapped without a ledger entry"), i.detail());
    }
    archive.rewrap(KEY, kek, next, "key-officer", "rotation done by hand, logged");
    assertEquals(-1, Files.mismatch(content(), writeTemp(rotated)), "the object left as it was");
    assertEquals(SweepReport.Status.OK, swept(next).status(), swept(next).toString());
  }

  /** Two rotations: only the latest logged key id is the stored one. */
  @Test
  void theLatestRotationCounts() throws IOException {
    ingest(AeadSuite.AES_256_GCM);
    archive.rewrap(KEY, kek, next, "key-officer", "2027");
    byte[] under2027 = Files.readAllBytes(content());
    AesKeyEncryptionKey third = AesKeyEncryptionKey.generate("kek-2028");
    archive.rewrap(KEY, next, third, "key-officer", "2028");
    assertEquals(SweepReport.Status.OK, swept(third).status(), swept(third).toString());
    Files.write(content(), under2027);
    SweepReport.Item i = swept(next, third);
    assertEquals(SweepReport.Status.DAMAGED, i.status(), i.toString());
  }

  /**
   * A rotation is refused, nothing changed or logged, when the old key given is not the logged one,
   * when the stored ciphertext is another encryption of the recording (rotating it would log the
   * substitute as the stored one), and while the store retains the recording.
   */
  @Test
  void aRotationIsRefusedWithNothingChanged() throws Exception {
    ingest(AeadSuite.SM4_GCM);
    byte[] stored = Files.readAllBytes(content());
    long size = archive.ledger().size();
    AesKeyEncryptionKey other = AesKeyEncryptionKey.generate("kek-1999");
    IllegalArgumentException wrongOld =
        assertThrows(
            IllegalArgumentException.class,
            () -> archive.rewrap(KEY, other, next, "key-officer", "rotation"));
    assertTrue(wrongOld.getMessage().contains("'kek-2026'"), wrongOld.getMessage());
    AesKeyEncryptionKey impostor = AesKeyEncryptionKey.generate("kek-2026"); // same id, other key
    assertThrows(
        DecryptionException.class,
        () -> archive.rewrap(KEY, impostor, next, "key-officer", "rotation"));

    store.setRetention(ObjectKey.of(KEY), Instant.parse("2040-01-01T00:00:00Z"));
    RetentionLockedException retained =
        assertThrows(
            RetentionLockedException.class,
            () -> archive.rewrap(KEY, kek, next, "key-officer", "rotation"));
    // the store's own "is retained until" alone did not say why a rotation needs a delete
    assertTrue(
        retained.getMessage().startsWith("cannot rotate the key: " + KEY + " is retained until"),
        retained.getMessage());
    assertTrue(retained.getMessage().contains("2040-01-01T00:00:00Z"), retained.getMessage());
    assertTrue(retained.getMessage().endsWith("nothing changed or logged"), retained.getMessage());
    assertEquals(-1, Files.mismatch(content(), writeTemp(stored)));
    assertEquals(size, archive.ledger().size(), "nothing logged");
    assertEquals(SweepReport.Status.OK, swept(kek).status(), swept(kek).toString());

    // another encryption of the recording, with the key, in the stored one's place
    Seal seal = archive.seal(KEY);
    java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
    try (FileChannel in = FileChannel.open(plaintext);
        EncryptingChannel enc =
            EncryptingChannel.create(
                Channels.newChannel(again),
                Sealer.builder().suite(seal.suite()).segmentSize(seal.segmentSize()).build(),
                AeadSuite.SM4_GCM,
                1 << 20,
                kek)) {
      in.transferTo(0, in.size(), enc);
      enc.finish();
    }
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(KEY));
    try (org.evidencekit.storage.WritableObject w = store.create(ObjectKey.of(KEY))) {
      w.write(java.nio.ByteBuffer.wrap(again.toByteArray()));
      w.commit();
    }
    DecryptionException substitute =
        assertThrows(
            DecryptionException.class,
            () -> archive.rewrap(KEY, kek, next, "key-officer", "rotation"));
    assertTrue(
        substitute.getMessage().contains("not the one stored at ingest"), substitute.getMessage());
    assertEquals(size, archive.ledger().size(), "nothing logged");
    assertEquals(-1, Files.mismatch(content(), writeTemp(again.toByteArray())));
  }

  /**
   * The store fails to take the re-wrapped ciphertext after the stored one was deleted (a full
   * disk, the process killed between the two): the checked copy is in the store, not in a temporary
   * file, the sweep says where, and the rotation run again restores and logs it (R-05, R-14: at no
   * moment is the store without a ciphertext of the recording).
   */
  @Test
  void aRotationStoppedAfterTheDeleteIsFinishedByRunningItAgain() throws IOException {
    ingest(AeadSuite.AES_256_GCM);
    String prefix = headerPrefix();
    long size = archive.ledger().size();
    EvidenceArchive failing =
        EvidenceArchive.open(
            new UnlockedLedgerRecordsTest.FailingCommits(store, 1, KEY::equals),
            EvidenceLedgerTest.CLOCK);
    IOException stopped =
        assertThrows(
            IOException.class, () -> failing.rewrap(KEY, kek, next, "key-officer", "rotation"));
    assertTrue(stopped.getMessage().contains("ledger/rewrap/"), stopped.getMessage());
    assertTrue(stopped.getMessage().contains("run the rotation again"), stopped.getMessage());
    assertTrue(!store.exists(ObjectKey.of(KEY)), "the stored ciphertext was deleted");
    List<ObjectKey> kept = copies();
    assertEquals(1, kept.size(), kept.toString());
    assertEquals(size, archive.ledger().size(), "nothing logged");
    SweepReport.Item missing = swept(next);
    assertEquals(SweepReport.Status.MISSING, missing.status(), missing.toString());
    assertTrue(missing.detail().contains(kept.get(0).value()), missing.detail());

    long index = archive.rewrap(KEY, kek, next, "key-officer", "rotation");
    assertEquals(size, index, "the rotation logged once, now");
    assertEquals("kek-2027", archive.ledger().entry(index).details().get("kek"));
    assertEquals(prefix, headerPrefix());
    assertEquals(SweepReport.Status.OK, swept(next).status(), swept(next).toString());
    assertEquals(List.of(), copies(), "the kept copy is removed once stored in place");
  }

  /**
   * The copy a stopped rotation keeps under {@code ledger/rewrap/} is the recording's only
   * ciphertext until the rotation is run again: ledger verify named it an unexpected object in the
   * ledger (as if planted), so the operator who followed the sweep's advice first saw the ledger
   * judged not intact. A kept copy is the library's own object; the sweep names it.
   */
  @Test
  void aCopyKeptByAStoppedRotationIsNotAnUnexpectedObjectInTheLedger() throws IOException {
    ingest(AeadSuite.AES_256_GCM);
    EvidenceArchive failing =
        EvidenceArchive.open(
            new UnlockedLedgerRecordsTest.FailingCommits(store, 1, KEY::equals),
            EvidenceLedgerTest.CLOCK);
    assertThrows(IOException.class, () -> failing.rewrap(KEY, kek, next, "key-officer", "x"));
    assertEquals(1, copies().size());
    LedgerReport r =
        EvidenceLedger.open(store, EvidenceLedgerTest.CLOCK).verify(TrustAnchors.none());
    assertTrue(
        r.findings().stream().noneMatch(f -> f.code().equals(LedgerFindingCode.UNEXPECTED_OBJECT)),
        r.findings().toString());
    assertTrue(r.intact(), r.findings().toString());

    // an object of another name there is still not the library's
    ObjectKey other = ObjectKey.of(KeyRotation.COPIES + "notes.txt");
    try (org.evidencekit.storage.WritableObject w = store.create(other)) {
      w.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
      w.commit();
    }
    r = EvidenceLedger.open(store, EvidenceLedgerTest.CLOCK).verify(TrustAnchors.none());
    assertTrue(
        r.findings().stream()
            .anyMatch(
                f ->
                    f.code().equals(LedgerFindingCode.UNEXPECTED_OBJECT)
                        && f.message().contains(other.value())),
        r.findings().toString());
  }

  /**
   * A kept copy that does not check out (planted under the rotation's prefix: other bytes, or a
   * copy under another key) is never stored in the recording's place.
   */
  @Test
  void aPlantedCopyIsNotRestored() throws IOException {
    ingest(AeadSuite.AES_256_GCM);
    byte[] original = Files.readAllBytes(content());
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(KEY));
    byte[] planted = original.clone();
    planted[planted.length - 1] ^= 1;
    ObjectKey copy = ObjectKey.of(KeyRotation.copies(KEY) + "1-planted");
    try (org.evidencekit.storage.WritableObject w = store.create(copy)) {
      w.write(java.nio.ByteBuffer.wrap(planted));
      w.commit();
    }
    long size = archive.ledger().size();
    assertThrows(
        org.evidencekit.storage.NoSuchObjectException.class,
        () -> archive.rewrap(KEY, kek, next, "key-officer", "rotation"));
    assertTrue(!store.exists(ObjectKey.of(KEY)), "nothing stored in the recording's place");
    assertEquals(size, archive.ledger().size(), "nothing logged");
  }

  /** A recording the store retains is refused before any copy of it is made. */
  @Test
  void aRetainedRecordingLeavesNoCopy() throws IOException {
    ingest(AeadSuite.SM4_GCM);
    store.setRetention(ObjectKey.of(KEY), Instant.parse("2040-01-01T00:00:00Z"));
    assertThrows(
        RetentionLockedException.class,
        () -> archive.rewrap(KEY, kek, next, "key-officer", "rotation"));
    assertEquals(List.of(), copies());
  }

  private List<ObjectKey> copies() throws IOException {
    try (java.util.stream.Stream<ObjectKey> s = store.keys(KeyRotation.copies(KEY))) {
      return s.collect(java.util.stream.Collectors.toList());
    }
  }

  /** A free-form custody append cannot log a rotation: any key id would then pass. */
  @Test
  void aRewrappedEntryIsGoverned() {
    assertTrue(EntryType.isGoverned(EntryType.REWRAPPED));
  }

  private Path writeTemp(byte[] b) throws IOException {
    Path p = Files.createTempFile(dir, "expected", ".bin");
    Files.write(p, b, StandardOpenOption.TRUNCATE_EXISTING);
    return p;
  }

  /** The fixed header (19 bytes), the key id with its length byte, the wrapped key with its u16. */
  private static int headerLength(byte[] ct) {
    int keyId = ct[19] & 0xff;
    int wrapped = ((ct[20 + keyId] & 0xff) << 8) | (ct[21 + keyId] & 0xff);
    return 19 + 1 + keyId + 2 + wrapped;
  }
}
