package org.evidencekit.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.evidencekit.storage.s3.S3EvidenceStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The RGW the integration tests use ({@code S3_ENDPOINT}, {@code S3_ACCESS_KEY}, {@code
 * S3_SECRET_KEY}; skipped without it), through one client per test JVM whose {@link
 * ExecutionInterceptor} counts every request sent by operation (each page of a listing, each retry
 * attempt). A {@code GetObject} whose response carries bytes is counted as {@code GetObject}, one
 * with an empty body (a commit record that points at its data) as {@code GetObject(record)}: the
 * first are the reads, everything else is what reading costs beyond them. Executors of a local[N]
 * session share the client.
 */
final class CountingS3 {
  static final String READ = "GetObject";
  private static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();
  private static S3Client client;
  private static String bucket;

  private CountingS3() {}

  static void assumeServer() {
    String e = System.getenv("S3_ENDPOINT");
    assumeTrue(e != null && !e.isBlank(), "S3_ENDPOINT is not set: S3 integration tests skipped");
  }

  /** Counts by operation name; a failed attempt is counted too (it was sent). */
  private static final class Counter implements ExecutionInterceptor {
    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      SdkResponse r = context.response();
      if (r instanceof GetObjectResponse g
          && (g.contentLength() == null || g.contentLength() == 0)) {
        op = READ + "(record)";
      }
      count(op);
    }

    @Override
    public void onExecutionFailure(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      count(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + "(failed)");
    }

    private static void count(String op) {
      CALLS.computeIfAbsent(op, n -> new AtomicLong()).incrementAndGet();
    }
  }

  /**
   * A client configured as {@code S3EvidenceStore.Builder} configures its own, plus the counter.
   */
  static synchronized S3Client client() {
    if (client == null) {
      client =
          S3Client.builder()
              .endpointOverride(URI.create(System.getenv("S3_ENDPOINT")))
              .region(Region.US_EAST_1)
              .forcePathStyle(true)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(
                          System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"))))
              .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
              .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
              .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
              .overrideConfiguration(o -> o.addExecutionInterceptor(new Counter()))
              .build();
    }
    return client;
  }

  static synchronized String bucket() throws IOException {
    if (bucket == null) {
      String name =
          "evidencekit-spark-"
              + Long.toString(System.nanoTime() & 0xffffffffffL, 36).toLowerCase(Locale.ROOT);
      S3EvidenceStore.createLockedBucket(client(), name);
      bucket = name;
    }
    return bucket;
  }

  /** A store under {@code prefix} of the shared bucket, on the counting client. */
  static S3EvidenceStore open(String prefix) throws IOException {
    return S3EvidenceStore.builder().client(client()).bucket(bucket()).prefix(prefix).open();
  }

  static void reset() {
    CALLS.clear();
  }

  /** Requests since the last reset, by operation. */
  static Map<String, Long> calls() {
    Map<String, Long> out = new TreeMap<>();
    CALLS.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  static long total(Map<String, Long> calls) {
    return calls.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Requests that were not reads of object bytes. */
  static long beyondReads(Map<String, Long> calls) {
    return total(calls) - calls.getOrDefault(READ, 0L);
  }
}
