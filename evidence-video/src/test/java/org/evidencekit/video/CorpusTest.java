package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The corpus made by corpus/make.sh: eight naming conventions, three encoders (x264, x265, MPEG-4
 * part 2), power-loss files, a stream-copy splice and audio formats. Every expectation comes from
 * what the script did to the file (its comments), not from what the probe says.
 */
class CorpusTest {
  static final FileNameClock CLOCK = FileNameClock.standard();

  static Path corpus(String name) {
    try {
      return Path.of(CorpusTest.class.getResource("/corpus/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static RecordingTimeline probe(String name) throws IOException {
    return MediaProbe.create().probe(corpus(name));
  }

  static FileNameReading name(String name) {
    return CLOCK.read(name).orElseThrow();
  }

  /** Findings a reader must act on: the benign ones (normal encoder behaviour) left out. */
  static List<String> warnings(RecordingTimeline t) {
    return t.findings().stream()
        .filter(f -> !f.benign())
        .map(MediaFinding::toString)
        .collect(Collectors.toList());
  }

  static List<MediaFinding> nameCheck(RecordingTimeline t, String file) {
    return NameTimeCheck.compare(t, name(file), NameTimeCheck.DEFAULT_TOLERANCE);
  }

  @Test
  void aCleanBodyCameraFileRaisesNothingAndIsPlacedByNameAndContainerAlike() throws IOException {
    String f = "J0012345_010086_20230601140000_0001.mp4";
    RecordingTimeline t = probe(f);
    assertEquals(List.of(), warnings(t));
    FileNameReading n = name(f);
    assertEquals("GA/T 947 body camera", n.convention());
    assertEquals("J0012345", n.deviceId().orElseThrow());
    assertEquals("010086", n.officerId().orElseThrow());
    assertEquals(1, n.sequence().getAsLong());
    assertEquals(Instant.parse("2023-06-01T06:00:00Z"), n.time().orElseThrow());
    assertEquals(n.time(), t.creationTime());
    assertEquals(50, t.track("vide").orElseThrow().sampleCount(), "2 s at 25 fps");
    assertTrue(t.track("soun").isPresent());
    assertEquals(List.of(), nameCheck(t, f));
  }

  @Test
  void theSameCamerasHevcFileIsCleanToo() throws IOException {
    String f = "J0012345_010086_20230601140003_0002.mp4";
    RecordingTimeline t = probe(f);
    assertEquals(List.of(), warnings(t));
    assertEquals("hvc1", t.track("vide").orElseThrow().codec());
    assertEquals(50, t.track("vide").orElseThrow().sampleCount());
    assertEquals(2, name(f).sequence().getAsLong());
    assertEquals(List.of(), nameCheck(t, f));
  }

  /** Frames and keyframes of the full file whose bytes lie wholly in the first {@code cut}. */
  static long[] kept(String full, long cut) throws IOException {
    TrackTimeline v = MediaProbe.create().probe(corpus(full)).track("vide").orElseThrow();
    long frames = 0;
    long keys = 0;
    for (Iterator<Sample> it = v.samples(); it.hasNext(); ) {
      Sample s = it.next();
      if (s.offset() + s.size() <= cut) {
        frames++;
        keys += s.sync() ? 1 : 0;
      }
    }
    return new long[] {frames, keys};
  }

  @Test
  void powerLossFilesAreTruncatedTimelinesPlacedByTheirNames() throws IOException {
    long cut = Files.size(corpus("J0012345_010086_20230601140006_0003.mp4"));
    long[] expected = kept("full-0003.mp4", cut);
    for (String f :
        List.of(
            "J0012345_010086_20230601140006_0003.mp4", "J0012345_010086_20230601140010_0004.mp4")) {
      RecordingTimeline t = probe(f);
      assertTrue(t.truncated(), f);
      assertTrue(t.durationEstimated(), f);
      assertTrue(t.creationTime().isEmpty(), "the moov with the time was never written");
      assertTrue(t.has(MediaFindingCode.MOOV_MISSING));
      assertEquals(expected[0], t.recoveredFrames().getAsLong(), f);
      assertEquals(expected[1], t.recoveredKeyframes().getAsLong(), f);
      // avc1 keeps its SPS in the lost moov: the stream states no rate, 25 fps is assumed
      assertEquals(expected[0] / 25.0, t.durationSeconds(), 1e-9);
      assertTrue(warnings(t).toString().contains("assumed 25 fps"), warnings(t).toString());
      assertTrue(name(f).time().isPresent(), "placed by its name");
    }
    assertTrue(
        probe("J0012345_010086_20230601140010_0004.mp4").has(MediaFindingCode.MDAT_SIZE_ZERO));
  }

  @Test
  void powerLossWithParameterSetsInTheStreamIsTimedByTheStreamsRate() throws IOException {
    for (String[] f :
        new String[][] {
          {"J0012345_010086_20230601141100_0007.mp4", "full-0007.mp4"},
          {"J0012345_010086_20230601141200_0008.mp4", "full-0008.mp4"}
        }) {
      long[] expected = kept(f[1], Files.size(corpus(f[0])));
      RecordingTimeline t = probe(f[0]);
      assertEquals(expected[0], t.recoveredFrames().getAsLong(), f[0]);
      assertEquals(expected[1], t.recoveredKeyframes().getAsLong(), f[0]);
      assertEquals(expected[0] / 30.0, t.durationSeconds(), 1e-9, "made at 30 fps: " + f[0]);
      assertTrue(t.findings().toString().contains("the stream's 30.000 fps"), f[0]);
    }
  }

  @Test
  void aContainerTimeThreeDaysFromTheNameIsAWarningWithTheNumbers() throws IOException {
    String f = "VID_20230601_140000.mp4";
    RecordingTimeline t = probe(f);
    assertEquals(List.of(), warnings(t), "the file itself is clean");
    List<MediaFinding> c = nameCheck(t, f);
    assertEquals(1, c.size(), c.toString());
    assertEquals(MediaFindingCode.NAME_TIME_MISMATCH, c.get(0).code());
    assertFalse(c.get(0).benign());
    assertTrue(c.get(0).message().contains("259200.000 s (72.00 h) after"), c.get(0).message());
  }

  @Test
  void pixelNamesAreUtcAndAgreeWithTheContainer() throws IOException {
    String f = "PXL_20230601_060000123.mp4";
    RecordingTimeline t = probe(f);
    assertEquals(List.of(), warnings(t));
    assertEquals(Instant.parse("2023-06-01T06:00:00.123Z"), name(f).time().orElseThrow());
    assertEquals(List.of(), nameCheck(t, f));
  }

  @Test
  void aDashcamStoringLocalTimeAsUtcIsBenignAndItsEventFlagIsRead() throws IOException {
    String f = "20230601_140000_EF.mp4";
    RecordingTimeline t = probe(f);
    assertEquals(List.of(), warnings(t));
    assertEquals("mp4v", t.track("vide").orElseThrow().codec(), "ffmpeg's MPEG-4 part 2 encoder");
    assertTrue(name(f).event());
    List<MediaFinding> c = nameCheck(t, f);
    assertEquals(1, c.size());
    assertTrue(c.get(0).benign(), c.get(0).message());
    assertTrue(c.get(0).message().contains("28800.000 s (8.00 h)"), c.get(0).message());
  }

  @Test
  void aFileStampedWhenClosedIsBenign() throws IOException {
    String f = "NO20230601-140000-000123F.MP4";
    RecordingTimeline t = probe(f);
    assertEquals(123, name(f).sequence().getAsLong());
    List<MediaFinding> c = nameCheck(t, f);
    assertEquals(1, c.size());
    assertTrue(c.get(0).benign());
    assertTrue(c.get(0).message().contains("length (4.000 s)"), c.get(0).message());
  }

  @Test
  void namesWithoutTimeGiveSequencesAndChapters() throws IOException {
    RecordingTimeline dji = probe("DJI_0001.MP4");
    assertEquals(List.of(), warnings(dji));
    assertEquals("hvc1", dji.track("vide").orElseThrow().codec());
    assertTrue(name("DJI_0001.MP4").time().isEmpty());
    assertEquals(List.of(), nameCheck(dji, "DJI_0001.MP4"), "no name time: nothing to compare");
    FileNameReading gopro = name("GX020123.MP4");
    assertEquals(123, gopro.sequence().getAsLong());
    assertEquals(2, gopro.chapter().getAsInt());
    assertEquals(List.of(), warnings(probe("GX020123.MP4")));
  }

  @Test
  void aFileWithNoTimeAnywhereIsStillATimeline() throws IOException {
    RecordingTimeline t = probe("FILE0001.MOV");
    assertEquals(ContainerKind.MOV, t.container());
    assertTrue(t.creationTime().isEmpty());
    assertTrue(name("FILE0001.MOV").time().isEmpty());
    assertEquals(1, name("FILE0001.MOV").sequence().getAsLong());
    assertEquals(1.0, t.durationSeconds(), 1e-9);
    assertTrue(t.has(MediaFindingCode.MISSING_CREATION_TIME));
  }

  @Test
  void aStreamCopySpliceOfAnotherCameraIsFoundWhereItWasJoined() throws IOException {
    RecordingTimeline t = probe("J0012345_010086_20230601141000_0005.mp4");
    List<MediaFinding> splices =
        t.findings().stream().filter(f -> f.code().equals(MediaFindingCode.SPLICE)).toList();
    assertEquals(1, splices.size(), t.findings().toString());
    MediaFinding s = splices.get(0);
    assertFalse(s.benign());
    assertEquals(50, s.sample().getAsLong(), "2 s of camera A at 25 fps come first");
    assertEquals(2.0, s.timeSeconds().getAsDouble(), 1e-9);
    assertTrue(s.message().contains("80x48, was 64x36"), s.message());
    RecordingTimeline hevc = probe("J0012345_010086_20230601141500_0009.mp4");
    MediaFinding h =
        hevc.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.SPLICE))
            .findFirst()
            .orElseThrow();
    assertEquals("hvc1", hevc.track("vide").orElseThrow().codec());
    assertEquals(50, h.sample().getAsLong(), "the same splice in HEVC");
    assertTrue(h.message().contains("80x48, was 64x36"), h.message());
    RecordingTimeline clean = probe("J0012345_010086_20230601142000_0006.mp4");
    assertEquals(
        List.of(), warnings(clean), "parameter sets repeated at each keyframe are no splice");
  }

  @Test
  void audioRecordingsGetDurationsAndTimes() throws IOException {
    RecordingTimeline wav = probe("REC_20230601_140000.wav");
    assertEquals(ContainerKind.WAV, wav.container());
    assertEquals(3.0, wav.durationSeconds(), 1e-9);
    assertEquals(LocalDateTime.parse("2023-06-01T14:00"), wav.localCreationTime().orElseThrow());
    assertEquals(List.of(), warnings(wav));
    assertEquals(List.of(), nameCheck(wav, "REC_20230601_140000.wav"));

    RecordingTimeline cut = probe("REC_20230601_140500.wav");
    assertTrue(cut.truncated());
    assertEquals(2.0, cut.durationSeconds(), 1e-9, "one second (16,000 bytes) cut off");
    List<MediaFinding> c = nameCheck(cut, "REC_20230601_140500.wav");
    assertEquals(1, c.size());
    assertTrue(c.get(0).message().contains("differ by -300 s"), c.get(0).message());

    assertEquals(2.0, probe("rf64-2s.wav").durationSeconds(), 1e-9);
    RecordingTimeline amr = probe("20230601_140000.amr");
    assertEquals(ContainerKind.AMR, amr.container());
    assertEquals(2.2, amr.durationSeconds(), 1e-9, "110 frames of 20 ms");
    for (String mp3 : List.of("xing-2s.mp3", "cbr-2s.mp3")) {
      RecordingTimeline m = probe(mp3);
      assertEquals(ContainerKind.MP3, m.container());
      // 2 s of audio plus the encoder's delay and padding (under two 26 ms frames)
      assertEquals(2.0, m.durationSeconds(), 0.1, mp3);
      assertEquals(List.of(), warnings(m));
    }
    RecordingTimeline m4a = probe("VoiceMemo_20230601_140000.m4a");
    assertEquals(2.0, m4a.durationSeconds(), 0.1);
    assertEquals(List.of(), warnings(m4a));
    assertEquals(List.of(), nameCheck(m4a, "VoiceMemo_20230601_140000.m4a"));
  }
}
