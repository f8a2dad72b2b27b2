package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.RecordingTimeline;
import org.evidencekit.video.TimelineGap;
import org.evidencekit.video.TrackTimeline;
import org.jspecify.annotations.Nullable;

/**
 * The one mapping from a probed media timeline (and the file's name) to the continuity analyzer's
 * {@link RecordingSpan}: ingest, analyze and the reports all place recordings in time
 * through it, so they cannot disagree.
 *
 * <p>Start time: the container's creation time; without one, a date-time in the file name, read as
 * local time in the zone given (cameras name files by their local clock); without either the
 * recording is not placed, which is a finding, never an error. End: start plus the media's
 * duration. Gaps: those of the video track (else the audio track), shifted to the start. All in
 * device time: the clock offset travels with the span and the analyzer corrects it.
 */
public final class TimelineMapping {
  /** Bureaus' local zone, the default for times in file names. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

  /** A date and time of day, with or without separators, not part of a longer number. */
  private static final Pattern NAME_TIME =
      Pattern.compile(
          "(?<![0-9])((?:19|20)[0-9]{2})[-_.]?([01][0-9])[-_.]?([0-3][0-9])[-_T .]?"
              + "([0-2][0-9])[-_.:]?([0-5][0-9])[-_.:]?([0-5][0-9])(?![0-9]{1,2}(?![0-9]))");

  /** A sequence number after the date-time, just before the extension. */
  private static final Pattern SEQUENCE = Pattern.compile("^[_-]([0-9]{1,6})(?:\\.[A-Za-z0-9]+)?$");

  private final ZoneId nameZone;

  private TimelineMapping(ZoneId nameZone) {
    this.nameZone = nameZone;
  }

  /** File-name times read in {@link #DEFAULT_ZONE}. */
  public static TimelineMapping create() {
    return new TimelineMapping(DEFAULT_ZONE);
  }

  /** File-name times read as local times of {@code nameZone}. */
  public static TimelineMapping create(ZoneId nameZone) {
    return new TimelineMapping(requireNonNull(nameZone, "nameZone"));
  }

  public ZoneId nameZone() {
    return nameZone;
  }

  /**
   * Places a recording in (device) time.
   *
   * @param fileName the recording's original file name
   * @param timeline its probed timeline, or null when it is not media
   */
  public Placement place(String fileName, @Nullable RecordingTimeline timeline) {
    requireNonNull(fileName, "fileName");
    NameTime nt = nameTime(fileName);
    Instant nameTime = nt == null ? null : nt.time();
    int sequence = nt == null ? -1 : sequence(fileName.substring(nt.end()));
    if (timeline == null) {
      return new Placement(
          nameTime,
          nameTime,
          nameTime == null ? Placement.TimeSource.NONE : Placement.TimeSource.FILE_NAME,
          nameTime,
          sequence,
          0,
          List.of(),
          List.of(),
          "application/octet-stream",
          null);
    }
    Instant start = timeline.creationTime().orElse(nameTime);
    Placement.TimeSource source =
        timeline.creationTime().isPresent()
            ? Placement.TimeSource.CONTAINER
            : nameTime != null ? Placement.TimeSource.FILE_NAME : Placement.TimeSource.NONE;
    double seconds = Math.max(0, timeline.durationSeconds());
    Instant end = start == null ? null : start.plusNanos(nanos(seconds));
    List<Interval> gaps = new ArrayList<>();
    TrackTimeline main = timeline.track("vide").or(() -> timeline.track("soun")).orElse(null);
    if (start != null && main != null) {
      for (TimelineGap g : main.gaps()) {
        if (g.toSeconds() > g.fromSeconds()) {
          gaps.add(
              new Interval(
                  start.plusNanos(nanos(g.fromSeconds())), start.plusNanos(nanos(g.toSeconds()))));
        }
      }
    }
    return new Placement(
        start,
        end,
        source,
        nameTime,
        sequence,
        seconds,
        gaps,
        timeline.findings(),
        mediaType(fileName, timeline),
        timeline);
  }

