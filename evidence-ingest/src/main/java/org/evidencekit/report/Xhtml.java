package org.evidencekit.report;

/**
 * Writing well-formed XHTML by hand: escaping (characters XML 1.0 cannot hold are replaced) and the
 * self-contained prologue (no scripts, fonts or network).
 */
final class Xhtml {
  private Xhtml() {}

  static void head(StringBuilder h, String lang, String title, String css) {
    h.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    h.append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"").append(esc(lang));
    h.append("\" xml:lang=\"").append(esc(lang)).append("\">\n<head>\n");
    h.append("<meta charset=\"UTF-8\"/>\n<title>").append(esc(title));
    h.append("</title>\n<style>\n").append(css).append("</style>\n</head>\n<body>\n");
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    esc(b, s);
    return b.toString();
  }

  static void esc(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r' || ch == 0xFFFE || ch == 0xFFFF) {
            b.append('\uFFFD');
          } else {
            b.append(ch);
          }
        }
      }
    }
  }

  /**
   * Escaped, with a break opportunity after each '/' and '_', so a long key wraps at its parts
   * instead of overflowing its column or breaking every few characters. Not after '-': a line
   * ending in a hyphen reads as a hyphenated word, and text extraction drops the hyphen.
   */
  static void breakable(StringBuilder b, String s) {
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if ((ch == '/' || ch == '_') && i + 1 < s.length()) {
        esc(b, s.substring(from, i + 1));
        b.append("<wbr/>");
        from = i + 1;
      }
    }
    esc(b, s.substring(from));
  }
}
