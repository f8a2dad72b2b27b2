package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records that prove what was stored outlive what they prove: after an ingest,
 * every seal object, staged seal and ledger batch refuses deletion through the store's API, at any
 * time, while a recording's content is kept exactly as long as its retention says. So a recording
 * disposed of under an approved plan leaves its seal and its entry behind, and a records officer
 * can still show what was destroyed and that it was what had been sealed.
 */
class PermanentRecordsTest {
  /** Docked two hours after the fixtures were recorded (2023-06-01 14:10Z). */
  static final Instant T1 = Instant.parse("2023-06-01T16:00:00Z");

  /** Long after any retention of the run ended (the longest fixed term is 30 years). */
  static final Instant MUCH_LATER = Instant.parse("2090-01-01T00:00:00Z");

  @TempDir Path dir;

  private static boolean isRecord(String key) {
    return key.endsWith(EvidenceArchive.SEAL_SUFFIX)
        || key.startsWith("ledger/seals/")
        || key.startsWith("ledger/batches/")
        || key.startsWith("ledger/checkpoints/");
  }

  private static List<ObjectInfo> all(EvidenceStore store) throws IOException {
    try (Stream<ObjectInfo> s = store.list("")) {
      return s.toList();
    }
  }

  @Test
  void sealsStagedSealsAndBatchesOfAnIngestCannotBeDeletedThroughTheStoreEver() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir.resolve("card"));
    List<String> contents = new ArrayList<>();
    Path root = dir.resolve("store");
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.fixed(T1, ZoneOffset.UTC))) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(T1, ZoneOffset.UTC))
              .build()
              .ingest(IngestRequest.builder("DEVCAM7", "police-0042").addAll(files(card)).build());
      assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
      r.recordings().forEach(x -> contents.add(x.key().orElseThrow()));
    }
    // the same store, read by a clock long past every recording's retention
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.fixed(MUCH_LATER, ZoneOffset.UTC))) {
      List<ObjectInfo> objects = all(store);
      int seals = 0;
      int staged = 0;
      int batches = 0;
      for (ObjectInfo o : objects) {
        String k = o.key().value();
        if (!isRecord(k)) {
          continue;
        }
        seals += k.endsWith(EvidenceArchive.SEAL_SUFFIX) && !k.startsWith("ledger/") ? 1 : 0;
        staged += k.startsWith("ledger/seals/") ? 1 : 0;
        batches += k.startsWith("ledger/batches/") ? 1 : 0;
        assertEquals(
            PermanentRecords.FOREVER, o.retainUntil().orElse(null), k + " is not kept for good");
        assertThrows(RetentionLockedException.class, () -> store.delete(o.key()), k);
        assertThrows(
            RetentionLockedException.class,
            () -> store.setRetention(o.key(), MUCH_LATER.plusSeconds(1)),
            k + ": retention only ever extends");
      }
      assertEquals(3, seals, objects.toString());
      assertTrue(staged >= 1, objects.toString());
      assertTrue(batches >= 1, objects.toString());
      // the contents' retention has ended: they may go (through an approved plan, in real use)
      for (String k : contents) {
        store.delete(ObjectKey.of(k));
      }
      for (String k : contents) {
        assertFalse(store.exists(ObjectKey.of(k)), k);
        assertTrue(store.exists(ObjectKey.of(k + EvidenceArchive.SEAL_SUFFIX)), k + "'s seal");
      }
      // and the log still shows what was sealed, with the seals it names
      assertEquals(3, Fixtures.sealedEntries(store).size());
      EvidenceArchive archive =
          EvidenceArchive.open(store, Clock.fixed(MUCH_LATER, ZoneOffset.UTC));
      for (var e : Fixtures.sealedEntries(store)) {
        assertEquals(
            e.payloadDigest().orElseThrow(), archive.seal(e.subject()).digest().hex(), e.subject());
      }
    }
  }

  /**
   * A store that sets retention only after the commit (the SPI's default, the in-memory reference
   * store, S3) gets the same records kept for good.
   */
  @Test
  void aStoreThatRetainsOnlyAfterTheCommitKeepsTheRecordsForGoodToo() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir.resolve("card"));
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(T1, ZoneOffset.UTC));
    IngestResult r =
        IngestStation.builder()
            .store(store)
            .clock(Clock.fixed(T1, ZoneOffset.UTC))
            .build()
            .ingest(IngestRequest.builder("DEVCAM7", "police-0042").addAll(files(card)).build());
    assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
    int records = 0;
    for (ObjectInfo o : all(store)) {
      if (isRecord(o.key().value())) {
        records++;
        assertEquals(PermanentRecords.FOREVER, o.retainUntil().orElse(null), o.toString());
        assertThrows(RetentionLockedException.class, () -> store.delete(o.key()));
      }
    }
    assertTrue(records >= 5, "3 seals, a staged group, a batch: " + records);
  }

  /**
   * Against a real S3 Object Lock server (Ceph RGW, started by .ci/run): the records get COMPLIANCE
   * retention right after their commit, the server keeps the date exactly (it wraps dates after
   * 2106-02-07T06:28:15Z) and refuses to delete them.
   */
  @Test
  void onAnS3ObjectLockBucketTheServerItselfKeepsTheRecords() throws Exception {
    org.evidencekit.storage.s3.S3EvidenceStore.Builder b =
        Fixtures.lockedS3Bucket("evidencekit-records");
    Path card = Fixtures.folder("f02_split3", dir.resolve("card"));
    try (EvidenceStore store = b.open()) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .build()
              .ingest(IngestRequest.builder("DEVCAM7", "police-0042").addAll(files(card)).build());
      assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
      int records = 0;
      for (ObjectInfo o : all(store)) {
        if (isRecord(o.key().value())) {
          records++;
          assertTrue(o.storageEnforced(), o.toString());
          assertEquals(PermanentRecords.FOREVER, o.retainUntil().orElse(null), o.toString());
          assertThrows(RetentionLockedException.class, () -> store.delete(o.key()));
        }
      }
      assertTrue(records >= 5, "3 seals, a staged group, a batch: " + records);
    }
  }

  /**
   * A record whose writer stopped between its commit and its lock (possible where retention is set
   * after the commit) is locked by the next station that finds it: here the seal objects are stored
   * plainly and the same recordings ingested again.
   */
  @Test
  void anUnlockedSealFoundAgainIsLockedByTheNextIngest() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir.resolve("card"));
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(T1, ZoneOffset.UTC));
    IngestStation station =
        IngestStation.builder().store(store).clock(Clock.fixed(T1, ZoneOffset.UTC)).build();
    IngestRequest request =
        IngestRequest.builder("DEVCAM7", "police-0042").addAll(files(card)).build();
    IngestResult first = station.ingest(request);
    List<ObjectKey> seals = new ArrayList<>();
    for (IngestedRecording rec : first.recordings()) {
      ObjectKey seal = ObjectKey.of(rec.key().orElseThrow() + EvidenceArchive.SEAL_SUFFIX);
      byte[] bytes = read(store, seal);
      store.removeBehindTheStore(seal);
      try (WritableObject w = store.create(seal)) { // committed, never locked
        w.write(java.nio.ByteBuffer.wrap(bytes));
        w.commit();
      }
      assertTrue(store.stat(seal).retainUntil().isEmpty());
      seals.add(seal);
    }
    IngestResult again = station.ingest(request);
    assertEquals(3, again.count(IngestStatus.ALREADY), again.recordings().toString());
    for (ObjectKey seal : seals) {
      assertEquals(
          PermanentRecords.FOREVER, store.stat(seal).retainUntil().orElse(null), seal.value());
    }
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> s = java.nio.file.Files.list(folder)) {
      return s.sorted().toList();
    }
  }

  private static byte[] read(EvidenceStore store, ObjectKey key) throws IOException {
    try (var ch = store.openRead(key);
        var in = java.nio.channels.Channels.newInputStream(ch)) {
      return in.readAllBytes();
    }
  }
}
