package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.evidencekit.continuity.Interval;
import org.evidencekit.video.FileNameReading;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.RecordingTimeline;
import org.jspecify.annotations.Nullable;

/**
 * Where one recording sits in time, in the device's own clock, as {@link TimelineMapping} read it
 * from the container and the file name: start and end, where the start came from, the sequence
 * number of a split recording, the gaps inside it and what the container revealed.
 */
public final class Placement {
  /** Where the start time came from. */
  public enum TimeSource {
    /** The container's creation time. */
    CONTAINER,
    /** A date-time in the file name (local time of the device's zone). */
    FILE_NAME,
    /** Nowhere: the recording cannot be placed in time. */
    NONE
  }

  private final @Nullable Instant start;
  private final @Nullable Instant end;
  private final TimeSource source;
  private final @Nullable FileNameReading name;
  private final boolean event;
  private final int sequence;
  private final double durationSeconds;
  private final double declaredSeconds;
  private final List<Interval> gaps;
  private final List<MediaFinding> findings;
  private final String mediaType;
  private final @Nullable RecordingTimeline timeline;

  Placement(
      @Nullable Instant start,
      @Nullable Instant end,
      TimeSource source,
      @Nullable FileNameReading name,
      int sequence,
      double durationSeconds,
      double declaredSeconds,
      List<Interval> gaps,
      List<MediaFinding> findings,
      String mediaType,
      @Nullable RecordingTimeline timeline,
      boolean event) {
    this.start = start;
    this.end = end;
    this.source = requireNonNull(source, "source");
    this.name = name;
    this.event = event;
    this.sequence = sequence;
    this.durationSeconds = durationSeconds;
    this.declaredSeconds = declaredSeconds;
    this.gaps = List.copyOf(gaps);
    this.findings = List.copyOf(findings);
    this.mediaType = requireNonNull(mediaType, "mediaType");
    this.timeline = timeline;
  }

  /** Whether the recording could be placed in time. */
  public boolean placed() {
    return start != null;
  }

  /** Start in device time. */
  public Optional<Instant> start() {
    return Optional.ofNullable(start);
  }

  /** End in device time. */
  public Optional<Instant> end() {
    return Optional.ofNullable(end);
  }

  public TimeSource source() {
    return source;
  }

  /** The date-time the file name carries, if any (whatever the start came from). */
  public Optional<Instant> nameTime() {
    return name == null ? Optional.empty() : name.time();
  }

  /** What the file name says (convention, time, sequence, device and officer numbers). */
  public Optional<FileNameReading> name() {
    return Optional.ofNullable(name);
  }

  /** Whether the name marks a locked/event file (kept apart from loop overwriting). */
  public boolean event() {
    return event;
  }

  /** The sequence number of a split recording, from the file name. */
  public OptionalInt sequence() {
    return sequence < 0 ? OptionalInt.empty() : OptionalInt.of(sequence);
  }

  /** Duration of the media that is there and plays, in seconds (0 when it is not media). */
  public double durationSeconds() {
    return durationSeconds;
  }

  /**
   * What the container's index declares, in seconds: more than {@link #durationSeconds()} when the
   * file was cut short (the end of the placement is the declared end; what is past the media that
   * is left was lost).
   */
  public double declaredSeconds() {
    return declaredSeconds;
  }

  /** Gaps inside the recording, in device time. */
  public List<Interval> gaps() {
    return gaps;
  }

  /** What the container revealed (benign notes included; see {@link MediaFinding#benign()}). */
  public List<MediaFinding> findings() {
    return findings;
  }

  /** The media type stored in the seal. */
  public String mediaType() {
    return mediaType;
  }

  /** The probed timeline; empty when the file is not media. */
  public Optional<RecordingTimeline> timeline() {
    return Optional.ofNullable(timeline);
  }
}
