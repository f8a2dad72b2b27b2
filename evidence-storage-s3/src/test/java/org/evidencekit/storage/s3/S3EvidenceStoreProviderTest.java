package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.evidencekit.storage.EvidenceStores;
import org.evidencekit.storage.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** URI parsing and errors that need no server. */
class S3EvidenceStoreProviderTest {
  private final S3EvidenceStoreProvider provider =
      new S3EvidenceStoreProvider(
          StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));

  @Test
  void theProviderIsFoundByServiceLoader() {
    EvidenceStores stores =
        EvidenceStores.builder().discover(S3EvidenceStoreProvider.class.getClassLoader()).build();
    assertTrue(stores.schemes().contains("s3"), stores.schemes().toString());
  }

  @Test
  void aUriNamesBucketPrefixAndSettings() {
    S3EvidenceStore.Builder b =
        provider.builder(
            URI.create(
                "s3://evidence/bureau-7/cams?endpoint=http://127.0.0.1:7480&partSize=6291456"
                    + "&uploadConcurrency=4&openParts=5&claimLifetime=120&claimWait=10"));
    assertEquals(
        "s3://evidence/bureau-7/cams/ (endpoint=http://127.0.0.1:7480, region=us-east-1,"
            + " pathStyle=true, partSize=6291456, uploadConcurrency=4, openParts=5,"
            + " claimLifetime=120s, claimWait=10s)",
        b.toString());
    assertEquals(
        "s3://evidence/ (endpoint=aws, region=cn-north-1, pathStyle=false, partSize=8388608,"
            + " uploadConcurrency=2, openParts=32, claimLifetime=600s, claimWait=30s)",
        provider.builder(URI.create("s3://evidence?region=cn-north-1")).toString());
  }

  @Test
  void badUrisAreRefusedWithTheReason() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> provider.builder(URI.create("s3:///x")))
            .getMessage()
            .contains("no bucket"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> provider.builder(URI.create("s3://b/p?colour=red")))
            .getMessage()
            .contains("unknown s3: URI parameter 'colour'"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> provider.builder(URI.create("s3://b/p?partSize=1024")))
            .getMessage()
            .contains("5 MiB"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> provider.builder(URI.create("s3://b/p?pathStyle=yes")))
            .getMessage()
            .contains("true or false"));
    assertThrows(
        IllegalArgumentException.class, () -> provider.builder(URI.create("file:///tmp/x")));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> provider.builder(URI.create("s3://b/p?claimLifetime=10m")))
            .getMessage()
            .contains("claimLifetime must be a whole number of seconds"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> provider.builder(URI.create("s3://b/p?claimWait=-1")))
            .getMessage()
            .contains("claim wait must be 0 to 1 hour"));
    // an empty or scheme-less endpoint used to reach the SDK and fail there with an NPE
    for (String endpoint : new String[] {"", "127.0.0.1:7480", "ftp://h:21", "http:///x"}) {
      String uri = "s3://b/p?endpoint=" + endpoint;
      assertTrue(
          assertThrows(IllegalArgumentException.class, () -> provider.builder(URI.create(uri)))
              .getMessage()
              .contains("endpoint must be an http:// or https:// URL"),
          uri);
    }
  }

  @Test
  void anUnreachableServerIsStoreUnavailableNotAHang() {
    S3EvidenceStore.Builder b =
        provider
            .builder(URI.create("s3://evidence?endpoint=http://127.0.0.1:1"))
            .socketTimeout(Duration.ofSeconds(5));
    StoreUnavailableException e = assertThrows(StoreUnavailableException.class, b::open);
    assertTrue(e.getMessage().contains("cannot be reached"), e.getMessage());
  }
}
