package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A commit that carries its retention ({@link WritableObject#retainOnCommit}) makes the object
 * visible already locked: the request that creates the commit record creates it under
 * COMPLIANCE retention, and a multipart write's data is locked before that. Shown by a client that
 * stops sending right after a chosen request, as a process that dies there would: what the server
 * holds then is checked with a plain client, as an administrator would see it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3RetentionAtCommitTest {
  private static final int PART = 5 * 1024 * 1024;

  private S3Client raw;
  private String bucket;
  private String prefix;
  private final List<S3EvidenceStore> stores = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    raw = S3TestServer.client();
    bucket = S3TestServer.bucket();
    prefix = "at-commit/" + Long.toString(System.nanoTime(), 36) + "/";
  }

  @AfterEach
  void close() {
    stores.forEach(S3EvidenceStore::close);
  }

  private S3EvidenceStore store(S3Client client) throws IOException {
    S3EvidenceStore s =
        S3EvidenceStore.builder()
            .client(client)
            .bucket(bucket)
            .prefix(prefix)
            .partSize(PART)
            .open();
    stores.add(s);
    return s;
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Instant inDays(int days) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(days));
  }

  /**
   * Dies right after the PUT that creates a commit record: the moment an object becomes visible.
   */
  private DyingS3Client dyingAfterTheRecord() {
    return DyingS3Client.after(
        raw, c -> c.operation().equals("putObject") && c.key().startsWith(prefix + "commits/"));
  }

  /**
   * What the library's callers do (sealed records, the ingest): retention at commit where the store
   * takes it, else {@code setRetention} right after the commit.
   */
  private static ObjectInfo commitRetained(
      S3EvidenceStore store, ObjectKey key, byte[] content, Instant until) throws IOException {
    boolean atCommit;
    ObjectInfo info;
    try (WritableObject w = store.create(key)) {
      atCommit = w.retainOnCommit(until);
      w.write(ByteBuffer.wrap(content));
      info = w.commit();
    }
    if (!atCommit) {
      store.setRetention(key, until);
      info = store.stat(key);
    }
    return info;
  }

  private List<ObjectVersion> rawVersions(String under) {
    List<ObjectVersion> out = new ArrayList<>();
    raw.listObjectVersionsPaginator(l -> l.bucket(bucket).prefix(prefix + under))
        .forEach(r -> out.addAll(r.versions()));
    return out;
  }

  private HeadObjectResponse rawHead(String s3Key, String version) {
    return raw.headObject(h -> h.bucket(bucket).key(s3Key).versionId(version));
  }

  /** The one record version of {@code key}, checked to be under COMPLIANCE retention until then. */
  private HeadObjectResponse assertRecordLocked(ObjectKey key, Instant until) {
    List<ObjectVersion> records = rawVersions("commits/" + key.value());
    assertEquals(1, records.size(), "one record version");
    HeadObjectResponse h = rawHead(prefix + "commits/" + key.value(), records.get(0).versionId());
    assertEquals(ObjectLockMode.COMPLIANCE, h.objectLockMode(), "the visible record is locked");
    assertEquals(until, h.objectLockRetainUntilDate());
    S3Exception refused =
        assertThrows(
            S3Exception.class,
            () ->
                raw.deleteObject(
                    d ->
                        d.bucket(bucket)
                            .key(prefix + "commits/" + key.value())
                            .versionId(records.get(0).versionId())));
    assertEquals(403, refused.statusCode());
    return h;
  }

  private void assertDataLocked(HeadObjectResponse record, Instant until) {
    HeadObjectResponse data =
        rawHead(
            record.metadata().get(S3EvidenceStore.META_DATA_KEY),
            record.metadata().get(S3EvidenceStore.META_VERSION));
    assertEquals(ObjectLockMode.COMPLIANCE, data.objectLockMode(), "the data is locked");
    assertEquals(until, data.objectLockRetainUntilDate());
  }

  @Test
  void aOnePartObjectIsLockedByTheRequestThatMakesItVisible() throws IOException {
    DyingS3Client dying = dyingAfterTheRecord();
    S3EvidenceStore store = store(dying.client());
    ObjectKey key = ObjectKey.of("cam/seal.json");
    Instant until = inDays(730);
    byte[] content = bytes(4000, 1);
    assertThrows(StoreUnavailableException.class, () -> commitRetained(store, key, content, until));
    assertTrue(dying.dead(), "died right after the record was written");
    // the process is gone: the object is visible, and locked
    S3EvidenceStore survivor = store(raw);
    assertTrue(survivor.exists(key));
    assertEquals(Optional.of(until), survivor.stat(key).retainUntil(), "visible unprotected");
    assertRecordLocked(key, until);
  }

  @Test
  void aMultipartObjectIsLockedWithItsDataBeforeItsRecordIsVisible() throws IOException {
    DyingS3Client dying = dyingAfterTheRecord();
    S3EvidenceStore store = store(dying.client());
    ObjectKey key = ObjectKey.of("cam/1.mp4");
    Instant until = inDays(730);
    byte[] content = bytes(2 * PART + 77, 2);
    assertThrows(StoreUnavailableException.class, () -> commitRetained(store, key, content, until));
    assertTrue(dying.dead());
    S3EvidenceStore survivor = store(raw);
    assertEquals(Optional.of(until), survivor.stat(key).retainUntil(), "visible unprotected");
    assertDataLocked(assertRecordLocked(key, until), until);
  }

  @Test
  void aCommitRetainedIsLockedWhenItReturnsAndNeverWasUnlocked() throws IOException {
    DyingS3Client watched = DyingS3Client.after(raw, c -> false);
    S3EvidenceStore store = store(watched.client());
    Instant until = inDays(365);
    ObjectKey small = ObjectKey.of("small");
    ObjectKey large = ObjectKey.of("large");
    byte[] smallContent = bytes(100, 3);
    byte[] largeContent = bytes(PART + 1, 4);
    assertEquals(until, commitRetained(store, small, smallContent, until).retainUntil().get());
    assertEquals(until, commitRetained(store, large, largeContent, until).retainUntil().get());
    assertRecordLocked(small, until);
    assertDataLocked(assertRecordLocked(large, until), until);
    // no record was ever locked by a second request; the data was locked before its record existed
    List<DyingS3Client.Call> sent = watched.sent();
    assertFalse(
        sent.stream()
            .anyMatch(
                c ->
                    c.operation().equals("putObjectRetention")
                        && c.key().startsWith(prefix + "commits/")),
        "a record locked after its PUT: " + sent);
    int dataLocked = -1;
    int largeRecord = -1;
    for (int i = 0; i < sent.size(); i++) {
      DyingS3Client.Call c = sent.get(i);
      if (c.operation().equals("putObjectRetention") && c.key().startsWith(prefix + "data/")) {
        dataLocked = i;
      }
      if (c.operation().equals("putObject") && c.key().equals(prefix + "commits/large")) {
        largeRecord = i;
      }
    }
    assertTrue(dataLocked >= 0 && dataLocked < largeRecord, "data locked first: " + sent);
    assertEquals(List.of(), rawVersions("claims/"), "claims are released");
    assertArrayEquals(smallContent, S3PositionalWriteTest.read(store, small));
    assertArrayEquals(largeContent, S3PositionalWriteTest.read(store, large));
  }

  @Test
  void aPositionalWriteIsCommittedRetainedToo() throws Exception {
    S3EvidenceStore store = store(raw);
    Instant until = inDays(30);
    ObjectKey key = ObjectKey.of("positional.mp4");
    byte[] content = bytes(2 * PART + 9, 5);
    try (WritableObject w = store.create(key)) {
      assertTrue(w.retainOnCommit(until));
      S3PositionalWriteTest.writeShuffled(w, content, 700_000, 6);
      assertEquals(until, w.commit().retainUntil().orElseThrow());
    }
    assertDataLocked(assertRecordLocked(key, until), until);
    assertArrayEquals(content, S3PositionalWriteTest.read(store, key));
    ObjectKey small = ObjectKey.of("positional-small.mp4");
    byte[] smallContent = bytes(300_000, 7);
    try (WritableObject w = store.create(small)) {
      assertTrue(w.retainOnCommit(until));
      S3PositionalWriteTest.writeShuffled(w, smallContent, 70_000, 8);
      assertEquals(until, w.commit().retainUntil().orElseThrow());
    }
    assertRecordLocked(small, until); // one part: the record is the object
    assertArrayEquals(smallContent, S3PositionalWriteTest.read(store, small));
  }

  @Test
  void aCommitThatDiesAfterItsUploadLeavesNothingVisibleAndNothingLocked() throws IOException {
    DyingS3Client dying =
        DyingS3Client.after(raw, c -> c.operation().equals("completeMultipartUpload"));
    S3EvidenceStore store = store(dying.client());
    ObjectKey key = ObjectKey.of("cam/2.mp4");
    assertThrows(
        StoreUnavailableException.class,
        () -> commitRetained(store, key, bytes(PART + 5, 7), inDays(730)));
    S3EvidenceStore survivor = store(raw);
    assertFalse(survivor.exists(key));
    assertEquals(
        new S3EvidenceStore.SweepResult(0, 1, 0),
        survivor.sweepAbandoned(Duration.ZERO),
        "the data was not locked yet: swept");
    assertEquals(List.of(), rawVersions(""), "its claim is swept too");
  }

  @Test
  void ofRetainedWritersRacingForOneKeyOneWinsAndLosersLockNothing() throws Exception {
    S3EvidenceStore store = store(raw);
    Instant until = inDays(1);
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
                  try (WritableObject w = store.create(ObjectKey.of("race.mp4"))) {
                    w.write(ByteBuffer.wrap(bytes(PART + 1000 + id, 100 + id)));
                    assertTrue(w.retainOnCommit(until));
                    start.await();
                    w.commit();
                    return id;
                  } catch (ObjectExistsException e) {
                    return -1;
                  }
                }));
      }
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
      assertArrayEquals(
          bytes(PART + 1000 + w, 100 + w),
          S3PositionalWriteTest.read(store, ObjectKey.of("race.mp4")));
      assertEquals(1, rawVersions("data/").size(), "losers' data deleted, never locked");
      assertDataLocked(assertRecordLocked(ObjectKey.of("race.mp4"), until), until);
      assertEquals(List.of(), rawVersions("claims/"));
      assertTrue(
          raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().isEmpty());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClaimThatNeverResolvesFailsTheCommitAndNothingOfItRemains() throws IOException {
    S3EvidenceStore store = store(raw);
    ObjectKey key = ObjectKey.of("claimed.mp4");
    // a writer that died a moment ago, between its claim and its record
    raw.putObject(p -> p.bucket(bucket).key(prefix + "claims/claimed.mp4"), RequestBody.empty());
    StoreUnavailableException e =
        assertThrows(
            StoreUnavailableException.class,
            () -> commitRetained(store, key, bytes(PART + 3, 8), inDays(730)));
    assertTrue(
        e.getMessage().contains("another writer has been committing claimed.mp4"), e.getMessage());
    assertFalse(store.exists(key));
    assertEquals(1, rawVersions("").size(), "only the dead writer's claim: " + rawVersions(""));
    assertTrue(raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().isEmpty());
  }
}
