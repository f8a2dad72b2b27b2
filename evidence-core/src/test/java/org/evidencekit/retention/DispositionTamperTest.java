package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Approvals and registers: every flipped bit is refused; hostile documents fail fast. */
class DispositionTamperTest {
  static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");
  static final SigningKeys.LocalSigningKey KEY = SigningKeys.generate(SignatureSuite.ED25519);
  static final TrustAnchors TRUST = trust();

  static TrustAnchors trust() {
    try {
      return TrustAnchors.ofPublicKeys(List.of(KEY.publicKeyDer()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static DestructionRegister register() throws Exception {
    return DestructionRegister.sign(
        "ab".repeat(32),
        1,
        "planner",
        List.of("ro-2 (k2)", "ro-3 (k3)"),
        "ro-4",
        T0,
        List.of(
            new DestructionRegister.Item(
                "A", "rec/A.mp4", DestructionRegister.Outcome.DISPOSED, "cd".repeat(32), ""),
            new DestructionRegister.Item(
                "B", "rec/B.mp4", DestructionRegister.Outcome.KEPT, null, "HELD")),
        KEY);
  }

  static DispositionApproval approval() throws Exception {
    DispositionApproval.Builder b =
        DispositionApproval.builder()
            .planDigest("ab".repeat(32))
            .approver("ro-2")
            .key(KEY)
            .expiresAt(T0.plus(Duration.ofDays(7)))
            .exclude("C", "press inquiry");
    b.check();
    return DispositionApproval.sign(b, T0);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyFlippedBitOfARegisterIsRefusedOrFailsItsSignature() throws Exception {
    DestructionRegister reg = register();
    assertTrue(reg.verify(TRUST));
    byte[] json = reg.toJson();
    assertEquals(reg.digest(), DestructionRegister.parse(json).digest());
    int caught = 0;
    for (int i = 0; i < json.length; i++) {
      byte[] t = json.clone();
      t[i] ^= 0x01;
      try {
        DestructionRegister p = DestructionRegister.parse(t);
        assertFalse(p.verify(TRUST), "byte " + i + " " + new String(t, StandardCharsets.UTF_8));
      } catch (RetentionFormatException e) {
        caught++;
      }
    }
    assertTrue(caught > 0);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void everyFlippedBitOfAnApprovalIsRefusedOrFailsItsSignature() throws Exception {
    DispositionApproval a = approval();
    assertTrue(a.verify(TRUST));
    byte[] json = a.toJson();
    assertTrue(DispositionApproval.parse(json).verify(TRUST));
    for (int i = 0; i < json.length; i++) {
      byte[] t = json.clone();
      t[i] ^= 0x01;
      try {
        assertFalse(DispositionApproval.parse(t).verify(TRUST), "byte " + i);
      } catch (RetentionFormatException expected) {
        // refused as malformed
      }
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void hostileDocumentsAreRefusedQuickly() {
    List<String> hostile =
        List.of(
            "",
            "null",
            "[]",
            "[".repeat(100_000),
            "{\"format\":\"evidencekit.destruction-register/1\",\"x\":1}",
            "{\"format\":\"evidencekit.disposition-approval/1\",\"planDigest\":1}",
            "{\"a\":\"" + "\\u0000".repeat(10_000) + "\"}");
    for (String h : hostile) {
      byte[] b = h.getBytes(StandardCharsets.UTF_8);
      assertThrows(RetentionFormatException.class, () -> DestructionRegister.parse(b));
      assertThrows(RetentionFormatException.class, () -> DispositionApproval.parse(b));
      assertThrows(RetentionFormatException.class, () -> RetentionFacts.parse(b));
      assertThrows(RetentionFormatException.class, () -> RetentionPolicy.parse(b));
    }
  }

  @Test
  void aRegisterDatedPastAnyCalendarIsRefusedNotPrintedIntoAnException() throws Exception {
    // a planted register dated in the year 999,999,999: parsed, it made toText throw
    // DateTimeException while putting the time into Asia/Shanghai
    String json = new String(register().toJson(), StandardCharsets.UTF_8);
    String far =
        json.replaceFirst(
            "\"executedAt\":\"[^\"]*\"", "\"executedAt\":\"+999999999-12-31T23:59:59Z\"");
    assertFalse(far.equals(json));
    RetentionFormatException e =
        assertThrows(
            RetentionFormatException.class,
            () -> DestructionRegister.parse(far.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("executedAt"), e.getMessage());
  }

  @Test
  void approvalsAndTombstonesDatedPastAnyCalendarAreRefusedWhenRead() throws Exception {
    // as a register, a planted approval or tombstone dated in the year 999,999,999 (or
    // before 1900) is refused when read, naming the member, not carried on into later arithmetic
    String approval = new String(approval().toJson(), StandardCharsets.UTF_8);
    for (String member : List.of("approvedAt", "expiresAt")) {
      String far =
          approval.replaceFirst(
              "\"" + member + "\":\"[^\"]*\"", "\"" + member + "\":\"+999999999-12-31T23:59:59Z\"");
      assertFalse(far.equals(approval), member);
      RetentionFormatException e =
          assertThrows(
              RetentionFormatException.class,
              () -> DispositionApproval.parse(far.getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().contains(member), e.getMessage());
    }
    // and none is made that could not be read back
    IllegalArgumentException made =
        assertThrows(
            IllegalArgumentException.class,
            () -> DispositionApproval.builder().expiresAt(Instant.parse("+10000-01-01T00:00:00Z")));
    assertTrue(made.getMessage().contains("9999"), made.getMessage());
    Tombstone t =
        new Tombstone(
            "C",
            "CAM-1/c.mp4",
            Tombstone.State.DISPOSED,
            T0,
            "ab".repeat(32),
            "ro-3",
            null,
            null,
            "period over");
    String json = new String(t.toJson(), StandardCharsets.UTF_8);
    assertEquals(T0, Tombstone.parse(json.getBytes(StandardCharsets.UTF_8)).at());
    for (String when : List.of("+999999999-12-31T23:59:59Z", "1200-01-01T00:00:00Z")) {
      String bad = json.replaceFirst("\"at\":\"[^\"]*\"", "\"at\":\"" + when + "\"");
      assertFalse(bad.equals(json), when);
      RetentionFormatException e =
          assertThrows(
              RetentionFormatException.class,
              () -> Tombstone.parse(bad.getBytes(StandardCharsets.UTF_8)));
      assertTrue(e.getMessage().contains("'at'"), e.getMessage());
    }
  }

  static String sha256Hex(String s) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
