package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalInt;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityCode;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.continuity.ContinuityFinding.Severity;
import org.evidencekit.continuity.ContinuityPolicy;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.video.FileNameClock;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.RecordingTimeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one mapping from a media timeline to the analyzer's span. */
class TimelineMappingTest {
  @TempDir Path dir;

  private final TimelineMapping shanghai = TimelineMapping.create();

  @Test
  void theContainerTimeComesFirstAndTheNameGivesTheSequence() throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[1], dir.resolve("x.mp4"));
    RecordingTimeline t = MediaProbe.create().probe(f);
    Placement p = shanghai.place(Fixtures.SPLIT3[1], t);
    assertEquals(Placement.TimeSource.CONTAINER, p.source());
    assertEquals(Instant.parse("2023-06-01T14:10:03Z"), p.start().orElseThrow());
    assertEquals(OptionalInt.of(2), p.sequence());
    // the name is read in local time: 14:10:03 in Shanghai is 06:10:03Z
    assertEquals(Instant.parse("2023-06-01T06:10:03Z"), p.nameTime().orElseThrow());
    RecordingSpan s =
        shanghai.span(
            "k", p, "DEVCAM7", "p", Duration.ofSeconds(4), Instant.parse("2023-06-01T16:00:00Z"));
    assertEquals(p.start().get(), s.start());
    assertEquals(p.end().get(), s.end());
    assertEquals(Duration.ofSeconds(4), s.clockOffset().orElseThrow());
    assertEquals(OptionalInt.of(2), s.sequence());
  }

  @Test
  void anEditListThatHidesMediaIsReportedAsAnEditedRecording() throws Exception {
    // evidence-video made/make.sh 7: a clean 6 s recording whose edit lists skip media 2-4 s
    String name = "DEVCAM7_20230601_140000_001.mp4";
    Path f = Fixtures.copy("fixtures/made/edit-list-hides-2s.mp4", dir.resolve(name));
    Path honest = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("h.mp4"));
    RecordingSpan edited =
        shanghai.span(
            "e", shanghai.place(name, MediaProbe.create().probe(f)), "DEVCAM7", null, null, null);
    RecordingSpan clean =
        shanghai.span(
            "c",
            shanghai.place(Fixtures.SPLIT3[0], MediaProbe.create().probe(honest)),
            "DEVCAM8",
            null,
            null,
            null);
    assertEquals(Duration.ofSeconds(4), Duration.between(edited.start(), edited.end()));
    ContinuityReport r =
        ContinuityAnalyzer.create(ContinuityPolicy.defaults())
            .analyze(List.of(edited, clean), List.of(), List.of());
    List<ContinuityFinding> found = r.findings(ContinuityCode.EDITED_RECORDING);
    assertEquals(1, found.size(), r.findings().toString());
    assertEquals(List.of("e"), found.get(0).files());
    assertEquals(Severity.ERROR, found.get(0).severity());
    assertTrue(found.get(0).message().contains("edit list hides"), found.get(0).message());
  }

  /** The one finding of {@code code} about a made fixture probed, placed and analysed alone. */
  private ContinuityFinding madeFinding(String fixture, String code, Duration clockOffset)
      throws Exception {
    String name = "DEVCAM7_20230601_140000_001.mp4";
    Path f = Fixtures.copy("fixtures/made/" + fixture, dir.resolve(fixture));
    RecordingSpan s =
        shanghai.span(
            "x", shanghai.place(name, MediaProbe.create().probe(f)), "D", null, clockOffset, null);
    ContinuityReport r =
        ContinuityAnalyzer.create(ContinuityPolicy.defaults())
            .analyze(List.of(s), List.of(), List.of());
    List<ContinuityFinding> found = r.findings(code);
    assertEquals(1, found.size(), r.findings().toString());
    return found.get(0);
  }

  @Test
  void anEditListsHiddenStretchIsTheFindingsTimeOnTheCorrectedTimeline() throws Exception {
    // make.sh 7: recorded 14:00:00-14:00:06 by the camera, media 2-4 s hidden; the camera ran
    // 3 s ahead, so the hidden media was recorded 13:59:59 to 14:00:01
    ContinuityFinding e =
        madeFinding(
            "edit-list-hides-2s.mp4", ContinuityCode.EDITED_RECORDING, Duration.ofSeconds(3));
    Interval when = e.when().orElseThrow();
    assertEquals(
        Instant.parse("2023-06-01T13:59:59Z"), when.start().truncatedTo(ChronoUnit.MILLIS));
    assertEquals(Instant.parse("2023-06-01T14:00:01Z"), when.end().truncatedTo(ChronoUnit.MILLIS));
    assertTrue(e.message().contains("13:59:59") && e.message().contains("14:00:01"), e.message());
    // make.sh 12: the last 2 s of 6 hidden: a player shows 14:00:00-14:00:04, the media of
    // 14:00:04-14:00:06 is in the file and hidden, past the end the recording presents
    ContinuityFinding end =
        madeFinding("edit-list-hides-end.mp4", ContinuityCode.EDITED_RECORDING, null);
    assertEquals(
        new Interval(Instant.parse("2023-06-01T14:00:04Z"), Instant.parse("2023-06-01T14:00:06Z")),
        truncated(end.when().orElseThrow()));
  }

  private static Interval truncated(Interval i) {
    return new Interval(
        i.start().truncatedTo(ChronoUnit.MILLIS), i.end().truncatedTo(ChronoUnit.MILLIS));
  }

  @Test
  void aSpliceOrAJoinIsInDoubtFromWhereItIsToTheEnd() throws Exception {
    // make.sh 3: two 2 s encodes joined, stamped 16:00:00; the camera 2 s behind the trusted
    // clock: the second encode begins about 16:00:04 (the join's scar shortened the frame before
    // it by 40 ms), and the recording ends at 16:00:06
    ContinuityFinding s =
        madeFinding("spliced.mp4", ContinuityCode.SPLICED_FOOTAGE, Duration.ofSeconds(-2));
    Interval when = s.when().orElseThrow();
    Instant join = Instant.parse("2023-06-01T16:00:04Z");
    assertTrue(Duration.between(when.start(), join).abs().toMillis() <= 41, when.toString());
    assertEquals(Instant.parse("2023-06-01T16:00:06Z"), when.end());
    assertTrue(s.message().contains("spliced in at 2023-06-01T16:00:03.96"), s.message());
    // make.sh 6: 2-4 s cut out and the parts joined; the join is 2 s in, at 14:00:02, and what
    // follows it is moved up by the 2 s cut out: in doubt to the end; one audio frame's slack
    ContinuityFinding c = madeFinding("copy-cut-joined.mp4", ContinuityCode.EDITED_RECORDING, null);
    Interval cut = c.when().orElseThrow();
    assertTrue(
        Duration.between(cut.start(), Instant.parse("2023-06-01T14:00:02Z")).abs().toMillis() <= 47,
        cut.toString());
    assertEquals(Severity.WARNING, c.severity(), "a scar alone");
    assertTrue(cut.end().isAfter(Instant.parse("2023-06-01T14:00:04Z")), cut.toString());
    assertTrue(c.message().contains("first at 2023-06-01T14:00:0"), c.message());
  }

  @Test
  void aSealedRecordingsHiddenStretchFollowsTheSealedStart() throws Exception {
    // the report's path: the seal says the recording started 10:00:00 by the device (its header
    // says 14:00:00), the device 1 s ahead; make.sh 7 hid media 2-4 s: 10:00:01 to 10:00:03
    Path f = Fixtures.copy("fixtures/made/edit-list-hides-2s.mp4", dir.resolve("s.mp4"));
    Placement probed = shanghai.place("s.mp4", MediaProbe.create().probe(f));
    RecordingMetadata md =
        RecordingMetadata.builder()
            .deviceId("D")
            .recordingStart(Instant.parse("2023-06-01T10:00:00Z"))
            .recordingEnd(Instant.parse("2023-06-01T10:00:04Z"))
            .clockOffsetMillis(1000)
            .originalFileName("s.mp4")
            .build();
    RecordingSpan sealed = shanghai.span("k", md, probed).orElseThrow();
    ContinuityReport r =
        ContinuityAnalyzer.create(ContinuityPolicy.defaults())
            .analyze(List.of(sealed), List.of(), List.of());
    assertEquals(
        new Interval(Instant.parse("2023-06-01T10:00:01Z"), Instant.parse("2023-06-01T10:00:03Z")),
        truncated(r.findings(ContinuityCode.EDITED_RECORDING).get(0).when().orElseThrow()));
  }

  @Test
  void samplesTakenOutAreInDoubtFromWhereTheyWereCutToTheEnd() throws Exception {
    // make.sh 9: media 2-4 s taken out of the index of a 6 s recording of 14:00:00, their bytes
    // left: a player shows 4 s, from 14:00:02 on it is what was recorded 2 s later
    ContinuityFinding u =
        madeFinding("samples-taken-out.mp4", ContinuityCode.EDITED_RECORDING, null);
    assertEquals(
        new Interval(Instant.parse("2023-06-01T14:00:02Z"), Instant.parse("2023-06-01T14:00:04Z")),
        truncated(u.when().orElseThrow()));
  }

  @Test
  void aMissingFragmentIsInDoubtOnlyOverTheSecondItHeld() throws Exception {
    // evidence-video make.sh 2: a 4 s fragmented recording of 15:00:00Z (23:00 in Shanghai, as
    // its name says) whose third 1 s fragment was taken out; the camera ran 3 s ahead, so the
    // missing second was recorded 14:59:59 to 15:00:00
    String name = "DEVCAM7_20230601_230000_001.mp4";
    Path f = Fixtures.copy("fixtures/made/fragmented-missing-fragment.mp4", dir.resolve(name));
    RecordingSpan s =
        shanghai.span(
            "x",
            shanghai.place(name, MediaProbe.create().probe(f)),
            "D",
            null,
            Duration.ofSeconds(3),
            null);
    ContinuityReport r =
        ContinuityAnalyzer.create(ContinuityPolicy.defaults())
            .analyze(List.of(s), List.of(), List.of());
    List<ContinuityFinding> found = r.findings(ContinuityCode.EDITED_RECORDING);
    assertEquals(1, found.size(), r.findings().toString());
    assertEquals(Severity.ERROR, found.get(0).severity());
    assertEquals(
        new Interval(Instant.parse("2023-06-01T14:59:59Z"), Instant.parse("2023-06-01T15:00:00Z")),
        truncated(found.get(0).when().orElseThrow()));
    assertTrue(
        found.get(0).message().contains("FRAGMENT_DISCONTINUITY")
            && found.get(0).message().contains("14:59:59"),
        found.get(0).message());
  }

  @Test
  void aMissingFragmentKeepsTheRecordingsEndAndItsSecondIsAHoleInIt() throws Exception {
    // evidence-video make.sh 2: four 1 s fragments from 15:00:00Z, the third taken out. The
    // decode times say the recording ran 4 s (it was placed as 3 s, its samples' sum, ending a
    // second early) and the media of 2-3 s is not there: a hole the coverage leaves out
    String name = "DEVCAM7_20230601_230000_001.mp4";
    Path f = Fixtures.copy("fixtures/made/fragmented-missing-fragment.mp4", dir.resolve(name));
    Placement p = shanghai.place(name, MediaProbe.create().probe(f));
    Instant start = Instant.parse("2023-06-01T15:00:00Z");
    assertEquals(start, p.start().orElseThrow());
    assertEquals(start.plusSeconds(4), p.end().orElseThrow());
    assertEquals(List.of(new Interval(start.plusSeconds(2), start.plusSeconds(3))), p.gaps());
    RecordingSpan s = shanghai.span("x", p, "D", null, null, null);
    assertEquals(
        List.of(new Interval(start.plusSeconds(2), start.plusSeconds(3))), s.internalGaps());
    ContinuityReport r =
        ContinuityAnalyzer.create(ContinuityPolicy.defaults())
            .analyze(List.of(s), List.of(), List.of());
    List<ContinuityFinding> holes = r.findings(ContinuityCode.INTERNAL_GAP);
    assertEquals(1, holes.size(), r.findings().toString());
    assertEquals(
        new Interval(start.plusSeconds(2), start.plusSeconds(3)),
        truncated(holes.get(0).when().orElseThrow()));
  }

  @Test
  void aCutHiddenByRenumberingAndRetimingIsInDoubtFromWhereTheFragmentIndexStopsMatching()
      throws Exception {
    // evidence-video make.sh 1 (four 1 s fragments from 15:00:00Z, 12800 ticks a second) with its
    // third fragment taken out and the fourth renumbered 3 and moved up 1 s: numbering and decode
    // times run on, the file plays 3 s. Its fragment index still lists the fourth fragment where
    // the file now has none, so from the cut at 2 s to the end is in doubt
    byte[] d =
        java.nio.file.Files.readAllBytes(
            Fixtures.copy("fixtures/made/fragmented.mp4", dir.resolve("whole.mp4")));
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
    List<int[]> fragments = new java.util.ArrayList<>(); // moof offset, end of the mdat after it
    for (int p = 0, moof = -1; p + 8 <= d.length; p += b.getInt(p)) {
      if (b.getInt(p + 4) == 0x6d6f6f66) {
        moof = p;
      } else if (b.getInt(p + 4) == 0x6d646174 && moof >= 0) {
        fragments.add(new int[] {moof, p + b.getInt(p)});
        moof = -1;
      }
    }
    assertEquals(4, fragments.size());
    int[] third = fragments.get(2);
    int[] fourth = fragments.get(3);
    for (int i = fourth[0]; i + 16 < fourth[1]; i++) {
      if (b.getInt(i) == 0x6d666864) { // mfhd: its sequence number after version and flags
        b.putInt(i + 8, 3);
      } else if (b.getInt(i) == 0x74666474 && d[i + 4] == 1) { // tfdt v1
        b.putLong(i + 8, b.getLong(i + 8) - 12800);
      }
    }
    byte[] cut = new byte[d.length - (third[1] - third[0])];
    System.arraycopy(d, 0, cut, 0, third[0]);
    System.arraycopy(d, third[1], cut, third[0], d.length - third[1]);
    String name = "DEVCAM7_20230601_230000_001.mp4";
    Path f = java.nio.file.Files.write(dir.resolve(name), cut);
    RecordingSpan s =
        shanghai.span(
            "x", shanghai.place(name, MediaProbe.create().probe(f)), "D", null, null, null);
    Instant start = Instant.parse("2023-06-01T15:00:00Z");
    assertEquals(start.plusSeconds(3), s.end());
    assertTrue(s.internalGaps().isEmpty(), s.internalGaps().toString());
    ContinuityReport r =
        ContinuityAnalyzer.create(ContinuityPolicy.defaults())
            .analyze(List.of(s), List.of(), List.of());
    List<ContinuityFinding> found = r.findings(ContinuityCode.EDITED_RECORDING);
    assertEquals(1, found.size(), r.findings().toString());
    assertEquals(Severity.ERROR, found.get(0).severity());
    assertEquals(
        new Interval(start.plusSeconds(2), start.plusSeconds(3)),
        truncated(found.get(0).when().orElseThrow()));
  }

  @Test
  void aReStampedHeaderSaysNothingOfWhereSoTheWholeRecordingStaysInDoubt() throws Exception {
    // make.sh 8: the movie header alone re-stamped to 14:00, the recording 6 s long
    ContinuityFinding u =
        madeFinding("restamped-movie-header.mp4", ContinuityCode.EDITED_RECORDING, null);
    assertEquals(
        new Interval(Instant.parse("2023-06-01T14:00:00Z"), Instant.parse("2023-06-01T14:00:06Z")),
        truncated(u.when().orElseThrow()));
  }

  @Test
  void aFileRenamedToAnotherTimeIsReportedAsEditedAndItsOwnNameIsNot() throws Exception {
    // f02's first file, recorded 14:10:00 by its container (the camera's local time stored as
    // UTC, as its name says 14:10:00), renamed as if recorded at 16:30: nothing explains the
    // name, which is what a rename or a re-stamp hiding a late recording leaves
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("r.mp4"));
    RecordingTimeline t = MediaProbe.create().probe(f);
    RecordingSpan renamed =
        shanghai.span(
            "renamed",
            shanghai.place("DEVCAM7_20230601_163000_001.mp4", t),
            "DEVCAM7",
            null,
            null,
            null);
    RecordingSpan own =
        shanghai.span("own", shanghai.place(Fixtures.SPLIT3[0], t), "DEVCAM8", null, null, null);
    ContinuityReport r =
        ContinuityAnalyzer.create(ContinuityPolicy.defaults())
            .analyze(List.of(renamed, own), List.of(), List.of());
    List<ContinuityFinding> found = r.findings(ContinuityCode.EDITED_RECORDING);
    assertEquals(List.of("renamed"), found.stream().flatMap(x -> x.files().stream()).toList());
    assertTrue(found.get(0).message().contains("renamed or re-stamped"), found.get(0).message());
  }

  @Test
  void withoutAContainerTheNamePlacesIt() {
    Placement p = shanghai.place("VID_20230601_143000.mp4", null);
    assertEquals(Placement.TimeSource.FILE_NAME, p.source());
    assertEquals(Instant.parse("2023-06-01T06:30:00Z"), p.start().orElseThrow());
    // the time's own digits are not a sequence number
    assertEquals(OptionalInt.empty(), p.sequence());
    TimelineMapping utc = TimelineMapping.create(ZoneId.of("UTC"));
    assertEquals(
        Instant.parse("2023-06-01T14:30:00Z"),
        utc.place("CAM_20230601143000_0007.MP4", null).start().orElseThrow());
    assertEquals(OptionalInt.of(7), utc.place("CAM_20230601143000_0007.MP4", null).sequence());
  }

  @Test
  void theLargestSequenceNumbersANameGivesReachTheSpanExactly() {
    // a user's {seq} takes nine digits: numbers that differ stay apart all the way to the span the
    // analyzer sees, none is cut to a common ceiling
    TimelineMapping m =
        TimelineMapping.create(
            FileNameClock.standard(ZoneId.of("UTC"))
                .withPattern("DSJ-X1", "REC{yyyyMMdd}-{HHmmss}-{seq}"));
    Placement last = m.place("REC20230601-143000-999999999.mp4", null);
    Placement before = m.place("REC20230601-142000-999999998.mp4", null);
    assertEquals(OptionalInt.of(999_999_999), last.sequence());
    assertEquals(OptionalInt.of(999_999_998), before.sequence());
    assertEquals(
        OptionalInt.of(999_999_999), m.span("last", last, "X1", null, null, null).sequence());
    assertEquals(
        OptionalInt.of(999_999_998), m.span("before", before, "X1", null, null, null).sequence());
    // ten digits are no {seq}: the name gives no sequence rather than a changed one
    assertEquals(
        OptionalInt.empty(), m.place("REC20230601-143000-1234567890.mp4", null).sequence());
  }

  @Test
  void aDurationBecomesTheNearestNanosecondNotOneBelow() {
    // 1.001 s is 1.0009999999999999 as a double: cut off, a sealed end fell a nanosecond short
    // of the container's (…:01.000999999Z for …:01.001Z, R-08)
    assertEquals(1_001_000_000L, TimelineMapping.nanos(1.001));
    assertEquals(2_002_000_000L, TimelineMapping.nanos(2.002));
    assertEquals(100_000_000L, TimelineMapping.nanos(0.1));
    assertEquals(3_600_033_000_000L, TimelineMapping.nanos(3600.033));
    assertEquals(0L, TimelineMapping.nanos(0));
    // an edit list's 1001/30000 s frame stays within half a nanosecond of its exact value
    assertEquals(33_366_667L, TimelineMapping.nanos(1001.0 / 30000));
    for (int ms = 0; ms < 100_000; ms += 7) {
      assertEquals(ms * 1_000_000L, TimelineMapping.nanos(ms / 1000.0), ms + " ms");
    }
  }

  @Test
  void digitsThatAreNoDateTimeDoNotPlaceAFile() {
    for (String name : new String[] {"FILE0001.MP4", "20231345_250000.mp4", "clip.mp4"}) {
      Placement p = shanghai.place(name, null);
      assertFalse(p.placed(), name);
      assertEquals(Placement.TimeSource.NONE, p.source(), name);
      assertThrows(
          IllegalArgumentException.class, () -> shanghai.span(name, p, "D", null, null, null));
    }
  }

  @Test
  void aSealedRecordingBecomesTheSameSpanInReports() throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("y.mp4"));
    Placement probed = shanghai.place(Fixtures.SPLIT3[0], MediaProbe.create().probe(f));
    RecordingMetadata md =
        RecordingMetadata.builder()
            .deviceId("DEVCAM7")
            .officerId("p")
            .recordingStart(probed.start().get())
            .recordingEnd(probed.end().get())
            .clockOffsetMillis(4000)
            .ingestTime(Instant.parse("2023-06-01T16:00:00Z"))
            .originalFileName(Fixtures.SPLIT3[0])
            .build();
    RecordingSpan fromSeal = shanghai.span("k", md, probed).orElseThrow();
    RecordingSpan atIngest =
        shanghai.span(
            "k",
            probed,
            "DEVCAM7",
            "p",
            Duration.ofSeconds(4),
            Instant.parse("2023-06-01T16:00:00Z"));
    assertEquals(atIngest.start(), fromSeal.start());
    assertEquals(atIngest.end(), fromSeal.end());
    assertEquals(atIngest.sequence(), fromSeal.sequence());
    assertEquals(atIngest.clockOffset(), fromSeal.clockOffset());
    assertEquals(atIngest.internalGaps(), fromSeal.internalGaps());
    assertTrue(shanghai.span("k", RecordingMetadata.builder().build(), null).isEmpty());
  }
}
