package org.evidencekit.storage.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.EvidenceStoreProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Opens {@code s3:} URIs as {@link S3EvidenceStore}s:
 *
 * <pre>
 * s3://BUCKET[/PREFIX][?endpoint=URL][&amp;region=R][&amp;pathStyle=true|false][&amp;partSize=BYTES]
 *     [&amp;uploadConcurrency=N][&amp;openParts=N][&amp;claimLifetime=SECONDS][&amp;claimWait=SECONDS]
 * </pre>
 *
 * For example {@code s3://evidence/bureau-7?endpoint=http://127.0.0.1:7480} for a Ceph RGW, or
 * {@code s3://evidence-bucket/bureau-7?region=cn-north-1} for AWS. Credentials never go in the URI:
 * they come from the provider given here, else from the standard AWS chain ({@code
 * AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}, profiles, instance roles).
 */
public final class S3EvidenceStoreProvider implements EvidenceStoreProvider {
  private final AwsCredentialsProvider credentials;

  /** Credentials from the standard AWS provider chain (the form ServiceLoader needs). */
  public S3EvidenceStoreProvider() {
    this.credentials = null;
  }

  public S3EvidenceStoreProvider(AwsCredentialsProvider credentials) {
    this.credentials = requireNonNull(credentials, "credentials");
  }

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public EvidenceStore open(URI uri) throws IOException {
    return builder(uri).open();
  }

  /** The settings an {@code s3:} URI describes, to adjust before opening. */
  public S3EvidenceStore.Builder builder(URI uri) {
    requireNonNull(uri, "uri");
    if (!"s3".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not an s3: URI: " + uri);
    }
    String bucket = uri.getHost() != null ? uri.getHost() : uri.getAuthority();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("no bucket in " + uri + " (s3://BUCKET/PREFIX)");
    }
    S3EvidenceStore.Builder b = S3EvidenceStore.builder().bucket(bucket);
    if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      b.prefix(uri.getPath());
    }
    if (credentials != null) {
      b.credentials(credentials);
    }
    for (Map.Entry<String, String> q : query(uri).entrySet()) {
      String v = q.getValue();
      switch (q.getKey()) {
        case "endpoint":
          URI endpoint;
          try {
            endpoint = URI.create(v);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                "endpoint must be an http:// or https:// URL with a host, not '" + v + "'", e);
          }
          b.endpoint(endpoint);
          break;
        case "region":
          b.region(v);
          break;
        case "pathStyle":
          if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("pathStyle must be true or false: " + v);
          }
          b.pathStyle(Boolean.parseBoolean(v));
          break;
        case "uploadConcurrency":
          try {
            b.uploadConcurrency(Integer.parseInt(v));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("uploadConcurrency must be a number: " + v, e);
          }
          break;
        case "openParts":
          try {
            b.openParts(Integer.parseInt(v));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("openParts must be a number: " + v, e);
          }
          break;
        case "claimLifetime":
          b.claimLifetime(Duration.ofSeconds(seconds(q.getKey(), v)));
          break;
        case "claimWait":
          b.claimWait(Duration.ofSeconds(seconds(q.getKey(), v)));
          break;
        case "partSize":
          try {
            b.partSize(Integer.parseInt(v));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("partSize must be a number of bytes: " + v, e);
          }
          break;
        default:
          throw new IllegalArgumentException(
              "unknown s3: URI parameter '"
                  + q.getKey()
                  + "' (known: endpoint, region, pathStyle, partSize, uploadConcurrency,"
                  + " openParts, claimLifetime, claimWait)");
      }
    }
    return b;
  }

  /** A whole number of seconds ({@code claimLifetime=600}). */
  private static long seconds(String name, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number of seconds: " + v, e);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String q = uri.getRawQuery();
    if (q == null || q.isEmpty()) {
      return out;
    }
    for (String part : q.split("&")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("malformed s3: URI parameter '" + part + "' in " + uri);
      }
      String k = URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8);
      String v = URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      if (out.put(k, v) != null) {
        throw new IllegalArgumentException("s3: URI parameter '" + k + "' given twice");
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "S3EvidenceStoreProvider[" + scheme().toLowerCase(Locale.ROOT) + "]";
  }
}
