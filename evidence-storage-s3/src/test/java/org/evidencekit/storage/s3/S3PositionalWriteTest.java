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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Positional writes against a real S3 server: bytes arriving at positions from several
 * threads are gathered into multipart parts uploaded as they fill; an object of at most one part is
 * one PUT; holes and overlaps are refused; an abort leaves no object, data or upload; the parts
 * open at once stay bounded.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3PositionalWriteTest {
  static final int PART = 5 * 1024 * 1024;

  private S3Client raw;
  private String bucket;
  private String prefix;
  private S3EvidenceStore store;

  @BeforeEach
  void open() throws IOException {
    raw = S3TestServer.client();
    bucket = S3TestServer.bucket();
    prefix = "positional/" + Long.toString(System.nanoTime(), 36) + "/";
    store = S3TestServer.builder().bucket(bucket).prefix(prefix).partSize(PART).open();
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static byte[] read(S3EvidenceStore store, ObjectKey key) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SeekableByteChannel ch = store.openRead(key)) {
      ByteBuffer b = ByteBuffer.allocate(256 * 1024);
      while (ch.read(b.clear()) >= 0) {
        out.write(b.array(), 0, b.position());
      }
    }
    return out.toByteArray();
  }

  /** Writes {@code content} in stretches of {@code stretch} bytes, shuffled, from 4 threads. */
  static void writeShuffled(WritableObject w, byte[] content, int stretch, long seed)
      throws Exception {
    List<Integer> starts = new ArrayList<>();
    for (int at = 0; at < content.length; at += stretch) {
      starts.add(at);
    }
    Collections.shuffle(starts, new Random(seed));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int at : starts) {
        int n = Math.min(stretch, content.length - at);
        done.add(pool.submit(() -> w.write(ByteBuffer.wrap(content, at, n), at)));
      }
      long total = 0;
      for (Future<Integer> f : done) {
        total += f.get();
      }
      assertEquals(content.length, total);
    } finally {
      pool.shutdownNow();
    }
  }

  private Map<String, String> recordMetadata(String key) {
    HeadObjectResponse h = raw.headObject(x -> x.bucket(bucket).key(prefix + "commits/" + key));
    return h.metadata();
  }

  private int uploadsLeft() {
    return raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads().size();
  }

  private int dataVersions() {
    return raw.listObjectVersions(l -> l.bucket(bucket).prefix(prefix + "data/")).versions().size();
  }

  @Test
  void partsArrivingOutOfOrderFromFourThreadsMakeAMultipartObjectWithAShortLastPart()
      throws Exception {
    byte[] content = bytes(3 * PART + 123_457, 1); // three full parts and a short one
    ObjectKey key = ObjectKey.of("cam/several-parts.mp4");
    ObjectInfo info;
    try (WritableObject w = store.create(key)) {
      assertTrue(w.supportsPositionalWrites());
      writeShuffled(w, content, 100_003, 2); // stretches straddle part boundaries
      assertFalse(store.exists(key));
      info = w.commit();
    }
    assertEquals(content.length, info.size());
    assertTrue(info.sha256().isEmpty(), "no whole-object digest over bytes out of order");
    assertArrayEquals(content, read(store, key));
    assertEquals(content.length, store.stat(key).size());
    Map<String, String> meta = recordMetadata(key.value());
    assertTrue(meta.containsKey(S3EvidenceStore.META_DATA_KEY), "multipart: " + meta);
    assertEquals(S3EvidenceStore.NO_DIGEST, meta.get(S3EvidenceStore.META_SHA256));
    assertEquals(0, uploadsLeft());
  }

  @Test
  void anObjectOfExactlyOnePartIsOnePutIntoItsRecord() throws Exception {
    byte[] content = bytes(PART, 3);
    ObjectKey key = ObjectKey.of("one-part");
    try (WritableObject w = store.create(key)) {
      writeShuffled(w, content, 262_144, 4);
      assertEquals(PART, w.commit().size());
    }
    assertArrayEquals(content, read(store, key));
    assertEquals("true", recordMetadata(key.value()).get(S3EvidenceStore.META_INLINE));
    assertEquals(0, dataVersions(), "no data object, no upload started");
    assertEquals(0, uploadsLeft());
  }

  @Test
  void oneByteMoreThanAPartIsTwoParts() throws Exception {
    byte[] content = bytes(PART + 1, 5);
    ObjectKey key = ObjectKey.of("two-parts");
    try (WritableObject w = store.create(key)) {
      w.write(ByteBuffer.wrap(content, 0, PART), 0); // part 0 complete, the object's end unknown
      w.write(ByteBuffer.wrap(content, PART, 1), PART);
      w.commit();
    }
    assertArrayEquals(content, read(store, key));
    assertTrue(recordMetadata(key.value()).containsKey(S3EvidenceStore.META_DATA_KEY));
  }

  @Test
  void aZeroLengthObject() throws IOException {
    ObjectKey key = ObjectKey.of("empty");
    try (WritableObject w = store.create(key)) {
      assertEquals(0, w.write(ByteBuffer.allocate(0), 0));
      // even a write of nothing makes the object positional
      assertThrows(IllegalStateException.class, () -> w.write(ByteBuffer.allocate(1)));
      assertEquals(0, w.commit().size());
    }
    assertArrayEquals(new byte[0], read(store, key));
  }

  @Test
  void aHoleInOnePartIsRefusedAtCommit() throws IOException {
    ObjectKey key = ObjectKey.of("hole-small");
    try (WritableObject w = store.create(key)) {
      w.write(ByteBuffer.wrap(bytes(1000, 6)), 0);
      w.write(ByteBuffer.wrap(bytes(1000, 7)), 2000);
      IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
      assertTrue(e.getMessage().contains("[1000, 2000)"), e.getMessage());
    }
    assertFalse(store.exists(key));
  }

  @Test
  void aMissingPartIsRefusedAtCommitAndLeavesNoUpload() throws IOException {
    ObjectKey key = ObjectKey.of("hole-part");
    try (WritableObject w = store.create(key)) {
      w.write(ByteBuffer.wrap(bytes(PART, 8)), 0);
      w.write(ByteBuffer.wrap(bytes(PART, 9)), 2L * PART); // parts 0 and 2 go up; 1 never written
      w.write(ByteBuffer.wrap(bytes(10, 10)), 3L * PART);
      IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
      assertTrue(e.getMessage().contains("[" + PART + ", " + 2 * PART + ")"), e.getMessage());
    }
    assertFalse(store.exists(key));
    assertEquals(0, uploadsLeft());
    assertEquals(0, dataVersions());
  }

  @Test
  void anOverlappingWriteIsRefusedAndChangesNothing() throws IOException {
    ObjectKey key = ObjectKey.of("overlap");
    byte[] content = bytes(300, 11);
    try (WritableObject w = store.create(key)) {
      w.write(ByteBuffer.wrap(content, 0, 100), 0);
      w.write(ByteBuffer.wrap(content, 200, 100), 200);
      assertThrows(
          IllegalArgumentException.class, () -> w.write(ByteBuffer.wrap(bytes(100, 12)), 50));
      assertThrows(
          IllegalArgumentException.class, () -> w.write(ByteBuffer.wrap(bytes(120, 13)), 90));
      assertThrows(
          IllegalArgumentException.class, () -> w.write(ByteBuffer.wrap(content, 0, 100), 0));
      w.write(ByteBuffer.wrap(content, 100, 100), 100);
      w.commit();
    }
    assertArrayEquals(content, read(store, key));
  }

  @Test
  void anAbortAfterPartsWentUpLeavesNoObjectDataOrUpload() throws Exception {
    ObjectKey key = ObjectKey.of("aborted");
    byte[] content = bytes(3 * PART + 10, 14);
    try (WritableObject w = store.create(key)) {
      writeShuffled(w, java.util.Arrays.copyOf(content, 3 * PART), 500_000, 15);
      w.write(ByteBuffer.wrap(content, 3 * PART, 10), 3L * PART); // parts 0-2 are uploading
      w.abort();
      assertThrows(
          java.nio.channels.ClosedChannelException.class, () -> w.write(ByteBuffer.allocate(1), 0));
    }
    assertFalse(store.exists(key));
    assertEquals(0, uploadsLeft(), "the multipart upload is aborted");
    assertEquals(0, dataVersions());
  }

  @Test
  void closingWithoutCommitAborts() throws IOException {
    ObjectKey key = ObjectKey.of("closed");
    try (WritableObject w = store.create(key)) {
      w.write(ByteBuffer.wrap(bytes(2 * PART + 5, 16)), 0);
    }
    assertFalse(store.exists(key));
    assertEquals(0, uploadsLeft());
  }

  /**
   * With {@code openParts(2)}, a write three parts past the lowest part still missing bytes waits
   * until the parts below fill; the parts open at once never exceed the bound plus those in flight.
   */
  @Test
  void aWriteTooFarAheadWaitsForTheLowestPart() throws Exception {
    try (S3EvidenceStore bounded =
        S3TestServer.builder()
            .bucket(bucket)
            .prefix(prefix + "bounded")
            .partSize(PART)
            .openParts(2)
            .open()) {
      ObjectKey key = ObjectKey.of("window");
      byte[] content = bytes(3 * PART + 1000, 17);
      ExecutorService ahead = Executors.newSingleThreadExecutor();
      try (S3WritableObject w = (S3WritableObject) bounded.create(key)) {
        Future<Integer> far =
            ahead.submit(() -> w.write(ByteBuffer.wrap(content, 3 * PART, 1000), 3L * PART));
        while (w.positional().waitingWriters() == 0) {
          assertFalse(far.isDone(), "the far write must wait, not return or fail");
          Thread.sleep(5);
        }
        w.write(ByteBuffer.wrap(content, 0, PART), 0);
        w.write(ByteBuffer.wrap(content, PART, PART), PART);
        assertEquals(1000, far.get()); // let in once the lowest missing part is part 2
        w.write(ByteBuffer.wrap(content, 2 * PART, PART), 2L * PART);
        w.commit();
        int peak = w.positional().peakOpenParts();
        assertTrue(peak <= 2 + 2, "open parts at once: " + peak);
      } finally {
        ahead.shutdownNow();
      }
      assertArrayEquals(content, read(bounded, key));
    }
  }

  @Test
  void aWriteThatWaitsWithoutProgressFailsInsteadOfHanging() throws IOException {
    S3PositionalUpload u =
        new S3PositionalUpload(
            store,
            ObjectKey.of("stall"),
            store.newDataKey(),
            Map.of(),
            PART,
            2,
            2,
            TimeUnit.MILLISECONDS.toNanos(200));
    try {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> u.write(ByteBuffer.wrap(bytes(10, 18)), 5L * PART));
      assertTrue(e.getMessage().contains("bytes at 0"), e.getMessage());
      u.write(ByteBuffer.wrap(bytes(10, 19)), 0); // nothing was reserved by the refused write
    } finally {
      u.abort();
    }
    assertEquals(0, uploadsLeft());
  }
}
