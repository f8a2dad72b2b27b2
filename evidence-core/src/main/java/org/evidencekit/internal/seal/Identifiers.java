package org.evidencekit.internal.seal;

import java.util.Locale;

/**
 * Identifiers a seal carries (device, officer, case) as a reader sees them: a control, format
 * (zero-width, bidirectional override), line or paragraph separator or lone surrogate character is
 * not seen, or moves what is printed after it, so an id holding one reads as another id. Ingest
 * refuses them ({@code IngestRequest.identifier}); a verifier names them and prints such an id
 * escaped.
 */
public final class Identifiers {
  private Identifiers() {}

  /** The index of the first hidden character of {@code id}, or -1 when it has none. */
  public static int firstHidden(String id) {
    for (int i = 0; i < id.length(); ) {
      int c = id.codePointAt(i);
      if (hidden(c)) {
        return i;
      }
      i += Character.charCount(c);
    }
    return -1;
  }

  /** {@code id} with each hidden character written as {@code \\uXXXX}, on one line, as seen. */
  public static String printable(String id) {
    StringBuilder b = new StringBuilder(id.length());
    for (int i = 0; i < id.length(); ) {
      int c = id.codePointAt(i);
      if (hidden(c) || c == '\\') {
        b.append(String.format(Locale.ROOT, "\\u%04X", c));
      } else {
        b.appendCodePoint(c);
      }
      i += Character.charCount(c);
    }
    return b.toString();
  }

  private static boolean hidden(int c) {
    int t = Character.getType(c);
    return t == Character.CONTROL
        || t == Character.FORMAT
        || t == Character.LINE_SEPARATOR
        || t == Character.PARAGRAPH_SEPARATOR
        || t == Character.SURROGATE;
  }
}
