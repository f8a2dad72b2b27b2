package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;

/**
 * The state of a stream after a whole number of segments: how many, how many bytes, and the Merkle
 * roots at that size. Every later seal of the same stream is consistent with it (an RFC 9162
 * consistency proof from {@link Seal#consistencyProof}).
 */
public final class Checkpoint {
  private final long segments;
  private final long length;
  private final Map<HashAlgorithm, Digest> roots;

  Checkpoint(long segments, long length, Map<HashAlgorithm, Digest> roots) {
    this.segments = segments;
    this.length = length;
    this.roots = Collections.unmodifiableMap(new LinkedHashMap<>(roots));
  }

  /** Number of segments covered, at least 1. */
  public long segments() {
    return segments;
  }

  /** Number of content bytes covered. */
  public long length() {
    return length;
  }

  /** Root of each algorithm's tree at this size. */
  public Map<HashAlgorithm, Digest> roots() {
    return roots;
  }

  /** The root of one algorithm's tree. */
  public Digest root(HashAlgorithm algorithm) {
    requireNonNull(algorithm, "algorithm");
    Digest d = roots.get(algorithm);
    if (d == null) {
      throw new IllegalArgumentException("checkpoint has no " + algorithm + " root");
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Checkpoint)) {
      return false;
    }
    Checkpoint c = (Checkpoint) o;
    return segments == c.segments && length == c.length && roots.equals(c.roots);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(segments) * 31 + roots.hashCode();
  }

  @Override
  public String toString() {
    return "Checkpoint{segments=" + segments + ", length=" + length + ", roots=" + roots + "}";
  }
}
