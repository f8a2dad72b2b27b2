package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.OptionalLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/**
 * A body camera's name whose digits are no date-time (second 75, month 13, 30 February) reads as no
 * date, and one whose digits are a date-time reads as exactly that: the model is java.time's own
 * {@code LocalDateTime.of}, which the clock no longer calls for digits it can tell are out of
 * range.
 */
class FileNameClockProperties {
  private static final FileNameClock CLOCK = FileNameClock.standard();

  @Property(tries = 2000)
  void aNamesDigitsAreReadAsADateTimeExactlyWhenTheyAreOne(
      @ForAll @IntRange(min = 1990, max = 2099) int year,
      @ForAll @IntRange(min = 0, max = 99) int month,
      @ForAll @IntRange(min = 0, max = 99) int day,
      @ForAll @IntRange(min = 0, max = 99) int hour,
      @ForAll @IntRange(min = 0, max = 99) int minute,
      @ForAll @IntRange(min = 0, max = 99) int second,
      @ForAll @IntRange(min = 1, max = 999) int seq) {
    String name =
        String.format(
            "DEVCAM7_%04d%02d%02d_%02d%02d%02d_%03d.mp4",
            year, month, day, hour, minute, second, seq);
    Optional<LocalDateTime> model;
    try {
      model = Optional.of(LocalDateTime.of(year, month, day, hour, minute, second));
    } catch (DateTimeException e) {
      model = Optional.empty();
    }
    Optional<FileNameReading> read = CLOCK.read(name);
    assertEquals(model, read.flatMap(FileNameReading::localTime), name);
    if (model.isPresent()) {
      assertEquals(OptionalLong.of(seq), read.get().sequence(), name);
    }
  }

  /**
   * The same for a user's pattern with a two-digit year (read as 20yy) and milliseconds, its date
   * and time in two fields: a name whose digits are no date-time is left to the standard table.
   */
  @Property(tries = 2000)
  void aUserPatternsTwoDigitYearAndMillisAreReadExactlyWhenTheyAreADateTime(
      @ForAll @IntRange(min = 0, max = 99) int year,
      @ForAll @IntRange(min = 0, max = 99) int month,
      @ForAll @IntRange(min = 0, max = 99) int day,
      @ForAll @IntRange(min = 0, max = 99) int hour,
      @ForAll @IntRange(min = 0, max = 99) int minute,
      @ForAll @IntRange(min = 0, max = 99) int second,
      @ForAll @IntRange(min = 0, max = 999) int millis) {
    FileNameClock clock = CLOCK.withPattern("ZF-9", "ZF{ddMMyy}#{SSSssmmHH}");
    String name =
        String.format(
            "ZF%02d%02d%02d#%03d%02d%02d%02d.MP4", day, month, year, millis, second, minute, hour);
    Optional<LocalDateTime> model;
    try {
      model =
          Optional.of(
              LocalDateTime.of(2000 + year, month, day, hour, minute, second, millis * 1_000_000));
    } catch (DateTimeException e) {
      model = Optional.empty();
    }
    Optional<FileNameReading> read =
        clock.read(name).filter(r -> r.convention().equals("user pattern for ZF-9"));
    assertEquals(model, read.flatMap(FileNameReading::localTime), name);
  }

  /**
   * A sequence number is read as the digits say or not at all, and never past nine digits, so it
   * fits the analyzer's {@code int}: two files with different numbers never get the same
   * one. The digits run is any length, in each convention's sequence field and a user's {@code
   * {seq}}.
   */
  @Property(tries = 2000)
  void aSequenceIsReadAsItsDigitsAndFitsAnInt(
      @ForAll @NumericChars @StringLength(min = 1, max = 19) String digits) {
    FileNameClock clock = CLOCK.withPattern("DSJ-X1", "REC{yyyyMMdd}-{HHmmss}-{seq}");
    for (String name :
        new String[] {
          "DEVCAM7_20230601_141000_" + digits + ".mp4",
          "J0012345_010086_20230601140010_" + digits + ".MP4",
          "VID_20230601_143000_" + digits + ".mp4",
          "NO20230601-143000-" + digits + ".MP4",
          "2023_0601_143000_" + digits + ".MP4",
          "FILE" + digits + ".MOV",
          "DJI_20230601143000_" + digits + ".MP4",
          "20230601_143000-" + digits + ".mp4",
          "REC20230601-143000-" + digits + ".mp4"
        }) {
      clock
          .read(name)
          .ifPresent(
              r -> {
                if (r.sequence().isPresent()) {
                  long seq = r.sequence().getAsLong();
                  assertEquals(Long.parseLong(digits), seq, name + ": " + r);
                  assertTrue(seq <= 999_999_999, name + ": " + r);
                }
              });
    }
    // the largest numbers the conventions take are read, not dropped: six digits of a body
    // camera's name, nine of a user's {seq}
    if (digits.length() <= 6) {
      assertEquals(
          OptionalLong.of(Long.parseLong(digits)),
          clock.read("DEVCAM7_20230601_141000_" + digits + ".mp4").orElseThrow().sequence());
    }
    if (digits.length() <= 9) {
      FileNameReading r = clock.read("REC20230601-143000-" + digits + ".mp4").orElseThrow();
      assertEquals("user pattern for DSJ-X1", r.convention());
      assertEquals(OptionalLong.of(Long.parseLong(digits)), r.sequence());
    }
  }
}
