package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
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
  void openPartsIsBoundedAndSetOnce() {
    assertThrows(IllegalArgumentException.class, () -> S3EvidenceStore.builder().openParts(1));
    assertThrows(IllegalArgumentException.class, () -> S3EvidenceStore.builder().openParts(10_001));
    S3EvidenceStore.Builder b = S3EvidenceStore.builder().bucket("a").openParts(2);
    assertTrue(b.toString().contains("openParts=2,"), b.toString());
    assertThrows(IllegalStateException.class, () -> b.openParts(3));
  }

  /**
   * The claim lifetime and wait are bounded (1 s to 1 day; 0 to 1 hour), and a wait of half the
   * lifetime or more is refused at open: a commit must go on before half its claim's lifetime.
   */
  @Test
  void claimLifetimeAndWaitAreBounded() {
    assertThrows(
        IllegalArgumentException.class,
        () -> S3EvidenceStore.builder().claimLifetime(Duration.ofMillis(999)));
    assertThrows(
        IllegalArgumentException.class,
        () -> S3EvidenceStore.builder().claimLifetime(Duration.ofDays(1).plusSeconds(1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> S3EvidenceStore.builder().claimWait(Duration.ofSeconds(-1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> S3EvidenceStore.builder().claimWait(Duration.ofHours(1).plusSeconds(1)));
    S3EvidenceStore.Builder b =
        S3EvidenceStore.builder()
            .bucket("a")
            .claimLifetime(Duration.ofSeconds(60))
            .claimWait(Duration.ofSeconds(30));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::open);
    assertEquals(
        "claim wait (30 s) must be less than half the claim lifetime (60 s)", e.getMessage());
    assertTrue(b.toString().endsWith("claimLifetime=60s, claimWait=30s)"), b.toString());
    assertThrows(IllegalStateException.class, () -> b.claimWait(Duration.ZERO));
  }

  @Test
  void aMissingBucketIsNamed() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> S3EvidenceStore.builder().open());
    assertTrue(e.getMessage().startsWith("bucket is required"), e.getMessage());
  }

  /**
   * A given client brings its own endpoint, region and credentials: setting them too is refused.
   */
  @Test
  void aGivenClientAndItsOwnSettingsConflict() throws Exception {
    try (var client =
        S3EvidenceStore.builder()
            .bucket("unused")
            .endpoint(java.net.URI.create("http://127.0.0.1:1"))
            .credentials("a", "b")
            .buildClient()) {
      for (String setting : new String[] {"endpoint", "region", "credentials"}) {
        S3EvidenceStore.Builder b = S3EvidenceStore.builder().bucket("b").client(client);
        switch (setting) {
          case "endpoint" -> b.endpoint(java.net.URI.create("http://127.0.0.1:2"));
          case "region" -> b.region("eu-west-1");
          default -> b.credentials("c", "d");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, b::open);
        assertTrue(e.getMessage().contains(setting), e.getMessage());
      }
    }
  }

  /**
   * No credentials anywhere: the SDK's message lists every provider of its chain with its reason
   * (seen from the CLI as a paragraph on one line); the store says what is missing instead.
   */
  @Test
  void missingCredentialsAreSaidInOneSentence() {
    String sdk =
        "Unable to load credentials from any of the providers in the chain"
            + " AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
            + " EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider()]) :"
            + " [SystemPropertyCredentialsProvider(): Unable to load credentials from system settings."
            + " Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or"
            + " system property (aws.accessKeyId).]";
    java.io.IOException e =
        S3Errors.map(
            software.amazon.awssdk.core.exception.SdkClientException.create(sdk),
            "read the Object Lock configuration of bucket b");
    assertTrue(e instanceof org.evidencekit.storage.StoreUnavailableException, e.toString());
    assertTrue(e.getMessage().contains("no S3 credentials"), e.getMessage());
    assertTrue(e.getMessage().contains("AWS_ACCESS_KEY_ID"), e.getMessage());
    assertTrue(!e.getMessage().contains("ProviderChain"), e.getMessage());
    assertEquals(sdk, e.getCause().getMessage(), "the SDK's own text stays in the cause");
  }
}
