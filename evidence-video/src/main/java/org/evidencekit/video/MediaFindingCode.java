package org.evidencekit.video;

/**
 * Stable codes of single-file container findings (docs/video.md). Frozen once released; a constant
 * class because the vocabulary grows.
 */
public final class MediaFindingCode {
  private MediaFindingCode() {}

  /** One sample lasts far longer than the track's nominal sample: footage is missing. */
  public static final String TIMESTAMP_GAP = "TIMESTAMP_GAP";

  /** A sample's duration differs from the nominal one (not enough for a gap): a splice scar. */
  public static final String DURATION_ANOMALY = "DURATION_ANOMALY";

  /** Samples with zero duration (frozen frames or metadata tracks). */
  public static final String ZERO_DURATION_SAMPLES = "ZERO_DURATION_SAMPLES";

  /** An edit list is present; the message says whether it is the benign encoder-priming kind. */
  public static final String EDIT_LIST = "EDIT_LIST";

  /** More than one sample description in a track: the codec configuration changes mid-stream. */
  public static final String CODEC_CONFIG_CHANGE = "CODEC_CONFIG_CHANGE";

  /**
   * A second encoder banner (x264 SEI) inside the stream: footage from another encode spliced in.
   */
  public static final String SECOND_ENCODER_BANNER = "SECOND_ENCODER_BANNER";

  /** No creation time in the movie header (0: ffmpeg remuxes write none unless told). */
  public static final String MISSING_CREATION_TIME = "MISSING_CREATION_TIME";

  /** The movie, track and media headers disagree about the creation time. */
  public static final String CREATION_TIME_DISAGREEMENT = "CREATION_TIME_DISAGREEMENT";

  /**
   * The file has no movie box: power loss before it was written. Frames and keyframes are counted
   * in the media data and the duration is estimated from them (the message gives the numbers).
   */
  public static final String MOOV_MISSING = "MOOV_MISSING";

  /**
   * The file is a media segment (moof+mdat, from a DASH/HLS packager or a camera writing chunk
   * files) without the movie box, which is in the stream's initialization segment: no damage, but
   * the tracks and their timing cannot be read alone. The message gives the fragments' numbers and
   * says to analyse it joined after its initialization segment; frames are counted as for {@link
   * #MOOV_MISSING}.
   */
  public static final String MEDIA_SEGMENT = "MEDIA_SEGMENT";

  /** A box's declared size runs past the end of the file. */
  public static final String TRUNCATED_BOX = "TRUNCATED_BOX";

  /** The sample table describes samples whose bytes lie beyond the end of the file. */
  public static final String SAMPLES_BEYOND_EOF = "SAMPLES_BEYOND_EOF";

  /**
   * Media data between a file's samples that no sample of any track references: samples taken out
   * of the sample tables with their bytes left behind (an edit that keeps the timestamps running).
   */
  public static final String UNREFERENCED_MEDIA = "UNREFERENCED_MEDIA";

  /** A top-level mdat of size 0 ("to end of file"), as a camera leaves it after power loss. */
  public static final String MDAT_SIZE_ZERO = "MDAT_SIZE_ZERO";

  /** Fragment sequence numbers or decode times do not continue. */
  public static final String FRAGMENT_DISCONTINUITY = "FRAGMENT_DISCONTINUITY";

  /** The file is recognised (e.g. WAV) but carries no sample timeline to analyse. */
  public static final String NO_TIMELINE = "NO_TIMELINE";

  /**
   * The creation time differs from the GPS time in the telemetry: typically a camera writing local
   * time; the message gives the offset.
   */
  public static final String CREATION_TIME_VS_GPS = "CREATION_TIME_VS_GPS";

  /** The sample size table and the time-to-sample table count different numbers of samples. */
  public static final String SAMPLE_COUNT_MISMATCH = "SAMPLE_COUNT_MISMATCH";

  /**
   * The movie box runs past the end of the file (cut inside the index): treated like a missing one,
   * the media data is scanned for frames.
   */
  public static final String INDEX_INCOMPLETE = "INDEX_INCOMPLETE";

  /** A second movie box: only the first is read; a file is not expected to carry two indexes. */
  public static final String DUPLICATE_MOOV = "DUPLICATE_MOOV";

  /** Two tracks share one track id: only the first gets the fragments' samples. */
  public static final String DUPLICATE_TRACK_ID = "DUPLICATE_TRACK_ID";

  /**
   * Bytes that are no box where a top-level box belongs: the file is damaged from there on (a
   * power-loss tail, a bad copy). What came before is read.
   */
  public static final String DAMAGED_TAIL = "DAMAGED_TAIL";

  /**
   * More gaps than are listed one by one in a track: the rest are counted in one finding with their
   * total length (a hostile or badly broken index would otherwise flood the report).
   */
  public static final String MORE_GAPS = "MORE_GAPS";

  /**
   * Inside one track, the codec parameters (SPS/PPS/VPS: picture size, profile, encoder settings)
   * or the encoder identification (SEI user data) change at a keyframe: footage from another camera
   * or encode was joined in by stream copy. The finding gives the sample and time.
   */
  public static final String SPLICE = "SPLICE";

  /**
   * The container's creation time (or GPS time) and the time in the file name disagree beyond the
   * tolerance; the message gives both times and the difference. Benign when the difference is the
   * clock zone's offset (a camera writing local time as UTC) or the recording's length (a camera
   * stamping the file when it closed it).
   */
  public static final String NAME_TIME_MISMATCH = "NAME_TIME_MISMATCH";

  /**
   * The movie box is there but cannot be read (damaged, or hostile beyond the limits): the message
   * says which box and why; the media data is scanned for frames as for {@link #MOOV_MISSING}.
   */
  public static final String INDEX_DAMAGED = "INDEX_DAMAGED";
}
