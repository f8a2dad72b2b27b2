package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the analyzer needs to know about one recording, format-agnostic: device, officer, sequence
 * number, start and end by the device clock, holes inside it, stretches whose media is lost
 * (declared by the index but not playable: truncated, damaged or recovered files), container
 * findings, the measured device clock offset, ingest time and Art. 12 markers.
 */
public final class RecordingSpan {
  private final String id;
  private final String deviceId;
  private final String officerId;
  private final Integer sequence;
  private final Instant start;
  private final Instant end;
  private final List<Interval> internalGaps;
  private final List<Interval> lostMedia;
  private final List<String> containerFindings;
  private final List<Placed> placedFindings;
  private final Duration clockOffset;
  private final Instant ingestTime;
  private final Instant partyInformedAt;
  private final String partyInformedBy;
  private final boolean locked;

  private RecordingSpan(Builder b) {
    this.id = requireNonNull(b.id, "id");
    this.deviceId = b.deviceId;
    this.officerId = b.officerId;
    this.sequence = b.sequence;
    this.start = b.start;
    this.end = b.end;
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("recording " + id + " ends before it starts");
    }
    this.internalGaps = List.copyOf(b.internalGaps);
    for (Interval l : b.lostMedia) {
      if (l.start().isBefore(start) || l.end().isAfter(end)) {
        throw new IllegalArgumentException(
            "recording " + id + ": lost media " + l + " lies outside the recording");
      }
    }
    this.lostMedia = List.copyOf(b.lostMedia);
    this.containerFindings = List.copyOf(b.containerFindings);
    this.placedFindings = List.copyOf(b.placedFindings);
    this.clockOffset = b.clockOffset;
    this.ingestTime = b.ingestTime;
    this.partyInformedAt = b.partyInformedAt;
    this.partyInformedBy = b.partyInformedBy;
    this.locked = b.locked;
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  public String id() {
    return id;
  }

  public String deviceId() {
    return deviceId;
  }

  public Optional<String> officerId() {
    return Optional.ofNullable(officerId);
  }

  /** The device's file sequence number (e.g. 002 of DEVCAM7_..._002.mp4), never negative. */
  public OptionalInt sequence() {
    return sequence == null ? OptionalInt.empty() : OptionalInt.of(sequence);
  }

  /** Start by the device's clock. */
  public Instant start() {
    return start;
  }

  /** End by the device's clock. */
  public Instant end() {
    return end;
  }

  /** Holes inside the recording (device clock), e.g. from a timestamp gap. */
  public List<Interval> internalGaps() {
    return internalGaps;
  }

  /**
   * Stretches (device clock) the index declares but whose media cannot be played: the missing tail
   * of a truncated file, a damaged run of samples. They count as not recorded.
   */
  public List<Interval> lostMedia() {
    return lostMedia;
  }

  /** Codes of container findings (e.g. SECOND_ENCODER_BANNER) carried over from the probe. */
  public List<String> containerFindings() {
    return containerFindings;
  }

  /**
   * Where the container findings that say so lie, in trusted time: a point (start equal to end)
   * where the container shows a join, or a stretch whose both ends it states.
   */
  List<Placed> truePlacedFindings() {
    Duration off = clockOffset == null ? Duration.ZERO : clockOffset.negated();
    List<Placed> out = new ArrayList<>();
    placedFindings.forEach(p -> out.add(new Placed(p.code(), p.where().shift(off))));
    return out;
  }

  /** A container finding's code and where it lies. */
  record Placed(String code, Interval where) {}

  /** Device clock minus trusted clock, measured at docking (positive: the device runs ahead). */
  public Optional<Duration> clockOffset() {
    return Optional.ofNullable(clockOffset);
  }

  public Optional<Instant> ingestTime() {
    return Optional.ofNullable(ingestTime);
  }

  /** Art. 12: when the party was told they are being recorded, if marked. */
  public Optional<Instant> partyInformedAt() {
    return Optional.ofNullable(partyInformedAt);
  }

  /** Art. 12: who told the party, if marked. */
  public Optional<String> partyInformedBy() {
    return Optional.ofNullable(partyInformedBy);
  }

  /** A locked (EVENT) file, which loop recording does not overwrite. */
  public boolean locked() {
    return locked;
  }

  /** The recording in trusted time: device time minus the clock offset. */
  public Interval trueSpan() {
    Duration off = clockOffset == null ? Duration.ZERO : clockOffset;
    return new Interval(start.minus(off), end.minus(off));
  }

  /** Internal gaps in trusted time. */
  public List<Interval> trueGaps() {
    Duration off = clockOffset == null ? Duration.ZERO : clockOffset.negated();
    List<Interval> out = new ArrayList<>();
    internalGaps.forEach(g -> out.add(g.shift(off)));
    return out;
  }

  /** Lost media in trusted time. */
  public List<Interval> trueLostMedia() {
    Duration off = clockOffset == null ? Duration.ZERO : clockOffset.negated();
    List<Interval> out = new ArrayList<>();
    lostMedia.forEach(g -> out.add(g.shift(off)));
    return out;
  }

  /** What can be played, in trusted time: the span minus internal gaps and lost media. */
  List<Interval> truePlayable() {
    List<Interval> holes = new ArrayList<>(trueGaps());
    holes.addAll(trueLostMedia());
    return Intervals.subtract(List.of(trueSpan()), holes);
  }

