package org.evidencekit.crypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Heap stays bounded: 512 MiB encrypted and decrypted again by a JVM limited to 48 MiB of heap. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LargeEncryptionTest {
  @TempDir Path dir;

  @Test
  void halfAGibibyteRoundTripsIn48MibOfHeap() throws Exception {
    long length = 512L << 20;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx48m",
                "-cp",
                System.getProperty("java.class.path"),
                LargeEncryption.class.getName(),
                Long.toString(length),
                dir.resolve("big.enc").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("DONE " + length + " " + length), out);
  }
}
