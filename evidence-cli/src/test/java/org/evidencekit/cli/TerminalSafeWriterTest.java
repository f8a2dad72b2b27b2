package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalSafeWriterTest {
  private static String through(String s, boolean carriageReturns) throws IOException {
    StringWriter sink = new StringWriter();
    try (TerminalSafeWriter w = new TerminalSafeWriter(sink, carriageReturns)) {
      w.write(s);
    }
    return sink.toString();
  }

  @Test
  void controlCharactersAreEscapedLineEndsAndTabsPass() throws IOException {
    assertEquals(
        "a\\x1b[2Jb\\x07\\u009b\\x7f\tc\n", through("a\u001b[2Jb\u0007\u009b\u007f\tc\n", false));
    assertEquals("名前.mp4\n", through("名前.mp4\n", false));
  }

  /** CSV lines end in CRLF (RFC 4180) and must reach stdout as they are. */
  @Test
  void crlfPassesALoneCarriageReturnOnlyOnStderr() throws IOException {
    assertEquals("a,b\r\nc,d\r\n", through("a,b\r\nc,d\r\n", false));
    assertEquals("INTACT\\x0dTAMPERED\n", through("INTACT\rTAMPERED\n", false));
    assertEquals("x\\x0d", through("x\r", false));
    assertEquals("\r 42%\r100%\n", through("\r 42%\r100%\n", true));
  }

  /** The same text in single characters and in pieces of any size. */
  @Test
  void writingCharByCharGivesTheSame() throws IOException {
    String s = "a\r\nb\rc\u001bd\r";
    StringWriter sink = new StringWriter();
    try (TerminalSafeWriter w = new TerminalSafeWriter(sink, false)) {
      for (char c : s.toCharArray()) {
        w.write(c);
      }
    }
    assertEquals(through(s, false), sink.toString());
  }
}
