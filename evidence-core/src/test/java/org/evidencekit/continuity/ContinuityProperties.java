package org.evidencekit.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Coverage bounds, contiguous chains and clock-offset invariance against any input. */
class ContinuityProperties {
  static final Instant T = Instant.parse("2024-03-01T08:00:00Z");

  static List<RecordingSpan> recordings(
      List<Integer> lengths, List<Integer> pauses, long offsetSeconds) {
    List<RecordingSpan> out = new ArrayList<>();
    Instant t = T;
    for (int i = 0; i < lengths.size(); i++) {
      Instant end = t.plusSeconds(lengths.get(i));
      out.add(
          RecordingSpan.builder("r" + i)
              .deviceId("D")
              .sequence(i + 1)
              .start(t.plusSeconds(offsetSeconds))
              .end(end.plusSeconds(offsetSeconds))
              .clockOffset(Duration.ofSeconds(offsetSeconds))
              .build());
      t = end.plusSeconds(pauses.get(i % pauses.size()));
    }
    return out;
  }

  static List<EnforcementAction> actions(List<Integer> starts) {
    List<EnforcementAction> out = new ArrayList<>();
    for (int i = 0; i < starts.size(); i++) {
      Instant s = T.plusSeconds(starts.get(i));
      out.add(
          EnforcementAction.builder()
              .id("a" + i)
              .type(EnforcementAction.HEARING)
              .span(new Interval(s, s.plusSeconds(300)))
              .deviceIds(List.of("D"))
              .build());
    }
    return out;
  }

  @Property(tries = 200)
  void coverageNeverExceedsOneHundredPercent(
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 900) Integer> lengths,
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = -100, max = 600) Integer> pauses,
      @ForAll @Size(min = 0, max = 10)
          List<@IntRange(min = -500, max = 10_000) Integer> actionStarts) {
    ContinuityReport r =
        ContinuityAnalyzer.create()
            .analyze(recordings(lengths, pauses, 0), actions(actionStarts), List.of());
    for (ActionCoverage c : r.coverage()) {
      assertTrue(c.ratio() >= 0 && c.ratio() <= 1.0, c.toString());
      assertTrue(c.recordedSeconds() <= c.requiredSeconds() + 1e-9, c.toString());
    }
  }

  @Property(tries = 200)
  void aContiguousChainNeverYieldsAGapFinding(
      @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 1, max = 3600) Integer> lengths) {
    ContinuityReport r =
        ContinuityAnalyzer.create()
            .analyze(recordings(lengths, List.of(0), 0), actions(List.of(0)), List.of());
    for (String code :
        new String[] {
          ContinuityCode.MISSING_FILE,
          ContinuityCode.BREAK_IN_ACTION,
          ContinuityCode.OVERLAP,
          ContinuityCode.LOOP_OVERWRITE
        }) {
      assertFalse(r.has(code), code + ": " + r.findings());
    }
    assertTrue(
        r.sessions().get(0).breaks().stream()
            .allMatch(b -> b.kind() == DeviceSession.BreakKind.CONTIGUOUS));
  }

  @Property(tries = 200)
  void shiftingEveryTimeByTheClockOffsetLeavesFindingsUnchanged(
      @ForAll @Size(min = 1, max = 15) List<@IntRange(min = 1, max = 900) Integer> lengths,
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = -100, max = 600) Integer> pauses,
      @ForAll @Size(min = 0, max = 6) List<@IntRange(min = -500, max = 8_000) Integer> actionStarts,
      @ForAll @IntRange(min = -20, max = 20) int offset) {
    // offsets within the tolerance, so that CLOCK_OFFSET itself does not differ
    ContinuityReport plain =
        ContinuityAnalyzer.create()
            .analyze(recordings(lengths, pauses, 0), actions(actionStarts), List.of());
    ContinuityReport shifted =
        ContinuityAnalyzer.create()
            .analyze(recordings(lengths, pauses, offset), actions(actionStarts), List.of());
    assertEquals(summary(plain), summary(shifted));
  }

  static List<String> summary(ContinuityReport r) {
    List<String> out = new ArrayList<>();
    r.findings()
        .forEach(
            f ->
                out.add(
                    f.code()
                        + " "
                        + f.when().map(Interval::toString).orElse("")
                        + " "
                        + f.files()));
    r.coverage().forEach(c -> out.add(c.actionId() + " " + c.recordedSeconds()));
    return out;
  }
}
