package org.evidencekit.hash;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable hash value. The bytes are copied in and out, so a {@code Digest} can be shared
 * freely; equality compares the bytes in constant time.
 */
public final class Digest {
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A digest holding a copy of {@code bytes}. */
  public static Digest of(byte[] bytes) {
    requireNonNull(bytes, "bytes");
    if (bytes.length == 0) {
      throw new IllegalArgumentException("a digest has at least one byte");
    }
    return new Digest(bytes.clone());
  }

  /** A digest holding a copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static Digest of(byte[] bytes, int offset, int length) {
    requireNonNull(bytes, "bytes");
    if (length <= 0) {
      throw new IllegalArgumentException("a digest has at least one byte");
    }
    return new Digest(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /**
   * Parses lowercase or uppercase hexadecimal.
   *
   * @throws IllegalArgumentException if {@code hex} is empty, of odd length or not hexadecimal
   */
  public static Digest ofHex(String hex) {
    requireNonNull(hex, "hex");
    if (hex.isEmpty() || hex.length() % 2 != 0) {
      throw new IllegalArgumentException("hex digest must have an even, non-zero length");
    }
    return new Digest(HEX.parseHex(hex));
  }

  /** The number of bytes. */
  public int length() {
    return bytes.length;
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Copies the bytes into {@code dest} at {@code offset}. */
  public void copyTo(byte[] dest, int offset) {
    System.arraycopy(bytes, 0, dest, offset, bytes.length);
  }

  /** Lowercase hexadecimal. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest && MessageDigest.isEqual(bytes, ((Digest) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
