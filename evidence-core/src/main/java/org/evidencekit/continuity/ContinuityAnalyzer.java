package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.evidencekit.continuity.ContinuityFinding.Severity;
import org.evidencekit.continuity.DeviceSession.BreakKind;

/**
 * Was the whole enforcement action recorded, untouched? (R-02, R-08 to R-14, R-21(1)(4).) Chains
 * each device's split files into sessions and classifies every break, measures how much of each
 * action was recorded (Art. 15 stage pauses allowed), and checks post-hoc recording, ingest
 * deadlines, clock offsets, written documents' times, unlinked recordings and Art. 12 markers.
 * Format-agnostic and pure: plain values in, a {@link ContinuityReport} out. All times are compared
 * in trusted time (device time minus the measured clock offset).
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
   * Analyzes recordings against actions and documents.
   *
   * @throws IllegalArgumentException for duplicate recording ids or documents citing unknown
   *     recordings
   */
  public ContinuityReport analyze(
      List<RecordingSpan> recordings,
      List<EnforcementAction> actions,
      List<WrittenDocument> documents) {
    requireNonNull(recordings, "recordings");
    requireNonNull(actions, "actions");
    requireNonNull(documents, "documents");
    Map<String, RecordingSpan> byId = new LinkedHashMap<>();
    for (RecordingSpan r : recordings) {
      if (byId.put(r.id(), r) != null) {
        throw new IllegalArgumentException("recording " + r.id() + " appears twice");
      }
    }
    List<ContinuityFinding> findings = new ArrayList<>();
    List<DeviceSession> sessions = sessions(recordings, findings);
    // recordings sorted by trusted start, for overlap queries
    List<RecordingSpan> byStart = new ArrayList<>(recordings);
    byStart.sort(Comparator.comparing((RecordingSpan r) -> r.trueSpan().start()));
    Duration longest = Duration.ZERO;
    for (RecordingSpan r : recordings) {
      Duration d = r.trueSpan().duration();
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    List<ActionCoverage> coverage = new ArrayList<>();
    Set<String> linked = new HashSet<>();
    for (EnforcementAction a : actions) {
      coverage.add(cover(a, byStart, longest, byId, linked, findings));
    }
    perRecording(recordings, actions, linked, findings);
    documents(documents, byId, findings);
    findings.sort(
        Comparator.comparing(
                (ContinuityFinding f) -> f.when().map(Interval::start).orElse(Instant.MIN))
            .thenComparing(ContinuityFinding::code));
    return new ContinuityReport(sessions, coverage, findings);
  }

  // ------------------------------------------------------------------ sessions

  private List<DeviceSession> sessions(
      List<RecordingSpan> recordings, List<ContinuityFinding> out) {
    Map<String, List<RecordingSpan>> byDevice = new LinkedHashMap<>();
    for (RecordingSpan r : recordings) {
      byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
    }
    List<DeviceSession> sessions = new ArrayList<>();
    for (Map.Entry<String, List<RecordingSpan>> e : byDevice.entrySet()) {
      List<RecordingSpan> rs = e.getValue();
      // never by file name alone: by start time, then sequence number
      rs.sort(
          Comparator.comparing((RecordingSpan r) -> r.trueSpan().start())
              .thenComparing(r -> r.sequence().orElse(Integer.MAX_VALUE))
              .thenComparing(RecordingSpan::id));
      List<DeviceSession.SessionBreak> breaks = new ArrayList<>();
      double recorded = 0;
      for (int i = 0; i < rs.size(); i++) {
        RecordingSpan r = rs.get(i);
        recorded +=
            r.trueSpan().seconds() - r.trueGaps().stream().mapToDouble(Interval::seconds).sum();
        if (i == 0) {
          continue;
        }
        RecordingSpan a = rs.get(i - 1);
        Instant aEnd = a.trueSpan().end();
        Instant bStart = r.trueSpan().start();
        Duration delta = Duration.between(aEnd, bStart);
        double seconds = delta.toNanos() / 1e9;
        List<Integer> missing = new ArrayList<>();
        if (a.sequence().isPresent() && r.sequence().isPresent()) {
          for (int s = a.sequence().getAsInt() + 1;
              s < r.sequence().getAsInt() && missing.size() < 1000;
              s++) {
            missing.add(s);
          }
        }
        BreakKind kind;
        Interval gap = null;
        if (delta.abs().compareTo(policy.chainTolerance()) <= 0) {
          kind = BreakKind.CONTIGUOUS;
        } else if (delta.isNegative()) {
          kind = BreakKind.OVERLAP;
          out.add(
              finding(
                  ContinuityCode.OVERLAP,
                  Severity.WARNING,
                  "Art. 10",
                  String.format(
                      Locale.ROOT,
                      "%s starts %.3f s before %s ends: the device clock jumped or the files were"
                          + " reordered",
                      r.id(),
                      -seconds,
                      a.id()),
                  new Interval(bStart, aEnd),
                  List.of(a.id(), r.id())));
        } else {
          gap = new Interval(aEnd, bStart);
          if (!missing.isEmpty()) {
            boolean loop = a.locked() || r.locked();
            kind = loop ? BreakKind.LOOP_OVERWRITE : BreakKind.MISSING_FILE;
            out.add(
                finding(
                    loop ? ContinuityCode.LOOP_OVERWRITE : ContinuityCode.MISSING_FILE,
                    loop ? Severity.WARNING : Severity.ERROR,
                    loop ? "Art. 7(2)" : "Art. 21(2)",
                    String.format(
                        Locale.ROOT,
                        "%s: %.3f s missing between %s and %s, and with it file(s) %s of the"
                            + " sequence%s",
                        e.getKey(),
                        seconds,
                        a.id(),
                        r.id(),
                        missing,
                        loop
                            ? " (next to a locked EVENT file: overwritten by loop recording)"
                            : " (deleted or withheld)"),
                    gap,
                    List.of(a.id(), r.id())));
          } else {
            kind = BreakKind.STOP_START;
          }
        }
        breaks.add(new DeviceSession.SessionBreak(a.id(), r.id(), kind, gap, seconds, missing));
      }
      double span =
          rs.isEmpty()
              ? 0
              : Duration.between(
                          rs.get(0).trueSpan().start(), rs.get(rs.size() - 1).trueSpan().end())
                      .toNanos()
                  / 1e9;
      sessions.add(
          new DeviceSession(
              e.getKey(), rs.stream().map(RecordingSpan::id).toList(), breaks, recorded, span));
    }
    return sessions;
  }

  // ------------------------------------------------------------------ actions

  private ActionCoverage cover(
      EnforcementAction a,
      List<RecordingSpan> byStart,
      Duration longest,
      Map<String, RecordingSpan> byId,
      Set<String> linked,
      List<ContinuityFinding> out) {
    boolean mandatory = policy.mandatoryTypes().contains(a.type());
    Severity sev = mandatory ? Severity.ERROR : Severity.WARNING;
    Interval span = a.span();
    // recordings overlapping the action: starts in [span.start - longest, span.end)
    List<RecordingSpan> claimed = new ArrayList<>();
    int from = lowerBound(byStart, span.start().minus(longest));
    for (int i = from; i < byStart.size(); i++) {
      RecordingSpan r = byStart.get(i);
      if (!r.trueSpan().start().isBefore(span.end())) {
        break;
      }
      if (r.trueSpan().overlaps(span) && a.claims(r)) {
        claimed.add(r);
      }
    }
    // explicitly listed recordings that do not overlap: post-hoc (or before the fact)
    for (String id : a.recordingIds()) {
      RecordingSpan r = byId.get(id);
      if (r == null) {
        throw new IllegalArgumentException("action " + a.id() + " names unknown recording " + id);
      }
      linked.add(id);
      if (!r.trueSpan().start().isBefore(span.end())) {
        out.add(
            finding(
                ContinuityCode.POST_HOC_RECORDING,
                Severity.ERROR,
                "Art. 16",
                String.format(
                    Locale.ROOT,
                    "%s of action %s was made %s after the action ended (%s)",
                    r.id(),
                    a.id(),
                    human(Duration.between(span.end(), r.trueSpan().start())),
                    span.end()),
                r.trueSpan(),
                List.of(r.id())));
      }
    }
    if (a.recordingIds().isEmpty() && !a.deviceIds().isEmpty()) {
      int j = lowerBound(byStart, span.end());
      for (int i = j; i < byStart.size(); i++) {
        RecordingSpan r = byStart.get(i);
        if (r.trueSpan().start().isAfter(span.end().plus(policy.postHocWindow()))) {
          break;
        }
        if (a.deviceIds().contains(r.deviceId()) && !r.trueSpan().overlaps(span)) {
          out.add(
              finding(
                  ContinuityCode.POST_HOC_RECORDING,
                  Severity.WARNING,
                  "Art. 16",
                  String.format(
                      Locale.ROOT,
                      "%s on %s starts %s after action %s ended: recorded after the fact?",
                      r.id(),
                      r.deviceId(),
                      human(Duration.between(span.end(), r.trueSpan().start())),
                      a.id()),
                  r.trueSpan(),
                  List.of(r.id())));
        }
      }
    }
    claimed.forEach(r -> linked.add(r.id()));
    List<Interval> covered = new ArrayList<>();
    for (RecordingSpan r : claimed) {
      covered.addAll(subtract(List.of(r.trueSpan()), r.trueGaps()));
    }
    covered = union(covered);
    double required = 0;
    double recorded = 0;
    List<Interval> uncoveredAll = new ArrayList<>();
    boolean anything = false;
    for (Interval req : a.required()) {
      required += req.seconds();
      List<Interval> inside = intersect(covered, req);
      for (Interval c : inside) {
        recorded += c.seconds();
        anything = true;
      }
      uncoveredAll.addAll(subtract(List.of(req), inside));
    }
    List<String> files = claimed.stream().map(RecordingSpan::id).toList();
    if (!anything && required > 0) {
      out.add(
          finding(
              ContinuityCode.ACTION_NOT_RECORDED,
              sev,
              "Art. 13",
              String.format(
                  Locale.ROOT,
                  "%s %s (%s) has no recording at all%s",
                  a.type(),
                  a.id(),
                  human(span.duration()),
                  mandatory ? ": recording it is mandatory" : ""),
              span,
              List.of()));
    } else {
      for (Interval u : uncoveredAll) {
        Interval req =
            a.required().stream()
                .filter(r -> !u.start().isBefore(r.start()) && !u.end().isAfter(r.end()))
                .findFirst()
                .orElse(span);
        String code;
        String article;
        String what;
        if (u.start().equals(req.start())) {
          code = ContinuityCode.LATE_START;
          article = mandatory ? "Art. 13" : "Art. 16";
          what = "recording started " + human(u.duration()) + " after";
        } else if (u.end().equals(req.end())) {
          code = ContinuityCode.EARLY_STOP;
          article = mandatory ? "Art. 13" : "Art. 16";
          what = "recording stopped " + human(u.duration()) + " before the end of";
        } else {
          code = ContinuityCode.BREAK_IN_ACTION;
          article = "Art. 16";
          what = human(u.duration()) + " unrecorded in the middle of";
        }
        String stage = a.stages().isEmpty() ? "" : " (stage " + stageName(a, req) + ")";
        out.add(
            finding(
                code,
                sev,
                article,
                String.format(
                    Locale.ROOT,
                    "%s the %s %s%s, %s to %s; no Art. 15 stage pause covers it",
                    what,
                    a.type(),
                    a.id(),
                    stage,
                    u.start(),
                    u.end()),
                u,
                files));
      }
    }
    if (a.type().equals(EnforcementAction.INQUIRY)) {
      boolean informed = false;
      for (RecordingSpan r : claimed) {
        if (r.partyInformedAt().isPresent()) {
          Instant t = r.partyInformedAt().get().minus(r.clockOffset().orElse(Duration.ZERO));
          if (!t.isAfter(span.start().plus(policy.partyInformedWithin()))) {
            informed = true;
          }
        }
      }
      if (!informed) {
        out.add(
            finding(
                ContinuityCode.PARTY_NOT_INFORMED,
                Severity.WARNING,
                "Art. 12",
                "inquiry "
                    + a.id()
                    + ": no recording marks the party as informed within "
                    + human(policy.partyInformedWithin())
                    + " of its start",
                span,
                files));
      }
    }
    return new ActionCoverage(a.id(), a.type(), mandatory, required, recorded, uncoveredAll, files);
  }

  private static String stageName(EnforcementAction a, Interval req) {
    for (EnforcementAction.Stage s : a.stages()) {
      if (s.span().equals(req)) {
        return s.name();
      }
    }
    return "?";
  }

  // ------------------------------------------------------------------ per recording

  private void perRecording(
      List<RecordingSpan> recordings,
      List<EnforcementAction> actions,
      Set<String> linked,
      List<ContinuityFinding> out) {
    for (RecordingSpan r : recordings) {
      Interval t = r.trueSpan();
      r.clockOffset()
          .filter(o -> o.abs().compareTo(policy.clockOffsetTolerance()) > 0)
          .ifPresent(
              o ->
                  out.add(
                      finding(
                          ContinuityCode.CLOCK_OFFSET,
                          Severity.WARNING,
                          "Art. 10",
                          String.format(
                              Locale.ROOT,
                              "%s's device clock was %s %s at docking (tolerance %s); its times"
                                  + " are corrected",
                              r.deviceId(),
                              human(o.abs()),
                              o.isNegative() ? "behind" : "ahead",
                              human(policy.clockOffsetTolerance())),
                          t,
                          List.of(r.id()))));
      r.ingestTime()
          .filter(i -> Duration.between(t.end(), i).compareTo(policy.ingestDeadline()) > 0)
          .ifPresent(
              i ->
                  out.add(
                      finding(
                          ContinuityCode.LATE_INGEST,
                          Severity.ERROR,
                          "Art. 17",
                          String.format(
                              Locale.ROOT,
                              "%s was ingested %s after it ended (deadline %s)",
                              r.id(),
                              human(Duration.between(t.end(), i)),
                              human(policy.ingestDeadline())),
                          new Interval(t.end(), i),
                          List.of(r.id()))));
      for (Interval g : r.trueGaps()) {
        boolean inAction = actions.stream().anyMatch(a -> a.span().overlaps(g) && a.claims(r));
        out.add(
            finding(
                ContinuityCode.INTERNAL_GAP,
                inAction ? Severity.ERROR : Severity.WARNING,
                "Art. 16",
                String.format(
                    Locale.ROOT,
                    "%s has a %s hole at %s%s: footage was cut out and the timestamps kept",
                    r.id(),
                    human(g.duration()),
                    g.start(),
                    inAction ? " inside an enforcement action" : ""),
                g,
                List.of(r.id())));
      }
      boolean spliced = false;
      boolean truncated = false;
      for (String c : r.containerFindings()) {
        spliced |= c.equals("SECOND_ENCODER_BANNER") || c.equals("CODEC_CONFIG_CHANGE");
        truncated |=
            c.equals("MOOV_MISSING")
                || c.equals("SAMPLES_BEYOND_EOF")
                || c.equals("MDAT_SIZE_ZERO");
      }
      if (spliced) {
        out.add(
            finding(
                ContinuityCode.SPLICED_FOOTAGE,
                Severity.ERROR,
                "Art. 16",
                r.id()
                    + ": the container shows footage from another encode or configuration"
                    + " spliced in",
                t,
                List.of(r.id())));
      }
      if (truncated) {
        out.add(
            finding(
                ContinuityCode.TRUNCATED_RECORDING,
                Severity.WARNING,
                "Art. 16",
                r.id() + ": the file is truncated or was never finished; its end is lost",
                t,
                List.of(r.id())));
      }
      if (!actions.isEmpty() && !linked.contains(r.id())) {
        out.add(
            finding(
                ContinuityCode.UNLINKED_RECORDING,
                Severity.INFO,
                "Art. 21(4)",
                r.id() + " covers no enforcement action: review whether it relates to enforcement",
                t,
                List.of(r.id())));
      }
    }
  }

  private void documents(
      List<WrittenDocument> documents,
      Map<String, RecordingSpan> byId,
      List<ContinuityFinding> out) {
    for (WrittenDocument d : documents) {
      Instant first = null;
      Instant last = null;
      for (String id : d.citedRecordings()) {
        RecordingSpan r = byId.get(id);
        if (r == null) {
          throw new IllegalArgumentException(
              "document " + d.id() + " cites unknown recording " + id);
        }
        Interval t = r.trueSpan();
        first = first == null || t.start().isBefore(first) ? t.start() : first;
        last = last == null || t.end().isAfter(last) ? t.end() : last;
      }
      if (first == null) {
        continue;
      }
      Duration ds = Duration.between(first, d.stated().start()).abs();
      Duration de = Duration.between(last, d.stated().end()).abs();
      if (ds.compareTo(policy.documentTolerance()) > 0
          || de.compareTo(policy.documentTolerance()) > 0) {
        out.add(
            finding(
                ContinuityCode.DOCUMENT_TIME_MISMATCH,
                Severity.ERROR,
                "Art. 14",
                String.format(
                    Locale.ROOT,
                    "the %s %s states %s to %s, its recordings run %s to %s (start off by %s, end"
                        + " by %s; tolerance %s)",
                    d.kind(),
                    d.id(),
                    d.stated().start(),
                    d.stated().end(),
                    first,
                    last,
                    human(ds),
                    human(de),
                    human(policy.documentTolerance())),
                d.stated(),
                d.citedRecordings()));
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static ContinuityFinding finding(
      String code, Severity s, String article, String message, Interval when, List<String> files) {
    return new ContinuityFinding(code, s, article, message, when, files);
  }

  private static int lowerBound(List<RecordingSpan> byStart, Instant t) {
    int lo = 0;
    int hi = byStart.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (byStart.get(mid).trueSpan().start().isBefore(t)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static List<Interval> union(List<Interval> in) {
    List<Interval> sorted = new ArrayList<>(in);
    sorted.sort(Comparator.comparing(Interval::start));
    List<Interval> out = new ArrayList<>();
    for (Interval i : sorted) {
      if (!out.isEmpty() && !i.start().isAfter(out.get(out.size() - 1).end())) {
        Interval last = out.remove(out.size() - 1);
        out.add(new Interval(last.start(), i.end().isAfter(last.end()) ? i.end() : last.end()));
      } else {
        out.add(i);
      }
    }
    return out;
  }

  static List<Interval> intersect(List<Interval> sortedUnion, Interval w) {
    List<Interval> out = new ArrayList<>();
    for (Interval i : sortedUnion) {
      Instant s = i.start().isAfter(w.start()) ? i.start() : w.start();
      Instant e = i.end().isBefore(w.end()) ? i.end() : w.end();
      if (s.isBefore(e)) {
        out.add(new Interval(s, e));
      }
    }
    return out;
  }

  static List<Interval> subtract(List<Interval> from, List<Interval> minus) {
    List<Interval> result = new ArrayList<>(from);
    for (Interval m : union(minus)) {
      List<Interval> next = new ArrayList<>();
      for (Interval r : result) {
        if (!r.overlaps(m)) {
          next.add(r);
          continue;
        }
        if (r.start().isBefore(m.start())) {
          next.add(new Interval(r.start(), m.start()));
        }
        if (m.end().isBefore(r.end())) {
          next.add(new Interval(m.end(), r.end()));
        }
      }
      result = next;
    }
    return result;
  }

  static String human(Duration d) {
    long ms = d.abs().toMillis();
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
    }
    if (ms < 3_600_000) {
      return String.format(Locale.ROOT, "%d min %d s", ms / 60_000, (ms / 1000) % 60);
    }
    return String.format(Locale.ROOT, "%d h %d min", ms / 3_600_000, (ms / 60_000) % 60);
  }
}
