package org.evidencekit.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.evidencekit.continuity.ContinuityReport;
import org.jspecify.annotations.Nullable;

/**
 * What an ingest run did: one {@link IngestedRecording} per recording (in the order they were
 * sealed, which is recording order), the paths skipped, and the continuity report over the run's
 * recordings (R-08: gaps, cuts, missing files across them).
 */
public final class IngestResult {
  private final List<IngestedRecording> recordings;
  private final List<SkippedInput> skipped;
  private final @Nullable ContinuityReport continuity;
  private final @Nullable Instant ingestTime;
  private final @Nullable Duration clockOffset;

  IngestResult(
      List<IngestedRecording> recordings,
      List<SkippedInput> skipped,
      @Nullable ContinuityReport continuity,
      @Nullable Instant ingestTime,
      @Nullable Duration clockOffset) {
    this.recordings = List.copyOf(recordings);
    this.skipped = List.copyOf(skipped);
    this.continuity = continuity;
    if (ingestTime == null && !this.recordings.isEmpty()) {
      throw new IllegalArgumentException("a run that ingested recordings has an ingest time");
    }
    this.ingestTime = ingestTime;
    this.clockOffset = clockOffset;
  }

  public List<IngestedRecording> recordings() {
    return recordings;
  }

  public List<SkippedInput> skipped() {
    return skipped;
  }

  /** The analysis of the run's placed recordings together; empty if none could be placed. */
  public Optional<ContinuityReport> continuity() {
    return Optional.ofNullable(continuity);
  }

  /**
   * The trusted time the run started at; empty for a run that found no recording to ingest, which
   * does not read the trusted clock.
   */
  public Optional<Instant> ingestTime() {
    return Optional.ofNullable(ingestTime);
  }

  /** The device clock minus trusted time, if known. */
  public Optional<Duration> clockOffset() {
    return Optional.ofNullable(clockOffset);
  }

  /** How many recordings ended with {@code status}. */
  public long count(IngestStatus status) {
    return recordings.stream().filter(r -> r.status() == status).count();
  }

  /** Whether anything of any recording is committed in the store. */
  public boolean committedAnything() {
    return recordings.stream().anyMatch(r -> r.status().committedSomething());
  }

  /**
   * Whether a person needs to look: the request held no recording (an empty or unmounted card, a
   * mistyped folder, a card of only operating system debris or other skipped files: see {@link
   * #skipped()}), a recording failed, conflicts or is incomplete, an error finding, or an error in
   * the continuity report. A docking that stored nothing never reads as one that went well (Art.
   * 17, R-14).
   */
  public boolean hasProblems() {
    return recordings.isEmpty()
        || recordings.stream()
            .anyMatch(
                r ->
                    r.hasErrors()
                        || r.status() == IngestStatus.CONFLICT
                        || r.status() == IngestStatus.FAILED
                        || r.status() == IngestStatus.INCOMPLETE)
        || (continuity != null && continuity.hasErrors());
  }
}
