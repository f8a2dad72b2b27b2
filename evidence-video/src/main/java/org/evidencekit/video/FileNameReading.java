package org.evidencekit.video;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a recording's file name says, read by a {@link FileNameClock}: the naming convention that
 * matched, the time the camera wrote into the name (local wall-clock time and the instant it stands
 * for in the clock's zone), the sequence number, and the device and officer numbers where the
 * convention carries them. Every part but the convention may be absent: {@code
 * FILE0001.MOV} has a sequence and no time. Immutable.
 */
public final class FileNameReading {
  private final String convention;
  private final LocalDateTime localTime;
  private final Instant time;
  private final Long sequence;
  private final Integer chapter;
  private final String deviceId;
  private final String officerId;
  private final boolean event;

  FileNameReading(
      String convention,
      LocalDateTime localTime,
      Instant time,
      Long sequence,
      Integer chapter,
      String deviceId,
      String officerId,
      boolean event) {
    this.convention = requireNonNull(convention, "convention");
    this.localTime = localTime;
    this.time = time;
    this.sequence = sequence;
    this.chapter = chapter;
    this.deviceId = deviceId;
    this.officerId = officerId;
    this.event = event;
  }

  /**
   * The convention that matched, as named in docs/video.md (e.g. {@code "GA/T 947 body camera"},
   * {@code "Google Pixel"}, or {@code "user pattern for <model>"}).
   */
  public String convention() {
    return convention;
  }

  /** The date and time written in the name, as the camera's clock showed it. */
  public Optional<LocalDateTime> localTime() {
    return Optional.ofNullable(localTime);
  }

  /**
   * The instant the name's time stands for: the local time in the clock's zone, or in UTC for
   * conventions known to name files in UTC (Google Pixel).
   */
  public Optional<Instant> time() {
    return Optional.ofNullable(time);
  }

  /**
   * The file's sequence number on the card (GoPro: the file number shared by its chapters), exactly
   * as its digits say: nine digits at most (a user pattern's {@code {seq}}; the standard table's
   * conventions read fewer), so 0 to 999,999,999, which fits an {@code int}.
   */
  public OptionalLong sequence() {
    return sequence == null ? OptionalLong.empty() : OptionalLong.of(sequence);
  }

  /**
   * The chapter of a recording that the camera split into several files (GoPro {@code GH02xxxx} is
   * chapter 2), if the convention has chapters.
   */
  public OptionalInt chapter() {
    return chapter == null ? OptionalInt.empty() : OptionalInt.of(chapter);
  }

  /** The device (camera) number in the name, if any. */
  public Optional<String> deviceId() {
    return Optional.ofNullable(deviceId);
  }

  /** The officer (police) number in the name, if any (GA/T 947 body cameras). */
  public Optional<String> officerId() {
    return Optional.ofNullable(officerId);
  }

  /**
   * Whether the name marks a locked or event file (dashcam {@code EV…}/{@code …_E}), which a
   * loop-recording card keeps apart from normal files.
   */
  public boolean event() {
    return event;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FileNameReading
        && convention.equals(((FileNameReading) o).convention)
        && Objects.equals(localTime, ((FileNameReading) o).localTime)
        && Objects.equals(time, ((FileNameReading) o).time)
        && Objects.equals(sequence, ((FileNameReading) o).sequence)
        && Objects.equals(chapter, ((FileNameReading) o).chapter)
        && Objects.equals(deviceId, ((FileNameReading) o).deviceId)
        && Objects.equals(officerId, ((FileNameReading) o).officerId)
        && event == ((FileNameReading) o).event;
  }

  @Override
  public int hashCode() {
    return Objects.hash(convention, localTime, time, sequence, chapter, deviceId, officerId, event);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(convention);
    if (localTime != null) {
      sb.append(", time ").append(localTime).append(" (").append(time).append(')');
    }
    if (sequence != null) {
      sb.append(", sequence ").append(sequence);
    }
    if (chapter != null) {
      sb.append(", chapter ").append(chapter);
    }
    if (deviceId != null) {
      sb.append(", device ").append(deviceId);
    }
    if (officerId != null) {
      sb.append(", officer ").append(officerId);
    }
    if (event) {
      sb.append(", event file");
    }
    return sb.toString();
  }
}
