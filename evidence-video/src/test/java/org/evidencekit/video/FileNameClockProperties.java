package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

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
      assertEquals(java.util.OptionalLong.of(seq), read.get().sequence(), name);
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
}
