package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What only a real server with Object Lock can show: the storage itself refuses to
 * delete locked evidence or shorten its retention even when EvidenceKit is bypassed, and the
 * create-only protocol holds for multipart uploads, whose conditional header RGW ignores.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3ObjectLockTest {
  private static final int PART = 5 * 1024 * 1024;

  private S3Client raw;
  private String bucket;
  private String prefix;
  private S3EvidenceStore store;

  @BeforeEach
  void open() throws IOException {
    raw = S3TestServer.client();
    bucket = S3TestServer.bucket();
    prefix = "lock/" + Long.toString(System.nanoTime(), 36) + "/";
    store = S3TestServer.builder().bucket(bucket).prefix(prefix).partSize(PART).open();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private ObjectInfo put(String k, byte[] content) throws IOException {
    try (WritableObject w = store.create(ObjectKey.of(k))) {
      w.write(ByteBuffer.wrap(content));
      return w.commit();
    }
  }

  private byte[] read(String k) throws IOException {
    try (SeekableByteChannel ch = store.openRead(ObjectKey.of(k))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer b = ByteBuffer.allocate(65536);
      while (ch.read(b.clear()) >= 0) {
        out.write(b.array(), 0, b.position());
      }
      return out.toByteArray();
    }
  }

  /** Every version under a part of the store's layout, as an administrator would see them. */
  private List<ObjectVersion> rawVersions(String under) {
    List<ObjectVersion> out = new ArrayList<>();
    raw.listObjectVersionsPaginator(l -> l.bucket(bucket).prefix(prefix + under))
        .forEach(r -> out.addAll(r.versions()));
    return out;
  }

  private static Instant inDays(int days) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(days));
  }

  @Test
  void theBucketEnforcesTheLock() {
    assertTrue(store.objectLockEnabled());
    assertTrue(store.capabilities().contains(Capability.STORAGE_ENFORCED_RETENTION));
    assertTrue(store.capabilities().contains(Capability.RETENTION));
    assertFalse(store.capabilities().contains(Capability.INJECTED_CLOCK));
  }

  @Test
  void theServerRefusesToDeleteARetainedObjectEvenAroundTheStore() throws IOException {
    byte[] content = bytes(10_000, 1);
    put("cam/1.mp4", content);
    store.setRetention(ObjectKey.of("cam/1.mp4"), inDays(730));
    assertTrue(store.stat(ObjectKey.of("cam/1.mp4")).storageEnforced());
    for (ObjectVersion v : rawVersions("")) {
      S3Exception e =
          assertThrows(
              S3Exception.class,
              () -> raw.deleteObject(d -> d.bucket(bucket).key(v.key()).versionId(v.versionId())),
              v.key());
      assertEquals(403, e.statusCode(), v.key());
    }
    // a plain delete only adds a delete marker; the evidence is still there and still read
    raw.deleteObject(d -> d.bucket(bucket).key(prefix + "commits/cam/1.mp4"));
    assertArrayEquals(content, read("cam/1.mp4"));
    assertThrows(RetentionLockedException.class, () -> store.delete(ObjectKey.of("cam/1.mp4")));
    assertArrayEquals(content, read("cam/1.mp4"));
  }

  @Test
  void theServerRefusesToShortenRetention() throws IOException {
    put("r", bytes(100, 2));
    Instant until = inDays(730);
    store.setRetention(ObjectKey.of("r"), until);
    for (ObjectVersion v : rawVersions("")) {
      S3Exception e =
          assertThrows(
              S3Exception.class,
              () ->
                  raw.putObjectRetention(
                      p ->
                          p.bucket(bucket)
                              .key(v.key())
                              .versionId(v.versionId())
                              .retention(
                                  t ->
                                      t.mode("COMPLIANCE")
                                          .retainUntilDate(until.minusSeconds(86400)))));
      assertEquals(403, e.statusCode());
    }
    assertThrows(
        RetentionLockedException.class,
        () -> store.setRetention(ObjectKey.of("r"), until.minusSeconds(1)));
    assertEquals(until, store.stat(ObjectKey.of("r")).retainUntil().orElseThrow());
  }

  @Test
  void aLegalHoldBlocksDeletionAtTheServerUntilReleased() throws IOException {
    put("h", bytes(100, 3));
    store.setLegalHold(ObjectKey.of("h"), true);
    assertTrue(store.stat(ObjectKey.of("h")).legalHold());
    for (ObjectVersion v : rawVersions("")) {
      S3Exception e =
          assertThrows(
              S3Exception.class,
              () -> raw.deleteObject(d -> d.bucket(bucket).key(v.key()).versionId(v.versionId())));
      assertEquals(403, e.statusCode());
    }
    assertThrows(RetentionLockedException.class, () -> store.delete(ObjectKey.of("h")));
    store.setLegalHold(ObjectKey.of("h"), false);
    store.delete(ObjectKey.of("h"));
    assertFalse(store.exists(ObjectKey.of("h")));
    assertEquals(List.of(), rawVersions(""), "a deletion leaves no version behind");
  }

  @Test
  void anExpiredRetentionCannotBeRecorded() throws IOException {
    put("old", bytes(10, 4));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> store.setRetention(ObjectKey.of("old"), Instant.now().minusSeconds(60)));
    assertTrue(e.getMessage().contains("not in the future"), e.getMessage());
    assertTrue(store.stat(ObjectKey.of("old")).retainUntil().isEmpty());
  }

  /**
   * The server keeps retain-until dates in 32 unsigned bits of seconds (measured on Ceph RGW: 9999
   * read back as 1992, 2200 as 2063). A later date is refused before it is sent, which leaves the
   * object as it was; the latest date the store takes is kept exactly.
   */
  @Test
  void aRetentionDateTheServerWouldWrapIsRefusedUnsent() throws IOException {
    put("far", bytes(10, 6));
    for (Instant beyond :
        List.of(
            S3EvidenceStore.MAX_RETAIN_UNTIL.plusSeconds(1),
            Instant.parse("2200-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T00:00:00Z"))) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> store.setRetention(ObjectKey.of("far"), beyond));
      assertTrue(e.getMessage().contains("2106-02-07T06:28:15Z"), e.getMessage());
      assertTrue(store.stat(ObjectKey.of("far")).retainUntil().isEmpty(), beyond::toString);
    }
    store.setRetention(ObjectKey.of("far"), S3EvidenceStore.MAX_RETAIN_UNTIL);
    assertEquals(
        S3EvidenceStore.MAX_RETAIN_UNTIL,
        store.stat(ObjectKey.of("far")).retainUntil().orElseThrow());
    assertThrows(RetentionLockedException.class, () -> store.delete(ObjectKey.of("far")));
  }

  @Test
  void retentionIsRoundedUpToWholeSeconds() throws IOException {
    put("ms", bytes(10, 5));
    Instant asked = inDays(1).plusMillis(250);
    store.setRetention(ObjectKey.of("ms"), asked);
    Instant kept = store.stat(ObjectKey.of("ms")).retainUntil().orElseThrow();
    assertEquals(asked.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1), kept);
  }

  @Test
  void multipartObjectsRoundTripAndCarryTheirDigest() throws IOException {
    byte[] content = bytes(3 * PART + 12_345, 6);
    ObjectInfo info = put("big.mp4", content);
    assertEquals(content.length, info.size());
    assertArrayEquals(sha256(content), info.sha256().orElseThrow());
    assertArrayEquals(content, read("big.mp4"));
    assertEquals(1, rawVersions("data/").size());
  }

  @Test
  void ofMultipartWritersRacingForOneKeyExactlyOneWinsAndLosersLeaveNothing() throws Exception {
    int n = 4;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    List<Future<Integer>> fs = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        int id = i;
        fs.add(
            pool.submit(
                () -> {
                  byte[] content = bytes(PART + 1000 + id, 100 + id);
                  try (WritableObject w = store.create(ObjectKey.of("race.mp4"))) {
                    w.write(ByteBuffer.wrap(content));
                    start.await();
                    w.commit();
                    return id;
                  } catch (ObjectExistsException e) {
                    return -1;
                  }
                }));
      }
      Thread.sleep(500); // let every writer upload its first part
      start.countDown();
      List<Integer> winners = new ArrayList<>();
      for (Future<Integer> f : fs) {
        int r = f.get(90, TimeUnit.SECONDS);
        if (r >= 0) {
          winners.add(r);
        }
      }
      assertEquals(1, winners.size(), "winners " + winners);
      int w = winners.get(0);
      assertArrayEquals(bytes(PART + 1000 + w, 100 + w), read("race.mp4"));
      assertEquals(1, rawVersions("data/").size(), "losers' data deleted");
      assertEquals(1, rawVersions("commits/").size(), "losers' records deleted");
      assertTrue(
          raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().isEmpty(),
          "no multipart upload left open");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anAbortedMultipartWriteLeavesNothing() throws IOException {
    try (WritableObject w = store.create(ObjectKey.of("gone"))) {
      w.write(ByteBuffer.wrap(bytes(2 * PART + 1, 7)));
      w.abort();
    }
    assertFalse(store.exists(ObjectKey.of("gone")));
    assertEquals(List.of(), rawVersions(""));
    assertTrue(raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().isEmpty());
  }

  @Test
  void whatDeadWritersLeftIsSweptAndCommittedObjectsAreNot() throws IOException {
    byte[] kept = bytes(100, 11);
    put("kept", kept);
    // a writer that died after uploading its data, and one that died mid multipart upload
    raw.putObject(
        p -> p.bucket(bucket).key(prefix + "data/dead-writer"),
        RequestBody.fromBytes(bytes(50, 1)));
    raw.createMultipartUpload(c -> c.bucket(bucket).key(prefix + "data/dead-upload"));
    S3EvidenceStore.SweepResult young = store.sweepAbandoned(Duration.ofDays(1));
    assertEquals(new S3EvidenceStore.SweepResult(0, 0, 0), young, "writers in progress are spared");
    S3EvidenceStore.SweepResult r = store.sweepAbandoned(Duration.ZERO);
    assertEquals(new S3EvidenceStore.SweepResult(1, 1, 0), r);
    assertEquals(List.of(), rawVersions("data/"), "a one-part object lives in its record");
    assertEquals(1, rawVersions("commits/").size());
    assertTrue(raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().isEmpty());
    assertArrayEquals(kept, read("kept"));
  }

  @Test
  void aOnePartObjectIsItsRecordAndALargerOnePointsAtItsData() throws IOException {
    put("small", bytes(PART, 1));
    put("large", bytes(PART + 1, 2));
    assertEquals(2, rawVersions("commits/").size());
    List<ObjectVersion> data = rawVersions("data/");
    assertEquals(1, data.size(), "only the multipart write has a data object");
    assertEquals(PART + 1, data.get(0).size());
    assertEquals(
        PART, raw.headObject(h -> h.bucket(bucket).key(prefix + "commits/small")).contentLength());
    assertEquals(
        0, raw.headObject(h -> h.bucket(bucket).key(prefix + "commits/large")).contentLength());
  }

  @Test
  void aVersionPutAroundTheStoreIsNeverRead() throws IOException {
    // anyone with write access can add a newer version under a record's name; readers address
    // the committed (oldest) version by id, so what they read does not change
    byte[] original = bytes(4000, 21);
    put("cam/evidence.mp4", original);
    store.setRetention(ObjectKey.of("cam/evidence.mp4"), inDays(1));
    byte[] forged = bytes(4000, 22);
    Map<String, String> meta =
        Map.of(
            S3EvidenceStore.META_INLINE,
            "true",
            S3EvidenceStore.META_SIZE,
            "4000",
            S3EvidenceStore.META_SHA256,
            HexFormat.of().formatHex(sha256(forged)));
    raw.putObject(
        p -> p.bucket(bucket).key(prefix + "commits/cam/evidence.mp4").metadata(meta),
        RequestBody.fromBytes(forged));
    assertArrayEquals(original, read("cam/evidence.mp4"), "a store that listed before");
    try (S3EvidenceStore fresh = S3TestServer.builder().bucket(bucket).prefix(prefix).open()) {
      try (SeekableByteChannel ch = fresh.openRead(ObjectKey.of("cam/evidence.mp4"))) {
        ByteBuffer b = ByteBuffer.allocate(5000);
        while (ch.read(b) >= 0) {}
        assertArrayEquals(original, Arrays.copyOf(b.array(), b.position()), "a fresh store");
      }
      assertArrayEquals(
          sha256(original), fresh.stat(ObjectKey.of("cam/evidence.mp4")).sha256().orElseThrow());
    }
  }

  @Test
  void aStoreThatRememberedAVersionReadsWhatAnotherStoreRecreated() throws IOException {
    put("k", bytes(3000, 31));
    put("k2", bytes(3000, 32));
    assertArrayEquals(bytes(3000, 31), read("k"));
    assertArrayEquals(bytes(3000, 32), read("k2")); // remembered from the read-ahead of "k"
    try (S3EvidenceStore other = S3TestServer.builder().bucket(bucket).prefix(prefix).open()) {
      other.delete(ObjectKey.of("k"));
      other.delete(ObjectKey.of("k2"));
      try (WritableObject w = other.create(ObjectKey.of("k"))) {
        w.write(ByteBuffer.wrap(bytes(3000, 33)));
        w.commit();
      }
    }
    assertArrayEquals(bytes(3000, 33), read("k"), "the remembered version is gone: listed again");
    assertThrows(
        org.evidencekit.storage.NoSuchObjectException.class, () -> read("k2"), "deleted elsewhere");
  }

  @Test
  void bytesThatDoNotMatchTheirDigestFailTheRead() throws IOException {
    // an adversary with write access plants a record whose data differs from its digest
    String dataKey = prefix + "data/planted";
    String v =
        raw.putObject(p -> p.bucket(bucket).key(dataKey), RequestBody.fromBytes(bytes(5000, 8)))
            .versionId();
    Map<String, String> meta =
        Map.of(
            S3EvidenceStore.META_DATA_KEY,
            dataKey,
            S3EvidenceStore.META_VERSION,
            v,
            S3EvidenceStore.META_SIZE,
            "5000",
            S3EvidenceStore.META_SHA256,
            HexFormat.of().formatHex(sha256(bytes(5000, 9))));
    raw.putObject(
        p -> p.bucket(bucket).key(prefix + "commits/planted").metadata(meta), RequestBody.empty());
    StoreUnavailableException e =
        assertThrows(StoreUnavailableException.class, () -> read("planted"));
    assertTrue(e.getMessage().contains("damaged"), e.getMessage());
  }

  @Test
  void aRecordNameNoKeyCanHaveIsLeftOutOfListings() throws IOException {
    put("good", bytes(10, 1));
    raw.putObject(p -> p.bucket(bucket).key(prefix + "commits/bad//name"), RequestBody.empty());
    try (var s = store.list("")) {
      assertEquals(
          List.of("good"),
          s.map(i -> i.key().value()).collect(java.util.stream.Collectors.toList()));
    }
  }

  @Test
  void aRecordWithBrokenMetadataIsReportedNotTrusted() {
    raw.putObject(
        p -> p.bucket(bucket).key(prefix + "commits/broken").metadata(Map.of("evidence-size", "x")),
        RequestBody.empty());
    StoreUnavailableException e =
        assertThrows(StoreUnavailableException.class, () -> store.stat(ObjectKey.of("broken")));
    assertTrue(e.getMessage().contains("damaged commit record"), e.getMessage());
  }

  @Test
  void aBucketWithoutObjectLockOffersNoRetention() throws IOException {
    String plain = "evidencekit-plain-" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
    raw.createBucket(c -> c.bucket(plain));
    raw.putBucketVersioning(v -> v.bucket(plain).versioningConfiguration(c -> c.status("Enabled")));
    try (S3EvidenceStore s = S3TestServer.builder().bucket(plain).open()) {
      assertFalse(s.objectLockEnabled());
      assertFalse(s.capabilities().contains(Capability.RETENTION));
      try (WritableObject w = s.create(ObjectKey.of("x"))) {
        w.write(ByteBuffer.wrap(bytes(10, 1)));
        assertFalse(w.retainOnCommit(inDays(1)), "no Object Lock: no retention at commit either");
        ObjectInfo info = w.commit();
        assertFalse(info.storageEnforced());
        assertTrue(info.retainUntil().isEmpty());
      }
      assertTrue(
          raw.listObjectVersions(l -> l.bucket(plain).prefix("claims/")).versions().isEmpty());
      assertThrows(
          UnsupportedOperationException.class, () -> s.setRetention(ObjectKey.of("x"), inDays(1)));
      s.delete(ObjectKey.of("x"));
    }
  }

  /** Without versions the store cannot commit: refused at open, naming what to do. */
  @Test
  void aBucketThatKeepsNoVersionsIsRefusedAtOpen() throws IOException {
    String plain = "evidencekit-unversioned-" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
    raw.createBucket(c -> c.bucket(plain));
    StoreUnavailableException never =
        assertThrows(
            StoreUnavailableException.class, () -> S3TestServer.builder().bucket(plain).open());
    assertTrue(never.getMessage().contains("versioning never enabled"), never.getMessage());
    raw.putBucketVersioning(v -> v.bucket(plain).versioningConfiguration(c -> c.status("Enabled")));
    raw.putBucketVersioning(
        v -> v.bucket(plain).versioningConfiguration(c -> c.status("Suspended")));
    StoreUnavailableException suspended =
        assertThrows(
            StoreUnavailableException.class, () -> S3TestServer.builder().bucket(plain).open());
    assertTrue(suspended.getMessage().contains("versioning suspended"), suspended.getMessage());
    raw.deleteBucket(d -> d.bucket(plain));
  }

  @Test
  void aMissingBucketIsAClearError() {
    StoreUnavailableException e =
        assertThrows(
            StoreUnavailableException.class,
            () -> S3TestServer.builder().bucket("evidencekit-no-such-bucket").open());
    assertTrue(e.getMessage().contains("evidencekit-no-such-bucket"), e.getMessage());
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
