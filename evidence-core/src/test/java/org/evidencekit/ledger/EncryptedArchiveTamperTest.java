package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.store.StoreFiles;
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
}
