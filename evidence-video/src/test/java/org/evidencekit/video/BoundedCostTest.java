package org.evidencekit.video;

import static org.evidencekit.video.HostileInputTest.FTYP;
import static org.evidencekit.video.HostileInputTest.box;
import static org.evidencekit.video.HostileInputTest.cat;
import static org.evidencekit.video.HostileInputTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work and memory are bounded by the file, not by the counts it declares: the crafted shapes that
 * once ran for seconds, flooded the report or exhausted the heap. The time boxes are hang guards,
 * not timing assertions; the heap bound is checked in a JVM with 64 MiB.
 */
class BoundedCostTest {
  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  static byte[] trak(int id, byte[] stts, byte[] stsz) {
    byte[] tkhd = box("tkhd", ints(0, 0, 0, id, 0, 1000), new byte[60]);
    byte[] mdhd = box("mdhd", ints(0, 0, 0, 12800, 512), new byte[4]);
    byte[] hdlr = box("hdlr", ints(0, 0), "vide".getBytes(StandardCharsets.US_ASCII), new byte[13]);
    byte[] stbl =
        box(
            "stbl",
            HostileInputTest.stsd(),
            stts,
            box("stsc", ints(0, 1, 1, 1_000_000, 1)),
            stsz,
            box("stco", ints(0, 1, 16)));
    return box("trak", tkhd, box("mdia", mdhd, hdlr, box("minf", stbl)));
  }

  static byte[] movie(byte[]... traks) {
    byte[] mvhd = box("mvhd", ints(0, 0, 0, 1000, 1000), new byte[80]);
    return cat(FTYP, box("moov", cat(mvhd, cat(traks))));
  }

  /** 10^6 samples of 1 byte, the second half each 200 times too long: one hole, one finding. */
  static byte[] millionSamples(int id) {
    return trak(
        id,
        box("stts", ints(0, 2, 500_000, 512, 500_000, 102_400)),
        box("stsz", ints(0, 1, 1_000_000)));
  }

  /** Durations alternating nominal and 100x: every second sample is a separate gap. */
  static byte[] alternating(int samples) {
    long[] stts = new long[2 + 2 * samples];
    stts[1] = samples;
    for (int i = 0; i < samples; i++) {
      stts[2 + 2 * i] = 1;
      stts[3 + 2 * i] = i % 2 == 0 ? 512 : 51_200;
    }
    return movie(trak(1, box("stts", ints(stts)), box("stsz", ints(0, 1, samples))));
  }

  /** A fragmented file whose moov has 20 tracks sharing id 1 and fragments of 100,000 samples. */
  static byte[] twentyTracksOneId(int fragments) {
    ByteArrayOutputStream traks = new ByteArrayOutputStream();
    for (int i = 0; i < 20; i++) {
      byte[] t = trak(1, box("stts", ints(0, 0)), box("stsz", ints(0, 0, 0)));
      traks.write(t, 0, t.length);
    }
    byte[] mvex = box("mvex", box("trex", ints(0, 1, 1, 512, 1, 0)));
    byte[] mvhd = box("mvhd", ints(0, 0, 0, 1000, 0), new byte[80]);
    byte[] moov = box("moov", mvhd, traks.toByteArray(), mvex);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(FTYP, 0, FTYP.length);
    out.write(moov, 0, moov.length);
    for (int f = 0; f < fragments; f++) {
      byte[] moof =
          box(
              "moof",
              box("mfhd", ints(0, f + 1)),
              box("traf", box("tfhd", ints(0x000008, 1, 512)), box("trun", ints(0, 100_000))));
      out.write(moof, 0, moof.length);
    }
    return out.toByteArray();
  }

  static RecordingTimeline probe(byte[] file) throws IOException {
    return MediaProbe.create(ParseLimits.DEFAULTS, true).probe(new ByteArrayChannel(file));
  }

