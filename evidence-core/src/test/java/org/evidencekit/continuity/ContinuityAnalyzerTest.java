package org.evidencekit.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import org.evidencekit.continuity.ContinuityFinding.Severity;
import org.evidencekit.continuity.DeviceSession.BreakKind;
import org.junit.jupiter.api.Test;

/** Every finding kind from a hand-built scenario. */
class ContinuityAnalyzerTest {
  static final Instant T = Instant.parse("2023-06-01T14:00:00Z");

  static Instant at(int seconds) {
    return T.plusSeconds(seconds);
  }

  static RecordingSpan.Builder rec(String id, int seq, int from, int to) {
    return RecordingSpan.builder(id).deviceId("DEVCAM7").sequence(seq).start(at(from)).end(at(to));
  }

  static EnforcementAction action(
      String id, String type, int from, int to, List<EnforcementAction.Stage> stages) {
    return EnforcementAction.builder()
        .id(id)
        .type(type)
        .span(new Interval(at(from), at(to)))
        .place("Zaozhuang")
        .stages(stages)
        .deviceIds(List.of("DEVCAM7"))
        .build();
  }

  static ContinuityReport analyze(
      List<RecordingSpan> rs, List<EnforcementAction> as, List<WrittenDocument> ds) {
    return ContinuityAnalyzer.create().analyze(rs, as, ds);
  }

  @Test
  void aSplitRecordingIsOneContiguousSession() {
    ContinuityReport r =
        analyze(
            List.of(
                rec("c", 3, 6, 9).build(), rec("a", 1, 0, 3).build(), rec("b", 2, 3, 6).build()),
            List.of(action("A1", EnforcementAction.ON_SITE_INSPECTION, 0, 9, List.of())),
            List.of());
    DeviceSession s = r.sessions().get(0);
    assertEquals(List.of("a", "b", "c"), s.files());
    assertTrue(s.breaks().stream().allMatch(b -> b.kind() == BreakKind.CONTIGUOUS));
    assertEquals(9.0, s.recordedSeconds(), 1e-9);
    assertEquals(1.0, r.coverage().get(0).ratio(), 1e-9);
    assertFalse(r.hasErrors(), r.findings().toString());
  }

  @Test
  void aMissingMiddleFileIsAGapWithAMissingSequenceNumber() {
    ContinuityReport r =
        analyze(
            List.of(rec("a", 1, 0, 3).build(), rec("c", 3, 6, 9).build()),
            List.of(action("A1", EnforcementAction.ON_SITE_INSPECTION, 0, 9, List.of())),
            List.of());
    DeviceSession.SessionBreak b = r.sessions().get(0).breaks().get(0);
    assertEquals(BreakKind.MISSING_FILE, b.kind());
    assertEquals(3.0, b.seconds(), 1e-9);
    assertEquals(List.of(2), b.missingSequences());
    ContinuityFinding f = r.findings(ContinuityCode.MISSING_FILE).get(0);
    assertEquals(Severity.ERROR, f.severity());
    assertEquals("Art. 21(2)", f.article());
    assertTrue(f.message().contains("3.000 s missing"), f.message());
    // one finding per fact: the missing file is the break in the action, and names it
    assertEquals(0, r.findings(ContinuityCode.BREAK_IN_ACTION).size(), r.findings().toString());
    assertEquals("A1", f.actionId().orElseThrow());
    assertEquals(6.0 / 9.0, r.coverage().get(0).ratio(), 1e-9);
  }

  @Test
  void loopRecordingOverwritesNextToLockedFilesAreNotDeletions() {
    ContinuityReport r =
        analyze(
            List.of(rec("a", 1, 0, 3).build(), rec("e", 5, 60, 63).locked(true).build()),
            List.of(),
            List.of());
    assertEquals(BreakKind.LOOP_OVERWRITE, r.sessions().get(0).breaks().get(0).kind());
    assertEquals(Severity.WARNING, r.findings(ContinuityCode.LOOP_OVERWRITE).get(0).severity());
    assertFalse(r.has(ContinuityCode.MISSING_FILE));
  }

