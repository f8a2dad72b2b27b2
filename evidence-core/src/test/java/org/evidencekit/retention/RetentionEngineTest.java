package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each rule by hand, with the zone and leap-day boundaries (R-16, Art. 19). */
class RetentionEngineTest {
  static final RetentionPolicy REG = RetentionPolicy.regulationDefault();

  static RetentionFacts.Recording.Builder rec(String id, String end) {
    return RetentionFacts.Recording.builder(id).recordingEnd(Instant.parse(end));
  }

  static RetentionDecision decide(RetentionPolicy p, RetentionFacts f, String id, String at) {
    return RetentionEngine.decide(p, f, RetentionHistory.empty(), id, Instant.parse(at));
  }

  static RetentionFacts facts(RetentionFacts.Recording r, RetentionFacts.Case... cases) {
    return RetentionFacts.of(List.of(r), List.of(cases));
  }

  @Test
  void twoYearsFromTheEndThroughTheLastShanghaiDay() {
    // ended 14:10 in Shanghai on 2024-06-01: kept through 2026-06-01 Shanghai time
    RetentionFacts f = facts(rec("r", "2024-06-01T06:10:00Z").build());
    RetentionDecision before = decide(REG, f, "r", "2026-06-01T15:59:59Z");
    assertFalse(before.disposable());
    assertEquals(RetentionStatus.RETAINED, before.status());
    assertEquals(Instant.parse("2026-06-01T16:00:00Z"), before.retainUntil().orElseThrow());
    assertTrue(decide(REG, f, "r", "2026-06-01T16:00:00Z").disposable());
    assertTrue(before.derivation().get(0).startsWith(RetentionPolicy.FLOOR_MINIMUM));
  }

  @Test
  void theLocalDateCountsNotTheUtcDate() {
    // 2024-06-01T17:30Z is already 2 June 01:30 in Shanghai
    RetentionFacts f = facts(rec("r", "2024-06-01T17:30:00Z").build());
    RetentionDecision d = decide(REG, f, "r", "2026-06-02T10:00:00Z");
    assertEquals(Instant.parse("2026-06-02T16:00:00Z"), d.retainUntil().orElseThrow());
    assertFalse(d.disposable(), "kept through 2 June 2026 in Shanghai, until 16:00Z");
    // the same instant under a UTC policy ends a day earlier by the calendar
    RetentionPolicy utc =
        RetentionPolicy.of(
            "utc", 1, RetentionPolicy.State.ACTIVE, ZoneId.of("UTC"), List.of(), Map.of());
    assertEquals(
        Instant.parse("2026-06-02T00:00:00Z"),
        decide(utc, f, "r", "2026-01-01T00:00:00Z").retainUntil().get());
  }

  @Test
  void aLeapDayAnchorEndsOnTheFirstOfMarchNeverADayEarly() {
    RetentionFacts f = facts(rec("r", "2024-02-29T04:00:00Z").build());
    assertEquals(
        Instant.parse("2026-03-01T16:00:00Z"),
        decide(REG, f, "r", "2025-01-01T00:00:00Z").retainUntil().orElseThrow());
    assertEquals(
        Instant.parse("2028-02-29T16:00:00Z"),
        RetentionEngine.end(
            Instant.parse("2024-02-29T04:00:00Z"), Period.ofYears(4), ZoneId.of("Asia/Shanghai")),
        "a leap year four years on has its own 29 February");
  }

  @Test
  void anOpenCaseHoldsTheRecordingPastTwoYears() {
    RetentionFacts f =
        facts(
            rec("r", "2024-06-01T06:10:00Z").addCaseId("ZZ-1").build(),
            new RetentionFacts.Case("ZZ-1", "10y", null));
    RetentionDecision d = decide(REG, f, "r", "2030-01-01T00:00:00Z");
    assertEquals(RetentionStatus.OPEN, d.status());
    assertFalse(d.disposable());
    assertTrue(d.retainUntil().isEmpty());
    assertTrue(d.openEvents().get(0).contains("ZZ-1"));
  }

