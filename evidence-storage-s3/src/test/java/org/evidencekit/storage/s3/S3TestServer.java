package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real S3 server the integration tests run against: {@code S3_ENDPOINT}, {@code S3_ACCESS_KEY},
 * {@code S3_SECRET_KEY} (set by {@code .ci/run}, which starts a Ceph RGW with {@code
 * scripts/rgw-start.sh}). Without {@code S3_ENDPOINT} every S3 test is skipped, and reported as
 * skipped. One Object Lock bucket per test JVM; each test works under its own prefix.
 */
final class S3TestServer {
  private static S3Client client;
  private static String bucket;

  private S3TestServer() {}

  static String endpoint() {
    String e = System.getenv("S3_ENDPOINT");
    assumeTrue(e != null && !e.isBlank(), "S3_ENDPOINT is not set: S3 integration tests skipped");
    return e;
  }

  static S3EvidenceStore.Builder builder() {
    return S3EvidenceStore.builder()
        .endpoint(URI.create(endpoint()))
        .credentials(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"));
  }

  /** A raw client, to act on the bucket around the store (as an administrator could). */
  static synchronized S3Client client() {
    if (client == null) {
      client = builder().bucket("unused").buildClient();
    }
    return client;
  }

  /** The shared Object Lock bucket, created on first use. */
  static synchronized String bucket() throws IOException {
    if (bucket == null) {
      String name =
          "evidencekit-test-"
              + Long.toString(System.nanoTime() & 0xffffffffffL, 36).toLowerCase(Locale.ROOT);
      S3EvidenceStore.createLockedBucket(client(), name);
      bucket = name;
    }
    return bucket;
  }

  /** A store over the shared bucket under {@code prefix}. */
  static S3EvidenceStore open(String prefix) throws IOException {
    return builder().bucket(bucket()).prefix(prefix).open();
  }
}