  @Test
  void aStopAndStartOutsideActionsIsNoFindingButInsideOneIsABreak() {
    List<RecordingSpan> rs = List.of(rec("a", 1, 0, 3).build(), rec("b", 2, 10, 13).build());
    ContinuityReport quiet = analyze(rs, List.of(), List.of());
    assertEquals(BreakKind.STOP_START, quiet.sessions().get(0).breaks().get(0).kind());
    assertTrue(quiet.findings().isEmpty(), quiet.findings().toString());
    ContinuityReport inAction =
        analyze(rs, List.of(action("H", EnforcementAction.HEARING, 0, 13, List.of())), List.of());
    ContinuityFinding f = inAction.findings(ContinuityCode.BREAK_IN_ACTION).get(0);
    assertEquals(new Interval(at(3), at(10)), f.when().get());
    assertEquals(Severity.ERROR, f.severity());
  }

  @Test
  void stagePausesAreAllowedButBreaksInsideAStageAreNot() {
    List<EnforcementAction.Stage> stages =
        List.of(
            new EnforcementAction.Stage("premises", new Interval(at(0), at(10))),
            new EnforcementAction.Stage("warehouse", new Interval(at(100), at(120))));
    List<RecordingSpan> rs = List.of(rec("a", 1, 0, 10).build(), rec("b", 2, 100, 110).build());
    ContinuityReport r =
        analyze(
            rs,
            List.of(action("I", EnforcementAction.ON_SITE_INSPECTION, 0, 120, stages)),
            List.of());
    assertFalse(
        r.has(ContinuityCode.BREAK_IN_ACTION), "the pause between stages is allowed (Art. 15)");
    ContinuityFinding early = r.findings(ContinuityCode.EARLY_STOP).get(0);
    assertTrue(early.message().contains("stage warehouse"), early.message());
    assertEquals(20.0, r.coverage().get(0).recordedSeconds(), 1e-9);
    assertEquals(30.0, r.coverage().get(0).requiredSeconds(), 1e-9);
  }

  @Test
  void lateStartEarlyStopAndNoRecordingAtAll() {
    ContinuityReport r =
        analyze(
            List.of(rec("a", 1, 5, 50).build()),
            List.of(
                action("S", EnforcementAction.SERVICE_BY_LEAVING, 0, 60, List.of()),
                action("R", EnforcementAction.REFUSAL_TO_SIGN, 200, 260, List.of())),
            List.of());
    assertEquals(5.0, r.findings(ContinuityCode.LATE_START).get(0).when().get().seconds(), 1e-9);
    assertEquals(10.0, r.findings(ContinuityCode.EARLY_STOP).get(0).when().get().seconds(), 1e-9);
    ContinuityFinding none = r.findings(ContinuityCode.ACTION_NOT_RECORDED).get(0);
    assertEquals("Art. 13(3), 21(1)", none.article());
    assertTrue(none.message().contains("mandatory"));
  }

  @Test
  void nonMandatoryActionsGiveWarningsNotErrors() {
    ContinuityReport r =
        analyze(
            List.of(rec("a", 1, 0, 5).build()),
            List.of(action("X", "consultation", 0, 10, List.of())),
            List.of());
    assertEquals(Severity.WARNING, r.findings(ContinuityCode.EARLY_STOP).get(0).severity());
    assertFalse(r.hasErrors());
  }

  @Test
  void postHocRecordingsExplicitAndSuspected() {
    RecordingSpan after = rec("p", 2, 700, 760).build();
    EnforcementAction listed =
        EnforcementAction.builder()
            .id("A")
            .type(EnforcementAction.HEARING)
            .span(new Interval(at(0), at(600)))
            .recordingIds(List.of("p"))
            .build();
    ContinuityReport explicit = analyze(List.of(after), List.of(listed), List.of());
    ContinuityFinding f = explicit.findings(ContinuityCode.POST_HOC_RECORDING).get(0);
    assertEquals(Severity.ERROR, f.severity());
    assertTrue(f.message().contains("1 min 40 s after"), f.message());
    ContinuityReport suspected =
        analyze(
            List.of(after),
            List.of(action("B", EnforcementAction.HEARING, 0, 600, List.of())),
            List.of());
    assertEquals(
        Severity.WARNING, suspected.findings(ContinuityCode.POST_HOC_RECORDING).get(0).severity());
  }