  @Test
  void anArchivedCaseKeepsItsTermFromArchiving() {
    RetentionFacts f =
        facts(
            rec("r", "2024-06-01T06:10:00Z").addCaseId("ZZ-1").build(),
            new RetentionFacts.Case("ZZ-1", "30y", Instant.parse("2025-01-10T02:00:00Z")));
    RetentionDecision d = decide(REG, f, "r", "2030-01-01T00:00:00Z");
    assertEquals(Instant.parse("2055-01-10T16:00:00Z"), d.retainUntil().orElseThrow());
  }

  @Test
  void permanentCasesArePermanent() {
    RetentionFacts f =
        facts(
            rec("r", "2024-06-01T06:10:00Z").addCaseId("ZZ-9").build(),
            new RetentionFacts.Case("ZZ-9", "permanent", Instant.parse("2025-01-10T02:00:00Z")));
    RetentionDecision d = decide(REG, f, "r", "2099-01-01T00:00:00Z");
    assertEquals(RetentionStatus.PERMANENT, d.status());
    assertFalse(d.disposable());
  }

  @Test
  void aCaseClassWithoutATermIsKeptPermanentlyRatherThanGuessed() {
    RetentionFacts f =
        facts(
            rec("r", "2024-06-01T06:10:00Z").addCaseId("ZZ-2").build(),
            new RetentionFacts.Case(
                "ZZ-2", "15y-local-rule", Instant.parse("2025-01-10T02:00:00Z")));
    assertTrue(decide(REG, f, "r", "2099-01-01T00:00:00Z").permanent());
  }

  @Test
  void theLongestMatchingRuleWins() {
    RetentionPolicy p =
        RetentionPolicy.of(
            "bureau",
            1,
            RetentionPolicy.State.ACTIVE,
            RetentionPolicy.DEFAULT_ZONE,
            List.of(
                RetentionRule.of(
                    "video-5y",
                    "video 5 years",
                    Map.of("mediaType", "video/"),
                    RetentionRule.Anchor.RECORDING_END,
                    Period.ofYears(5)),
                RetentionRule.of(
                    "audio-3y",
                    "audio",
                    Map.of("mediaType", "audio/"),
                    RetentionRule.Anchor.RECORDING_END,
                    Period.ofYears(3)),
                RetentionRule.of(
                    "hearing-ingest-6y",
                    "hearings from ingest",
                    Map.of("actionType", "hearing"),
                    RetentionRule.Anchor.INGEST,
                    Period.ofYears(6))),
            RetentionPolicy.defaultCaseTerms());
    RetentionFacts f =
        RetentionFacts.of(
            List.of(
                rec("v", "2024-06-01T06:10:00Z").mediaType("video/mp4").build(),
                rec("h", "2024-06-01T06:10:00Z")
                    .mediaType("video/mp4")
                    .addActionType("hearing")
                    .ingestTime(Instant.parse("2024-06-03T01:00:00Z"))
                    .build(),
                rec("n", "2024-06-01T06:10:00Z")
                    .mediaType("video/mp4")
                    .addActionType("hearing")
                    .build()),
            List.of());
    assertEquals(
        Instant.parse("2029-06-01T16:00:00Z"),
        decide(p, f, "v", "2025-01-01T00:00:00Z").retainUntil().get());
    assertEquals(
        Instant.parse("2030-06-03T16:00:00Z"),
        decide(p, f, "h", "2025-01-01T00:00:00Z").retainUntil().get());
    RetentionDecision notIngested = decide(p, f, "n", "2040-01-01T00:00:00Z");
    assertEquals(
        RetentionStatus.OPEN, notIngested.status(), "an ingest-anchored rule holds until ingest");
  }

