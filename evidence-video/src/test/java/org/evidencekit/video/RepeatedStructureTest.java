package org.evidencekit.video;

import static org.evidencekit.video.HostileInputTest.FTYP;
import static org.evidencekit.video.HostileInputTest.box;
import static org.evidencekit.video.HostileInputTest.cat;
import static org.evidencekit.video.HostileInputTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structure a recording is not expected to repeat: a second moov, findings by the thousand. */
class RepeatedStructureTest {
  static RecordingTimeline probe(byte[] file) throws IOException {
    return MediaProbe.create().probe(new ByteArrayChannel(file));
  }

  @Test
  void aSecondMoovIsAFindingAndTheFirstIsRead() throws IOException {
    byte[] one =
        HostileInputTest.movie(
            HostileInputTest.stbl(box("stts", ints(0, 1, 1, 512)), box("stsz", ints(0, 0, 1, 10))));
    byte[] other =
        HostileInputTest.movie(
            HostileInputTest.stbl(
                box("stts", ints(0, 1, 3, 512)), box("stsz", ints(0, 0, 3, 10, 10, 10))));
    // the second file's moov (after its ftyp) appended to the first file
    byte[] secondMoov = java.util.Arrays.copyOfRange(other, FTYP.length, other.length);
    RecordingTimeline t = probe(cat(one, secondMoov));
    assertEquals(1, t.track("vide").orElseThrow().sampleCount(), "the first moov is read");
    MediaFinding f =
        t.findings().stream()
            .filter(x -> x.code().equals(MediaFindingCode.DUPLICATE_MOOV))
            .findFirst()
            .orElseThrow();
    assertEquals(one.length, f.byteOffset().getAsLong());
    assertTrue(f.message().contains("at byte " + FTYP.length), f.message());
  }

  @Test
  void aThousandRepeatsOfOneFindingAreAHundredAndACount() throws IOException {
    // 150 fragments whose sequence numbers skip one each time: 149 discontinuities
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] trak = BoundedCostTest.trak(1, box("stts", ints(0, 0)), box("stsz", ints(0, 0, 0)));
    byte[] mvhd = box("mvhd", ints(0, 0, 0, 1000, 0), new byte[80]);
    byte[] moov = box("moov", mvhd, trak, box("mvex", box("trex", ints(0, 1, 1, 512, 1, 0))));
    out.write(FTYP, 0, FTYP.length);
    out.write(moov, 0, moov.length);
    for (int f = 0; f < 150; f++) {
      byte[] moof =
          box(
              "moof",
              box("mfhd", ints(0, 2 * f + 1)),
              box("traf", box("tfhd", ints(0x000008, 1, 512)), box("trun", ints(0, 1))));
      out.write(moof, 0, moof.length);
    }
    RecordingTimeline t = probe(out.toByteArray());
    List<MediaFinding> d =
        t.findings().stream()
            .filter(x -> x.code().equals(MediaFindingCode.FRAGMENT_DISCONTINUITY))
            .toList();
    assertEquals(101, d.size(), "100 listed and one counting the rest");
    assertTrue(
        d.get(100).message().startsWith("49 more FRAGMENT_DISCONTINUITY finding(s)"),
        d.get(100).message());
  }
}
