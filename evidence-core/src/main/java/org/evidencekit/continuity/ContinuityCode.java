package org.evidencekit.continuity;

/** Stable codes of continuity findings (docs/continuity-report.md). Frozen once released. */
public final class ContinuityCode {
  private ContinuityCode() {}

  /** An action with no recording at all. Art. 13(1)-(5), 21(1). */
  public static final String ACTION_NOT_RECORDED = "ACTION_NOT_RECORDED";

  /** Recording started after the action (or stage) began. Art. 13/16. */
  public static final String LATE_START = "LATE_START";

  /** Recording stopped before the action (or stage) ended. Art. 13/16. */
  public static final String EARLY_STOP = "EARLY_STOP";

  /** An unrecorded stretch inside an action or stage that no Art. 15 pause justifies. Art. 16. */
  public static final String BREAK_IN_ACTION = "BREAK_IN_ACTION";

  /** A hole inside a recording (a cut with the timestamps kept). Art. 16. */
  public static final String INTERNAL_GAP = "INTERNAL_GAP";

  /** Files of a device session are missing: sequence numbers skip over the gap. Art. 21(2). */
  public static final String MISSING_FILE = "MISSING_FILE";

  /** A gap with missing sequence numbers next to locked files: loop-recording overwrite. */
  public static final String LOOP_OVERWRITE = "LOOP_OVERWRITE";

  /**
   * The device stopped and restarted recording (no file missing). Informational outside actions.
   */
  public static final String STOP_START = "STOP_START";

  /** Consecutive files overlap in time: a clock problem. Art. 10. */
  public static final String OVERLAP = "OVERLAP";

  /** A recording made after the action it belongs to had ended. Art. 16. */
  public static final String POST_HOC_RECORDING = "POST_HOC_RECORDING";

  /** Ingested more than 24 h after the recording ended. Art. 17. */
  public static final String LATE_INGEST = "LATE_INGEST";

  /**
   * Ingested more than 24 h after the recording ended by the device's own clock, and within them
   * only by the clock offset stated for it: the offset is not attested, so the ingest is not shown
   * to be in time. Art. 17.
   */
  public static final String LATE_INGEST_UNCORRECTED = "LATE_INGEST_UNCORRECTED";

  /**
   * Two recordings of one device whose stated clock offsets contradict their order: back to back by
   * the device's clock yet with offsets more than the clock tolerance apart, or recorded in order
   * by it (numbered so, or with no docking between them) yet reversed by their offsets. Offsets are
   * what the signer states; an honest one corrects to when the device really recorded, and one
   * device records one file after another. Art. 10.
   */
  public static final String CLOCK_OFFSET_CONFLICT = "CLOCK_OFFSET_CONFLICT";

  /** The device clock was off by more than the tolerance at docking. Art. 10. */
  public static final String CLOCK_OFFSET = "CLOCK_OFFSET";

  /** A written document's times do not match the recordings it cites. Art. 14. */
  public static final String DOCUMENT_TIME_MISMATCH = "DOCUMENT_TIME_MISMATCH";

  /** A recording that covers no enforcement action: for Art. 21(4) review. */
  public static final String UNLINKED_RECORDING = "UNLINKED_RECORDING";

  /** An inquiry whose recordings carry no "party informed" marker. Art. 12. */
  public static final String PARTY_NOT_INFORMED = "PARTY_NOT_INFORMED";

  /**
   * The container shows footage spliced in or re-encoded (second encoder, config change). Art. 16.
   */
  public static final String SPLICED_FOOTAGE = "SPLICED_FOOTAGE";

  /**
   * The container is truncated or unfinished (power loss, cut file), or part of the media it
   * declares cannot be played; the lost seconds count as not recorded. Art. 16.
   */
  public static final String TRUNCATED_RECORDING = "TRUNCATED_RECORDING";

  /**
   * The file is a media segment (fragments, no movie box) analysed without its initialization
   * segment: it cannot be played or checked for cuts on its own. Not a finding of damage (cameras
   * and packagers that write segments leave such files honestly), but never silent either: a
   * fragmented recording whose header was stripped reads the same way. Always a warning. Art. 16.
   */
  public static final String SEGMENT_WITHOUT_INIT = "SEGMENT_WITHOUT_INIT";

  /**
   * The container shows the recording was edited after the camera closed it: an edit list that
   * hides or reorders media, media left between the samples once samples were taken out of the
   * index, fragments missing or out of order, track times that disagree with a re-stamped movie
   * header, a file name's time that contradicts the container's (renamed or re-stamped), or a frame
   * of another length where two parts were joined by stream copy. Art. 16, 21(2).
   */
  public static final String EDITED_RECORDING = "EDITED_RECORDING";

  /** A document made during a recorded action does not note the recording. Art. 14. */
  public static final String DOCUMENT_CITES_NO_RECORDING = "DOCUMENT_CITES_NO_RECORDING";

  /** A recording an action lists or a document cites is not among the recordings. Art. 21(2). */
  public static final String RECORDING_MISSING = "RECORDING_MISSING";

  /** An action's type is close to, but not, a known type: it was analysed as written. Art. 13. */
  public static final String UNKNOWN_ACTION_TYPE = "UNKNOWN_ACTION_TYPE";

  /** The ingest time lies before the recording's end in trusted time. Art. 17. */
  public static final String INGEST_BEFORE_END = "INGEST_BEFORE_END";
}
