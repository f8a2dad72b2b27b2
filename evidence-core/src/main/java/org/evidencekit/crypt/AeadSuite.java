package org.evidencekit.crypt;

import java.util.Optional;

/**
 * The segment ciphers: AES-256-GCM through the JDK (AES-NI), SM4-GCM through BouncyCastle.
 */
public enum AeadSuite {
  AES_256_GCM("aes-256-gcm", 1, 32),
  SM4_GCM("sm4-gcm", 2, 16);

  private final String id;
  private final int code;
  private final int keyLength;

  AeadSuite(String id, int code, int keyLength) {
    this.id = id;
    this.code = code;
    this.keyLength = keyLength;
  }

  /** The stable name used on the command line and in docs. */
  public String id() {
    return id;
  }

  /** The byte stored in the ciphertext header. */
  int code() {
    return code;
  }

  /** Data key length in bytes. */
  public int keyLength() {
    return keyLength;
  }

  static Optional<AeadSuite> forCode(int code) {
    for (AeadSuite s : values()) {
      if (s.code == code) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public static Optional<AeadSuite> forId(String id) {
    for (AeadSuite s : values()) {
      if (s.id.equals(id)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
