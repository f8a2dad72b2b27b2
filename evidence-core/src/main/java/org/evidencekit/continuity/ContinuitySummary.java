package org.evidencekit.continuity;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evidencekit.continuity.ContinuityFinding.Severity;

/**
 * The analysis at a glance: findings counted by severity, and a verdict for every action, officer
 * and device (the worst finding that concerns it).
 */
public final class ContinuitySummary {
  /** What the legal section makes of an action, officer or device. */
  public enum Verdict {
    /** No warning or error concerns it. */
    COMPLIANT,
    /** The worst finding is a warning: look at it. */
    REVIEW,
    /** An error finding concerns it. */
    NON_COMPLIANT
  }

  private final Map<Severity, Integer> counts;
  private final Map<String, Verdict> actions;
  private final Map<String, Verdict> officers;
  private final Map<String, Verdict> devices;

  private ContinuitySummary(
      Map<Severity, Integer> counts,
      Map<String, Verdict> actions,
      Map<String, Verdict> officers,
      Map<String, Verdict> devices) {
    this.counts = Collections.unmodifiableMap(counts);
    this.actions = Collections.unmodifiableMap(actions);
    this.officers = Collections.unmodifiableMap(officers);
    this.devices = Collections.unmodifiableMap(devices);
  }

  static ContinuitySummary of(
      List<ContinuityFinding> findings,
      List<RecordingSpan> recordings,
      List<EnforcementAction> actionList) {
    Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
    for (Severity s : Severity.values()) {
      counts.put(s, 0);
    }
    Map<String, Verdict> actions = new LinkedHashMap<>();
    Map<String, Verdict> officers = new LinkedHashMap<>();
    Map<String, Verdict> devices = new LinkedHashMap<>();
    for (EnforcementAction a : actionList) {
      actions.put(a.id(), Verdict.COMPLIANT);
      a.officerIds().forEach(o -> officers.putIfAbsent(o, Verdict.COMPLIANT));
      a.deviceIds().forEach(d -> devices.putIfAbsent(d, Verdict.COMPLIANT));
    }
    for (RecordingSpan r : recordings) {
      devices.putIfAbsent(r.deviceId(), Verdict.COMPLIANT);
      r.officerId().ifPresent(o -> officers.putIfAbsent(o, Verdict.COMPLIANT));
    }
    for (ContinuityFinding f : findings) {
      counts.merge(f.severity(), 1, Integer::sum);
      Verdict v =
          switch (f.severity()) {
            case ERROR -> Verdict.NON_COMPLIANT;
            case WARNING -> Verdict.REVIEW;
            case INFO -> Verdict.COMPLIANT;
          };
      f.actionId().ifPresent(a -> worse(actions, a, v));
      f.officerIds().forEach(o -> worse(officers, o, v));
      f.deviceIds().forEach(d -> worse(devices, d, v));
    }
    return new ContinuitySummary(counts, actions, officers, devices);
  }

  private static void worse(Map<String, Verdict> m, String key, Verdict v) {
    m.merge(key, v, (a, b) -> a.compareTo(b) >= 0 ? a : b);
  }

  /** How many findings have this severity. */
  public int count(Severity severity) {
    return counts.get(severity);
  }

  /** Verdict per action id, in the order the actions were given. */
  public Map<String, Verdict> actions() {
    return actions;
  }

  /** Verdict per officer id. */
  public Map<String, Verdict> officers() {
    return officers;
  }

  /** Verdict per device id. */
  public Map<String, Verdict> devices() {
    return devices;
  }
}
