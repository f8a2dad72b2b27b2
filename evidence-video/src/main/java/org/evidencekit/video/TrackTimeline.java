package org.evidencekit.video;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One track of a recording: what it holds, its timescale and samples, its edit list (raw and
 * presented timelines), sync samples, codec configuration digest and the gaps found in it.
 */
public final class TrackTimeline {
  private final int trackId;
  private final String handler;
  private final String handlerName;
  private final String codec;
  private final long timescale;
  private final long sampleCount;
  private final long durationTicks;
  private final long syncSampleCount;
  private final Long nominalSampleDuration;
  private final Long gopLength;
  private final List<EditListEntry> editList;
  private final double presentedStartSeconds;
  private final String codecConfigDigest;
  private final int sampleDescriptions;
  private final List<TimelineGap> gaps;
  private final long gapCount;
  private final long completeSamples;
  private final Iterable<Sample> samples;

  /** For a tmcd track: frames per second of its timecode (set by the probe). */
  Double timecodeRate;

  TrackTimeline(
      int trackId,
      String handler,
      String handlerName,
      String codec,
      long timescale,
      long sampleCount,
      long durationTicks,
      long syncSampleCount,
      Long nominalSampleDuration,
      Long gopLength,
      List<EditListEntry> editList,
      double presentedStartSeconds,
      String codecConfigDigest,
      int sampleDescriptions,
      List<TimelineGap> gaps,
      long gapCount,
      long completeSamples,
      Iterable<Sample> samples) {
    this.trackId = trackId;
    this.handler = handler;
    this.handlerName = handlerName;
    this.codec = codec;
    this.timescale = timescale;
    this.sampleCount = sampleCount;
    this.durationTicks = durationTicks;
    this.syncSampleCount = syncSampleCount;
    this.nominalSampleDuration = nominalSampleDuration;
    this.gopLength = gopLength;
    this.editList = List.copyOf(editList);
    this.presentedStartSeconds = presentedStartSeconds;
    this.codecConfigDigest = codecConfigDigest;
    this.sampleDescriptions = sampleDescriptions;
    this.gaps = List.copyOf(gaps);
    this.gapCount = gapCount;
    this.completeSamples = completeSamples;
    this.samples = samples;
  }

  public int trackId() {
    return trackId;
  }

  /** The handler type: {@code vide}, {@code soun}, {@code tmcd}, {@code meta}, … */
  public String handler() {
    return handler;
  }

  public String handlerName() {
    return handlerName;
  }

  /** The sample entry fourcc: {@code avc1}, {@code hvc1}, {@code mp4a}, … */
  public String codec() {
    return codec;
  }

  public long timescale() {
    return timescale;
  }

  public long sampleCount() {
    return sampleCount;
  }

  /**
   * The track's length on its raw timeline, in timescale units: from its first sample's decode time
   * to the end of its last. That is the sum of the sample durations unless the decode times jump
   * past what the samples last (a fragment taken out of a fragmented file, whose fragments state
   * their decode times): then it includes the stretch missing, which {@link #gaps()} lists.
   */
  public long durationTicks() {
    return durationTicks;
  }

  public double durationSeconds() {
    return timescale == 0 ? 0 : (double) durationTicks / timescale;
  }

  /** Sync samples (keyframes); every sample when the track has no sync table. */
  public long syncSampleCount() {
    return syncSampleCount;
  }

  /** The most common sample duration, in timescale units. */
  public OptionalLong nominalSampleDuration() {
    return nominalSampleDuration == null
        ? OptionalLong.empty()
        : OptionalLong.of(nominalSampleDuration);
  }

  /** The most common distance between sync samples, in samples. */
  public OptionalLong gopLength() {
    return gopLength == null ? OptionalLong.empty() : OptionalLong.of(gopLength);
  }

  public List<EditListEntry> editList() {
    return editList;
  }

  /** When the presented timeline starts in movie time (empty edits), in seconds. */
  public double presentedStartSeconds() {
    return presentedStartSeconds;
  }

  /** SHA-256 (hex) of the codec configuration (avcC/hvcC), if the sample entry has one. */
  public Optional<String> codecConfigDigest() {
    return Optional.ofNullable(codecConfigDigest);
  }

  /** Number of sample descriptions; more than one means the configuration changes. */
  public int sampleDescriptions() {
    return sampleDescriptions;
  }

  /**
   * The gaps, in order: samples that last much longer than the others, or after which the next
   * sample's decode time jumps (fragments missing); consecutive ones are one gap; at most the first
   * 100 are listed ({@link #gapCount()} counts them all).
   */
  public List<TimelineGap> gaps() {
    return gaps;
  }

  /** How many gaps the track has, listed or not. */
  public long gapCount() {
    return gapCount;
  }

  /** Samples whose bytes lie wholly inside the file. */
  public long completeSamples() {
    return completeSamples;
  }

  /** Every sample, decoded lazily from the index (re-iterable). */
  public Iterator<Sample> samples() {
    return samples.iterator();
  }

  @Override
  public String toString() {
    return "track " + trackId + " " + handler + "/" + codec + " " + sampleCount + " samples";
  }
}
