package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import org.evidencekit.hash.HashAlgorithm;

/**
 * How a seal is signed. Stored names are frozen; a constant class because suites are added over
 * time and old seals must stay verifiable.
 */
public final class SignatureSuite {
  /** Ed25519 (RFC 8032) over the raw payload; 64-byte signatures. */
  public static final SignatureSuite ED25519 = new SignatureSuite("ed25519", HashAlgorithm.SHA256);

  /** ECDSA on P-256 with SHA-256 (deterministic k, RFC 6979); DER signatures. */
  public static final SignatureSuite ECDSA_P256_SHA256 =
      new SignatureSuite("ecdsa-p256-sha256", HashAlgorithm.SHA256);

  /**
   * SM2 with SM3 (GB/T 32918, GM/T 0003), signer id the GM/T 0009 default {@code 1234567812345678};
   * DER signatures. Timestamps of such seals hash with SM3.
   */
  public static final SignatureSuite SM2_SM3 = new SignatureSuite("sm2-sm3", HashAlgorithm.SM3);

  /** The SM2 signer id every seal uses (GM/T 0009 default), pinned in the format. */
  public static final String SM2_DEFAULT_USER_ID = "1234567812345678";

  private static final List<SignatureSuite> ALL = List.of(ED25519, ECDSA_P256_SHA256, SM2_SM3);

  private final String name;
  private final HashAlgorithm timestampHash;

  private SignatureSuite(String name, HashAlgorithm timestampHash) {
    this.name = name;
    this.timestampHash = timestampHash;
  }

  public static List<SignatureSuite> all() {
    return ALL;
  }

  public static Optional<SignatureSuite> forName(String name) {
    requireNonNull(name, "name");
    for (SignatureSuite s : ALL) {
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

  /** The hash of the RFC 3161 message imprint over this suite's signatures. */
  public HashAlgorithm timestampHash() {
    return timestampHash;
  }

  @Override
  public String toString() {
    return name;
  }
}
