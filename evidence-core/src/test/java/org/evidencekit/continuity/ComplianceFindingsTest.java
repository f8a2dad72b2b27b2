package org.evidencekit.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.evidencekit.continuity.ContinuityFinding.Severity;
import org.evidencekit.continuity.ContinuitySummary.Verdict;
import org.junit.jupiter.api.Test;

/**
 * Findings a legal section can act on: Art. 12-17 and 21, one finding per fact, in two languages.
 */
class ComplianceFindingsTest {
  static final Instant T = Instant.parse("2023-06-01T14:00:00Z");
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  static Instant at(double seconds) {
    return T.plusMillis(Math.round(seconds * 1000));
  }

  static RecordingSpan.Builder rec(String id, String device, int seq, double from, double to) {
    return RecordingSpan.builder(id)
        .deviceId(device)
        .officerId("officer-" + device)
        .sequence(seq)
        .start(at(from))
        .end(at(to));
  }

  static EnforcementAction action(String id, String type, double from, double to, String device) {
    return EnforcementAction.builder()
        .id(id)
        .type(type)
        .span(new Interval(at(from), at(to)))
        .place("Shizhong district")
        .deviceIds(List.of(device))
        .build();
  }

  static ContinuityReport analyze(List<RecordingSpan> rs, List<EnforcementAction> as) {
    return ContinuityAnalyzer.create().analyze(rs, as, List.of());
  }

  static List<String> codes(ContinuityReport r) {
    return r.findings().stream().map(ContinuityFinding::code).toList();
  }

