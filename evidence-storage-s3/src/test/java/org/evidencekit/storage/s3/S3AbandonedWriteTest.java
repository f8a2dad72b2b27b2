package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * A write given up by its writer (an exception, an interrupt, a close without commit) aborts its
 * multipart upload at once: right after the write fails, the server lists no upload and no data
 * nothing half-written lingers until a maintenance sweep, which is left for writers that
 * died).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3AbandonedWriteTest {
  private static final int PART = 5 * 1024 * 1024;

  private S3Client raw;
  private String bucket;
  private String prefix;
  private final List<S3EvidenceStore> stores = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    raw = S3TestServer.client();
    bucket = S3TestServer.bucket();
    prefix = "abandoned/" + Long.toString(System.nanoTime(), 36) + "/";
  }

  @AfterEach
  void close() {
    Thread.interrupted();
    stores.forEach(S3EvidenceStore::close);
  }

  private S3EvidenceStore store(S3Client client, int uploadConcurrency) throws IOException {
    S3EvidenceStore s =
        S3EvidenceStore.builder()
            .client(client)
            .bucket(bucket)
            .prefix(prefix)
            .partSize(PART)
            .uploadConcurrency(uploadConcurrency)
            .open();
    stores.add(s);
    return s;
  }

  private static ByteBuffer bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return ByteBuffer.wrap(b);
  }

  private List<MultipartUpload> uploadsLeft() {
    return raw.listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads();
  }

  private List<ObjectVersion> versionsLeft() {
    return raw.listObjectVersions(l -> l.bucket(bucket).prefix(prefix)).versions();
  }

  @Test
  void aWriterInterruptedWhileWaitingForAPartAbortsItsUpload() throws Exception {
    CountDownLatch parts = new CountDownLatch(1);
    DyingS3Client holding =
        DyingS3Client.holding(raw, c -> c.operation().equals("uploadPart"), parts);
    S3EvidenceStore store = store(holding.client(), 1);
    ObjectKey key = ObjectKey.of("interrupted.mp4");
    ByteBuffer more = bytes(PART, 2);
    Thread writer = Thread.currentThread();
    try (WritableObject w = store.create(key)) {
      w.write(bytes(2 * PART, 1)); // part 1 sent (and held back), part 2 filled
      Thread.currentThread().interrupt();
      // the parts go on once the writer has taken the interrupt and waits to give up its write
      Thread releaser =
          new Thread(
              () -> {
                while (writer.isInterrupted() || writer.getState() != Thread.State.WAITING) {
                  Thread.onSpinWait();
                }
                parts.countDown();
              });
      releaser.setDaemon(true);
      releaser.start();
      // part 2 is sent, and with one part in flight at most the writer waits for part 1
      assertThrows(InterruptedIOException.class, () -> w.write(more));
      parts.countDown();
    } finally {
      Thread.interrupted();
    }
    assertEquals(List.of(), uploadsLeft(), "the upload is aborted");
    assertEquals(List.of(), versionsLeft());
    assertFalse(store.exists(key));
  }

  @Test
  void aWriterClosedOnAnInterruptedThreadAbortsItsUpload() throws IOException {
    S3EvidenceStore store = store(raw, 2);
    ObjectKey key = ObjectKey.of("closed-interrupted.mp4");
    WritableObject w = store.create(key);
    w.write(bytes(PART + 10, 3)); // part 1 sent, 10 bytes held
    assertEquals(1, uploadsLeft().size());
    Thread.currentThread().interrupt(); // e.g. an ingest cancelled with Future.cancel(true)
    w.close();
    assertEquals(true, Thread.interrupted(), "the caller's interrupt is kept");
    assertEquals(List.of(), uploadsLeft(), "the upload is aborted");
    assertEquals(List.of(), versionsLeft());
  }

  @Test
  void aPositionalWriterClosedOnAnInterruptedThreadAbortsItsUpload() throws Exception {
    S3EvidenceStore store = store(raw, 2);
    ObjectKey key = ObjectKey.of("positional-interrupted.mp4");
    S3WritableObject w = (S3WritableObject) store.create(key);
    w.write(bytes(PART, 4), 0); // a whole part: sent at once
    w.write(bytes(10, 5), PART);
    while (w.positional().partsInFlight() > 0) {
      Thread.sleep(20); // let part 1 finish, so the close has nothing to wait for
    }
    assertEquals(1, uploadsLeft().size());
    Thread.currentThread().interrupt();
    w.close();
    assertEquals(true, Thread.interrupted(), "the caller's interrupt is kept");
    assertEquals(List.of(), uploadsLeft(), "the upload is aborted");
    assertEquals(List.of(), versionsLeft());
  }

  @Test
  void aPartTheServerNeverGotFailsTheWriteAndLeavesNoUpload() throws IOException {
    AtomicInteger parts = new AtomicInteger();
    DyingS3Client failing =
        DyingS3Client.refusing(
            raw, c -> c.operation().equals("uploadPart") && parts.incrementAndGet() == 2);
    S3EvidenceStore store = store(failing.client(), 2);
    ObjectKey key = ObjectKey.of("failed-part.mp4");
    try (WritableObject w = store.create(key)) {
      assertThrows(
          StoreUnavailableException.class,
          () -> {
            for (int i = 0; i < 6; i++) {
              w.write(bytes(PART, 10 + i));
            }
            w.commit();
          });
      // checked before close(): the writer knows at once that its write is lost
      assertEquals(List.of(), uploadsLeft(), "the upload is aborted when the write fails");
    }
    assertEquals(List.of(), versionsLeft());
    assertFalse(store.exists(key));
  }

  @Test
  void aPositionalPartTheServerNeverGotLeavesNoUploadOnceTheWriteFails() throws IOException {
    DyingS3Client failing = DyingS3Client.refusing(raw, c -> c.operation().equals("uploadPart"));
    S3EvidenceStore store = store(failing.client(), 2);
    ObjectKey key = ObjectKey.of("failed-positional.mp4");
    try (WritableObject w = store.create(key)) {
      assertThrows(
          StoreUnavailableException.class,
          () -> {
            for (int i = 0; i < 4; i++) {
              w.write(bytes(PART, 20 + i), (long) i * PART);
            }
            w.commit();
          });
      assertEquals(List.of(), uploadsLeft(), "the upload is aborted when the write fails");
    }
    assertEquals(List.of(), versionsLeft());
  }
}
