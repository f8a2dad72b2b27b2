package org.evidencekit.continuity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evidencekit.continuity.ContinuityFinding.Severity;
import org.evidencekit.continuity.DeviceSession.BreakKind;

/**
 * Findings about recordings and device sessions once the actions have claimed theirs: missing
 * files, loop overwrites and overlaps between files, holes, lost media and splices inside them,
 * clock offsets (Art. 10), the Art. 17 ingest deadline, and recordings outside every action
 * (suspected post-hoc, or unlinked for Art. 21(4) review).
 */
final class RecordingChecks {
  private static final Set<String> SPLICE_CODES =
      Set.of("SECOND_ENCODER_BANNER", "CODEC_CONFIG_CHANGE", "SPLICE");

  /**
   * Container findings (as carried over: benign ones are not) that an edit after the camera closed
   * the file leaves: an edit list hiding, delaying or reordering media, media data left between the
   * samples after samples were taken out of the index, fragments missing or out of order, track
   * times that disagree with a re-stamped movie header, a file name's time that the container's
   * contradicts beyond a zone offset or a stamp at close (a rename or re-stamp that can hide a late
   * recording, R-08), and the duration scar of a stream-copy join. None of them is found in
   * the real camera files or the honest files of the corpus.
   */
  private static final List<String> EDIT_CODES =
      List.of(
          "EDIT_LIST",
          "UNREFERENCED_MEDIA",
          "FRAGMENT_DISCONTINUITY",
          "CREATION_TIME_DISAGREEMENT",
          "NAME_TIME_MISMATCH",
          "DURATION_ANOMALY");

  /**
   * Of the edit codes, those an honest device can also leave: a duration off once (an encoder's
   * timing glitch) and a name that disagrees with the container (a device naming files by another
   * clock). Alone they are a warning.
   */
  private static final Set<String> SUSPECT_CODES = Set.of("DURATION_ANOMALY", "NAME_TIME_MISMATCH");

  private static final Set<String> TRUNCATION_CODES =
      Set.of(
          "MOOV_MISSING",
          "SAMPLES_BEYOND_EOF",
          "MDAT_SIZE_ZERO",
          "INDEX_INCOMPLETE",
          "DAMAGED_TAIL",
          "TRUNCATED_BOX");

  private RecordingChecks() {}

  static void run(Analysis an) {
    breaks(an);
    clockOffsets(an);
    offsetConflicts(an);
    ingest(an);
    for (RecordingSpan r : an.recordings) {
      inside(an, r);
    }
    outsideActions(an);
  }

  /** The first action claiming either file whose span overlaps {@code when}. */
  private static EnforcementAction actionAt(Analysis an, Interval when, RecordingSpan... files) {
    for (RecordingSpan f : files) {
      for (EnforcementAction a : an.claimedBy.getOrDefault(f.id(), List.of())) {
        if (when == null || a.span().overlaps(when)) {
          return a;
        }
      }
    }
    return null;
  }

  private static void breaks(Analysis an) {
    for (SessionChain.Break b : an.chain.breaks) {
      DeviceSession.SessionBreak v = b.value();
      List<String> files = List.of(b.before().id(), b.after().id());
      if (v.kind() == BreakKind.OVERLAP) {
        Interval when = new Interval(b.after().trueSpan().start(), b.before().trueSpan().end());
        an.add(
            ContinuityCode.OVERLAP,
            Severity.WARNING,
            "Art. 10",
            FindingText.overlap(b.before().id(), b.after().id(), when.duration()),
            when,
            files,
            actionAt(an, when, b.before(), b.after()));
      } else if (v.kind() == BreakKind.MISSING_FILE || v.kind() == BreakKind.LOOP_OVERWRITE) {
        boolean loop = v.kind() == BreakKind.LOOP_OVERWRITE;
        EnforcementAction a = actionAt(an, v.gap(), b.before(), b.after());
        // an overwrite is allowed by Art. 7(2) outside enforcement; inside a mandatory action the
        // lost time is a failure to record like any other
        Severity sev = !loop || (a != null && an.mandatory(a)) ? Severity.ERROR : Severity.WARNING;
        an.add(
            loop ? ContinuityCode.LOOP_OVERWRITE : ContinuityCode.MISSING_FILE,
            sev,
            loop ? (a == null ? "Art. 7(2)" : "Art. 7(2), 21(1)") : "Art. 21(2)",
            FindingText.missingFiles(b, a, loop),
            v.gap(),
            files,
            a);
      }
    }
  }

