package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class LedgerEntryBuilderTest {
  private static final Instant T = Instant.parse("2026-03-01T01:00:00Z");
  private static final String SHA = "ab".repeat(32);

  private static LedgerEntry.Builder full() {
    return LedgerEntry.builder()
        .type(EntryType.EXPORTED)
        .time(T)
        .actor("clerk-2")
        .subject("CAM-7/rec1.mp4")
        .payloadDigest(SHA)
        .details(Map.of("to", "court-7", "reason", "appeal"));
  }

  @Test
  void theCanonicalFormIsWhatTheLogHasAlwaysCommittedTo() throws LedgerException {
    // the bytes are written out by hand from the fields, keys in RFC 8785 order
    String expected =
        "{\"actor\":\"clerk-2\",\"details\":{\"reason\":\"appeal\",\"to\":\"court-7\"},"
            + "\"payloadDigest\":\""
            + SHA
            + "\",\"subject\":\"CAM-7/rec1.mp4\",\"time\":\"2026-03-01T01:00:00Z\","
            + "\"type\":\"exported\"}";
    LedgerEntry e = full().build();
    assertEquals(expected, new String(e.canonical(), StandardCharsets.UTF_8));
    assertEquals(e, LedgerEntry.parse(expected.getBytes(StandardCharsets.UTF_8)));
    LedgerEntry bare = LedgerEntry.builder().type("viewed").time(T).actor("a").subject("s").build();
    assertArrayEquals(
        "{\"actor\":\"a\",\"details\":{},\"subject\":\"s\",\"time\":\"2026-03-01T01:00:00Z\",\"type\":\"viewed\"}"
            .getBytes(StandardCharsets.UTF_8),
        bare.canonical());
    assertTrue(bare.payloadDigest().isEmpty());
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    Map<String, UnaryOperator<LedgerEntry.Builder>> without =
        Map.of(
            "type", b -> b.time(T).actor("a").subject("s"),
            "time", b -> b.type("viewed").actor("a").subject("s"),
            "actor", b -> b.type("viewed").time(T).subject("s"),
            "subject", b -> b.type("viewed").time(T).actor("a"));
    without.forEach(
        (field, fill) -> {
          IllegalStateException e =
              assertThrows(
                  IllegalStateException.class, () -> fill.apply(LedgerEntry.builder()).build());
          assertEquals("a ledger entry needs a " + field, e.getMessage());
        });
  }

  @Test
  void everySettingIsMadeOnce() {
    List<UnaryOperator<LedgerEntry.Builder>> again =
        List.of(
            b -> b.type("viewed"),
            b -> b.time(T),
            b -> b.actor("x"),
            b -> b.subject("x"),
            b -> b.payloadDigest(SHA),
            b -> b.details(Map.of()));
    List<String> names = List.of("type", "time", "actor", "subject", "payloadDigest", "details");
    for (int i = 0; i < again.size(); i++) {
      UnaryOperator<LedgerEntry.Builder> op = again.get(i);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> op.apply(full()));
      assertEquals(names.get(i) + " was already set", e.getMessage());
    }
  }

  @Test
  void badValuesAreRefusedWhereTheyAreGiven() {
    assertThrows(IllegalArgumentException.class, () -> LedgerEntry.builder().type(" "));
    assertThrows(IllegalArgumentException.class, () -> LedgerEntry.builder().actor(""));
    assertThrows(IllegalArgumentException.class, () -> LedgerEntry.builder().payloadDigest("AB"));
    assertThrows(NullPointerException.class, () -> LedgerEntry.builder().subject(null));
  }
}