  @Test
  void lateIngestClockOffsetAndCorrectedTimes() {
    RecordingSpan r =
        rec("a", 1, 0, 60)
            .clockOffset(Duration.ofSeconds(90))
            .ingestTime(at(60 - 90).plus(Duration.ofHours(25)))
            .build();
    // the device ran 90 s ahead: in trusted time it recorded [-90, -30)
    assertEquals(new Interval(at(-90), at(-30)), r.trueSpan());
    ContinuityReport rep =
        analyze(
            List.of(r),
            List.of(action("A", EnforcementAction.HEARING, -90, -30, List.of())),
            List.of());
    assertEquals(1.0, rep.coverage().get(0).ratio(), 1e-9);
    assertTrue(rep.has(ContinuityCode.CLOCK_OFFSET));
    ContinuityFinding late = rep.findings(ContinuityCode.LATE_INGEST).get(0);
    assertEquals("Art. 17", late.article());
    assertTrue(late.message().contains("25 h 0 min"), late.message());
  }

  @Test
  void documentTimesMustMatchTheirRecordings() {
    List<RecordingSpan> rs = List.of(rec("a", 1, 0, 300).build());
    WrittenDocument ok =
        new WrittenDocument("D1", "inspection record", new Interval(at(30), at(290)), List.of("a"));
    WrittenDocument bad =
        new WrittenDocument("D2", "inspection record", new Interval(at(0), at(900)), List.of("a"));
    ContinuityReport r = analyze(rs, List.of(), List.of(ok, bad));
    List<ContinuityFinding> m = r.findings(ContinuityCode.DOCUMENT_TIME_MISMATCH);
    assertEquals(1, m.size());
    assertTrue(m.get(0).message().contains("D2"), m.get(0).message());
    assertEquals("Art. 14", m.get(0).article());
    // Art. 21(2): a cited recording that is not there is a finding, the rest is still analysed
    ContinuityReport missing =
        analyze(
            rs,
            List.of(),
            List.of(
                new WrittenDocument("D3", "x", new Interval(at(0), at(1)), List.of("zz")), bad));
    ContinuityFinding gone = missing.findings(ContinuityCode.RECORDING_MISSING).get(0);
    assertEquals(List.of("zz"), gone.files());
    assertEquals("Art. 21(2)", gone.article());
    assertEquals(Severity.ERROR, gone.severity());
    assertEquals(1, missing.findings(ContinuityCode.DOCUMENT_TIME_MISMATCH).size());
  }

  @Test
  void unlinkedRecordingsAreListedForReview() {
    ContinuityReport r =
        analyze(
            // b starts beyond the 2 h post-hoc window after the hearing ended
            List.of(rec("a", 1, 0, 10).build(), rec("b", 2, 9000, 9010).build()),
            List.of(action("A", EnforcementAction.HEARING, 0, 10, List.of())),
            List.of());
    List<ContinuityFinding> u = r.findings(ContinuityCode.UNLINKED_RECORDING);
    assertEquals(1, u.size());
    assertEquals(List.of("b"), u.get(0).files());
    assertEquals(Severity.INFO, u.get(0).severity());
  }

  @Test
  void anInquiryNeedsThePartyInformed() {
    EnforcementAction inquiry = action("Q", EnforcementAction.INQUIRY, 0, 300, List.of());
    ContinuityReport without =
        analyze(List.of(rec("a", 1, 0, 300).build()), List.of(inquiry), List.of());
    assertEquals("Art. 12", without.findings(ContinuityCode.PARTY_NOT_INFORMED).get(0).article());
    ContinuityReport with =
        analyze(
            List.of(rec("a", 1, 0, 300).partyInformedAt(at(20)).build()),
            List.of(inquiry),
            List.of());
    assertFalse(with.has(ContinuityCode.PARTY_NOT_INFORMED));
  }

  @Test
  void internalGapsSplicesAndTruncationFromTheContainer() {
    RecordingSpan cut =
        rec("cut", 1, 0, 8)
            .addInternalGap(new Interval(at(3), at(5)))
            .addContainerFinding("SECOND_ENCODER_BANNER")
            .build();
    RecordingSpan trunc = rec("t", 2, 100, 104).addContainerFinding("MOOV_MISSING").build();
    ContinuityReport r =
        analyze(
            List.of(cut, trunc),
            List.of(action("A", EnforcementAction.HEARING, 0, 8, List.of())),
            List.of());
    ContinuityFinding gap = r.findings(ContinuityCode.INTERNAL_GAP).get(0);
    assertEquals(Severity.ERROR, gap.severity());
    assertEquals(new Interval(at(3), at(5)), gap.when().get());
    assertEquals(0.75, r.coverage().get(0).ratio(), 1e-9);
    assertTrue(r.has(ContinuityCode.SPLICED_FOOTAGE));
    assertTrue(r.has(ContinuityCode.TRUNCATED_RECORDING));
  }

