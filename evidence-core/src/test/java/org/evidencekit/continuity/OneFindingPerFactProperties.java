package org.evidencekit.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Against random sessions with holes, lost media and deleted files: nothing is reported twice,
 * coverage counts only playable media, and post-hoc suspicion and the review list match a naive
 * model of "outside every action and every recorded session".
 */
class OneFindingPerFactProperties {
  static final Instant T = Instant.parse("2024-05-06T01:00:00Z");
  static final Set<String> COVERAGE =
      Set.of(
          ContinuityCode.LATE_START,
          ContinuityCode.EARLY_STOP,
          ContinuityCode.BREAK_IN_ACTION,
          ContinuityCode.ACTION_NOT_RECORDED);
  static final Set<String> CAUSES =
      Set.of(
          ContinuityCode.INTERNAL_GAP,
          ContinuityCode.MISSING_FILE,
          ContinuityCode.LOOP_OVERWRITE,
          ContinuityCode.TRUNCATED_RECORDING);

  /**
   * Files of one device: each entry of {@code lengths} is a file; a pause of 0 chains, 1 leaves a
   * deleted file (a sequence number skipped), more is a stop and start; every third file has a
   * hole, every fifth has lost its tail.
   */
  static List<RecordingSpan> files(List<Integer> lengths, List<Integer> pauses) {
    List<RecordingSpan> out = new ArrayList<>();
    Instant t = T;
    int seq = 1;
    for (int i = 0; i < lengths.size(); i++) {
      int len = lengths.get(i);
      Instant end = t.plusSeconds(len);
      RecordingSpan.Builder b =
          RecordingSpan.builder("f" + i).deviceId("CAM").sequence(seq).start(t).end(end);
      if (i % 3 == 2 && len > 4) {
        b.addInternalGap(new Interval(t.plusSeconds(1), t.plusSeconds(3)));
      }
      if (i % 5 == 4 && len > 6) {
        b.playableUntil(t.plusSeconds(len - 2));
      }
      out.add(b.build());
      int pause = pauses.get(i % pauses.size());
      seq += pause == 1 ? 2 : 1;
      t = end.plusSeconds(pause == 1 ? 40 : pause);
    }
    return out;
  }

  static List<EnforcementAction> actions(List<Integer> starts, List<Integer> lengths) {
    List<EnforcementAction> out = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      Instant s = T.plusSeconds(starts.get(i));
      out.add(
          EnforcementAction.builder()
              .id("a" + i)
              .type(i % 2 == 0 ? EnforcementAction.ON_SITE_INSPECTION : "consultation")
              .span(new Interval(s, s.plusSeconds(lengths.get(i % lengths.size()))))
              .deviceIds(List.of("CAM"))
              .build());
    }
    return out;
  }

  @Property(tries = 300)
  void noStretchOfAnActionIsReportedTwice(
      @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 1, max = 120) Integer> lengths,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 9000) Integer> pauses,
      @ForAll @Size(min = 0, max = 8) List<@IntRange(min = -200, max = 12_000) Integer> starts,
      @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 900) Integer> actionLengths) {
    ContinuityReport r =
        ContinuityAnalyzer.create()
            .analyze(files(lengths, pauses), actions(starts, actionLengths), List.of());
    for (ContinuityFinding c : r.findings()) {
      if (!COVERAGE.contains(c.code())) {
        continue;
      }
      for (ContinuityFinding cause : r.findings()) {
        if (CAUSES.contains(cause.code())
            && cause.actionId().equals(c.actionId())
            && !cause.code().equals(ContinuityCode.TRUNCATED_RECORDING)) {
          assertFalse(
              cause.when().orElseThrow().overlaps(c.when().orElseThrow()), c + " and " + cause);
        }
      }
    }
  }

  @Property(tries = 300)
  void coverageCountsOnlyPlayableMedia(
      @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 1, max = 120) Integer> lengths,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 9000) Integer> pauses,
      @ForAll @IntRange(min = -200, max = 3000) int start,
      @ForAll @IntRange(min = 1, max = 3000) int length) {
    List<RecordingSpan> rs = files(lengths, pauses);
    ContinuityReport r =
        ContinuityAnalyzer.create()
            .analyze(rs, actions(List.of(start), List.of(length)), List.of());
    // naive model: count every second of the action that some file plays
    Instant s = T.plusSeconds(start);
    long playable = 0;
    for (int k = 0; k < length; k++) {
      Instant mid = s.plusSeconds(k).plusMillis(500);
      boolean played = false;
      for (RecordingSpan f : rs) {
        boolean in = !mid.isBefore(f.start()) && mid.isBefore(f.end());
        for (Interval g : f.internalGaps()) {
          in &= !(!mid.isBefore(g.start()) && mid.isBefore(g.end()));
        }
        for (Interval g : f.lostMedia()) {
          in &= !(!mid.isBefore(g.start()) && mid.isBefore(g.end()));
        }
        played |= in;
      }
      playable += played ? 1 : 0;
    }
    assertEquals(playable, r.coverage().get(0).recordedSeconds(), 1e-9);
  }

  @Property(tries = 300)
  void suspicionAndReviewOnlyOutsideEveryActionAndRecordedSession(
      @ForAll @Size(min = 1, max = 25) List<@IntRange(min = 1, max = 120) Integer> lengths,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 9000) Integer> pauses,
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = -200, max = 12_000) Integer> starts,
      @ForAll @Size(min = 1, max = 3) List<@IntRange(min = 1, max = 900) Integer> actionLengths) {
    List<RecordingSpan> rs = files(lengths, pauses);
    List<EnforcementAction> as = actions(starts, actionLengths);
    ContinuityReport r = ContinuityAnalyzer.create().analyze(rs, as, List.of());
    // naive model: a file overlapping an action is claimed; files chained with no pause to a
    // claimed file are its session
    Set<String> covered = new HashSet<>();
    for (RecordingSpan f : rs) {
      for (EnforcementAction a : as) {
        if (f.trueSpan().overlaps(a.span())) {
          covered.add(f.id());
        }
      }
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int i = 1; i < rs.size(); i++) {
        RecordingSpan a = rs.get(i - 1);
        RecordingSpan b = rs.get(i);
        boolean chained =
            Duration.between(a.end(), b.start()).abs().compareTo(Duration.ofMillis(1500)) <= 0;
        if (chained && covered.contains(a.id()) != covered.contains(b.id())) {
          covered.add(a.id());
          covered.add(b.id());
          changed = true;
        }
      }
    }
    Set<String> flagged = new HashSet<>();
    for (ContinuityFinding f : r.findings()) {
      boolean suspected =
          f.code().equals(ContinuityCode.POST_HOC_RECORDING)
              || f.code().equals(ContinuityCode.UNLINKED_RECORDING);
      if (suspected) {
        for (String id : f.files()) {
          assertFalse(covered.contains(id), id + " is inside an action or its session: " + f);
          assertTrue(flagged.add(id), id + " flagged twice");
        }
      }
    }
    for (RecordingSpan f : rs) {
      assertEquals(
          !covered.contains(f.id()), flagged.contains(f.id()), f.id() + ": " + r.findings());
    }
  }
}
