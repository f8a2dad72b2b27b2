package org.evidencekit.continuity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.evidencekit.continuity.ContinuityFinding.Severity;

/**
 * Art. 14: a written record made while recording notes the recording, and its times match the
 * recordings it cites (after clock correction).
 */
final class DocumentChecks {
  private DocumentChecks() {}

  static void run(Analysis an, Map<String, ActionCoverage> coverage) {
    for (WrittenDocument d : an.documents) {
      times(an, d);
      citations(an, d, coverage);
    }
  }

  private static void times(Analysis an, WrittenDocument d) {
    Instant first = null;
    Instant last = null;
    for (String id : d.citedRecordings()) {
      RecordingSpan r = an.byId.get(id);
      if (r == null) {
        an.add(
            ContinuityCode.RECORDING_MISSING,
            Severity.ERROR,
            "Art. 21(2)",
            FindingText.citedButMissing(id, d),
            d.stated(),
            List.of(id),
            actionOf(an, d));
        continue;
      }
      Interval t = r.trueSpan();
      first = first == null || t.start().isBefore(first) ? t.start() : first;
      last = last == null || t.end().isAfter(last) ? t.end() : last;
    }
    if (first == null) {
      return;
    }
    Duration ds = Duration.between(first, d.stated().start()).abs();
    Duration de = Duration.between(last, d.stated().end()).abs();
    Duration tolerance = an.policy.documentTolerance();
    if (ds.compareTo(tolerance) > 0 || de.compareTo(tolerance) > 0) {
      an.add(
          ContinuityCode.DOCUMENT_TIME_MISMATCH,
          Severity.ERROR,
          "Art. 14",
          FindingText.documentMismatch(d, new Interval(first, last), ds, de, tolerance),
          d.stated(),
          d.citedRecordings(),
          actionOf(an, d));
    }
  }

  /** The action a document concerns: the first it names, else one its recordings belong to. */
  private static EnforcementAction actionOf(Analysis an, WrittenDocument d) {
    for (String id : d.actionIds()) {
      EnforcementAction a = an.actionsById.get(id);
      if (a != null) {
        return a;
      }
    }
    for (String id : d.citedRecordings()) {
      List<EnforcementAction> as = an.claimedBy.getOrDefault(id, List.of());
      if (!as.isEmpty()) {
        return as.get(0);
      }
    }
    return null;
  }

  /**
   * A document made for a recorded action must name at least one of its recordings. The actions a
   * document is for are those it names; one that names none and cites nothing is taken to be for
   * every recorded action its times overlap (a document that cites recordings already notes them).
   */
  private static void citations(
      Analysis an, WrittenDocument d, Map<String, ActionCoverage> coverage) {
    List<EnforcementAction> candidates = new ArrayList<>();
    if (!d.actionIds().isEmpty()) {
      for (String id : d.actionIds()) {
        EnforcementAction a = an.actionsById.get(id);
        if (a == null) {
          throw new IllegalArgumentException("document " + d.id() + " names unknown action " + id);
        }
        candidates.add(a);
      }
    } else if (d.citedRecordings().isEmpty()) {
      for (EnforcementAction a : an.actions) {
        if (a.span().overlaps(d.stated())) {
          candidates.add(a);
        }
      }
    }
    for (EnforcementAction a : candidates) {
      ActionCoverage c = coverage.get(a.id());
      if (c.recordings().isEmpty() || c.recordedSeconds() <= 0) {
        continue;
      }
      List<String> cited = new ArrayList<>(d.citedRecordings());
      cited.retainAll(c.recordings());
      if (cited.isEmpty()) {
        an.add(
            ContinuityCode.DOCUMENT_CITES_NO_RECORDING,
            Severity.ERROR,
            "Art. 14",
            FindingText.citesNoRecording(d, a, c.recordings()),
            d.stated(),
            c.recordings(),
            a);
      }
    }
  }
}
