package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Spark sweep in local[2] over a filesystem store, against what was done to it. */
class SparkSweepTest {
  @AfterAll
  static void stop() {
    TestSpark.stop();
  }

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void findsWhatWasDoneAndAgreesWithTheSingleProcessSweep() throws Exception {
    Path storeDir = dir.resolve("store");
    Files.createDirectories(storeDir);
    StoreOpener opener = StoreOpener.uri(storeDir.toUri());
    SyntheticArchive archive = new SyntheticArchive(CLOCK);
    try (EvidenceStore store = opener.open()) {
      archive.write(store, 200, 4, 2);
    }
    // a description (meta.json) naming another key, planted behind the store: damage of that
    // recording for both sweeps, not the end of either
    String victim =
        archive.expected.entrySet().stream()
            .filter(e -> e.getValue() == Status.OK)
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow();
    // the filesystem store's layout (docs/storage-spi.md): objects/<k1>.d/.../<kn>.o/meta.json
    String[] parts = victim.split("/");
    Path meta = storeDir.resolve("objects");
    for (int i = 0; i < parts.length; i++) {
      meta = meta.resolve(parts[i] + (i < parts.length - 1 ? ".d" : ".o"));
    }
    meta = meta.resolve("meta.json");
    meta.toFile().setWritable(true);
    String json = Files.readString(meta);
    assertTrue(json.contains("\"key\":\"" + victim + "\""), json);
    Files.writeString(meta, json.replace("\"key\":\"" + victim + "\"", "\"key\":\"elsewhere\""));
    archive.expected.put(victim, Status.DAMAGED);
    Map<String, Status> single;
    try (EvidenceStore store = opener.open()) {
      single = TestSpark.statuses(EvidenceArchive.open(store, CLOCK).sweep(null));
    }
    assertEquals(archive.expected, single, "the single-process sweep");

    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    String output = dir.resolve("results").toUri().toString();
    SweepSummary s =
        SparkSweep.builder()
            .store(opener)
            .clock(CLOCK)
            .actor("auditor-1")
            .checkpointKey(key)
            .output(output)
            .splitBytes(2L * SyntheticArchive.SEGMENT)
            .build()
            .run(TestSpark.session());

    assertEquals(archive.expected, TestSpark.written(output, "json"), "the JSON results");
    assertEquals(archive.expected, TestSpark.written(output, "parquet"), "the Parquet results");
    assertEquals(archive.expectedCounts(), s.counts());
    assertEquals(archive.expected.size(), s.total());
    for (RecordingResult r : s.problems()) {
      assertEquals(archive.expected.get(r.key()), r.status(), r.toString());
    }
    assertFalse(s.clean());
    assertTrue(s.listed());
    // the flipped byte of the third large recording is named by its segment's byte range
    RecordingResult big =
        s.problems().stream().filter(r -> r.key().equals("cam-big/rec-002.bin")).findFirst().get();
    assertTrue(big.detail().contains("segment 3 [196608, 262144)"), big.detail());

    try (EvidenceStore store = opener.open()) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      LedgerEntry summary = ledger.entry(s.ledgerIndex());
      assertEquals(SparkSweep.ENTRY_TYPE, summary.type());
      assertEquals("auditor-1", summary.actor());
      Map<Status, Long> want = archive.expectedCounts();
      assertEquals(Long.toString(want.get(Status.DAMAGED)), summary.details().get("damaged"));
      assertEquals(Long.toString(want.get(Status.MISSING)), summary.details().get("missing"));
      assertEquals(Long.toString(want.get(Status.UNLOGGED)), summary.details().get("unlogged"));
      assertEquals(Long.toString(want.get(Status.UNEXPECTED)), summary.details().get("unexpected"));
      List<String> damagedKeys = List.of(summary.details().get("damaged.keys").split("\n"));
      assertEquals(want.get(Status.DAMAGED), (long) damagedKeys.size());
      damagedKeys.forEach(k -> assertEquals(Status.DAMAGED, archive.expected.get(k), k));
      LogCheckpoint cp = s.checkpoint().orElseThrow();
      assertEquals(s.ledgerIndex() + 1, cp.size(), "the checkpoint covers the summary");
      assertTrue(cp.verify(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()))));
      assertTrue(ledger.verify(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()))).intact());
    }

    // the same output twice would overwrite evidence: refused, and nothing is logged
    long before;
    try (EvidenceStore store = opener.open()) {
      before = EvidenceLedger.open(store, CLOCK).size();
    }
    SparkSweep again =
        SparkSweep.builder().store(opener).clock(CLOCK).actor("auditor-1").output(output).build();
    assertThrows(Exception.class, () -> again.run(TestSpark.session()));
    try (EvidenceStore store = opener.open()) {
      assertEquals(before, EvidenceLedger.open(store, CLOCK).size());
    }
  }

  /**
   * An encrypted recording's last segment cut off, behind the store: without keys the Spark sweep
   * said NOT_CHECKED, as for an intact one; the length it can check says DAMAGED.
   */
  @Test
  void aCutCiphertextIsDamagedWithoutKeysAsInTheSingleProcessSweep() throws Exception {
    Path storeDir = dir.resolve("store3");
    Files.createDirectories(storeDir);
    StoreOpener opener = StoreOpener.uri(storeDir.toUri());
    org.evidencekit.crypt.AesKeyEncryptionKey kek =
        org.evidencekit.crypt.AesKeyEncryptionKey.generate("kek-2026");
    byte[] content = new byte[(1 << 20) + 5_000];
    new java.util.Random(3).nextBytes(content);
    Path rec = dir.resolve("rec.bin");
    Files.write(rec, content);
    org.evidencekit.seal.Seal seal = org.evidencekit.seal.Sealer.create().seal(rec);
    try (EvidenceStore store = opener.open()) {
      EvidenceArchive a = EvidenceArchive.open(store, CLOCK);
      for (String k : List.of("cam-1/cut.bin", "cam-1/whole.bin")) {
        a.ingestEncrypted(k, rec, seal, org.evidencekit.crypt.AeadSuite.SM4_GCM, kek, "intake");
      }
    }
    Path cut = storeDir.resolve("objects/cam-1.d/cut.bin.o/content");
    cut.toFile().setWritable(true);
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(cut, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(cut) - 5_000 - 16); // the last segment and its tag, at the boundary
    }
    Map<String, Status> want =
        Map.of("cam-1/cut.bin", Status.DAMAGED, "cam-1/whole.bin", Status.NOT_CHECKED);
    try (EvidenceStore store = opener.open()) {
      assertEquals(
          want,
          TestSpark.statuses(EvidenceArchive.open(store, CLOCK).sweep(null)),
          "the single-process sweep");
    }
    String output = dir.resolve("results3").toUri().toString();
    SparkSweep.builder()
        .store(opener)
        .clock(CLOCK)
        .actor("auditor-1")
        .output(output)
        .build()
        .run(TestSpark.session());
    assertEquals(want, TestSpark.written(output, "json"));
  }

  /**
   * Another encryption of a recording (one made before ingest, one an insider made after it with
   * the key) put in the place of the ciphertext stored at ingest, and a renamed key id: the Spark
   * sweep said NOT_CHECKED, as for an intact one; it now compares the header with the sealed entry,
   * as the single-process sweep does.
   */
  @Test
  void anotherEncryptionOrARenamedKeyIsDamagedAsInTheSingleProcessSweep() throws Exception {
    Path storeDir = dir.resolve("store4");
    Files.createDirectories(storeDir);
    StoreOpener opener = StoreOpener.uri(storeDir.toUri());
    AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("kek-2026");
    byte[] content = new byte[(1 << 20) + 5_000];
    new java.util.Random(4).nextBytes(content);
    Path rec = dir.resolve("rec4.bin");
    Files.write(rec, content);
    Seal seal = Sealer.create().seal(rec);
    byte[] older = encrypt(content, seal, kek);
    List<String> keys =
        List.of("cam-1/whole.bin", "cam-1/older.bin", "cam-1/again.bin", "cam-1/renamed.bin");
    try (EvidenceStore store = opener.open()) {
      EvidenceArchive a = EvidenceArchive.open(store, CLOCK);
      for (String k : keys) {
        a.ingestEncrypted(k, rec, seal, AeadSuite.AES_256_GCM, kek, "intake");
      }
    }
    Files.write(writable(storeDir, "older.bin"), older);
    Files.write(writable(storeDir, "again.bin"), encrypt(content, seal, kek));
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            writable(storeDir, "renamed.bin"), java.nio.file.StandardOpenOption.WRITE)) {
      // fixed header (19 bytes), key id length (1), then "kek-2026" becomes "kek-2027"
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {'7'}), 19 + 1 + 7);
    }
    Map<String, Status> want =
        Map.of(
            "cam-1/whole.bin", Status.NOT_CHECKED,
            "cam-1/older.bin", Status.DAMAGED,
            "cam-1/again.bin", Status.DAMAGED,
            "cam-1/renamed.bin", Status.DAMAGED);
    try (EvidenceStore store = opener.open()) {
      assertEquals(
          want,
          TestSpark.statuses(EvidenceArchive.open(store, CLOCK).sweep(null)),
          "the single-process sweep");
    }
    String output = dir.resolve("results4").toUri().toString();
    SweepSummary s =
        SparkSweep.builder()
            .store(opener)
            .clock(CLOCK)
            .actor("auditor-1")
            .output(output)
            .build()
            .run(TestSpark.session());
    assertEquals(want, TestSpark.written(output, "json"));
    for (RecordingResult r : s.problems()) {
      if (r.status() != Status.DAMAGED) {
        assertEquals("cam-1/whole.bin", r.key());
      } else if (!r.key().endsWith("renamed.bin")) {
        assertTrue(r.detail().contains("not the one stored at ingest"), r.toString());
      } else {
        assertTrue(r.detail().contains("'kek-2027'"), r.toString());
      }
    }
  }

  /**
   * As an insider and an honest operator act on recordings stored encrypted: the plaintext put in a
   * ciphertext's place (the Spark sweep said OK: it reads no entry of a recording that looks
   * unencrypted), a key rotation logged with {@code rewrap} (it said DAMAGED), the same rotation
   * done by hand and not logged, and a ledger batch that no longer reads, holding one recording's
   * sealed entry (the whole job failed). Now: as the single-process sweep, and the damaged entry is
   * that recording's finding while the others are checked.
   */
  @Test
  void aPlaintextInPlaceARotationAndAnUnreadableEntry() throws Exception {
    Path storeDir = dir.resolve("store5");
    Files.createDirectories(storeDir);
    StoreOpener opener = StoreOpener.uri(storeDir.toUri());
    AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("kek-2026");
    AesKeyEncryptionKey next = AesKeyEncryptionKey.generate("kek-2027");
    byte[] content = new byte[70_000];
    new java.util.Random(5).nextBytes(content);
    Path rec = dir.resolve("rec5.bin");
    Files.write(rec, content);
    Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(rec);
    SigningKeys.LocalSigningKey ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
    long brokenAt;
    try (EvidenceStore store = opener.open()) {
      EvidenceArchive a = EvidenceArchive.open(store, CLOCK);
      for (String k : List.of("whole", "plain", "rotated", "byhand")) {
        a.ingestEncrypted("cam-1/" + k + ".bin", rec, seal, AeadSuite.AES_256_GCM, kek, "intake");
      }
      brokenAt =
          a.ingestEncrypted("cam-1/broken.bin", rec, seal, AeadSuite.AES_256_GCM, kek, "intake");
      a.rewrap("cam-1/rotated.bin", kek, next, "key-officer", "yearly rotation");
      // custody entries enough that the checkpoint's tiles cover the sealed entries: the driver
      // then reads their batches only when it asks for an entry
      List<LedgerEntry> viewed = new java.util.ArrayList<>();
      for (int i = 0; i < 300; i++) {
        viewed.add(
            LedgerEntry.builder()
                .type(org.evidencekit.ledger.EntryType.VIEWED)
                .time(CLOCK.instant())
                .actor("officer-1")
                .subject("cam-1/whole.bin")
                .details(Map.of("reason", "review " + i))
                .build());
      }
      a.ledger().appendAll(viewed);
      org.evidencekit.ingest.CatalogIndex.write(store, a.ledger(), 1, ledgerKey).orElseThrow();
      a.ledger().checkpoint(ledgerKey);
    }
    Files.copy(
        rec, writable(storeDir, "plain.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    java.io.ByteArrayOutputStream byHand = new java.io.ByteArrayOutputStream();
    try (java.nio.channels.SeekableByteChannel in =
        Files.newByteChannel(writable(storeDir, "byhand.bin"))) {
      org.evidencekit.crypt.EncryptedRecording.rewrap(
          in, java.nio.channels.Channels.newChannel(byHand), kek, next);
    }
    Files.write(writable(storeDir, "byhand.bin"), byHand.toByteArray());
    Map<String, Status> want =
        new java.util.TreeMap<>(
            Map.of(
                "cam-1/whole.bin", Status.NOT_CHECKED,
                "cam-1/plain.bin", Status.DAMAGED,
                "cam-1/rotated.bin", Status.NOT_CHECKED,
                "cam-1/byhand.bin", Status.DAMAGED,
                "cam-1/broken.bin", Status.NOT_CHECKED));
    try (EvidenceStore store = opener.open()) {
      assertEquals(
          want,
          TestSpark.statuses(EvidenceArchive.open(store, CLOCK).sweep(null)),
          "the single-process sweep");
    }
    // the batch holding broken.bin's sealed entry, garbled: it no longer reads as entries
    Path batch =
        storeDir.resolve(
            String.format(
                java.util.Locale.ROOT,
                "objects/ledger.d/batches.d/%020d.jsonl.o/content",
                brokenAt));
    assertTrue(batch.toFile().setWritable(true), batch.toString());
    byte[] b = Files.readAllBytes(batch);
    java.util.Arrays.fill(b, 1, b.length - 1, (byte) '#');
    Files.write(batch, b);
    want.put("cam-1/broken.bin", Status.DAMAGED);

    String output = dir.resolve("results5").toUri().toString();
    SweepSummary s =
        SparkSweep.builder()
            .store(opener)
            .clock(CLOCK)
            .actor("auditor-1")
            .ledgerKeys(TrustAnchors.ofPublicKeys(List.of(ledgerKey.publicKeyDer())))
            .listStore(false)
            .output(output)
            .build()
            .run(TestSpark.session());
    assertEquals(want, TestSpark.written(output, "json"));
    Map<String, String> detail = new java.util.TreeMap<>();
    s.problems().forEach(r -> detail.put(r.key(), r.detail()));
    assertTrue(detail.get("cam-1/plain.bin").contains("stored unencrypted"), detail.toString());
    assertTrue(
        detail.get("cam-1/byhand.bin").contains("re-wrapped without a ledger entry"),
        detail.toString());
    assertTrue(
        detail.get("cam-1/broken.bin").contains("entry " + brokenAt + " cannot be read"),
        detail.toString());
  }

  private static byte[] encrypt(byte[] content, Seal seal, AesKeyEncryptionKey kek)
      throws java.io.IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (EncryptingChannel enc =
        EncryptingChannel.create(
            java.nio.channels.Channels.newChannel(out),
            Sealer.builder().suite(seal.suite()).segmentSize(seal.segmentSize()).build(),
            AeadSuite.AES_256_GCM,
            1 << 20,
            kek)) {
      enc.write(java.nio.ByteBuffer.wrap(content));
      assertEquals(seal.roots(), enc.finish().roots());
    }
    return out.toByteArray();
  }

  private static Path writable(Path storeDir, String name) {
    Path c = storeDir.resolve("objects/cam-1.d/" + name + ".o/content");
    assertTrue(c.toFile().setWritable(true));
    return c;
  }

  @Test
  void withoutTheListingOnlyTheLedgerIsChecked() throws Exception {
    Path storeDir = dir.resolve("store2");
    Files.createDirectories(storeDir);
    StoreOpener opener = StoreOpener.uri(storeDir.toUri());
    SyntheticArchive archive = new SyntheticArchive(CLOCK);
    try (EvidenceStore store = opener.open()) {
      archive.write(store, 120, 0, 2);
    }
    SweepSummary s =
        SparkSweep.builder()
            .store(opener)
            .clock(CLOCK)
            .actor("auditor-1")
            .listStore(false)
            .build()
            .run(TestSpark.session());
    Map<Status, Long> want = archive.expectedCounts();
    assertFalse(s.listed());
    assertEquals(0, s.count(Status.UNLOGGED));
    assertEquals(0, s.count(Status.UNEXPECTED));
    assertEquals(want.get(Status.DAMAGED), s.count(Status.DAMAGED));
    assertEquals(want.get(Status.MISSING), s.count(Status.MISSING));
    assertEquals(want.get(Status.OK), s.count(Status.OK));
  }

  @Test
  void builderRefusesRepeatsAndNamesWhatIsMissing() {
    SparkSweep.Builder b = SparkSweep.builder().actor("a");
    assertThrows(IllegalStateException.class, () -> b.actor("b"));
    IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
    assertEquals("missing store, clock", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SparkSweep.builder().splitBytes(0));
  }
}
