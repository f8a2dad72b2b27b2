package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Real camera files with their quirks (real/README.md). */
class RealFilesTest {
  static RecordingTimeline probe(String rel) throws IOException {
    try {
      return MediaProbe.create()
          .probe(Path.of(RealFilesTest.class.getResource("/real/" + rel).toURI()));
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void goProFiveTracksLocationAndZeroDurationSamples() throws IOException {
    RecordingTimeline t = probe("gopro-gpmf-parser/max-heromode.mp4");
    assertEquals(5, t.tracks().size());
    assertEquals(Instant.parse("2019-11-18T15:45:32Z"), t.creationTime().get());
    assertEquals("+33.1268-117.3273/", t.location().get());
    assertEquals(315, t.track("vide").get().sampleCount());
    assertEquals(32, t.track("vide").get().syncSampleCount());
    assertEquals(493, t.track("soun").get().sampleCount());
    assertEquals(10.517, t.durationSeconds(), 0.001);
    assertTrue(t.has(MediaFindingCode.ZERO_DURATION_SAMPLES));
    assertFalse(t.has(MediaFindingCode.TIMESTAMP_GAP));
  }

  @Test
  void androidVariableFrameRateIsNotAGapAndTheMissingMediaIsFound() throws IOException {
    RecordingTimeline t = probe("jcodec-test-resources/android-keyed.mp4");
    TrackTimeline v = t.track("vide").get();
    assertEquals(337, v.sampleCount());
    assertEquals(12, v.syncSampleCount());
    assertEquals(90000, v.timescale());
    assertFalse(t.has(MediaFindingCode.TIMESTAMP_GAP), t.findings().toString());
    assertEquals(0, v.completeSamples());
    assertTrue(t.has(MediaFindingCode.SAMPLES_BEYOND_EOF));
    assertEquals("7.1.2", t.metadata().get("com.android.version"));
    assertEquals("30.0", t.metadata().get("com.android.capture.fps"));
    assertEquals("+33.9951-118.4762/", t.location().get());
  }

  @Test
  void iosEmptyEditDelaysTheVideo() throws IOException {
    RecordingTimeline t = probe("jcodec-test-resources/ios-coremedia-1s.mp4");
    TrackTimeline v = t.track("vide").get();
    assertEquals(600, v.timescale());
    assertEquals(30, v.sampleCount());
    assertEquals(2, v.editList().size());
    assertTrue(v.editList().get(0).isEmpty());
    assertEquals(0.0367, v.presentedStartSeconds(), 0.001);
    assertEquals("Core Media Video", v.handlerName());
  }
}
