package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.internal.json.StrictJson;

/**
 * Retention rules as data, versioned, with a draft and an active state. Whatever a policy
 * says, the regulation's floor applies too (Art. 19): every recording at least two years from its
 * end, and a recording linked to a case as long as the case file, counted from its archiving, held
 * meanwhile. The longest applicable rule wins.
 *
 * <p>Dates: periods are calendar periods counted in the policy's zone (default Asia/Shanghai, where
 * the rules are made) from the anchor's local date, and a recording is kept through the whole last
 * day: it becomes disposable at the local midnight after {@code anchor date + period}. A period
 * that would end on a 29 February that does not exist ends on 1 March.
 */
public final class RetentionPolicy {
  public static final String FORMAT = "evidencekit.retention-policy/1";
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

  /** The regulation floor's rule ids (always applied, cannot be overridden). */
  public static final String FLOOR_MINIMUM = "art19-minimum-2y";

  public static final String FLOOR_CASE = "art19-case-file";

  private static final StrictJson JSON = new StrictJson(RetentionFormatException::new);

  /** Draft policies can be edited freely; an active one changes only by extension. */
  public enum State {
    DRAFT,
    ACTIVE
  }

  private final String id;
  private final int version;
  private final State state;
  private final ZoneId zone;
  private final List<RetentionRule> rules;
  private final Map<String, Period> caseClassTerms;

