package org.evidencekit.crypt;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key-encryption key held in memory: wraps data keys with AES-256-GCM (random 96-bit
 * nonce, 128-bit tag; wrapped = nonce || ciphertext || tag). Read from a file of 64 hex digits
 * ({@link #readHexFile}) or generated ({@link #generate}).
 */
public final class AesKeyEncryptionKey implements KeyEncryptionKey {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final String keyId;
  private final byte[] key;

  private AesKeyEncryptionKey(String keyId, byte[] key) {
    if (keyId.isEmpty() || keyId.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("key id must be 1 to 255 bytes");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException("a key-encryption key is 32 bytes, not " + key.length);
    }
    this.keyId = keyId;
    this.key = key.clone();
  }

  public static AesKeyEncryptionKey of(String keyId, byte[] key) {
    requireNonNull(keyId, "keyId");
    requireNonNull(key, "key");
    return new AesKeyEncryptionKey(keyId, key);
  }

  public static AesKeyEncryptionKey generate(String keyId) {
    byte[] k = new byte[32];
    RANDOM.nextBytes(k);
    return of(keyId, k);
  }

  private static final int MAX_HEX_FILE = 4096;

  /** Reads a key stored as 64 hex digits (whitespace ignored). */
  public static AesKeyEncryptionKey readHexFile(String keyId, Path file) throws IOException {
    requireNonNull(keyId, "keyId");
    requireNonNull(file, "file");
    // a key file is 64 digits and some whitespace: read no more than that can be, as Latin-1 so
    // that a recording given by mistake fails on its content, not on its encoding
    byte[] head;
    try (java.io.InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(MAX_HEX_FILE + 1);
    }
    String hex =
        head.length > MAX_HEX_FILE
            ? ""
            : new String(head, StandardCharsets.ISO_8859_1).replaceAll("\\s", "");
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IOException(file + " does not hold a 256-bit key as 64 hex digits");
    }
    return of(keyId, HexFormat.of().parseHex(hex));
  }

  /**
   * Largest keystore read: one AES key is about 1 KiB of PKCS#12, a keystore holding a hundred keys
   * some 100 KiB; 1 MiB is ten times that. A bigger file is not a key keystore and is refused
   * having read one byte past the bound (the JDK parser reads as much as a DER header declares).
   */
  static final int MAX_KEYSTORE_BYTES = 1 << 20;

  /**
   * Reads an AES-256 secret key from a PKCS#12 keystore (as made by {@code keytool -genseckey
   * -keyalg AES -keysize 256 -storetype PKCS12}); the alias is the key id. With {@code alias} null
   * the keystore must hold exactly one secret key.
   */
  public static AesKeyEncryptionKey readPkcs12(Path keystore, char[] password, String alias)
      throws IOException {
    requireNonNull(keystore, "keystore");
    requireNonNull(password, "password");
    byte[] all =
        org.evidencekit.internal.io.BoundedFiles.readRegularFile(
            keystore,
            MAX_KEYSTORE_BYTES,
            size ->
                new IOException(
                    keystore + " is larger than " + MAX_KEYSTORE_BYTES + " bytes: not a keystore"));
    // parsed from the bytes read: the parser never reads past the bound, whatever length the
    // file's DER header declares
    try (java.io.InputStream in = new java.io.ByteArrayInputStream(all)) {
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      String chosen = alias;
      if (chosen == null) {
        java.util.List<String> secret = new java.util.ArrayList<>();
        for (String a : java.util.Collections.list(ks.aliases())) {
          if (ks.entryInstanceOf(a, java.security.KeyStore.SecretKeyEntry.class)) {
            secret.add(a);
          }
        }
        if (secret.size() != 1) {
          throw new IOException(
              keystore + " holds " + secret.size() + " secret keys; name one by its alias");
        }
        chosen = secret.get(0);
      }
      java.security.Key k = ks.getKey(chosen, password);
      if (!(k instanceof javax.crypto.SecretKey) || !"AES".equalsIgnoreCase(k.getAlgorithm())) {
        throw new IOException(keystore + " has no AES secret key under alias '" + chosen + "'");
      }
      return of(chosen, k.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read " + keystore + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IOException(keystore + ": " + e.getMessage(), e);
    }
  }

  /** The key as 64 hex digits, to store in a file readable by its owner only. */
  public String toHex() {
    return HexFormat.of().formatHex(key);
  }

  @Override
  public String keyId() {
    return keyId;
  }

  @Override
  public byte[] wrap(byte[] dataKey, byte[] context) throws IOException {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
      c.updateAAD(context);
      byte[] ct = c.doFinal(dataKey);
      byte[] out = Arrays.copyOf(nonce, 12 + ct.length);
      System.arraycopy(ct, 0, out, 12, ct.length);
      return out;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot wrap the data key: " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] unwrap(byte[] wrapped, byte[] context) throws IOException {
    if (wrapped.length < 12 + 16) {
      throw new DecryptionException("wrapped data key is too short");
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(128, wrapped, 0, 12));
      c.updateAAD(context);
      return c.doFinal(wrapped, 12, wrapped.length - 12);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new DecryptionException(
          "the data key does not unwrap with key " + keyId + ": wrong key or altered header");
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot unwrap the data key: " + e.getMessage(), e);
    }
  }
}
