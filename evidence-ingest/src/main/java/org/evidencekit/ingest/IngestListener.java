package org.evidencekit.ingest;

/**
 * Progress of an ingest run, for a progress bar or a log. Called on the ingesting thread; keep it
 * quick. Every method has an empty default.
 */
public interface IngestListener {
  /** A listener that does nothing. */
  IngestListener NONE = new IngestListener() {};

  /**
   * Recording {@code index} (counted from 0) of {@code count} is about to be read ({@code size}
   * bytes). A run reads ahead while earlier recordings are committed and logged, so several
   * recordings may be started before the first is finished.
   */
  default void started(RecordingSource source, int index, int count, long size) {}

  /** {@code done} bytes of the current recording are sealed. */
  default void progress(RecordingSource source, long done, long size) {}

  /** A recording is done, whatever became of it. */
  default void finished(IngestedRecording recording) {}
}
