package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fixtures made with ffmpeg by made/make.sh: fragments, a splice, a remux, a forger's edits that
 * keep the timestamps running; and GoPro clocks.
 */
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

  /** A copy of a made file with every fragment's sequence number (mfhd) set to 1. */
  private static Path allNumberedOne(String name, Path dir) throws IOException {
    byte[] d = java.nio.file.Files.readAllBytes(made(name));
    int patched = 0;
    for (int i = 4; i + 12 <= d.length; i++) {
      if (d[i] == 'm' && d[i + 1] == 'f' && d[i + 2] == 'h' && d[i + 3] == 'd') {
        d[i + 8] = 0;
        d[i + 9] = 0;
        d[i + 10] = 0;
        d[i + 11] = 1;
        patched++;
      }
    }
    assertTrue(patched >= 3, name + ": " + patched + " fragments");
    Path p = dir.resolve(name);
    java.nio.file.Files.write(p, d);
    return p;
  }

  @Test
  void aWriterThatNumbersEveryFragmentOneMissesNothing(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    // as mp4ff's clear_with_enc_boxes.mp4 (two segments, each fragment 1): the decode times run
    // on, so a repeated number is no fragment missing or reordered
    RecordingTimeline t = MediaProbe.create().probe(allNumberedOne("fragmented.mp4", dir));
    assertEquals(100, t.track("vide").orElseThrow().sampleCount());
    assertTrue(
        flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY).isEmpty(), t.findings().toString());
    // a fragment removed from such a file still shows, by its decode time
    RecordingTimeline cut =
        MediaProbe.create().probe(allNumberedOne("fragmented-missing-fragment.mp4", dir));
    List<MediaFinding> f = flagged(cut, MediaFindingCode.FRAGMENT_DISCONTINUITY);
    assertEquals(1, f.size(), cut.findings().toString());
    assertTrue(f.get(0).message().contains("decode time 38400 where 25600"), f.get(0).message());
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
  void aMissingFragmentSaysWhichStretchItHeld() throws IOException {
    // make.sh 2: the third of four 1 s fragments taken out; the fragment after it says by its
    // decode time where it begins (3.0 s), its predecessor where the media ran to (2.0 s): only
    // that second is missing, and only it is in doubt
    RecordingTimeline t = MediaProbe.create().probe(made("fragmented-missing-fragment.mp4"));
    List<MediaFinding> f = flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY);
    assertEquals(2, f.size(), t.findings().toString());
    for (MediaFinding x : f) {
      assertEquals(2.0, x.timeSeconds().orElseThrow(), 0.001, x.toString());
      assertEquals(3.0, x.endSeconds().orElseThrow(), 0.001, x.toString());
    }
  }

  /** Top-level boxes of {@code d}: offset and size of each. */
  private static List<long[]> topLevel(byte[] d) {
    List<long[]> out = new java.util.ArrayList<>();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    for (int p = 0; p + 8 <= d.length; ) {
      int size = b.getInt(p);
      assertTrue(size >= 8 && p + size <= d.length, "box at " + p);
      out.add(new long[] {p, size, b.getInt(p + 4)});
      p += size;
    }
    return out;
  }

  private static final int MOOF = 0x6d6f6f66;

  /** Byte range (from, to) of fragment {@code k} of {@code d}: its moof and the mdat after it. */
  private static long[] fragmentBytes(byte[] d, int k) {
    List<long[]> top = topLevel(d);
    int seen = 0;
    for (int i = 0; i + 1 < top.size(); i++) {
      if (top.get(i)[2] == MOOF && seen++ == k) {
        return new long[] {top.get(i)[0], top.get(i + 1)[0] + top.get(i + 1)[1]};
      }
    }
    throw new AssertionError("no fragment " + k);
  }

  private static byte[] without(byte[] d, long[] range) {
    byte[] out = new byte[d.length - (int) (range[1] - range[0])];
    System.arraycopy(d, 0, out, 0, (int) range[0]);
    System.arraycopy(d, (int) range[1], out, (int) range[0], d.length - (int) range[1]);
    return out;
  }

  @Test
  void aFragmentTakenOutOfTwoTracksIsOneBreakPlacedOverWhatItHeld(
      @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    // make.sh 15: 6 s of video and audio in fragments of 1 s; the third fragment (moof and mdat)
    // taken out. Where its samples lay in each track, the honest file says
    byte[] whole = Files.readAllBytes(made("fragmented-av.mp4"));
    long[] cut = fragmentBytes(whole, 2);
    RecordingTimeline honest = MediaProbe.create().probe(made("fragmented-av.mp4"));
    assertTrue(
        flagged(honest, MediaFindingCode.FRAGMENT_DISCONTINUITY).isEmpty(),
        honest.findings().toString());
    double from = Double.MAX_VALUE;
    double to = 0;
    java.util.Map<Integer, double[]> held = new java.util.HashMap<>();
    for (TrackTimeline tr : honest.tracks()) {
      assertTrue(tr.editList().isEmpty(), "decode time is presented time");
      double first = -1;
      double end = -1;
      for (Sample s : (Iterable<Sample>) tr::samples) {
        if (s.offset() >= cut[0] && s.offset() < cut[1]) {
          first = first < 0 ? (double) s.decodeTime() / tr.timescale() : first;
          end = (double) (s.decodeTime() + s.duration()) / tr.timescale();
        }
      }
      assertTrue(first > 1.9 && end < 3.2, tr.handler() + " " + first + " " + end);
      held.put(tr.trackId(), new double[] {first, end});
      from = Math.min(from, first);
      to = Math.max(to, end);
    }
    Path p = dir.resolve("cut.mp4");
    Files.write(p, without(whole, cut));
    RecordingTimeline t = MediaProbe.create().probe(p);
    List<MediaFinding> f = flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY);
    // one break in the numbering (fragment 4 follows 2) for the file, not one per track, and each
    // track's decode time skipping what the fragment held
    assertEquals(3, f.size(), t.findings().toString());
    List<MediaFinding> numbering = f.stream().filter(x -> x.trackId().isEmpty()).toList();
    assertEquals(1, numbering.size(), f.toString());
    assertTrue(numbering.get(0).message().contains("4 follows 2"), numbering.get(0).message());
    assertEquals(from, numbering.get(0).timeSeconds().orElseThrow(), 0.001);
    assertEquals(to, numbering.get(0).endSeconds().orElseThrow(), 0.001);
    for (MediaFinding x : f) {
      if (x.trackId().isPresent()) {
        double[] h = held.get(x.trackId().getAsInt());
        assertEquals(h[0], x.timeSeconds().orElseThrow(), 0.001, x.toString());
        assertEquals(h[1], x.endSeconds().orElseThrow(), 0.001, x.toString());
      }
    }
  }

  @Test
  void aFragmentTakenOutWithTheRestMovedUpIsAPointFromWhichTheRestIsInDoubt(
      @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    // make.sh 2's cut, and the decode time (tfdt) of each later fragment moved up by the second
    // taken out, so the times run on: the numbering still breaks where the third fragment was,
    // 2.0 s in, and what follows is 1 s earlier than it was recorded: no stretch, a point
    byte[] d = Files.readAllBytes(made("fragmented-missing-fragment.mp4"));
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    int moved = 0;
    for (int i = 4; i + 16 <= d.length; i++) {
      if (b.getInt(i) == 0x74666474 && d[i + 4] == 1 && b.getLong(i + 8) >= 38400) { // tfdt v1
        b.putLong(i + 8, b.getLong(i + 8) - 12800); // 1 s at 12800
        moved++;
      }
    }
    assertEquals(1, moved, "the last fragment follows the cut");
    Path p = dir.resolve("moved-up.mp4");
    Files.write(p, d);
    RecordingTimeline t = MediaProbe.create().probe(p);
    List<MediaFinding> f = flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY);
    assertEquals(1, f.size(), t.findings().toString());
    assertTrue(f.get(0).message().contains("4 follows 2"), f.get(0).message());
    assertEquals(2.0, f.get(0).timeSeconds().orElseThrow(), 0.001);
    assertTrue(f.get(0).endSeconds().isEmpty(), f.get(0).toString());
  }

  /**
   * make.sh 2's cut, and the last fragment's decode time moved up by all but one frame of the
   * second taken out: the times now skip 0.04 s, while the numbering says a whole fragment (1 s in
   * this file) is missing. Placed as a 0.04 s stretch, the cut would put only that in doubt and the
   * rest, 0.96 s earlier than recorded, would pass as placed; it is a point at 2.0 s from which the
   * rest is in doubt, as when the times run on.
   */
  @Test
  void aFragmentTakenOutWithTheRestMovedUpAllButAFrameIsAPointToo(
      @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    byte[] d = Files.readAllBytes(made("fragmented-missing-fragment.mp4"));
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    int moved = 0;
    for (int i = 4; i + 16 <= d.length; i++) {
      if (b.getInt(i) == 0x74666474 && d[i + 4] == 1 && b.getLong(i + 8) >= 38400) { // tfdt v1
        b.putLong(i + 8, b.getLong(i + 8) - 12800 + 512); // 1 s at 12800, less one 512-tick frame
        moved++;
      }
    }
    assertEquals(1, moved, "the last fragment follows the cut");
    Path p = dir.resolve("moved-up-all-but-a-frame.mp4");
    Files.write(p, d);
    RecordingTimeline t = MediaProbe.create().probe(p);
    MediaFinding numbering =
        flagged(t, MediaFindingCode.FRAGMENT_DISCONTINUITY).stream()
            .filter(f -> f.message().contains("4 follows 2"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(t.findings().toString()));
    assertEquals(2.0, numbering.timeSeconds().orElseThrow(), 0.001, numbering.toString());
    assertTrue(numbering.endSeconds().isEmpty(), numbering.toString());
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

  /** The non-benign findings of one code, which are what reach the continuity analyzer. */
  private static List<MediaFinding> flagged(RecordingTimeline t, String code) {
    return t.findings().stream().filter(f -> f.code().equals(code) && !f.benign()).toList();
  }

  @Test
  void anEditListThatSkipsTwoSecondsOfMediaIsNotBenign() throws IOException {
    // make.sh 7: both tracks' edit lists present media 0-2 s and 4-6 s of a clean 6 s recording
    RecordingTimeline t = MediaProbe.create().probe(made("edit-list-hides-2s.mp4"));
    assertEquals(4.0, t.durationSeconds(), 0.001, "what a player shows");
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(150, v.sampleCount(), "all 6 s of media are still in the file");
    assertEquals(
        List.of(new EditListEntry(2000, 0, 1.0), new EditListEntry(2000, 4 * 12800, 1.0)),
        v.editList());
    assertEquals(2, flagged(t, MediaFindingCode.EDIT_LIST).size(), t.findings().toString());
    assertTrue(t.track("vide").get().gaps().isEmpty(), "the hiding leaves no timestamp hole");
  }

  @Test
  void anEditListThatHidesMediaSaysWhichStretchItHides() throws IOException {
    // make.sh 7 hides media 2.0-4.0 s of each track, make.sh 12 the last 2 s of the 6 s
    for (String[] c :
        List.of(
            new String[] {"edit-list-hides-2s.mp4", "2", "4"},
            new String[] {"edit-list-hides-end.mp4", "4", "6"})) {
      RecordingTimeline t = MediaProbe.create().probe(made(c[0]));
      List<MediaFinding> f = flagged(t, MediaFindingCode.EDIT_LIST);
      assertEquals(2, f.size(), t.findings().toString());
      for (MediaFinding e : f) {
        // counted from the media each track presents first (the audio's after its priming), to
        // a movie tick and a writer's rounding
        assertEquals(Double.parseDouble(c[1]), e.timeSeconds().orElseThrow(), 0.002, c[0] + e);
        assertEquals(Double.parseDouble(c[2]), e.endSeconds().orElseThrow(), 0.002, c[0] + e);
      }
    }
    // an edit list that hides nothing says no stretch
    RecordingTimeline whole = MediaProbe.create().probe(made("edit-list-split-whole.mp4"));
    for (MediaFinding e : whole.findings()) {
      assertTrue(e.endSeconds().isEmpty(), e.toString());
    }
  }

  @Test
  void aJoinsScarSaysWhereTheJoinIs() throws IOException {
    // make.sh 3 joins two 2 s encodes (the first frame of another length is sample 49, the
    // second encode's first at 2 s); make.sh 6 cuts 2-4 s out and joins: the scar is at 2 s of
    // the result, in the audio, whose 1024-sample frames last 46 ms
    MediaFinding spliced =
        flagged(MediaProbe.create().probe(made("spliced.mp4")), MediaFindingCode.DURATION_ANOMALY)
            .get(0);
    assertEquals(49, spliced.sample().orElseThrow());
    assertEquals(1.96, spliced.timeSeconds().orElseThrow(), 0.001);
    MediaFinding cut =
        flagged(
                MediaProbe.create().probe(made("copy-cut-joined.mp4")),
                MediaFindingCode.DURATION_ANOMALY)
            .get(0);
    assertEquals(2.0, cut.timeSeconds().orElseThrow(), 0.047, cut.toString());
    assertTrue(cut.endSeconds().isEmpty());
  }

  @Test
  void mediaLeftBehindSaysWhereItWasCutOut() throws IOException {
    // make.sh 9 takes out media 2-4 s, make.sh 13 4-6 s: the bytes left follow the samples that
    // end there in every track (the audio's counted after its priming)
    for (String[] c :
        List.of(
            new String[] {"samples-taken-out.mp4", "2"},
            new String[] {"samples-taken-out-end.mp4", "4"})) {
      MediaFinding f =
          flagged(MediaProbe.create().probe(made(c[0])), MediaFindingCode.UNREFERENCED_MEDIA)
              .get(0);
      assertEquals(Double.parseDouble(c[1]), f.timeSeconds().orElseThrow(), 0.001, c[0] + f);
      assertTrue(f.endSeconds().isEmpty() && f.byteOffset().isPresent(), f.toString());
    }
  }

  @Test
  void anEditListThatStopsBeforeTheEndOfTheMediaIsNotBenign() throws IOException {
    // make.sh 12: each track's one edit starts where the camera's did (the audio's priming) and
    // stops at 4 s of the 6 s: a player shows 4 s, the last 2 s are hidden
    RecordingTimeline t = MediaProbe.create().probe(made("edit-list-hides-end.mp4"));
    assertEquals(4.0, t.durationSeconds(), 0.001, "what a player shows");
    assertEquals(150, t.track("vide").orElseThrow().sampleCount(), "all 6 s are in the file");
    List<MediaFinding> f = flagged(t, MediaFindingCode.EDIT_LIST);
    assertEquals(2, f.size(), t.findings().toString());
    for (MediaFinding e : f) {
      assertTrue(e.message().contains("the last 2.0"), e.message());
    }
  }

  @Test
  void editsThatFollowOnFromEachOtherOverTheWholeMediaAreBenign() throws IOException {
    // make.sh 12: the whole 6 s in two edits, the second taking up where the first stops (as
    // QuickTime writers leave an edit split in parts): nothing is hidden
    RecordingTimeline t = MediaProbe.create().probe(made("edit-list-split-whole.mp4"));
    assertEquals(6.0, t.durationSeconds(), 0.001);
    assertEquals(2, t.track("vide").orElseThrow().editList().size());
    assertEquals(
        2,
        t.findings().stream().filter(x -> x.code().equals(MediaFindingCode.EDIT_LIST)).count(),
        t.findings().toString());
    assertTrue(flagged(t, MediaFindingCode.EDIT_LIST).isEmpty(), t.findings().toString());
  }

  @Test
  void anAudioEditThatAlsoSkipsTheVideosReorderingDelayIsBenign(
      @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    // make.sh 14: the video's edit skips its 2-frame B-frame delay (1024 ticks, 80 ms), the
    // audio's its 1024 samples of priming and the same 80 ms (older libavformat): 126 ms of audio,
    // past the 100 ms of priming alone, but nothing a player would have shown is hidden
    RecordingTimeline t = MediaProbe.create().probe(made("audio-after-video-delay.mp4"));
    assertEquals(1024, t.track("vide").orElseThrow().editList().get(0).mediaTime());
    assertEquals(1024 + 1764, t.track("soun").orElseThrow().editList().get(0).mediaTime());
    assertTrue(flagged(t, MediaFindingCode.EDIT_LIST).isEmpty(), t.findings().toString());
    // the audio's edit moved on by 0.2 s more hides that stretch of sound
    byte[] d = java.nio.file.Files.readAllBytes(made("audio-after-video-delay.mp4"));
    int elst = -1;
    for (int i = 0, seen = 0; i + 4 <= d.length && elst < 0; i++) {
      if (d[i] == 'e' && d[i + 1] == 'l' && d[i + 2] == 's' && d[i + 3] == 't' && ++seen == 2) {
        elst = i;
      }
    }
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    b.putInt(elst + 16, b.getInt(elst + 16) + 4410);
    Path later = dir.resolve("later.mp4");
    java.nio.file.Files.write(later, d);
    RecordingTimeline hidden = MediaProbe.create().probe(later);
    List<MediaFinding> f = flagged(hidden, MediaFindingCode.EDIT_LIST);
    assertEquals(1, f.size(), hidden.findings().toString());
    assertTrue(f.get(0).message().contains("0.326 s"), f.get(0).message());
  }

  @Test
  void aMovieHeaderReStampedAloneDisagreesWithItsTracks() throws IOException {
    // make.sh 8: recorded (all headers) at 16:30, the movie header alone set back to 14:00
    RecordingTimeline t = MediaProbe.create().probe(made("restamped-movie-header.mp4"));
    assertEquals(Instant.parse("2023-06-01T14:00:00Z"), t.creationTime().orElseThrow());
    List<MediaFinding> f = flagged(t, MediaFindingCode.CREATION_TIME_DISAGREEMENT);
    assertEquals(2, f.size(), t.findings().toString());
    assertTrue(f.get(0).message().contains("2023-06-01T16:30:00Z"), f.get(0).message());
  }

  @Test
  void headersStampedAtARecordingsStartAndEndAreBenignAndFartherApartAreNot() throws IOException {
    // the re-stamped fixture's tracks were created at 16:30:00 and it is 6 s long; its movie
    // header set to 16:30:05 is what a writer stamping the movie at close and the tracks at open
    // leaves; 16:30:09 is more than the recording's length (and a second) later: stamped again
    byte[] file = Files.readAllBytes(made("restamped-movie-header.mp4"));
    long tracks = Instant.parse("2023-06-01T16:30:00Z").getEpochSecond() + MP4_EPOCH;
    RecordingTimeline atClose =
        MediaProbe.create().probe(new ByteArrayChannel(movieCreated(file, tracks + 5)));
    assertTrue(
        flagged(atClose, MediaFindingCode.CREATION_TIME_DISAGREEMENT).isEmpty(),
        atClose.findings().toString());
    assertTrue(
        atClose.findings().stream()
            .anyMatch(
                f -> f.code().equals(MediaFindingCode.CREATION_TIME_DISAGREEMENT) && f.benign()),
        atClose.findings().toString());
    RecordingTimeline later =
        MediaProbe.create().probe(new ByteArrayChannel(movieCreated(file, tracks + 9)));
    assertEquals(
        2,
        flagged(later, MediaFindingCode.CREATION_TIME_DISAGREEMENT).size(),
        later.findings().toString());
  }

  /**
   * A writer stamps one header at the start and the other at the end, so its headers are apart by
   * about the recording's length, not anywhere below it: before session 15's review a 6 s recording
   * re-stamped by 3 s was benign, and a movie header that also claimed 2 hours of duration made a
   * re-stamp by an hour benign. The length is what the samples span.
   */
  @Test
  void aRestampBetweenZeroAndTheRecordingsLengthOrWithAnInflatedDurationIsNotBenign()
      throws IOException {
    byte[] file = Files.readAllBytes(made("restamped-movie-header.mp4"));
    long tracks = Instant.parse("2023-06-01T16:30:00Z").getEpochSecond() + MP4_EPOCH;
    RecordingTimeline midway =
        MediaProbe.create().probe(new ByteArrayChannel(movieCreated(file, tracks + 3)));
    assertEquals(
        2,
        flagged(midway, MediaFindingCode.CREATION_TIME_DISAGREEMENT).size(),
        midway.findings().toString());
    RecordingTimeline anHourLater =
        MediaProbe.create()
            .probe(
                new ByteArrayChannel(movieDuration(movieCreated(file, tracks + 3600), 2 * 3600)));
    assertEquals(
        2,
        flagged(anHourLater, MediaFindingCode.CREATION_TIME_DISAGREEMENT).size(),
        anHourLater.findings().toString());
    RecordingTimeline twoHoursLater =
        MediaProbe.create()
            .probe(
                new ByteArrayChannel(
                    movieDuration(movieCreated(file, tracks + 2 * 3600), 2 * 3600)));
    assertEquals(
        2,
        flagged(twoHoursLater, MediaFindingCode.CREATION_TIME_DISAGREEMENT).size(),
        twoHoursLater.findings().toString());
    RecordingTimeline atClose =
        MediaProbe.create().probe(new ByteArrayChannel(movieCreated(file, tracks + 6)));
    assertTrue(
        flagged(atClose, MediaFindingCode.CREATION_TIME_DISAGREEMENT).isEmpty(),
        atClose.findings().toString());
  }

  /** The file with its movie header's duration (version 0) set to {@code seconds}. */
  private static byte[] movieDuration(byte[] file, long seconds) {
    byte[] out = file.clone();
    for (int i = 4; i + 28 <= out.length; i++) {
      if (out[i] == 'm' && out[i + 1] == 'v' && out[i + 2] == 'h' && out[i + 3] == 'd') {
        assertEquals(0, out[i + 4], "a version 0 movie header");
        long timescale = java.nio.ByteBuffer.wrap(out, i + 16, 4).getInt() & 0xffffffffL;
        java.nio.ByteBuffer.wrap(out, i + 20, 4).putInt((int) (seconds * timescale));
        return out;
      }
    }
    throw new AssertionError("no mvhd");
  }

  /** Seconds from 1904-01-01 (MP4 times) to 1970-01-01. */
  private static final long MP4_EPOCH = 2_082_844_800L;

  /** The file with its movie header's creation time (version 0) set to {@code mp4Seconds}. */
  private static byte[] movieCreated(byte[] file, long mp4Seconds) {
    byte[] out = file.clone();
    for (int i = 4; i + 16 <= out.length; i++) {
      if (out[i] == 'm' && out[i + 1] == 'v' && out[i + 2] == 'h' && out[i + 3] == 'd') {
        assertEquals(0, out[i + 4], "a version 0 movie header");
        java.nio.ByteBuffer.wrap(out, i + 8, 4).putInt((int) mp4Seconds);
        return out;
      }
    }
    throw new AssertionError("no mvhd");
  }

  @Test
  void aStreamCopyCutJoinedByTheConcatDemuxerLeavesAScarAtTheJoin() throws IOException {
    // make.sh 6: media 2-4 s of a clean 6 s recording cut out, the parts joined with -c copy
    RecordingTimeline t = MediaProbe.create().probe(made("copy-cut-joined.mp4"));
    TrackTimeline v = t.track("vide").orElseThrow();
    assertEquals(100, v.sampleCount(), "2 s of 25 fps removed");
    assertTrue(flagged(t, MediaFindingCode.SPLICE).isEmpty(), "one encode: no new parameter sets");
    // the audio of the first part ran past 2 s; the join shows in the audio's frame lengths and
    // as a hole of a few hundredths after the last video frame before the join (sample 49)
    assertEquals(1, flagged(t, MediaFindingCode.DURATION_ANOMALY).size(), t.findings().toString());
    assertEquals(1, v.gaps().size());
    assertEquals(49, v.gaps().get(0).afterSample());
    assertTrue(v.gaps().get(0).toSeconds() - v.gaps().get(0).fromSeconds() < 0.1);
  }

  @Test
  void samplesTakenOutOfTheIndexLeaveTheirBytesBehind() throws IOException {
    // make.sh 9 takes the samples of media 2-4 s out of the tables of the same clean recording
    // whose edit lists hide that stretch in make.sh 7: the bytes left are those samples' bytes
    RecordingTimeline whole = MediaProbe.create().probe(made("edit-list-hides-2s.mp4"));
    long removed = 0;
    for (TrackTimeline tr : whole.tracks()) {
      long start = tr.editList().get(0).mediaTime();
      for (Sample s : (Iterable<Sample>) tr::samples) {
        long t = s.decodeTime() - start;
        removed += t >= 2 * tr.timescale() && t < 4 * tr.timescale() ? s.size() : 0;
      }
    }
    assertTrue(flagged(whole, MediaFindingCode.UNREFERENCED_MEDIA).isEmpty());
    RecordingTimeline t = MediaProbe.create().probe(made("samples-taken-out.mp4"));
    assertEquals(100, t.track("vide").orElseThrow().sampleCount());
    assertTrue(t.track("vide").get().gaps().isEmpty(), "the timestamps run on without a hole");
    List<MediaFinding> f = flagged(t, MediaFindingCode.UNREFERENCED_MEDIA);
    assertEquals(1, f.size(), t.findings().toString());
    assertTrue(f.get(0).message().startsWith(removed + " bytes of media data"), f.get(0).message());
  }

  @Test
  void theLastSamplesTakenOutLeaveTheirBytesAtTheEndOfTheMediaBox() throws IOException {
    // make.sh 13: the samples of media 4-6 s taken out of the clean recording's tables, their
    // bytes left after the last sample that stays: those bytes, named where they begin
    RecordingTimeline whole = MediaProbe.create().probe(made("edit-list-hides-2s.mp4"));
    long removed = 0;
    for (TrackTimeline tr : whole.tracks()) {
      long start = tr.editList().get(0).mediaTime();
      for (Sample s : (Iterable<Sample>) tr::samples) {
        removed += s.decodeTime() - start >= 4 * tr.timescale() ? s.size() : 0;
      }
    }
    RecordingTimeline t = MediaProbe.create().probe(made("samples-taken-out-end.mp4"));
    assertEquals(4.0, t.durationSeconds(), 0.001);
    assertEquals(100, t.track("vide").orElseThrow().sampleCount());
    long[] b = sampleBytes(t);
    List<MediaFinding> f = flagged(t, MediaFindingCode.UNREFERENCED_MEDIA);
    assertEquals(1, f.size(), t.findings().toString());
    assertTrue(f.get(0).message().startsWith(removed + " bytes of media data"), f.get(0).message());
    assertTrue(
        f.get(0).message().contains("the first: bytes " + b[2] + " to "), f.get(0).message());
  }

  /** The bytes of every track's samples, and the first and the end of them. */
  private static long[] sampleBytes(RecordingTimeline t) {
    long bytes = 0;
    long first = Long.MAX_VALUE;
    long end = 0;
    for (TrackTimeline tr : t.tracks()) {
      for (Sample s : (Iterable<Sample>) tr::samples) {
        bytes += s.size();
        first = Math.min(first, s.offset());
        end = Math.max(end, s.offset() + s.size());
      }
    }
    return new long[] {bytes, first, end};
  }

  @Test
  void paddingBetweenChunksIsNoMediaTakenOut() throws IOException {
    // make.sh 10: the clean recording's chunks moved to 512-byte boundaries with zero bytes before
    // each, or to 256-byte boundaries with a free box of zeros in each gap, as a muxer aligning to
    // sectors writes them: every sample is still referenced
    RecordingTimeline takenOut = MediaProbe.create().probe(made("samples-taken-out.mp4"));
    for (String padded : List.of("padded-zeros.mp4", "padded-free.mp4")) {
      RecordingTimeline t = MediaProbe.create().probe(made(padded));
      long[] b = sampleBytes(t);
      // not vacuous: a fifth or more of the span between the first and the last sample byte is
      // padding, and the samples are the 150 frames and 131 audio frames of the clean 6 s
      assertTrue(b[2] - b[1] - b[0] > b[0] / 5, padded + " " + java.util.Arrays.toString(b));
      assertEquals(150, t.track("vide").orElseThrow().sampleCount());
      assertEquals(131, t.track("soun").orElseThrow().sampleCount());
      assertFalse(t.has(MediaFindingCode.UNREFERENCED_MEDIA), padded + ": " + t.findings());
    }
    assertTrue(takenOut.has(MediaFindingCode.UNREFERENCED_MEDIA), "no zeros: still media");
  }

  @Test
  void paddingThatIsNotZerosIsStillMediaTakenOut(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    // one gap of padded-zeros.mp4 filled with bytes that are not zeros: what media taken out of
    // the index leaves; the finding names that gap and no other
    Path p = dir.resolve("filled.mp4");
    byte[] d = java.nio.file.Files.readAllBytes(made("padded-zeros.mp4"));
    RecordingTimeline t0 = MediaProbe.create().probe(made("padded-zeros.mp4"));
    // the gap before the first chunk that starts past byte 40000: the end of the chunk before it
    long gapEnd = Long.MAX_VALUE;
    long gapStart = 0;
    for (TrackTimeline tr : t0.tracks()) {
      for (Sample s : (Iterable<Sample>) tr::samples) {
        if (s.offset() > 40000 && s.offset() % 512 == 0) {
          gapEnd = Math.min(gapEnd, s.offset());
        }
      }
    }
    for (TrackTimeline tr : t0.tracks()) {
      for (Sample s : (Iterable<Sample>) tr::samples) {
        if (s.offset() + s.size() <= gapEnd) {
          gapStart = Math.max(gapStart, s.offset() + s.size());
        }
      }
    }
    assertTrue(gapEnd - gapStart > 0 && gapEnd - gapStart < 512, gapStart + "-" + gapEnd);
    for (long i = gapStart; i < gapEnd; i++) {
      d[(int) i] = (byte) 0x5a;
    }
    java.nio.file.Files.write(p, d);
    RecordingTimeline t = MediaProbe.create().probe(p);
    List<MediaFinding> f = flagged(t, MediaFindingCode.UNREFERENCED_MEDIA);
    assertEquals(1, f.size(), t.findings().toString());
    assertTrue(
        f.get(0).message().startsWith((gapEnd - gapStart) + " bytes of media data"),
        f.get(0).message());
    assertTrue(
        f.get(0).message().contains("bytes " + gapStart + " to " + gapEnd), f.get(0).message());
  }

  @Test
  void quickTimeSoundSizedOneBytePerSampleIsAllReferenced() throws IOException {
    // make.sh 11: 2 s of 16-bit mono PCM at 8 kHz whose sample size table says 1, QuickTime's
    // way for uncompressed sound (the sound description gives 2 bytes a sample): 32,000 bytes of
    // sound, all of them referenced
    RecordingTimeline t = MediaProbe.create().probe(made("pcm-sample-size-1.mov"));
    TrackTimeline a = t.track("soun").orElseThrow();
    assertEquals(16000, a.sampleCount());
    long sound = 0;
    for (Sample s : (Iterable<Sample>) a::samples) {
      sound += s.size();
    }
    assertEquals(32000, sound);
    assertEquals(16000, a.completeSamples());
    assertFalse(t.has(MediaFindingCode.UNREFERENCED_MEDIA), t.findings().toString());
  }

  @Test
  void honestFilesReferenceAllTheirMedia() throws IOException {
    for (String real :
        List.of(
            "gopro-gpmf-parser/max-heromode.mp4",
            "jcodec-test-resources/ios-coremedia-1s.mp4",
            "jcodec-test-resources/android-keyed.mp4")) {
      RecordingTimeline t = MediaProbe.create().probe(Path.of(RealFilesTestPaths.real(real)));
      assertFalse(t.has(MediaFindingCode.UNREFERENCED_MEDIA), real);
    }
    for (String made : List.of("spliced.mp4", "remuxed-no-creation-time.mp4", "hevc-full.mp4")) {
      assertFalse(MediaProbe.create().probe(made(made)).has(MediaFindingCode.UNREFERENCED_MEDIA));
    }
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
