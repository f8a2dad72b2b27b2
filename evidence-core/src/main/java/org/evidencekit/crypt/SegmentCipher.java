package org.evidencekit.crypt;

import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** One AEAD operation per segment, 128-bit tags. Not thread-safe. */
abstract class SegmentCipher {
  static final int TAG = 16;

  static SegmentCipher of(AeadSuite suite, byte[] key) {
    return suite == AeadSuite.AES_256_GCM ? new Jdk(key) : new Sm4Gcm(key);
  }

  /**
   * Encrypts {@code len} bytes of {@code in} into {@code out}; returns len + TAG. {@code out} may
   * be {@code in} with {@code off} 0 (in place).
   */
  abstract int encrypt(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out)
      throws IOException;

  /**
   * Decrypts and authenticates; writes to {@code out} only after the tag checks out (callers give a
   * scratch buffer and copy on success).
   *
   * @return the plaintext length, or -1 if authentication failed
   */
  abstract int decrypt(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out)
      throws IOException;

  private static final class Jdk extends SegmentCipher {
    /** Bytes per {@link Cipher#update} call when encrypting. */
    private static final int ENCRYPT_STEP = 4096;

    private final SecretKeySpec key;
    private final Cipher cipher;

    Jdk(byte[] k) {
      key = new SecretKeySpec(k, "AES");
      try {
        cipher = Cipher.getInstance("AES/GCM/NoPadding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM is missing from this JDK", e);
      }
    }

    @Override
    int encrypt(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out)
        throws IOException {
      try {
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        // In small steps: the JIT compiles the JDK's GCM (and so uses its AES and GHASH
        // intrinsics) once its methods were called some thousands of times. One call per 1 MiB
        // segment ran a fresh JVM's first gigabytes on interpreted GHASH, ten times slower.
        int pos = 0;
        int written = 0;
        while (len - pos > ENCRYPT_STEP) {
          written += cipher.update(in, off + pos, ENCRYPT_STEP, out, written);
          pos += ENCRYPT_STEP;
        }
        return written + cipher.doFinal(in, off + pos, len - pos, out, written);
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-GCM failed: " + e.getMessage(), e);
      }
    }

    @Override
    int decrypt(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out)
        throws IOException {
      try {
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        cipher.updateAAD(aad);
        return cipher.doFinal(in, off, len, out, 0);
      } catch (AEADBadTagException e) {
        return -1;
      } catch (GeneralSecurityException e) {
        throw new IOException("AES-GCM failed: " + e.getMessage(), e);
      }
    }
  }
}
