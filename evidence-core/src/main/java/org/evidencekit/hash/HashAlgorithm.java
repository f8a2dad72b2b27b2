package org.evidencekit.hash;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.evidencekit.internal.hash.Hasher;
import org.evidencekit.internal.hash.Hashers;
import org.evidencekit.internal.hash.Sm3Lanes;

/**
 * A hash function the seal and the ledger can build Merkle trees with. A constant class rather than
 * an enum: the vocabulary grows, and stored names are frozen.
 */
public final class HashAlgorithm {
  /** SHA-256 (FIPS 180-4), 32 bytes; the JDK's implementation with the SHA-NI intrinsic. */
  public static final HashAlgorithm SHA256 = new HashAlgorithm("sha256", 32);

  /** SM3 (GB/T 32905-2016), 32 bytes. */
  public static final HashAlgorithm SM3 = new HashAlgorithm("sm3", 32);

  private static final List<HashAlgorithm> ALL = List.of(SHA256, SM3);

  private final String name;
  private final int digestLength;

  private HashAlgorithm(String name, int digestLength) {
    this.name = name;
    this.digestLength = digestLength;
  }

  /** All algorithms this version knows. */
  public static List<HashAlgorithm> all() {
    return ALL;
  }

  /** Looks up an algorithm by its stored name ({@code sha256}, {@code sm3}). */
  public static Optional<HashAlgorithm> forName(String name) {
    requireNonNull(name, "name");
    for (HashAlgorithm a : ALL) {
      if (a.name.equals(name)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** The stored name, frozen: {@code sha256} or {@code sm3}. */
  public String name() {
    return name;
  }

  /** Digest length in bytes. */
  public int digestLength() {
    return digestLength;
  }

  /** Hashes {@code data} in one call. */
  public Digest hash(byte[] data) {
    requireNonNull(data, "data");
    Hasher h = Hashers.create(this.name());
    h.update(data, 0, data.length);
    byte[] out = new byte[digestLength];
    h.finish(out, 0);
    return Digest.of(out);
  }

  /**
   * Which implementation hashes this algorithm in this JVM, in words, for diagnostics ({@code
   * evidence --version}): SM3 runs several segments per core on the Vector API where HotSpot's C2
   * compiles it, and says why not otherwise.
   */
  public String implementation() {
    if (this == SM3) {
      return Sm3Lanes.available()
          ? "SM3: " + Sm3Lanes.width() + " segments per core at once (Vector API)"
          : "SM3: scalar, one segment at a time (" + Sm3Lanes.unavailableReason() + ")";
    }
    return "SHA-256: the JDK's MessageDigest (SHA-NI intrinsic where the processor has it)";
  }

  @Override
  public String toString() {
    return name;
  }
}