  private RetentionPolicy(
      String id,
      int version,
      State state,
      ZoneId zone,
      List<RetentionRule> rules,
      Map<String, Period> caseClassTerms) {
    this.id = id;
    this.version = version;
    this.state = state;
    this.zone = zone;
    this.rules = List.copyOf(rules);
    this.caseClassTerms =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(caseClassTerms));
  }

  /**
   * The policy with nothing but the regulation: 2 years from recording end; case files of class
   * {@code 10y} and {@code 30y} for 10 and 30 years from archiving, {@code permanent} forever.
   */
  public static RetentionPolicy regulationDefault() {
    return of("regulation-default", 1, State.ACTIVE, DEFAULT_ZONE, List.of(), defaultCaseTerms());
  }

  /** The case-file terms of the regulation: floors no policy may go below. */
  private static final Map<String, Period> REGULATION_CASE_TERMS =
      Map.of("10y", Period.ofYears(10), "30y", Period.ofYears(30));

  static Map<String, Period> defaultCaseTerms() {
    Map<String, Period> m = new LinkedHashMap<>();
    m.put("10y", Period.ofYears(10));
    m.put("30y", Period.ofYears(30));
    return m;
  }

  /**
   * A policy. {@code caseClassTerms} maps case classes to their file terms; class {@code permanent}
   * is always permanent; a class with no term is kept permanently too (never a day less than the
   * case file).
   */
  public static RetentionPolicy of(
      String id,
      int version,
      State state,
      ZoneId zone,
      List<RetentionRule> rules,
      Map<String, Period> caseClassTerms) {
    requireNonNull(id, "id");
    if (version < 1) {
      throw new IllegalArgumentException("policy version must be at least 1");
    }
    Set<String> ids = new java.util.HashSet<>();
    for (RetentionRule r : rules) {
      if (!ids.add(r.id()) || r.id().equals(FLOOR_MINIMUM) || r.id().equals(FLOOR_CASE)) {
        throw new IllegalArgumentException("duplicate or reserved rule id " + r.id());
      }
    }
    for (Map.Entry<String, Period> e : caseClassTerms.entrySet()) {
      requireNonNull(e.getValue(), "term of case class " + e.getKey());
      if (e.getKey().equals("permanent")) {
        throw new IllegalArgumentException(
            "case class permanent is always permanent; it takes no term");
      }
      Periods.checkSane("case class " + e.getKey(), e.getValue());
      // Art. 19: the regulation's case-file terms are floors; a policy may only lengthen them.
      Period floor = REGULATION_CASE_TERMS.get(e.getKey());
      if (floor != null) {
        LocalDate shorter = Periods.firstShorterStart(e.getValue(), floor);
        if (shorter != null) {
          throw new IllegalArgumentException(
              "case class "
                  + e.getKey()
                  + ": "
                  + e.getValue()
                  + " is shorter than the regulation's "
                  + floor
                  + " (Art. 19; e.g. from "
                  + shorter
                  + "): a policy may lengthen case-file terms, never shorten them");
        }
      }
    }
    return new RetentionPolicy(
        id, version, requireNonNull(state), requireNonNull(zone), rules, caseClassTerms);
  }

  public String id() {
    return id;
  }

  public int version() {
    return version;
  }

  public State state() {
    return state;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The policy's own rules (the regulation floor is applied in addition). */
  public List<RetentionRule> rules() {
    return rules;
  }

  /** The file term of a case class; empty means permanent. */
  public Optional<Period> caseTerm(String caseClass) {
    if (caseClass.equals("permanent")) {
      return Optional.empty();
    }
    return Optional.ofNullable(caseClassTerms.get(caseClass));
  }

  public Map<String, Period> caseClassTerms() {
    return caseClassTerms;
  }

  /** This policy, activated. */
  public RetentionPolicy activate() {
    return new RetentionPolicy(id, version, State.ACTIVE, zone, rules, caseClassTerms);
  }

  /**
   * Checks that this policy may replace {@code active}: same id, a higher version, same zone, and
   * every rule and case term of the old one kept with the same conditions and anchor and a period
   * at least as long (or permanent). A draft may be anything.
   *
   * @throws PolicyShorteningException naming what would shorten
   */
  public void checkMayReplace(RetentionPolicy active) throws PolicyShorteningException {
    requireNonNull(active, "active");
    if (state == State.DRAFT || active.state == State.DRAFT) {
      return;
    }
    List<String> problems = new ArrayList<>();
    if (!id.equals(active.id)) {
      problems.add("policy id " + id + " is not " + active.id);
    }
    if (version <= active.version) {
      problems.add("version " + version + " is not above " + active.version);
    }
    if (!zone.equals(active.zone)) {
      problems.add("zone changed from " + active.zone + " to " + zone);
    }
    for (RetentionRule old : active.rules) {
      RetentionRule now =
          rules.stream().filter(r -> r.id().equals(old.id())).findFirst().orElse(null);
      if (now == null) {
        problems.add("rule " + old.id() + " removed");
      } else if (!now.conditions().equals(old.conditions()) || now.anchor() != old.anchor()) {
        problems.add("rule " + old.id() + " changed its conditions or anchor");
      } else if (old.isPermanent() && !now.isPermanent()) {
        problems.add("rule " + old.id() + " is no longer permanent");
      } else if (!now.isPermanent() && !Periods.atLeast(now.period().get(), old.period().get())) {
        problems.add(
            "rule "
                + old.id()
                + " shortened from "
                + old.period().get()
                + " to "
                + now.period().get());
      }
    }
    for (Map.Entry<String, Period> e : active.caseClassTerms.entrySet()) {
      Optional<Period> now = caseTerm(e.getKey());
      if (now.isPresent() && !Periods.atLeast(now.get(), e.getValue())) {
        problems.add(
            "case class " + e.getKey() + " shortened from " + e.getValue() + " to " + now.get());
      }
    }
    if (!problems.isEmpty()) {
      throw new PolicyShorteningException(
          "policy "
              + id
              + " v"
              + version
              + " may not replace v"
              + active.version
              + ": "
              + String.join("; ", problems));
    }
  }

  /**
   * Whether {@code a} is at least {@code b} from every start date (leap years included), proven
   * over a whole 400-year calendar cycle.
   */
  static boolean atLeast(Period a, Period b) {
    return Periods.atLeast(a, b);
  }

  // ------------------------------------------------------------------ JSON

  private static final Set<String> TOP =
      Set.of("format", "id", "version", "state", "zone", "rules", "caseClasses");
  private static final Set<String> RULE =
      Set.of("id", "description", "when", "anchor", "period", "permanent");

  /** Parses a policy document (docs/retention.md). */
  public static RetentionPolicy parse(byte[] json) throws RetentionFormatException {
    try {
      JsonNode root = JSON.requireObject(JSON.parse(json), "policy", TOP);
      if (!JSON.string(root, "format").equals(FORMAT)) {
        throw new RetentionFormatException("format must be " + FORMAT);
      }
      String st = JSON.string(root, "state");
      State state;
      if (st.equals("draft")) {
        state = State.DRAFT;
      } else if (st.equals("active")) {
        state = State.ACTIVE;
      } else {
        throw new RetentionFormatException("state must be draft or active, not " + st);
      }
      ZoneId zone = root.has("zone") ? ZoneId.of(JSON.string(root, "zone")) : DEFAULT_ZONE;
      List<RetentionRule> rules = new ArrayList<>();
      if (root.has("rules")) {
        for (JsonNode r : JSON.array(root, "rules", 1000)) {
          JSON.requireObject(r, "rule", RULE);
          Map<String, String> when = new LinkedHashMap<>();
          if (r.has("when")) {
            JsonNode w = JSON.requireObject(r.get("when"), "when", RetentionRule.CONDITION_NAMES);
            for (var e : w.properties()) {
              when.put(
                  e.getKey(),
                  e.getValue().isBoolean()
                      ? String.valueOf(e.getValue().booleanValue())
                      : e.getValue().asText());
            }
          }
          String rid = JSON.string(r, "id");
          String desc = r.has("description") ? JSON.string(r, "description") : "";
          if (r.path("permanent").asBoolean(false)) {
            rules.add(RetentionRule.permanent(rid, desc, when));
          } else {
            rules.add(
                RetentionRule.of(
                    rid,
                    desc,
                    when,
                    anchor(JSON.string(r, "anchor")),
                    period("rule " + rid, JSON.string(r, "period"))));
          }
        }
      }
      Map<String, Period> terms = defaultCaseTerms();
      if (root.has("caseClasses")) {
        JsonNode cc = root.get("caseClasses");
        if (!cc.isObject()) {
          throw new RetentionFormatException("'caseClasses' must map class names to periods");
        }
        for (var e : cc.properties()) {
          if (e.getKey().equals("permanent")) {
            if (e.getValue().isTextual() && e.getValue().textValue().equals("permanent")) {
              continue;
            }
            throw new RetentionFormatException(
                "case class permanent is always permanent; it takes no term");
          }
          if (!e.getValue().isTextual()) {
            throw new RetentionFormatException(
                "case class " + e.getKey() + ": the term must be an ISO-8601 period such as P10Y");
          }
          terms.put(e.getKey(), period("case class " + e.getKey(), e.getValue().textValue()));
        }
      }
      return of(
          JSON.string(root, "id"),
          (int) JSON.integer(root, "version", 1, Integer.MAX_VALUE),
          state,
          zone,
          rules,
          terms);
    } catch (RetentionFormatException e) {
      throw e;
    } catch (IOException | DateTimeException | IllegalArgumentException e) {
      throw new RetentionFormatException("bad retention policy: " + e.getMessage());
    }
  }

  private static Period period(String what, String text) throws RetentionFormatException {
    try {
      return Periods.checkSane(what, Period.parse(text));
    } catch (DateTimeException | ArithmeticException e) {
      throw new RetentionFormatException(
          what + ": '" + text + "' is not an ISO-8601 period such as P10Y or P2Y6M");
    } catch (IllegalArgumentException e) {
      throw new RetentionFormatException(e.getMessage());
    }
  }

  private static RetentionRule.Anchor anchor(String s) throws RetentionFormatException {
    switch (s) {
      case "recordingEnd":
        return RetentionRule.Anchor.RECORDING_END;
      case "ingest":
        return RetentionRule.Anchor.INGEST;
      case "caseArchived":
        return RetentionRule.Anchor.CASE_ARCHIVED;
      default:
        throw new RetentionFormatException(
            "anchor must be recordingEnd, ingest or caseArchived, not " + s);
    }
  }
}
