package org.evidencekit.trust;

import org.evidencekit.hash.HashAlgorithm;

/** Key ids as stored in seals: {@code sha256:<hex of SHA-256(SubjectPublicKeyInfo DER)>}. */
public final class KeyIds {
  private KeyIds() {}

  public static String of(byte[] publicKeyDer) {
    return "sha256:" + HashAlgorithm.SHA256.hash(publicKeyDer).hex();
  }
}
