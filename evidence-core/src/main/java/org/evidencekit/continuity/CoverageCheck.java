package org.evidencekit.continuity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.evidencekit.continuity.ContinuityFinding.Severity;
import org.evidencekit.continuity.DeviceSession.BreakKind;

/**
 * How much of each action was recorded (Art. 13, 15, 16), which recordings belong to it, and its
 * own findings: unrecorded stretches, recordings listed for it that are missing or made after it,
 * an Art. 12 inquiry without the party informed, a type that nearly matches a known one.
 */
final class CoverageCheck {
  private CoverageCheck() {}

  static List<ActionCoverage> run(Analysis an) {
    List<ActionCoverage> out = new ArrayList<>();
    for (EnforcementAction a : an.actions) {
      out.add(cover(an, a));
    }
    return out;
  }

  private static ActionCoverage cover(Analysis an, EnforcementAction a) {
    boolean mandatory = an.mandatory(a);
    String clause = an.policy.clause(a.type()).orElse(null);
    Severity sev = mandatory ? Severity.ERROR : Severity.WARNING;
    Interval span = a.span();
    nearMiss(an, a);
    List<RecordingSpan> claimed = new ArrayList<>();
    for (RecordingSpan r : an.overlapping(span)) {
      if (a.claims(r)) {
        claimed.add(r);
        an.claimedBy.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(a);
      }
    }
    for (String id : a.recordingIds()) {
      RecordingSpan r = an.byId.get(id);
      if (r == null) {
        an.add(
            ContinuityCode.RECORDING_MISSING,
            Severity.ERROR,
            "Art. 21(2)",
            FindingText.listedButMissing(id, a),
            span,
            List.of(id),
            a);
        continue;
      }
      if (!r.trueSpan().start().isBefore(span.end())) {
        an.claimedBy.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(a);
        an.add(
            ContinuityCode.POST_HOC_RECORDING,
            Severity.ERROR,
            "Art. 16",
            FindingText.postHocListed(r, a, Duration.between(span.end(), r.trueSpan().start())),
            r.trueSpan(),
            List.of(r.id()),
            a);
      }
    }
    List<Interval> playable = new ArrayList<>();
    List<Interval> explained = new ArrayList<>();
    for (RecordingSpan r : claimed) {
      playable.addAll(r.truePlayable());
      playable.addAll(an.chain.bridges.getOrDefault(r.id(), List.of()));
      explained.addAll(r.trueGaps());
      explained.addAll(r.trueLostMedia());
      for (SessionChain.Break b : an.chain.breaksAt.getOrDefault(r.id(), List.of())) {
        BreakKind k = b.value().kind();
        if (k == BreakKind.MISSING_FILE || k == BreakKind.LOOP_OVERWRITE) {
          // the session finding names the missing files and this action: one finding per fact
          explained.add(b.value().gap());
        }
      }
    }
    List<Interval> covered = Intervals.union(playable);
    explained = Intervals.union(explained);
    double required = 0;
    double recorded = 0;
    double accounted = 0;
    List<Interval> uncoveredAll = new ArrayList<>();
    List<Interval[]> reportable = new ArrayList<>();
    for (Interval req : a.required()) {
      required += req.seconds();
      List<Interval> inside = Intervals.intersect(covered, req);
      recorded += Intervals.seconds(inside);
      List<Interval> uncovered = Intervals.subtract(List.of(req), inside);
      uncoveredAll.addAll(uncovered);
      List<Interval> unexplained = Intervals.subtract(uncovered, explained);
      accounted += Intervals.seconds(uncovered) - Intervals.seconds(unexplained);
      for (Interval u : unexplained) {
        reportable.add(new Interval[] {u, req});
      }
    }
    List<String> files = claimed.stream().map(RecordingSpan::id).toList();
    if (recorded <= 0 && accounted <= 0 && required > 0) {
      an.add(
          ContinuityCode.ACTION_NOT_RECORDED,
          sev,
          mandatory ? "Art. " + clause + ", 21(1)" : "Art. 13(5)",
          FindingText.actionNotRecorded(a, mandatory),
          span,
          List.of(),
          a);
    } else {
      for (Interval[] ur : reportable) {
        uncovered(an, a, ur[0], ur[1], mandatory, clause, files);
      }
    }
    if (a.type().equals(EnforcementAction.INQUIRY) && recorded > 0) {
      partyInformed(an, a, claimed, files);
    }
    return new ActionCoverage(a.id(), a.type(), mandatory, required, recorded, uncoveredAll, files);
  }

  private static void uncovered(
      Analysis an,
      EnforcementAction a,
      Interval u,
      Interval req,
      boolean mandatory,
      String clause,
      List<String> files) {
    Severity sev = mandatory ? Severity.ERROR : Severity.WARNING;
    String code;
    String article;
    if (u.start().equals(req.start())) {
      code = ContinuityCode.LATE_START;
      article = mandatory ? "Art. " + clause + ", 21(1)" : "Art. 16";
    } else if (u.end().equals(req.end())) {
      code = ContinuityCode.EARLY_STOP;
      article = mandatory ? "Art. " + clause + ", 21(1)" : "Art. 16";
    } else {
      code = ContinuityCode.BREAK_IN_ACTION;
      article = mandatory ? "Art. " + clause + ", 16, 21(1)" : "Art. 16";
    }
    String stage = a.stages().isEmpty() ? null : stageName(a, req);
    an.add(code, sev, article, FindingText.uncovered(code, u, a, stage), u, files, a);
  }

  private static void partyInformed(
      Analysis an, EnforcementAction a, List<RecordingSpan> claimed, List<String> files) {
    Instant latest = a.span().start().plus(an.policy.partyInformedWithin());
    for (RecordingSpan r : claimed) {
      if (r.partyInformedAt().isPresent()) {
        Instant t = r.partyInformedAt().get().minus(r.clockOffset().orElse(Duration.ZERO));
        if (!t.isAfter(latest)) {
          return;
        }
      }
    }
    an.add(
        ContinuityCode.PARTY_NOT_INFORMED,
        Severity.WARNING,
        "Art. 12",
        FindingText.partyNotInformed(a, an.policy.partyInformedWithin()),
        a.span(),
        files,
        a);
  }

  /** A type that differs from a known one only in spelling is a notice, analysed as written. */
  private static void nearMiss(Analysis an, EnforcementAction a) {
    List<String> known = new ArrayList<>(an.policy.mandatoryTypes());
    known.add(EnforcementAction.INQUIRY);
    if (known.contains(a.type())) {
      return;
    }
    String t = normalize(a.type());
    for (String k : known.stream().sorted().toList()) {
      String n = normalize(k);
      if (t.equals(n) || (n.length() >= 5 && distance(t, n) <= 2)) {
        an.add(
            ContinuityCode.UNKNOWN_ACTION_TYPE,
            Severity.INFO,
            "Art. 13",
            FindingText.nearMiss(a, k, an.policy.clause(k).orElse(null)),
            a.span(),
            List.of(),
            a);
        return;
      }
    }
  }

  private static String normalize(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String stageName(EnforcementAction a, Interval req) {
    for (EnforcementAction.Stage s : a.stages()) {
      if (s.span().equals(req)) {
        return s.name();
      }
    }
    return "?";
  }
}
