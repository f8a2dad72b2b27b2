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
  private final boolean benign;

  private MediaFinding(
      String code,
      String message,
      Integer trackId,
      Long sample,
      Double timeSeconds,
      Long byteOffset) {
    this.code = requireNonNull(code);
    this.message = requireNonNull(message);
    this.trackId = trackId;
    this.sample = sample;
    this.timeSeconds = timeSeconds;
    this.byteOffset = byteOffset;
    this.benign = false;
  }

  private MediaFinding(MediaFinding f, boolean benign) {
    this.code = f.code;
    this.message = f.message;
    this.trackId = f.trackId;
    this.sample = f.sample;
    this.timeSeconds = f.timeSeconds;
    this.byteOffset = f.byteOffset;
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
    return new MediaFinding(code, message, null, null, null, null);
  }

  static MediaFinding at(
      String code, String message, int trackId, long sample, double timeSeconds, long byteOffset) {
    return new MediaFinding(
        code, message, trackId, sample, timeSeconds, byteOffset < 0 ? null : byteOffset);
  }

  static MediaFinding track(String code, String message, int trackId) {
    return new MediaFinding(code, message, trackId, null, null, null);
  }

  static MediaFinding offset(String code, String message, long byteOffset) {
    return new MediaFinding(code, message, null, null, null, byteOffset);
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

  /** Decode time of the sample in seconds of media time. */
  public OptionalDouble timeSeconds() {
    return timeSeconds == null ? OptionalDouble.empty() : OptionalDouble.of(timeSeconds);
  }

  public OptionalLong byteOffset() {
    return byteOffset == null ? OptionalLong.empty() : OptionalLong.of(byteOffset);
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
