package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The builder refuses a setting made twice (it would silently drop one); a missing bucket is named.
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
  void aMissingBucketIsNamed() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> S3EvidenceStore.builder().open());
    assertTrue(e.getMessage().startsWith("bucket is required"), e.getMessage());
  }
}
