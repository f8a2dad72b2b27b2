package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A 5 GB recording is probed from its index and the heads of its keyframes (2 KiB each, for
 * splices): the rest of its media data is never read.
 */
class IndexOnlyTest {
  @Test
  void fiveGigabytesOfMediaAreNeverRead() throws IOException {
    byte[] src;
    try (InputStream in =
        getClass().getResourceAsStream("/fixtures/f01_clean/DEVCAM7_20230601_140000_001.mp4")) {
      src = in.readAllBytes();
    }
    // f01 is ftyp, free, mdat, moov: keep ftyp+free, make the mdat 5 GB (64-bit size), keep moov
    int mdatAt = 40;
    int moovAt = ByteBuffer.wrap(src, mdatAt, 4).getInt() + mdatAt;
    byte[] head = Arrays.copyOf(src, mdatAt);
    long mdatBody = 5_000_000_000L;
    ByteBuffer mdatHeader = ByteBuffer.allocate(16);
    mdatHeader.putInt(1).put(new byte[] {'m', 'd', 'a', 't'}).putLong(16 + mdatBody);
    byte[] prefix = new byte[head.length + 16];
    System.arraycopy(head, 0, prefix, 0, head.length);
    System.arraycopy(mdatHeader.array(), 0, prefix, head.length, 16);
    byte[] moov = Arrays.copyOfRange(src, moovAt, src.length);
    ByteArrayChannel ch = new ByteArrayChannel(prefix, mdatBody, moov);

    RecordingTimeline t = MediaProbe.create().probe(ch);
    assertEquals(200, t.track("vide").get().sampleCount());
    assertEquals(8.0, t.durationSeconds(), 0.001);
    long keyframes = t.track("vide").get().syncSampleCount();
    long budget = prefix.length + moov.length + keyframes * 2048 + 4096 + 64; // index, heads
    assertEquals(8, keyframes);
    assertTrue(
        ch.bytesRead <= budget, "read " + ch.bytesRead + " bytes of a 5 GB file, budget " + budget);
  }
}