  private static void clockOffsets(Analysis an) {
    // one finding per device and measured offset, however many files it concerns
    Map<String, List<RecordingSpan>> groups = new LinkedHashMap<>();
    for (RecordingSpan r : an.recordings) {
      r.clockOffset()
          .filter(o -> o.abs().compareTo(an.policy.clockOffsetTolerance()) > 0)
          .ifPresent(
              o -> groups.computeIfAbsent(r.deviceId() + "\n" + o, k -> new ArrayList<>()).add(r));
    }
    for (List<RecordingSpan> g : groups.values()) {
      RecordingSpan first = g.get(0);
      Duration o = first.clockOffset().orElseThrow();
      an.add(
          ContinuityCode.CLOCK_OFFSET,
          Severity.WARNING,
          "Art. 10",
          FindingText.clockOffset(first.deviceId(), o, an.policy.clockOffsetTolerance(), g.size()),
          hull(g),
          ids(g),
          null);
    }
  }

  /**
   * Stated offsets that contradict the device's own order. Each seal's offset is its
   * signer's claim, and one alone is only CLOCK_OFFSET; but honest offsets correct a device's files
   * to when they were really recorded, one after another. Two files back to back by the device's
   * clock (within the chain tolerance) were recorded back to back, so their offsets must agree; two
   * recorded in order by it must stay in that order when they are numbered in that order too, or
   * when no docking lies between them (the one the offsets put first was ingested after the other
   * began), as a clock is set only at a docking. Offsets more than the clock tolerance apart that
   * break either are a conflict. A clock set between two dockings is not: its files are not back to
   * back, and a later file it dates earlier is numbered later, against the device's clock, and was
   * recorded after the earlier one's docking; nor is a counter that wrapped.
   */
  private static void offsetConflicts(Analysis an) {
    Map<String, List<RecordingSpan>> byDevice = new LinkedHashMap<>();
    for (RecordingSpan r : an.recordings) {
      byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
    }
    Duration tolerance = an.policy.clockOffsetTolerance();
    for (List<RecordingSpan> all : byDevice.values()) {
      List<RecordingSpan> rs = new ArrayList<>(all);
      rs.sort(
          Comparator.comparing(RecordingSpan::start)
              .thenComparing(r -> r.sequence().orElse(Integer.MAX_VALUE))
              .thenComparing(RecordingSpan::id));
      for (int i = 1; i < rs.size(); i++) {
        RecordingSpan a = rs.get(i - 1);
        RecordingSpan b = rs.get(i);
        Duration apart =
            b.clockOffset()
                .orElse(Duration.ZERO)
                .minus(a.clockOffset().orElse(Duration.ZERO))
                .abs();
        if (apart.compareTo(tolerance) <= 0) {
          continue;
        }
        boolean backToBack =
            Duration.between(a.end(), b.start()).abs().compareTo(an.policy.chainTolerance()) <= 0;
        boolean numberedInOrder =
            a.sequence().isPresent()
                && b.sequence().isPresent()
                && b.sequence().getAsInt() > a.sequence().getAsInt();
        boolean reversed = b.trueSpan().start().isBefore(a.trueSpan().end().minus(tolerance));
        // a clock set between them (its order changed) was set at a docking: corrected, the
        // second comes first, so it was ingested before the first began
        boolean undocked =
            b.ingestTime().filter(t -> t.isAfter(a.trueSpan().start().plus(tolerance))).isPresent();
        if (!backToBack && !(reversed && (numberedInOrder || undocked))) {
          continue;
        }
        Instant from = min(a.trueSpan().start(), b.trueSpan().start());
        Instant to = max(a.trueSpan().end(), b.trueSpan().end());
        an.add(
            ContinuityCode.CLOCK_OFFSET_CONFLICT,
            Severity.ERROR,
            "Art. 10",
            FindingText.offsetConflict(a, b, backToBack, numberedInOrder),
            new Interval(from, to),
            List.of(a.id(), b.id()),
            null);
      }
    }
  }

  private static Instant min(Instant x, Instant y) {
    return x.isBefore(y) ? x : y;
  }

  private static Instant max(Instant x, Instant y) {
    return x.isAfter(y) ? x : y;
  }

