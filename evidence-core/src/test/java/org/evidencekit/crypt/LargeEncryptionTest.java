package org.evidencekit.crypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap stays bounded: 512 MiB (AES-GCM) and 128 MiB (SM4-GCM) encrypted and decrypted again by a
 * JVM limited to 48 MiB of heap.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LargeEncryptionTest {
  @TempDir Path dir;

  @Test
  void halfAGibibyteRoundTripsIn48MibOfHeap() throws Exception {
    roundTrip(512L << 20, "aes-256-gcm");
  }

  /** SM4-GCM encrypts on the pool and decrypts ahead: both stay inside the small heap too. */
  @Test
  void sm4RoundTripsIn48MibOfHeap() throws Exception {
    roundTrip(128L << 20, "sm4-gcm");
  }

  private void roundTrip(long length, String suite) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx48m",
                "-cp",
                System.getProperty("java.class.path"),
                LargeEncryption.class.getName(),
                Long.toString(length),
                dir.resolve(suite + ".enc").toString(),
                suite)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(300, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("DONE " + length + " " + length), out);
  }
}
