package org.evidencekit.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * What the command prints, with control characters shown as {@code \xNN} (C1 and others as {@code
 * \\uNNNN}) instead of sent to the terminal. File names, object keys and seal fields come from
 * whoever named the file or wrote the seal: an ESC in one would otherwise let it recolour, clear or
 * rewrite what the user reads (a forged "INTACT" over a TAMPERED line). Line feeds and tabs pass;
 * carriage returns only where the progress lines use them (stderr).
 */
final class TerminalSafeWriter extends FilterWriter {
  private final boolean carriageReturns;

  TerminalSafeWriter(Writer out, boolean carriageReturns) {
    super(out);
    this.carriageReturns = carriageReturns;
  }

  static boolean passes(char c, boolean carriageReturns) {
    if (c == '\n' || c == '\t' || (c == '\r' && carriageReturns)) {
      return true;
    }
    return !(c < 0x20 || (c >= 0x7f && c <= 0x9f));
  }

  static String escape(char c) {
    return c <= 0x7f ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
  }

  @Override
  public void write(int c) throws IOException {
    char ch = (char) c;
    if (passes(ch, carriageReturns)) {
      out.write(ch);
    } else {
      out.write(escape(ch));
    }
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    int start = off;
    int end = off + len;
    for (int i = off; i < end; i++) {
      if (!passes(cbuf[i], carriageReturns)) {
        out.write(cbuf, start, i - start);
        out.write(escape(cbuf[i]));
        start = i + 1;
      }
    }
    out.write(cbuf, start, end - start);
  }

  @Override
  public void write(String str, int off, int len) throws IOException {
    write(str.toCharArray(), off, len);
  }
}