  @Test
  void editsTheContainerShowsAreReportedOncePerRecording() {
    // R-13: what the probe found of a forger's edit (its non-benign codes) reaches the report
    RecordingSpan hidden =
        rec("elst", 1, 0, 4)
            .addContainerFinding("EDIT_LIST")
            .addContainerFinding("EDIT_LIST")
            .build();
    RecordingSpan restamped =
        rec("mvhd", 2, 10, 16).addContainerFinding("CREATION_TIME_DISAGREEMENT").build();
    RecordingSpan joined = rec("join", 3, 20, 24).addContainerFinding("DURATION_ANOMALY").build();
    RecordingSpan spliced =
        rec("splice", 4, 30, 34)
            .addContainerFinding("SPLICE")
            .addContainerFinding("DURATION_ANOMALY")
            .build();
    RecordingSpan fragment =
        rec("frag", 5, 40, 43).addContainerFinding("FRAGMENT_DISCONTINUITY").build();
    RecordingSpan renamed =
        rec("name", 8, 70, 74).addContainerFinding("NAME_TIME_MISMATCH").build();
    RecordingSpan takenOut =
        rec("unref", 7, 60, 64).addContainerFinding("UNREFERENCED_MEDIA").build();
    RecordingSpan clean =
        rec("clean", 6, 50, 56).addContainerFinding("MISSING_CREATION_TIME").build();
    ContinuityReport r =
        analyze(
            List.of(hidden, restamped, joined, spliced, fragment, clean, takenOut, renamed),
            List.of(action("A", EnforcementAction.HEARING, 0, 4, List.of())),
            List.of());
    List<ContinuityFinding> edited = r.findings(ContinuityCode.EDITED_RECORDING);
    assertEquals(
        List.of("elst", "mvhd", "join", "frag", "unref", "name"),
        edited.stream().map(f -> f.files().get(0)).toList(),
        "one per edited file; a splice's own scar is the splice, a missing creation time alone is"
            + " what some cameras write");
    assertEquals(Severity.ERROR, edited.get(0).severity());
    assertEquals("A", edited.get(0).actionId().orElseThrow());
    assertTrue(edited.get(0).message().contains("edit list hides"), edited.get(0).message());
    assertEquals(Severity.ERROR, edited.get(1).severity());
    assertTrue(edited.get(1).message().contains("re-stamped"), edited.get(1).message());
    assertEquals(Severity.WARNING, edited.get(2).severity(), "a lone scar may be a timing glitch");
    assertEquals(Severity.ERROR, edited.get(3).severity());
    assertTrue(edited.get(4).message().contains("taken out of the index"), edited.get(4).message());
    assertEquals(Severity.WARNING, edited.get(5).severity(), "a device may name by another clock");
    assertTrue(edited.get(5).message().contains("renamed or re-stamped"), edited.get(5).message());
    assertEquals(1, r.findings(ContinuityCode.SPLICED_FOOTAGE).size());
  }

