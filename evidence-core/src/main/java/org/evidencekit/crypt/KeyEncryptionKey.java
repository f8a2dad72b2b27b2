package org.evidencekit.crypt;

import java.io.IOException;

/**
 * Wraps and unwraps per-recording data keys (envelope encryption). Implementations hold the key in
 * a file ({@link AesKeyEncryptionKey}), an HSM or a KMS; the recording never sees the key.
 */
public interface KeyEncryptionKey {
  /** Identifies this key in ciphertext headers, e.g. {@code kek:2026-01}. */
  String keyId();

  /** Wraps {@code dataKey}, authenticating {@code context} with it. */
  byte[] wrap(byte[] dataKey, byte[] context) throws IOException;

  /**
   * Unwraps a data key wrapped by this key with the same context.
   *
   * @throws DecryptionException if the wrapped key or the context was changed, or another key
   *     wrapped it
   */
  byte[] unwrap(byte[] wrapped, byte[] context) throws IOException;
}
