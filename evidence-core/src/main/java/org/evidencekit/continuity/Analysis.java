package org.evidencekit.continuity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evidencekit.continuity.ContinuityFinding.Severity;

/** The state one analysis shares between its checks: indexes of the input and the findings. */
final class Analysis {
  final ContinuityPolicy policy;
  final List<RecordingSpan> recordings;
  final List<EnforcementAction> actions;
  final List<WrittenDocument> documents;
  final Map<String, RecordingSpan> byId = new LinkedHashMap<>();
  final Map<String, EnforcementAction> actionsById = new LinkedHashMap<>();

  /** Recordings sorted by trusted start, for overlap queries. */
  final List<RecordingSpan> byStart;

  /** The longest recording: how far before a window an overlapping recording may start. */
  final Duration longest;

  final SessionChain chain;

  /** The actions that claim each recording (overlapping it and naming its device or officer). */
  final Map<String, List<EnforcementAction>> claimedBy = new HashMap<>();

  final List<ContinuityFinding> findings = new ArrayList<>();

  Analysis(
      ContinuityPolicy policy,
      List<RecordingSpan> recordings,
      List<EnforcementAction> actions,
      List<WrittenDocument> documents) {
    this.policy = policy;
    this.recordings = List.copyOf(recordings);
    this.actions = List.copyOf(actions);
    this.documents = List.copyOf(documents);
    for (RecordingSpan r : recordings) {
      if (byId.put(r.id(), r) != null) {
        throw new IllegalArgumentException("recording " + r.id() + " appears twice");
      }
    }
    for (EnforcementAction a : actions) {
      if (actionsById.put(a.id(), a) != null) {
        throw new IllegalArgumentException("action " + a.id() + " appears twice");
      }
    }
    Set<String> docIds = new LinkedHashSet<>();
    for (WrittenDocument d : documents) {
      if (!docIds.add(d.id())) {
        throw new IllegalArgumentException("document " + d.id() + " appears twice");
      }
    }
    List<RecordingSpan> sorted = new ArrayList<>(recordings);
    sorted.sort(Comparator.comparing((RecordingSpan r) -> r.trueSpan().start()));
    this.byStart = sorted;
    Duration max = Duration.ZERO;
    for (RecordingSpan r : recordings) {
      Duration d = r.trueSpan().duration();
      if (d.compareTo(max) > 0) {
        max = d;
      }
    }
    this.longest = max;
    this.chain = SessionChain.of(recordings, policy);
  }

  boolean mandatory(EnforcementAction a) {
    return policy.mandatoryTypes().contains(a.type());
  }

  boolean linked(String recordingId) {
    return claimedBy.containsKey(recordingId);
  }

  /** Recordings whose trusted span overlaps {@code w}, in start order. */
  List<RecordingSpan> overlapping(Interval w) {
    List<RecordingSpan> out = new ArrayList<>();
    for (int i = lowerBound(w.start().minus(longest)); i < byStart.size(); i++) {
      RecordingSpan r = byStart.get(i);
      if (!r.trueSpan().start().isBefore(w.end())) {
        break;
      }
      if (r.trueSpan().overlaps(w)) {
        out.add(r);
      }
    }
    return out;
  }

  /** Index of the first recording (by trusted start) that starts at or after t. */
  int lowerBound(Instant t) {
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

  /** Adds a finding, naming the devices and officers of its files and the action's place. */
  void add(
      String code,
      Severity severity,
      String article,
      Message message,
      Interval when,
      List<String> files,
      EnforcementAction action) {
    Set<String> devices = new LinkedHashSet<>();
    Set<String> officers = new LinkedHashSet<>();
    for (String f : files) {
      RecordingSpan r = byId.get(f);
      if (r != null) {
        devices.add(r.deviceId());
        r.officerId().ifPresent(officers::add);
      }
    }
    if (action != null) {
      if (devices.isEmpty()) {
        devices.addAll(action.deviceIds());
      }
      officers.addAll(action.officerIds());
    }
    findings.add(
        new ContinuityFinding(
            code,
            severity,
            article,
            message,
            when,
            files,
            action == null ? null : action.id(),
            List.copyOf(devices),
            List.copyOf(officers),
            action == null ? null : action.place().orElse(null)));
  }
}
