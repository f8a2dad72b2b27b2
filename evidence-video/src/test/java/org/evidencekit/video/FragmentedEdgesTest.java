package org.evidencekit.video;

import static org.evidencekit.video.MadeFixturesTest.made;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What fragmented files from packagers and recorders are, and what a cut at their start or an
 * append at their end leaves: a caption track's silence is no gap, a media segment
 * without its initialization segment is no damage, the first fragments cut away show in the
 * numbering and the decode times, and fragments appended past the movie extends header's length
 * show against it. Inputs are the ffmpeg and GStreamer files of made/make.sh (15, 19, 25, 26), some
 * edited here with {@link FragmentEditor}; expectations come from what was done to the bytes.
 */
class FragmentedEdgesTest {
  @TempDir Path dir;

  private Path write(String name, byte[] d) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, d);
    return p;
  }

  private static List<MediaFinding> codes(RecordingTimeline t, String code) {
    return t.findings().stream().filter(f -> f.code().equals(code)).toList();
  }

  private static List<MediaFinding> flagged(RecordingTimeline t, String code) {
    return codes(t, code).stream().filter(f -> !f.benign()).toList();
  }

  @Test
  void aCaptionTracksSilenceBetweenCuesIsNoGap() throws IOException {
    // make.sh 25: cues at 0.5-1.5 s and 14-15 s; the 12.5 s between them is one sample (plain) or
    // decode times far apart (fragmented): what a caption track is, not missing footage
    for (String name : List.of("caption-tx3g.mp4", "caption-tx3g-fragmented.mp4")) {
      RecordingTimeline t = MediaProbe.create().probe(made(name));
      TrackTimeline captions = t.track("sbtl").orElseThrow();
      assertEquals("tx3g", captions.codec());
      assertEquals(List.of(), codes(t, MediaFindingCode.TIMESTAMP_GAP), name + ": " + t.findings());
      assertEquals(List.of(), captions.gaps(), name);
      assertEquals(
          List.of(), flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY), name + t.findings());
      assertEquals(16.0, t.durationSeconds(), 0.01, name);
    }
  }

  @Test
  void aVideoGapInAFileWithCaptionsIsStillAGap() throws IOException {
    // the caption rule goes by the track, not the file: the video's decode times from the 9th
    // fragment (8 s, one per second) moved 3 s on leave a 3 s gap in the video track
    byte[] d = Files.readAllBytes(made("caption-tx3g-fragmented.mp4"));
    int fragments = FragmentEditor.moofs(d).size();
    for (int k = 8; k < fragments; k++) {
      try {
        FragmentEditor.shiftDecodeTime(d, k, 1, 3 * 10240);
      } catch (AssertionError noVideoHere) {
        // a fragment of the caption track alone
      }
    }
    RecordingTimeline t = MediaProbe.create().probe(write("video-gap.mp4", d));
    List<MediaFinding> gaps = codes(t, MediaFindingCode.TIMESTAMP_GAP);
    assertEquals(1, gaps.size(), t.findings().toString());
    assertEquals(1, gaps.get(0).trackId().getAsInt());
    TimelineGap g = t.track("vide").orElseThrow().gaps().get(0);
    assertEquals(8.0, g.fromSeconds(), 1e-6, g.toString());
    assertEquals(11.0, g.toSeconds(), 1e-6, g.toString());
    assertEquals(List.of(), t.track("sbtl").orElseThrow().gaps());
  }

  @Test
  void aMediaSegmentWithoutItsInitializationSegmentIsNamedNotCalledDamaged() throws IOException {
    // make.sh 26: ffmpeg's HLS fMP4 segment 2 (styp sidx moof mdat), whose movie box is in
    // hls-init.mp4: 2 s of 10 fps video, 20 frames
    RecordingTimeline t = MediaProbe.create().probe(made("hls-segment-2.m4s"));
    assertFalse(t.has(MediaFindingCode.MOOV_MISSING), t.findings().toString());
    assertFalse(t.truncated(), "nothing of the segment is missing");
    assertEquals(ContainerKind.FRAGMENTED_MP4, t.container());
    List<MediaFinding> f = codes(t, MediaFindingCode.MEDIA_SEGMENT);
    assertEquals(1, f.size(), t.findings().toString());
    String m = f.get(0).message();
    assertTrue(m.contains("fragment number 2"), m);
    assertTrue(m.contains("initialization segment"), m);
    assertTrue(m.contains("join it after its initialization segment"), m);
    assertEquals(20, t.recoveredFrames().orElseThrow());
  }

  @Test
  void aRecordingWithoutItsMovieBoxIsStillMissingIt() throws IOException {
    // fixtures f05a: a plain recording cut at 60 %, no movie box: no fragments, so no segment
    Path cut;
    try {
      cut =
          Path.of(
              getClass()
                  .getResource(
                      "/fixtures/f05a_truncated_moov_at_end/DEVCAM7_20230601_140000_001.mp4")
                  .toURI());
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
    RecordingTimeline t = MediaProbe.create().probe(cut);
    assertTrue(t.has(MediaFindingCode.MOOV_MISSING), t.findings().toString());
    assertFalse(t.has(MediaFindingCode.MEDIA_SEGMENT));
    assertTrue(t.truncated());
  }

  @Test
  void segmentsJoinedToTheirInitializationSegmentFromTheSecondOnAreBenign() throws IOException {
    // a recorder joining the live stream at segment 2 writes init + segments 2 and 3: the first
    // fragment numbered 2 and decode times from 2 s, honestly
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (String part : List.of("hls-init.mp4", "hls-segment-2.m4s", "hls-segment-3.m4s")) {
      joined.write(Files.readAllBytes(made(part)));
    }
    RecordingTimeline t = MediaProbe.create().probe(write("joined.mp4", joined.toByteArray()));
    List<MediaFinding> f = codes(t, MediaFindingCode.FRAGMENT_DISCONTINUITY);
    assertEquals(1, f.size(), t.findings().toString());
    assertTrue(f.get(0).benign(), f.toString());
    assertTrue(f.get(0).message().contains("numbered 2"), f.get(0).message());
    assertEquals(0.0, f.get(0).timeSeconds().orElseThrow(), 1e-9);
    assertEquals(2.0, f.get(0).endSeconds().orElseThrow(), 1e-3);
  }

  /** The decode time (ticks) of track {@code trackId}'s first sample in fragment {@code k}. */
  private static double fragmentStart(RecordingTimeline t, byte[] d, int k, int trackId) {
    int[] bytes = FragmentEditor.fragmentBytes(d, k);
    TrackTimeline tr =
        t.tracks().stream().filter(x -> x.trackId() == trackId).findFirst().orElseThrow();
    for (Sample s : (Iterable<Sample>) tr::samples) {
      if (s.offset() >= bytes[0] && s.offset() < bytes[1]) {
        return (double) s.decodeTime() / tr.timescale();
      }
    }
    throw new AssertionError("no sample of track " + trackId + " in fragment " + k);
  }

  @Test
  void theFirstFragmentCutAwayIsMissingFromTheStart() throws IOException {
    // make.sh 15: 6 s of video and audio, a fragment (both tracks) per second, numbered 1 to 6;
    // the first taken out: the file now starts with fragment 2, its decode times where they were
    byte[] whole = Files.readAllBytes(made("fragmented-av.mp4"));
    RecordingTimeline honest = MediaProbe.create().probe(made("fragmented-av.mp4"));
    assertFalse(honest.has(MediaFindingCode.FRAGMENT_DISCONTINUITY), honest.findings().toString());
    // the tracks' media in the second fragment starts here: the earliest of them
    double secondStart =
        Math.min(fragmentStart(honest, whole, 1, 1), fragmentStart(honest, whole, 1, 2));
    RecordingTimeline t =
        MediaProbe.create().probe(write("cut.mp4", FragmentEditor.withoutFragment(whole, 0)));
    List<MediaFinding> f = flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY);
    assertEquals(1, f.size(), t.findings().toString());
    assertTrue(f.get(0).message().contains("numbered 2"), f.get(0).message());
    assertEquals(0.0, f.get(0).timeSeconds().orElseThrow(), 1e-9);
    assertEquals(secondStart, f.get(0).endSeconds().orElseThrow(), 1e-9);
  }

  @Test
  void theFirstFragmentCutAwayAndTheRestRetimedShowsInTheNumbering() throws IOException {
    // as above, with every later fragment's decode times moved back by the first one's length, so
    // the tracks start at 0 again: the numbering from 2 is what is left
    byte[] whole = Files.readAllBytes(made("fragmented-av.mp4"));
    RecordingTimeline honest = MediaProbe.create().probe(made("fragmented-av.mp4"));
    byte[] d = FragmentEditor.withoutFragment(whole, 0);
    for (TrackTimeline tr : honest.tracks()) {
      long back = Math.round(fragmentStart(honest, whole, 1, tr.trackId()) * tr.timescale());
      for (int k = 0; k < FragmentEditor.moofs(d).size(); k++) {
        FragmentEditor.shiftDecodeTime(d, k, tr.trackId(), -back);
      }
    }
    RecordingTimeline t = MediaProbe.create().probe(write("retimed.mp4", d));
    List<MediaFinding> f = flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY);
    assertEquals(1, f.size(), t.findings().toString());
    assertTrue(f.get(0).message().contains("numbered 2"), f.get(0).message());
    assertEquals(0.0, f.get(0).timeSeconds().orElseThrow(), 1e-9);
  }

  @Test
  void theFirstFragmentCutAwayAndTheRestRenumberedIsNotedAsALateStart() throws IOException {
    // numbered 1 to 5 again: the decode times starting at 1 s are left, which stream packagers
    // also write (mp4ff's DASH test files start at 10 s): noted, benign alone; the fragment index
    // the writer left (mfra) still names the first fragment at 0 s and finds the cut
    byte[] whole = Files.readAllBytes(made("fragmented-av.mp4"));
    RecordingTimeline honest = MediaProbe.create().probe(made("fragmented-av.mp4"));
    byte[] d = FragmentEditor.withoutFragment(whole, 0);
    for (int k = 0; k < FragmentEditor.moofs(d).size(); k++) {
      FragmentEditor.setSequence(d, k, k + 1);
    }
    RecordingTimeline t = MediaProbe.create().probe(write("renumbered.mp4", d));
    List<MediaFinding> f =
        codes(t, MediaFindingCode.FRAGMENT_DISCONTINUITY).stream()
            .filter(x -> !x.message().contains("(mfra)"))
            .toList();
    assertEquals(1, f.size(), t.findings().toString());
    assertFalse(flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY).isEmpty(), "the index's");
    assertTrue(f.get(0).benign(), f.toString());
    assertTrue(f.get(0).message().contains("decode times start at"), f.get(0).message());
    double secondStart =
        Math.min(fragmentStart(honest, whole, 1, 1), fragmentStart(honest, whole, 1, 2));
    assertEquals(secondStart, f.get(0).endSeconds().orElseThrow(), 1e-9);
  }

  @Test
  void fragmentsAppendedPastTheMovieExtendsHeadersLengthAreFound() throws IOException {
    // make.sh 19: GStreamer's mp4mux, 3 s of video (track 1) and AAC (track 2) in 1 s fragments,
    // one per track, the last two video then audio, mehd 3.029 s; those two appended twice more,
    // numbered on and timed to follow on: about 5 s
    byte[] d = Files.readAllBytes(made("gst-fragmented-av.mp4"));
    RecordingTimeline honest = MediaProbe.create().probe(made("gst-fragmented-av.mp4"));
    assertFalse(honest.has(MediaFindingCode.FRAGMENT_DISCONTINUITY), honest.findings().toString());
    int n = FragmentEditor.moofs(d).size();
    // how long each track's last fragment lasts, in its ticks: the step each copy is timed on by
    long[] step = new long[3];
    for (int track = 1; track <= 2; track++) {
      TrackTimeline tr = honest.tracks().get(track - 1);
      assertEquals(track, tr.trackId());
      double from = fragmentStart(honest, d, track == 1 ? n - 2 : n - 1, track);
      long end = 0;
      for (Sample s : (Iterable<Sample>) tr::samples) {
        end = Math.max(end, s.decodeTime() + s.duration());
      }
      step[track] = end - Math.round(from * tr.timescale());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(d);
    for (int round = 0; round < 2; round++) {
      for (int k = n - 2; k < n; k++) {
        int[] r = FragmentEditor.fragmentBytes(d, k);
        out.write(d, r[0], r[1] - r[0]);
      }
    }
    byte[] appended = out.toByteArray();
    long number = n;
    for (int round = 1; round <= 2; round++) {
      for (int j = 0; j < 2; j++) {
        int k = n - 2 + 2 * round + j;
        FragmentEditor.setSequence(appended, k, ++number);
        FragmentEditor.shiftDecodeTime(appended, k, j + 1, round * step[j + 1]);
      }
    }
    RecordingTimeline t = MediaProbe.create().probe(write("appended.mp4", appended));
    List<MediaFinding> f = flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY);
    assertEquals(1, f.size(), t.findings().toString());
    assertTrue(f.get(0).message().contains("(mehd)"), f.get(0).message());
    assertEquals(7573 / 2500.0, f.get(0).timeSeconds().orElseThrow(), 1e-9);
    assertEquals(t.durationSeconds(), f.get(0).endSeconds().orElseThrow(), 1e-9);
    assertTrue(t.durationSeconds() > honest.durationSeconds() + 1.9, t.toString());
  }

  @Test
  void aMovieExtendsHeaderLongerThanTheFragmentsIsHonest() throws IOException {
    // make.sh 20: splitmuxsink's second file gives the recording's running time at its end (6 s)
    // for its 3 s of fragments
    RecordingTimeline t = MediaProbe.create().probe(made("gst-split-second-file.mp4"));
    assertEquals(List.of(), flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY));
  }

  @Test
  void ffmpegsCmafIndexWithEightKilohertzAacIsHonest() throws IOException {
    // make.sh 27: the index lists each AAC frame 1024 ticks (128 ms at 8 kHz) before its decode
    // time; the fragments are all there, so no entry may be taken for a cut
    RecordingTimeline t = MediaProbe.create().probe(made("cmaf-aac-8khz.mp4"));
    assertEquals(List.of(), flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY), t.toString());
    // the same file with its second fragment taken out: the index still finds that
    byte[] d = FragmentEditor.withoutFragment(Files.readAllBytes(made("cmaf-aac-8khz.mp4")), 1);
    RecordingTimeline cut = MediaProbe.create().probe(write("cut.mp4", d));
    assertFalse(flagged(cut, MediaFindingCode.FRAGMENT_DISCONTINUITY).isEmpty(), cut.toString());
  }

  @Test
  void anHlsSingleFileWhoseVideoWaitsOneAacFrameAt8KhzIsHonest() throws IOException {
    // make.sh 28: the video's edit list opens with an empty edit of 128 ms, one 8 kHz AAC frame
    // (the audio's priming), then the media to its end (duration 0, a fragmented file's edit)
    RecordingTimeline t = MediaProbe.create().probe(made("hls-single-file.mp4"));
    List<MediaFinding> edits = codes(t, MediaFindingCode.EDIT_LIST);
    assertEquals(2, edits.size(), t.findings().toString());
    assertTrue(edits.stream().allMatch(MediaFinding::benign), edits.toString());
    assertEquals(List.of(), flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY), t.toString());
  }
}
