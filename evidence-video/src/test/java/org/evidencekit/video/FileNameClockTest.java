package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The naming-convention table: each real convention, read back from what was written.
 */
class FileNameClockTest {
  static final FileNameClock CLOCK = FileNameClock.standard();

  static FileNameReading read(String name) {
    return CLOCK.read(name).orElseThrow(() -> new AssertionError("no convention read " + name));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        // name | convention | local time | sequence | chapter | device | officer | event
        "J0012345_010086_20230601140000_0001.mp4|GA/T 947 body camera|2023-06-01T14:00|1|-|J0012345|010086|false",
        "DSJ5_012345_20230601_140000_0002_IMP.MP4|GA/T 947 body camera|2023-06-01T14:00|2|-|DSJ5|012345|true",
        "DEVCAM7_20230601_141003_002.mp4|body camera (device, date-time, sequence)|2023-06-01T14:10:03|2|-|DEVCAM7|-|false",
        "X9_20231231235959_0100.mov|body camera (device, date-time, sequence)|2023-12-31T23:59:59|100|-|X9|-|false",
        "VID_20230601_140000_3.mp4|Android phone|2023-06-01T14:00|3|-|-|-|false",
        "PXL_20230601_060000123.mp4|Google Pixel|2023-06-01T06:00:00.123|-|-|-|-|false",
        "PXL_20230601_060000123.TS.mp4|Google Pixel|2023-06-01T06:00:00.123|-|-|-|-|false",
        "VID_20230601_140000.mp4|Android phone|2023-06-01T14:00|-|-|-|-|false",
        "VID20230601140000.mp4|Android phone|2023-06-01T14:00|-|-|-|-|false",
        "20230601_140000_EF.mp4|BlackVue dashcam|2023-06-01T14:00|-|-|-|-|true",
        "20230601_140000_NF.mp4|BlackVue dashcam|2023-06-01T14:00|-|-|-|-|false",
        "EV20230601-140000-000123F.MP4|dashcam (NO/EV/PA prefix)|2023-06-01T14:00|123|-|-|-|true",
        "NO20230601-140000-000124F.MP4|dashcam (NO/EV/PA prefix)|2023-06-01T14:00|124|-|-|-|false",
        "2023_0601_140000_0042F.MP4|Viofo dashcam|2023-06-01T14:00|42|-|-|-|false",
        "20230601_140000.mp4|phone (date_time)|2023-06-01T14:00|-|-|-|-|false",
        "DJI_20230601140000_0007_D.MP4|DJI (dated)|2023-06-01T14:00|7|-|-|-|false",
        "DJI_0001.MP4|DJI|-|1|-|-|-|false",
        "GH010123.MP4|GoPro|-|123|1|-|-|false",
        "GX020123.MP4|GoPro|-|123|2|-|-|false",
        "GOPR0456.MP4|GoPro (HERO before 6)|-|456|0|-|-|false",
        "GP010456.MP4|GoPro (HERO before 6)|-|456|1|-|-|false",
        "FILE0001.MOV|DCIM sequence|-|1|-|-|-|false",
        "IMG_1234.MOV|DCIM sequence|-|1234|-|-|-|false",
        "Screen Recording 2023-06-01 at 14.00.00.mov|date-time in the name|2023-06-01T14:00|-|-|-|-|false",
        "case 77 clip 20230601-140000-3.mp4|date-time in the name|2023-06-01T14:00|3|-|-|-|false",
        "export_2023-06-01T14-00-00.mp4|date-time in the name|2023-06-01T14:00|-|-|-|-|false",
      })
  void eachConventionOfTheTableReadsWhatTheCameraWrote(
      String name,
      String convention,
      String local,
      Long seq,
      Integer chapter,
      String device,
      String officer,
      boolean event) {
    FileNameReading r = read(name);
    assertEquals(convention, r.convention(), r.toString());
    assertEquals(Optional.ofNullable(local).map(LocalDateTime::parse), r.localTime(), r.toString());
    assertEquals(seq == null ? -1 : seq, r.sequence().orElse(-1), r.toString());
    assertEquals(chapter == null ? -1 : chapter, r.chapter().orElse(-1), r.toString());
    assertEquals(Optional.ofNullable(device), r.deviceId());
    assertEquals(Optional.ofNullable(officer), r.officerId());
    assertEquals(event, r.event());
  }

  @Test
  void localTimeIsReadInTheClocksZoneAndPixelNamesAreUtc() {
    assertEquals(
        Instant.parse("2023-06-01T06:00:00Z"),
        read("J0012345_010086_20230601140000_0001.mp4").time().orElseThrow());
    assertEquals(
        Instant.parse("2023-06-01T12:00:00Z"),
        FileNameClock.standard(ZoneId.of("Europe/Berlin"))
            .read("VID_20230601_140000.mp4")
            .orElseThrow()
            .time()
            .orElseThrow());
    assertEquals(
        Instant.parse("2023-06-01T06:00:00.123Z"),
        read("PXL_20230601_060000123.mp4").time().orElseThrow(),
        "Pixel cameras name files in UTC whatever the zone");
  }

  @Test
  void namesWithoutAConventionOrWithImpossibleDatesReadNothing() {
    assertTrue(CLOCK.read("notes.txt").isEmpty());
    assertTrue(CLOCK.read("recording.mp4").isEmpty());
    assertTrue(CLOCK.read("DEV_20231341_250000_0001.mp4").isEmpty(), "month 13 is no date");
    assertTrue(CLOCK.read("12345678901234567890.mp4").isEmpty());
    assertTrue(CLOCK.read("x".repeat(10_000) + "20230601140000").isEmpty());
  }

  @Test
  void aDateTimeOverlappedByDigitsThatAreNoDateIsStillFound() {
    // "1999.99.20 23.06.01" is tried first (month 99); the valid one starts inside it
    assertEquals(
        Optional.of(LocalDateTime.of(2023, 6, 1, 14, 0, 0)),
        CLOCK.read("x 1999.99.2023.06.01.14.00.00.mp4").flatMap(FileNameReading::localTime));
    assertEquals(
        Optional.of(LocalDateTime.of(2023, 6, 1, 14, 0, 0)),
        CLOCK.read("cam 2019-13-2023-06-01 14-00-00.mp4").flatMap(FileNameReading::localTime));
    // a refused run of digits is not re-read from inside itself as another date
    assertTrue(CLOCK.read("x 20231341250000.mp4").isEmpty());
  }

  @Test
  void aPathIsReadByItsLastElement() {
    assertEquals(
        LocalDateTime.parse("2023-06-01T14:00"),
        CLOCK
            .read("/media/card/DCIM/100MEDIA/VID_20230601_140000.mp4")
            .orElseThrow()
            .localTime()
            .get());
    assertEquals(1, CLOCK.read("E:\\NORMAL\\DJI_0001.MP4").orElseThrow().sequence().getAsLong());
  }

  @Test
  void aUserPatternPerDeviceModelComesFirst() {
    FileNameClock c =
        CLOCK
            .withPattern("DSJ-X1", "REC{yyMMdd}-{HHmmss}-{seq}")
            .withPattern("ZF-9", "{officer}#{device}#{yyyy}-{MM}-{dd} {HH}{mm}{ss}{event}");
    FileNameReading r = c.read("REC230601-140000-17.mp4").orElseThrow();
    assertEquals("user pattern for DSJ-X1", r.convention());
    assertEquals(LocalDateTime.parse("2023-06-01T14:00"), r.localTime().get());
    assertEquals(17, r.sequence().getAsLong());
    FileNameReading z = c.read("010086#J77#2023-06-01 140000IMP.mp4").orElseThrow();
    assertEquals("user pattern for ZF-9", z.convention());
    assertEquals("010086", z.officerId().get());
    assertEquals("J77", z.deviceId().get());
    assertTrue(z.event());
    assertFalse(c.read("010086#J77#2023-06-01 140000.mp4").orElseThrow().event());
    assertEquals(
        "DJI", c.read("DJI_0001.MP4").orElseThrow().convention(), "the table still applies");
  }

  /**
   * A pattern's literal text is matched as text even where it spells a field's group in the regular
   * expression the pattern becomes: reading once threw IllegalArgumentException for every file the
   * pattern matched.
   */
  @Test
  void aUserPatternsLiteralTextIsOnlyText() {
    FileNameClock c =
        CLOCK
            .withPattern("A", "(?<y>{seq}")
            .withPattern("B", "{yyyyMMdd}{HHmmss}(?<ms>#{seq}")
            .withPattern("C", "(?<dev>.(?<seq0>|{seq}");
    FileNameReading a = c.read("(?<y>12.mp4").orElseThrow();
    assertEquals("user pattern for A", a.convention());
    assertEquals(12, a.sequence().getAsLong());
    assertEquals(Optional.empty(), a.localTime());
    FileNameReading b = c.read("20230601140000(?<ms>#3.mp4").orElseThrow();
    assertEquals("user pattern for B", b.convention());
    assertEquals(LocalDateTime.parse("2023-06-01T14:00"), b.localTime().get());
    assertEquals(3, b.sequence().getAsLong());
    FileNameReading d = c.read("(?<dev>.(?<seq0>|5.mp4").orElseThrow();
    assertEquals("user pattern for C", d.convention());
    assertEquals(5, d.sequence().getAsLong());
    assertEquals(Optional.empty(), d.deviceId());
    assertTrue(d.chapter().isEmpty());
    assertEquals(Optional.empty(), c.read("(?<dev>x(?<seq0>|5.mp4"), "'.' is a dot, not any");
  }

  @Test
  void badUserPatternsAreRefusedWithTheReason() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CLOCK.withPattern("m", "{foo}_{seq}"))
            .getMessage()
            .contains("unknown field {foo}"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CLOCK.withPattern("m", "{seq}_{seq}"))
            .getMessage()
            .contains("repeats"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CLOCK.withPattern("m", "{yyyyMMdd}"))
            .getMessage()
            .contains("needs yyyy"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> CLOCK.withPattern("m", "FILE"))
            .getMessage()
            .contains("no field"));
    assertThrows(IllegalArgumentException.class, () -> CLOCK.withPattern("m", "{seq"));
    // each {*} multiplies the matcher's work on a hostile name that nearly matches
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> CLOCK.withPattern("m", "{*}_{*}_{*}_{yyyyMMddHHmmss}"))
            .getMessage()
            .contains("at most 2 {*} fields"));
    FileNameClock two = CLOCK.withPattern("m", "{*}_{*}_{yyyyMMddHHmmss}");
    assertEquals(
        Optional.of(LocalDateTime.of(2023, 6, 1, 14, 0, 0)),
        two.read("a_b_c_20230601140000.mp4").flatMap(FileNameReading::localTime));
    assertTrue(two.read("A" + "_1".repeat(120) + "x").isEmpty());
    FileNameClock once = CLOCK.withPattern("m", "{seq}");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> once.withPattern("m", "A{seq}"))
            .getMessage()
            .contains("already has a pattern"));
    assertThrows(NullPointerException.class, () -> CLOCK.read(null));
    assertThrows(NullPointerException.class, () -> FileNameClock.standard(null));
  }

  @Provide
  Arbitrary<LocalDateTime> times() {
    return Arbitraries.longs()
        .between(
            LocalDateTime.parse("1990-01-01T00:00").toEpochSecond(java.time.ZoneOffset.UTC),
            LocalDateTime.parse("2099-12-31T23:59:59").toEpochSecond(java.time.ZoneOffset.UTC))
        .map(s -> LocalDateTime.ofEpochSecond(s, 0, java.time.ZoneOffset.UTC));
  }

  /** Naive model: the camera formats its clock with the convention's pattern; we read it back. */
  @Property(tries = 300)
  void anyTimeWrittenByAConventionIsReadBack(
      @ForAll("times") LocalDateTime t, @ForAll @IntRange(min = 0, max = 9999) int seq) {
    String[][] formats = {
      {"'J001_012345_'yyyyMMddHHmmss'_%04d.mp4'", "GA/T 947 body camera"},
      {"'DEVCAM7_'yyyyMMdd'_'HHmmss'_%03d.mp4'", "body camera (device, date-time, sequence)"},
      {"'VID_'yyyyMMdd'_'HHmmss'.mp4'", "Android phone"},
      {"'NO'yyyyMMdd'-'HHmmss'-%06dF.MP4'", "dashcam (NO/EV/PA prefix)"},
      {"'DJI_'yyyyMMddHHmmss'_%04d_D.MP4'", "DJI (dated)"},
      {"'clip 'yyyy-MM-dd HH.mm.ss'.mov'", "date-time in the name"},
    };
    for (String[] f : formats) {
      String name =
          String.format(Locale.ROOT, DateTimeFormatter.ofPattern(f[0], Locale.ROOT).format(t), seq);
      FileNameReading r = read(name);
      assertEquals(f[1], r.convention(), name);
      assertEquals(t, r.localTime().orElseThrow(), name);
      assertEquals(t.atZone(FileNameClock.DEFAULT_ZONE).toInstant(), r.time().orElseThrow());
      if (name.contains("%") || f[0].contains("%")) {
        assertEquals(seq, r.sequence().orElseThrow(), name);
      }
    }
  }
}
