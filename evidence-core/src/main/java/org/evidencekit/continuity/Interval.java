package org.evidencekit.continuity;

import java.time.Duration;
import java.time.Instant;

/**
 * A half-open stretch of time {@code [start, end)}.
 *
 * @param start inclusive
 * @param end exclusive, not before start
 */
public record Interval(Instant start, Instant end) {
  public Interval {
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("interval ends before it starts: " + start + " " + end);
    }
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  public double seconds() {
    return seconds(duration());
  }

  /** Seconds of any duration (nanoseconds would overflow beyond 292 years). */
  static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  public Interval shift(Duration d) {
    return new Interval(start.plus(d), end.plus(d));
  }

  public boolean overlaps(Interval o) {
    return start.isBefore(o.end) && o.start.isBefore(end);
  }
}
