package org.evidencekit.video;

import static java.util.Objects.requireNonNull;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One observation about a file, with a stable {@link MediaFindingCode}, where it is (track, sample,
 * media time, byte offset, whichever apply) and an explanation with the numbers.
 */
public final class MediaFinding {
  private final String code;
  private final String message;
  private final Integer trackId;
  private final Long sample;
  private final Double timeSeconds;
  private final Long byteOffset;
  private final Double endSeconds;
  private final boolean benign;

  private MediaFinding(
      String code,
      String message,
      Integer trackId,
      Long sample,
      Double timeSeconds,
      Long byteOffset,
      Double endSeconds) {
    this.code = requireNonNull(code);
    this.message = requireNonNull(message);
    this.trackId = trackId;
    this.sample = sample;
    this.timeSeconds = timeSeconds;
    this.byteOffset = byteOffset;
    this.endSeconds = endSeconds;
    this.benign = false;
  }

  private MediaFinding(MediaFinding f, boolean benign) {
    this.code = f.code;
    this.message = f.message;
    this.trackId = f.trackId;
    this.sample = f.sample;
    this.timeSeconds = f.timeSeconds;
    this.byteOffset = f.byteOffset;
    this.endSeconds = f.endSeconds;
    this.benign = benign;
  }

  /** This finding, marked as known to be harmless (an encoder's normal edit list). */
  MediaFinding asBenign() {
    return new MediaFinding(this, true);
  }

  /**
   * Whether the finding is known to be harmless: an edit list of the kind every encoder writes
   * (whole media, B-frame delay, AAC priming). Benign findings are reported, not counted against a
   * recording.
   */
  public boolean benign() {
    return benign;
  }

  static MediaFinding of(String code, String message) {
    return new MediaFinding(code, message, null, null, null, null, null);
  }

  static MediaFinding at(
      String code, String message, int trackId, long sample, double timeSeconds, long byteOffset) {
    return new MediaFinding(
        code, message, trackId, sample, timeSeconds, byteOffset < 0 ? null : byteOffset, null);
  }

  /**
   * A finding about a track at a point of its presented timeline, shown by the box at an offset.
   */
  static MediaFinding at(
      String code, String message, int trackId, double timeSeconds, long byteOffset) {
    return new MediaFinding(code, message, trackId, null, timeSeconds, byteOffset, null);
  }

  static MediaFinding track(String code, String message, int trackId) {
    return new MediaFinding(code, message, trackId, null, null, null, null);
  }

  static MediaFinding offset(String code, String message, long byteOffset) {
    return new MediaFinding(code, message, null, null, null, byteOffset, null);
  }

  /** A finding at a byte offset whose place on the presented timeline is known too. */
  static MediaFinding offset(String code, String message, long byteOffset, double timeSeconds) {
    return new MediaFinding(code, message, null, null, timeSeconds, byteOffset, null);
  }

  /**
   * A finding about a stretch of a track's media whose both ends the container states (an edit list
   * hiding media {@code fromSeconds} to {@code toSeconds}), in seconds of presented media time.
   */
  static MediaFinding during(
      String code, String message, int trackId, double fromSeconds, double toSeconds) {
    return new MediaFinding(code, message, trackId, null, fromSeconds, null, toSeconds);
  }

  /**
   * As {@link #during(String, String, int, double, double)}, at the box that shows it (a fragment
   * whose decode time skips the stretch it lacks).
   */
  static MediaFinding during(
      String code,
      String message,
      int trackId,
      double fromSeconds,
      double toSeconds,
      long byteOffset) {
    return new MediaFinding(code, message, trackId, null, fromSeconds, byteOffset, toSeconds);
  }

  /**
   * A finding at a byte offset about no one track, over a stretch of the presented timeline whose
   * both ends the container states (the media of fragments missing from the sequence).
   */
  static MediaFinding offset(
      String code, String message, long byteOffset, double fromSeconds, double toSeconds) {
    return new MediaFinding(code, message, null, null, fromSeconds, byteOffset, toSeconds);
  }

  public String code() {
    return code;
  }

  public String message() {
    return message;
  }

  public OptionalInt trackId() {
    return trackId == null ? OptionalInt.empty() : OptionalInt.of(trackId);
  }

  /** Zero-based sample index in the track. */
  public OptionalLong sample() {
    return sample == null ? OptionalLong.empty() : OptionalLong.of(sample);
  }

  /**
   * Where in media time the finding is, in seconds: the decode time of its sample, or the start of
   * the stretch it concerns (see {@link #endSeconds()}).
   */
  public OptionalDouble timeSeconds() {
    return timeSeconds == null ? OptionalDouble.empty() : OptionalDouble.of(timeSeconds);
  }

  /**
   * The end, in media time, of the stretch the finding concerns when the container states both of
   * its ends (an edit list hiding media 2.0 to 4.0 s: {@link #timeSeconds()} 2.0, this 4.0; a
   * fragment missing whose neighbours' decode times say it held 2.0 to 3.0 s); empty for a finding
   * at one point or of no known place. Times count from the start of the media the track presents
   * first, so they line up with the recording's presented timeline.
   */
  public OptionalDouble endSeconds() {
    return endSeconds == null ? OptionalDouble.empty() : OptionalDouble.of(endSeconds);
  }

  public OptionalLong byteOffset() {
    return byteOffset == null ? OptionalLong.empty() : OptionalLong.of(byteOffset);
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