  /**
   * Art. 17 counts 24 h from the end of the enforcement: of the latest action a recording belongs
   * to, else of the continuous session it is part of. One finding per action or session.
   */
  private static void ingest(Analysis an) {
    Map<String, List<RecordingSpan>> late = new LinkedHashMap<>();
    Map<String, Instant> reference = new LinkedHashMap<>();
    Map<String, EnforcementAction> basis = new LinkedHashMap<>();
    Map<String, List<RecordingSpan>> uncorrected = new LinkedHashMap<>();
    for (RecordingSpan r : an.recordings) {
      if (r.ingestTime().isEmpty()) {
        continue;
      }
      Instant ingested = r.ingestTime().get();
      if (ingested.isBefore(r.trueSpan().end())) {
        an.add(
            ContinuityCode.INGEST_BEFORE_END,
            Severity.WARNING,
            "Art. 17",
            FindingText.ingestBeforeEnd(r, ingested),
            new Interval(ingested, r.trueSpan().end()),
            List.of(r.id()),
            null);
        // an offset stated further behind than the lateness hides it as well as one just enough
        if (lateByDeviceClock(r, ingested, an.policy)) {
          uncorrected
              .computeIfAbsent(
                  r.deviceId() + "\n" + r.clockOffset().orElseThrow(), k -> new ArrayList<>())
              .add(r);
        }
        continue;
      }
      EnforcementAction a = null;
      for (EnforcementAction c : an.claimedBy.getOrDefault(r.id(), List.of())) {
        if (a == null || c.span().end().isAfter(a.span().end())) {
          a = c;
        }
      }
      Instant end;
      String key;
      if (a != null) {
        end = a.span().end();
        key = "action\n" + a.id();
      } else {
        SessionChain.Run run = an.chain.runOf.get(r.id());
        end = run.end();
        key = "run\n" + run.deviceId() + "\n" + run.files().get(0).id();
      }
      if (Duration.between(end, ingested).compareTo(an.policy.ingestDeadline()) > 0) {
        late.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        reference.put(key, end);
        if (a != null) {
          basis.put(key, a);
        }
      } else if (lateByDeviceClock(r, ingested, an.policy)) {
        uncorrected
            .computeIfAbsent(
                r.deviceId() + "\n" + r.clockOffset().orElseThrow(), k -> new ArrayList<>())
            .add(r);
      }
    }
    for (List<RecordingSpan> rs : uncorrected.values()) {
      RecordingSpan first = rs.get(0);
      Instant deviceEnd = first.end();
      Instant last = first.ingestTime().orElseThrow();
      for (RecordingSpan r : rs) {
        // the latest end, the one most in the officer's favour: each file is late by it
        deviceEnd = r.end().isAfter(deviceEnd) ? r.end() : deviceEnd;
        last = r.ingestTime().orElseThrow().isAfter(last) ? r.ingestTime().orElseThrow() : last;
      }
      an.add(
          ContinuityCode.LATE_INGEST_UNCORRECTED,
          Severity.ERROR,
          "Art. 17",
          FindingText.lateUncorrected(
              first.deviceId(),
              first.clockOffset().orElseThrow(),
              deviceEnd,
              last,
              rs.size(),
              an.policy.ingestDeadline()),
          new Interval(deviceEnd, last),
          ids(rs),
          null);
    }
    for (Map.Entry<String, List<RecordingSpan>> e : late.entrySet()) {
      List<RecordingSpan> rs = e.getValue();
      Instant end = reference.get(e.getKey());
      Instant last = rs.get(0).ingestTime().orElseThrow();
      for (RecordingSpan r : rs) {
        Instant i = r.ingestTime().orElseThrow();
        last = i.isAfter(last) ? i : last;
      }
      EnforcementAction a = basis.get(e.getKey());
      an.add(
          ContinuityCode.LATE_INGEST,
          Severity.ERROR,
          "Art. 17",
          FindingText.lateIngest(
              a, rs.get(0).deviceId(), end, last, rs.size(), an.policy.ingestDeadline()),
          new Interval(end, last),
          ids(rs),
          a);
    }
  }

  /**
   * Whether the recording's own end is in time only by its clock offset: more than the deadline
   * before the ingest by the device's clock, within it once corrected. The offset is measured at
   * docking and written into the seal by whoever signs it; nothing in the sealed bytes bounds it
   * (the content's times are the device's, the ingest time is the station's), so a signer could
   * state a clock "behind" by days and move a late recording's end up to its ingest. A clock ahead
   * (a camera in local time) only ever moves the end earlier, and is never this; nor is a clock
   * behind by no more than the clock tolerance, which Art. 10 does not fault either.
   */
  private static boolean lateByDeviceClock(
      RecordingSpan r, Instant ingested, ContinuityPolicy policy) {
    Duration deadline = policy.ingestDeadline();
    // a clock within the tolerance is no finding (Art. 10), so its seconds decide nothing here
    return r.clockOffset().filter(Duration::isNegative).isPresent()
        && Duration.between(r.end(), ingested)
                .compareTo(deadline.plus(policy.clockOffsetTolerance()))
            > 0
        && Duration.between(r.trueSpan().end(), ingested).compareTo(deadline) <= 0;
  }