  @Test
  void aPlacedEditCoversTheStretchInDoubtAndAnUnplacedOneTheWholeRecording() {
    // R-13: media hidden 2-4 s into a 0-6 s recording, a splice 3 s into a 10-16 s one, on a
    // device 1 s ahead (corrected: 1 s earlier); the same hiding beside a re-stamped header that
    // says no place keeps the whole recording in doubt, as does a toBuilder copy's none
    RecordingSpan hidden =
        rec("elst", 1, 0, 6)
            .clockOffset(Duration.ofSeconds(1))
            .addContainerFinding("EDIT_LIST", new Interval(at(2), at(4)))
            .build();
    RecordingSpan spliced =
        rec("splice", 2, 10, 16)
            .clockOffset(Duration.ofSeconds(1))
            .addContainerFinding("SPLICE", new Interval(at(13), at(13)))
            .addContainerFinding("SECOND_ENCODER_BANNER", new Interval(at(14), at(14)))
            .build();
    RecordingSpan mixed =
        rec("mixed", 3, 20, 26)
            .clockOffset(Duration.ofSeconds(1))
            .addContainerFinding("EDIT_LIST", new Interval(at(22), at(24)))
            .addContainerFinding("CREATION_TIME_DISAGREEMENT")
            .build();
    RecordingSpan copied = hidden.toBuilder().sequence(4).build();
    ContinuityReport r =
        analyze(
            List.of(hidden, spliced, mixed),
            List.of(action("A", EnforcementAction.HEARING, 0, 6, List.of())),
            List.of());
    List<ContinuityFinding> edited = r.findings(ContinuityCode.EDITED_RECORDING);
    assertEquals(new Interval(at(1), at(3)), edited.get(0).when().orElseThrow());
    assertTrue(
        edited.get(0).message().contains("from " + at(1) + " to " + at(3)),
        edited.get(0).message());
    assertEquals(new Interval(at(19), at(25)), edited.get(1).when().orElseThrow());
    ContinuityFinding splice = r.findings(ContinuityCode.SPLICED_FOOTAGE).get(0);
    assertEquals(new Interval(at(12), at(15)), splice.when().orElseThrow(), "the first join on");
    assertTrue(splice.message().contains("at " + at(12)), splice.message());
    ContinuityFinding again =
        analyze(List.of(copied), List.of(), List.of())
            .findings(ContinuityCode.EDITED_RECORDING)
            .get(0);
    assertEquals(new Interval(at(1), at(3)), again.when().orElseThrow(), "toBuilder keeps places");
  }

  @Test
  void overlappingFilesAreAClockProblem() {
    ContinuityReport r =
        analyze(
            List.of(rec("a", 1, 0, 10).build(), rec("b", 2, 5, 15).build()), List.of(), List.of());
    assertEquals(BreakKind.OVERLAP, r.sessions().get(0).breaks().get(0).kind());
    assertEquals("Art. 10", r.findings(ContinuityCode.OVERLAP).get(0).article());
  }

  @Test
  void longListsOfSequenceNumbersAreCutInTheTextAndKeptInTheData() throws Exception {
    // a folder mixing naming conventions: numbers 1, 150 and 5000 on one device (R-02, Art. 21)
    ContinuityReport r =
        analyze(
            List.of(
                rec("a", 1, 0, 10).build(),
                rec("b", 150, 5, 15).build(),
                rec("c", 5000, 100, 110).build()),
            List.of(),
            List.of());
    List<DeviceSession.SessionBreak> breaks = r.sessions().get(0).breaks();
    assertEquals(BreakKind.OVERLAP, breaks.get(0).kind());
    assertEquals(148, breaks.get(0).missingSequences().size(), "the data keeps them all");
    assertEquals(BreakKind.MISSING_FILE, breaks.get(1).kind());
    assertEquals(148, breaks.get(0).missingCount());
    assertTrue(breaks.get(0).listsAllMissing());
    // 151..4999 are missing: 4849 numbers, of which the data keeps the first 1000 and says so
    assertEquals(1000, breaks.get(1).missingSequences().size());
    assertEquals(151, breaks.get(1).missingSequences().get(0));
    assertEquals(1150, breaks.get(1).missingSequences().get(999));
    assertEquals(4849, breaks.get(1).missingCount());
    assertFalse(breaks.get(1).listsAllMissing());
    com.fasterxml.jackson.databind.JsonNode json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(r.toJson())
            .get("sessions")
            .get(0)
            .get("breaks");
    assertEquals(148, json.get(0).get("missingCount").asLong());
    assertEquals(4849, json.get(1).get("missingCount").asLong());
    assertEquals(1000, json.get(1).get("missingSequences").size());
    String missing = r.findings(ContinuityCode.MISSING_FILE).get(0).message();
    assertTrue(
        missing.contains(
            "file(s) [151, 152, 153, 154, 155, 156, 157, 158, 159, 160, and 4839 more]"),
        missing);
    String text = r.toText(Locale.ENGLISH, ZoneOffset.UTC);
    assertTrue(
        text.contains(
            "a -> b: OVERLAP (-5.000 s, missing [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, and 138 more])"),
        text);
    assertTrue(
        text.contains(
            "b -> c: MISSING_FILE (85.000 s, missing [151, 152, 153, 154, 155, 156, 157,"
                + " 158, 159, 160, and 4839 more])"),
        text);
    for (String line : text.split("\n")) {
      assertTrue(line.length() < 400, line);
    }
    String zh =
        r.findings(ContinuityCode.MISSING_FILE).get(0).message(Locale.CHINESE, ZoneOffset.UTC);
    assertTrue(zh.contains("160，另有 4839 个]"), zh);
  }

