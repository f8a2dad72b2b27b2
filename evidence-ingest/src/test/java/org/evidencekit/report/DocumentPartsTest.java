package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The small parts every document is made of: ticks, durations, CSV cells, localized text. */
class DocumentPartsTest {
  private static final Labels EN = Labels.of(Locale.ENGLISH);
  private static final Labels ZH = Labels.of(Locale.SIMPLIFIED_CHINESE);

  /** Zones without daylight saving, so local multiples of a step stay multiples all day. */
  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZoneId.of("Asia/Shanghai"), ZoneId.of("UTC"), ZoneId.of("Asia/Kolkata"));
  }

  @Property(tries = 300)
  void ticksFallOnRoundLocalTimesInsideTheWindow(
      @ForAll @LongRange(min = 946_684_800L, max = 2_208_988_800L) long fromSecond,
      @ForAll @LongRange(min = 0, max = 999) long fromMillis,
      @ForAll @LongRange(min = 1_000, max = 400L * 86_400_000) long spanMillis,
      @ForAll("zones") ZoneId zone) {
    Instant from = Instant.ofEpochSecond(fromSecond).plusMillis(fromMillis);
    Instant to = from.plusMillis(spanMillis);
    long step = TimeAxis.step(from, to, 4);
    List<Instant> ticks = TimeAxis.ticks(from, to, zone, step);
    // naive model: every whole local second in the window that is a multiple of the step
    long expected = spanMillis / 1000 / step;
    if (spanMillis >= 4000) {
      assertTrue(ticks.size() >= 4, ticks + " step " + step);
    }
    assertTrue(ticks.size() >= Math.min(expected, 400) - 1, ticks.size() + " < " + expected);
    Instant last = null;
    for (Instant t : ticks) {
      assertTrue(!t.isBefore(from) && !t.isAfter(to), t + " outside " + from + ".." + to);
      assertTrue(last == null || t.isAfter(last));
      last = t;
      LocalTime lt = t.atZone(zone).toLocalTime();
      assertEquals(0, t.getNano());
      if (step < 86_400) {
        assertEquals(0, lt.toSecondOfDay() % step, t + " is not on a multiple of " + step);
      } else {
        assertEquals(LocalTime.MIDNIGHT, lt, t + " is not a local midnight");
      }
    }
  }

  @Test
  void aTwelveSecondSessionIsTickedEveryTwoSeconds() {
    Instant from = Instant.parse("2023-06-01T14:09:59.700Z");
    Instant to = Instant.parse("2023-06-01T14:10:12.300Z");
    long step = TimeAxis.step(from, to, 4);
    assertEquals(2, step);
    List<String> shown = new ArrayList<>();
    TimeAxis.ticks(from, to, ZoneId.of("Asia/Shanghai"), step)
        .forEach(t -> shown.add(t.atZone(ZoneId.of("Asia/Shanghai")).toLocalTime().toString()));
    assertEquals(
        List.of("22:10", "22:10:02", "22:10:04", "22:10:06", "22:10:08", "22:10:10", "22:10:12"),
        shown);
  }

  @Test
  void durationsReadAsPeopleSayThem() {
    assertEquals("3 y 6 mo", HumanDurations.human(Duration.ofMinutes(30805 * 60 + 50), EN));
    assertEquals("2 d 3 h", HumanDurations.human(Duration.ofHours(51), EN));
    assertEquals("4 h 9 min", HumanDurations.human(Duration.ofMinutes(249), EN));
    assertEquals("2 min 5 s", HumanDurations.human(Duration.ofSeconds(125), EN));
    assertEquals("3 s", HumanDurations.human(Duration.ofSeconds(3), EN));
    assertEquals("2.9 s", HumanDurations.human(Duration.ofMillis(2_940), EN));
    assertEquals("1 y", HumanDurations.human(Duration.ofDays(365), EN));
    assertEquals("2天3小时", HumanDurations.human(Duration.ofHours(51), ZH));
    assertEquals("3年6个月", HumanDurations.human(Duration.ofMinutes(30805 * 60 + 50), ZH));
  }

  @Test
  void csvCellsAreQuotedAndFormulasDefused() {
    assertEquals("plain", RecordSheet.csvCell("plain"));
    assertEquals("\"a,b\"", RecordSheet.csvCell("a,b"));
    assertEquals("\"say \"\"hi\"\"\"", RecordSheet.csvCell("say \"hi\""));
    assertEquals("'=SUM(A1)", RecordSheet.csvCell("=SUM(A1)"));
    assertEquals("'@cmd", RecordSheet.csvCell("@cmd"));
    assertEquals("'-2+3", RecordSheet.csvCell("-2+3"));
    assertEquals("-12.5", RecordSheet.csvCell("-12.5"));
    assertEquals("'\tx", RecordSheet.csvCell("\tx"));
  }

  @Property(tries = 500)
  void aCsvCellReadsBackAsItsValueWithFormulasDefused(@ForAll String value) {
    String parsed = readCell(RecordSheet.csvCell(value));
    boolean formula =
        !value.isEmpty()
            && "=+-@\t\r".indexOf(value.charAt(0)) >= 0
            && !value.matches("-?[0-9]+(\\.[0-9]+)?");
    assertEquals(formula ? "'" + value : value, parsed);
  }

  /** A naive RFC 4180 reader of one cell: the whole text must be one field. */
  private static String readCell(String cell) {
    if (!cell.startsWith("\"")) {
      assertTrue(cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0);
      return cell;
    }
    assertTrue(cell.endsWith("\"") && cell.length() >= 2);
    StringBuilder b = new StringBuilder();
    String inner = cell.substring(1, cell.length() - 1);
    for (int i = 0; i < inner.length(); i++) {
      char c = inner.charAt(i);
      if (c == '"') {
        assertEquals('"', inner.charAt(++i), "a lone quote inside a quoted cell");
      }
      b.append(c);
    }
    return b.toString();
  }

  @Test
  void sentencesKeepOneTimeConvention() {
    Presentation p = Presentation.defaults();
    assertEquals(
        "LATE_INGEST: ended 2023-06-01 22:10:03, ingested 2023-06-03 17:00:00.",
        p.localize("LATE_INGEST: ended 2023-06-01T14:10:03Z, ingested 2023-06-03T09:00:00Z."));
    assertEquals("gap 14:10:03-14:10:06", p.localize("gap 14:10:03-14:10:06"));
    assertEquals("2023-06-01 22:10:03", p.localize("2023-06-01T14:10:03.250Z"));
    assertEquals("Asia/Shanghai (UTC+08:00)", p.zoneText(Instant.EPOCH));
  }
}
