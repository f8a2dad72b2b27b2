package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evidencekit.continuity.ContinuityFinding.Severity;

/**
 * Was the whole enforcement action recorded, untouched? (R-02, R-08 to .) Chains each
 * device's split files into sessions and classifies every break, measures how much of each action
 * was recorded from the media actually present (Art. 15 stage pauses allowed), and checks post-hoc
 * recording, the Art. 17 ingest deadline, clock offsets, written documents (Art. 14), unlinked
 * recordings and Art. 12 markers. One finding per fact: a cut or a missing file inside an action is
 * reported once, naming the action. Format-agnostic and pure: plain values in, a {@link
 * ContinuityReport} out. All times are compared in trusted time (device time minus the measured
 * clock offset).
 */
public final class ContinuityAnalyzer {
  private final ContinuityPolicy policy;

  private ContinuityAnalyzer(ContinuityPolicy policy) {
    this.policy = policy;
  }

  public static ContinuityAnalyzer create() {
    return new ContinuityAnalyzer(ContinuityPolicy.defaults());
  }

  public static ContinuityAnalyzer create(ContinuityPolicy policy) {
    return new ContinuityAnalyzer(requireNonNull(policy, "policy"));
  }

  /**
   * Analyzes recordings against actions and documents. A recording an action lists or a document
   * cites that is not among {@code recordings} is an Art. 21(2) finding, not an exception.
   *
   * @throws IllegalArgumentException for duplicate recording, action or document ids
   */
  public ContinuityReport analyze(
      List<RecordingSpan> recordings,
      List<EnforcementAction> actions,
      List<WrittenDocument> documents) {
    return analyze(recordings, actions, documents, List.of());
  }

  /**
   * As {@link #analyze(List, List, List)}, with the ids of recordings that were listed for the
   * analysis but could not be read: each is an Art. 21(2) error, the rest is analysed.
   */
  public ContinuityReport analyze(
      List<RecordingSpan> recordings,
      List<EnforcementAction> actions,
      List<WrittenDocument> documents,
      List<String> unreadable) {
    requireNonNull(recordings, "recordings");
    requireNonNull(actions, "actions");
    requireNonNull(documents, "documents");
    requireNonNull(unreadable, "unreadable");
    Analysis an = new Analysis(policy, recordings, actions, documents);
    List<ActionCoverage> coverage = CoverageCheck.run(an);
    RecordingChecks.run(an);
    Map<String, ActionCoverage> byAction = new LinkedHashMap<>();
    coverage.forEach(c -> byAction.put(c.actionId(), c));
    DocumentChecks.run(an, byAction);
    for (String id : unreadable) {
      an.add(
          ContinuityCode.RECORDING_MISSING,
          Severity.ERROR,
          "Art. 21(2)",
          FindingText.unreadable(id),
          null,
          List.of(id),
          null);
    }
    List<ContinuityFinding> findings = an.findings;
    findings.sort(
        Comparator.comparing(
                (ContinuityFinding f) -> f.when().map(Interval::start).orElse(Instant.MIN))
            .thenComparing(ContinuityFinding::code));
    return new ContinuityReport(
        an.chain.sessions,
        coverage,
        findings,
        ContinuitySummary.of(findings, recordings, actions),
        an.actionsById);
  }
}