  @Test
  void numbersGoingDownFromTheLargestIntMissNone() {
    // a device's number at the int range's end, then numbers that go down after a gap: nothing
    // lies between them, so no file is missing (R-02, Art. 21)
    ContinuityReport r =
        analyze(
            List.of(
                rec("a", Integer.MAX_VALUE, 0, 10).build(),
                rec("b", 2, 100, 110).build(),
                rec("c", 0, 200, 210).build(),
                rec("d", 3, 300, 310).build()),
            List.of(),
            List.of());
    List<DeviceSession.SessionBreak> breaks = r.sessions().get(0).breaks();
    assertEquals(BreakKind.STOP_START, breaks.get(0).kind());
    assertEquals(List.of(), breaks.get(0).missingSequences());
    assertEquals(0, breaks.get(0).missingCount());
    assertEquals(BreakKind.STOP_START, breaks.get(1).kind());
    assertEquals(0, breaks.get(1).missingCount());
    // from the bottom of the range (0) up: the two numbers between are missing
    assertEquals(BreakKind.MISSING_FILE, breaks.get(2).kind());
    assertEquals(List.of(1, 2), breaks.get(2).missingSequences());
    assertEquals(2, breaks.get(2).missingCount());
    assertEquals(1, r.findings(ContinuityCode.MISSING_FILE).size());
  }

  @Test
  void aSequenceNumberIsNeverNegative() {
    // cameras number files from 0 (FILE0000.MOV); a negative number would put "missing" files
    // between -5 and 1 that no camera wrote (R-02)
    for (int bad : new int[] {-1, -5, Integer.MIN_VALUE}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RecordingSpan.builder("f").sequence(bad),
              "sequence " + bad);
      assertEquals(
          "sequence " + bad + " of recording f is negative (file numbers start at 0)",
          e.getMessage());
    }
    assertEquals(0, rec("a", 0, 0, 10).build().sequence().getAsInt());
    assertEquals(
        Integer.MAX_VALUE, rec("a", Integer.MAX_VALUE, 0, 10).build().sequence().getAsInt());
    Interval gap = new Interval(Instant.EPOCH, Instant.EPOCH.plusSeconds(3));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DeviceSession.SessionBreak(
                    "a", "c", BreakKind.MISSING_FILE, gap, 3, List.of(0, -1)));
    assertEquals(
        "missing sequence number -1 between a and c is negative (file numbers start at 0)",
        e.getMessage());
    assertEquals(
        List.of(0),
        new DeviceSession.SessionBreak("a", "c", BreakKind.MISSING_FILE, gap, 3, List.of(0))
            .missingSequences());
  }

  @Test
  void aBreakCannotCountFewerMissingNumbersThanItLists() {
    Interval gap = new Interval(Instant.EPOCH, Instant.EPOCH.plusSeconds(3));
    DeviceSession.SessionBreak all =
        new DeviceSession.SessionBreak("a", "c", BreakKind.MISSING_FILE, gap, 3, List.of(2));
    assertEquals(1, all.missingCount(), "listed in full by default");
    assertTrue(all.listsAllMissing());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DeviceSession.SessionBreak(
                    "a", "d", BreakKind.MISSING_FILE, gap, 3, List.of(2, 3), 1));
    assertTrue(e.getMessage().contains("missingCount 1"), e.getMessage());
  }

  @Test
  void theReportExportsItsStableJson() {
    ContinuityReport r =
        analyze(
            List.of(rec("a", 1, 0, 3).build(), rec("c", 3, 6, 9).build()),
            List.of(action("A1", EnforcementAction.ON_SITE_INSPECTION, 0, 9, List.of())),
            List.of());
    String json = new String(r.toJson(), StandardCharsets.UTF_8);
    for (String key :
        new String[] {
          "\"format\" : \"evidencekit.continuity-report/1\"",
          "\"sessions\"",
          "\"findings\"",
          "\"code\" : \"MISSING_FILE\"",
          "\"severity\" : \"error\"",
          "\"article\" : \"Art. 21(2)\"",
          "\"files\"",
          "\"coverage\""
        }) {
      assertTrue(json.contains(key), key + " in " + json);
    }
  }
}
