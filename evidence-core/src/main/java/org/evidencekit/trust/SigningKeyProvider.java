package org.evidencekit.trust;

import java.io.IOException;
import java.util.List;

/**
 * Signs seal payloads. Implemented by {@link SigningKeys} for keys in files and memory; an HSM
 * (PKCS#11) or a remote signing service implements it the same way, keeping the private key where
 * it is.
 */
public interface SigningKeyProvider {
  SignatureSuite suite();

  /** The public key as X.509 SubjectPublicKeyInfo DER. */
  byte[] publicKeyDer();

  /** The signer's certificate chain as DER, leaf first; empty when there is none. */
  List<byte[]> certificateChainDer();

  /**
   * Signs {@code message} with the suite's algorithm: Ed25519 over the raw bytes, ECDSA P-256 over
   * SHA-256 of them, SM2 over SM3 of Z || message with the default signer id. Returns the raw
   * 64-byte Ed25519 signature or a DER {@code SEQUENCE {r, s}}.
   */
  byte[] sign(byte[] message) throws IOException;

  /** {@code sha256:} and the hex SHA-256 of {@link #publicKeyDer()}. */
  default String keyId() {
    return KeyIds.of(publicKeyDer());
  }
}
