package org.evidencekit.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.evidencekit.storage.s3.S3EvidenceStore;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The RGW the integration tests use ({@code S3_ENDPOINT}, {@code S3_ACCESS_KEY}, {@code
 * S3_SECRET_KEY}; skipped without it), through one client per test JVM that counts every S3 request
 * by operation, pages of listings included. Executors of a local[N] session share it.
 */
final class CountingS3 {
  private static final Map<String, AtomicLong> CALLS = new ConcurrentHashMap<>();
  private static S3Client client;
  private static String bucket;

  private CountingS3() {}

  static void assumeServer() {
    String e = System.getenv("S3_ENDPOINT");
    assumeTrue(e != null && !e.isBlank(), "S3_ENDPOINT is not set: S3 integration tests skipped");
  }

  private static S3EvidenceStore.Builder builder() {
    return S3EvidenceStore.builder()
        .endpoint(URI.create(System.getenv("S3_ENDPOINT")))
        .credentials(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"));
  }

  static synchronized S3Client client() {
    if (client == null) {
      S3Client real = builder().bucket("unused").buildClient();
      InvocationHandler h =
          (proxy, m, args) -> {
            boolean forwards =
                m.getName().endsWith("Paginator")
                    || (m.getParameterCount() > 0 && m.getParameterTypes()[0] == Consumer.class);
            if (m.isDefault() && forwards) {
              // paginators and consumer-builder forms come back through the proxy
              return InvocationHandler.invokeDefault(proxy, m, args);
            }
            if (!m.getName().equals("close") && !m.getName().equals("serviceName")) {
              CALLS.computeIfAbsent(m.getName(), n -> new AtomicLong()).incrementAndGet();
            }
            try {
              return m.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          };
      client =
          (S3Client)
              Proxy.newProxyInstance(
                  S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, h);
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
}
