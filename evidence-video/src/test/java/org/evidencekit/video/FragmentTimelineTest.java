package org.evidencekit.video;

import static org.evidencekit.video.MadeFixturesTest.made;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fragmented recording's timeline is the one its fragments' decode times ({@code tfdt}) state: a
 * fragment taken out leaves the recording its length and a gap where the fragment was, and a decode
 * time moved forward is a gap even when the numbering was mended. Inputs are the
 * ffmpeg files of made/make.sh (1 and 15), edited here with {@link FragmentEditor}; expectations
 * come from the honest file's samples and what was done to the bytes.
 */
class FragmentTimelineTest {
  @TempDir Path dir;

  private Path write(String name, byte[] d) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, d);
    return p;
  }

  /** First and last index of the samples of {@code t} whose bytes lie in {@code [from, to)}. */
  private static long[] samplesIn(TrackTimeline t, int[] range) {
    long first = -1;
    long last = -1;
    for (Sample s : (Iterable<Sample>) t::samples) {
      if (s.offset() >= range[0] && s.offset() < range[1]) {
        first = first < 0 ? s.index() : first;
        last = s.index();
      }
    }
    assertTrue(first > 0, t + ": no samples in the fragment, or only the first");
    return new long[] {first, last};
  }

  private static Sample sample(TrackTimeline t, long index) {
    for (Sample s : (Iterable<Sample>) t::samples) {
      if (s.index() == index) {
        return s;
      }
    }
    throw new AssertionError(t + " has no sample " + index);
  }

  private static double seconds(TrackTimeline t, long ticks) {
    return (double) ticks / t.timescale();
  }

  private static List<MediaFinding> codes(RecordingTimeline t, String code) {
    return t.findings().stream().filter(f -> f.code().equals(code)).toList();
  }

  @Test
  void aFragmentTakenOutLeavesTheRecordingItsLengthAndEachTrackAGapWhereItWas() throws IOException {
    // make.sh 15: 6 s of video and audio in 1 s fragments; the third fragment taken out
    byte[] whole = Files.readAllBytes(made("fragmented-av.mp4"));
    RecordingTimeline honest = MediaProbe.create().probe(made("fragmented-av.mp4"));
    int[] cut = FragmentEditor.fragmentBytes(whole, 2);
    RecordingTimeline t =
        MediaProbe.create().probe(write("cut.mp4", FragmentEditor.withoutFragment(whole, 2)));

    // the recording still runs as long as its decode times say: was 1 s short (the samples' sum)
    assertEquals(honest.durationSeconds(), t.durationSeconds(), 1e-9, t.findings().toString());
    assertTrue(
        honest.durationSeconds() > 5.9, "the honest file is 6 s: " + honest.durationSeconds());
    List<MediaFinding> gaps = codes(t, MediaFindingCode.TIMESTAMP_GAP);
    assertEquals(honest.tracks().size(), gaps.size(), t.findings().toString());
    for (TrackTimeline h : honest.tracks()) {
      TrackTimeline c =
          t.tracks().stream().filter(x -> x.trackId() == h.trackId()).findFirst().orElseThrow();
      assertEquals(h.durationTicks(), c.durationTicks(), c.toString());
      long[] gone = samplesIn(h, cut);
      Sample lastKept = sample(h, gone[0] - 1);
      Sample after = sample(h, gone[1] + 1);
      assertEquals(h.sampleCount() - (gone[1] - gone[0] + 1), c.sampleCount(), c.toString());
      // one gap per track: after the last sample before the cut, over the media the fragment held
      TimelineGap expected =
          new TimelineGap(
              lastKept.index(),
              seconds(h, lastKept.decodeTime() + lastKept.duration()),
              seconds(h, after.decodeTime()));
      assertEquals(List.of(expected), c.gaps(), c.toString());
      assertEquals(1, c.gapCount());
      assertTrue(expected.seconds() > 0.9, expected.toString());
      // and a finding that says where it is and how long
      MediaFinding f =
          gaps.stream()
              .filter(x -> x.trackId().getAsInt() == h.trackId())
              .findFirst()
              .orElseThrow();
      assertEquals(lastKept.index(), f.sample().orElseThrow());
      assertEquals(seconds(h, lastKept.decodeTime()), f.timeSeconds().orElseThrow(), 1e-9);
      String said =
          String.format(
              java.util.Locale.ROOT,
              "%.3f s missing from %.3f s to %.3f s",
              expected.seconds(),
              expected.fromSeconds(),
              expected.toSeconds());
      assertTrue(f.message().contains(said), f.message() + " / " + said);
    }
  }

  @Test
  void theCommittedMissingFragmentFileRunsFourSecondsWithTheThirdMissing() throws IOException {
    // make.sh 2: four 1 s fragments of 25 frames (512 ticks each at 12800), the third taken out
    RecordingTimeline t = MediaProbe.create().probe(made("fragmented-missing-fragment.mp4"));
    assertEquals(4.0, t.durationSeconds(), 1e-9);
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(75, v.sampleCount());
    assertEquals(4.0, v.durationSeconds(), 1e-9);
    assertEquals(List.of(new TimelineGap(49, 2.0, 3.0)), v.gaps());
  }

  @Test
  void aCutWhoseNumberingWasMendedIsStillAGapByItsDecodeTimes() throws IOException {
    // make.sh 1: the third of four fragments taken out and the fourth renumbered 3, so the
    // sequence numbers run 1, 2, 3: only the decode times tell, 25 frames (1 s) are missing
    byte[] d = FragmentEditor.withoutFragment(Files.readAllBytes(made("fragmented.mp4")), 2);
    FragmentEditor.setSequence(d, 2, 3);
    RecordingTimeline t = MediaProbe.create().probe(write("renumbered.mp4", d));
    assertTrue(
        t.findings().stream().noneMatch(f -> f.message().contains("sequence number")),
        t.findings().toString());
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(75, v.sampleCount());
    assertEquals(4.0, t.durationSeconds(), 1e-9);
    assertEquals(List.of(new TimelineGap(49, 2.0, 3.0)), v.gaps());
    MediaFinding gap = codes(t, MediaFindingCode.TIMESTAMP_GAP).get(0);
    assertFalse(gap.benign());
    assertEquals(49, gap.sample().orElseThrow());
  }

  @Test
  void aDecodeTimeMovedForwardIsAGapWithItsPlaceAndLength() throws IOException {
    // make.sh 1 with nothing taken out: the last two fragments' decode times moved 5 s on (64000
    // ticks at 12800), as when footage is put back at another time; the frames still last 0.04 s
    byte[] d = Files.readAllBytes(made("fragmented.mp4"));
    FragmentEditor.shiftDecodeTime(d, 2, 1, 64_000);
    FragmentEditor.shiftDecodeTime(d, 3, 1, 64_000);
    RecordingTimeline t = MediaProbe.create().probe(write("moved.mp4", d));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(100, v.sampleCount());
    assertEquals(9.0, t.durationSeconds(), 1e-9);
    assertEquals(9.0, v.durationSeconds(), 1e-9);
    assertEquals(List.of(new TimelineGap(49, 2.0, 7.0)), v.gaps());
    MediaFinding gap = codes(t, MediaFindingCode.TIMESTAMP_GAP).get(0);
    assertTrue(gap.message().contains("5.000 s missing from 2.000 s to 7.000 s"), gap.message());
    assertEquals(1.96, gap.timeSeconds().orElseThrow(), 1e-9, "sample 49 starts at 49 x 0.04 s");
  }

  @Test
  void aDecodeTimeMovedBackIsNoGap() throws IOException {
    // the last fragment's decode time 0.5 s back: an overlap, not missing media
    byte[] d = Files.readAllBytes(made("fragmented.mp4"));
    FragmentEditor.shiftDecodeTime(d, 3, 1, -6_400);
    RecordingTimeline t = MediaProbe.create().probe(write("back.mp4", d));
    assertTrue(t.track("vide").orElseThrow().gaps().isEmpty());
    assertTrue(t.has(MediaFindingCode.FRAGMENT_DISCONTINUITY), t.findings().toString());
  }

  /** Non-benign fragment findings: the numbering, the decode times and the fragment index. */
  private static List<MediaFinding> fragmentFindings(RecordingTimeline t) {
    return codes(t, MediaFindingCode.FRAGMENT_DISCONTINUITY).stream()
        .filter(f -> !f.benign())
        .toList();
  }

  /**
   * Takes fragment {@code k} out of {@code d}, numbers the later ones on from {@code k + 1} and
   * moves their decode times up by what the fragment held in each track, as the honest file's
   * samples say: the numbering and the decode times run on over the cut.
   */
  private byte[] cutRenumberedAndRetimed(String name, int k) throws IOException {
    byte[] whole = Files.readAllBytes(made(name));
    RecordingTimeline honest = MediaProbe.create().probe(made(name));
    int[] range = FragmentEditor.fragmentBytes(whole, k);
    int fragments = FragmentEditor.moofs(whole).size();
    byte[] d = FragmentEditor.withoutFragment(whole, k);
    for (TrackTimeline tr : honest.tracks()) {
      long held = 0;
      for (Sample s : (Iterable<Sample>) tr::samples) {
        if (s.offset() >= range[0] && s.offset() < range[1]) {
          held += s.duration();
        }
      }
      assertTrue(held > 0, tr.toString());
      for (int later = k; later < fragments - 1; later++) {
        FragmentEditor.shiftDecodeTime(d, later, tr.trackId(), -held);
      }
    }
    for (int later = k; later < fragments - 1; later++) {
      FragmentEditor.setSequence(d, later, later + 1);
    }
    return d;
  }

  @Test
  void aCutRenumberedAndRetimedIsFoundByTheFragmentIndexFromWhereItIs() throws IOException {
    // make.sh 1: four 1 s fragments; the third taken out, the fourth numbered 3 and moved up 1 s.
    // Numbering and decode times run on; the writer's index (mfra) still lists four fragments,
    // the fourth at an offset where the file now has none. The third entry (2.0 s) matches only
    // because the moved-up fourth fragment took the third's place: the cut is at 2.0 s
    RecordingTimeline t =
        MediaProbe.create()
            .probe(write("retimed.mp4", cutRenumberedAndRetimed("fragmented.mp4", 2)));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(75, v.sampleCount());
    assertTrue(v.gaps().isEmpty(), "the decode times run on: " + v.gaps());
    List<MediaFinding> f = fragmentFindings(t);
    assertEquals(1, f.size(), t.findings().toString());
    assertEquals(1, f.get(0).trackId().orElseThrow());
    assertEquals(2.0, f.get(0).timeSeconds().orElseThrow(), 1e-9);
    assertTrue(f.get(0).endSeconds().isEmpty(), "a point: what follows is in doubt");
    assertTrue(
        f.get(0).message().contains("mfra")
            && f.get(0).message().contains("1 of its 4 entries")
            && f.get(0).message().contains("where the file has no fragment"),
        f.get(0).message());
  }

  @Test
  void anEarlierCutIsPlacedAtTheLastEntryThatStillMatches() throws IOException {
    // the second fragment (1.0-2.0 s) taken out, the third and fourth renumbered and moved up:
    // the moved-up third sits where the second was and matches its entry (1.0 s); the fourth's
    // entry names an offset where the file has none, and the last entry too
    RecordingTimeline t =
        MediaProbe.create()
            .probe(write("retimed-1.mp4", cutRenumberedAndRetimed("fragmented.mp4", 1)));
    List<MediaFinding> f = fragmentFindings(t);
    assertEquals(1, f.size(), t.findings().toString());
    assertEquals(1.0, f.get(0).timeSeconds().orElseThrow(), 1e-9);
    assertTrue(f.get(0).message().contains("2 of its 4 entries"), f.get(0).message());
  }

  @Test
  void eachTrackOfACutRenumberedAndRetimedFileIsPlacedWhereItsMediaWasCut() throws IOException {
    // make.sh 15: video and audio; the third fragment taken out, the later ones renumbered and
    // each track moved up by what the fragment held of it. Each track's index is off from where
    // the fragment began in that track, as the honest file's samples say
    byte[] whole = Files.readAllBytes(made("fragmented-av.mp4"));
    RecordingTimeline honest = MediaProbe.create().probe(made("fragmented-av.mp4"));
    int[] range = FragmentEditor.fragmentBytes(whole, 2);
    RecordingTimeline t =
        MediaProbe.create()
            .probe(write("retimed-av.mp4", cutRenumberedAndRetimed("fragmented-av.mp4", 2)));
    List<MediaFinding> f = fragmentFindings(t);
    assertEquals(honest.tracks().size(), f.size(), t.findings().toString());
    for (TrackTimeline h : honest.tracks()) {
      Sample first = sample(h, samplesIn(h, range)[0]);
      MediaFinding x =
          f.stream()
              .filter(y -> y.trackId().orElseThrow() == h.trackId())
              .findFirst()
              .orElseThrow();
      assertEquals(
          seconds(h, first.decodeTime()), x.timeSeconds().orElseThrow(), 1e-9, x.toString());
    }
    assertFalse(t.has(MediaFindingCode.TIMESTAMP_GAP), t.findings().toString());
  }

  @Test
  void anIndexThatCannotBeReadIsNotedAndNotJudged() throws IOException {
    // the tfra's entry count set to 2^31-1: more entries than its bytes hold
    byte[] d = Files.readAllBytes(made("fragmented.mp4"));
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    int tfra = -1;
    for (int i = 4; i + 4 <= d.length; i++) {
      if (b.getInt(i) == FragmentEditor.fourcc("tfra")) {
        tfra = i - 4;
      }
    }
    assertTrue(tfra > 0);
    b.putInt(tfra + 20, Integer.MAX_VALUE);
    RecordingTimeline t = MediaProbe.create().probe(write("bad-index.mp4", d));
    assertEquals(100, t.track("vide").orElseThrow().sampleCount());
    assertTrue(fragmentFindings(t).isEmpty(), t.findings().toString());
    assertTrue(
        codes(t, MediaFindingCode.FRAGMENT_DISCONTINUITY).stream()
            .anyMatch(f -> f.benign() && f.message().contains("cannot be read")),
        t.findings().toString());
  }

  @Test
  void aFileWithItsFirstSamplesInTheMovieBoxReadsItsFragmentsToo() throws IOException {
    // make.sh 16: 4 s at 25 fps, the first 25 frames in the movie box's sample table, the other 75
    // in three fragments of 25 (ffmpeg's frag_keyframe without empty_moov). It read as 1 s: the
    // fragments were read only for a track whose table was empty
    RecordingTimeline t = MediaProbe.create().probe(made("fragmented-moov-first.mp4"));
    assertEquals(ContainerKind.FRAGMENTED_MP4, t.container());
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(100, v.sampleCount());
    assertEquals(100, v.completeSamples());
    assertEquals(4, v.syncSampleCount());
    assertEquals(4.0, v.durationSeconds(), 1e-9);
    assertEquals(4.0, t.durationSeconds(), 1e-9);
    long index = 0;
    long next = 0;
    for (Sample s : (Iterable<Sample>) v::samples) {
      assertEquals(index++, s.index());
      assertEquals(next, s.decodeTime(), "sample " + s.index());
      assertEquals(512, s.duration());
      next = s.decodeTime() + s.duration();
    }
    assertEquals(100, index);
    assertTrue(v.gaps().isEmpty(), v.gaps().toString());
    assertTrue(fragmentFindings(t).isEmpty(), t.findings().toString());

    // its second fragment (frames 50-74, 2.0-3.0 s) taken out: a gap where it was. This writer
    // gives each fragment's data as an absolute offset (tfhd base-data-offset), which the cut did
    // not mend: the last fragment's frames now lie past the end (truncated, 50 left), yet its
    // decode time still says where they belong
    byte[] d = Files.readAllBytes(made("fragmented-moov-first.mp4"));
    RecordingTimeline cut =
        MediaProbe.create()
            .probe(write("moov-first-cut.mp4", FragmentEditor.withoutFragment(d, 1)));
    TrackTimeline c = cut.track("vide").orElseThrow();
    assertEquals(75, c.sampleCount());
    assertEquals(4.0, c.durationSeconds(), 1e-9);
    assertEquals(List.of(new TimelineGap(49, 2.0, 3.0)), c.gaps());
    assertFalse(fragmentFindings(cut).isEmpty(), cut.findings().toString());
  }

  @Test
  void editListsAndBFramesInAMovieBoxAndFragmentsAreHonest() throws IOException {
    // make.sh 17: 3 s of 25 fps video with B-frames and of AAC audio, the first second in the movie
    // box, edit lists skipping the B-frame delay and the priming; ffmpeg's fragment index gives
    // the AAC frames' times after the edit's shift. Nothing was cut: no finding but benign ones
    RecordingTimeline t = MediaProbe.create().probe(made("fragmented-moov-first-av.mp4"));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(75, v.sampleCount());
    assertEquals(3.0, v.durationSeconds(), 1e-9);
    assertEquals(3.0, t.track("soun").orElseThrow().durationSeconds(), 0.1);
    assertTrue(t.findings().stream().allMatch(MediaFinding::benign), t.findings().toString());
  }

  @Test
  void gstreamersFragmentIndexesAreHonest() throws IOException {
    // make.sh 19 and 20: GStreamer's mp4mux closes each audio index with an entry naming byte 0
    // for the last frame, and the second file of a recording splitmuxsink split counts its index
    // from the recording's start (3 s) while its decode times start at 0. Nothing was cut
    for (String name : List.of("gst-fragmented-av.mp4", "gst-split-second-file.mp4")) {
      RecordingTimeline t = MediaProbe.create().probe(made(name));
      assertTrue(t.findings().stream().allMatch(MediaFinding::benign), name + t.findings());
      assertEquals(3.0, t.track("vide").orElseThrow().durationSeconds(), 1e-9, name);
    }
  }

  @Test
  void anOpusTrackWhoseFirstFrameLostItsPreSkipIsHonest() throws IOException {
    // make.sh 21: GStreamer's mp4mux gives the first Opus frame 960 ticks less its pre-skip (312):
    // nothing comes before the first frame, so its being short hides nothing (was a join's scar,
    // DURATION_ANOMALY, EDITED_RECORDING in the analyzer)
    RecordingTimeline t = MediaProbe.create().probe(made("gst-fragmented-opus.mp4"));
    TrackTimeline a = t.track("soun").orElseThrow();
    assertEquals(960, a.nominalSampleDuration().getAsLong());
    assertEquals(648, sample(a, 0).duration());
    assertTrue(t.findings().stream().allMatch(MediaFinding::benign), t.findings().toString());
    List<MediaFinding> d = codes(t, MediaFindingCode.DURATION_ANOMALY);
    assertEquals(1, d.size(), t.findings().toString());
    assertEquals(0, d.get(0).sample().getAsLong());
  }

  @Test
  void aFirstFrameHoldingTheAudiosPrimingAt8KhzIsHonest() throws IOException {
    // make.sh 22: ffmpeg's fragmented file with no edit list folds the AAC priming (one frame,
    // 1024 samples) into the video's first frame; at 8 kHz that is 128 ms, past the 100 ms allowed
    // otherwise (was a 0.128 s TIMESTAMP_GAP, INTERNAL_GAP "footage was cut out" in the analyzer)
    RecordingTimeline t = MediaProbe.create().probe(made("fragmented-aac-8khz.mp4"));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(8000, t.track("soun").orElseThrow().timescale());
    assertEquals(
        v.nominalSampleDuration().getAsLong() + v.timescale() * 1024 / 8000.0,
        sample(v, 0).duration(),
        1,
        "the first frame holds one AAC frame's priming, to the tick");
    assertTrue(v.gaps().isEmpty(), v.gaps().toString());
    assertTrue(t.findings().stream().allMatch(MediaFinding::benign), t.findings().toString());
  }

  @Test
  void aFragmentedQuickTimeFileRunsAsLongAsItsFragments() throws IOException {
    // make.sh 23: GStreamer's qtmux with fragment-duration writes brand "qt  ", a movie header of
    // 0 s and 3 s of video and audio in fragments (was read as 0 s long, so no action it filmed
    // was covered)
    RecordingTimeline t = MediaProbe.create().probe(made("gst-fragmented-qt.mov"));
    assertEquals(ContainerKind.MOV, t.container());
    double longest = 0;
    for (TrackTimeline tr : t.tracks()) {
      longest = Math.max(longest, tr.durationSeconds());
    }
    assertEquals(3.0, t.track("vide").orElseThrow().durationSeconds(), 1e-9);
    assertEquals(longest, t.durationSeconds(), 1e-9);
    assertTrue(t.findings().stream().allMatch(MediaFinding::benign), t.findings().toString());
  }

  @Test
  void fragmentHeadersLeftInTheMediaBoxOfAFinalisedFileAreNoMedia() throws IOException {
    // make.sh 24: GStreamer's mp4mux fragment-mode=first-moov-then-finalise writes a movie box
    // and fragments, then one media box round them all and a new movie box indexing every sample:
    // the first movie box (renamed hoov) and the fragments' headers stay between the samples
    // (was 6253 bytes of UNREFERENCED_MEDIA, EDITED_RECORDING in the analyzer)
    RecordingTimeline t = MediaProbe.create().probe(made("gst-first-moov-then-finalise.mp4"));
    assertEquals(ContainerKind.MP4, t.container());
    assertEquals(75, t.track("vide").orElseThrow().sampleCount());
    assertTrue(t.findings().stream().allMatch(MediaFinding::benign), t.findings().toString());

    // the same bytes with the renamed movie box's type overwritten are no header: media left
    byte[] d = Files.readAllBytes(made("gst-first-moov-then-finalise.mp4"));
    int hoov = -1;
    for (int i = 0; i + 4 <= d.length && hoov < 0; i++) {
      if (ByteBuffer.wrap(d).getInt(i) == FragmentEditor.fourcc("hoov")) {
        hoov = i;
      }
    }
    assertTrue(hoov > 0);
    d[hoov] = 'x';
    RecordingTimeline left = MediaProbe.create().probe(write("left.mp4", d));
    List<MediaFinding> u = codes(left, MediaFindingCode.UNREFERENCED_MEDIA);
    assertEquals(1, u.size(), left.findings().toString());
    assertFalse(u.get(0).benign());
    assertEquals(hoov - 4, u.get(0).byteOffset().getAsLong(), u.get(0).message());
  }

  @Test
  void anEndCutOffIsFoundThoughTheWritersLastEntryNamesByteZero() throws IOException {
    // make.sh 19: the last fragment (the audio of 2.9-3.0 s) taken off the end, which nothing but
    // the index shows; its entry and the byte-0 entry after it describe what is gone. The cut is
    // placed at the audio fragment before it, the last entry that matches
    byte[] whole = Files.readAllBytes(made("gst-fragmented-av.mp4"));
    List<Integer> moofs = FragmentEditor.moofs(whole);
    RecordingTimeline honest = MediaProbe.create().probe(made("gst-fragmented-av.mp4"));
    TrackTimeline audio = honest.track("soun").orElseThrow();
    int[] last = FragmentEditor.fragmentBytes(whole, moofs.size() - 1);
    assertTrue(samplesIn(audio, last)[1] == audio.sampleCount() - 1, "the audio's last frames");
    long[] before = samplesIn(audio, FragmentEditor.fragmentBytes(whole, moofs.size() - 3));
    RecordingTimeline t =
        MediaProbe.create()
            .probe(write("end-cut.mp4", FragmentEditor.withoutFragment(whole, moofs.size() - 1)));
    List<MediaFinding> f = fragmentFindings(t);
    assertEquals(1, f.size(), t.findings().toString());
    assertEquals(audio.trackId(), f.get(0).trackId().orElseThrow());
    assertEquals(
        seconds(audio, sample(audio, before[0]).decodeTime()),
        f.get(0).timeSeconds().orElseThrow(),
        1e-9);
    assertTrue(f.get(0).message().contains("2 of its 5 entries"), f.get(0).message());
  }

  @Test
  void aCutInALaterFileOfASplitRecordingIsFoundWhereItIs() throws IOException {
    // make.sh 20: three 1 s fragments whose index counts from 3 s; the second taken out, the third
    // numbered 2 and moved up 1 s. The third sits where the second was and matches its entry
    // (1.0 s in the file, 4.0 s in the index); the index's third entry names bytes now past the end
    RecordingTimeline t =
        MediaProbe.create()
            .probe(write("split-cut.mp4", cutRenumberedAndRetimed("gst-split-second-file.mp4", 1)));
    List<MediaFinding> f = fragmentFindings(t);
    assertEquals(1, f.size(), t.findings().toString());
    assertEquals(1.0, f.get(0).timeSeconds().orElseThrow(), 1e-9);
    assertTrue(
        f.get(0).message().contains("1 of its 3 entries")
            && f.get(0).message().contains("3.000 s later"),
        f.get(0).message());
  }

  static Path resource(String rel) {
    try {
      return Path.of(FragmentTimelineTest.class.getResource("/" + rel).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void honestFilesKeepTheirLengthAndHaveNoGap() throws IOException {
    // fragmented (ffmpeg, GPAC's CMAF) and not (GoPro, Android, iPhone at variable frame rates,
    // ffmpeg): nothing was cut, so no track has a gap and each runs as long as its samples last
    for (String rel :
        List.of(
            "made/fragmented.mp4",
            "made/fragmented-av.mp4",
            "made/fragmented-moov-first.mp4",
            "made/fragmented-moov-first-av.mp4",
            "made/fragmented-priming-index.mp4",
            "made/gst-fragmented-av.mp4",
            "made/gst-split-second-file.mp4",
            "made/gst-fragmented-opus.mp4",
            "made/fragmented-aac-8khz.mp4",
            "peer/mp4ff/vvc_400kbps_2s.mp4",
            "real/gopro-gpmf-parser/max-heromode.mp4",
            "real/jcodec-test-resources/android-keyed.mp4",
            "real/jcodec-test-resources/ios-coremedia-1s.mp4",
            "fixtures/f01_clean/DEVCAM7_20230601_140000_001.mp4")) {
      RecordingTimeline t = MediaProbe.create().probe(resource(rel));
      assertFalse(t.has(MediaFindingCode.TIMESTAMP_GAP), rel + ": " + t.findings());
      assertTrue(fragmentFindings(t).isEmpty(), rel + ": " + t.findings());
      for (TrackTimeline tr : t.tracks()) {
        assertTrue(tr.gaps().isEmpty(), rel + " " + tr + ": " + tr.gaps());
        long sum = 0;
        for (Sample s : (Iterable<Sample>) tr::samples) {
          sum += s.duration();
        }
        assertEquals(sum, tr.durationTicks(), rel + " " + tr);
      }
    }
  }
}
