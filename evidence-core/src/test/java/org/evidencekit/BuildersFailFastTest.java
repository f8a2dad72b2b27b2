package org.evidencekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.trust.TrustPolicy;
import org.junit.jupiter.api.Test;

/**
 * Every builder of the library refuses a setting made twice (the first value would be silently
 * lost) and names a missing required field instead of failing with a bare NullPointerException.
 * ({@code Sealer}, {@code Verifier}, {@code EnforcementAction}, {@code LedgerEntry}, the
 * disposition builders and the S3 store have their own tests.)
 */
class BuildersFailFastTest {
  private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

  private static <B> void refusesEachRepeat(
      B builder, Map<String, UnaryOperator<B>> settings, String builderName) {
    settings.forEach(
        (name, set) -> {
          set.apply(builder);
          IllegalStateException e =
              assertThrows(IllegalStateException.class, () -> set.apply(builder), name);
          assertTrue(e.getMessage().startsWith(name + " "), builderName + ": " + e.getMessage());
        });
  }

  @Test
  void recordingSpan() {
    refusesEachRepeat(
        RecordingSpan.builder("r1"),
        Map.ofEntries(
            Map.entry("deviceId", b -> b.deviceId("D")),
            Map.entry("officerId", b -> b.officerId("o")),
            Map.entry("sequence", b -> b.sequence(1)),
            Map.entry("start", b -> b.start(T)),
            Map.entry("end", b -> b.end(T.plusSeconds(60))),
            Map.entry("clockOffset", b -> b.clockOffset(Duration.ZERO)),
            Map.entry("ingestTime", b -> b.ingestTime(T)),
            Map.entry("partyInformedAt", b -> b.partyInformedAt(T)),
            Map.entry("partyInformedBy", b -> b.partyInformedBy("o")),
            Map.entry("locked", b -> b.locked(true))),
        "RecordingSpan");
    for (String missing : List.of("deviceId", "start", "end")) {
      RecordingSpan.Builder b = RecordingSpan.builder("r1");
      if (!missing.equals("deviceId")) {
        b.deviceId("D");
      }
      if (!missing.equals("start")) {
        b.start(T);
      }
      if (!missing.equals("end")) {
        b.end(T.plusSeconds(60));
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
      assertEquals("recording r1 needs a " + missing, e.getMessage());
    }
    // a copy's values may each be replaced once
    RecordingSpan s =
        RecordingSpan.builder("r1").deviceId("D").start(T).end(T.plusSeconds(60)).build();
    assertEquals("E", s.toBuilder().deviceId("E").build().deviceId());
  }

  @Test
  void recordingMetadata() {
    refusesEachRepeat(
        RecordingMetadata.builder(),
        Map.ofEntries(
            Map.entry("deviceId", b -> b.deviceId("D")),
            Map.entry("officerId", b -> b.officerId("o")),
            Map.entry("recordingStart", b -> b.recordingStart(T)),
            Map.entry("recordingEnd", b -> b.recordingEnd(T)),
            Map.entry("clockOffsetMillis", b -> b.clockOffsetMillis(5)),
            Map.entry("mediaType", b -> b.mediaType("video/mp4")),
            Map.entry("originalFileName", b -> b.originalFileName("a.mp4")),
            Map.entry("ingestTime", b -> b.ingestTime(T)),
            Map.entry("previousSealDigest", b -> b.previousSealDigest("a".repeat(64)))),
        "RecordingMetadata");
  }

  @Test
  void trustPolicy() throws Exception {
    TrustAnchors signer =
        TrustAnchors.ofPublicKeys(
            List.of(SigningKeys.generate(SignatureSuite.ED25519).publicKeyDer()));
    refusesEachRepeat(
        TrustPolicy.builder(),
        Map.ofEntries(
            Map.entry("signers", b -> b.signers(signer)),
            Map.entry("timestampAuthorities", b -> b.timestampAuthorities(TrustAnchors.none())),
            Map.entry("requireTimestamp", b -> b.requireTimestamp(false)),
            Map.entry("clock", b -> b.clock(Clock.systemUTC())),
            Map.entry("clockSkew", b -> b.clockSkew(Duration.ofMinutes(1))),
            Map.entry("maxTimestampDelay", b -> b.maxTimestampDelay(Duration.ofHours(1)))),
        "TrustPolicy");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> TrustPolicy.builder().build());
    assertTrue(e.getMessage().contains("signers"), e.getMessage());
  }

