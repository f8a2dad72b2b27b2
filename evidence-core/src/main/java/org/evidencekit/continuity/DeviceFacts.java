package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a bureau knows about one device beyond its files: the officer who used it, its clock offset
 * measured at docking (device minus trusted clock, R-08) and when its files were ingested (Art. 9,
 *
 *
 * @param id the device's id, as in file names and {@link RecordingSpan#deviceId()}
 * @param officer the officer who used it
 * @param clockOffset device minus trusted clock; at most {@link #MAX_CLOCK_OFFSET} either way
 * @param ingested when its files were ingested
 */
public record DeviceFacts(
    String id,
    Optional<String> officer,
    Optional<Duration> clockOffset,
    Optional<Instant> ingested) {
  /** A device clock off by more than a year is not a measurement but a typo. */
  public static final Duration MAX_CLOCK_OFFSET = Duration.ofDays(366);

  /**
   * @throws IllegalArgumentException if the id or officer is blank or the offset is more than
   *     {@link #MAX_CLOCK_OFFSET}
   */
  public DeviceFacts {
    requireNonNull(id, "id");
    requireNonNull(officer, "officer");
    requireNonNull(clockOffset, "clockOffset");
    requireNonNull(ingested, "ingested");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a device id must not be empty");
    }
    if (officer.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("device " + id + ": the officer must not be empty");
    }
    if (clockOffset.filter(DeviceFacts::tooLarge).isPresent()) {
      throw new IllegalArgumentException(
          "device "
              + id
              + ": a clock offset of "
              + clockOffset.get().getSeconds()
              + " s is more than a year");
    }
  }

  /**
   * A clock offset given in milliseconds, as devices files and the command line state it.
   *
   * @throws IllegalArgumentException if it is more than {@link #MAX_CLOCK_OFFSET} either way (a
   *     larger one would also overflow the analysis's arithmetic on hostile values)
   */
  public static Duration clockOffsetMillis(long millis) {
    Duration d = Duration.ofMillis(millis);
    if (tooLarge(d)) {
      throw new IllegalArgumentException("a clock offset of " + millis + " ms is more than a year");
    }
    return d;
  }

  /** Without {@code abs()}, which overflows for the most negative duration. */
  private static boolean tooLarge(Duration d) {
    return d.compareTo(MAX_CLOCK_OFFSET) > 0 || d.compareTo(MAX_CLOCK_OFFSET.negated()) < 0;
  }
}
