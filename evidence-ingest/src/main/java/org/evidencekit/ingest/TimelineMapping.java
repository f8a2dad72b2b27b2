package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.video.FileNameClock;
import org.evidencekit.video.FileNameReading;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.NameTimeCheck;
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
  public static final ZoneId DEFAULT_ZONE = FileNameClock.DEFAULT_ZONE;

  private final FileNameClock names;

  private TimelineMapping(FileNameClock names) {
    this.names = names;
  }

  /** File names read by the standard table (docs/video.md) in {@link #DEFAULT_ZONE}. */
  public static TimelineMapping create() {
    return new TimelineMapping(FileNameClock.standard(DEFAULT_ZONE));
  }

  /** File names read by the standard table, their local times in {@code nameZone}. */
  public static TimelineMapping create(ZoneId nameZone) {
    return new TimelineMapping(FileNameClock.standard(requireNonNull(nameZone, "nameZone")));
  }

  /**
   * File names read by {@code names}: the standard table plus the patterns of the bureau's own
   * device models ({@link FileNameClock#withPattern}).
   */
  public static TimelineMapping create(FileNameClock names) {
    return new TimelineMapping(requireNonNull(names, "names"));
  }

  /** The zone local times in file names are read in. */
  public ZoneId nameZone() {
    return names.zone();
  }

  /** What the file name says, by this mapping's naming conventions. */
  public java.util.Optional<FileNameReading> readName(String fileName) {
    return names.read(fileName);
  }

  /**
   * Places a recording in (device) time.
   *
   * @param fileName the recording's original file name
   * @param timeline its probed timeline, or null when it is not media
   */
  public Placement place(String fileName, @Nullable RecordingTimeline timeline) {
    requireNonNull(fileName, "fileName");
    FileNameReading reading = names.read(fileName).orElse(null);
    Instant nameTime = reading == null ? null : reading.time().orElse(null);
    int sequence = reading == null ? -1 : sequence(reading);
    boolean event = reading != null && reading.event();
    if (timeline == null) {
      return new Placement(
          nameTime,
          nameTime,
          nameTime == null ? Placement.TimeSource.NONE : Placement.TimeSource.FILE_NAME,
          reading,
          sequence,
          0,
          0,
          List.of(),
          List.of(),
          "application/octet-stream",
          null,
          event);
    }
    Instant created = timeline.creationTime().orElse(null);
    Instant start = created != null ? created : nameTime;
    Placement.TimeSource source =
        created != null
            ? Placement.TimeSource.CONTAINER
            : nameTime != null ? Placement.TimeSource.FILE_NAME : Placement.TimeSource.NONE;
    double seconds = Math.max(0, timeline.durationSeconds());
    TrackTimeline main = timeline.track("vide").or(() -> timeline.track("soun")).orElse(null);
    // A truncated file's index declares more than the media left in it: the span is what was
    // declared, and only what is left plays (the analyzer counts the rest as lost, R-13).
    double declared =
        timeline.truncated() && main != null ? Math.max(seconds, main.durationSeconds()) : seconds;
    Instant end = start == null ? null : start.plusNanos(nanos(declared));
    List<Interval> gaps = new ArrayList<>();
    if (start != null && main != null) {
      for (TimelineGap g : main.gaps()) {
        if (g.toSeconds() > g.fromSeconds()) {
          gaps.add(
              new Interval(
                  start.plusNanos(nanos(g.fromSeconds())), start.plusNanos(nanos(g.toSeconds()))));
        }
      }
    }
    List<MediaFinding> findings = new ArrayList<>(timeline.findings());
    if (reading != null) {
      findings.addAll(NameTimeCheck.compare(timeline, reading, NameTimeCheck.DEFAULT_TOLERANCE));
    }
    return new Placement(
        start,
        end,
        source,
        reading,
        sequence,
        seconds,
        declared,
        gaps,
        findings,
        mediaType(fileName, timeline),
        timeline,
        event);
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
    if (placement.event()) {
      b.locked(true); // a locked/event file of a loop-recording card
    }
    if (placement.declaredSeconds() > placement.durationSeconds()) {
      b.playableUntil(placement.start().get().plusNanos(nanos(placement.durationSeconds())));
    }
    placement.gaps().forEach(b::addInternalGap);
    Instant start = placement.start().get();
    for (MediaFinding f : placement.findings()) {
      if (!f.benign()) {
        addFinding(b, f, start);
      }
    }
    return b.build();
  }

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
      sequence = names.read(name).map(TimelineMapping::sequence).orElse(-1);
    }
    if (probed != null
        ? probed.event()
        : names.read(name).map(FileNameReading::event).orElse(false)) {
      b.locked(true);
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
          addFinding(b, f, start);
        }
      }
    }
    return java.util.Optional.of(b.build());
  }

  /**
   * A container finding onto the span, with its place on the recording's timeline when the probe
   * knows it: media time counted from {@code start}, as the gaps are. A point (a splice, a
   * join's scar) or a stretch whose both ends the container states (media an edit list hides).
   */
  private static void addFinding(RecordingSpan.Builder b, MediaFinding f, Instant start) {
    double at = f.timeSeconds().orElse(Double.NaN);
    if (!(at >= 0 && at <= MAX_PLACE_SECONDS)) {
      b.addContainerFinding(f.code());
      return;
    }
    double to = f.endSeconds().orElse(at);
    Instant from = start.plusNanos(nanos(at));
    Instant end = to > at && to <= MAX_PLACE_SECONDS ? start.plusNanos(nanos(to)) : from;
    b.addContainerFinding(f.code(), new Interval(from, end));
  }

  /**
   * A place further into a recording than a year is no camera's: a hostile index's, not placed (and
   * so never an instant beyond what a span can hold).
   */
  private static final double MAX_PLACE_SECONDS = 366 * 86_400.0;

  /**
   * The name's sequence number as the analyzer takes it, or -1 without one. Exact, never clamped:
   * two files with different numbers must not get the same one. A name gives nine digits at
   * most ({@link FileNameReading#sequence()}), so the number always fits an {@code int}.
   */
  private static int sequence(FileNameReading r) {
    return r.sequence().isEmpty() ? -1 : Math.toIntExact(r.sequence().getAsLong());
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

  /**
   * Seconds as the nearest nanosecond. Cut off instead, 1.001 s (1.0009999999999999 as a double)
   * became 1.000999999 s, a sealed end a nanosecond before the container's.
   */
  static long nanos(double seconds) {
    return Math.round(seconds * 1e9);
  }
}
