package org.evidencekit.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The fast codec is the JDK's, on every instant and every string (the JDK is the model). */
class InstantsTest {
  @Provide
  Arbitrary<Instant> instants() {
    Arbitrary<Long> seconds =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-62_167_219_200L, 400_000_000_000L), // years 0 to 14645
            Arbitraries.longs().between(0, 4_102_444_800L), // 1970 to 2100
            Arbitraries.of(0L, 951_782_400L, 951_868_799L, 253_402_300_799L, 253_402_300_800L));
    Arbitrary<Integer> nanos =
        Arbitraries.oneOf(
            Arbitraries.of(0, 1, 999_999_999, 1_000_000, 1_000, 500_000_000),
            Arbitraries.integers().between(0, 999).map(n -> n * 1_000_000),
            Arbitraries.integers().between(0, 999_999).map(n -> n * 1_000),
            Arbitraries.integers().between(0, 999_999_999));
    return Combinators.combine(seconds, nanos).as(Instant::ofEpochSecond);
  }

  @Property(tries = 3000)
  void formatIsInstantToString(@ForAll("instants") Instant t) {
    assertEquals(t.toString(), Instants.format(t));
    assertEquals(t, Instants.parse(t.toString()));
  }

  /** Strings one edit away from plain ones: parsed as the JDK parses them, refused alike. */
  @Property(tries = 3000)
  void parseIsInstantParse(
      @ForAll("instants") Instant t,
      @ForAll @IntRange(min = 0, max = 29) int at,
      @ForAll @IntRange(min = 0, max = 14) int what) {
    String s = t.toString();
    StringBuilder b = new StringBuilder(s);
    int i = Math.min(at, s.length() - 1);
    char[] edits = {'0', '9', '5', '3', '1', '2', 'x', '-', ':', '.', 'T', 'Z', '+', ' ', '6'};
    if (what == 14 && i < b.length()) {
      b.deleteCharAt(i);
    } else {
      b.setCharAt(i, edits[what]);
    }
    String edited = b.toString();
    Instant expected;
    try {
      expected = Instant.parse(edited);
    } catch (DateTimeParseException e) {
      assertThrows(DateTimeParseException.class, () -> Instants.parse(edited), edited);
      return;
    }
    assertEquals(expected, Instants.parse(edited), edited);
  }

  /**
   * Strings up to three edits away from plain ones, lower-case separators and offsets among the
   * edits: where the JDK reads them, the same instant; where it refuses, refused.
   */
  @Property(tries = 3000)
  void parseIsInstantParseAfterSeveralEdits(
      @ForAll("instants") Instant t,
      @ForAll @IntRange(min = 0, max = 31) int at1,
      @ForAll @IntRange(min = 0, max = 19) int what1,
      @ForAll @IntRange(min = 0, max = 31) int at2,
      @ForAll @IntRange(min = 0, max = 19) int what2,
      @ForAll @IntRange(min = 0, max = 31) int at3,
      @ForAll @IntRange(min = 0, max = 19) int what3) {
    String[] edits = {
      "0", "9", "5", "3", "1", "2", "x", "-", ":", ".", "T", "Z", "+", " ", "6", "t", "z", "",
      "+01:00", "00"
    };
    StringBuilder b = new StringBuilder(t.toString());
    int[][] steps = {{at1, what1}, {at2, what2}, {at3, what3}};
    for (int[] step : steps) {
      int i = Math.min(step[0], b.length() - 1);
      String e = edits[step[1]];
      if (e.length() == 2) {
        b.insert(i, e); // one character more or less moves every field after it
      } else {
        b.replace(i, i + 1, e);
      }
    }
    String edited = b.toString();
    Instant expected;
    try {
      expected = Instant.parse(edited);
    } catch (DateTimeParseException e) {
      assertThrows(DateTimeParseException.class, () -> Instants.parse(edited), edited);
      return;
    }
    assertEquals(expected, Instants.parse(edited), edited);
  }

  @Test
  void knownValues() {
    assertEquals("1970-01-01T00:00:00Z", Instants.format(Instant.EPOCH));
    assertEquals(
        "2024-02-29T23:59:59.123Z", Instants.format(Instant.parse("2024-02-29T23:59:59.123Z")));
    assertEquals(
        Instant.parse("2000-02-29T12:00:00.000000001Z"),
        Instants.parse("2000-02-29T12:00:00.000000001Z"));
    assertThrows(DateTimeParseException.class, () -> Instants.parse("2023-02-29T00:00:00Z"));
    assertThrows(DateTimeParseException.class, () -> Instants.parse("2023-13-01T00:00:00Z"));
    assertEquals(
        Instant.parse("2023-01-01T24:00:00Z"),
        Instants.parse("2023-01-01T24:00:00Z"),
        "the JDK reads 24:00 as the next midnight; so do we");
    assertEquals(Instant.parse("1969-12-31T23:59:59Z"), Instants.parse("1969-12-31T23:59:59Z"));
    for (String odd :
        List.of(
            "2023-06-01t16:00:00z",
            "2023-06-01T16:00:00+08:00",
            "2016-12-31T23:59:60Z",
            "2023-06-01T16:00:00.Z",
            "2023-06-01T16:00:00.0000000001Z",
            "2023-06-01T16:00Z",
            "+2023-06-01T16:00:00Z",
            "９９９９-01-01T00:00:00Z",
            "2023-06-01T16:00:00.１Z")) {
      Instant expected;
      try {
        expected = Instant.parse(odd);
      } catch (DateTimeParseException e) {
        assertThrows(DateTimeParseException.class, () -> Instants.parse(odd), odd);
        continue;
      }
      assertEquals(expected, Instants.parse(odd), odd);
    }
  }
}