  /**
   * The analyzer's view of a placed recording.
   *
   * @param id the span's id (the object key, or the file name when analysing loose files)
   * @param clockOffset device clock minus trusted time, if known
   * @param ingestTime when it was ingested, if it was
   * @throws IllegalArgumentException if the recording is not placed
   */
  public RecordingSpan span(
      String id,
      Placement placement,
      String deviceId,
      @Nullable String officerId,
      @Nullable Duration clockOffset,
      @Nullable Instant ingestTime) {
    requireNonNull(id, "id");
    requireNonNull(placement, "placement");
    requireNonNull(deviceId, "deviceId");
    if (!placement.placed()) {
      throw new IllegalArgumentException(id + " is not placed in time");
    }
    RecordingSpan.Builder b =
        RecordingSpan.builder(id)
            .deviceId(deviceId)
            .start(placement.start().orElseThrow())
            .end(placement.end().orElseThrow());
    placement.sequence().ifPresent(b::sequence);
    if (officerId != null) {
      b.officerId(officerId);
    }
    if (clockOffset != null) {
      b.clockOffset(clockOffset);
    }
    if (ingestTime != null) {
      b.ingestTime(ingestTime);
    }
    placement.gaps().forEach(b::addInternalGap);
    for (MediaFinding f : placement.findings()) {
      if (!f.benign()) {
        b.addContainerFinding(f.code());
      }
    }
    return b.build();
  }

  private record NameTime(Instant time, int end) {}

  /**
   * The analyzer's view of a sealed recording, for reports over an archive: the seal's metadata
   * says who recorded it and when (device time, as placed at ingest, with the clock offset and the
   * ingest time); a probe of the stored object, when there is one, adds the gaps and what the
   * container revealed, moved to the sealed start.
   *
   * @param id the span's id (the object key, or the file name when that is unambiguous)
   * @param probed the stored recording placed again by {@link #place}, or null
   * @return empty when the seal names no device or no start: such a recording cannot be placed
   */
  public java.util.Optional<RecordingSpan> span(
      String id, org.evidencekit.seal.RecordingMetadata md, @Nullable Placement probed) {
    requireNonNull(id, "id");
    requireNonNull(md, "md");
    if (md.deviceId().isEmpty() || md.recordingStart().isEmpty()) {
      return java.util.Optional.empty();
    }
    Instant start = md.recordingStart().get();
    Instant end = md.recordingEnd().orElse(start);
    RecordingSpan.Builder b =
        RecordingSpan.builder(id).deviceId(md.deviceId().get()).start(start).end(end);
    md.officerId().ifPresent(b::officerId);
    md.ingestTime().ifPresent(b::ingestTime);
    md.clockOffsetMillis().ifPresent(ms -> b.clockOffset(Duration.ofMillis(ms)));
    String name = md.originalFileName().orElse(id.substring(id.lastIndexOf('/') + 1));
    int sequence = probed != null ? probed.sequence().orElse(-1) : -1;
    if (sequence < 0) {
      NameTime nt = nameTime(name);
      sequence = nt == null ? -1 : sequence(name.substring(nt.end()));
    }
    if (sequence >= 0) {
      b.sequence(sequence);
    }
    if (probed != null && probed.start().isPresent()) {
      Duration shift = Duration.between(probed.start().get(), start);
      for (Interval g : probed.gaps()) {
        b.addInternalGap(g.shift(shift));
      }
      for (MediaFinding f : probed.findings()) {
        if (!f.benign()) {
          b.addContainerFinding(f.code());
        }
      }
    }
    return java.util.Optional.of(b.build());
  }

  /** The date-time in a file name, read in this mapping's zone, and where it ends. */
  private @Nullable NameTime nameTime(String fileName) {
    Matcher m = NAME_TIME.matcher(fileName);
    while (m.find()) {
      try {
        LocalDateTime t =
            LocalDateTime.of(
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)),
                Integer.parseInt(m.group(6)));
        return new NameTime(t.atZone(nameZone).toInstant(), m.end());
      } catch (DateTimeException e) {
        // digits that only look like a date-time: look further along the name
      }
    }
    return null;
  }

  /** A sequence number in what follows the date-time: {@code _001.mp4}. */
  private static int sequence(String rest) {
    Matcher m = SEQUENCE.matcher(rest);
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static String mediaType(String fileName, RecordingTimeline t) {
    String name = fileName.toLowerCase(Locale.ROOT);
    if (name.endsWith(".mov")) {
      return "video/quicktime";
    }
    if (name.endsWith(".wav")) {
      return "audio/wav";
    }
    return t.track("vide").isPresent() ? "video/mp4" : "audio/mp4";
  }

  private static long nanos(double seconds) {
    return (long) (seconds * 1e9);
  }
}