  @Test
  void aMillionDeclaredSamplesInASmallFileGiveOneMergedGap() {
    byte[] file = movie(millionSamples(1));
    assertTrue(file.length < 700, file.length + " bytes");
    RecordingTimeline t = assertTimeoutPreemptively(HANG_GUARD, () -> probe(file));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(1_000_000, v.sampleCount());
    assertEquals(1, v.gapCount(), "500,000 consecutive long samples are one hole");
    TimelineGap g = v.gaps().get(0);
    assertEquals(500_000, g.afterSample());
    assertEquals(500_000 * 512 / 12800.0 + 512 / 12800.0, g.fromSeconds(), 1e-6);
    assertEquals((500_000 * 512 + 500_000 * 102_400L) / 12800.0, g.toSeconds(), 1e-6);
    assertTrue(t.findings().size() < 20, t.findings().toString());
    assertTrue(t.truncated(), "the declared samples lie beyond the end of the file");
  }

  @Test
  void alternatingDurationsAreCappedWithACountOfTheRest() {
    RecordingTimeline t = assertTimeoutPreemptively(HANG_GUARD, () -> probe(alternating(2000)));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(1000, v.gapCount());
    assertEquals(FindingList.PER_CODE, v.gaps().size());
    long listed =
        t.findings().stream().filter(f -> f.code().equals(MediaFindingCode.TIMESTAMP_GAP)).count();
    assertEquals(FindingList.PER_CODE, listed);
    MediaFinding more =
        t.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.MORE_GAPS))
            .findFirst()
            .orElseThrow();
    double each = (51_200 - 512) / 12800.0;
    assertTrue(
        more.message()
            .contains(String.format(java.util.Locale.ROOT, "900 more gaps, %.3f s", 900 * each)),
        more.message());
  }

  @Test
  void eightSuchTracksAreRefusedBeforeTheWorkIsDone() {
    byte[][] traks = new byte[8][];
    for (int i = 0; i < 8; i++) {
      traks[i] = millionSamples(i + 1);
    }
    byte[] file = movie(traks);
    assertTrue(file.length < 4096, file.length + " bytes");
    MediaFormatException e =
        assertTimeoutPreemptively(
            HANG_GUARD, () -> assertThrows(MediaFormatException.class, () -> probe(file)));
    assertTrue(e.getMessage().contains("more than a file of"), e.getMessage());
  }

  @Test
  void twentyTracksSharingAnIdReadTheFragmentsOnce() {
    byte[] file = twentyTracksOneId(9);
    RecordingTimeline t = assertTimeoutPreemptively(HANG_GUARD, () -> probe(file));
    assertEquals(20, t.tracks().size());
    assertEquals(900_000, t.tracks().get(0).sampleCount());
    for (TrackTimeline tr : t.tracks().subList(1, 20)) {
      assertEquals(0, tr.sampleCount());
    }
    assertEquals(
        19,
        t.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.DUPLICATE_TRACK_ID))
            .count());
    assertEquals(900_000 * 512 / 12800.0, t.tracks().get(0).durationSeconds(), 1e-6);
    assertTrue(t.truncated(), "1-byte samples from each moof run past the end of the file");
    byte[] more = twentyTracksOneId(11);
    assertTimeoutPreemptively(
        HANG_GUARD, () -> assertThrows(MediaFormatException.class, () -> probe(more)));
  }

  /** Probes every crafted shape in this JVM: run with -Xmx64m by the test below. */
  static final class SmallHeap {
    public static void main(String[] args) throws IOException {
      byte[][] traks = new byte[8][];
      for (int i = 0; i < 8; i++) {
        traks[i] = millionSamples(i + 1);
      }
      for (byte[] f :
          List.of(
              movie(millionSamples(1)),
              alternating(20_000),
              movie(traks),
              twentyTracksOneId(9),
              twentyTracksOneId(200))) {
        try {
          RecordingTimeline t = probe(f);
          System.out.println("ok " + t.findings().size());
        } catch (MediaFormatException e) {
          System.out.println("refused " + e.getMessage());
        }
      }
    }
  }

  @Test
  void theCraftedShapesProbeInA64MiBHeap(@TempDir Path dir) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = dir.resolve("out.txt");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                SmallHeap.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "hang guard");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    assertEquals(
        5, out.lines().filter(l -> l.startsWith("ok ") || l.startsWith("refused ")).count(), out);
  }
}
