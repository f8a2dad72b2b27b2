package org.evidencekit.video;

import static org.evidencekit.video.HostileInputTest.FTYP;
import static org.evidencekit.video.HostileInputTest.box;
import static org.evidencekit.video.HostileInputTest.cat;
import static org.evidencekit.video.HostileInputTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A muxer that joins footage of another configuration adds a sample description; where the samples
 * switch to it is the splice.
 */
class SampleDescriptionSpliceTest {
  /** A visual sample entry of the given size, with no configuration record. */
  static byte[] avc1(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(78);
    b.putShort(6, (short) 1); // data reference index
    b.putShort(24, (short) width).putShort(26, (short) height);
    return box("avc1", b.array());
  }

  @Test
  void theSampleWhereTheSecondDescriptionStartsIsTheSplice() throws IOException {
    // 4 chunks of 25 frames at 25 fps: chunks 1-2 from a 64x36 camera, 3-4 from an 80x48 one
    byte[] stbl =
        box(
            "stbl",
            box("stsd", ints(0, 2), avc1(64, 36), avc1(80, 48)),
            box("stts", ints(0, 1, 100, 512)),
            box("stsc", ints(0, 2, 1, 25, 1, 3, 25, 2)),
            box("stsz", ints(0, 1, 100)),
            box("stco", ints(0, 4, 100, 200, 300, 400)));
    byte[] trak =
        box(
            "trak",
            box("tkhd", ints(0, 0, 0, 1, 0, 1000), new byte[60]),
            box(
                "mdia",
                box("mdhd", ints(0, 0, 0, 12800, 0), new byte[4]),
                box("hdlr", ints(0, 0), "vide".getBytes(StandardCharsets.US_ASCII), new byte[13]),
                box("minf", stbl)));
    long created = 1_685_599_200L + MediaProbe.EPOCH_1904;
    byte[] mvhd = box("mvhd", ints(0, created, created, 1000, 4000), new byte[80]);
    byte[] file = cat(FTYP, box("moov", mvhd, trak), new byte[500]);
    RecordingTimeline t = MediaProbe.create().probe(new ByteArrayChannel(file));
    List<MediaFinding> splices =
        t.findings().stream().filter(f -> f.code().equals(MediaFindingCode.SPLICE)).toList();
    assertEquals(1, splices.size(), t.findings().toString());
    MediaFinding s = splices.get(0);
    assertEquals(50, s.sample().getAsLong(), "two chunks of 25 frames come first");
    assertEquals(2.0, s.timeSeconds().getAsDouble(), 1e-9);
    assertTrue(s.message().contains("from avc1 64x36 to avc1 80x48"), s.message());
    assertTrue(t.has(MediaFindingCode.CODEC_CONFIG_CHANGE));
  }
}