  private static void inside(Analysis an, RecordingSpan r) {
    for (Interval g : r.trueGaps()) {
      EnforcementAction a = actionAt(an, g, r);
      an.add(
          ContinuityCode.INTERNAL_GAP,
          a != null ? Severity.ERROR : Severity.WARNING,
          "Art. 16, 21(2)",
          FindingText.internalGap(r, g, a),
          g,
          List.of(r.id()),
          a);
    }
    boolean spliced = false;
    boolean truncated = false;
    for (String c : r.containerFindings()) {
      spliced |= SPLICE_CODES.contains(c);
      truncated |= TRUNCATION_CODES.contains(c);
    }
    if (spliced) {
      List<String> codes = r.containerFindings().stream().filter(SPLICE_CODES::contains).toList();
      Map<String, Interval> where = places(r, codes);
      Interval when = inDoubt(r, where, codes);
      an.add(
          ContinuityCode.SPLICED_FOOTAGE,
          Severity.ERROR,
          "Art. 16, 21(2)",
          FindingText.spliced(r, when == null ? null : earliest(where)),
          when == null ? r.trueSpan() : when,
          List.of(r.id()),
          actionIn(an, when, r));
    }
    List<String> edits = new ArrayList<>();
    for (String c : EDIT_CODES) {
      // the scar of a splice is that splice, reported above
      if (r.containerFindings().contains(c) && !(spliced && c.equals("DURATION_ANOMALY"))) {
        edits.add(c);
      }
    }
    if (!edits.isEmpty()) {
      boolean proven = edits.stream().anyMatch(c -> !SUSPECT_CODES.contains(c));
      Map<String, Interval> where = places(r, edits);
      Interval when = inDoubt(r, where, edits);
      an.add(
          ContinuityCode.EDITED_RECORDING,
          proven ? Severity.ERROR : Severity.WARNING,
          "Art. 16, 21(2)",
          FindingText.edited(r, edits, proven, where),
          when == null ? r.trueSpan() : when,
          List.of(r.id()),
          actionIn(an, when, r));
    }
    if (r.containerFindings().contains("MEDIA_SEGMENT")) {
      an.add(
          ContinuityCode.SEGMENT_WITHOUT_INIT,
          Severity.WARNING,
          "Art. 16",
          FindingText.segmentWithoutInit(r),
          r.trueSpan(),
          List.of(r.id()),
          actionIn(an, r.trueSpan(), r));
    }
    List<Interval> lost = r.trueLostMedia();
    if (truncated || !lost.isEmpty()) {
      // the action whose recorded time was lost; when the container cannot say how much was
      // lost, any action the recording belongs to
      EnforcementAction a = null;
      for (Interval l : lost.isEmpty() ? List.of(r.trueSpan()) : lost) {
        for (EnforcementAction c : an.claimedBy.getOrDefault(r.id(), List.of())) {
          if (c.span().overlaps(l) && (a == null || (!an.mandatory(a) && an.mandatory(c)))) {
            a = c;
          }
        }
      }
      boolean error = a != null && an.mandatory(a);
      Interval when = lost.isEmpty() ? r.trueSpan() : hullOf(lost);
      an.add(
          ContinuityCode.TRUNCATED_RECORDING,
          error ? Severity.ERROR : Severity.WARNING,
          error ? "Art. 16, 21(1)" : "Art. 16",
          FindingText.truncated(r, Duration.ofNanos(Math.round(Intervals.seconds(lost) * 1e9)), a),
          when,
          List.of(r.id()),
          a);
    }
  }

  /**
   * Where each of {@code codes} lies in trusted time, for the codes whose every finding the
   * container placed: the earliest point (a join) or the hull of the stretches (hidden media).
   */
  private static Map<String, Interval> places(RecordingSpan r, List<String> codes) {
    Map<String, Interval> out = new LinkedHashMap<>();
    List<RecordingSpan.Placed> placed = r.truePlacedFindings();
    for (String c : codes) {
      long all = r.containerFindings().stream().filter(c::equals).count();
      List<Interval> at =
          placed.stream().filter(p -> p.code().equals(c)).map(RecordingSpan.Placed::where).toList();
      if (at.isEmpty() || at.size() != all) {
        continue;
      }
      boolean points = at.stream().anyMatch(i -> i.duration().isZero());
      if (points) {
        Instant first = at.get(0).start();
        for (Interval i : at) {
          first = i.start().isBefore(first) ? i.start() : first;
        }
        out.put(c, new Interval(first, first));
      } else {
        out.put(c, hullOf(at));
      }
    }
    return out;
  }

