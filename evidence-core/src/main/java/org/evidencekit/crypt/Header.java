package org.evidencekit.crypt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.Seal;

/**
 * The ciphertext header (docs/encryption.md):
 *
 * <pre>
 * "EVKENC" | version 1 | suite | segment size (u32) | nonce prefix (7)     -- the fixed part
 * key id length (u8) | key id (UTF-8) | wrapped key length (u16) | wrapped data key
 * </pre>
 *
 * The fixed part is authenticated with every segment and with the wrapped key; the key id and the
 * wrapped key may be replaced (key rotation) without touching the segments.
 */
final class Header {
  static final byte[] MAGIC = "EVKENC".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int FIXED = 6 + 1 + 1 + 4 + 7;
  static final int MIN_SEGMENT = 4096;
  static final int MAX_SEGMENT = 64 << 20;
  static final int MAX_WRAPPED = 1024;

  final AeadSuite suite;
  final int segmentSize;
  final byte[] noncePrefix;
  final String keyId;
  final byte[] wrappedKey;

  Header(AeadSuite suite, int segmentSize, byte[] noncePrefix, String keyId, byte[] wrappedKey) {
    this.suite = suite;
    this.segmentSize = segmentSize;
    this.noncePrefix = noncePrefix.clone();
    this.keyId = keyId;
    this.wrappedKey = wrappedKey.clone();
  }

  /**
   * The random nonce prefix as lowercase hex: authenticated with every segment and the wrapped key,
   * and new with every encryption, so it names one ciphertext of a plaintext among all others.
   */
  String noncePrefixHex() {
    return HexFormat.of().formatHex(noncePrefix);
  }

  /**
   * A nonce prefix given as 14 hex digits (case ignored): the one a ciphertext's {@code sealed}
   * entry logged, for content restored in that ciphertext's form.
   *
   * @throws IllegalArgumentException if it is not 14 hex digits
   */
  static byte[] parseNoncePrefix(String hex) {
    if (!hex.matches("[0-9a-fA-F]{14}")) {
      throw new IllegalArgumentException(
          "noncePrefix must be 14 hex digits, not '" + shown(hex) + "'");
    }
    return HexFormat.of().parseHex(hex);
  }

  /** {@code s}, or its first 40 characters when longer: an entry's detail can be 64 KiB. */
  static String shown(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "... (" + s.length() + " characters)";
  }

  byte[] fixed() {
    ByteBuffer b = ByteBuffer.allocate(FIXED);
    b.put(MAGIC).put((byte) VERSION).put((byte) suite.code()).putInt(segmentSize).put(noncePrefix);
    return b.array();
  }

  byte[] encode() {
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(FIXED + 1 + id.length + 2 + wrappedKey.length);
    b.put(fixed())
        .put((byte) id.length)
        .put(id)
        .putShort((short) wrappedKey.length)
        .put(wrappedKey);
    return b.array();
  }

  int length() {
    return FIXED + 1 + keyId.getBytes(StandardCharsets.UTF_8).length + 2 + wrappedKey.length;
  }

  Header withKey(String newKeyId, byte[] newWrapped) {
    return new Header(suite, segmentSize, noncePrefix, newKeyId, newWrapped);
  }

  static Header read(SeekableByteChannel ch) throws IOException {
    ch.position(0);
    ByteBuffer fixed = readFully(ch, FIXED, "header");
    byte[] magic = new byte[6];
    fixed.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new DecryptionException("not an EvidenceKit ciphertext (bad magic)");
    }
    int version = fixed.get() & 0xff;
    if (version != VERSION) {
      throw new DecryptionException("unsupported ciphertext version " + version);
    }
    int code = fixed.get() & 0xff;
    AeadSuite suite =
        AeadSuite.forCode(code)
            .orElseThrow(() -> new DecryptionException("unknown cipher suite code " + code));
    int seg = fixed.getInt();
    if (seg < MIN_SEGMENT || seg > MAX_SEGMENT) {
      throw new DecryptionException("segment size " + seg + " is out of range");
    }
    byte[] prefix = new byte[7];
    fixed.get(prefix);
    int idLen = readFully(ch, 1, "key id length").get() & 0xff;
    if (idLen == 0) {
      throw new DecryptionException("empty key id");
    }
    String keyId = StandardCharsets.UTF_8.decode(readFully(ch, idLen, "key id")).toString();
    int wLen = readFully(ch, 2, "wrapped key length").getShort() & 0xffff;
    if (wLen == 0 || wLen > MAX_WRAPPED) {
      throw new DecryptionException("wrapped key length " + wLen + " is out of range");
    }
    byte[] wrapped = new byte[wLen];
    readFully(ch, wLen, "wrapped key").get(wrapped);
    return new Header(suite, seg, prefix, keyId, wrapped);
  }

  static ByteBuffer readFully(SeekableByteChannel ch, int n, String what) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new DecryptionException("ciphertext is truncated in the " + what);
      }
    }
    b.flip();
    return b;
  }

  static byte[] nonce(byte[] prefix, long index, boolean last) {
    if (index > 0xffffffffL) {
      throw new IllegalArgumentException("more than 2^32 segments");
    }
    ByteBuffer b = ByteBuffer.allocate(12);
    b.put(prefix).putInt((int) index).put((byte) (last ? 1 : 0));
    return b.array();
  }

  /**
   * What the last segment authenticates besides the fixed header: the seal's roots and length, so a
   * ciphertext decrypts only against the seal it was made with.
   */
  static byte[] binding(Seal seal) {
    Map<String, Digest> roots = new TreeMap<>();
    seal.roots().forEach((a, d) -> roots.put(a.name(), d));
    ByteBuffer b = ByteBuffer.allocate(64 + roots.size() * 80);
    b.put("evidencekit.crypt-binding/1".getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
    b.putLong(seal.length());
    roots.forEach(
        (name, d) -> {
          b.put(name.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
          b.put(d.toByteArray());
        });
    b.flip();
    byte[] in = new byte[b.remaining()];
    b.get(in);
    return HashAlgorithm.SHA256.hash(in).toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
