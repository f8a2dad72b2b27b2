package org.evidencekit.ledger;

import java.util.List;
import org.evidencekit.hash.Digest;

/**
 * The result of {@link EvidenceLedger#verify}: the log as re-read from storage, how many stored
 * checkpoints it satisfies, and every problem found (empty when the log is intact).
 */
public final class LedgerReport {
  private final long size;
  private final Digest root;
  private final int checkpointsVerified;
  private final List<String> problems;

  LedgerReport(long size, Digest root, int checkpointsVerified, List<String> problems) {
    this.size = size;
    this.root = root;
    this.checkpointsVerified = checkpointsVerified;
    this.problems = List.copyOf(problems);
  }

  public long size() {
    return size;
  }

  public Digest root() {
    return root;
  }

  public int checkpointsVerified() {
    return checkpointsVerified;
  }

  public List<String> problems() {
    return problems;
  }

  public boolean intact() {
    return problems.isEmpty();
  }

  @Override
  public String toString() {
    return (intact() ? "intact: " : problems.size() + " problem(s): ")
        + size
        + " entries, root "
        + root
        + ", "
        + checkpointsVerified
        + " checkpoint(s) verified";
  }
}
