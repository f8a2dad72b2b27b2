package org.evidencekit.continuity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evidencekit.continuity.DeviceSession.BreakKind;

/**
 * Each device's recordings in order, what lies between consecutive files, and the runs of files
 * that chain without a break (one continuous recording split by the device).
 */
final class SessionChain {
  /** Files of one device that follow each other within the chain tolerance. */
  record Run(String deviceId, List<RecordingSpan> files) {
    Instant end() {
      Instant e = files.get(0).trueSpan().end();
      for (RecordingSpan r : files) {
        e = r.trueSpan().end().isAfter(e) ? r.trueSpan().end() : e;
      }
      return e;
    }
  }

  /** A non-contiguous break with the recordings on either side. */
  record Break(
      String deviceId,
      RecordingSpan before,
      RecordingSpan after,
      DeviceSession.SessionBreak value) {}

  final List<DeviceSession> sessions;
  final List<Run> runs;
  final Map<String, Run> runOf;
  final List<Break> breaks;

  /**
   * The sub-tolerance stretches between a file and its contiguous neighbours, by file id: a camera
   * starting the next split file a frame late has not stopped recording.
   */
  final Map<String, List<Interval>> bridges = new HashMap<>();

  /** The non-contiguous breaks next to each recording. */
  final Map<String, List<Break>> breaksAt = new HashMap<>();

  private SessionChain(
      List<DeviceSession> sessions, List<Run> runs, Map<String, Run> runOf, List<Break> breaks) {
    this.sessions = sessions;
    this.runs = runs;
    this.runOf = runOf;
    this.breaks = breaks;
    for (Break b : breaks) {
      breaksAt.computeIfAbsent(b.before().id(), k -> new ArrayList<>()).add(b);
      breaksAt.computeIfAbsent(b.after().id(), k -> new ArrayList<>()).add(b);
    }
  }

  static SessionChain of(List<RecordingSpan> recordings, ContinuityPolicy policy) {
    Map<String, List<RecordingSpan>> byDevice = new LinkedHashMap<>();
    for (RecordingSpan r : recordings) {
      byDevice.computeIfAbsent(r.deviceId(), k -> new ArrayList<>()).add(r);
    }
    List<DeviceSession> sessions = new ArrayList<>();
    List<Run> runs = new ArrayList<>();
    Map<String, Run> runOf = new HashMap<>();
    List<Break> nonContiguous = new ArrayList<>();
    Map<String, List<Interval>> bridges = new HashMap<>();
    for (Map.Entry<String, List<RecordingSpan>> e : byDevice.entrySet()) {
      String device = e.getKey();
      List<RecordingSpan> rs = e.getValue();
      // never by file name alone: by start time, then sequence number
      rs.sort(
          Comparator.comparing((RecordingSpan r) -> r.trueSpan().start())
              .thenComparing(r -> r.sequence().orElse(Integer.MAX_VALUE))
              .thenComparing(RecordingSpan::id));
      List<DeviceSession.SessionBreak> breaks = new ArrayList<>();
      double recorded = 0;
      List<RecordingSpan> run = new ArrayList<>();
      for (int i = 0; i < rs.size(); i++) {
        RecordingSpan r = rs.get(i);
        recorded += Intervals.seconds(r.truePlayable());
        if (i > 0) {
          RecordingSpan a = rs.get(i - 1);
          DeviceSession.SessionBreak b = classify(a, r, policy);
          breaks.add(b);
          if (b.kind() == BreakKind.CONTIGUOUS
              && a.trueSpan().end().isBefore(r.trueSpan().start())) {
            Interval bridge = new Interval(a.trueSpan().end(), r.trueSpan().start());
            bridges.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(bridge);
            bridges.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(bridge);
          }
          if (b.kind() != BreakKind.CONTIGUOUS) {
            nonContiguous.add(new Break(device, a, r, b));
            close(device, run, runs, runOf);
            run = new ArrayList<>();
          }
        }
        run.add(r);
      }
      close(device, run, runs, runOf);
      double span =
          rs.isEmpty()
              ? 0
              : Interval.seconds(
                  Duration.between(
                      rs.get(0).trueSpan().start(), rs.get(rs.size() - 1).trueSpan().end()));
      sessions.add(
          new DeviceSession(
              device, rs.stream().map(RecordingSpan::id).toList(), breaks, recorded, span));
    }
    SessionChain chain = new SessionChain(sessions, runs, runOf, nonContiguous);
    chain.bridges.putAll(bridges);
    return chain;
  }

  private static void close(
      String device, List<RecordingSpan> files, List<Run> runs, Map<String, Run> runOf) {
    if (files.isEmpty()) {
      return;
    }
    Run run = new Run(device, List.copyOf(files));
    runs.add(run);
    files.forEach(f -> runOf.put(f.id(), run));
  }

  /**
   * Missing sequence numbers a break keeps at most: two files of a folder that mixes naming
   * conventions can lie millions of numbers apart.
   */
  static final int MAX_LISTED_MISSING = 1000;

  /** How many sequence numbers lie strictly between two files' numbers; 0 if either has none. */
  static long missingCount(RecordingSpan a, RecordingSpan r) {
    if (a.sequence().isEmpty() || r.sequence().isEmpty()) {
      return 0;
    }
    return Math.max(0, (long) r.sequence().getAsInt() - a.sequence().getAsInt() - 1);
  }

  private static DeviceSession.SessionBreak classify(
      RecordingSpan a, RecordingSpan r, ContinuityPolicy policy) {
    Instant aEnd = a.trueSpan().end();
    Instant bStart = r.trueSpan().start();
    Duration delta = Duration.between(aEnd, bStart);
    double seconds = Interval.seconds(delta);
    List<Integer> missing = new ArrayList<>();
    if (a.sequence().isPresent() && r.sequence().isPresent()) {
      // in long: after Integer.MAX_VALUE an int would wrap to the bottom of the range and list
      // numbers that lie nowhere between the two
      long first = (long) a.sequence().getAsInt() + 1;
      long end = Math.min(r.sequence().getAsInt(), first + MAX_LISTED_MISSING);
      for (long s = first; s < end; s++) {
        missing.add((int) s);
      }
    }
    BreakKind kind;
    Interval gap = null;
    if (delta.abs().compareTo(policy.chainTolerance()) <= 0) {
      kind = BreakKind.CONTIGUOUS;
    } else if (delta.isNegative()) {
      kind = BreakKind.OVERLAP;
    } else {
      gap = new Interval(aEnd, bStart);
      if (missing.isEmpty()) {
        kind = BreakKind.STOP_START;
      } else {
        kind = a.locked() || r.locked() ? BreakKind.LOOP_OVERWRITE : BreakKind.MISSING_FILE;
      }
    }
    return new DeviceSession.SessionBreak(
        a.id(), r.id(), kind, gap, seconds, missing, missingCount(a, r));
  }
}
