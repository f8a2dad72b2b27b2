package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.evidencekit.storage.ObjectExistsException;
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
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The claims that decide, before anything is locked, which of several writers of one key commits
 * two stations, a writer without retention, a writer of an older EvidenceKit
 * that never claims, a claim released between two requests of the next claimer, a dead writer's
 * claim, many keys committed at once. The requests of the writers are put in the order that matters
 * with hooks on real clients; what the server holds afterwards is read with a plain client.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3ClaimsTest {
  private static final int PART = 5 * 1024 * 1024;

  private S3Client raw;
  private String bucket;
  private String prefix;
  private final List<S3EvidenceStore> stores = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    raw = S3TestServer.client();
    bucket = S3TestServer.bucket();
    prefix = "claims-test/" + Long.toString(System.nanoTime(), 36) + "/";
  }

  @AfterEach
  void close() {
    stores.forEach(S3EvidenceStore::close);
  }

  private S3EvidenceStore store(S3Client client, UnaryOperator<S3EvidenceStore.Builder> settings)
      throws IOException {
    S3EvidenceStore s =
        settings
            .apply(
                S3EvidenceStore.builder()
                    .client(client)
                    .bucket(bucket)
                    .prefix(prefix)
                    .partSize(PART))
            .open();
    stores.add(s);
    return s;
  }

  private S3EvidenceStore store(S3Client client) throws IOException {
    return store(client, b -> b);
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Instant inDays(int days) {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofDays(days));
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void commit(
      S3EvidenceStore store, ObjectKey key, byte[] content, Instant retainUntil)
      throws IOException {
    try (WritableObject w = store.create(key)) {
      if (retainUntil != null) {
        assertTrue(w.retainOnCommit(retainUntil));
      }
      w.write(ByteBuffer.wrap(content));
      w.commit();
    }
  }

  private List<ObjectVersion> rawVersions(String under) {
    List<ObjectVersion> out = new ArrayList<>();
    raw.listObjectVersionsPaginator(l -> l.bucket(bucket).prefix(prefix + under))
        .forEach(r -> out.addAll(r.versions()));
    return out;
  }

  private HeadObjectResponse rawHead(ObjectVersion v) {
    return raw.headObject(h -> h.bucket(bucket).key(v.key()).versionId(v.versionId()));
  }

  private boolean isRecordPut(DyingS3Client.Call c, ObjectKey key) {
    return c.operation().equals("putObject") && c.key().equals(prefix + "commits/" + key.value());
  }

  /**
   * A commit without retention, of this version, lands its record between a retained commit's claim
   * and its locked record: it claims too, so it waits for the older claim and gives up, and the
   * retained commit, having locked only what is committed, wins. It used to commit at once,
   * unclaimed, and the retained commit lost after its record was locked: a second, locked record
   * version stayed, newer than the committed one, holding the loser's bytes for the retention.
   */
  @Test
  void aWriterWithoutRetentionWaitsForAClaimInsteadOfMakingTheClaimerLoseLocked() throws Exception {
    ObjectKey key = ObjectKey.of("cam/both.mp4");
    byte[] retained = bytes(3000, 1);
    byte[] plain = bytes(2000, 2);
    Instant until = inDays(30);
    S3EvidenceStore other = store(raw, b -> b.claimWait(Duration.ofSeconds(1)));
    AtomicReference<Throwable> otherFailed = new AtomicReference<>();
    AtomicBoolean injected = new AtomicBoolean();
    DyingS3Client hooked =
        DyingS3Client.hooked(
            raw,
            c -> {
              if (isRecordPut(c, key) && injected.compareAndSet(false, true)) {
                try {
                  commit(other, key, plain, null); // the other station commits right now
                } catch (IOException | RuntimeException e) {
                  otherFailed.set(e);
                }
              }
            },
            c -> {});
    S3EvidenceStore claimer = store(hooked.client());
    commit(claimer, key, retained, until);
    assertTrue(injected.get());
    assertTrue(
        otherFailed.get() instanceof StoreUnavailableException,
        "the writer without retention waited for the claim: " + otherFailed.get());
    assertArrayEquals(retained, S3PositionalWriteTest.read(store(raw), key));
    List<ObjectVersion> records = rawVersions("commits/");
    assertEquals(1, records.size(), "no second record version: " + records);
    assertEquals(ObjectLockMode.COMPLIANCE, rawHead(records.get(0)).objectLockMode());
    assertEquals(List.of(), rawVersions("claims/"));
  }

  /**
   * Two stations retain-commit one key; the older claimer writes its record and releases its claim
   * exactly between the younger claimer's look at the records and its look at the claims. Looking
   * at the records first, the younger one then saw neither and went on: its record, locked by the
   * PUT, lost and stayed. The claims are looked at first now: a claim seen gone was released after
   * its record was written, so the records looked at next show it.
   */
  @Test
  void aClaimReleasedBetweenTheNextClaimersTwoLooksIsNotMissed() throws Exception {
    ObjectKey key = ObjectKey.of("cam/two-stations.mp4");
    Instant until = inDays(30);
    byte[] first = bytes(1500, 3);
    byte[] second = bytes(1600, 4);
    CountDownLatch firstAtRecord = new CountDownLatch(1);
    CountDownLatch secondLookedAtRecords = new CountDownLatch(1);
    CountDownLatch firstReleased = new CountDownLatch(1);
    AtomicBoolean armed = new AtomicBoolean();
    DyingS3Client firstClient =
        DyingS3Client.hooked(
            raw,
            c -> {
              if (isRecordPut(c, key)) {
                firstAtRecord.countDown();
                await(secondLookedAtRecords);
              }
            },
            c -> {
              if (c.operation().equals("deleteObject")
                  && c.key().equals(prefix + "claims/" + key.value())) {
                firstReleased.countDown();
              }
            });
    DyingS3Client secondClient =
        DyingS3Client.hooked(
            raw,
            c -> {
              if (armed.get()
                  && c.operation().equals("listObjectVersions")
                  && c.key().equals(prefix + "claims/" + key.value())
                  && secondLookedAtRecords.getCount() == 0) {
                await(firstReleased);
              }
            },
            c -> {
              if (armed.get()
                  && c.operation().equals("listObjectVersions")
                  && c.key().equals(prefix + "commits/" + key.value())) {
                secondLookedAtRecords.countDown();
              }
            });
    S3EvidenceStore firstStore = store(firstClient.client());
    S3EvidenceStore secondStore = store(secondClient.client());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (WritableObject w2 = secondStore.create(key)) {
      assertTrue(w2.retainOnCommit(until));
      w2.write(ByteBuffer.wrap(second));
      Future<?> f1 =
          pool.submit(
              () -> {
                commit(firstStore, key, first, until);
                return null;
              });
      await(firstAtRecord);
      armed.set(true);
      Future<?> f2 = pool.submit(w2::commit);
      f1.get(60, TimeUnit.SECONDS);
      Exception e = assertThrows(Exception.class, () -> f2.get(60, TimeUnit.SECONDS));
      assertTrue(e.getCause() instanceof ObjectExistsException, e.toString());
    } finally {
      pool.shutdownNow();
    }
    assertArrayEquals(first, S3PositionalWriteTest.read(store(raw), key));
    List<ObjectVersion> records = rawVersions("commits/");
    assertEquals(1, records.size(), "the second station left no locked record: " + records);
    assertEquals(List.of(), rawVersions("claims/"));
  }

  /**
   * An EvidenceKit from before claims (it commits unlocked, then sets retention) writes its record
   * right before a claimer's locked one: the claimer loses and its record version, locked by the
   * PUT, stays. Readers never take it for the object (they read the oldest version); deleting the
   * key is refused as long as it is locked, since the loser's version would then be the oldest and
   * read as the object.
   */
  @Test
  void anOlderWriterThatWinsLeavesTheLoserUnreadAndTheKeyUndeletableUntilTheLosersDate()
      throws Exception {
    ObjectKey key = ObjectKey.of("cam/older.mp4");
    byte[] olders = bytes(1200, 5);
    byte[] mine = bytes(1300, 6);
    Instant until = inDays(1);
    AtomicBoolean injected = new AtomicBoolean();
    DyingS3Client hooked =
        DyingS3Client.hooked(
            raw,
            c -> {
              if (isRecordPut(c, key) && injected.compareAndSet(false, true)) {
                putAsAnOlderVersionWould(key, olders);
              }
            },
            c -> {});
    S3EvidenceStore claimer = store(hooked.client());
    assertThrows(ObjectExistsException.class, () -> commit(claimer, key, mine, until));
    S3EvidenceStore reader = store(raw);
    assertArrayEquals(olders, S3PositionalWriteTest.read(reader, key));
    assertEquals(Optional.empty(), reader.stat(key).retainUntil(), "the older writer's object");
    assertEquals(List.of(key), reader.keys("").toList());
    List<ObjectVersion> records = rawVersions("commits/");
    assertEquals(2, records.size());
    assertEquals(ObjectLockMode.COMPLIANCE, rawHead(records.get(0)).objectLockMode());
    RetentionLockedException refused =
        assertThrows(RetentionLockedException.class, () -> reader.delete(key));
    assertTrue(refused.getMessage().contains(records.get(0).versionId()), refused.getMessage());
    assertArrayEquals(olders, S3PositionalWriteTest.read(store(raw), key), "still the object");
  }

  /** A one-part record as EvidenceKit wrote it before commits claimed their key. */
  private void putAsAnOlderVersionWould(ObjectKey key, byte[] content) {
    try {
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      raw.putObject(
          p ->
              p.bucket(bucket)
                  .key(prefix + "commits/" + key.value())
                  .metadata(
                      Map.of(
                          S3EvidenceStore.META_INLINE,
                          "true",
                          S3EvidenceStore.META_SIZE,
                          Integer.toString(content.length),
                          S3EvidenceStore.META_SHA256,
                          sha)),
          RequestBody.fromBytes(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A station commits many recordings on several threads: their claims and records go out side by
   * side. Each record PUT is held until every commit has reached its own; a lock in the store
   * around any part of the commit would keep the others from getting there.
   */
  @Test
  void commitsOfDifferentKeysClaimAndPublishSideBySide() throws Exception {
    int n = 6;
    CountDownLatch atRecord = new CountDownLatch(n);
    List<Boolean> allThere = java.util.Collections.synchronizedList(new ArrayList<>());
    DyingS3Client hooked =
        DyingS3Client.hooked(
            raw,
            c -> {
              if (c.operation().equals("putObject") && c.key().startsWith(prefix + "commits/")) {
                atRecord.countDown();
                try {
                  allThere.add(atRecord.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            c -> {});
    S3EvidenceStore store = store(hooked.client());
    Instant until = inDays(1);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int id = i;
        byte[] content = bytes(id % 2 == 0 ? 1000 + id : PART + id, 10 + id);
        fs.add(
            pool.submit(
                () -> {
                  commit(store, ObjectKey.of("rec/" + id), content, until);
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get(90, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(java.util.Collections.nCopies(n, true), allThere, "all commits at once");
    assertEquals(n, store(raw).keys("rec/").count());
    assertEquals(List.of(), rawVersions("claims/"));
  }

  /**
   * A writer that died right after its claim: with a claim lifetime of 3 s (settable on the
   * builder), a commit 4 s later passes over it; one right after a fresh claim waits its claim wait
   * (1 s), then says to try again, and nothing of it remains.
   */
  @Test
  void aDeadClaimIsPassedOverAfterTheLifetimeAndAFreshOneFailsAfterTheWait() throws Exception {
    S3EvidenceStore store =
        store(raw, b -> b.claimLifetime(Duration.ofSeconds(3)).claimWait(Duration.ofSeconds(1)));
    ObjectKey dead = ObjectKey.of("cam/dead.mp4");
    raw.putObject(p -> p.bucket(bucket).key(prefix + "claims/cam/dead.mp4"), RequestBody.empty());
    Thread.sleep(4_000); // the claim's lifetime passes on the server's clock too (same machine)
    byte[] content = bytes(PART + 17, 7);
    commit(store, dead, content, inDays(1));
    assertArrayEquals(content, S3PositionalWriteTest.read(store, dead));

    ObjectKey busy = ObjectKey.of("cam/busy.mp4");
    raw.putObject(p -> p.bucket(bucket).key(prefix + "claims/cam/busy.mp4"), RequestBody.empty());
    StoreUnavailableException e =
        assertThrows(
            StoreUnavailableException.class,
            () -> commit(store, busy, bytes(PART + 18, 8), inDays(1)));
    assertTrue(e.getMessage().contains("try again later"), e.getMessage());
    assertTrue(e.getMessage().contains("passed over after 3 s"), e.getMessage());
    assertFalse(store.exists(busy));
    assertEquals(List.of(), rawVersions("commits/cam/busy"));
    assertEquals(1, rawVersions("claims/cam/busy").size(), "only the planted claim");
    assertTrue(raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().isEmpty());
  }

  /**
   * A claimer whose requests took half its claim lifetime (2 s here; the look at the claims is held
   * 1.5 s, as a slow gateway would) gives up before locking anything: by the time its record
   * landed, another writer could have passed its claim over as a dead writer's, and both would go
   * on. Nothing of it remains.
   */
  @Test
  void aClaimerSlowerThanHalfTheLifetimeGivesUpBeforeLockingAnything() throws Exception {
    ObjectKey key = ObjectKey.of("cam/slow.mp4");
    DyingS3Client hooked =
        DyingS3Client.hooked(
            raw,
            c -> {
              if (c.operation().equals("listObjectVersions")
                  && c.key().equals(prefix + "claims/" + key.value())) {
                try {
                  Thread.sleep(1_500);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            c -> {});
    S3EvidenceStore store =
        store(
            hooked.client(), b -> b.claimLifetime(Duration.ofSeconds(2)).claimWait(Duration.ZERO));
    StoreUnavailableException e =
        assertThrows(
            StoreUnavailableException.class,
            () -> commit(store, key, bytes(PART + 19, 9), inDays(1)));
    assertTrue(e.getMessage().contains("half the claim lifetime (2 s)"), e.getMessage());
    assertEquals(List.of(), rawVersions(""), "no record, data or claim left");
    assertTrue(raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().isEmpty());
  }

  /**
   * A commit interrupted while it waits for another writer's claim (an ingest cancelled with {@code
   * Future.cancel(true)}) deletes its uploaded data, though the SDK sends nothing from an
   * interrupted thread; the interrupt is kept for the caller.
   */
  @Test
  void aCommitInterruptedWhileWaitingForAClaimLeavesNoData() throws Exception {
    ObjectKey key = ObjectKey.of("cam/cancelled.mp4");
    raw.putObject(p -> p.bucket(bucket).key(prefix + "claims/" + key.value()), RequestBody.empty());
    DyingS3Client hooked =
        DyingS3Client.hooked(
            raw,
            c -> {},
            c -> {
              if (c.operation().equals("listObjectVersions")
                  && c.key().equals(prefix + "claims/" + key.value())) {
                Thread.currentThread().interrupt(); // cancelled right now
              }
            });
    S3EvidenceStore store = store(hooked.client());
    try {
      assertThrows(IOException.class, () -> commit(store, key, bytes(PART + 20, 10), inDays(1)));
      assertTrue(Thread.interrupted(), "the interrupt is kept");
    } finally {
      Thread.interrupted();
    }
    assertEquals(List.of(), rawVersions("data/"), "the uploaded data is deleted");
    assertEquals(List.of(), rawVersions("commits/"));
    assertEquals(1, rawVersions("claims/").size(), "only the other writer's claim");
    assertTrue(raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().isEmpty());
  }
}
