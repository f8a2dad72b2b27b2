package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of an analysis: device sessions, coverage per action, findings and their summary. JSON
 * export in the stable schema of {@code docs/continuity-report.md} ({@value #FORMAT}); text for
 * readers in English or Chinese with local times ({@link #toText}).
 */
public final class ContinuityReport {
  public static final String FORMAT = "evidencekit.continuity-report/1";

  private final List<DeviceSession> sessions;
  private final List<ActionCoverage> coverage;
  private final List<ContinuityFinding> findings;
  private final ContinuitySummary summary;
  private final Map<String, EnforcementAction> actions;

  ContinuityReport(
      List<DeviceSession> sessions,
      List<ActionCoverage> coverage,
      List<ContinuityFinding> findings,
      ContinuitySummary summary,
      Map<String, EnforcementAction> actions) {
    this.sessions = List.copyOf(sessions);
    this.coverage = List.copyOf(coverage);
    this.findings = List.copyOf(findings);
    this.summary = summary;
    this.actions = Map.copyOf(actions);
  }

  public List<DeviceSession> sessions() {
    return sessions;
  }

  public List<ActionCoverage> coverage() {
    return coverage;
  }

  public List<ContinuityFinding> findings() {
    return findings;
  }

  public List<ContinuityFinding> findings(String code) {
    return findings.stream().filter(f -> f.code().equals(code)).toList();
  }

  /** Counts by severity and a verdict per action, officer and device. */
  public ContinuitySummary summary() {
    return summary;
  }

  public boolean has(String code) {
    return findings.stream().anyMatch(f -> f.code().equals(code));
  }

  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == ContinuityFinding.Severity.ERROR);
  }

  EnforcementAction action(String id) {
    return actions.get(id);
  }

  /** The report as a JSON tree of maps and lists: English, times in UTC. */
  public Map<String, Object> toMap() {
    return toMap(TextStyle.ENGLISH_UTC);
  }

  /**
   * The report as a JSON tree of maps and lists, messages in {@code language} with local times in
   * {@code zone} (the {@code start}/{@code end} members stay ISO-8601 UTC instants).
   */
  public Map<String, Object> toMap(Locale language, ZoneId zone) {
    requireNonNull(language, "language");
    requireNonNull(zone, "zone");
    return toMap(TextStyle.of(language, zone));
  }

  private Map<String, Object> toMap(TextStyle style) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("zone", style.zoneId());
    root.put("language", style.zh ? "zh" : "en");
    root.put("summary", summaryMap());
    List<Object> ss = new ArrayList<>();
    for (DeviceSession s : sessions) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("device", s.deviceId());
      m.put("files", s.files());
      m.put("recordedSeconds", s.recordedSeconds());
      m.put("spanSeconds", s.spanSeconds());
      List<Object> bs = new ArrayList<>();
      for (DeviceSession.SessionBreak b : s.breaks()) {
        Map<String, Object> bm = new LinkedHashMap<>();
        bm.put("before", b.before());
        bm.put("after", b.after());
        bm.put("kind", b.kind().name());
        bm.put("seconds", b.seconds());
        bm.put("missingSequences", b.missingSequences());
        bm.put("missingCount", b.missingCount());
        bs.add(bm);
      }
      m.put("breaks", bs);
      ss.add(m);
    }
    root.put("sessions", ss);
    List<Object> cs = new ArrayList<>();
    for (ActionCoverage c : coverage) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("action", c.actionId());
      m.put("type", c.type());
      m.put("mandatory", c.mandatory());
      m.put("requiredSeconds", c.requiredSeconds());
      m.put("recordedSeconds", c.recordedSeconds());
      m.put("coverage", c.ratio());
      List<Object> un = new ArrayList<>();
      for (Interval i : c.uncovered()) {
        Map<String, Object> im = new LinkedHashMap<>();
        im.put("start", i.start().toString());
        im.put("end", i.end().toString());
        un.add(im);
      }
      m.put("uncovered", un);
      m.put("recordings", c.recordings());
      cs.add(m);
    }
    root.put("coverage", cs);
    List<Object> fs = new ArrayList<>();
    for (ContinuityFinding f : findings) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", f.code());
      m.put("severity", f.severity().name().toLowerCase(Locale.ROOT));
      m.put("article", f.article());
      m.put("message", f.message(style));
      m.put("followUp", FindingText.followUp(f.code(), style));
      m.put("start", f.when().map(i -> i.start().toString()).orElse(null));
      m.put("end", f.when().map(i -> i.end().toString()).orElse(null));
      m.put("files", f.files());
      m.put("action", f.actionId().orElse(null));
      m.put("devices", f.deviceIds());
      m.put("officers", f.officerIds());
      m.put("place", f.place().orElse(null));
      fs.add(m);
    }
    root.put("findings", fs);
    return root;
  }

  private Map<String, Object> summaryMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (ContinuityFinding.Severity s : ContinuityFinding.Severity.values()) {
      m.put(s.name().toLowerCase(Locale.ROOT), summary.count(s));
    }
    m.put("actions", verdicts(summary.actions()));
    m.put("officers", verdicts(summary.officers()));
    m.put("devices", verdicts(summary.devices()));
    return m;
  }

  private static Map<String, Object> verdicts(Map<String, ContinuitySummary.Verdict> in) {
    Map<String, Object> m = new LinkedHashMap<>();
    in.forEach((k, v) -> m.put(k, v.name()));
    return m;
  }

  /** English JSON, times in UTC. */
  public byte[] toJson() {
    return json(toMap());
  }

  /** JSON with messages in {@code language} and local times in {@code zone}. */
  public byte[] toJson(Locale language, ZoneId zone) {
    return json(toMap(language, zone));
  }

  private static byte[] json(Map<String, Object> tree) {
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(tree)
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The report for a reader: the zone stated once, the summary, device sessions with only their
   * non-contiguous breaks, coverage per action, then each finding with its article, officer,
   * device, place and follow-up. Chinese for a "zh" language, else English.
   */
  public String toText(Locale language, ZoneId zone) {
    requireNonNull(language, "language");
    requireNonNull(zone, "zone");
    return ReportText.write(this, TextStyle.of(language, zone));
  }
}