  @Test
  void aTruncatedRecordingCountsOnlyTheMediaPresent() {
    // the index declares 8 s, 4.3 s of media is in the file (R-02, Art. 16)
    RecordingSpan cut = rec("cut", "CAM1", 1, 0, 8).playableUntil(at(4.3)).build();
    ContinuityReport r =
        analyze(
            List.of(cut), List.of(action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 8, "CAM1")));
    ActionCoverage c = r.coverage().get(0);
    assertEquals(4.3, c.recordedSeconds(), 1e-9);
    assertEquals(4.3 / 8, c.ratio(), 1e-9);
    ContinuityFinding t = r.findings(ContinuityCode.TRUNCATED_RECORDING).get(0);
    assertEquals(Severity.ERROR, t.severity(), "lost media of a mandatory action");
    assertTrue(t.message().contains("3.700 s of the 8.000 s"), t.message());
    assertEquals("I", t.actionId().orElseThrow());
    // the lost end is one fact: not also an EARLY_STOP
    assertEquals(List.of(ContinuityCode.TRUNCATED_RECORDING), codes(r));
    assertTrue(r.hasErrors());
    assertEquals(4.3, r.sessions().get(0).recordedSeconds(), 1e-9);
  }

  @Test
  void aDamagedStretchInTheMiddleIsLostTooAndOutsideActionsOnlyAWarning() {
    RecordingSpan damaged =
        rec("d", "CAM1", 1, 0, 10).addLostMedia(new Interval(at(2), at(3.5))).build();
    ContinuityReport in =
        analyze(List.of(damaged), List.of(action("H", EnforcementAction.HEARING, 0, 10, "CAM1")));
    assertEquals(8.5, in.coverage().get(0).recordedSeconds(), 1e-9);
    assertEquals(Severity.ERROR, in.findings(ContinuityCode.TRUNCATED_RECORDING).get(0).severity());
    assertFalse(in.has(ContinuityCode.BREAK_IN_ACTION), in.findings().toString());
    ContinuityReport out = analyze(List.of(damaged), List.of());
    assertEquals(
        Severity.WARNING, out.findings(ContinuityCode.TRUNCATED_RECORDING).get(0).severity());
    assertThrows(
        IllegalArgumentException.class,
        () -> rec("x", "CAM1", 1, 0, 10).addLostMedia(new Interval(at(9), at(11))).build());
  }

  @Test
  void aPowerLossFileInAMandatoryActionIsAnErrorEvenWhenTheLossCannotBeMeasured() {
    // no index left: the container cannot say how much was declared, only that the end is lost
    RecordingSpan r = rec("p", "CAM1", 1, 0, 5).addContainerFinding("MOOV_MISSING").build();
    ContinuityReport in =
        analyze(
            List.of(r), List.of(action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 5, "CAM1")));
    ContinuityFinding f = in.findings(ContinuityCode.TRUNCATED_RECORDING).get(0);
    assertEquals(Severity.ERROR, f.severity());
    assertEquals("I", f.actionId().orElseThrow());
    ContinuityReport out = analyze(List.of(r), List.of());
    assertEquals(
        Severity.WARNING, out.findings(ContinuityCode.TRUNCATED_RECORDING).get(0).severity());
  }

  /**
   * A media segment analysed alone (no movie box, fragments only) is not damage, and is never
   * silent: a fragmented recording whose header was stripped reads the same way (R-13).
   */
  @Test
  void aMediaSegmentAloneIsAWarningNeverTruncationNorSilence() {
    RecordingSpan r = rec("seg", "CAM1", 1, 0, 6).addContainerFinding("MEDIA_SEGMENT").build();
    ContinuityReport in =
        analyze(
            List.of(r), List.of(action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 6, "CAM1")));
    List<ContinuityFinding> found = in.findings(ContinuityCode.SEGMENT_WITHOUT_INIT);
    assertEquals(1, found.size(), in.findings().toString());
    assertEquals(Severity.WARNING, found.get(0).severity());
    assertEquals("I", found.get(0).actionId().orElseThrow());
    assertEquals(List.of(), in.findings(ContinuityCode.TRUNCATED_RECORDING));
    assertEquals(
        1, analyze(List.of(r), List.of()).findings(ContinuityCode.SEGMENT_WITHOUT_INIT).size());
  }

  @Test
  void continuationsAndFilesOfTheNextActionAreNotPostHoc() {
    List<RecordingSpan> rs = new ArrayList<>();
    // one session of 10 contiguous 60 s files; the inspection covers the first five
    for (int i = 0; i < 10; i++) {
      rs.add(rec("s" + i, "CAM1", i + 1, i * 60, (i + 1) * 60).build());
    }
    // a file 30 min later covering the next action on the same device
    rs.add(rec("next", "CAM1", 11, 2400, 2700).build());
    // a file 40 min after the last action, belonging to nothing
    rs.add(rec("after", "CAM1", 12, 5100, 5160).build());
    ContinuityReport r =
        analyze(
            rs,
            List.of(
                action("A1", EnforcementAction.ON_SITE_INSPECTION, 0, 300, "CAM1"),
                action("A2", EnforcementAction.HEARING, 2400, 2700, "CAM1")));
    List<ContinuityFinding> ph = r.findings(ContinuityCode.POST_HOC_RECORDING);
    assertEquals(1, ph.size(), r.findings().toString());
    assertEquals(List.of("after"), ph.get(0).files());
    assertEquals(Severity.WARNING, ph.get(0).severity());
    assertEquals("A2", ph.get(0).actionId().orElseThrow());
    // a recording is suspected or listed for review, never both
    assertFalse(r.has(ContinuityCode.UNLINKED_RECORDING), r.findings().toString());
    assertEquals(List.of(ContinuityCode.POST_HOC_RECORDING), codes(r));
  }

  @Test
  void art17CountsFromTheEndOfTheActionOncePerAction() {
    List<RecordingSpan> rs = new ArrayList<>();
    // a 5-minute inspection recorded in 100 split files of 3 s, ingested together
    Instant end = at(300);
    for (int i = 0; i < 100; i++) {
      rs.add(
          rec("f" + i, "CAM1", i + 1, i * 3, (i + 1) * 3)
              .ingestTime(end.plus(Duration.ofHours(23).plusMinutes(59)))
              .build());
    }
    EnforcementAction a = action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 300, "CAM1");
    ContinuityReport inTime = analyze(rs, List.of(a));
    assertTrue(inTime.findings().isEmpty(), inTime.findings().toString());

    Instant late = end.plus(Duration.ofHours(24).plusSeconds(52));
    List<RecordingSpan> lateRs =
        rs.stream().map(x -> x.toBuilder().ingestTime(late).build()).toList();
    ContinuityReport r = analyze(lateRs, List.of(a));
    List<ContinuityFinding> li = r.findings(ContinuityCode.LATE_INGEST);
    assertEquals(1, li.size());
    assertEquals(100, li.get(0).files().size());
    assertEquals("Art. 17", li.get(0).article());
    assertTrue(li.get(0).message().contains("24 h 0 min 52 s after"), li.get(0).message());
    assertTrue(li.get(0).message().contains("deadline 24 h 0 min 0 s"), li.get(0).message());
    assertEquals(new Interval(end, late), li.get(0).when().orElseThrow());
  }

  @Test
  void art17WithoutAnActionCountsFromTheEndOfTheContinuousSession() {
    Instant ingest = at(600).plus(Duration.ofHours(24)).plusSeconds(1);
    List<RecordingSpan> rs =
        List.of(
            rec("a", "CAM1", 1, 0, 300).ingestTime(ingest).build(),
            rec("b", "CAM1", 2, 300, 600).ingestTime(ingest).build());
    ContinuityReport r = analyze(rs, List.of());
    List<ContinuityFinding> li = r.findings(ContinuityCode.LATE_INGEST);
    assertEquals(1, li.size(), r.findings().toString());
    assertTrue(li.get(0).message().contains("24 h 0 min 1 s after"), li.get(0).message());
    ContinuityReport inTime =
        analyze(
            rs.stream().map(x -> x.toBuilder().ingestTime(ingest.minusSeconds(2)).build()).toList(),
            List.of());
    assertFalse(inTime.has(ContinuityCode.LATE_INGEST), inTime.findings().toString());
  }

  @Test
  void timesInMessagesAreShownToTheMillisecondAndAgreeWithTheDurations() {
    // an ingest time taken from a clock carries nanoseconds; seals record milliseconds (R-08)
    Instant ingest = at(8).plus(Duration.ofHours(30)).plusNanos(645_677_907);
    // a gap whose ends carry sub-millisecond parts: 2.9996 s to 5.0004 s is printed as
    // 2.999 s to 5.000 s, so its length must read 2.001 s, not 2.000 s
    RecordingSpan cut =
        rec("cut", "CAM1", 1, 0, 8)
            .addInternalGap(new Interval(at(3).minusNanos(400_000), at(5).plusNanos(400_000)))
            .build();
    ContinuityReport r = analyze(List.of(cut.toBuilder().ingestTime(ingest).build()), List.of());
    ContinuityFinding late = r.findings(ContinuityCode.LATE_INGEST).get(0);
    String en = late.message();
    assertTrue(en.contains("last ingested 2023-06-02T20:00:08.645Z"), en);
    assertTrue(en.contains("30 h 0 min 0.645 s after"), en);
    assertFalse(en.contains("645677907") || en.contains("645677"), en);
    String zh = late.message(Locale.CHINESE, SHANGHAI);
    assertTrue(zh.contains("最后导入 2023-06-03 04:00:08.645"), zh);
    ContinuityFinding gap = r.findings(ContinuityCode.INTERNAL_GAP).get(0);
    String g = gap.message();
    assertTrue(g.contains("2.001 s hole from 2023-06-01T14:00:02.999Z to 2023-06-01T14:00:05Z"), g);
  }

  /**
   * The clock offset is whatever the signer of a seal wrote: a recording ingested five days after
   * it ended, sealed with an honest ingest time and an offset of 4 d 12 h "behind", had its
   * corrected end moved to 12 h before the ingest and passed Art. 17 (R-14). Judged also by the
   * device's own times, the ingest is late, and only the unattested offset says otherwise.
   */
  @Test
  void anIngestInTimeOnlyByItsClockOffsetIsAFinding() {
    Instant ingested = at(300).plus(Duration.ofDays(5));
    Duration offset = Duration.ofDays(-4).minusHours(12);
    List<RecordingSpan> rs =
        List.of(
            rec("a", "CAM1", 1, 0, 150).clockOffset(offset).ingestTime(ingested).build(),
            rec("b", "CAM1", 2, 150, 300).clockOffset(offset).ingestTime(ingested).build());
    ContinuityReport r = analyze(rs, List.of());
    assertFalse(r.has(ContinuityCode.LATE_INGEST), r.findings().toString());
    List<ContinuityFinding> f = r.findings(ContinuityCode.LATE_INGEST_UNCORRECTED);
    assertEquals(1, f.size(), r.findings().toString());
    assertEquals(Severity.ERROR, f.get(0).severity());
    assertEquals("Art. 17", f.get(0).article());
    assertEquals(List.of("a", "b"), f.get(0).files());
    // from the end by the device's own clock to the ingest: five days
    assertEquals(new Interval(at(300), ingested), f.get(0).when().orElseThrow());
    String en = f.get(0).message();
    assertTrue(en.contains("5 d") || en.contains("120 h"), en);
    assertTrue(en.contains("4 d 12 h") || en.contains("108 h"), en);

    // the same files without the offset are simply late
    ContinuityReport plain =
        analyze(List.of(rec("a", "CAM1", 1, 0, 150).ingestTime(ingested).build()), List.of());
    assertTrue(plain.has(ContinuityCode.LATE_INGEST), plain.findings().toString());
    assertFalse(plain.has(ContinuityCode.LATE_INGEST_UNCORRECTED), plain.findings().toString());
  }

  /**
   * Honest offsets are not flagged: a camera writing local time (UTC+8) as if it were UTC is 8 h
   * ahead, so its own times put the end later, never earlier; a camera a few minutes behind is
   * flagged only when those minutes decide the deadline. Late by both times is LATE_INGEST alone.
   */
  /** A 300 s recording from T as a camera whose clock is {@code off} from true time records it. */
  private static RecordingSpan.Builder shifted(Duration off) {
    return RecordingSpan.builder("a")
        .deviceId("CAM1")
        .officerId("officer-CAM1")
        .sequence(1)
        .start(at(0).plus(off))
        .end(at(300).plus(off));
  }

  @Test
  void honestClockOffsetsDoNotDecideArt17() {
    Duration local = Duration.ofHours(8);
    Instant trueEnd = at(300);
    List<RecordingSpan> ahead =
        List.of(
            shifted(local)
                .clockOffset(local)
                .ingestTime(trueEnd.plus(Duration.ofHours(23)))
                .build());
    ContinuityReport r = analyze(ahead, List.of());
    assertEquals(List.of(ContinuityCode.CLOCK_OFFSET), codes(r));

    Duration behind = Duration.ofMinutes(-3);
    ContinuityReport slightly =
        analyze(
            List.of(
                shifted(behind)
                    .clockOffset(behind)
                    .ingestTime(trueEnd.plus(Duration.ofHours(23)))
                    .build()),
            List.of());
    assertEquals(List.of(ContinuityCode.CLOCK_OFFSET), codes(slightly));

    ContinuityReport lateAnyway =
        analyze(
            List.of(
                rec("a", "CAM1", 1, 0, 300)
                    .clockOffset(Duration.ofHours(-2))
                    .ingestTime(trueEnd.plus(Duration.ofDays(3)))
                    .build()),
            List.of());
    assertEquals(
        List.of(ContinuityCode.CLOCK_OFFSET, ContinuityCode.LATE_INGEST), codes(lateAnyway));
  }

  /**
   * An offset stated further "behind" than needed: the card ingested five days after it ended,
   * sealed with a clock 6 d behind, has its corrected end a day after its ingest. That was only
   * INGEST_BEFORE_END (a warning) and the late ingest went unflagged; by the device's own clock it
   * is late, so it is LATE_INGEST_UNCORRECTED as well (Art. 17, R-14).
   */
  @Test
  void anOffsetThatPutsTheEndAfterTheIngestDoesNotHideALateIngest() {
    Instant ingested = at(300).plus(Duration.ofDays(5));
    ContinuityReport r =
        analyze(
            List.of(
                rec("a", "CAM1", 1, 0, 300)
                    .clockOffset(Duration.ofDays(-6))
                    .ingestTime(ingested)
                    .build()),
            List.of());
    assertTrue(r.has(ContinuityCode.INGEST_BEFORE_END), r.findings().toString());
    List<ContinuityFinding> f = r.findings(ContinuityCode.LATE_INGEST_UNCORRECTED);
    assertEquals(1, f.size(), r.findings().toString());
    assertEquals(Severity.ERROR, f.get(0).severity());
    assertEquals(new Interval(at(300), ingested), f.get(0).when().orElseThrow());

    // an ingest before the end by the device's own clock too is not late by any clock
    ContinuityReport early =
        analyze(
            List.of(
                rec("a", "CAM1", 1, 0, 300)
                    .clockOffset(Duration.ofMinutes(-5))
                    .ingestTime(at(200))
                    .build()),
            List.of());
    assertFalse(early.has(ContinuityCode.LATE_INGEST_UNCORRECTED), early.findings().toString());
    assertTrue(early.has(ContinuityCode.INGEST_BEFORE_END), early.findings().toString());
  }

  /**
   * Two seals of one device whose stated offsets contradict their content: files recorded back to
   * back by the device's clock (one chaptered recording) were moved apart, the second an hour later
   * (to cover an action it never saw) or an hour earlier, before its predecessor. Each seal's
   * offset alone was only CLOCK_OFFSET, as an honest one is; together they place the device's files
   * where it could not have recorded them (R-08, R-14).
   */
  @Test
  void contradictoryOffsetsOfOneDeviceAreAFinding() {
    Instant dock = at(600).plus(Duration.ofHours(2));
    for (Duration moved : List.of(Duration.ofHours(-1), Duration.ofHours(1))) {
      ContinuityReport r =
          analyze(
              List.of(
                  rec("a", "CAM1", 1, 0, 300).clockOffset(Duration.ZERO).ingestTime(dock).build(),
                  rec("b", "CAM1", 2, 300, 600).clockOffset(moved).ingestTime(dock).build()),
              List.of());
      List<ContinuityFinding> f = r.findings(ContinuityCode.CLOCK_OFFSET_CONFLICT);
      assertEquals(1, f.size(), moved + ": " + r.findings());
      assertEquals(Severity.ERROR, f.get(0).severity());
      assertEquals(List.of("a", "b"), f.get(0).files());
      String en = f.get(0).message();
      assertTrue(en.contains("1 h"), en);
    }

    // not back to back, but numbered and recorded in order by the device's clock: an offset that
    // moves the second before its predecessor contradicts both
    ContinuityReport before =
        analyze(
            List.of(
                rec("a", "CAM1", 1, 0, 300).ingestTime(dock).build(),
                rec("b", "CAM1", 2, 900, 1200)
                    .clockOffset(Duration.ofHours(1))
                    .ingestTime(dock)
                    .build()),
            List.of());
    assertEquals(
        List.of("a", "b"),
        before.findings(ContinuityCode.CLOCK_OFFSET_CONFLICT).get(0).files(),
        before.findings().toString());

    // not numbered (files named by time only): recorded in order by the device's clock with no
    // docking between them (the second was ingested after the first began), so no clock was set
    // between them that could reverse them
    ContinuityReport unnumbered =
        analyze(
            List.of(
                RecordingSpan.builder("a")
                    .deviceId("CAM1")
                    .start(at(0))
                    .end(at(300))
                    .ingestTime(dock)
                    .build(),
                RecordingSpan.builder("b")
                    .deviceId("CAM1")
                    .start(at(900))
                    .end(at(1200))
                    .clockOffset(Duration.ofHours(1))
                    .ingestTime(dock)
                    .build()),
            List.of());
    assertEquals(
        List.of("a", "b"),
        unnumbered.findings(ContinuityCode.CLOCK_OFFSET_CONFLICT).get(0).files(),
        unnumbered.findings().toString());
  }

  /**
   * Offsets that differ honestly are not contradictory: a clock set right between two dockings (8 h
   * ahead, then correct) with a file recorded soon after, whose own time is then before the
   * first's; a few seconds of difference in the measured offset of back-to-back files; a sequence
   * counter that wrapped; files of one docking, all with the same offset.
   */
  @Test
  void honestlyDifferentOffsetsAreNoConflict() {
    Duration local = Duration.ofHours(8);
    // a: true 0..300, clock 8 h ahead; b: true 3600..3900, clock set right
    List<RecordingSpan> reset =
        List.of(
            RecordingSpan.builder("a")
                .deviceId("CAM1")
                .officerId("officer-CAM1")
                .sequence(1)
                .start(at(0).plus(local))
                .end(at(300).plus(local))
                .clockOffset(local)
                .ingestTime(at(1800))
                .build(),
            rec("b", "CAM1", 2, 3600, 3900)
                .clockOffset(Duration.ZERO)
                .ingestTime(at(7200))
                .build());
    ContinuityReport r = analyze(reset, List.of());
    assertFalse(r.has(ContinuityCode.CLOCK_OFFSET_CONFLICT), r.findings().toString());
    // the same without sequence numbers: the first was ingested (its clock set) before the second
    // was recorded
    List<RecordingSpan> resetUnnumbered =
        List.of(
            RecordingSpan.builder("a")
                .deviceId("CAM1")
                .start(at(0).plus(local))
                .end(at(300).plus(local))
                .clockOffset(local)
                .ingestTime(at(1800))
                .build(),
            RecordingSpan.builder("b")
                .deviceId("CAM1")
                .start(at(3600))
                .end(at(3900))
                .clockOffset(Duration.ZERO)
                .ingestTime(at(7200))
                .build());
    ContinuityReport ru = analyze(resetUnnumbered, List.of());
    assertFalse(ru.has(ContinuityCode.CLOCK_OFFSET_CONFLICT), ru.findings().toString());

    ContinuityReport noise =
        analyze(
            List.of(
                rec("a", "CAM1", 1, 0, 300)
                    .clockOffset(Duration.ofSeconds(-180))
                    .ingestTime(at(3600))
                    .build(),
                rec("b", "CAM1", 2, 300, 600)
                    .clockOffset(Duration.ofSeconds(-188))
                    .ingestTime(at(7200))
                    .build()),
            List.of());
    assertFalse(noise.has(ContinuityCode.CLOCK_OFFSET_CONFLICT), noise.findings().toString());

    ContinuityReport wrapped =
        analyze(
            List.of(
                rec("a", "CAM1", 9999, 0, 300).clockOffset(local).ingestTime(at(3600)).build(),
                rec("b", "CAM1", 1, 7200, 7500)
                    .clockOffset(Duration.ZERO)
                    .ingestTime(at(9000))
                    .build()),
            List.of());
    assertFalse(wrapped.has(ContinuityCode.CLOCK_OFFSET_CONFLICT), wrapped.findings().toString());

    Duration same = Duration.ofMinutes(-7);
    ContinuityReport oneDocking =
        analyze(
            List.of(
                rec("a", "CAM1", 1, 0, 300).clockOffset(same).ingestTime(at(3600)).build(),
                rec("b", "CAM1", 2, 300, 600).clockOffset(same).ingestTime(at(3600)).build()),
            List.of());
    assertFalse(
        oneDocking.has(ContinuityCode.CLOCK_OFFSET_CONFLICT), oneDocking.findings().toString());
  }

  /**
   * A clock 20 s behind is within the clock tolerance (30 s: no CLOCK_OFFSET), yet an ingest in the
   * last seconds of the deadline was LATE_INGEST_UNCORRECTED, an error, for those 20 s: the
   * device's own clock now counts as late only beyond the deadline and the clock tolerance (R-08,
   * R-14).
   */
  @Test
  void anOffsetWithinTheClockToleranceNeverDecidesArt17() {
    Duration behind = Duration.ofSeconds(-20);
    ContinuityReport r =
        analyze(
            List.of(
                shifted(behind)
                    .clockOffset(behind)
                    .ingestTime(at(300).plus(Duration.ofHours(24)).minusSeconds(5))
                    .build()),
            List.of());
    assertEquals(List.of(), codes(r));

    // a week "behind" still is
    ContinuityReport week =
        analyze(
            List.of(
                shifted(Duration.ZERO)
                    .clockOffset(Duration.ofDays(-7))
                    .ingestTime(at(300).plus(Duration.ofDays(7)))
                    .build()),
            List.of());
    assertTrue(week.has(ContinuityCode.LATE_INGEST_UNCORRECTED), week.findings().toString());
  }

  @Test
  void anIngestTimeBeforeTheEndIsAFinding() {
    ContinuityReport r =
        analyze(List.of(rec("a", "CAM1", 1, 0, 300).ingestTime(at(100)).build()), List.of());
    assertEquals(List.of(ContinuityCode.INGEST_BEFORE_END), codes(r));
  }

  @Test
  void refusalToProvideEvidenceIsMandatoryAndBureausAddTheirOwnTypes() {
    ContinuityReport r =
        analyze(
            List.of(),
            List.of(action("R", EnforcementAction.REFUSAL_TO_PROVIDE_EVIDENCE, 0, 60, "CAM1")));
    ContinuityFinding f = r.findings(ContinuityCode.ACTION_NOT_RECORDED).get(0);
    assertEquals(Severity.ERROR, f.severity());
    assertEquals("Art. 13(3), 21(1)", f.article());

    EnforcementAction seal = action("S", "sealing-up", 0, 60, "CAM1");
    assertEquals(
        Severity.WARNING,
        analyze(List.of(), List.of(seal))
            .findings(ContinuityCode.ACTION_NOT_RECORDED)
            .get(0)
            .severity());
    ContinuityPolicy policy = ContinuityPolicy.defaults().withMandatoryTypes(Set.of("sealing-up"));
    ContinuityFinding custom =
        ContinuityAnalyzer.create(policy)
            .analyze(List.of(), List.of(seal), List.of())
            .findings(ContinuityCode.ACTION_NOT_RECORDED)
            .get(0);
    assertEquals(Severity.ERROR, custom.severity());
    assertEquals("Art. 13(5), 21(1)", custom.article());
  }

  @Test
  void aNearMissOfAKnownTypeIsANoticeAndStaysAsWritten() {
    ContinuityReport r =
        analyze(
            List.of(rec("a", "CAM1", 1, 0, 30).build()),
            List.of(action("I", "on-site inspection", 0, 60, "CAM1")));
    ContinuityFinding n = r.findings(ContinuityCode.UNKNOWN_ACTION_TYPE).get(0);
    assertEquals(Severity.INFO, n.severity());
    assertTrue(n.message().contains("'on-site-inspection'"), n.message());
    assertFalse(r.coverage().get(0).mandatory());
    assertEquals(Severity.WARNING, r.findings(ContinuityCode.EARLY_STOP).get(0).severity());
    // an unrelated custom type is no notice
    assertFalse(
        analyze(List.of(), List.of(action("X", "consultation", 0, 60, "CAM1")))
            .has(ContinuityCode.UNKNOWN_ACTION_TYPE));
  }

  @Test
  void emptyTypesAndDuplicateIdsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> action("A", " ", 0, 1, "CAM1"));
    assertThrows(IllegalArgumentException.class, () -> action("", "hearing", 0, 1, "CAM1"));
    EnforcementAction a = action("A", EnforcementAction.HEARING, 0, 1, "CAM1");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> analyze(List.of(), List.of(a, a)));
    assertTrue(e.getMessage().contains("action A appears twice"), e.getMessage());
  }

  @Test
  void anUnrecordedInquiryIsOneFindingAndTheMarkerSatisfiesArt12() {
    EnforcementAction q = action("Q", EnforcementAction.INQUIRY, 0, 300, "CAM1");
    ContinuityReport none = analyze(List.of(), List.of(q));
    assertEquals(List.of(ContinuityCode.ACTION_NOT_RECORDED), codes(none));
    assertEquals(Severity.WARNING, none.findings().get(0).severity());
    RecordingSpan marked =
        rec("a", "CAM1", 1, 0, 300).partyInformedAt(at(15)).partyInformedBy("officer-7").build();
    assertEquals("officer-7", marked.partyInformedBy().orElseThrow());
    assertTrue(analyze(List.of(marked), List.of(q)).findings().isEmpty());
    ContinuityReport tooLate =
        analyze(List.of(rec("a", "CAM1", 1, 0, 300).partyInformedAt(at(200)).build()), List.of(q));
    assertEquals(List.of(ContinuityCode.PARTY_NOT_INFORMED), codes(tooLate));
  }

  @Test
  void aDocumentMadeDuringARecordedActionMustNoteTheRecording() {
    List<RecordingSpan> rs = List.of(rec("a", "CAM1", 1, 0, 300).build());
    List<EnforcementAction> as =
        List.of(action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 300, "CAM1"));
    WrittenDocument silent =
        new WrittenDocument("D1", "inspection record", new Interval(at(0), at(300)), List.of());
    ContinuityReport r = ContinuityAnalyzer.create().analyze(rs, as, List.of(silent));
    ContinuityFinding f = r.findings(ContinuityCode.DOCUMENT_CITES_NO_RECORDING).get(0);
    assertEquals("Art. 14", f.article());
    assertEquals(Severity.ERROR, f.severity());
    assertEquals("I", f.actionId().orElseThrow());
    WrittenDocument noting =
        new WrittenDocument("D2", "inspection record", new Interval(at(0), at(300)), List.of("a"));
    assertTrue(ContinuityAnalyzer.create().analyze(rs, as, List.of(noting)).findings().isEmpty());
    // a mismatch counts against the action the document's recordings belong to
    WrittenDocument wrong =
        new WrittenDocument("D4", "inspection record", new Interval(at(0), at(900)), List.of("a"));
    ContinuityReport m = ContinuityAnalyzer.create().analyze(rs, as, List.of(wrong));
    assertEquals(
        "I", m.findings(ContinuityCode.DOCUMENT_TIME_MISMATCH).get(0).actionId().orElseThrow());
    assertEquals(ContinuitySummary.Verdict.NON_COMPLIANT, m.summary().actions().get("I"));
    // a document outside any recorded action need not cite anything
    WrittenDocument elsewhere =
        new WrittenDocument("D3", "notice", new Interval(at(5000), at(5100)), List.of());
    assertTrue(
        ContinuityAnalyzer.create().analyze(rs, as, List.of(elsewhere)).findings().isEmpty());
  }

  @Test
  void aMissingListedOrUnreadableRecordingIsAnArt21Finding() {
    EnforcementAction listed =
        EnforcementAction.builder()
            .id("H")
            .type(EnforcementAction.HEARING)
            .span(new Interval(at(0), at(300)))
            .recordingIds(List.of("a", "gone"))
            .build();
    ContinuityReport r =
        ContinuityAnalyzer.create()
            .analyze(
                List.of(rec("a", "CAM1", 1, 0, 300).build()),
                List.of(listed),
                List.of(),
                List.of("broken.mp4"));
    List<ContinuityFinding> m = r.findings(ContinuityCode.RECORDING_MISSING);
    assertEquals(2, m.size(), r.findings().toString());
    assertEquals(
        Set.of("gone", "broken.mp4"), Set.of(m.get(0).files().get(0), m.get(1).files().get(0)));
    assertTrue(m.stream().allMatch(f -> f.article().equals("Art. 21(2)")));
    assertEquals(1.0, r.coverage().get(0).ratio(), 1e-9, "the rest is analysed");
  }

  @Test
  void aCutInsideAnActionIsReportedOnceNamingTheAction() {
    RecordingSpan cut =
        rec("c", "CAM1", 1, 0, 60).addInternalGap(new Interval(at(20), at(25))).build();
    ContinuityReport r =
        analyze(List.of(cut), List.of(action("H", EnforcementAction.HEARING, 0, 60, "CAM1")));
    assertEquals(List.of(ContinuityCode.INTERNAL_GAP), codes(r));
    ContinuityFinding f = r.findings().get(0);
    assertEquals(Severity.ERROR, f.severity());
    assertEquals("H", f.actionId().orElseThrow());
    assertEquals(List.of("CAM1"), f.deviceIds());
    assertEquals(List.of("officer-CAM1"), f.officerIds());
    assertEquals("Shizhong district", f.place().orElseThrow());
    assertEquals(55.0, r.coverage().get(0).recordedSeconds(), 1e-9);
  }

  @Test
  void aLoopOverwriteInsideAMandatoryActionIsAnError() {
    List<RecordingSpan> rs =
        List.of(
            rec("a", "CAM1", 1, 0, 60).build(), rec("e", "CAM1", 4, 90, 120).locked(true).build());
    ContinuityReport r =
        analyze(rs, List.of(action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 120, "CAM1")));
    ContinuityFinding f = r.findings(ContinuityCode.LOOP_OVERWRITE).get(0);
    assertEquals(Severity.ERROR, f.severity());
    assertFalse(r.has(ContinuityCode.BREAK_IN_ACTION), r.findings().toString());
  }

  @Test
  void oneClockOffsetFindingPerDevice() {
    List<RecordingSpan> rs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rs.add(
          rec("f" + i, "CAM1", i + 1, i * 60, (i + 1) * 60)
              .clockOffset(Duration.ofMinutes(5))
              .build());
    }
    ContinuityReport r = analyze(rs, List.of());
    List<ContinuityFinding> c = r.findings(ContinuityCode.CLOCK_OFFSET);
    assertEquals(1, c.size());
    assertEquals(10, c.get(0).files().size());
    assertTrue(c.get(0).message().contains("5 min 0 s ahead"), c.get(0).message());
  }

  @Test
  void theSummaryCountsBySeverityAndGivesAVerdictPerActionOfficerAndDevice() {
    List<RecordingSpan> rs =
        List.of(
            rec("a", "CAM1", 1, 0, 60).build(),
            rec("b", "CAM2", 1, 0, 30).build(),
            rec("c", "CAM3", 1, 0, 60).build());
    ContinuityReport r =
        analyze(
            rs,
            List.of(
                action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 60, "CAM1"),
                action("H", EnforcementAction.HEARING, 0, 60, "CAM2"),
                action("X", "consultation", 0, 90, "CAM3")));
    ContinuitySummary s = r.summary();
    assertEquals(1, s.count(Severity.ERROR), r.findings().toString());
    assertEquals(1, s.count(Severity.WARNING), r.findings().toString());
    assertEquals(Verdict.COMPLIANT, s.actions().get("I"));
    assertEquals(Verdict.NON_COMPLIANT, s.actions().get("H"));
    assertEquals(Verdict.REVIEW, s.actions().get("X"));
    assertEquals(Verdict.NON_COMPLIANT, s.devices().get("CAM2"));
    assertEquals(Verdict.COMPLIANT, s.devices().get("CAM1"));
    assertEquals(Verdict.NON_COMPLIANT, s.officers().get("officer-CAM2"));
    assertEquals(Verdict.REVIEW, s.officers().get("officer-CAM3"));
  }

  @Test
  void textInChineseAndEnglishWithLocalTimesClausesAndFollowUps() {
    List<RecordingSpan> rs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rs.add(rec("f" + i, "CAM1", i + 1, i * 3, (i + 1) * 3).build());
    }
    ContinuityReport r =
        analyze(rs, List.of(action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 400, "CAM1")));
    ContinuityFinding early = r.findings(ContinuityCode.EARLY_STOP).get(0);
    // 14:05:00 UTC is 22:05:00 in Beijing
    String zh = early.message(Locale.CHINESE, SHANGHAI);
    assertTrue(zh.contains("2023-06-01 22:05:00 至 2023-06-01 22:06:40"), zh);
    assertTrue(zh.contains("现场勘验"), zh);
    assertEquals("第十三条第（一）项、第二十一条第（一）项", early.article(Locale.CHINESE));
    assertTrue(early.followUp(Locale.CHINESE).contains("询问执法人员"), early.followUp(Locale.CHINESE));
    assertTrue(early.followUp(Locale.ENGLISH).startsWith("Ask the officer"));
    String en = early.message(Locale.ENGLISH, SHANGHAI);
    assertTrue(en.contains("1 min 40 s before the end of the on-site-inspection I"), en);

    String text = r.toText(Locale.ENGLISH, SHANGHAI);
    assertTrue(text.contains("times are Asia/Shanghai (UTC+08:00)"), text);
    assertTrue(text.contains("summary: 1 error(s), 0 warning(s), 0 notice(s)"), text);
    assertTrue(text.contains("  actions: 1 NON-COMPLIANT (I)"), text);
    assertTrue(text.contains("officer officer-CAM1; device CAM1; place Shizhong district"), text);
    // 99 contiguous file boundaries are not listed
    assertFalse(text.contains(" -> "), text);
    String zhText = r.toText(Locale.CHINESE, SHANGHAI);
    assertTrue(zhText.contains("汇总：错误 1 项"), zhText);
    assertTrue(zhText.contains("执法行为：1 不合规（I）"), zhText);
    assertTrue(zhText.contains("第十三条第（一）项"), zhText);

    String json = new String(r.toJson(Locale.CHINESE, SHANGHAI), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"zone\" : \"Asia/Shanghai\""), json);
    assertTrue(json.contains("\"followUp\""), json);
    assertTrue(json.contains("\"start\" : \"2023-06-01T14:05:00Z\""), json);
  }

  @Test
  void hostileTimesAndSequenceNumbersAreAnalysedQuickly() {
    // a camera whose clock was never set and one whose sequence jumps to the end of the range
    List<RecordingSpan> rs =
        List.of(
            RecordingSpan.builder("old")
                .deviceId("CAM1")
                .sequence(1)
                .start(Instant.parse("1000-01-01T00:00:00Z"))
                .end(Instant.parse("1000-01-01T00:00:10Z"))
                .build(),
            RecordingSpan.builder("new")
                .deviceId("CAM1")
                .sequence(Integer.MAX_VALUE)
                .start(Instant.parse("3000-01-01T00:00:00Z"))
                .end(Instant.parse("3000-01-01T00:00:10Z"))
                .ingestTime(Instant.parse("3000-01-02T00:00:10Z"))
                .build());
    EnforcementAction forever =
        EnforcementAction.builder()
            .id("F")
            .type(EnforcementAction.HEARING)
            .span(
                new Interval(
                    Instant.parse("0500-01-01T00:00:00Z"), Instant.parse("3500-01-01T00:00:00Z")))
            .build();
    ContinuityReport r =
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> analyze(rs, List.of(forever)));
    ContinuityFinding missing = r.findings(ContinuityCode.MISSING_FILE).get(0);
    assertEquals(1000, r.sessions().get(0).breaks().get(0).missingSequences().size());
    // 2 .. 2^31 - 2: every number between the two files, counted past int
    assertEquals(Integer.MAX_VALUE - 2L, r.sessions().get(0).breaks().get(0).missingCount());
    assertTrue(missing.message().contains("h "), missing.message());
    r.toText(Locale.CHINESE, SHANGHAI);
  }

  @Test
  void everyCodeHasAFollowUpInBothLanguages() throws IllegalAccessException {
    for (java.lang.reflect.Field f : ContinuityCode.class.getFields()) {
      String code = (String) f.get(null);
      String en = FindingText.followUp(code, TextStyle.ENGLISH_UTC);
      String zh = FindingText.followUp(code, TextStyle.of(Locale.CHINESE, SHANGHAI));
      assertFalse(en.isBlank(), code);
      assertFalse(zh.isBlank(), code);
      assertTrue(zh.codePoints().anyMatch(c -> c >= 0x4E00 && c <= 0x9FFF), code + ": " + zh);
    }
  }

  @Test
  void durationsAreExact() {
    TextStyle en = TextStyle.ENGLISH_UTC;
    assertEquals("24 h 0 min 52 s", en.duration(Duration.ofHours(24).plusSeconds(52)));
    assertEquals("1 min 40 s", en.duration(Duration.ofSeconds(100)));
    assertEquals("3.000 s", en.duration(Duration.ofSeconds(3)));
    assertEquals("2 min 0.500 s", en.duration(Duration.ofMillis(120_500)));
    TextStyle zh = TextStyle.of(Locale.CHINESE, SHANGHAI);
    assertEquals("24 小时 0 分 52 秒", zh.duration(Duration.ofHours(24).plusSeconds(52)));
    assertEquals("第二十一条第（二）项", zh.article("Art. 21(2)"));
    assertEquals("第十六条、第二十一条第（二）项", zh.article("Art. 16, 21(2)"));
    assertEquals("第七条第（二）项", zh.article("Art. 7(2)"));
  }
}
