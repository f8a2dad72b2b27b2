package org.evidencekit.spark;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import org.evidencekit.ledger.SweepReport;

/**
 * What the job found about one recording or object, with its evidence in {@code detail} (the
 * changed byte ranges, the ledger entry a replaced seal contradicts, why it could not be read).
 *
 * @param key the recording's (or unexpected object's) key
 * @param status the same vocabulary as the single-process sweep
 * @param detail why, in words
 */
public record RecordingResult(String key, SweepReport.Status status, String detail)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public RecordingResult {
    requireNonNull(key, "key");
    requireNonNull(status, "status");
    requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return status + " " + key + ": " + detail;
  }
}
