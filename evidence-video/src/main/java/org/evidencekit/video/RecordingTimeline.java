package org.evidencekit.video;

import java.time.Instant;
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
      String gpsPosition) {
    this.fileSize = fileSize;
    this.container = container;
    this.majorBrand = majorBrand;
    this.creationTime = creationTime;
    this.modificationTime = modificationTime;
    this.durationSeconds = durationSeconds;
    this.tracks = List.copyOf(tracks);
    this.findings = List.copyOf(findings);
    this.encoder = encoder;
    this.location = location;
    this.metadata = Map.copyOf(metadata);
    this.recoveredFrames = recoveredFrames;
    this.recoveredKeyframes = recoveredKeyframes;
    this.timecode = timecode;
    this.gpsTime = gpsTime;
    this.gpsPosition = gpsPosition;
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

  /** The movie header's creation time (UTC as stored; cameras may write local time). */
  public Optional<Instant> creationTime() {
    return Optional.ofNullable(creationTime);
  }

  public Optional<Instant> modificationTime() {
    return Optional.ofNullable(modificationTime);
  }

  /** The movie duration (movie header, or the longest fragmented track), in seconds. */
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

  /** For a file without a movie box: video frames found by scanning the media data. */
  public OptionalLong recoveredFrames() {
    return recoveredFrames == null ? OptionalLong.empty() : OptionalLong.of(recoveredFrames);
  }

  public OptionalLong recoveredKeyframes() {
    return recoveredKeyframes == null ? OptionalLong.empty() : OptionalLong.of(recoveredKeyframes);
  }
}
