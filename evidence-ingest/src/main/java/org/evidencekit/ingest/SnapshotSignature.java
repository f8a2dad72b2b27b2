package org.evidencekit.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * What a catalog snapshot's signature needs, read before any row is parsed: its last
 * line (the signer's key and the signature) and the SHA-256 of every byte before that line, hashed
 * as a stream in one buffer's memory. A planted snapshot (unsigned, or by a key nobody trusts) is
 * refused for its signature having cost one pass of hashing, never the memory of its rows.
 */
record SnapshotSignature(byte[] signer, byte[] bodySha256, byte[] signature) {

  /** Longest last line: a public key and a signature in Base64 take a few hundred bytes. */
  static final int MAX_SIGNATURE_LINE_BYTES = 4096;

  /** Longest first line looked at: the format's name. */
  private static final int MAX_HEADER_BYTES = 64;

  private static final String SIGNATURE_FIELD = "signature\t";

  /** The first line of the snapshot in {@code ch} (its format), or "" when it has none. */
  static String header(SeekableByteChannel ch) throws IOException {
    byte[] head = readAt(ch, 0, (int) Math.min(ch.size(), MAX_HEADER_BYTES));
    for (int i = 0; i < head.length; i++) {
      if (head[i] == '\n') {
        return new String(head, 0, i, StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  /**
   * Reads the signature of the snapshot in {@code ch}.
   *
   * @param maxBytes the most bytes a snapshot of its ledger size can hold: a larger one is refused
   *     unread
   * @throws IllegalArgumentException naming what is wrong: too large, no line break at its end, no
   *     signature line
   */
  static SnapshotSignature read(SeekableByteChannel ch, long maxBytes) throws IOException {
    long size = ch.size();
    if (size > maxBytes) {
      throw new IllegalArgumentException(
          size + " bytes, more than a snapshot of its ledger size can be (" + maxBytes + ")");
    }
    int n = (int) Math.min(size, MAX_SIGNATURE_LINE_BYTES + 1);
    byte[] tail = readAt(ch, size - n, n);
    if (n == 0 || tail[n - 1] != '\n') {
      throw new IllegalArgumentException("not newline-terminated");
    }
    int start = n - 1;
    while (start > 0 && tail[start - 1] != '\n') {
      start--;
    }
    if (start == 0 && n < size) {
      throw new IllegalArgumentException(
          "no signature line: its last line is longer than " + MAX_SIGNATURE_LINE_BYTES + " bytes");
    }
    String last = new String(tail, start, n - 1 - start, StandardCharsets.UTF_8);
    String[] f =
        last.startsWith(SIGNATURE_FIELD)
            ? last.substring(SIGNATURE_FIELD.length()).split("\t", -1)
            : new String[0];
    if (f.length != 2) {
      throw new IllegalArgumentException("no signature line: its last line is not one");
    }
    byte[] signer = base64(f[0], "signer's key");
    byte[] signature = base64(f[1], "signature");
    return new SnapshotSignature(signer, sha256(ch, size - (n - start)), signature);
  }

  /**
   * A field of the signature line decoded, or an {@link IllegalArgumentException} that names it
   * (the decoder's own says only "Illegal base64 character 3f").
   */
  static byte[] base64(String field, String what) {
    try {
      return Base64.getDecoder().decode(field);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the signature line's " + what + " is not Base64 (" + e.getMessage() + ")");
    }
  }

  private static byte[] readAt(SeekableByteChannel ch, long position, int length)
      throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    ch.position(position);
    while (b.hasRemaining()) {
      if (ch.read(b) < 0) {
        throw new IllegalArgumentException("changed while read (shorter than its size)");
      }
    }
    return b.array();
  }

  /** SHA-256 of the first {@code length} bytes of {@code ch}. */
  private static byte[] sha256(SeekableByteChannel ch, long length) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
    ByteBuffer b = ByteBuffer.allocate(64 * 1024);
    ch.position(0);
    long left = length;
    while (left > 0) {
      b.clear().limit((int) Math.min(b.capacity(), left));
      int r = ch.read(b);
      if (r < 0) {
        throw new IllegalArgumentException("changed while read (shorter than its size)");
      }
      md.update(b.array(), 0, r);
      left -= r;
    }
    return md.digest();
  }
}
