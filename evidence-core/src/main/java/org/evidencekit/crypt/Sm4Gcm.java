package org.evidencekit.crypt;

import java.security.MessageDigest;
import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * SM4-GCM (RFC 8998: GCM of NIST SP 800-38D over SM4) for 12-byte nonces and 16-byte tags, the form
 * every segment uses. The counter mode runs on {@link Sm4Engine#counterBlocks}, four blocks at a
 * time; GHASH is BouncyCastle's table multiplier. BouncyCastle's own GCM drives its cipher one
 * block at a time, which costs more than the cipher itself once that is fast: counter blocks are
 * independent, so four at a time keep the table lookups of four blocks in flight.
 *
 * <p>Decryption checks the tag before it writes a byte: on a mismatch {@code out} is untouched and
 * the result is -1. Checked against RFC 8998's vector and against BouncyCastle's GCM with its own
 * SM4 on random keys, nonces, associated data and lengths, both ways ({@code Sm4GcmTest}).
 */
final class Sm4Gcm extends SegmentCipher {
  private static final int NONCE = 12;

  private final Sm4Engine sm4 = new Sm4Engine();
  private final GCMMultiplier ghash = new Tables4kGCMMultiplier();
  private final byte[] ks = new byte[64];
  private final byte[] x = new byte[16];

  Sm4Gcm(byte[] key) {
    sm4.init(true, new KeyParameter(key));
    byte[] h = new byte[16];
    sm4.processBlock(h, 0, h, 0); // H = E(0^128)
    ghash.init(h);
  }

  /** Writes the ciphertext and then the tag to {@code out}; returns {@code len + 16}. */
  @Override
  int encrypt(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out) {
    checkNonce(nonce);
    if (out.length < len + TAG) {
      throw new IllegalArgumentException("output too short for " + len + " bytes and a tag");
    }
    ctr(nonce, in, off, len, out);
    tag(nonce, aad, out, 0, len, out, len);
    return len + TAG;
  }

  /**
   * Checks the tag of {@code in[off, off+len)} (ciphertext, then tag) and, if it holds, writes the
   * plaintext to {@code out}; returns its length, or -1 (and writes nothing) if the tag is wrong.
   */
  @Override
  int decrypt(byte[] nonce, byte[] aad, byte[] in, int off, int len, byte[] out) {
    checkNonce(nonce);
    if (len < TAG) {
      return -1;
    }
    int n = len - TAG;
    byte[] expected = new byte[TAG];
    tag(nonce, aad, in, off, n, expected, 0);
    byte[] given = java.util.Arrays.copyOfRange(in, off + n, off + len);
    if (!MessageDigest.isEqual(expected, given)) {
      return -1;
    }
    if (out.length < n) {
      throw new IllegalArgumentException("output too short for " + n + " bytes");
    }
    ctr(nonce, in, off, n, out);
    return n;
  }

  private static void checkNonce(byte[] nonce) {
    if (nonce.length != NONCE) {
      throw new IllegalArgumentException("SM4-GCM here takes 12-byte nonces, not " + nonce.length);
    }
  }

  /** out[0, len) = in[off, off+len) XOR the key stream from counter 2 (GCM's inc32(J0)). */
  private void ctr(byte[] nonce, byte[] in, int off, int len, byte[] out) {
    int n0 = Sm4Engine.getInt(nonce, 0);
    int n1 = Sm4Engine.getInt(nonce, 4);
    int n2 = Sm4Engine.getInt(nonce, 8);
    int counter = 2;
    byte[] k = ks;
    for (int pos = 0; pos < len; pos += 64, counter += 4) {
      sm4.counterBlocks(n0, n1, n2, counter, k);
      int m = Math.min(64, len - pos);
      for (int i = 0; i < m; i++) {
        out[pos + i] = (byte) (in[off + pos + i] ^ k[i]);
      }
    }
  }

  /**
   * tagOut[tagOff, tagOff+16) = E(J0) XOR GHASH(aad, ciphertext c[off, off+len)), with J0 = nonce
   * || 1.
   */
  private void tag(
      byte[] nonce, byte[] aad, byte[] c, int off, int len, byte[] tagOut, int tagOff) {
    java.util.Arrays.fill(x, (byte) 0);
    absorb(aad, 0, aad.length);
    absorb(c, off, len);
    byte[] lengths = new byte[16];
    putLong(lengths, 0, (long) aad.length * 8);
    putLong(lengths, 8, (long) len * 8);
    absorb(lengths, 0, 16);
    byte[] j0 = new byte[16];
    System.arraycopy(nonce, 0, j0, 0, NONCE);
    j0[15] = 1;
    sm4.processBlock(j0, 0, j0, 0);
    for (int i = 0; i < TAG; i++) {
      tagOut[tagOff + i] = (byte) (x[i] ^ j0[i]);
    }
  }

  /** GHASH over {@code b[off, off+len)}, the last block padded with zeros. */
  private void absorb(byte[] b, int off, int len) {
    byte[] acc = x;
    for (int pos = 0; pos < len; pos += 16) {
      int m = Math.min(16, len - pos);
      for (int i = 0; i < m; i++) {
        acc[i] ^= b[off + pos + i];
      }
      ghash.multiplyH(acc);
    }
  }

  private static void putLong(byte[] b, int o, long v) {
    for (int i = 7; i >= 0; i--) {
      b[o + i] = (byte) v;
      v >>>= 8;
    }
  }
}