  /**
   * A value the builder refuses is not a setting: the caller who corrects it must not be told it
   * was already set (a negative clock skew once counted as set, R-05).
   */
  @Test
  void trustPolicyRefusedValuesDoNotCountAsSet() throws Exception {
    TrustAnchors signer =
        TrustAnchors.ofPublicKeys(
            List.of(SigningKeys.generate(SignatureSuite.ED25519).publicKeyDer()));
    TrustPolicy.Builder b = TrustPolicy.builder();
    assertThrows(IllegalArgumentException.class, () -> b.clockSkew(Duration.ofMinutes(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.maxTimestampDelay(Duration.ofHours(-1)));
    assertThrows(NullPointerException.class, () -> b.signers(null));
    assertThrows(NullPointerException.class, () -> b.timestampAuthorities(null));
    assertThrows(NullPointerException.class, () -> b.clock(null));
    TrustPolicy p =
        b.clockSkew(Duration.ofSeconds(30))
            .maxTimestampDelay(Duration.ofHours(1))
            .signers(signer)
            .timestampAuthorities(TrustAnchors.none())
            .clock(Clock.fixed(T, ZoneOffset.UTC))
            .build();
    assertEquals(Duration.ofSeconds(30), p.clockSkew());
    assertEquals(Duration.ofHours(1), p.maxTimestampDelay());
    assertEquals(T, p.clock().instant());
  }

  /**
   * A clock skew of any size was taken, and verification then overflowed at {@code
   * ingest.minus(skew)} (ArithmeticException) instead of the setting being refused; the bound is a
   * day (session 15, R-05).
   */
  @Test
  void trustPolicyRefusesAClockSkewOfMoreThanADay() throws Exception {
    for (Duration d :
        List.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofDays(1).plusNanos(1))) {
      TrustPolicy.Builder b = TrustPolicy.builder();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> b.clockSkew(d), d.toString());
      assertTrue(e.getMessage().contains("is more than a day"), e.getMessage());
    }
    assertEquals(
        Duration.ofDays(1),
        TrustPolicy.builder()
            .clockSkew(Duration.ofDays(1))
            .signers(
                TrustAnchors.ofPublicKeys(
                    List.of(SigningKeys.generate(SignatureSuite.ED25519).publicKeyDer())))
            .build()
            .clockSkew());
  }

  @Test
  void retentionFactsRecording() {
    refusesEachRepeat(
        RetentionFacts.Recording.builder("R"),
        Map.ofEntries(
            Map.entry("recordingEnd", b -> b.recordingEnd(T)),
            Map.entry("ingestTime", b -> b.ingestTime(T)),
            Map.entry("mediaType", b -> b.mediaType("video/mp4")),
            Map.entry("deviceType", b -> b.deviceType("bodycam")),
            Map.entry("objectKey", b -> b.objectKey("k")),
            Map.entry("sealRoot", b -> b.sealRoot("ab")),
            Map.entry("custodian", b -> b.custodian("records"))),
        "RetentionFacts.Recording");
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> RetentionFacts.Recording.builder("R").build());
    assertEquals("recording R needs a recordingEnd", e.getMessage());
    RetentionFacts.Recording r = RetentionFacts.Recording.builder("R").recordingEnd(T).build();
    assertEquals(
        T.plusSeconds(1), r.toBuilder().recordingEnd(T.plusSeconds(1)).build().recordingEnd());
  }
}