  /**
   * The stretch in doubt, or null when a finding among {@code codes} says nothing of where (the
   * whole recording stays in doubt). From a join (a splice, a scar) to the end of the recording:
   * the container's times are those of the part it starts with, so what lies before the first join
   * is at its place, and what follows it is of another encode or moved up over what was cut out,
   * its times in doubt. A stretch an edit list hides, whose both ends the container states: that
   * stretch, the time whose recorded media a player does not show.
   */
  private static Interval inDoubt(
      RecordingSpan r, Map<String, Interval> where, List<String> codes) {
    if (where.isEmpty() || !where.keySet().containsAll(codes)) {
      return null;
    }
    Interval span = r.trueSpan();
    Instant from = null;
    Instant to = null;
    for (Interval i : where.values()) {
      Instant s = i.start().isBefore(span.start()) ? span.start() : i.start();
      Instant e = i.duration().isZero() ? max(span.end(), s) : i.end();
      from = from == null || s.isBefore(from) ? s : from;
      to = to == null || e.isAfter(to) ? e : to;
    }
    return new Interval(from, max(from, to));
  }

  private static Instant earliest(Map<String, Interval> where) {
    Instant first = null;
    for (Interval i : where.values()) {
      first = first == null || i.start().isBefore(first) ? i.start() : first;
    }
    return first;
  }

  /**
   * The action whose time the stretch in doubt falls in, else (outside every action, or not placed)
   * any action claiming the recording: its evidence is in doubt all the same.
   */
  private static EnforcementAction actionIn(Analysis an, Interval when, RecordingSpan r) {
    EnforcementAction a = when == null ? null : actionAt(an, when, r);
    return a != null ? a : actionAt(an, null, r);
  }

  /**
   * A run of files that no action claims and that continues no claimed file: suspected post-hoc
   * when it starts shortly after an action of its device ended, else listed for review.
   */
  private static void outsideActions(Analysis an) {
    if (an.actions.isEmpty()) {
      return;
    }
    for (SessionChain.Run run : an.chain.runs) {
      if (run.files().stream().anyMatch(f -> an.linked(f.id()))) {
        continue;
      }
      RecordingSpan first = run.files().get(0);
      Instant start = first.trueSpan().start();
      EnforcementAction after = null;
      for (EnforcementAction a : an.actions) {
        boolean named = !a.deviceIds().isEmpty() || !a.officerIds().isEmpty();
        Instant end = a.span().end();
        if (named
            && a.recordingIds().isEmpty()
            && a.claims(first)
            && !start.isBefore(end)
            && !start.isAfter(end.plus(an.policy.postHocWindow()))
            && (after == null || end.isAfter(after.span().end()))) {
          after = a;
        }
      }
      if (after != null) {
        an.add(
            ContinuityCode.POST_HOC_RECORDING,
            Severity.WARNING,
            "Art. 16",
            FindingText.postHocSuspected(
                ids(run.files()),
                run.deviceId(),
                Duration.between(after.span().end(), start),
                after),
            hull(run.files()),
            ids(run.files()),
            after);
      } else {
        an.add(
            ContinuityCode.UNLINKED_RECORDING,
            Severity.INFO,
            "Art. 21(4)",
            FindingText.unlinked(ids(run.files())),
            hull(run.files()),
            ids(run.files()),
            null);
      }
    }
  }

  static List<String> ids(List<RecordingSpan> rs) {
    return rs.stream().map(RecordingSpan::id).toList();
  }

  private static Interval hull(List<RecordingSpan> rs) {
    List<Interval> spans = new ArrayList<>();
    rs.forEach(r -> spans.add(r.trueSpan()));
    return hullOf(spans);
  }

  private static Interval hullOf(List<Interval> spans) {
    Instant s = spans.get(0).start();
    Instant e = spans.get(0).end();
    for (Interval i : spans) {
      s = i.start().isBefore(s) ? i.start() : s;
      e = i.end().isAfter(e) ? i.end() : e;
    }
    return new Interval(s, e);
  }
}
