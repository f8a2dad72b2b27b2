package org.evidencekit.internal.io;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a file that is not what was asked for looks like, from its first bytes: so an error can say
 * "it looks like an MP4 file" instead of quoting a parser that met an unexpected byte.
 */
public final class FileKind {
  private FileKind() {}

  /** A short noun phrase ("an MP4 file", "a PEM private key"), or empty if nothing is known. */
  public static Optional<String> describe(byte[] head) {
    if (head.length == 0) {
      return Optional.of("an empty file");
    }
    if (head.length >= 8 && at(head, 4, "ftyp")) {
      return Optional.of("an MP4 file");
    }
    if (head.length >= 12 && at(head, 0, "RIFF") && at(head, 8, "WAVE")) {
      return Optional.of("a WAV file");
    }
    if (at(head, 0, "RF64")) {
      return Optional.of("an RF64 audio file");
    }
    if (at(head, 0, "#!AMR")) {
      return Optional.of("an AMR audio file");
    }
    if (at(head, 0, "ID3")
        || (head.length >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xe0) == 0xe0)) {
      return Optional.of("an MP3 file");
    }
    if (at(head, 0, "%PDF")) {
      return Optional.of("a PDF");
    }
    if (at(head, 0, "PK\u0003\u0004")) {
      return Optional.of("a ZIP archive");
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return Optional.of("a gzip file");
    }
    if (head.length >= 3
        && (head[0] & 0xff) == 0xff
        && (head[1] & 0xff) == 0xd8
        && (head[2] & 0xff) == 0xff) {
      return Optional.of("a JPEG image");
    }
    String text = new String(head, 0, Math.min(head.length, 4096), StandardCharsets.ISO_8859_1);
    int begin = text.indexOf("-----BEGIN ");
    if (begin >= 0) {
      int end = text.indexOf("-----", begin + 11);
      String label = end > 0 ? text.substring(begin + 11, end) : "";
      if (label.contains("PRIVATE KEY")) {
        return Optional.of("a PEM private key");
      }
      if (label.contains("PUBLIC KEY")) {
        return Optional.of("a PEM public key");
      }
      if (label.contains("CERTIFICATE")) {
        return Optional.of("a PEM certificate");
      }
      return Optional.of("a PEM file");
    }
    if (head.length >= 2 && (head[0] & 0xff) == 0x30 && (head[1] & 0xff) >= 0x80) {
      return Optional.of("binary DER data (a PKCS#12 or DER key or certificate?)");
    }
    int i = 0;
    if (head.length >= 3
        && (head[0] & 0xff) == 0xef
        && (head[1] & 0xff) == 0xbb
        && (head[2] & 0xff) == 0xbf) {
      i = 3; // UTF-8 byte order mark
    }
    while (i < head.length && Character.isWhitespace(head[i])) {
      i++;
    }
    if (i < head.length && head[i] == '{') {
      return Optional.of(
          text.contains("\"suite\"") && text.contains("\"roots\"") ? "a seal" : "a JSON object");
    }
    if (i < head.length && head[i] == '[') {
      return Optional.of("a JSON array");
    }
    for (int j = 0; j < Math.min(head.length, 4096); j++) {
      int b = head[j] & 0xff;
      if (b == 0 || (b < 0x20 && b != '\n' && b != '\r' && b != '\t')) {
        return Optional.of("binary data");
      }
    }
    return Optional.of("text");
  }

  /** Whether the first non-blank byte (after a UTF-8 byte order mark) opens a JSON object. */
  public static boolean startsLikeJsonObject(byte[] data) {
    return describe(data).map(k -> k.equals("a seal") || k.equals("a JSON object")).orElse(false);
  }

  private static boolean at(byte[] b, int offset, String ascii) {
    if (b.length < offset + ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (b[offset + i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
