package org.evidencekit.crypt;

import java.io.IOException;

/**
 * A ciphertext that does not decrypt: wrong key, damaged header, a segment that fails
 * authentication, truncation, reordering, or a seal it is not bound to. No plaintext of a failed
 * segment is ever released. {@link NoMatchingKeyException} when only the key was not given.
 */
public class DecryptionException extends IOException {
  private static final long serialVersionUID = 1L;

  public DecryptionException(String message) {
    super(message);
  }
}
