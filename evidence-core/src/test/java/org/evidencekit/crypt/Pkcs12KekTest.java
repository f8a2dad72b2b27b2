package org.evidencekit.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key-encryption keys from a PKCS#12 keystore made by the JDK's own keytool. */
class Pkcs12KekTest {
  @TempDir Path dir;

  private Path keytool(String alias, Path ks) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genseckey",
                "-alias",
                alias,
                "-keyalg",
                "AES",
                "-keysize",
                "256",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.toString(),
                "-storepass",
                "s3cret-pass",
                "-keypass",
                "s3cret-pass")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return ks;
  }

  @Test
  void aKeytoolMadeKeyWrapsAndUnwraps() throws Exception {
    Path ks = keytool("kek-2026", dir.resolve("kek.p12"));
    AesKeyEncryptionKey k = AesKeyEncryptionKey.readPkcs12(ks, "s3cret-pass".toCharArray(), null);
    assertEquals("kek-2026", k.keyId());
    byte[] dataKey = new byte[16];
    byte[] ctx = {1, 2, 3};
    assertArrayEquals(dataKey, k.unwrap(k.wrap(dataKey, ctx), ctx));
    assertThrows(DecryptionException.class, () -> k.unwrap(k.wrap(dataKey, ctx), new byte[] {9}));
    assertThrows(
        IOException.class, () -> AesKeyEncryptionKey.readPkcs12(ks, "wrong".toCharArray(), null));
    assertThrows(
        IOException.class,
        () -> AesKeyEncryptionKey.readPkcs12(ks, "s3cret-pass".toCharArray(), "other"));
  }
}
