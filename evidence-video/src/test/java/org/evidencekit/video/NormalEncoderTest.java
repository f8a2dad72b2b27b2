package org.evidencekit.video;

import static org.evidencekit.video.HostileInputTest.FTYP;
import static org.evidencekit.video.HostileInputTest.box;
import static org.evidencekit.video.HostileInputTest.cat;
import static org.evidencekit.video.HostileInputTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Normal encoder behaviour is no alarm (each documented tolerance in docs/video.md has a test
 * here), and just past each tolerance the alarm is raised.
 */
class NormalEncoderTest {
  static byte[] trak(String handler, long timescale, long[] durations, byte[] edts) {
    long[] stts = new long[2 + 2 * durations.length];
    stts[1] = durations.length;
    for (int i = 0; i < durations.length; i++) {
      stts[2 + 2 * i] = 1;
      stts[3 + 2 * i] = durations[i];
    }
    byte[] stbl =
        box(
            "stbl",
            HostileInputTest.stsd(),
            box("stts", ints(stts)),
            box("stsc", ints(0, 1, 1, durations.length, 1)),
            box("stsz", ints(0, 1, durations.length)),
            box("stco", ints(0, 1, 0)));
    return box(
        "trak",
        box("tkhd", ints(0, 0, 0, handler.equals("vide") ? 1 : 2, 0, 1000), new byte[60]),
        edts,
        box(
            "mdia",
            box("mdhd", ints(0, 0, 0, timescale, 0), new byte[4]),
            box("hdlr", ints(0, 0), handler.getBytes(StandardCharsets.US_ASCII), new byte[13]),
            box("minf", stbl)));
  }

  static byte[] elst(long... entries) {
    long[] e = new long[2 + entries.length];
    e[1] = entries.length / 3;
    System.arraycopy(entries, 0, e, 2, entries.length);
    return box("edts", box("elst", ints(e)));
  }

  static RecordingTimeline movie(byte[]... traks) throws IOException {
    // created 2023-06-01T06:00:00Z (seconds since 1904)
    long created = 1_685_599_200L + MediaProbe.EPOCH_1904;
    byte[] mvhd = box("mvhd", ints(0, created, created, 1000, 0), new byte[80]);
    return MediaProbe.create()
        .probe(new ByteArrayChannel(cat(FTYP, box("moov", mvhd, cat(traks)))));
  }

  static long[] durations(int n, long first, long each) {
    long[] d = new long[n];
    java.util.Arrays.fill(d, each);
    d[0] = first;
    return d;
  }

  static List<String> warnings(RecordingTimeline t) {
    return t.findings().stream()
        .filter(f -> !f.benign())
        .map(MediaFinding::toString)
        .collect(Collectors.toList());
  }

  @Test
  void primingFoldedIntoTheFirstVideoSampleIsBenignUpTo100Ms() throws IOException {
    // 25 fps at 12800: 512 ticks a frame; 32 ms of AAC priming is 410 ticks
    RecordingTimeline t = movie(trak("vide", 12800, durations(100, 512 + 410, 512), new byte[0]));
    assertEquals(List.of(), warnings(t));
    assertEquals(0, t.track("vide").orElseThrow().gapCount());
    assertTrue(t.findings().toString().contains("priming folded into it"), t.findings().toString());
    // 150 ms longer is beyond the tolerance: a gap
    RecordingTimeline cut =
        movie(trak("vide", 12800, durations(100, 512 + 1920, 512), new byte[0]));
    assertEquals(1, cut.track("vide").orElseThrow().gapCount());
    assertTrue(cut.has(MediaFindingCode.TIMESTAMP_GAP));
  }

  @Test
  void oneTickJitterAt29_97FpsIsNoAnomaly() throws IOException {
    long[] d = new long[300];
    for (int i = 0; i < d.length; i++) {
      d[i] = i % 2 == 0 ? 20 : 21; // 29.97 fps at timescale 600
    }
    assertEquals(List.of(), warnings(movie(trak("vide", 600, d, new byte[0]))));
  }

