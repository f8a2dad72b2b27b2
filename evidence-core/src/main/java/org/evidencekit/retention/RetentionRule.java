package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.time.Period;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One rule of a retention policy: when it applies (conditions on a recording's facts), from which
 * anchor it counts, and for how long ({@link Period}) or permanently.
 *
 * <p>Conditions: {@code mediaType} (prefix, {@code "video/"}), {@code deviceType}, {@code
 * actionType} (any of the recording's actions), {@code caseLinked} ({@code "true"}/{@code
 * "false"}), {@code caseClass} (any linked case's class). All given conditions must hold.
 */
public final class RetentionRule {
  /** What a period counts from. */
  public enum Anchor {
    /** The end of the recording. */
    RECORDING_END,
    /** When the recording was ingested. */
    INGEST,
    /** When the linked case's file was archived; open cases hold the recording meanwhile. */
    CASE_ARCHIVED
  }

  private final String id;
  private final String description;
  private final Map<String, String> conditions;
  private final Anchor anchor;
  private final Period period;
  private final boolean permanent;

  private RetentionRule(
      String id,
      String description,
      Map<String, String> conditions,
      Anchor anchor,
      Period period,
      boolean permanent) {
    this.id = id;
    this.description = description;
    this.conditions = java.util.Collections.unmodifiableMap(new TreeMap<>(conditions));
    this.anchor = anchor;
    this.period = period;
    this.permanent = permanent;
  }

  static final java.util.Set<String> CONDITION_NAMES =
      java.util.Set.of("mediaType", "deviceType", "actionType", "caseLinked", "caseClass");

  /** A rule keeping matching recordings for {@code period} from {@code anchor}. */
  public static RetentionRule of(
      String id, String description, Map<String, String> conditions, Anchor anchor, Period period) {
    requireNonNull(period, "period");
    Periods.checkSane("rule " + id, period);
    return new RetentionRule(
        checkId(id),
        requireNonNull(description),
        checkConditions(id, conditions),
        requireNonNull(anchor),
        period,
        false);
  }

  /** A rule keeping matching recordings forever. */
  public static RetentionRule permanent(
      String id, String description, Map<String, String> conditions) {
    return new RetentionRule(
        checkId(id),
        requireNonNull(description),
        checkConditions(id, conditions),
        Anchor.RECORDING_END,
        null,
        true);
  }

  private static String checkId(String id) {
    requireNonNull(id, "id");
    if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("rule id '" + id + "' must be 1-64 of [A-Za-z0-9._-]");
    }
    return id;
  }

  private static Map<String, String> checkConditions(String id, Map<String, String> c) {
    for (Map.Entry<String, String> e : requireNonNull(c, "conditions").entrySet()) {
      if (!CONDITION_NAMES.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "rule "
                + id
                + ": unknown condition '"
                + e.getKey()
                + "' (know "
                + CONDITION_NAMES
                + ")");
      }
      if (e.getKey().equals("caseLinked")
          && !(e.getValue().equals("true") || e.getValue().equals("false"))) {
        throw new IllegalArgumentException("rule " + id + ": caseLinked must be true or false");
      }
    }
    return c;
  }

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public Map<String, String> conditions() {
    return conditions;
  }

  public Anchor anchor() {
    return anchor;
  }

  /** The period, absent for a permanent rule. */
  public Optional<Period> period() {
    return Optional.ofNullable(period);
  }

  public boolean isPermanent() {
    return permanent;
  }

  /** Whether the rule applies to the recording. */
  boolean matches(RetentionFacts.Recording r, RetentionFacts facts) {
    for (Map.Entry<String, String> e : conditions.entrySet()) {
      String v = e.getValue();
      boolean ok;
      switch (e.getKey()) {
        case "mediaType":
          ok = r.mediaType().map(m -> m.startsWith(v)).orElse(false);
          break;
        case "deviceType":
          ok = r.deviceType().map(v::equals).orElse(false);
          break;
        case "actionType":
          ok = r.actionTypes().contains(v);
          break;
        case "caseLinked":
          ok = (!r.caseIds().isEmpty()) == Boolean.parseBoolean(v);
          break;
        case "caseClass":
          ok =
              r.caseIds().stream()
                  .map(facts::caseFacts)
                  .anyMatch(c -> c.isPresent() && c.get().caseClass().equals(v));
          break;
        default:
          ok = false;
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return id + (permanent ? " (permanent)" : " (" + period + " from " + anchor + ")");
  }
}
