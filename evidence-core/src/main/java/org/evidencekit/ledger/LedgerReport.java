package org.evidencekit.ledger;

import java.util.ArrayList;
import java.util.List;
import org.evidencekit.hash.Digest;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.Verdict;

/**
 * The result of {@link EvidenceLedger#verify}: the log as re-read from storage, how many stored
 * checkpoints it satisfies, a verdict and the coded findings behind it ({@link LedgerFindingCode}),
 * in the same model as a seal's {@link org.evidencekit.verify.VerificationReport}. {@code
 * TAMPERED}: stored entries contradict what was published; {@code INCONCLUSIVE}: only a checkpoint
 * could not be read or trusted, or an entry's time breaks the ledger's time rules ({@link
 * LedgerFindingCode#ENTRY_TIME_REFUSED}); {@code INTACT}: no findings.
 */
public final class LedgerReport {
  private final long size;
  private final Digest root;
  private final int checkpointsVerified;
  private final List<Finding> findings;
  private final Verdict verdict;

  LedgerReport(long size, Digest root, int checkpointsVerified, List<Finding> findings) {
    this.size = size;
    this.root = root;
    this.checkpointsVerified = checkpointsVerified;
    this.findings = List.copyOf(findings);
    this.verdict = verdictOf(this.findings);
  }

  /** The verdict the findings lead to: any finding that shows an alteration makes it TAMPERED. */
  static Verdict verdictOf(List<Finding> findings) {
    Verdict v = Verdict.INTACT;
    for (Finding f : findings) {
      if (!LedgerFindingCode.INCONCLUSIVE.contains(f.code())) {
        return Verdict.TAMPERED;
      }
      v = Verdict.INCONCLUSIVE;
    }
    return v;
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

  public Verdict verdict() {
    return verdict;
  }

  /** Every finding, in the order found; empty when the log is intact. */
  public List<Finding> findings() {
    return findings;
  }

  /** Findings with this code. */
  public List<Finding> findings(String code) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (f.code().equals(code)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Whether a finding with this code is present. */
  public boolean has(String code) {
    return !findings(code).isEmpty();
  }

  public boolean intact() {
    return verdict == Verdict.INTACT;
  }

  @Override
  public String toString() {
    return (intact() ? "intact: " : verdict + ", " + findings.size() + " finding(s): ")
        + EntryCount.of(size)
        + ", root "
        + root
        + ", "
        + checkpointsVerified
        + " checkpoint(s) verified";
  }
}