  @Test
  void aPhonesVariableFrameRateIsBenignButAHoleInItIsNot() throws IOException {
    long[] d = new long[300];
    for (int i = 0; i < d.length; i++) {
      d[i] = 2800 + (i * 37) % 600; // 30-ish fps at 90 kHz, no duration covering half
    }
    RecordingTimeline t = movie(trak("vide", 90000, d, new byte[0]));
    assertEquals(List.of(), warnings(t));
    assertTrue(t.has(MediaFindingCode.DURATION_ANOMALY), "reported, as benign");
    d[150] = 90000; // one second frozen: a hole
    RecordingTimeline hole = movie(trak("vide", 90000, d, new byte[0]));
    assertEquals(1, hole.track("vide").orElseThrow().gapCount());
  }

  @Test
  void editListsThatTrimPrimingOrOffsetTheStartAreBenign() throws IOException {
    long[] frames = durations(50, 512, 512);
    // audio priming of 1105 samples at 44.1 kHz (25 ms), not one of AAC's usual three values, the
    // edit running to the media's end (1.136 s of the 1.161 s), as encoders write it
    RecordingTimeline audio =
        movie(trak("soun", 44100, durations(50, 1024, 1024), elst(1136, 1105, 0x10000)));
    assertEquals(List.of(), warnings(audio));
    // the same edit stopping 136 ms before the media's end hides that end (R-13; session 15)
    assertFalse(
        warnings(movie(trak("soun", 44100, durations(50, 1024, 1024), elst(1000, 1105, 0x10000))))
            .isEmpty());
    // video starting 37 ms after the movie (iOS), then the whole media
    RecordingTimeline ios =
        movie(trak("vide", 12800, frames, elst(37, -1, 0x10000, 2000, 0, 0x10000)));
    assertEquals(List.of(), warnings(ios));
    // half a second of audio hidden, or a 2 s empty edit, is not benign
    assertFalse(
        warnings(movie(trak("soun", 44100, durations(50, 1024, 1024), elst(1000, 22050, 0x10000))))
            .isEmpty());
    assertFalse(
        warnings(movie(trak("vide", 12800, frames, elst(2000, -1, 0x10000, 2000, 0, 0x10000))))
            .isEmpty());
  }

  /** peer/mp4ff/vvc_400kbps_2s.mp4, its two edits' (duration, media time) set as given. */
  private static RecordingTimeline vvc(long empty, long mediaTime) throws IOException {
    return vvc(empty, mediaTime, -5120);
  }

