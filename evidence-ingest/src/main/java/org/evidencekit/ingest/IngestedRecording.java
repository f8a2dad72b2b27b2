package org.evidencekit.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.evidencekit.seal.Seal;
import org.jspecify.annotations.Nullable;

/**
 * What became of one recording of an ingest run: its status, key, seal in force, where it sits in
 * time, findings, retention and ledger entry.
 */
public final class IngestedRecording {
  private final RecordingSource source;
  private final IngestStatus status;
  private final @Nullable String key;
  private final long size;
  private final @Nullable Seal seal;
  private final @Nullable Placement placement;
  private final List<IngestFinding> findings;
  private final @Nullable RetentionOutcome retention;
  private final long ledgerIndex;

  IngestedRecording(
      RecordingSource source,
      IngestStatus status,
      @Nullable String key,
      long size,
      @Nullable Seal seal,
      @Nullable Placement placement,
      List<IngestFinding> findings,
      @Nullable RetentionOutcome retention,
      long ledgerIndex) {
    this.source = requireNonNull(source, "source");
    this.status = requireNonNull(status, "status");
    this.key = key;
    this.size = size;
    this.seal = seal;
    this.placement = placement;
    this.findings = List.copyOf(findings);
    this.retention = retention;
    this.ledgerIndex = ledgerIndex;
  }

  public RecordingSource source() {
    return source;
  }

  public IngestStatus status() {
    return status;
  }

  /** The object key; empty when the name could not be a key. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /** Size in bytes (-1 if it could not be read). */
  public long size() {
    return size;
  }

  /** The seal in force: this run's, or the one an earlier or concurrent ingest logged. */
  public Optional<Seal> seal() {
    return Optional.ofNullable(seal);
  }

  /** Where the recording sits in time, as probed. */
  public Optional<Placement> placement() {
    return Optional.ofNullable(placement);
  }

  /** Recording start in device time, if placed. */
  public Optional<Instant> recordingStart() {
    return placement == null ? Optional.empty() : placement.start();
  }

  /**
   * Recording start in true time, as the record sheet and the reports show it: the start its
   * seal records, less the device clock offset the seal records (the device time where the seal
   * records no offset). Empty without a seal in force (nothing was stored) or a recorded start.
   */
  public Optional<Instant> correctedStart() {
    return seal == null
        ? Optional.empty()
        : seal.metadata()
            .flatMap(
                m -> m.recordingStart().map(t -> t.minusMillis(m.clockOffsetMillis().orElse(0L))));
  }

  public List<IngestFinding> findings() {
    return findings;
  }

  /** Whether any finding is an error. */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == IngestFinding.Severity.ERROR);
  }

  /** The retention decision and its enforcement; empty when nothing was committed. */
  public Optional<RetentionOutcome> retention() {
    return Optional.ofNullable(retention);
  }

  /** Index of the recording's {@code sealed} ledger entry, if logged. */
  public OptionalLong ledgerIndex() {
    return ledgerIndex < 0 ? OptionalLong.empty() : OptionalLong.of(ledgerIndex);
  }

  IngestedRecording withRetention(RetentionOutcome r, List<IngestFinding> more) {
    List<IngestFinding> all = new java.util.ArrayList<>(findings);
    all.addAll(more);
    return new IngestedRecording(source, status, key, size, seal, placement, all, r, ledgerIndex);
  }

  @Override
  public String toString() {
    return status + " " + (key == null ? source.toString() : key);
  }
}
