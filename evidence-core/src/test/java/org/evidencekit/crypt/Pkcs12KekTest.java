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

  /**
   * A hex key file that is empty, a recording (not ASCII) or a huge file is refused with the one
   * message that says what a key file holds, read no further than a key file can be long.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aHexKeyFileThatIsNotOneSaysWhatItShouldHold() throws IOException {
    Path empty = java.nio.file.Files.createFile(dir.resolve("empty.hex"));
    Path mp4 = dir.resolve("rec.mp4");
    java.nio.file.Files.write(
        mp4, new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', (byte) 0xe9, (byte) 0xff, 1, 2});
    Path huge = dir.resolve("huge.hex");
    try (var ch =
        java.nio.channels.FileChannel.open(
            huge,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {'a'}), (1L << 33) - 1); // sparse 8 GiB
    }
    for (Path p : new Path[] {empty, mp4, huge}) {
      IOException e =
          assertThrows(IOException.class, () -> AesKeyEncryptionKey.readHexFile("k", p));
      assertEquals(p + " does not hold a 256-bit key as 64 hex digits", e.getMessage());
    }
  }

  /**
   * A keystore over the bound is refused having read at most one byte past it: a sparse 4 GiB file
   * whose DER header declares 2 GiB made the JDK's keystore parser read that much into memory.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 20, unit = TimeUnit.SECONDS)
  void anOversizedKeystoreIsRefusedUnreadNotLoadedWhole() throws IOException {
    Path huge = dir.resolve("huge.p12");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.write(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, 0x00});
      f.setLength(4L << 30);
    }
    IOException e =
        assertThrows(
            IOException.class,
            () -> AesKeyEncryptionKey.readPkcs12(huge, "s3cret-pass".toCharArray(), null));
    assertEquals(
        huge
            + " is larger than "
            + AesKeyEncryptionKey.MAX_KEYSTORE_BYTES
            + " bytes: not a keystore",
        e.getMessage());
  }
}
