package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Fixtures made with ffmpeg by made/make.sh: fragments, a splice, a remux; and GoPro clocks. */
class MadeFixturesTest {
  static Path made(String name) {
    try {
      return Path.of(MadeFixturesTest.class.getResource("/made/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aFragmentedFileGivesItsTimelineFromTheFragments() throws IOException {
    RecordingTimeline t = MediaProbe.create().probe(made("fragmented.mp4"));
    assertEquals(ContainerKind.FRAGMENTED_MP4, t.container());
    TrackTimeline v = t.track("vide").get();
    assertEquals(100, v.sampleCount());
    assertEquals(4, v.syncSampleCount());
    assertEquals(4.0, v.durationSeconds(), 0.001);
    assertEquals(100, v.completeSamples());
    assertFalse(t.has(MediaFindingCode.FRAGMENT_DISCONTINUITY));
  }

  @Test
  void aMissingFragmentBreaksSequenceAndDecodeTime() throws IOException {
    RecordingTimeline t = MediaProbe.create().probe(made("fragmented-missing-fragment.mp4"));
    assertEquals(75, t.track("vide").get().sampleCount());
    long breaks =
        t.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.FRAGMENT_DISCONTINUITY))
            .count();
    assertEquals(2, breaks, t.findings().toString());
    assertTrue(t.findings().toString().contains("sequence number 4 follows 2"));
  }

  @Test
  void aCopySpliceShowsItsScarAndItsSecondEncoder() throws IOException {
    RecordingTimeline quick = MediaProbe.create().probe(made("spliced.mp4"));
    assertTrue(quick.has(MediaFindingCode.DURATION_ANOMALY));
    RecordingTimeline deep =
        MediaProbe.create(ParseLimits.DEFAULTS, true).probe(made("spliced.mp4"));
    assertEquals(
        quick.findings().toString(), deep.findings().toString(), "every keyframe head is read");
    MediaFinding second =
        deep.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.SECOND_ENCODER_BANNER))
            .findFirst()
            .orElseThrow();
    assertEquals(50, second.sample().getAsLong());
    assertEquals(
        1.96, second.timeSeconds().getAsDouble(), 0.001, "the splice scar shortened sample 49");
  }

  @Test
  void aRemuxLosesItsCreationTime() throws IOException {
    RecordingTimeline t = MediaProbe.create().probe(made("remuxed-no-creation-time.mp4"));
    assertTrue(t.creationTime().isEmpty());
    assertTrue(t.has(MediaFindingCode.MISSING_CREATION_TIME));
  }

  @Test
  void goProClocksTimecodeGpsAndLocalTime() throws IOException {
    RecordingTimeline t =
        MediaProbe.create()
            .probe(Path.of(RealFilesTestPaths.real("gopro-gpmf-parser/max-heromode.mp4")));
    RecordingTimeline.Timecode tc = t.timecode().orElseThrow();
    assertEquals(1700260, tc.frames());
    assertEquals(29.97, tc.framesPerSecond(), 0.001);
    assertEquals("15:45:32.009", tc.timeOfDay());
    assertEquals(Instant.parse("2019-11-18T23:45:14Z"), t.gpsTime().orElseThrow());
    assertTrue(t.gpsPosition().orElseThrow().startsWith("33.12677"), t.gpsPosition().get());
    MediaFinding local =
        t.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.CREATION_TIME_VS_GPS))
            .findFirst()
            .orElseThrow();
    assertTrue(local.message().contains("UTC-8.0"), local.message());
  }

  @Test
  void aTruncatedHevcFileWithoutMoovIsRecoveredFromItsNalUnits() throws IOException {
    RecordingTimeline full = MediaProbe.create().probe(made("hevc-full.mp4"));
    TrackTimeline v = full.track("vide").get();
    assertEquals("hvc1", v.codec());
    assertTrue(
        full.findings().toString().contains("B-frame reordering delay (benign)"),
        full.findings().toString());
    long cut = java.nio.file.Files.size(made("hevc-truncated.mp4"));
    long complete = 0;
    long keys = 0;
    for (java.util.Iterator<Sample> it = v.samples(); it.hasNext(); ) {
      Sample s = it.next();
      if (s.offset() + s.size() <= cut) {
        complete++;
        keys += s.sync() ? 1 : 0;
      }
    }
    RecordingTimeline t = MediaProbe.create().probe(made("hevc-truncated.mp4"));
    assertTrue(t.has(MediaFindingCode.MOOV_MISSING));
    assertEquals(complete, t.recoveredFrames().getAsLong(), "frames wholly inside the kept bytes");
    assertEquals(keys, t.recoveredKeyframes().getAsLong());
  }

  /** Paths of the real files. */
  static final class RealFilesTestPaths {
    static java.net.URI real(String rel) {
      try {
        return MadeFixturesTest.class.getResource("/real/" + rel).toURI();
      } catch (URISyntaxException e) {
        throw new AssertionError(e);
      }
    }
  }
}
