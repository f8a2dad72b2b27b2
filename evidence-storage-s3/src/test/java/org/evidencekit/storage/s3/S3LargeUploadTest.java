package org.evidencekit.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A multi-GB recording streams into the store and back in a JVM with a 64 MiB heap: the writer
 * holds one part, the reader one chunk. The bytes are generated, never stored locally.
 */
class S3LargeUploadTest {
  static final long SIZE = 2L * 1024 * 1024 * 1024 + 12_345; // 2 GiB and a bit: 257 parts

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aMultiGigabyteStreamUploadsAndReadsBackInA64MiBHeap() throws Exception {
    S3TestServer.endpoint();
    String bucket = S3TestServer.bucket();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                S3LargeUploadTest.class.getName(),
                bucket,
                Long.toString(SIZE))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(9, TimeUnit.MINUTES), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("OK " + SIZE), out);
    System.out.print(out); // the throughput line, for the record (not asserted)
  }

  /** The child: write, compare the store's digest with ours, read back through to the end. */
  public static void main(String[] args) throws IOException, Exception {
    String bucket = args[0];
    long size = Long.parseLong(args[1]);
    ObjectKey key = ObjectKey.of("large/" + System.nanoTime() + ".mp4");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (S3EvidenceStore store = S3TestServer.builder().bucket(bucket).prefix("large").open()) {
      ObjectInfo info;
      long t0 = System.nanoTime();
      SplittableRandom random = new SplittableRandom(42);
      ByteBuffer block = ByteBuffer.allocate(1024 * 1024);
      try (WritableObject w = store.create(key)) {
        long left = size;
        while (left > 0) {
          block.clear();
          while (block.remaining() >= 8) {
            block.putLong(random.nextLong());
          }
          block.flip();
          if (left < block.remaining()) {
            block.limit((int) left);
          }
          sha.update(block.duplicate());
          left -= block.remaining();
          while (block.hasRemaining()) {
            w.write(block);
          }
        }
        info = w.commit();
      }
      long t1 = System.nanoTime();
      String ours = HexFormat.of().formatHex(sha.digest());
      if (!ours.equals(info.sha256Hex().orElse("")) || info.size() != size) {
        throw new AssertionError("stored " + info + " " + info.sha256Hex() + ", ours " + ours);
      }
      long read = 0;
      try (SeekableByteChannel ch = store.openRead(key)) {
        ByteBuffer b = ByteBuffer.allocate(256 * 1024);
        int n;
        while ((n = ch.read(b.clear())) >= 0) {
          read += n; // the channel checks the SHA-256 when it reaches the end
        }
      }
      long t2 = System.nanoTime();
      store.delete(key); // no retention: frees the test server's RAM-backed OSD
      System.out.printf(
          java.util.Locale.ROOT,
          "upload %.1f MB/s, download %.1f MB/s%n",
          size / ((t1 - t0) / 1e9) / 1e6,
          size / ((t2 - t1) / 1e9) / 1e6);
      System.out.println("OK " + read);
    }
  }
}
