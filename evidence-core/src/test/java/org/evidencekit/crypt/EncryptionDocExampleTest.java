package org.evidencekit.crypt;

import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/encryption.md's example, compiled and run; the doc must quote it verbatim. As printed it
 * declared {@code seal} inside the {@code try} and used it after, and did not compile.
 */
class EncryptionDocExampleTest {
  @TempDir Path dir;

  @Test
  void theEncryptionExampleWorksAndIsQuotedVerbatim() throws IOException {
    byte[] plaintext = new byte[(11 << 20) + 123];
    new Random(11).nextBytes(plaintext);
    Path recording = Files.write(dir.resolve("rec.mp4"), plaintext);
    Path kekFile = dir.resolve("kek.hex");
    byte[] kekBytes = new byte[32];
    new Random(12).nextBytes(kekBytes);
    Files.writeString(kekFile, HexFormat.of().formatHex(kekBytes));
    AesKeyEncryptionKey nextKek = AesKeyEncryptionKey.generate("kek-2027");
    Path ciphertext = dir.resolve("rec.mp4.enc");
    Path rewrapped = dir.resolve("rec.mp4.enc2");
    Path decrypted = dir.resolve("rec.plain.mp4");
    byte[] clip;
    Seal seal;
    try (FileChannel in = FileChannel.open(recording);
        FileChannel out = FileChannel.open(ciphertext, CREATE_NEW, WRITE);
        FileChannel ciphertextChannel = FileChannel.open(ciphertext, READ);
        FileChannel oldCiphertext = FileChannel.open(ciphertext, READ);
        FileChannel plainOut = FileChannel.open(decrypted, CREATE_NEW, WRITE);
        FileChannel newCiphertext = FileChannel.open(rewrapped, CREATE_NEW, WRITE)) {
      Object[] results =
          example(
              kekFile, in, out, ciphertextChannel, plainOut, oldCiphertext, newCiphertext, nextKek);
      seal = (Seal) results[0];
      clip = (byte[]) results[1];
    }
    assertArrayEquals(Arrays.copyOfRange(plaintext, 10 << 20, (10 << 20) + 4096), clip);
    assertArrayEquals(plaintext, Files.readAllBytes(decrypted), "decryptTo: everything");
    assertEquals(Sealer.create().seal(recording).roots(), seal.roots(), "the plaintext's seal");
    try (SeekableByteChannel ch = Files.newByteChannel(rewrapped)) {
      EncryptedRecording again = EncryptedRecording.open(ch, seal, List.of(nextKek));
      assertArrayEquals(
          Arrays.copyOfRange(plaintext, 5, 5 + 100), again.read(5, 100), "rewrapped: next key");
    }
    String source =
        Files.readString(
            Path.of("src/test/java/org/evidencekit/crypt/EncryptionDocExampleTest.java"));
    assertTrue(
        Files.readString(Path.of("..", "docs", "encryption.md")).contains(snippet(source)),
        "docs/encryption.md quotes the example verbatim");
  }

  private static String snippet(String source) {
    // the markers' last occurrences are the comments in example(), not the literals here
    String begin = "// ENCRYPTION-BEGIN";
    int start = source.indexOf('\n', source.lastIndexOf(begin)) + 1;
    int end = source.lastIndexOf("    // ENCRYPTION-END");
    StringBuilder sb = new StringBuilder();
    for (String line : source.substring(start, end).split("\n", -1)) {
      sb.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
    }
    return sb.toString().strip();
  }

  private static Object[] example(
      Path kekFile,
      FileChannel in,
      WritableByteChannel out,
      SeekableByteChannel ciphertextChannel,
      WritableByteChannel plainOut,
      SeekableByteChannel oldCiphertext,
      WritableByteChannel newCiphertext,
      KeyEncryptionKey nextKek)
      throws IOException {
    // ENCRYPTION-BEGIN
    KeyEncryptionKey kek = AesKeyEncryptionKey.readHexFile("kek-2026", kekFile);
    Seal seal;
    try (EncryptingChannel enc =
        EncryptingChannel.create(out, Sealer.create(), AeadSuite.SM4_GCM, 1 << 20, kek)) {
      in.transferTo(0, in.size(), enc);
      seal = enc.finish(); // over the plaintext; the ciphertext is bound to it
    }
    EncryptedRecording r = EncryptedRecording.open(ciphertextChannel, seal, List.of(kek));
    byte[] clip = r.read(10L << 20, 4096); // that segment, and once the last (it binds the seal)
    r.decryptTo(plainOut); // everything, one segment at a time
    EncryptedRecording.rewrap(oldCiphertext, newCiphertext, kek, nextKek); // key rotation
    // ENCRYPTION-END
    return new Object[] {seal, clip};
  }
}
