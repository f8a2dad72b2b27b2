package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ffmpeg fixtures against their ground truth (fixtures/EXPECTED.json). */
class FixturesTest {
  static JsonNode expected;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = FixturesTest.class.getResourceAsStream("/fixtures/EXPECTED.json")) {
      expected = new ObjectMapper().readTree(in);
    }
  }

  static Path fixture(String rel) {
    try {
      return Path.of(FixturesTest.class.getResource("/fixtures/" + rel).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static RecordingTimeline probe(String rel) throws IOException {
    return MediaProbe.create().probe(fixture(rel));
  }

  @Test
  void everyIndexedFileMatchesItsGroundTruth() throws IOException {
    int checked = 0;
    for (JsonNode c : expected.get("cases")) {
      for (JsonNode f : c.get("files")) {
        JsonNode streams = f.get("streams");
        if (streams == null || c.get("case").asText().startsWith("f05")) {
          continue;
        }
        String path = f.get("path").asText();
        RecordingTimeline t = probe(path);
        JsonNode truth = f.get("truth");
        assertEquals(ContainerKind.MP4, t.container(), path);
        assertEquals(
            Instant.parse(truth.get("creation_time").asText()), t.creationTime().get(), path);
        assertEquals(truth.get("duration_s").asDouble(), t.durationSeconds(), 0.001, path);
        TrackTimeline v = t.track("vide").orElseThrow();
        JsonNode sv = streams.get("0:video");
        assertEquals(truth.get("video_frames").asLong(), v.sampleCount(), path);
        assertEquals(sv.get("keyframes").asLong(), v.syncSampleCount(), path);
        assertEquals(sv.get("nominal_delta").asLong(), v.nominalSampleDuration().getAsLong(), path);
        assertEquals(sv.get("end_s").asDouble(), v.durationSeconds(), 0.001, path);
        TrackTimeline a = t.track("soun").orElseThrow();
        JsonNode sa = streams.get("1:audio");
        assertEquals(sa.get("samples").asLong(), a.sampleCount(), path);
        assertEquals(sa.get("end_s").asDouble(), a.durationSeconds(), 0.0001, path);
        // gaps exactly as measured
        assertEquals(sv.get("gaps").size(), v.gaps().size(), path);
        for (int i = 0; i < v.gaps().size(); i++) {
          JsonNode g = sv.get("gaps").get(i);
          TimelineGap mine = v.gaps().get(i);
          assertEquals(g.get("after_sample").asLong(), mine.afterSample(), path);
          assertEquals(g.get("from_s").asDouble(), mine.fromSeconds(), 0.001, path);
          assertEquals(g.get("to_s").asDouble(), mine.toSeconds(), 0.001, path);
          assertEquals(g.get("gap_s").asDouble(), mine.seconds(), 0.001, path);
        }
        assertTrue(t.encoder().orElseThrow().startsWith("x264 - core"), path);
        checked++;
      }
    }
    assertEquals(7, checked);
  }

  @Test
  void theCutWithAHoleIsFoundInVideoAndAudio() throws IOException {
    RecordingTimeline t = probe("f04_cut_with_hole/DEVCAM7_20230601_143000_001.mp4");
    List<MediaFinding> gaps =
        t.findings().stream().filter(f -> f.code().equals(MediaFindingCode.TIMESTAMP_GAP)).toList();
    assertEquals(2, gaps.size());
    assertEquals(74, gaps.get(0).sample().getAsLong());
    assertEquals(2.96, gaps.get(0).timeSeconds().getAsDouble(), 0.001);
    assertTrue(gaps.get(0).message().contains("2.040 s"), gaps.get(0).message());
    assertTrue(gaps.get(1).message().contains("(soun)"), gaps.get(1).message());
  }

  @Test
  void ffmpegsEditListsAreBenign() throws IOException {
    RecordingTimeline t = probe("f01_clean/DEVCAM7_20230601_140000_001.mp4");
    List<MediaFinding> edits =
        t.findings().stream().filter(f -> f.code().equals(MediaFindingCode.EDIT_LIST)).toList();
    assertEquals(2, edits.size());
    assertTrue(edits.get(1).message().contains("encoder priming (benign"), edits.get(1).message());
    assertEquals(1024, t.track("soun").get().editList().get(0).mediaTime());
    assertFalse(t.has(MediaFindingCode.TIMESTAMP_GAP));
    assertFalse(t.has(MediaFindingCode.DURATION_ANOMALY));
  }

  @Test
  void theSplitFilesChainWithoutInternalFindings() throws IOException {
    long[] starts = new long[3];
    String[] names = {
      "f02_split3/DEVCAM7_20230601_141000_001.mp4",
      "f02_split3/DEVCAM7_20230601_141003_002.mp4",
      "f02_split3/DEVCAM7_20230601_141006_003.mp4"
    };
    for (int i = 0; i < 3; i++) {
      RecordingTimeline t = probe(names[i]);
      starts[i] = t.creationTime().get().getEpochSecond();
      assertEquals(3.0, t.durationSeconds(), 0.001);
      assertEquals(75, t.track("vide").get().sampleCount());
    }
    assertEquals(starts[0] + 3, starts[1]);
    assertEquals(starts[1] + 3, starts[2]);
  }

  @Test
  void aFileWithoutMoovIsRecoveredByScanningItsMediaData() throws IOException {
    RecordingTimeline t = probe("f05a_truncated_moov_at_end/DEVCAM7_20230601_140000_001.mp4");
    assertTrue(t.has(MediaFindingCode.MOOV_MISSING));
    assertTrue(t.has(MediaFindingCode.TRUNCATED_BOX));
    assertEquals(131, t.recoveredFrames().getAsLong());
    assertEquals(6, t.recoveredKeyframes().getAsLong());
    assertTrue(t.tracks().isEmpty());
  }

  @Test
  void aTruncatedFaststartFileNamesTheMissingSamples() throws IOException {
    RecordingTimeline t = probe("f05b_truncated_faststart/DEVCAM7_20230601_140000_001.mp4");
    TrackTimeline v = t.track("vide").get();
    assertEquals(200, v.sampleCount(), "the index claims 200 frames");
    assertEquals(109, v.completeSamples(), "109 of them are in the bytes");
    MediaFinding beyond =
        t.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.SAMPLES_BEYOND_EOF))
            .findFirst()
            .orElseThrow();
    assertTrue(beyond.message().contains("91 of 200"), beyond.message());
  }
}
