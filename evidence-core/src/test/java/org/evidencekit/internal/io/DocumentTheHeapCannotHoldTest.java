package org.evidencekit.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evidencekit.continuity.ContinuityInputs;
import org.evidencekit.seal.Seal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document within its format's byte bound that a small heap cannot hold (50 MiB of "[" against
 * the 256 MiB seal bound and the 64 MiB of analyze's inputs, in a 64 MiB heap) is refused in the
 * format's own exception, naming the file and its size: it was an {@code OutOfMemoryError} at the
 * allocation of its bytes (R-05: a seal or an input that cannot be read is said so, never a crash).
 * The readers run in a JVM of their own with {@code -Xmx64m}, the heap the test is about, and the
 * launcher's serial collector.
 */
class DocumentTheHeapCannotHoldTest {
  static final int SIZE = 50 << 20;

  @TempDir Path dir;

  /** A stream of {@code n} bytes of "[", made as it is read. */
  static InputStream brackets(long n) {
    return new InputStream() {
      long left = n;

      @Override
      public int read() {
        return left-- > 0 ? '[' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int k = (int) Math.min(len, left);
        Arrays.fill(b, off, off + k, (byte) '[');
        left -= k;
        return k;
      }
    };
  }

  /** In the small heap: each reader's outcome on one line, as "class: message". */
  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    List<IoCall> calls =
        List.of(
            () -> Seal.read(file),
            () -> ContinuityInputs.readActions(file),
            () -> ContinuityInputs.readActions(brackets(SIZE)));
    for (IoCall c : calls) {
      try {
        c.run();
        System.out.println("read");
      } catch (Throwable t) {
        System.out.println(t.getClass().getSimpleName() + ": " + t.getMessage());
      }
    }
  }

  interface IoCall {
    void run() throws IOException;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aDocumentWithinItsBoundButPastTheHeapIsRefusedNamingItsSize() throws Exception {
    Path file = dir.resolve("nested.json");
    byte[] brackets = new byte[SIZE];
    Arrays.fill(brackets, (byte) '[');
    Files.write(file, brackets);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                DocumentTheHeapCannotHoldTest.class.getName(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().toList();
    assertEquals(3, lines.size(), out);
    String tooMany = " has " + SIZE + " bytes, too many to read into memory";
    assertTrue(lines.get(0).startsWith("SealFormatException: " + file + tooMany), out);
    assertTrue(
        lines.get(1).startsWith("ContinuityFormatException: actions " + file + tooMany), out);
    assertTrue(lines.get(2).startsWith("ContinuityFormatException: actions has more than "), out);
    assertTrue(lines.get(2).contains("too many to read into memory"), out);
  }
}