  /**
   * A builder holding this span's values; each may be replaced once (as each setting of a fresh
   * builder may be made once).
   */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.deviceId = deviceId;
    b.start = start;
    b.end = end;
    b.officerId = officerId;
    b.sequence = sequence;
    b.internalGaps.addAll(internalGaps);
    b.lostMedia.addAll(lostMedia);
    b.containerFindings.addAll(containerFindings);
    b.placedFindings.addAll(placedFindings);
    b.clockOffset = clockOffset;
    b.ingestTime = ingestTime;
    b.partyInformedAt = partyInformedAt;
    b.partyInformedBy = partyInformedBy;
    b.locked = locked;
    return b;
  }

  public static final class Builder {
    private final String id;
    private String deviceId;
    private String officerId;
    private Integer sequence;
    private Instant start;
    private Instant end;
    private final List<Interval> internalGaps = new ArrayList<>();
    private final List<Interval> lostMedia = new ArrayList<>();
    private final List<String> containerFindings = new ArrayList<>();
    private final List<Placed> placedFindings = new ArrayList<>();
    private Duration clockOffset;
    private Instant ingestTime;
    private Instant partyInformedAt;
    private String partyInformedBy;
    private boolean locked;

    private final Set<String> set = new HashSet<>();

    private Builder(String id) {
      this.id = requireNonNull(id, "id");
    }

    /** A setting made twice is a caller's mistake: the first value would be silently lost. */
    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " of recording " + id + " was already set");
      }
    }

    /** The recording device; required. */
    public Builder deviceId(String v) {
      once("deviceId");
      this.deviceId = requireNonNull(v, "deviceId");
      return this;
    }

    public Builder officerId(String v) {
      once("officerId");
      this.officerId = requireNonNull(v, "officerId");
      return this;
    }

    /**
     * The device's file sequence number, as the camera wrote it into the file name ({@code 002} of
     * {@code DEVCAM7_..._002.mp4} is 2; {@code FILE0000.MOV} is 0).
     *
     * @throws IllegalArgumentException if {@code v} is negative: no camera numbers a file below 0,
     *     and a negative number would make the files between two numbers wrong
     */
    public Builder sequence(int v) {
      once("sequence");
      if (v < 0) {
        throw new IllegalArgumentException(
            "sequence " + v + " of recording " + id + " is negative (file numbers start at 0)");
      }
      this.sequence = v;
      return this;
    }

    /** When recording started (device clock); required. */
    public Builder start(Instant v) {
      once("start");
      this.start = requireNonNull(v, "start");
      return this;
    }

    /** When recording ended (device clock); required. */
    public Builder end(Instant v) {
      once("end");
      this.end = requireNonNull(v, "end");
      return this;
    }

    public Builder addInternalGap(Interval v) {
      internalGaps.add(requireNonNull(v, "internalGap"));
      return this;
    }

    /** A stretch (device clock) the index declares whose media cannot be played. */
    public Builder addLostMedia(Interval v) {
      lostMedia.add(requireNonNull(v, "lostMedia"));
      return this;
    }

    /**
     * The media present ends at {@code v} (device clock) although the index declares more: the
     * rest, up to {@link #end}, is lost. Needs start and end set first.
     */
    public Builder playableUntil(Instant v) {
      requireNonNull(v, "playableUntil");
      if (start == null || end == null) {
        throw new IllegalStateException("playableUntil needs start and end set first");
      }
      if (v.isBefore(start)) {
        v = start;
      }
      if (v.isBefore(end)) {
        lostMedia.add(new Interval(v, end));
      }
      return this;
    }

    public Builder addContainerFinding(String code) {
      containerFindings.add(requireNonNull(code, "code"));
      return this;
    }

    /**
     * A container finding whose place the container states, by the device clock like the span:
     * {@code where} of no length is the point where it shows (a splice, a join's scar); with a
     * length, the stretch whose both ends it states (media an edit list hides, which may lie past
     * the presented end). The analyzer then names that time and narrows the finding to the stretch
     * in doubt; a code added without a place keeps the whole recording in doubt.
     */
    public Builder addContainerFinding(String code, Interval where) {
      requireNonNull(where, "where");
      containerFindings.add(requireNonNull(code, "code"));
      placedFindings.add(new Placed(code, where));
      return this;
    }

    public Builder clockOffset(Duration v) {
      once("clockOffset");
      this.clockOffset = requireNonNull(v, "clockOffset");
      return this;
    }

    public Builder ingestTime(Instant v) {
      once("ingestTime");
      this.ingestTime = requireNonNull(v, "ingestTime");
      return this;
    }

    public Builder partyInformedAt(Instant v) {
      once("partyInformedAt");
      this.partyInformedAt = requireNonNull(v, "partyInformedAt");
      return this;
    }

    public Builder partyInformedBy(String v) {
      once("partyInformedBy");
      this.partyInformedBy = requireNonNull(v, "partyInformedBy");
      return this;
    }

    public Builder locked(boolean v) {
      once("locked");
      this.locked = v;
      return this;
    }

    /**
     * The span.
     *
     * @throws IllegalStateException naming a missing deviceId, start or end
     */
    public RecordingSpan build() {
      String missing =
          deviceId == null ? "deviceId" : start == null ? "start" : end == null ? "end" : null;
      if (missing != null) {
        throw new IllegalStateException("recording " + id + " needs a " + missing);
      }
      return new RecordingSpan(this);
    }
  }
}
