package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The builder refuses what it would otherwise silently drop: a setting made twice, or a client of
 * the caller's together with endpoint, region or credentials it would ignore; a missing bucket is
 * named.
 */
class S3BuilderTest {
  @Test
  void aSettingTwiceFails() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> S3EvidenceStore.builder().bucket("a").region("eu-west-1").region("us-east-1"));
    assertEquals("region is already set on this S3EvidenceStore.Builder", e.getMessage());
    assertThrows(
        IllegalStateException.class, () -> S3EvidenceStore.builder().bucket("a").bucket("b"));
  }

  @Test
  void aClientOfYourOwnConflictsWithWhatItWouldIgnore() {
    try (S3Client client = S3Client.builder().region(Region.US_EAST_1).build()) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  S3EvidenceStore.builder()
                      .endpoint(URI.create("http://rgw:7480"))
                      .credentials("k", "s")
                      .client(client));
      assertTrue(
          e.getMessage().startsWith("client() conflicts with credentials, endpoint"),
          e.getMessage());
      assertThrows(
          IllegalStateException.class,
          () -> S3EvidenceStore.builder().client(client).region("eu-west-1"));
      // settings of the store itself go with a client
      S3EvidenceStore.builder().client(client).bucket("b").prefix("p").partSize(8 << 20);
    }
  }

  @Test
  void aMissingBucketIsNamed() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> S3EvidenceStore.builder().open());
    assertTrue(e.getMessage().startsWith("bucket is required"), e.getMessage());
  }
}
