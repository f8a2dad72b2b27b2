package org.evidencekit.crypt;

import static java.util.Objects.requireNonNull;

/**
 * None of the key-encryption keys given has the id the ciphertext names: the recording cannot be
 * decrypted here, which says nothing about whether it is damaged (a sweep without the key reports
 * it not checked, not damaged).
 */
public final class NoMatchingKeyException extends DecryptionException {
  private static final long serialVersionUID = 1L;

  private final String keyId;

  public NoMatchingKeyException(String keyId) {
    super("no key-encryption key with id '" + requireNonNull(keyId, "keyId") + "'");
    this.keyId = keyId;
  }

  /** The key id the ciphertext's header names. */
  public String keyId() {
    return keyId;
  }
}
