package org.evidencekit.video;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares the times a recording carries with the time in its file name: the container's
 * creation time, a WAV file's local origination time and the GPS time of its telemetry. A
 * disagreement beyond the tolerance is a {@link MediaFindingCode#NAME_TIME_MISMATCH} finding with
 * both times and the difference; it is benign when the difference is explained by how cameras write
 * times (local time stored as if it were UTC, or the file stamped when it was closed).
 *
 * <pre>{@code
 * FileNameReading name = FileNameClock.standard().read(file.getFileName().toString()).orElseThrow();
 * List<MediaFinding> f = NameTimeCheck.compare(timeline, name, NameTimeCheck.DEFAULT_TOLERANCE);
 * }</pre>
 */
public final class NameTimeCheck {
  /**
   * Two seconds: container times have one-second resolution and cameras name a file a moment before
   * or after they stamp its header.
   */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(2);

  private NameTimeCheck() {}

  /**
   * The disagreements between {@code timeline}'s times and {@code name}'s; empty when they agree or
   * when one of them has no time.
   *
   * @throws IllegalArgumentException if the tolerance is negative
   */
  public static List<MediaFinding> compare(
      RecordingTimeline timeline, FileNameReading name, Duration tolerance) {
    requireNonNull(timeline, "timeline");
    requireNonNull(name, "name");
    requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
    }
    List<MediaFinding> out = new ArrayList<>();
    if (name.time().isEmpty()) {
      return out;
    }
    Instant named = name.time().get();
    LocalDateTime local = name.localTime().orElseThrow();
    double tol = tolerance.toMillis() / 1000.0;
    double length = timeline.durationSeconds();
    timeline
        .creationTime()
        .ifPresent(
            created -> {
              double diff = seconds(named, created);
              if (Math.abs(diff) <= tol) {
                return;
              }
              String nums = numbers("container creation time", created, named, diff, tol);
              double asLocal = seconds(local.toInstant(ZoneOffset.UTC), created);
              if (Math.abs(asLocal) <= tol && !named.equals(local.toInstant(ZoneOffset.UTC))) {
                out.add(
                    MediaFinding.of(
                            MediaFindingCode.NAME_TIME_MISMATCH,
                            nums
                                + ": the camera stored its local time as if it were UTC, or named"
                                + " the file in UTC (benign; the device clock offset read at"
                                + " docking corrects either)")
                        .asBenign());
              } else if (Math.abs(asLocal - length) <= tol + 1
                  && !named.equals(local.toInstant(ZoneOffset.UTC))) {
                out.add(
                    MediaFinding.of(
                            MediaFindingCode.NAME_TIME_MISMATCH,
                            nums
                                + String.format(
                                    Locale.ROOT,
                                    ": the camera stored its local time as if it were UTC, when it"
                                        + " closed the file %.3f s later (benign)",
                                    length))
                        .asBenign());
              } else if (Math.abs(diff - length) <= tol + 1) {
                out.add(
                    MediaFinding.of(
                            MediaFindingCode.NAME_TIME_MISMATCH,
                            nums
                                + String.format(
                                    Locale.ROOT,
                                    ": the recording's length (%.3f s): the camera stamped the"
                                        + " file when it closed it (benign)",
                                    length))
                        .asBenign());
              } else {
                out.add(
                    MediaFinding.of(
                        MediaFindingCode.NAME_TIME_MISMATCH,
                        nums + ": the file was renamed, re-stamped or made on another clock"));
              }
            });
    timeline
        .localCreationTime()
        .ifPresent(
            created -> {
              double diff =
                  seconds(local.toInstant(ZoneOffset.UTC), created.toInstant(ZoneOffset.UTC));
              if (Math.abs(diff) > tol) {
                out.add(
                    MediaFinding.of(
                        MediaFindingCode.NAME_TIME_MISMATCH,
                        String.format(
                            Locale.ROOT,
                            "local origination time %s and the name's %s differ by %.0f s"
                                + " (tolerance %.0f s): the file was renamed or re-stamped",
                            created,
                            local,
                            diff,
                            tol)));
              }
            });
    timeline
        .gpsTime()
        .ifPresent(
            gps -> {
              double diff = seconds(named, gps);
              // the first fix may come some time into the recording
              if (diff < -tol || diff > tol + Math.max(length, 0)) {
                out.add(
                    MediaFinding.of(
                        MediaFindingCode.NAME_TIME_MISMATCH,
                        numbers("GPS time", gps, named, diff, tol)
                            + ": the camera's clock (which named the file) is off"));
              }
            });
    return out;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static String numbers(String what, Instant t, Instant named, double diff, double tol) {
    return String.format(
        Locale.ROOT,
        "%s %s is %.3f s (%.2f h) %s the name's time %s (tolerance %.0f s)",
        what,
        t,
        Math.abs(diff),
        Math.abs(diff) / 3600,
        diff > 0 ? "after" : "before",
        named,
        tol);
  }
}
