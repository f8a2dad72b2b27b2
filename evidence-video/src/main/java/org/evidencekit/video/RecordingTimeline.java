package org.evidencekit.video;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a container says about a recording, read from its index without touching the media:
 * container kind, creation and modification times, duration, tracks with their sample timelines,
 * metadata, and the findings of single-file checks. Immutable.
 */
public final class RecordingTimeline {
  private final long fileSize;
  private final ContainerKind container;
  private final String majorBrand;
  private final Instant creationTime;
  private final Instant modificationTime;
  private final double durationSeconds;
  private final List<TrackTimeline> tracks;
  private final List<MediaFinding> findings;
  private final String encoder;
  private final String location;
  private final Map<String, String> metadata;
  private final Long recoveredFrames;
  private final Long recoveredKeyframes;
  private final Timecode timecode;
  private final Instant gpsTime;
  private final String gpsPosition;
  private final boolean truncated;
  private final LocalDateTime localCreationTime;
  private final boolean durationEstimated;

  /**
   * A QuickTime timecode track's start.
   *
   * @param frames the frame counter of the first sample
   * @param framesPerSecond timescale / frame duration (29.97 for 30000/1001)
   */
  public record Timecode(long frames, double framesPerSecond) {
    /** Seconds since midnight the counter stands for. */
    public double secondsOfDay() {
      return frames / framesPerSecond;
    }

    /** {@code HH:MM:SS.mmm}. */
    public String timeOfDay() {
      long ms = Math.round(secondsOfDay() * 1000);
      return String.format(
          java.util.Locale.ROOT,
          "%02d:%02d:%02d.%03d",
          (ms / 3_600_000) % 24,
          (ms / 60_000) % 60,
          (ms / 1000) % 60,
          ms % 1000);
    }
  }

  RecordingTimeline(
      long fileSize,
      ContainerKind container,
      String majorBrand,
      Instant creationTime,
      Instant modificationTime,
      double durationSeconds,
      List<TrackTimeline> tracks,
      List<MediaFinding> findings,
      String encoder,
      String location,
      Map<String, String> metadata,
      Long recoveredFrames,
      Long recoveredKeyframes,
      Timecode timecode,
      Instant gpsTime,
      String gpsPosition,
      boolean truncated,
      boolean durationEstimated,
      LocalDateTime localCreationTime) {
    this.fileSize = fileSize;
    this.container = container;
    this.majorBrand = majorBrand;
    this.creationTime = creationTime;
    this.modificationTime = modificationTime;
    this.durationSeconds = durationSeconds;
    this.tracks = List.copyOf(tracks);
    this.findings =
        findings instanceof FindingList ? ((FindingList) findings).closed() : List.copyOf(findings);
    this.encoder = encoder;
    this.location = location;
    this.metadata = Map.copyOf(metadata);
    this.recoveredFrames = recoveredFrames;
    this.recoveredKeyframes = recoveredKeyframes;
    this.timecode = timecode;
    this.gpsTime = gpsTime;
    this.gpsPosition = gpsPosition;
    this.truncated = truncated;
    this.durationEstimated = durationEstimated;
    this.localCreationTime = localCreationTime;
  }

  /**
   * A creation time the container stores as local wall-clock time with no zone (the BWF {@code
   * bext} origination date and time of a WAV file): read it in the device's zone.
   */
  public Optional<LocalDateTime> localCreationTime() {
    return Optional.ofNullable(localCreationTime);
  }

  /**
   * Whether the recording is incomplete: no movie box (power loss), a movie box cut short, or an
   * index describing samples beyond the end of the file. Its {@link #durationSeconds()} is then
   * what is left, and {@link #recoveredFrames()} says how many frames are.
   */
  public boolean truncated() {
    return truncated;
  }

  /**
   * Whether {@link #durationSeconds()} is an estimate: a file without an index, whose frames were
   * counted in the media data and timed by the stream's frame rate (or 25 fps when the stream does
   * not state one; the {@code MOOV_MISSING} finding says which).
   */
  public boolean durationEstimated() {
    return durationEstimated;
  }

  /** The start of a {@code tmcd} timecode track, if any. */
  public Optional<Timecode> timecode() {
    return Optional.ofNullable(timecode);
  }

  /** The first GPS UTC time in GoPro GPMF telemetry, if any: a clock to check the camera's by. */
  public Optional<Instant> gpsTime() {
    return Optional.ofNullable(gpsTime);
  }

  /** The first GPS fix in the telemetry, {@code "lat,lon"} in decimal degrees, if any. */
  public Optional<String> gpsPosition() {
    return Optional.ofNullable(gpsPosition);
  }

  public long fileSize() {
    return fileSize;
  }

  public ContainerKind container() {
    return container;
  }

  public Optional<String> majorBrand() {
    return Optional.ofNullable(majorBrand);
  }

  /**
   * The movie header's creation time (UTC as stored; cameras may write local time); empty when the
   * file has none (a remux, a power-loss file): place it by its name ({@link FileNameClock}).
   */
  public Optional<Instant> creationTime() {
    return Optional.ofNullable(creationTime);
  }

  public Optional<Instant> modificationTime() {
    return Optional.ofNullable(modificationTime);
  }

  /**
   * The movie duration (movie header, or the longest fragmented track as its fragments' decode
   * times state it, fragments missing included), in seconds; for a {@link #truncated()} file, the
   * duration of what is left (estimated when {@link #durationEstimated()}).
   */
  public double durationSeconds() {
    return durationSeconds;
  }

  public List<TrackTimeline> tracks() {
    return tracks;
  }

  /** The first track with this handler ({@code vide}, {@code soun}), if any. */
  public Optional<TrackTimeline> track(String handler) {
    return tracks.stream().filter(t -> t.handler().equals(handler)).findFirst();
  }

  public List<MediaFinding> findings() {
    return findings;
  }

  public boolean has(String code) {
    return findings.stream().anyMatch(f -> f.code().equals(code));
  }

  /** The encoder banner or tag found (e.g. {@code x264 - core 164 ...}), if any. */
  public Optional<String> encoder() {
    return Optional.ofNullable(encoder);
  }

  /** ISO 6709 location from {@code udta/©xyz} or the {@code meta} keys, if any. */
  public Optional<String> location() {
    return Optional.ofNullable(location);
  }

  /** Metadata keys and values ({@code meta} keys such as {@code com.android.version}). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * For a {@link #truncated()} file: the video frames left, counted in the media data when there is
   * no index, or the indexed frames wholly inside the file.
   */
  public OptionalLong recoveredFrames() {
    return recoveredFrames == null ? OptionalLong.empty() : OptionalLong.of(recoveredFrames);
  }

  public OptionalLong recoveredKeyframes() {
    return recoveredKeyframes == null ? OptionalLong.empty() : OptionalLong.of(recoveredKeyframes);
  }
}
