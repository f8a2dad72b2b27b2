package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.s3.S3EvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ingest into a real S3 server (Ceph RGW, started by .ci/run) goes through positional writes (R-04,
 * the hash workers store each stretch they read as multipart parts, and what is stored is
 * exactly the source and verifies against the logged seal, for a recording of several parts with a
 * short last one, one of exactly one part and a small one.
 */
class S3IngestTest {
  private static final int PART = 5 * 1024 * 1024;

  @TempDir Path dir;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void recordingsOfSeveralPartsGoInWholeThroughPositionalWrites() throws Exception {
    ingestIntoS3(null);
  }

  /**
   * Encrypted at rest the same way: the hash workers encrypt what they read and send it as
   * parts; each stored ciphertext decrypts to its source and verifies against its seal.
   */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void encryptedRecordingsGoInWholeThroughPositionalWrites() throws Exception {
    ingestIntoS3(AesKeyEncryptionKey.generate("kek-s3"));
  }

  private void ingestIntoS3(AesKeyEncryptionKey kek) throws Exception {
    String endpoint = System.getenv("S3_ENDPOINT");
    assumeTrue(endpoint != null && !endpoint.isBlank(), "S3_ENDPOINT is not set: skipped");
    String bucket =
        "evidencekit-ingest-"
            + Long.toString(System.nanoTime() & 0xffffffffL, 36).toLowerCase(Locale.ROOT);
    S3EvidenceStore.Builder b =
        S3EvidenceStore.builder()
            .bucket(bucket)
            .prefix("bureau-7")
            .partSize(PART)
            .endpoint(URI.create(endpoint))
            .credentials(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"));
    try (S3Client client = b.buildClient()) {
      // versioned (the store needs it) but without Object Lock: the test can clean up
      client.createBucket(c -> c.bucket(bucket));
      client.putBucketVersioning(
          v -> v.bucket(bucket).versioningConfiguration(c -> c.status("Enabled")));
      Map<String, Path> files =
          ArchiveChecks.randomFiles(dir.resolve("card"), 25, 3 * PART + 777_777, PART, 300_001);
      try (EvidenceStore store = b.open()) {
        IngestRequest.Builder request = IngestRequest.builder("DEVCAM7", "police-0042");
        files.values().forEach(request::add);
        IngestStation.Builder station = IngestStation.builder().store(store);
        if (kek != null) {
          station.encryption(AeadSuite.AES_256_GCM, kek);
        }
        IngestResult result = station.build().ingest(request.build());
        assertEquals(
            3,
            result.count(IngestStatus.INGESTED),
            () ->
                result.recordings().stream()
                    .map(r -> r.status() + " " + r.findings())
                    .toList()
                    .toString());
        if (kek == null) {
          ArchiveChecks.assertArchiveHolds(store, ArchiveChecks.contents(files));
        } else {
          Map<String, byte[]> bytes = ArchiveChecks.contents(files);
          for (IngestedRecording r : result.recordings()) {
            try (SeekableByteChannel ch = store.openRead(ObjectKey.of(r.key().orElseThrow()))) {
              assertTrue(EncryptedRecording.looksEncrypted(ch), r.key().get());
              ch.position(0);
              EncryptedRecording e =
                  EncryptedRecording.open(ch, r.seal().orElseThrow(), List.of(kek));
              byte[] plain = Channels.newInputStream(e.newPlaintextChannel()).readAllBytes();
              assertArrayEquals(bytes.get(r.source().name()), plain, r.key().get());
            }
          }
        }
        for (IngestedRecording r : result.recordings()) {
          // the store keeps no digest of content written at positions: the seal is its proof
          assertTrue(
              store.stat(ObjectKey.of(r.key().orElseThrow())).sha256().isEmpty(),
              r.key()
                  + " was not written at positions: "
                  + store.stat(ObjectKey.of(r.key().orElseThrow()))
                  + " "
                  + r.findings());
        }
        assertEquals(
            0,
            client.listMultipartUploads(l -> l.bucket(bucket)).uploads().size(),
            "no upload left behind");
        for (String k : Fixtures.keys(store)) {
          store.delete(ObjectKey.of(k)); // frees the test server's RAM-backed OSD
        }
      }
    }
  }
}
