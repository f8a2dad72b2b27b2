package org.evidencekit.retention;

/**
 * CSV cells a spreadsheet will not run: RFC 4180 quoting, and a cell starting with {@code = + - @},
 * a tab or a carriage return gets a leading apostrophe (as the record sheet does), because ids and
 * reasons in the facts come from outside.
 */
final class CsvCell {
  private CsvCell() {}

  static String of(String v) {
    String s = v == null ? "" : v;
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.]+")) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  /** {@code s} for a one-line message: control characters shown as {@code ?}, at most 80 chars. */
  static String printable(String s) {
    return printable(s, 80);
  }

  /** {@link #printable(String)}, at most {@code max} chars. */
  static String printable(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return s.length() > max ? b + "..." : b.toString();
  }
}
