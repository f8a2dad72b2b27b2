package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Art. 19's terms are floors; the extension check is exact; absurd periods are clear errors. */
class RetentionFloorsTest {
  static String policy(String caseClasses) {
    return "{\"format\":\"evidencekit.retention-policy/1\",\"id\":\"b\",\"version\":1,"
        + "\"state\":\"active\",\"caseClasses\":{"
        + caseClasses
        + "}}";
  }

  static RetentionPolicy parse(String s) throws RetentionFormatException {
    return RetentionPolicy.parse(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aPolicyCannotShortenTheRegulationsCaseClasses() throws Exception {
    for (String bad :
        List.of(
            "\"10y\":\"P1D\"",
            "\"10y\":\"P1Y\"",
            "\"10y\":\"P9Y11M30D\"",
            "\"10y\":\"P3652D\"",
            "\"30y\":\"P29Y\"",
            "\"30y\":\"P10Y\"")) {
      RetentionFormatException x =
          assertThrows(RetentionFormatException.class, () -> parse(policy(bad)), bad);
      assertTrue(x.getMessage().contains("shorter than the regulation"), x.getMessage());
      assertTrue(x.getMessage().contains("Art. 19"), x.getMessage());
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RetentionPolicy.of(
                "b",
                1,
                RetentionPolicy.State.ACTIVE,
                RetentionPolicy.DEFAULT_ZONE,
                List.of(),
                Map.of("10y", Period.ofYears(1))));
    assertThrows(
        RetentionFormatException.class, () -> parse(policy("\"permanent\":\"P50Y\"")), "perm");
    // lengthening is fine, and so is a new class of any sane length
    RetentionPolicy p = parse(policy("\"10y\":\"P12Y\",\"5y\":\"P5Y\""));
    assertEquals(Period.ofYears(12), p.caseTerm("10y").orElseThrow());
    // 3653 days is at least 10 years from every start date (at most 3 leap days in 10 years)
    parse(policy("\"10y\":\"P3653D\""));
  }

  @Test
  void aShortenedCaseClassNeverMakesACaseRecordingDisposableEarly() throws Exception {
    RetentionFacts f =
        RetentionFacts.of(
            List.of(
                RetentionFacts.Recording.builder("R")
                    .recordingEnd(Instant.parse("2024-06-01T00:00:00Z"))
                    .addCaseId("C")
                    .build()),
            List.of(new RetentionFacts.Case("C", "10y", Instant.parse("2025-03-01T00:00:00Z"))));
    RetentionDecision d =
        RetentionEngine.decide(
            RetentionPolicy.regulationDefault(),
            f,
            RetentionHistory.empty(),
            "R",
            Instant.parse("2027-06-01T00:00:00Z"));
    assertEquals(Instant.parse("2035-03-01T16:00:00Z"), d.retainUntil().orElseThrow());
  }

  @Test
  void theExtensionCheckIsExactNotSampled() {
    // P2Y3M from 2001-11-29 ends 2004-02-29; P2Y2M29D ends 2004-02-27 + 29 days = 2004-03-...:
    // whichever way, one start date must decide, and the exact check finds it.
    assertFalse(RetentionPolicy.atLeast(Period.parse("P2Y3M"), Period.parse("P2Y2M29D")));
    assertTrue(RetentionPolicy.atLeast(Period.parse("P2Y3M"), Period.parse("P2Y2M")));
    assertTrue(RetentionPolicy.atLeast(Period.ofMonths(12), Period.ofYears(1)));
    assertFalse(RetentionPolicy.atLeast(Period.ofMonths(11), Period.ofYears(1)));
    assertFalse(RetentionPolicy.atLeast(Period.ofDays(365), Period.ofYears(1)));
  }

  /** The naive model: try every start date of a whole 400-year cycle plus some. */
  @Property(tries = 60)
  void atLeastAgreesWithEveryStartDate(
      @ForAll @IntRange(min = 0, max = 3) int y1,
      @ForAll @IntRange(min = 0, max = 13) int m1,
      @ForAll @IntRange(min = 0, max = 40) int d1,
      @ForAll @IntRange(min = 0, max = 3) int y2,
      @ForAll @IntRange(min = 0, max = 13) int m2,
      @ForAll @IntRange(min = 0, max = 40) int d2) {
    Period a = Period.of(y1, m1, d1);
    Period b = Period.of(y2, m2, d2);
    if (a.isZero() || b.isZero()) {
      return;
    }
    boolean naive = true;
    for (LocalDate s = LocalDate.of(1999, 1, 1);
        s.isBefore(LocalDate.of(2409, 1, 1));
        s = s.plusDays(1)) {
      if (RetentionEngine.end(at(s), a, RetentionPolicy.DEFAULT_ZONE)
          .isBefore(RetentionEngine.end(at(s), b, RetentionPolicy.DEFAULT_ZONE))) {
        naive = false;
        break;
      }
    }
    assertEquals(naive, RetentionPolicy.atLeast(a, b), a + " vs " + b);
  }

  static Instant at(LocalDate d) {
    return d.atStartOfDay(RetentionPolicy.DEFAULT_ZONE).plusHours(12).toInstant();
  }

  @Test
  void absurdPeriodsAreClearErrorsNamingTheRule() {
    String rule =
        "{\"format\":\"evidencekit.retention-policy/1\",\"id\":\"b\",\"version\":1,"
            + "\"state\":\"active\",\"rules\":[{\"id\":\"forever-ish\",\"anchor\":\"recordingEnd\","
            + "\"period\":\"P999999999Y\"}]}";
    RetentionFormatException x = assertThrows(RetentionFormatException.class, () -> parse(rule));
    assertTrue(x.getMessage().contains("forever-ish"), x.getMessage());
    assertTrue(x.getMessage().contains("permanent"), x.getMessage());
    RetentionFormatException y =
        assertThrows(
            RetentionFormatException.class, () -> parse(policy("\"big\":\"P99999999999999Y\"")));
    assertTrue(y.getMessage().contains("case class big"), y.getMessage());
    assertThrows(RetentionFormatException.class, () -> parse(rule.replace("P999999999Y", "P-2Y")));
  }
}