  /** The same, with the second sample's composition offset (trun v1, -5120 ticks) set as given. */
  private static RecordingTimeline vvc(long empty, long mediaTime, int secondCto)
      throws IOException {
    byte[] d;
    try (java.io.InputStream in =
        NormalEncoderTest.class.getResourceAsStream("/peer/mp4ff/vvc_400kbps_2s.mp4")) {
      d = in.readAllBytes();
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    int elst = 364; // moov/trak/edts/elst, version 0: [960 ms, empty] [0 ms (to the end), from 0]
    assertEquals(0x656c7374, b.getInt(elst + 4));
    assertEquals(960, b.getInt(elst + 16));
    assertEquals(-1, b.getInt(elst + 20));
    assertEquals(0, b.getInt(elst + 32));
    b.putInt(elst + 16, (int) empty);
    b.putInt(elst + 32, (int) mediaTime);
    int trun = 1241; // moof/traf/trun: flags, count, data offset, then (size, flags, offset) each
    assertEquals(0x7472756e, b.getInt(trun + 4));
    assertEquals(-5120, b.getInt(trun + 20 + 12 + 8));
    b.putInt(trun + 20 + 12 + 8, secondCto);
    return MediaProbe.create().probe(new ByteArrayChannel(d));
  }

  /**
   * peer/mp4ff/vvc_400kbps_2s.mp4 with an empty edit of {@code empty} ms and the composition offset
   * of every sample from {@code from} on (in decode order) moved {@code back} ticks earlier: what a
   * forger writes to push the recording's first pictures before the media edit's start.
   */
  private static RecordingTimeline vvcShifted(long empty, int from, int back) throws IOException {
    byte[] d;
    try (java.io.InputStream in =
        NormalEncoderTest.class.getResourceAsStream("/peer/mp4ff/vvc_400kbps_2s.mp4")) {
      d = in.readAllBytes();
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    int elst = 364;
    assertEquals(0x656c7374, b.getInt(elst + 4));
    b.putInt(elst + 16, (int) empty);
    int trun = 1241;
    assertEquals(0x7472756e, b.getInt(trun + 4));
    assertEquals(50, b.getInt(trun + 12));
    for (int i = from; i < 50; i++) {
      int cto = trun + 20 + 12 * i + 8;
      b.putInt(cto, b.getInt(cto) - back);
    }
    return MediaProbe.create().probe(new ByteArrayChannel(d));
  }

  /**
   * A forger moves the first pictures before the media edit's start, where a player that follows
   * the edit list does not show them (ffmpeg drops 50 of 150 pictures of an H.264 file so edited),
   * and opens the edit list with an empty edit as long as they are. Those are not the leading
   * pictures an encoder presents before its first sample: the first sample itself is moved, or
   * pictures of the next group of pictures (after the next sync sample) are. Not benign.
   */
  @Test
  void pushingTheFirstPicturesBeforeTheMediaEditIsNotMadeBenignByAnEmptyEdit() throws IOException {
    // every picture 1 s earlier: 49 pictures (1.960 s) before the start, the first sample too
    RecordingTimeline all = vvcShifted(1960, 0, 12800);
    assertEquals(1, warnings(all).size(), all.findings().toString());
    // every picture but the first: the next group's 24 leading pictures join the first group's
    RecordingTimeline butFirst = vvcShifted(1920, 1, 12800);
    assertEquals(1, warnings(butFirst).size(), butFirst.findings().toString());
    // the honest file as it is: nothing moved
    assertEquals(List.of(), warnings(vvcShifted(960, 0, 0)));
  }

  @Test
  void anEmptyEditAsLongAsTheFramesPresentedBeforeTheFirstSampleIsBenign() throws IOException {
    // GPAC's VVC: 24 pictures decoded after the first are presented before it, down to -0.960 s
    // (signed composition offsets); the track's 0.960 s empty edit shows the earliest of them at
    // the movie's start, so it delays nothing and hides nothing
    RecordingTimeline t = vvc(960, 0);
    assertEquals(List.of(), warnings(t));
    assertTrue(
        t.findings().stream()
            .anyMatch(f -> f.code().equals(MediaFindingCode.EDIT_LIST) && f.benign()),
        t.findings().toString());
    // an empty edit longer than that delays the track (by 1.04 s), and a media edit that starts
    // later than the media hides its first second: neither is benign
    assertEquals(1, warnings(vvc(2000, 0)).size(), warnings(vvc(2000, 0)).toString());
    assertEquals(1, warnings(vvc(960, 12800)).size(), warnings(vvc(960, 12800)).toString());
    // one picture's offset set 2 s back (to -1.960 s) does not make room for a 1.960 s empty edit:
    // the pictures before the first sample still fill only 0.960 s
    assertEquals(
        1, warnings(vvc(1960, 0, -25600)).size(), warnings(vvc(1960, 0, -25600)).toString());
  }

  @Test
  void realPhoneAndCameraFilesRaiseNoWarnings() throws IOException {
    for (String f :
        List.of(
            "jcodec-test-resources/ios-coremedia-1s.mp4", "gopro-gpmf-parser/max-heromode.mp4")) {
      RecordingTimeline t =
          MediaProbe.create()
              .probe(java.nio.file.Path.of(MadeFixturesTest.RealFilesTestPaths.real(f)));
      assertEquals(List.of(), warnings(t), f);
    }
    // the Android file's media data was stripped for the test corpus: that, and only that, shows
    RecordingTimeline android =
        MediaProbe.create()
            .probe(
                java.nio.file.Path.of(
                    MadeFixturesTest.RealFilesTestPaths.real(
                        "jcodec-test-resources/android-keyed.mp4")));
    assertTrue(android.truncated());
    assertTrue(
        warnings(android).stream().allMatch(w -> w.startsWith("SAMPLES_BEYOND_EOF")),
        warnings(android).toString());
  }
}
