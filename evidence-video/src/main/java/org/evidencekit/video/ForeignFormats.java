package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What a file that is no media this library reads looks like, from its first bytes: named only for
 * the signatures listed here, so an officer who gave the wrong file is told what they gave, and
 * nothing is guessed about the rest.
 */
final class ForeignFormats {
  private ForeignFormats() {}

  /**
   * "it looks like …" for a head (the first bytes of a file, at most 12 read) whose signature is
   * known, else empty.
   */
  static Optional<String> lookalike(ByteBuffer head) {
    byte[] b = new byte[head.remaining()];
    head.get(b);
    String what = named(b);
    if (what == null && text(b)) {
      what = "text";
    }
    return Optional.ofNullable(what).map(w -> "it looks like " + w);
  }

  private static String named(byte[] b) {
    if (starts(b, "%PDF-")) {
      return "a PDF document";
    }
    if (starts(b, 0xFF, 0xD8, 0xFF)) {
      return "a JPEG image";
    }
    if (starts(b, 0x89, 'P', 'N', 'G')) {
      return "a PNG image";
    }
    if (starts(b, 'P', 'K', 3, 4)) {
      return "a ZIP archive (or an Office document)";
    }
    if (starts(b, "RIFF") && b.length >= 12 && "AVI ".equals(ascii(b, 8, 4))) {
      return "an AVI video, which this library does not read";
    }
    if (starts(b, 0x1A, 0x45, 0xDF, 0xA3)) {
      return "a Matroska/WebM video, which this library does not read";
    }
    if (starts(b, 0, 0, 1, 0xBA)) {
      return "an MPEG program stream, which this library does not read";
    }
    if (starts(b, "FLV")) {
      return "an FLV video, which this library does not read";
    }
    if (starts(b, 0x30, 0x26, 0xB2, 0x75)) {
      return "an ASF/WMV file, which this library does not read";
    }
    return null;
  }

  /** Printable ASCII, tabs and line breaks only (after a UTF-8 byte order mark). */
  private static boolean text(byte[] b) {
    int from = starts(b, 0xEF, 0xBB, 0xBF) ? 3 : 0;
    if (b.length - from < 4) {
      return false;
    }
    for (int i = from; i < b.length; i++) {
      int c = b[i] & 0xFF;
      if (!(c >= 0x20 && c < 0x7F) && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  private static boolean starts(byte[] b, String s) {
    return starts(b, s.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean starts(byte[] b, int... sig) {
    if (b.length < sig.length) {
      return false;
    }
    for (int i = 0; i < sig.length; i++) {
      if ((b[i] & 0xFF) != (sig[i] & 0xFF)) {
        return false;
      }
    }
    return true;
  }

  private static boolean starts(byte[] b, byte[] sig) {
    int[] s = new int[sig.length];
    for (int i = 0; i < sig.length; i++) {
      s[i] = sig[i];
    }
    return starts(b, s);
  }

  private static String ascii(byte[] b, int from, int n) {
    return new String(b, from, n, StandardCharsets.US_ASCII);
  }
}
