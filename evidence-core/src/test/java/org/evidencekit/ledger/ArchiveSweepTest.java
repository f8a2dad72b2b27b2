package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import org.evidencekit.seal.NotASealException;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.store.StoreFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep as an insider's deletions and a damaged ledger meet it (R-20, Art. 21(5)): every
 * problem reported once, under the status that names it, and nothing left unswept.
 */
class ArchiveSweepTest {
  @TempDir Path dir;
  FileSystemEvidenceStore store;
  EvidenceArchive archive;

  static String key(int i) {
    return "CAM-A/2026-03-01/rec" + i + ".mp4";
  }

  @BeforeEach
  void setUp() throws IOException {
    store = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), EvidenceLedgerTest.CLOCK);
    archive = EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK);
    for (int i = 0; i < 4; i++) {
      Path f = dir.resolve("rec" + i + ".mp4");
      byte[] content = new byte[150_000 + i * 1000];
      new java.util.Random(i).nextBytes(content);
      Files.write(f, content);
      Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(f);
      archive.ingest(key(i), f, seal, "intake-1");
    }
  }

  @AfterEach
  void tearDown() throws IOException {
    store.close();
  }

  private static List<SweepReport.Item> itemsFor(SweepReport r, String key) {
    return r.items().stream().filter(i -> i.key().equals(key)).collect(Collectors.toList());
  }

  @Test
  void aDeletedSealOfALoggedRecordingIsAMissingSeal() throws IOException {
    // a seal is kept for good: only an insider at the disk can take it away
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(1) + EvidenceArchive.SEAL_SUFFIX));
    SweepReport r = archive.sweep(null);
    List<SweepReport.Item> items = itemsFor(r, key(1));
    assertEquals(1, items.size(), r.items().toString());
    assertEquals(SweepReport.Status.MISSING, items.get(0).status());
    assertTrue(items.get(0).detail().startsWith("seal missing"), items.get(0)::toString);
    assertTrue(r.items(SweepReport.Status.UNEXPECTED).isEmpty(), r.items().toString());
    assertTrue(r.toString().contains("1 missing"), r::toString);
  }

  /**
   * R-20, Art. 21(2): an insider rewrites a stored seal object with other bytes that parse to the
   * same seal (spaces, line breaks) and fixes the object's size and hash in its metadata. The
   * ledger logged the SHA-256 of the bytes the archive stored, which an auditor's own tools
   * compare; the sweep compared the parsed seal's canonical digest and reported it OK.
   */
  @Test
  void aSealObjectRewrittenWithOtherBytesIsDamaged() throws IOException {
    ObjectKey sealKey = ObjectKey.of(key(1) + EvidenceArchive.SEAL_SUFFIX);
    Path c = StoreFiles.content(store, sealKey);
    byte[] stored = Files.readAllBytes(c);
    String spaced = new String(stored, StandardCharsets.UTF_8).replace(",\"", ", \"");
    byte[] altered = spaced.getBytes(StandardCharsets.UTF_8);
    assertEquals(Seal.parse(stored).digest(), Seal.parse(altered).digest(), "the same seal");
    c.toFile().setWritable(true);
    Files.write(c, altered);
    Path meta = c.resolveSibling("meta.json");
    meta.toFile().setWritable(true);
    String m = Files.readString(meta, StandardCharsets.UTF_8);
    String oldHash = org.evidencekit.hash.HashAlgorithm.SHA256.hash(stored).hex();
    String newHash = org.evidencekit.hash.HashAlgorithm.SHA256.hash(altered).hex();
    assertTrue(m.contains(oldHash), m);
    Files.writeString(
        meta,
        m.replace(oldHash, newHash)
            .replace("\"size\":" + stored.length, "\"size\":" + altered.length),
        StandardCharsets.UTF_8);
    store.close();
    store = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), EvidenceLedgerTest.CLOCK);
    archive = EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK);
    SweepReport r = archive.sweep(null);
    List<SweepReport.Item> items = itemsFor(r, key(1));
    assertEquals(1, items.size(), r.items().toString());
    assertEquals(SweepReport.Status.DAMAGED, items.get(0).status(), r::toString);
    assertTrue(items.get(0).detail().contains("bytes were altered"), items.get(0)::toString);
    assertEquals(SweepReport.Status.OK, itemsFor(r, key(0)).get(0).status(), r::toString);
  }

  @Test
  void aDeletedRecordingIsCountedOnce() throws IOException {
    store.delete(ObjectKey.of(key(2)));
    SweepReport r = archive.sweep(null);
    List<SweepReport.Item> items = itemsFor(r, key(2));
    assertEquals(1, items.size(), r.items().toString());
    assertEquals(SweepReport.Status.MISSING, items.get(0).status());
    assertTrue(items.get(0).detail().startsWith("content missing"), items.get(0)::toString);
    assertEquals(4, r.items().size(), r.items().toString());
    assertTrue(r.toString().contains("1 missing"), r::toString);
  }

  /**
   * A stored seal overwritten with damaged JSON is refused naming its key: the reader
   * printed only the parser's complaint, "not valid JSON: Unexpected end-of-input …", so `evidence
   * report` and `record-sheet` stopped without saying which of a case's seals was damaged.
   */
  @Test
  void aDamagedStoredSealIsNamedWhenRead() throws IOException {
    ObjectKey sealKey = ObjectKey.of(key(1) + EvidenceArchive.SEAL_SUFFIX);
    Path content = StoreFiles.content(store, sealKey);
    content.toFile().setWritable(true);
    Files.writeString(content, "{\"format\":");
    SealFormatException e = assertThrows(SealFormatException.class, () -> archive.seal(key(1)));
    assertTrue(e.getMessage().startsWith("seal " + sealKey.value() + ": "), e.getMessage());
    Files.write(content, new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'});
    e = assertThrows(NotASealException.class, () -> archive.seal(key(1)));
    assertEquals(
        "seal " + sealKey.value() + " is not a seal (it looks like an MP4 file)", e.getMessage());
  }

  @Test
  void aRecordingDeletedWithItsSealIsCountedOnce() throws IOException {
    store.delete(ObjectKey.of(key(3)));
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(3) + EvidenceArchive.SEAL_SUFFIX));
    SweepReport r = archive.sweep(null);
    assertEquals(1, itemsFor(r, key(3)).size(), r.items().toString());
    assertEquals(SweepReport.Status.MISSING, itemsFor(r, key(3)).get(0).status());
    assertEquals(4, r.items().size());
  }

  @Test
  void aDamagedBatchIsReportedWhileEveryReadableRecordingIsStillSwept() throws IOException {
    Path batch = StoreFiles.content(store, EvidenceLedger.batchKey(1));
    batch.toFile().setWritable(true);
    String line = Files.readString(batch, StandardCharsets.UTF_8);
    Files.writeString(batch, "x" + line.substring(1), StandardCharsets.UTF_8);
    // and an insider also edits a recording whose entry is readable
    Path c = StoreFiles.content(store, ObjectKey.of(key(2)));
    c.toFile().setWritable(true);
    try (FileChannel ch = FileChannel.open(c, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), 70_000);
    }
    store.close();
    store = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), EvidenceLedgerTest.CLOCK);
    assertThrows(
        LedgerException.class, () -> EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK));

    SweepReport r = EvidenceArchive.sweep(store, null, List.of());
    String batchKey = EvidenceLedger.batchKey(1).value();
    assertEquals(SweepReport.Status.DAMAGED, itemsFor(r, batchKey).get(0).status(), r::toString);
    assertEquals(SweepReport.Status.OK, itemsFor(r, key(0)).get(0).status(), r::toString);
    assertEquals(SweepReport.Status.OK, itemsFor(r, key(3)).get(0).status(), r::toString);
    assertEquals(SweepReport.Status.DAMAGED, itemsFor(r, key(2)).get(0).status(), r::toString);
    SweepReport.Item lost = itemsFor(r, key(1)).get(0);
    assertEquals(SweepReport.Status.UNLOGGED, lost.status(), r::toString);
    assertTrue(lost.detail().contains("damaged batch"), lost::toString);
    assertFalse(r.clean());
    assertEquals(5, r.items().size(), r.items().toString());
  }

  /** Makes an object's {@code meta.json} name another key, as a planted or misplaced copy would. */
  private void metaNamesAnotherKey(ObjectKey victim, ObjectKey other) throws IOException {
    Path meta = StoreFiles.content(store, victim).resolveSibling("meta.json");
    meta.toFile().setWritable(true);
    String json = Files.readString(meta, StandardCharsets.UTF_8);
    String named = "\"key\":\"" + victim.value() + "\"";
    assertTrue(json.contains(named), json);
    Files.writeString(
        meta, json.replace(named, "\"key\":\"" + other.value() + "\""), StandardCharsets.UTF_8);
  }

  /**
   * An object whose metadata names another key (planted, or copied from elsewhere) is that object's
   * damage, not the sweep's end: it is reported and every other object is swept. (It used to
   * end the CLI's sweep with "internal error".)
   */
  @Test
  void anObjectWhoseMetadataNamesAnotherKeyIsReportedAndTheRestIsSwept() throws IOException {
    metaNamesAnotherKey(ObjectKey.of(key(1)), ObjectKey.of(key(2)));
    SweepReport r = EvidenceArchive.sweep(store, null, List.of());
    SweepReport.Item bad = itemsFor(r, key(1)).get(0);
    assertEquals(SweepReport.Status.DAMAGED, bad.status(), r::toString);
    assertTrue(bad.detail().contains("not this object's"), bad::toString);
    for (int i : new int[] {0, 2, 3}) {
      assertEquals(SweepReport.Status.OK, itemsFor(r, key(i)).get(0).status(), r::toString);
    }
    assertEquals(4, r.items().size(), r.items().toString());
  }

  /** The same for a ledger batch: the batch is damaged, the recordings are still swept. */
  @Test
  void aBatchWhoseMetadataNamesAnotherKeyIsADamagedBatchNotTheSweepsEnd() throws IOException {
    metaNamesAnotherKey(EvidenceLedger.batchKey(1), EvidenceLedger.batchKey(0));
    SweepReport r = EvidenceArchive.sweep(store, null, List.of());
    String batchKey = EvidenceLedger.batchKey(1).value();
    assertEquals(SweepReport.Status.DAMAGED, itemsFor(r, batchKey).get(0).status(), r::toString);
    assertEquals(SweepReport.Status.OK, itemsFor(r, key(0)).get(0).status(), r::toString);
    assertFalse(r.clean());
  }

  /** The filesystem store lists keys from its folders, without reading any object's metadata. */
  @Test
  void keysAreListedWithoutReadingMetadata() throws IOException {
    metaNamesAnotherKey(ObjectKey.of(key(1)), ObjectKey.of(key(2)));
    List<String> keys;
    try (java.util.stream.Stream<ObjectKey> s = store.keys("")) {
      keys = s.map(ObjectKey::value).toList();
    }
    assertTrue(keys.contains(key(1)), keys.toString());
    assertThrows(
        java.io.UncheckedIOException.class,
        () -> {
          try (java.util.stream.Stream<org.evidencekit.storage.ObjectInfo> s = store.list("")) {
            s.forEach(i -> {});
          }
        },
        "a description of a damaged object cannot be given");
  }

  /**
   * A recording disposed of under a plan leaves its seal behind, kept for good: the
   * sweep names it as disposed, not as a missing recording, and does not call the archive unclean
   * for it.
   */
  @Test
  void aDisposedRecordingsKeptSealIsNotAMissingRecording() throws IOException {
    archive
        .ledger()
        .append(
            LedgerEntry.builder()
                .type(EntryType.DISPOSED)
                .time(
                    java.time.Instant.parse(
                        "2026-03-01T02:00:00Z")) // was 2030: a jump the ledger refuses
                .actor("ro-4")
                .subject("recording-1") // a recording's id need not be its key
                .details(java.util.Map.of("plan", "p", "objectKey", key(1)))
                .build());
    store.delete(ObjectKey.of(key(1))); // no retention in this archive: the plan's delete
    SweepReport r = archive.sweep(null);
    SweepReport.Item item = itemsFor(r, key(1)).get(0);
    assertEquals(SweepReport.Status.OK, item.status(), r::toString);
    assertTrue(item.detail().startsWith("disposed"), item::toString);
    assertTrue(r.clean(), r::toString);
  }

  /**
   * an insider at the disk lowers a recording's retention in its metadata (so that the
   * store would let it be deleted early) and leaves content and seal alone. The ledger logged the
   * retention decided at ingest; the sweep compared nothing with it and called the archive clean. A
   * decision whose retention had ended when it was made is never pushed down, so no retention in
   * force is right for it.
   */
  @Test
  void aRetentionLoweredBehindTheStoreIsReported() throws IOException {
    java.time.Clock clock = EvidenceLedgerTest.CLOCK;
    java.time.Instant decided = java.time.Instant.parse("2028-03-02T00:00:00Z");
    store.setRetention(ObjectKey.of(key(1)), decided);
    archive.ledger().append(retentionDecided(key(1), decided, clock.instant()));
    archive
        .ledger()
        .append(
            retentionDecided(
                key(2), java.time.Instant.parse("2026-01-01T00:00:00Z"), clock.instant()));
    // a disposition plan raises a retention in the ledger alone: nothing is pushed down for it
    archive
        .ledger()
        .append(
            retentionDecided(
                key(0),
                java.time.Instant.parse("2036-01-01T00:00:00Z"),
                clock.instant().plusSeconds(60)));
    assertTrue(archive.sweep(null).clean(), "as decided, and an expired decision needs no lock");

    Path meta = StoreFiles.content(store, ObjectKey.of(key(1))).resolveSibling("meta.json");
    meta.toFile().setWritable(true);
    String json = Files.readString(meta, StandardCharsets.UTF_8);
    String inForce = "\"retainUntil\":\"2028-03-02T00:00:00Z\"";
    assertTrue(json.contains(inForce), json);
    Files.writeString(
        meta,
        json.replace(inForce, "\"retainUntil\":\"2026-03-01T00:00:00Z\""),
        StandardCharsets.UTF_8);
    store.close();
    store = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), EvidenceLedgerTest.CLOCK);
    archive = EvidenceArchive.open(store, EvidenceLedgerTest.CLOCK);

    SweepReport r = archive.sweep(null);
    SweepReport.Item lowered = itemsFor(r, key(1)).get(0);
    assertEquals(SweepReport.Status.DAMAGED, lowered.status(), r::toString);
    assertTrue(lowered.detail().contains("2026-03-01T00:00:00Z"), lowered::toString);
    assertTrue(lowered.detail().contains("2028-03-02T00:00:00Z"), lowered::toString);
    for (int i : new int[] {0, 2, 3}) {
      assertEquals(SweepReport.Status.OK, itemsFor(r, key(i)).get(0).status(), r::toString);
    }
    // the same without an opened ledger
    assertEquals(
        SweepReport.Status.DAMAGED,
        itemsFor(EvidenceArchive.sweep(store, null, List.of()), key(1)).get(0).status());
  }

  /**
   * A policy that keeps recordings a century on a store that counts retention only to 2106
   * (S3 Object Lock on Ceph RGW): the push-down retains the recording until {@link
   * PermanentRecords#FOREVER}, as late as every store keeps, and puts it under a legal hold, which
   * only a disposition under an approved plan lifts. The sweep held the store to the century logged
   * and called every such recording DAMAGED. Without the hold, the lower retention is still found.
   */
  @Test
  void aRetentionBeyondWhatTheStoreCountsIsHeldNotDamaged() throws IOException {
    java.time.Instant century = java.time.Instant.parse("2126-06-01T00:00:00Z");
    for (int i : new int[] {1, 2}) {
      store.setRetention(ObjectKey.of(key(i)), PermanentRecords.FOREVER);
      archive
          .ledger()
          .append(retentionDecided(key(i), century, EvidenceLedgerTest.CLOCK.instant()));
    }
    store.setLegalHold(ObjectKey.of(key(1)), true);
    SweepReport r = archive.sweep(null);
    assertEquals(SweepReport.Status.OK, itemsFor(r, key(1)).get(0).status(), r::toString);
    SweepReport.Item unheld = itemsFor(r, key(2)).get(0);
    assertEquals(SweepReport.Status.DAMAGED, unheld.status(), r::toString);
    assertTrue(unheld.detail().contains("2126-06-01T00:00:00Z"), unheld::toString);
  }

  /**
   * A {@code retention-decided} entry as the retention engine logs it (docs/retention.md); timed as
   * the recording's {@code sealed} entry ({@code CLOCK}), the ingest's own decision.
   */
  private static LedgerEntry retentionDecided(
      String key, java.time.Instant until, java.time.Instant at) {
    return LedgerEntry.builder()
        .type(EntryType.RETENTION_DECIDED)
        .time(at)
        .actor("ingest-station")
        .subject(key)
        .details(
            java.util.Map.of("until", until.toString(), "permanent", "false", "status", "RETAINED"))
        .build();
  }

  /**
   * A spot check draws a logged recording whose content and seal were both deleted at the disk
   * it said "the content is stored but its seal is gone", sending whoever reads it to
   * look for content that is not there. It now says both are gone, in the sweep's words.
   */
  @Test
  void aCheckOfARecordingWhoseContentAndSealAreGoneSaysSo() throws IOException {
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(3)));
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(3) + EvidenceArchive.SEAL_SUFFIX));
    SweepReport.Item item =
        ArchiveSweep.check(
            store,
            key(3),
            ArchiveSweep.scanLedger(store).sealed.get(key(3)),
            null,
            org.evidencekit.verify.Verifier.create(),
            List.of());
    assertEquals(SweepReport.Status.MISSING, item.status());
    assertEquals(
        "content and seal missing: sealed at ledger entry 3 and never disposed", item.detail());
    // only the seal gone: the content is there, as said
    StoreFiles.removeBehindTheStore(store, ObjectKey.of(key(2) + EvidenceArchive.SEAL_SUFFIX));
    item =
        ArchiveSweep.check(
            store,
            key(2),
            ArchiveSweep.scanLedger(store).sealed.get(key(2)),
            null,
            org.evidencekit.verify.Verifier.create(),
            List.of());
    assertTrue(
        item.detail().endsWith("the content is stored but its seal is gone"), item::toString);
  }
}
