package org.evidencekit.verify;

import java.util.ArrayList;
import java.util.List;
import org.evidencekit.seal.ByteRange;

/**
 * The result of a verification: a verdict, the coded findings behind it and the exact byte ranges
 * that differ from what was sealed (segment granularity, adjacent segments merged).
 */
public final class VerificationReport {
  private final Verdict verdict;
  private final List<Finding> findings;
  private final List<ByteRange> tamperedRanges;
  private final long sealedLength;
  private final long contentLength;

  VerificationReport(
      Verdict verdict,
      List<Finding> findings,
      List<ByteRange> tamperedRanges,
      long sealedLength,
      long contentLength) {
    this.verdict = verdict;
    this.findings = List.copyOf(findings);
    this.tamperedRanges = List.copyOf(tamperedRanges);
    this.sealedLength = sealedLength;
    this.contentLength = contentLength;
  }

  public Verdict verdict() {
    return verdict;
  }

  public boolean isIntact() {
    return verdict == Verdict.INTACT;
  }

  public List<Finding> findings() {
    return findings;
  }

  /** Whether a finding with this code is present. */
  public boolean has(String code) {
    for (Finding f : findings) {
      if (f.code().equals(code)) {
        return true;
      }
    }
    return false;
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

  /**
   * Content byte ranges that are not as sealed: modified segments, bytes missing after a truncation
   * (in sealed coordinates) and appended bytes.
   */
  public List<ByteRange> tamperedRanges() {
    return tamperedRanges;
  }

  /** Length recorded in the seal. */
  public long sealedLength() {
    return sealedLength;
  }

  /** Length of the content examined (for range checks, of the covered range). */
  public long contentLength() {
    return contentLength;
  }

  @Override
  public String toString() {
    return verdict + " " + tamperedRanges + " " + findings;
  }
}
