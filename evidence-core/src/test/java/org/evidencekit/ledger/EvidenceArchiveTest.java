package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.store.StoreFiles;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep, spot checks and exports with offline proof bundles. */
class EvidenceArchiveTest {
  @TempDir Path dir;
  FileSystemEvidenceStore store;
  EvidenceArchive archive;
  final SigningKeys.LocalSigningKey ledgerKey = SigningKeys.generate(SignatureSuite.SM2_SM3);
  TrustAnchors ledgerTrust;
  final List<Path> files = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    ledgerTrust = TrustAnchors.ofPublicKeys(List.of(ledgerKey.publicKeyDer()));
    store = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), EvidenceLedgerTest.CLOCK);
    archive = EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK);
    for (int i = 0; i < 8; i++) {
      String device = i % 2 == 0 ? "CAM-A" : "CAM-B";
      Path f = dir.resolve("rec" + i + ".mp4");
      byte[] content = new byte[200_000 + i * 1000];
      new java.util.Random(i).nextBytes(content);
      Files.write(f, content);
      Seal seal =
          Sealer.builder()
              .segmentSize(Sealer.MIN_SEGMENT_SIZE)
              .build()
              .seal(f)
              .withMetadata(
                  RecordingMetadata.builder()
                      .deviceId(device)
                      .officerId("officer-" + (i % 3))
                      .recordingStart(Instant.parse("2026-03-01T01:00:00Z").plusSeconds(i * 600L))
                      .build());
      archive.ingest(key(i), f, seal, "intake-1");
      files.add(f);
    }
  }

  /**
   * Asking for the seal of a key nothing was ingested under names the recording asked for and the
   * seal object looked for; given a seal's own key, it says to give the recording's. It was
   * a bare {@code NoSuchObjectException: KEY.seal.json}, or {@code KEY.seal.json.seal.json}.
   */
  @Test
  void aMissingSealNamesTheRecordingAskedFor() throws IOException {
    NoSuchObjectException none =
        assertThrows(NoSuchObjectException.class, () -> archive.seal("CAM-A/never.mp4"));
    assertEquals(
        "no seal stored for recording CAM-A/never.mp4 (no object CAM-A/never.mp4.seal.json)",
        none.getMessage());
    String sealKey = key(0) + EvidenceArchive.SEAL_SUFFIX;
    NoSuchObjectException ofSeal =
        assertThrows(NoSuchObjectException.class, () -> archive.seal(sealKey));
    assertTrue(
        ofSeal.getMessage().endsWith(sealKey + " is a seal's key; give its recording's key"),
        ofSeal.getMessage());
    assertEquals(files.get(0).toFile().length(), archive.seal(key(0)).length(), "found as before");
  }

  /**
   * No recording goes where the archive keeps its own records or a seal: it would never be swept.
   */
  @Test
  void aRecordingCannotTakeARecordsKey() throws IOException {
    Path f = files.get(0);
    Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(f);
    long before = archive.ledger().size();
    for (String bad :
        List.of(
            "ledger/x.mp4",
            "catalog/00000000000000000001.tsv",
            "tombstones/" + "c".repeat(32) + "/00000000000000000001-disposed.json",
            "disposition/registers/" + "d".repeat(64) + "/00000000000000000001.json",
            "CAM-A/x.mp4.seal.json")) {
      assertTrue(EvidenceArchive.isBookkeeping(bad) || bad.endsWith(EvidenceArchive.SEAL_SUFFIX));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> archive.ingest(bad, f, seal, "i"));
      assertTrue(e.getMessage().contains(bad), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> archive.ingestOnce(bad, f, seal, "i"));
      assertFalse(store.exists(ObjectKey.of(bad)), bad);
    }
    assertEquals(before, archive.ledger().size(), "nothing logged");
    // a name merely like a record's is a recording's
    assertFalse(EvidenceArchive.isBookkeeping("tombstones/evening-shift.mp4"));
    assertFalse(EvidenceArchive.isBookkeeping("disposition/plans/plan.pdf"));
  }

  static String key(int i) {
    return (i % 2 == 0 ? "CAM-A" : "CAM-B") + "/2026-03-01/rec" + i + ".mp4";
  }

  @Test
  void aCleanArchiveSweepsClean() throws IOException {
    SweepReport r = archive.sweep(null);
    assertTrue(r.clean(), r.items().toString());
    assertEquals(8, r.items(SweepReport.Status.OK).size());
    assertEquals(8, archive.ledger().size(), "one sealed entry per recording");
  }

  @Test
  void ingestRefusesContentThatDoesNotMatchItsSeal() throws IOException {
    Seal other = archive.seal(key(0));
    IOException e =
        assertThrows(
            IOException.class, () -> archive.ingest("x/y.mp4", files.get(1), other, "intake"));
    assertTrue(e.getMessage().contains("does not match its seal"), e.getMessage());
    assertFalse(store.exists(ObjectKey.of("x/y.mp4")), "nothing kept");
  }

  @Test
  void aOnePassIngestSealsWhileCopyingAndCommitsOnlyTheFinishedSeal() throws IOException {
    Path f = dir.resolve("one-pass.mp4");
    byte[] content = new byte[3 * Sealer.MIN_SEGMENT_SIZE + 17];
    new java.util.Random(42).nextBytes(content);
    Files.write(f, content);
    Sealer sealer = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build();
    RecordingMetadata md = RecordingMetadata.builder().deviceId("CAM-C").build();
    EvidenceArchive.IngestOutcome o =
        archive.ingestOnce("CAM-C/a.mp4", f, sealer, raw -> raw.withMetadata(md), "intake");
    assertEquals(EvidenceArchive.IngestStatus.INGESTED, o.status());
    assertEquals(sealer.seal(f).root(HashAlgorithm.SHA256), o.seal().root(HashAlgorithm.SHA256));
    assertEquals(md, archive.seal("CAM-C/a.mp4").metadata().orElseThrow(), "the finished seal");
    assertTrue(archive.sweep(null).clean());
    // again: recognised through the resumable path, nothing stored twice
    EvidenceArchive.IngestOutcome again =
        archive.ingestOnce("CAM-C/a.mp4", f, sealer, raw -> raw.withMetadata(md), "intake");
    assertEquals(EvidenceArchive.IngestStatus.ALREADY_INGESTED, again.status());
    assertEquals(9, archive.ledger().size());
  }

  @Test
  void aFinisherThatSealsOtherContentLeavesNothing() throws IOException {
    Seal foreign = archive.seal(key(0));
    Sealer sealer = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build();
    assertThrows(
        IllegalArgumentException.class,
        () -> archive.ingestOnce("x/z.mp4", files.get(1), sealer, raw -> foreign, "intake"));
    assertFalse(store.exists(ObjectKey.of("x/z.mp4")), "content never committed");
    assertFalse(store.exists(ObjectKey.of("x/z.mp4" + EvidenceArchive.SEAL_SUFFIX)));
    assertEquals(8, archive.ledger().size());
  }

  @Test
  void theSweepFindsDamagedMissingReplacedUnloggedAndUnexpectedObjects() throws IOException {
    // Damaged: an insider flips a byte on disk.
    Path c = StoreFiles.content(store, ObjectKey.of(key(1)));
    c.toFile().setWritable(true);
    try (FileChannel ch = FileChannel.open(c, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {42}), 70_000);
    }
    // Missing: deleted (the content has no retention here; its seal is kept for good, so it goes
    // behind the store's back).
    store.delete(ObjectKey.of(key(2)));
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(2) + EvidenceArchive.SEAL_SUFFIX));
    // Replaced: content and seal swapped for another recording's, behind the ledger's back.
    store.delete(ObjectKey.of(key(3)));
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(3) + EvidenceArchive.SEAL_SUFFIX));
    put(key(3), Files.readAllBytes(files.get(5)));
    put(key(3) + EvidenceArchive.SEAL_SUFFIX, archive.seal(key(5)).toJson());
    // Unlogged: stored with a valid seal, never ingested.
    put("CAM-C/x.mp4", Files.readAllBytes(files.get(6)));
    put("CAM-C/x.mp4" + EvidenceArchive.SEAL_SUFFIX, archive.seal(key(6)).toJson());
    // Unexpected: no seal at all.
    put("notes.txt", "hello".getBytes());

    SweepReport r = archive.sweep(null);
    Map<String, SweepReport.Status> byKey =
        r.items().stream()
            .collect(Collectors.toMap(SweepReport.Item::key, SweepReport.Item::status));
    assertEquals(SweepReport.Status.DAMAGED, byKey.get(key(1)));
    assertEquals(SweepReport.Status.MISSING, byKey.get(key(2)));
    assertEquals(SweepReport.Status.DAMAGED, byKey.get(key(3)));
    assertEquals(SweepReport.Status.UNLOGGED, byKey.get("CAM-C/x.mp4"));
    assertEquals(SweepReport.Status.UNEXPECTED, byKey.get("notes.txt"));
    assertEquals(SweepReport.Status.OK, byKey.get(key(0)));
    assertFalse(r.clean());
    assertTrue(
        r.items().stream()
            .anyMatch(i -> i.key().equals(key(3)) && i.detail().contains("replaced")));
  }

  private void put(String key, byte[] bytes) throws IOException {
    try (WritableObject w = store.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(bytes));
      w.commit();
    }
  }

  @Test
  void spotChecksAreReDerivableFromTheCosignedCheckpointAndLogged() throws IOException {
    Witness legal =
        Witness.create("legal.bureau.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    WitnessPolicy witnesses = WitnessPolicy.of(1, List.of(legal.verifierKey()));
    LogCheckpoint signed = archive.ledger().checkpoint(ledgerKey);
    // Art. 20: the sample is not drawn from a checkpoint the archive alone signed
    assertThrows(
        LedgerException.class,
        () -> archive.spotCheck(signed, witnesses, 2, "all", s -> true, "audit-1"));
    LogCheckpoint cp =
        legal.cosign(
            signed,
            ledgerTrust,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            Instant.parse("2026-03-02T00:00:00Z"));
    SpotCheckResult r =
        archive.spotCheck(
            cp,
            witnesses,
            2,
            "device=CAM-A",
            s -> EvidenceArchive.device(s).orElse("").equals("CAM-A"),
            "audit-1");
    assertEquals(4, r.population());
    assertEquals(2, r.results().size());
    assertTrue(r.allOk());
    for (String k : r.results().keySet()) {
      assertTrue(k.startsWith("CAM-A/"), k);
    }
    // An auditor re-derives the same selection from the published, cosigned checkpoint.
    List<String> population = List.of(key(6), key(0), key(4), key(2));
    LogCheckpoint published = LogCheckpoint.parse(cp.encoded());
    assertEquals(
        new ArrayList<>(r.results().keySet()),
        EvidenceArchive.select(published, witnesses, "device=CAM-A", population, 2));
    // Another cosignature (another time) of the same checkpoint gives another order: the
    // witness's signature, which the archive cannot make, is part of the seed.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add("cam/" + i);
    }
    LogCheckpoint again =
        legal.cosign(
            signed,
            ledgerTrust,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            Instant.parse("2026-03-02T00:00:01Z"));
    assertNotEquals(
        EvidenceArchive.select(cp, witnesses, "all", many, 10),
        EvidenceArchive.select(again, witnesses, "all", many, 10));
    assertNotEquals(
        EvidenceArchive.select(cp, witnesses, "all", many, 10),
        EvidenceArchive.select(cp, witnesses, "officer=7", many, 10),
        "the criteria are part of the seed");
    // The results are in the log.
    List<LedgerEntry> all = archive.ledger().entries();
    long logged = all.stream().filter(e -> e.type().equals(EntryType.SPOT_CHECKED)).count();
    assertEquals(2, logged);
    assertEquals("OK", all.get(8).details().get("result"));
    assertEquals(cp.root().hex(), all.get(8).details().get("checkpointRoot"));
    assertEquals("legal.bureau.example/w1", all.get(8).details().get("witnesses"));
    // A selection that matches nothing checked nothing: not "all OK", and nothing logged.
    SpotCheckResult none =
        archive.spotCheck(cp, witnesses, 2, "device=CAM-Z", s -> false, "audit-1");
    assertEquals(0, none.population());
    assertTrue(none.results().isEmpty());
    assertFalse(none.allOk(), "a spot check of nothing vouches for nothing");
    assertEquals(all.size(), archive.ledger().entries().size());
  }

  /**
   * Someone holding one station's key replaces a CAM-A recording and its seal object in the store,
   * the new seal signed by that key and naming CAM-B, so that a spot check of CAM-A never draws it
   * . The population used to be filtered on the seal object as stored, which the ledger
   * does not vouch for: the recording left the population and the check of every CAM-A recording
   * said all OK. A seal object that is not the logged one now stays in the population, as a missing
   * one does, and is found DAMAGED when drawn.
   */
  @Test
  void aSealReplacedWithAStolenKeyDoesNotTakeItsRecordingOutOfTheSpotCheck() throws IOException {
    SigningKeys.LocalSigningKey stolen = SigningKeys.generate(SignatureSuite.ED25519);
    Path substitute = dir.resolve("substitute.mp4");
    Files.write(
        substitute, "not what CAM-A recorded".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Seal forged =
        org.evidencekit.trust.SealSigner.sign(
            Sealer.builder()
                .segmentSize(Sealer.MIN_SEGMENT_SIZE)
                .build()
                .seal(substitute)
                .withMetadata(
                    RecordingMetadata.builder()
                        .deviceId("CAM-B")
                        .officerId("officer-0")
                        .recordingStart(Instant.parse("2026-03-01T01:00:00Z"))
                        .build()),
            stolen,
            null);
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(0)));
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(0) + EvidenceArchive.SEAL_SUFFIX));
    put(key(0), Files.readAllBytes(substitute));
    put(key(0) + EvidenceArchive.SEAL_SUFFIX, forged.toJson());

    Witness legal =
        Witness.create("legal.bureau.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    WitnessPolicy witnesses = WitnessPolicy.of(1, List.of(legal.verifierKey()));
    LogCheckpoint cp =
        legal.cosign(
            archive.ledger().checkpoint(ledgerKey),
            ledgerTrust,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            Instant.parse("2026-03-02T00:00:00Z"));
    SpotCheckResult r =
        archive.spotCheck(
            cp, witnesses, 4, SpotCheckCriteria.builder().device("CAM-A").build(), "audit-1");
    assertEquals(4, r.population(), "CAM-A's four recordings, the replaced one too");
    assertEquals(SweepReport.Status.DAMAGED, r.results().get(key(0)).status());
    assertFalse(r.allOk());
  }

  /**
   * Someone holding one station's key removes a recording and its seal from under a filesystem
   * store and logs a substitute under the same key: a second {@code sealed} entry, naming the
   * substitute's seal, appended as any ledger writer appends (the ledger cannot rewrite the first,
   * Every check compared the store with the latest {@code sealed} entry, so the sweep, the
   * spot check and the export took the substitute for the recording. A recording has one {@code
   * sealed} entry until it is disposed of: the first one since is what it is checked against, and
   * the substitute is DAMAGED ("replaced").
   */
  @Test
  void aSecondSealedEntryDoesNotMakeASubstituteTheRecording() throws IOException {
    SigningKeys.LocalSigningKey stolen = SigningKeys.generate(SignatureSuite.ED25519);
    Path substitute = dir.resolve("substitute.mp4");
    Files.write(
        substitute, "not what CAM-A recorded".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Seal forged =
        org.evidencekit.trust.SealSigner.sign(
            Sealer.builder()
                .segmentSize(Sealer.MIN_SEGMENT_SIZE)
                .build()
                .seal(substitute)
                .withMetadata(
                    RecordingMetadata.builder()
                        .deviceId("CAM-A")
                        .officerId("officer-0")
                        .recordingStart(Instant.parse("2026-03-01T01:00:00Z"))
                        .build()),
            stolen,
            null);
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(0)));
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(0) + EvidenceArchive.SEAL_SUFFIX));
    // the archive refuses to log it: the key is sealed, with another seal
    long before = archive.ledger().size();
    assertThrows(
        org.evidencekit.storage.ObjectExistsException.class,
        () -> archive.ingest(key(0), substitute, forged, "intake-1"));
    assertThrows(
        org.evidencekit.storage.ObjectExistsException.class,
        () -> archive.ingestOnce(key(0), substitute, forged, "intake-1"));
    assertEquals(before, archive.ledger().size());
    assertFalse(store.exists(ObjectKey.of(key(0))), "nothing stored");
    // written and appended by hand instead, as anyone who can write the store can
    put(key(0), Files.readAllBytes(substitute));
    put(key(0) + EvidenceArchive.SEAL_SUFFIX, forged.toJson());
    archive
        .ledger()
        .append(
            LedgerEntry.builder()
                .type(EntryType.SEALED)
                .time(EvidenceLedgerTest.CLOCK.instant())
                .actor("intake-1")
                .subject(key(0))
                .payloadDigest(forged.digest().hex())
                .details(Map.of("device", "CAM-A"))
                .build());

    for (EvidenceArchive a :
        List.of(archive, EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK))) {
      SweepReport r = a.sweep(null);
      SweepReport.Item item =
          r.items().stream().filter(i -> i.key().equals(key(0))).findFirst().orElseThrow();
      assertEquals(SweepReport.Status.DAMAGED, item.status(), item.detail());
      assertTrue(item.detail().contains("replaced"), item.detail());
      assertThrows(
          LedgerException.class,
          () -> a.export(key(0), "clerk", "appeal", "court-7", ledgerKey),
          "the substitute is not exported as the recording");
    }
    SweepReport.Item storeSweep =
        EvidenceArchive.sweep(store, null, List.of()).items().stream()
            .filter(i -> i.key().equals(key(0)))
            .findFirst()
            .orElseThrow();
    assertEquals(SweepReport.Status.DAMAGED, storeSweep.status(), storeSweep.detail());
  }

  /**
   * The criteria a spot check draws with are one value: its filter and the text it is seeded with
   * and logs. The same check through the criteria and through text and filter given apart selects
   * the same recordings.
   */
  @Test
  void spotCheckCriteriaGiveTheFilterAndTheSeededTextTogether() throws IOException {
    Witness legal =
        Witness.create("legal.bureau.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    WitnessPolicy witnesses = WitnessPolicy.of(1, List.of(legal.verifierKey()));
    LogCheckpoint cp =
        legal.cosign(
            archive.ledger().checkpoint(ledgerKey),
            ledgerTrust,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            Instant.parse("2026-03-02T00:00:00Z"));
    SpotCheckCriteria camA = SpotCheckCriteria.builder().device("CAM-A").build();
    assertEquals("device=CAM-A;", camA.text());
    List<String> population = List.of(key(6), key(0), key(4), key(2));
    SpotCheckResult r = archive.spotCheck(cp, witnesses, 2, camA, "audit-1");
    assertEquals(4, r.population());
    assertEquals("device=CAM-A;", r.criteria());
    assertEquals(
        new ArrayList<>(r.results().keySet()),
        EvidenceArchive.select(cp, witnesses, "device=CAM-A;", population, 2));
    // every part, in the order the text gives them; ids cannot run into the next part
    SpotCheckCriteria full =
        SpotCheckCriteria.builder()
            .officer("o=1;x")
            .device("CAM%A")
            .startedBefore(Instant.parse("2026-04-01T00:00:00Z"))
            .startedFrom(Instant.parse("2026-03-01T00:00:00Z"))
            .build();
    assertEquals(
        "device=CAM%25A;officer=o%3D1%3Bx;from=2026-03-01T00:00:00Z;to=2026-04-01T00:00:00Z;",
        full.text());
    assertEquals("all", SpotCheckCriteria.all().text());
    assertEquals(SpotCheckCriteria.all(), SpotCheckCriteria.builder().build());
    // the filter: device, officer and the period of starts, a seal with no start outside it
    Seal a = archive.seal(key(0));
    assertTrue(camA.test(a));
    assertFalse(SpotCheckCriteria.builder().device("CAM-B").build().test(a));
    Instant start = EvidenceArchive.recordingStart(a).orElse(null);
    if (start != null) {
      assertTrue(
          SpotCheckCriteria.builder()
              .startedFrom(start)
              .startedBefore(start.plusSeconds(1))
              .build()
              .test(a));
      assertFalse(SpotCheckCriteria.builder().startedBefore(start).build().test(a));
    } else {
      assertFalse(
          SpotCheckCriteria.builder().startedFrom(Instant.EPOCH).build().test(a),
          "a seal without a start is in no period");
    }
    // an empty period, a blank id, a part given twice: refused
    Instant t = Instant.parse("2026-03-01T00:00:00Z");
    assertThrows(
        IllegalArgumentException.class,
        () -> SpotCheckCriteria.builder().startedFrom(t).startedBefore(t).build());
    assertThrows(IllegalArgumentException.class, () -> SpotCheckCriteria.builder().device(" "));
    assertThrows(
        IllegalStateException.class, () -> SpotCheckCriteria.builder().device("a").device("b"));
  }

  @Test
  void encryptedRecordingsAreSweptWithTheirKeyAndNeverCountedOkWithout() throws IOException {
    org.evidencekit.crypt.AesKeyEncryptionKey kek =
        org.evidencekit.crypt.AesKeyEncryptionKey.generate("kek-1");
    Seal seal = archive.seal(key(0));
    archive.ingestEncrypted(
        "SECURE/rec0.mp4", files.get(0), seal, org.evidencekit.crypt.AeadSuite.SM4_GCM, kek, "in");
    LedgerEntry logged = archive.ledger().entry(archive.ledger().size() - 1);
    assertEquals("sm4-gcm", logged.details().get("encryption"));
    // A file that does not match the seal is refused and nothing is kept.
    assertThrows(
        IOException.class,
        () ->
            archive.ingestEncrypted(
                "SECURE/x.mp4",
                files.get(1),
                seal,
                org.evidencekit.crypt.AeadSuite.AES_256_GCM,
                kek,
                "in"));
    assertFalse(store.exists(ObjectKey.of("SECURE/x.mp4")));

    Map<String, SweepReport.Item> noKey = byKey(archive.sweep(null));
    assertEquals(SweepReport.Status.NOT_CHECKED, noKey.get("SECURE/rec0.mp4").status());
    Map<String, SweepReport.Item> withKey = byKey(archive.sweep(null, List.of(kek)));
    assertEquals(SweepReport.Status.OK, withKey.get("SECURE/rec0.mp4").status());
    assertTrue(archive.sweep(null, List.of(kek)).clean());

    Path c = StoreFiles.content(store, ObjectKey.of("SECURE/rec0.mp4"));
    c.toFile().setWritable(true);
    try (FileChannel ch =
        FileChannel.open(
            c, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      // flipped, not overwritten: the ciphertext (a random data key) may hold any byte there
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, 100_000);
      ch.write(ByteBuffer.wrap(new byte[] {(byte) ~b.get(0)}), 100_000);
    }
    SweepReport.Item damaged = byKey(archive.sweep(null, List.of(kek))).get("SECURE/rec0.mp4");
    assertEquals(SweepReport.Status.DAMAGED, damaged.status());
    assertTrue(damaged.detail().contains("fails authentication"), damaged.detail());
  }

  private static Map<String, SweepReport.Item> byKey(SweepReport r) {
    return r.items().stream().collect(Collectors.toMap(SweepReport.Item::key, i -> i));
  }

  @Test
  void anExportIsLoggedAndItsBundleVerifiesOffline() throws IOException {
    ProofBundle b = archive.export(key(4), "clerk-2", "appeal hearing", "court-7", ledgerKey);
    LedgerEntry last = archive.ledger().entry(archive.ledger().size() - 1);
    assertEquals(EntryType.EXPORTED, last.type());
    assertEquals("court-7", last.details().get("to"));
    assertEquals("appeal hearing", last.details().get("reason"));
    assertEquals("clerk-2", last.actor());

    ProofBundle parsed = ProofBundle.parse(b.toJson());
    try (FileChannel ch = FileChannel.open(files.get(4))) {
      assertEquals(List.of(), parsed.verify(ledgerTrust, ch));
    }
    try (FileChannel ch = FileChannel.open(files.get(5))) {
      // another recording given as the exported copy: the seal verifier's own content findings
      List<Finding> p = parsed.verify(ledgerTrust, ch);
      assertFalse(p.isEmpty());
      Set<String> content =
          Set.of(
              FindingCode.SEAL_NOT_FOR_CONTENT,
              FindingCode.SEGMENT_MODIFIED,
              FindingCode.SEGMENT_MOVED,
              FindingCode.CONTENT_TRUNCATED,
              FindingCode.CONTENT_EXTENDED);
      assertTrue(p.stream().allMatch(f -> content.contains(f.code())), p.toString());
    }
    List<Finding> untrusted = parsed.verify(TrustAnchors.none(), null);
    assertEquals(1, untrusted.size(), untrusted.toString());
    assertEquals(LedgerFindingCode.CHECKPOINT_UNTRUSTED, untrusted.get(0).code());
    // a bundle whose seal was swapped for another recording's (R-19: the copy is not the logged
    // one)
    ProofBundle swapped =
        new ProofBundle(
            archive.seal(key(5)), parsed.entry(), parsed.inclusion(), parsed.checkpoint());
    List<Finding> s = swapped.verify(ledgerTrust, null);
    assertEquals(1, s.size(), s.toString());
    assertEquals(LedgerFindingCode.ENTRY_FOR_OTHER_SEAL, s.get(0).code());
    assertThrows(IOException.class, () -> archive.export("nope.mp4", "c", "r", "t", ledgerKey));
    assertThrows(LedgerException.class, () -> ProofBundle.parse("{\"format\":\"x\"}".getBytes()));
  }

  /**
   * An export logs a copy handed out: content that is not there, not a regular file, or not
   * of its seal's size is refused before anything is logged. Before, none of it was read.
   */
  @Test
  void anExportOfContentMissingPipedOrCutIsRefusedAndNothingLogged() throws Exception {
    long size = archive.ledger().size();
    // a named pipe planted as the content (its reader would wait for a writer)
    Path piped = StoreFiles.content(store, ObjectKey.of(key(0)));
    piped.toFile().setWritable(true);
    Files.delete(piped);
    Process p = new ProcessBuilder("mkfifo", piped.toString()).start();
    assertEquals(0, p.waitFor());
    assertThrows(
        IOException.class, () -> archive.export(key(0), "clerk", "appeal", "court-7", ledgerKey));
    // the content deleted behind the store's back
    Path gone = StoreFiles.content(store, ObjectKey.of(key(1)));
    gone.toFile().setWritable(true);
    Files.delete(gone);
    NoSuchObjectException missing =
        assertThrows(
            NoSuchObjectException.class,
            () -> archive.export(key(1), "clerk", "appeal", "court-7", ledgerKey));
    assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
    // cut by one byte, and extended by one
    Path cut = StoreFiles.content(store, ObjectKey.of(key(2)));
    cut.toFile().setWritable(true);
    try (FileChannel ch = FileChannel.open(cut, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(Files.size(files.get(2)) - 1);
    }
    LedgerException e =
        assertThrows(
            LedgerException.class,
            () -> archive.export(key(2), "clerk", "appeal", "court-7", ledgerKey));
    assertTrue(e.getMessage().contains((Files.size(files.get(2)) - 1) + " bytes"), e.getMessage());
    Path longer = StoreFiles.content(store, ObjectKey.of(key(3)));
    longer.toFile().setWritable(true);
    Files.write(longer, new byte[] {7}, java.nio.file.StandardOpenOption.APPEND);
    assertThrows(
        LedgerException.class,
        () -> archive.export(key(3), "clerk", "appeal", "court-7", ledgerKey));
    assertEquals(size, archive.ledger().size(), "no export logged");
    // an encrypted copy cut by one byte: its ciphertext no longer holds the sealed length
    org.evidencekit.crypt.AesKeyEncryptionKey kek =
        org.evidencekit.crypt.AesKeyEncryptionKey.generate("kek-1");
    archive.ingestEncrypted(
        "SECURE/rec4.mp4",
        files.get(4),
        archive.seal(key(4)),
        org.evidencekit.crypt.AeadSuite.AES_256_GCM,
        kek,
        "in");
    size = archive.ledger().size();
    Path cipher = StoreFiles.content(store, ObjectKey.of("SECURE/rec4.mp4"));
    long whole = Files.size(cipher);
    cipher.toFile().setWritable(true);
    try (FileChannel ch = FileChannel.open(cipher, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(whole - 1);
    }
    LedgerException enc =
        assertThrows(
            LedgerException.class,
            () -> archive.export("SECURE/rec4.mp4", "clerk", "appeal", "court-7", ledgerKey));
    assertTrue(enc.getMessage().contains("encrypted"), enc.getMessage());
    assertEquals(size, archive.ledger().size(), "no export logged");
    // whole content, encrypted or not, is exported as before
    assertEquals(
        key(5), archive.export(key(5), "clerk", "appeal", "court-7", ledgerKey).entry().subject());
    archive.ingestEncrypted(
        "SECURE/rec6.mp4",
        files.get(6),
        archive.seal(key(6)),
        org.evidencekit.crypt.AeadSuite.SM4_GCM,
        kek,
        "in");
    assertEquals(
        "SECURE/rec6.mp4",
        archive
            .export("SECURE/rec6.mp4", "clerk", "appeal", "court-7", ledgerKey)
            .entry()
            .subject());
  }

  /** A recording disposed of cannot be exported, and the refusal says where it was disposed of. */
  @Test
  void aDisposedRecordingIsNotExportedAndTheRefusalSaysWhy() throws IOException {
    long at =
        archive
            .ledger()
            .append(
                LedgerEntry.builder()
                    .type(EntryType.DISPOSED)
                    .time(
                        Instant.parse(
                            "2026-03-01T02:00:00Z")) // was 2030: a jump the ledger refuses
                    .actor("ro-4")
                    .subject("recording-3")
                    .details(java.util.Map.of("plan", "p", "objectKey", key(3)))
                    .build());
    store.delete(ObjectKey.of(key(3))); // no retention in this archive: the plan's delete
    long size = archive.ledger().size();
    NoSuchObjectException e =
        assertThrows(
            NoSuchObjectException.class,
            () -> archive.export(key(3), "clerk", "appeal", "court-7", ledgerKey));
    assertTrue(e.getMessage().contains("disposed of at ledger entry " + at), e.getMessage());
    assertEquals(size, archive.ledger().size(), "no export logged");
    // the others are exported as before, through the ledger's index
    assertEquals(
        key(2), archive.export(key(2), "clerk", "appeal", "court-7", ledgerKey).entry().subject());
  }
}
