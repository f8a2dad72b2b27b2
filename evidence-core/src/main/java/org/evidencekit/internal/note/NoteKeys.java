package org.evidencekit.internal.note;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.SignatureSuite;

/**
 * Note signature types and key ids (C2SP signed-note): Ed25519 {@code 0x01}, ECDSA P-256 {@code
 * 0x02} (as the transparency-dev witness: key id from the SPKI, DER signature over SHA-256 of the
 * text), timestamped Ed25519 cosignatures {@code 0x04} (C2SP tlog-cosignature), and SM2 under the
 * private-use type {@code 0xff} followed by {@value #SM2_IDENTIFIER}.
 */
public final class NoteKeys {
  private NoteKeys() {}

  public static final byte ED25519 = 0x01;
  public static final byte ECDSA = 0x02;
  public static final byte COSIGNATURE_V1 = 0x04;
  public static final byte PRIVATE_USE = (byte) 0xff;

  /** Follows {@code 0xff} in SM2 key ids and verifier keys. */
  public static final String SM2_IDENTIFIER = "evidencekit/sm2-sm3/v1";

  /** {@code SHA-256(name || 0x0A || type-and-key)[:4]}, big-endian. */
  static int keyId(String name, byte[] typeAndKey) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(name.getBytes(StandardCharsets.UTF_8));
    b.write('\n');
    b.writeBytes(typeAndKey);
    return ByteBuffer.wrap(HashAlgorithm.SHA256.hash(b.toByteArray()).toByteArray()).getInt();
  }

  /** The bytes that follow the key name in the key id: type byte(s) and the key encoding. */
  public static byte[] typeAndKey(SignatureSuite suite, byte[] spki) throws KeyFormatException {
    AsymmetricKeyParameter k = Crypto.publicKey(spki);
    if (suite == SignatureSuite.ED25519) {
      return concat(new byte[] {ED25519}, ((Ed25519PublicKeyParameters) k).getEncoded());
    }
    if (suite == SignatureSuite.ECDSA_P256_SHA256) {
      return concat(new byte[] {ECDSA}, spki);
    }
    return concat(
        concat(new byte[] {PRIVATE_USE}, SM2_IDENTIFIER.getBytes(StandardCharsets.US_ASCII)), spki);
  }

  /** The key id of a log (checkpoint) signing key under {@code name}. */
  public static int logKeyId(String name, SignatureSuite suite, byte[] spki)
      throws KeyFormatException {
    if (suite == SignatureSuite.ECDSA_P256_SHA256) {
      // the transparency-dev witness form: the hash of the SPKI alone
      return ByteBuffer.wrap(HashAlgorithm.SHA256.hash(spki).toByteArray()).getInt();
    }
    return keyId(name, typeAndKey(suite, spki));
  }

  /** The raw 32-byte key of an Ed25519 SPKI. */
  public static byte[] ed25519Raw(byte[] spki) throws KeyFormatException {
    AsymmetricKeyParameter k = Crypto.publicKey(spki);
    if (!(k instanceof Ed25519PublicKeyParameters)) {
      throw new KeyFormatException("not an Ed25519 key");
    }
    return ((Ed25519PublicKeyParameters) k).getEncoded();
  }

  /** The key id of an Ed25519 cosigner under {@code name} (type {@code 0x04}). */
  public static int cosignerKeyId(String name, byte[] raw32) {
    return keyId(name, concat(new byte[] {COSIGNATURE_V1}, raw32));
  }

  /** A verifier key string: {@code name+hex(key id)+base64(type || key)}. */
  public static String verifierKey(String name, int keyId, byte[] typeAndKey) {
    return name
        + "+"
        + HexFormat.of().toHexDigits(keyId)
        + "+"
        + Base64.getEncoder().encodeToString(typeAndKey);
  }

  /** The signed message of a v1 cosignature: header, time line, then the checkpoint text. */
  public static byte[] cosignedMessage(long timestamp, byte[] text) {
    return concat(
        ("cosignature/v1\ntime " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII), text);
  }

  /** Verifies a note signature of {@code suite} over {@code text}. */
  public static boolean verify(SignatureSuite suite, byte[] spki, byte[] text, byte[] signature) {
    try {
      AsymmetricKeyParameter k = Crypto.publicKey(spki);
      return Crypto.suiteOf(k) == suite && Crypto.verify(suite, k, text, signature);
    } catch (KeyFormatException e) {
      return false;
    }
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
