package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.evidencekit.hash.HashAlgorithm;

/**
 * Which Merkle trees a seal commits to. A dual suite computes both trees in one pass over the
 * bytes. A constant class: stored names are frozen, new suites are added, none is removed.
 */
public final class SealSuite {
  /** One SHA-256 tree: the international default, at SHA-NI speed. */
  public static final SealSuite SHA256 = new SealSuite("sha256", List.of(HashAlgorithm.SHA256));

  /** One SM3 tree (GB/T 32905), for national-algorithm assessment. */
  public static final SealSuite SM3 = new SealSuite("sm3", List.of(HashAlgorithm.SM3));

  /** Both trees, computed in one pass. */
  public static final SealSuite SHA256_SM3 =
      new SealSuite("sha256+sm3", List.of(HashAlgorithm.SHA256, HashAlgorithm.SM3));

  private static final List<SealSuite> ALL = List.of(SHA256, SM3, SHA256_SM3);

  private final String name;
  private final List<HashAlgorithm> algorithms;

  private SealSuite(String name, List<HashAlgorithm> algorithms) {
    this.name = name;
    this.algorithms = algorithms;
  }

  /** Every suite this version knows. */
  public static List<SealSuite> all() {
    return ALL;
  }

  /** Looks a suite up by its stored name: {@code sha256}, {@code sm3}, {@code sha256+sm3}. */
  public static Optional<SealSuite> forName(String name) {
    requireNonNull(name, "name");
    for (SealSuite s : ALL) {
      if (s.name.equals(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The stored name. */
  public String name() {
    return name;
  }

  /** The hash algorithms, the primary one first. */
  public List<HashAlgorithm> algorithms() {
    return algorithms;
  }

  /** The first algorithm, used where one tree is enough (range proofs by default). */
  public HashAlgorithm primary() {
    return algorithms.get(0);
  }

  @Override
  public String toString() {
    return name;
  }
}