  @Test
  void holdsBlockDisposalUntilAllAreReleased() {
    RetentionFacts.Hold legal =
        new RetentionFacts.Hold(
            "h1",
            "legal",
            "appeal pending",
            "legal-office",
            Instant.parse("2025-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"));
    RetentionFacts.Hold check =
        new RetentionFacts.Hold(
            "h2",
            "spot-check",
            "Art. 20 sample",
            "supervisor-7",
            Instant.parse("2026-05-01T00:00:00Z"),
            null);
    RetentionFacts f =
        facts(rec("r", "2024-06-01T06:10:00Z").addHold(legal).addHold(check).build());
    RetentionDecision d = decide(REG, f, "r", "2026-12-01T00:00:00Z");
    assertEquals(RetentionStatus.HELD, d.status());
    assertEquals(2, d.holdsInForce().size());
    RetentionDecision later = decide(REG, f, "r", "2028-01-01T00:00:00Z");
    assertEquals(
        List.of("h2"), later.holdsInForce().stream().map(RetentionFacts.Hold::id).toList());
    assertFalse(later.disposable());
  }

  @Test
  void retentionNeverShortensWhateverTheFactsBecome() throws Exception {
    RetentionFacts linked =
        facts(
            rec("r", "2024-06-01T06:10:00Z").addCaseId("ZZ-1").build(),
            new RetentionFacts.Case("ZZ-1", "10y", Instant.parse("2025-01-10T02:00:00Z")));
    RetentionDecision first = decide(REG, linked, "r", "2026-01-01T00:00:00Z");
    RetentionHistory h = RetentionHistory.empty().record(first);
    // someone unlinks the case: the recording would fall back to two years
    RetentionFacts unlinked = facts(rec("r", "2024-06-01T06:10:00Z").build());
    RetentionDecision again =
        RetentionEngine.decide(REG, unlinked, h, "r", Instant.parse("2030-01-01T00:00:00Z"));
    assertEquals(first.retainUntil(), again.retainUntil());
    assertTrue(again.shorteningRefused());
    assertFalse(again.disposable());
    // and the history survives storage
    assertEquals(
        h.mark("r").get().until(), RetentionHistory.parse(h.toJson()).mark("r").get().until());
  }

  @Test
  void theStoredObjectsHistoryCountsWhenTheFactsNameTheRecordingOtherwise() {
    // The ingest station decides under the object key: ingested 2026-12-07 11:38 Shanghai, so
    // kept two years through 2028-12-07 and disposable from 2028-12-08 00:00 Shanghai.
    String key = "DEVCAM8/2024-01-01/DEVCAM8_20240101_100001_001.mp4";
    RetentionDecision atIngest =
        decide(
            REG,
            facts(rec(key, "2026-12-07T03:38:26Z").objectKey(key).build()),
            key,
            "2026-12-07T03:38:26Z");
    RetentionHistory h = RetentionHistory.empty().record(atIngest);
    // The officer's facts name it DEVCAM8-0001; recorded 2024-01-01, two years alone end 2026.
    RetentionFacts f = facts(rec("DEVCAM8-0001", "2024-01-01T02:00:01Z").objectKey(key).build());
    RetentionDecision d =
        RetentionEngine.decide(REG, f, h, "DEVCAM8-0001", Instant.parse("2027-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2028-12-07T16:00:00Z"), d.retainUntil().orElseThrow());
    assertFalse(d.disposable());
    assertTrue(d.shorteningRefused());
    assertTrue(
        d.derivation().stream().anyMatch(l -> l.contains("of its object " + key)),
        d.derivation().toString());
  }

  @Test
  void sameInputsSameDecision() {
    RetentionFacts f = facts(rec("r", "2024-06-01T06:10:00Z").build());
    RetentionDecision a = decide(REG, f, "r", "2025-01-01T00:00:00Z");
    RetentionDecision b = decide(REG, f, "r", "2025-01-01T00:00:00Z");
    assertEquals(a.derivation(), b.derivation());
    assertEquals(a.retainUntil(), b.retainUntil());
  }
}
