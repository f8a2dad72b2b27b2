package org.evidencekit.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Ticks for a time axis at round local times (every 1, 2, 5, 10, 15 or 30 seconds or minutes, 1, 2,
 * 3, 6 or 12 hours, or whole days): the coarsest step that still gives at least {@code minTicks}
 * ticks inside the window, so labels read "14:10:00", "14:10:05", never odd seconds.
 */
final class TimeAxis {
  private static final long[] STEPS = {
    1,
    2,
    5,
    10,
    15,
    30,
    60,
    120,
    300,
    600,
    900,
    1800,
    3600,
    7200,
    10800,
    21600,
    43200,
    86400,
    2 * 86400,
    7 * 86400,
    14 * 86400,
    28 * 86400,
    91 * 86400,
    364 * 86400
  };

  private TimeAxis() {}

  /** The step in seconds: the largest with at least {@code minTicks} ticks in [from, to]. */
  static long step(Instant from, Instant to, int minTicks) {
    double span = Math.max(1, Duration.between(from, to).toMillis()) / 1000.0;
    long best = STEPS[0];
    for (long s : STEPS) {
      if (span / s >= minTicks) {
        best = s;
      }
    }
    return best;
  }

  /** Ticks inside [from, to] at multiples of {@code stepSeconds} counted from local midnight. */
  static List<Instant> ticks(Instant from, Instant to, ZoneId zone, long stepSeconds) {
    List<Instant> out = new ArrayList<>();
    if (stepSeconds >= 86400) {
      LocalDate d = from.atZone(zone).toLocalDate();
      long days = stepSeconds / 86400;
      LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(d.toEpochDay(), days) * days);
      for (Instant t = day.atStartOfDay(zone).toInstant();
          !t.isAfter(to) && out.size() < 400;
          day = day.plusDays(days), t = day.atStartOfDay(zone).toInstant()) {
        if (!t.isBefore(from)) {
          out.add(t);
        }
      }
      return out;
    }
    Instant midnight = from.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
    long offset = Duration.between(midnight, from).getSeconds();
    long first = Math.floorDiv(offset + stepSeconds - 1, stepSeconds) * stepSeconds;
    for (Instant t = midnight.plusSeconds(first);
        !t.isAfter(to) && out.size() < 400;
        t = t.plusSeconds(stepSeconds)) {
      if (!t.isBefore(from)) {
        out.add(t);
      }
    }
    return out;
  }
}
