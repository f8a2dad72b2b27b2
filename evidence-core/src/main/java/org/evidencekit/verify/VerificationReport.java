package org.evidencekit.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.evidencekit.seal.ByteRange;
import org.jspecify.annotations.Nullable;

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
  private final @Nullable Instant attestedTime;

  VerificationReport(
      Verdict verdict,
      List<Finding> findings,
      List<ByteRange> tamperedRanges,
      long sealedLength,
      long contentLength,
      @Nullable Instant attestedTime) {
    this.verdict = verdict;
    this.findings = List.copyOf(findings);
    this.tamperedRanges = List.copyOf(tamperedRanges);
    this.sealedLength = sealedLength;
    this.contentLength = contentLength;
    this.attestedTime = attestedTime;
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

  /**
   * The time a verified RFC 3161 token from a trusted authority attests ({@code
   * TIMESTAMP_VERIFIED}): the seal, its claimed ingest and recording times included, was signed no
   * later than this. It is the only time of a seal that is attested; the seal's own times are what
   * its signer wrote. Empty without a trust policy, a token, or when the token failed.
   */
  public Optional<Instant> attestedTime() {
    return Optional.ofNullable(attestedTime);
  }

  @Override
  public String toString() {
    return verdict + " " + tamperedRanges + " " + findings;
  }
}
