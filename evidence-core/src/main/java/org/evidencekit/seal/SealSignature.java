package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.evidencekit.hash.HashAlgorithm;

/**
 * The signature part of a seal, as stored: the suite, the key id, the signer's public key
 * (SubjectPublicKeyInfo DER) and optional certificate chain (DER, leaf first), the signature value
 * over {@link Seal#signedPayload()}, and an optional RFC 3161 token over the signature value. It
 * carries bytes only; {@code org.evidencekit.trust} makes and checks them. Byte arrays are copied
 * in and out.
 */
public final class SealSignature {
  private final String suite;
  private final String keyId;
  private final byte[] publicKey;
  private final List<byte[]> certificates;
  private final byte[] value;
  private final byte[] timestampToken;
  private final HashAlgorithm timestampHash;

  private SealSignature(
      String suite,
      String keyId,
      byte[] publicKey,
      List<byte[]> certificates,
      byte[] value,
      byte[] timestampToken,
      HashAlgorithm timestampHash) {
    this.suite = suite;
    this.keyId = keyId;
    this.publicKey = publicKey;
    this.certificates = certificates;
    this.value = value;
    this.timestampToken = timestampToken;
    this.timestampHash = timestampHash;
  }

  /** A signature without a timestamp. */
  public static SealSignature of(
      String suite, String keyId, byte[] publicKeyDer, List<byte[]> certificatesDer, byte[] value) {
    requireNonNull(suite, "suite");
    requireNonNull(keyId, "keyId");
    List<byte[]> certs = new ArrayList<>();
    for (byte[] c : requireNonNull(certificatesDer, "certificatesDer")) {
      certs.add(c.clone());
    }
    return new SealSignature(
        suite,
        keyId,
        requireNonNull(publicKeyDer, "publicKeyDer").clone(),
        certs,
        requireNonNull(value, "value").clone(),
        null,
        null);
  }

  /** This signature with an RFC 3161 token over its value, imprint hashed with {@code hash}. */
  public SealSignature withTimestamp(byte[] tokenDer, HashAlgorithm hash) {
    return new SealSignature(
        suite,
        keyId,
        publicKey,
        certificates,
        value,
        requireNonNull(tokenDer, "tokenDer").clone(),
        requireNonNull(hash, "hash"));
  }

  /**
   * The signature suite's stored name ({@code ed25519}, {@code ecdsa-p256-sha256}, {@code
   * sm2-sm3}).
   */
  public String suite() {
    return suite;
  }

  public String keyId() {
    return keyId;
  }

  public byte[] publicKeyDer() {
    return publicKey.clone();
  }

  public List<byte[]> certificatesDer() {
    List<byte[]> out = new ArrayList<>();
    certificates.forEach(c -> out.add(c.clone()));
    return out;
  }

  public byte[] value() {
    return value.clone();
  }

  public Optional<byte[]> timestampToken() {
    return Optional.ofNullable(timestampToken).map(byte[]::clone);
  }

  public Optional<HashAlgorithm> timestampHash() {
    return Optional.ofNullable(timestampHash);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SealSignature)) {
      return false;
    }
    SealSignature s = (SealSignature) o;
    if (certificates.size() != s.certificates.size()) {
      return false;
    }
    for (int i = 0; i < certificates.size(); i++) {
      if (!Arrays.equals(certificates.get(i), s.certificates.get(i))) {
        return false;
      }
    }
    return suite.equals(s.suite)
        && keyId.equals(s.keyId)
        && Arrays.equals(publicKey, s.publicKey)
        && Arrays.equals(value, s.value)
        && Arrays.equals(timestampToken, s.timestampToken)
        && java.util.Objects.equals(timestampHash, s.timestampHash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }
}
