package org.evidencekit.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * What the command prints, with control characters shown as {@code \xNN} (C1 as {@code \\uNNNN})
 * instead of sent to the terminal. File names, object keys and seal fields come from whoever named
 * the file or wrote the seal: an ESC in one would otherwise let it recolour, clear or rewrite what
 * the user reads (a forged "INTACT" over a TAMPERED line). Line feeds, tabs and CRLF line ends
 * (CSV) pass; a lone carriage return only where the progress lines use it (stderr).
 */
final class TerminalSafeWriter extends FilterWriter {
  private final boolean carriageReturns;
  private boolean pendingCr;

  TerminalSafeWriter(Writer out, boolean carriageReturns) {
    super(out);
    this.carriageReturns = carriageReturns;
  }

  private static boolean passes(char c) {
    return c == '\n' || c == '\t' || !(c < 0x20 || (c >= 0x7f && c <= 0x9f));
  }

  private static String escape(char c) {
    return c <= 0x7f ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
  }

  @Override
  public void write(int c) throws IOException {
    char ch = (char) c;
    if (pendingCr) {
      pendingCr = false;
      out.write(ch == '\n' ? "\r" : escape('\r'));
    }
    if (ch == '\r' && !carriageReturns) {
      pendingCr = true; // a CRLF passes, a lone CR does not: decided by the next character
    } else if (passes(ch) || (ch == '\r' && carriageReturns)) {
      out.write(ch);
    } else {
      out.write(escape(ch));
    }
  }

  @Override
  public void write(char[] cbuf, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(cbuf[i]);
    }
  }

  @Override
  public void write(String str, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(str.charAt(i));
    }
  }

  @Override
  public void close() throws IOException {
    if (pendingCr) {
      pendingCr = false;
      out.write(escape('\r'));
    }
    super.close();
  }
}
