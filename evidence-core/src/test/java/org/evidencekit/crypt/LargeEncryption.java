package org.evidencekit.crypt;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.evidencekit.PseudoRandomChannel;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;

/**
 * Child process for {@link LargeEncryptionTest}: encrypts {@code args[0]} bytes into {@code
 * args[1]} with suite {@code args[2]} and a small heap, then decrypts it all again through the
 * plaintext channel (for SM4-GCM, segments decrypted ahead on other cores).
 */
public final class LargeEncryption {
  private LargeEncryption() {}

  public static void main(String[] args) throws Exception {
    long length = Long.parseLong(args[0]);
    Path out = Path.of(args[1]);
    AeadSuite suite = AeadSuite.forId(args[2]).orElseThrow();
    AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("big");
    Seal seal;
    try (WritableByteChannel ch =
            Files.newByteChannel(
                out,
                java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE);
        PseudoRandomChannel in = new PseudoRandomChannel(length, 13);
        EncryptingChannel enc =
            EncryptingChannel.create(ch, Sealer.create(), suite, 1 << 20, kek)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 20);
      while (in.read(buf) >= 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          enc.write(buf);
        }
        buf.clear();
      }
      seal = enc.finish();
    }
    long n = 0;
    try (var ch = Files.newByteChannel(out);
        var plain = EncryptedRecording.open(ch, seal, List.of(kek)).newPlaintextChannel()) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      int r;
      while ((r = plain.read(buf)) >= 0) {
        n += r;
        buf.clear();
      }
    }
    System.out.println("DONE " + seal.length() + " " + n);
  }
}
