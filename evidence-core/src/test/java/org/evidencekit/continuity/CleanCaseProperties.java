package org.evidencekit.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.evidencekit.continuity.ContinuityFinding.Severity;

/**
 * A well-run bureau's data gives no warning: 100 devices, each recording 10 fully covered actions
 * in sessions of 10 split files that start before and end after the action, clocks within
 * tolerance, ingest within 24 h of the action's end, documents that cite their recordings.
 */
class CleanCaseProperties {
  static final Instant T = Instant.parse("2024-03-04T00:30:00Z");
  static final String[] TYPES = {
    EnforcementAction.ON_SITE_INSPECTION,
    EnforcementAction.HEARING,
    EnforcementAction.REFUSAL_TO_SIGN,
    EnforcementAction.REFUSAL_TO_PROVIDE_EVIDENCE,
    EnforcementAction.SERVICE_BY_LEAVING,
    EnforcementAction.INQUIRY,
    "consultation"
  };

  record Case(
      List<RecordingSpan> recordings,
      List<EnforcementAction> actions,
      List<WrittenDocument> documents) {}

  static Case generate(long seed, int devices, int actionsPerDevice, int filesPerSession) {
    Random rnd = new Random(seed);
    List<RecordingSpan> recs = new ArrayList<>();
    List<EnforcementAction> actions = new ArrayList<>();
    List<WrittenDocument> docs = new ArrayList<>();
    for (int d = 0; d < devices; d++) {
      String device = "CAM" + d;
      String officer = "officer-" + (d / 2);
      long offsetMs = rnd.nextInt(40_001) - 20_000;
      Instant t = T.plusSeconds(rnd.nextInt(3600));
      int seq = 1;
      for (int a = 0; a < actionsPerDevice; a++) {
        Instant sessionStart = t;
        Instant actionStart = sessionStart.plusSeconds(5 + rnd.nextInt(120));
        Instant actionEnd = actionStart.plusSeconds(120 + rnd.nextInt(1500));
        Instant sessionEnd = actionEnd.plusSeconds(5 + rnd.nextInt(300));
        long totalMs = Duration.between(sessionStart, sessionEnd).toMillis();
        Instant ingest = actionEnd.plus(Duration.ofHours(1 + rnd.nextInt(22)));
        List<String> ids = new ArrayList<>();
        Instant fileStart = sessionStart;
        for (int f = 0; f < filesPerSession; f++) {
          Instant fileEnd =
              f == filesPerSession - 1
                  ? sessionEnd
                  : sessionStart.plusMillis(totalMs * (f + 1) / filesPerSession);
          // the camera starts the next file up to a frame late
          Instant start = f == 0 ? fileStart : fileStart.plusMillis(rnd.nextInt(41));
          String id = device + "_" + seq + ".mp4";
          ids.add(id);
          RecordingSpan.Builder b =
              RecordingSpan.builder(id)
                  .deviceId(device)
                  .officerId(officer)
                  .sequence(seq++)
                  .start(start.plusMillis(offsetMs))
                  .end(fileEnd.plusMillis(offsetMs))
                  .clockOffset(Duration.ofMillis(offsetMs))
                  .ingestTime(ingest);
          Instant told = actionStart.plusSeconds(10);
          // (by the nominal start: the moment may fall in the frame before a late next file)
          if (!told.isBefore(fileStart) && told.isBefore(fileEnd)) {
            // Art. 12: the party is told on the file that records that moment
            b.partyInformedAt(told.plusMillis(offsetMs));
          }
          recs.add(b.build());
          fileStart = fileEnd;
        }
        String type = TYPES[rnd.nextInt(TYPES.length)];
        String actionId = device + "/A" + a;
        List<EnforcementAction.Stage> stages = new ArrayList<>();
        if (rnd.nextBoolean()) {
          Instant mid = actionStart.plusSeconds(60);
          stages.add(new EnforcementAction.Stage("premises", new Interval(actionStart, mid)));
          stages.add(new EnforcementAction.Stage("warehouse", new Interval(mid, actionEnd)));
        }
        actions.add(
            EnforcementAction.builder()
                .id(actionId)
                .type(type)
                .span(new Interval(actionStart, actionEnd))
                .place("Zaozhuang")
                .stages(stages)
                .deviceIds(List.of(device))
                .officerIds(List.of(officer))
                .build());
        docs.add(
            new WrittenDocument(
                actionId + "/record",
                "inspection record",
                new Interval(sessionStart.plusSeconds(20), sessionEnd.minusSeconds(20)),
                ids));
        // the next session starts 10 min to 3 h later: sometimes inside the post-hoc window
        t = sessionEnd.plusSeconds(600 + rnd.nextInt(3 * 3600 - 600));
      }
    }
    return new Case(recs, actions, docs);
  }

  @Property(tries = 3)
  void aCleanCaseOfTenThousandRecordingsGivesNoWarning(@ForAll long seed) {
    Case c = generate(seed, 100, 10, 10);
    assertEquals(10_000, c.recordings().size());
    assertEquals(1_000, c.actions().size());
    ContinuityReport r =
        ContinuityAnalyzer.create().analyze(c.recordings(), c.actions(), c.documents());
    List<ContinuityFinding> noisy =
        r.findings().stream().filter(f -> f.severity() != Severity.INFO).toList();
    assertTrue(
        noisy.isEmpty(), noisy.size() + " findings, first: " + noisy.stream().limit(3).toList());
    assertTrue(r.findings().isEmpty(), r.findings().stream().limit(3).toList().toString());
    for (ActionCoverage a : r.coverage()) {
      assertEquals(1.0, a.ratio(), 1e-9, a.toString());
    }
    assertEquals(0, r.summary().count(Severity.WARNING));
    assertTrue(
        r.summary().actions().values().stream()
            .allMatch(v -> v == ContinuitySummary.Verdict.COMPLIANT));
  }
}
