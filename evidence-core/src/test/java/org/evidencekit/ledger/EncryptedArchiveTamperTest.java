package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.DecryptionException;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.store.StoreFiles;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Someone who can write the store's files but holds no key-encryption key (or an insider who holds
 * it) against recordings stored encrypted at rest: the sweep must say DAMAGED, with or without the
 * key, never OK and never merely NOT_CHECKED.
 */
class EncryptedArchiveTamperTest {
  private static final String KEY = "SECURE/rec.mp4";

  /** The archive's ciphertext segment: the recording below spans three, the last one partial. */
  private static final int SEGMENT = 1 << 20;

  @TempDir Path dir;
  FileSystemEvidenceStore store;
  EvidenceArchive archive;
  final AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("kek-2026");
  Path plaintext;

  @BeforeEach
  void setUp() throws IOException {
    store = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), EvidenceLedgerTest.CLOCK);
    archive = EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK);
    plaintext = dir.resolve("rec.mp4");
    byte[] content = new byte[2 * SEGMENT + 12_345];
    new Random(15).nextBytes(content);
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

  private SweepReport.Item swept(boolean withKey) throws IOException {
    SweepReport r = archive.sweep(null, withKey ? List.of(kek) : List.of());
    return r.items().stream().filter(i -> i.key().equals(KEY)).findFirst().orElseThrow();
  }

  private void assertDamagedEitherWay(String why) throws IOException {
    for (boolean withKey : new boolean[] {false, true}) {
      SweepReport.Item item = swept(withKey);
      assertEquals(SweepReport.Status.DAMAGED, item.status(), (withKey ? "key: " : "") + item);
      assertTrue(item.detail().contains(why), item.detail());
    }
  }

  /** The last segment dropped exactly at its boundary: without the key it read as unchecked. */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aCiphertextCutAtASegmentBoundaryIsDamagedWithoutTheKey(AeadSuite suite) throws IOException {
    ingest(suite);
    assertEquals(SweepReport.Status.NOT_CHECKED, swept(false).status());
    Path c = content();
    long last = 12_345 + 16; // the partial last segment and its tag
    try (FileChannel ch = FileChannel.open(c, StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(c) - last);
    }
    assertDamagedEitherWay("truncated");
  }

  /** Bytes appended after the last segment. */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void anExtendedCiphertextIsDamagedWithoutTheKey(AeadSuite suite) throws IOException {
    ingest(suite);
    Files.write(content(), new byte[SEGMENT + 16], StandardOpenOption.APPEND);
    assertDamagedEitherWay("extended");
  }

  /**
   * An insider with the key decrypts the recording and stores its plaintext in place: every byte
   * matches the seal, but the recording the ledger logged as encrypted at rest now lies in the
   * clear.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void anEncryptedRecordingReplacedByItsPlaintextIsDamaged(AeadSuite suite) throws IOException {
    ingest(suite);
    Files.copy(plaintext, content(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertDamagedEitherWay("stored unencrypted");
  }

  /**
   * The key id is outside the authenticated header: renamed, the recording read as "no key for it"
   * even to a sweep given the key it was stored under.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aRenamedKeyIdIsDamagedNotUnchecked(AeadSuite suite) throws IOException {
    ingest(suite);
    try (FileChannel ch = FileChannel.open(content(), StandardOpenOption.WRITE)) {
      // fixed header (19 bytes), key id length (1), then "kek-2026" becomes "kek-2027"
      ch.write(ByteBuffer.wrap("7".getBytes(StandardCharsets.US_ASCII)), 19 + 1 + 7);
    }
    assertDamagedEitherWay("'kek-2027'");
  }

  /** The suite field flipped to the other suite: without the key it read as unchecked. */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aChangedSuiteFieldIsDamagedWithoutTheKey(AeadSuite suite) throws IOException {
    ingest(suite);
    AeadSuite other = suite == AeadSuite.SM4_GCM ? AeadSuite.AES_256_GCM : AeadSuite.SM4_GCM;
    try (FileChannel ch = FileChannel.open(content(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) (other == AeadSuite.AES_256_GCM ? 1 : 2)}), 7);
    }
    SweepReport.Item item = swept(false);
    assertEquals(SweepReport.Status.DAMAGED, item.status(), item.toString());
    assertTrue(item.detail().contains("suite " + other.id()), item.detail());
    assertEquals(SweepReport.Status.DAMAGED, swept(true).status());
  }

  /** Another encryption of the recording's plaintext under the archive's key, bound to its seal. */
  private byte[] encryptAgain(AeadSuite suite, Seal seal) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (FileChannel in = FileChannel.open(plaintext);
        EncryptingChannel enc =
            EncryptingChannel.create(
                Channels.newChannel(out),
                Sealer.builder().suite(seal.suite()).segmentSize(seal.segmentSize()).build(),
                suite,
                SEGMENT,
                kek)) {
      in.transferTo(0, in.size(), enc);
      Seal made = enc.finish();
      assertEquals(seal.roots(), made.roots(), "the same plaintext, so bound to the same seal");
    }
    return out.toByteArray();
  }

  /**
   * A copy of the recording encrypted before ingest (say, with {@code evidence encrypt} at the
   * station), put in the place of the ciphertext stored at ingest: it decrypts and verifies against
   * the seal, so only what the ledger logged of the stored ciphertext tells them apart (R-05, R-19,
   *
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void anOlderEncryptionOfTheRecordingPutInPlaceIsDamaged(AeadSuite suite) throws IOException {
    Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(plaintext);
    byte[] older = encryptAgain(suite, seal);
    archive.ingestEncrypted(KEY, plaintext, seal, suite, kek, "intake");
    Files.write(content(), older);
    assertDamagedEitherWay("not the one stored at ingest");
  }

  /**
   * An insider with the key decrypts the stored recording and encrypts it again under a fresh data
   * key (a new nonce prefix too), as the library does for any new encryption.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aReEncryptionUnderAFreshDataKeyIsDamaged(AeadSuite suite) throws IOException {
    ingest(suite);
    Path decrypted = dir.resolve("decrypted.mp4");
    try (SeekableByteChannel ct = Files.newByteChannel(content());
        FileChannel out =
            FileChannel.open(decrypted, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      EncryptedRecording.open(ct, archive.seal(KEY), List.of(kek)).decryptTo(out);
    }
    assertEquals(-1L, Files.mismatch(plaintext, decrypted));
    Files.write(content(), encryptAgain(suite, archive.seal(KEY)));
    assertDamagedEitherWay("not the one stored at ingest");
  }

  /**
   * Key rotation with the library's {@code rewrap} under a new key-encryption key of the same id
   * (the key id names the key slot, say an HSM alias, whose key is replaced): the data key, the
   * nonce prefix and every segment stay as they were, so the recording is as stored at ingest.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aRewrappedCiphertextUnderTheSameKeyIdStaysUnharmed(AeadSuite suite) throws IOException {
    ingest(suite);
    AesKeyEncryptionKey next = AesKeyEncryptionKey.generate(kek.keyId());
    Path rotated = dir.resolve("rotated");
    try (SeekableByteChannel in = Files.newByteChannel(content());
        FileChannel out =
            FileChannel.open(rotated, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      EncryptedRecording.rewrap(in, out, kek, next);
    }
    Files.copy(rotated, content(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertEquals(SweepReport.Status.NOT_CHECKED, swept(false).status(), swept(false).toString());
    SweepReport.Item item =
        archive.sweep(null, List.of(next)).items().stream()
            .filter(i -> i.key().equals(KEY))
            .findFirst()
            .orElseThrow();
    assertEquals(SweepReport.Status.OK, item.status(), item.toString());
  }

  /**
   * A {@code sealed} entry logged before entries named the nonce prefix (suite and key id only):
   * the recording is checked as it was then, and another encryption put in its place is not told
   * apart by the sweep.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void anEntryWithoutANoncePrefixIsCheckedAsBefore(AeadSuite suite) throws IOException {
    Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(plaintext);
    PermanentRecords.put(store, ObjectKey.of(KEY + EvidenceArchive.SEAL_SUFFIX), seal.toJson());
    try (WritableObject w = store.create(ObjectKey.of(KEY))) {
      ChannelIo.writeFully(w, ByteBuffer.wrap(encryptAgain(suite, seal)));
      w.commit();
    }
    archive
        .ledger()
        .append(
            LedgerEntry.builder()
                .type(EntryType.SEALED)
                .time(EvidenceLedgerTest.CLOCK.instant())
                .actor("intake")
                .subject(KEY)
                .payloadDigest(seal.digest().hex())
                .details(Map.of("encryption", suite.id(), "kek", kek.keyId()))
                .build());
    assertEquals(SweepReport.Status.NOT_CHECKED, swept(false).status(), swept(false).toString());
    assertEquals(SweepReport.Status.OK, swept(true).status(), swept(true).toString());
    Files.write(content(), encryptAgain(suite, seal));
    assertEquals(SweepReport.Status.OK, swept(true).status(), "not detectable without the prefix");
    // the checks it had still hold: a renamed key id is damaged
    try (FileChannel ch = FileChannel.open(content(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap("7".getBytes(StandardCharsets.US_ASCII)), 19 + 1 + 7);
    }
    assertDamagedEitherWay("'kek-2027'");
  }

  /**
   * A plain export (no decryption) logs that a copy of the recording went out under the ledger's
   * name: found in the clear though logged as stored encrypted, the recording's plaintext was put
   * in the ciphertext's place (a leak at rest, and an object rewritten after ingest), so the export
   * is refused and nothing logged until that is looked into.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aPlainExportOfARecordingFoundInTheClearIsRefused(AeadSuite suite) throws IOException {
    ingest(suite);
    SigningKeys.LocalSigningKey ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
    archive.export(KEY, "clerk", "appeal", "court-7", ledgerKey); // as stored: goes ahead
    Files.copy(plaintext, content(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    long before = archive.ledger().size();
    LedgerException e =
        assertThrows(
            LedgerException.class,
            () -> archive.export(KEY, "clerk", "appeal", "court-7", ledgerKey));
    assertTrue(e.getMessage().contains("unencrypted"), e.getMessage());
    assertTrue(e.getMessage().contains("refusing to export"), e.getMessage());
    assertEquals(before, archive.ledger().size(), "nothing logged");
  }

  /**
   * Another encryption of the recording in the stored one's place is refused by a plain export and
   * by a decrypting one, which writes none of its plaintext: it would decrypt and verify.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void anExportOfAnotherEncryptionIsRefused(AeadSuite suite) throws IOException {
    ingest(suite);
    Files.write(content(), encryptAgain(suite, archive.seal(KEY)));
    SigningKeys.LocalSigningKey ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
    long before = archive.ledger().size();
    LedgerException plain =
        assertThrows(
            LedgerException.class,
            () -> archive.export(KEY, "clerk", "appeal", "court-7", ledgerKey));
    assertTrue(plain.getMessage().contains("not the one stored at ingest"), plain.getMessage());
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    DecryptionException decrypting =
        assertThrows(
            DecryptionException.class,
            () ->
                archive.exportDecrypted(
                    KEY,
                    "clerk",
                    "appeal",
                    "court-7",
                    ledgerKey,
                    List.of(kek),
                    Channels.newChannel(out)));
    assertTrue(
        decrypting.getMessage().contains("not the one stored at ingest"), decrypting.getMessage());
    assertEquals(0, out.size(), "no plaintext written");
    assertEquals(before, archive.ledger().size(), "nothing logged");
  }
}
