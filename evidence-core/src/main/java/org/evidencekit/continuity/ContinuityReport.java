package org.evidencekit.continuity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of an analysis: device sessions, coverage per action, findings. JSON export in the
 * stable schema of {@code docs/continuity-report.md} ({@value #FORMAT}).
 */
public final class ContinuityReport {
  public static final String FORMAT = "evidencekit.continuity-report/1";

  private final List<DeviceSession> sessions;
  private final List<ActionCoverage> coverage;
  private final List<ContinuityFinding> findings;

  ContinuityReport(
      List<DeviceSession> sessions,
      List<ActionCoverage> coverage,
      List<ContinuityFinding> findings) {
    this.sessions = List.copyOf(sessions);
    this.coverage = List.copyOf(coverage);
    this.findings = List.copyOf(findings);
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

  public boolean has(String code) {
    return findings.stream().anyMatch(f -> f.code().equals(code));
  }

  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == ContinuityFinding.Severity.ERROR);
  }

  private static Map<String, Object> interval(Interval i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("start", i.start().toString());
    m.put("end", i.end().toString());
    return m;
  }

  /** The report as a JSON tree of maps and lists (for embedding in other documents). */
  public Map<String, Object> toMap() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
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
      c.uncovered().forEach(i -> un.add(interval(i)));
      m.put("uncovered", un);
      m.put("recordings", c.recordings());
      cs.add(m);
    }
    root.put("coverage", cs);
    List<Object> fs = new ArrayList<>();
    for (ContinuityFinding f : findings) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("code", f.code());
      m.put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
      m.put("article", f.article());
      m.put("message", f.message());
      m.put("start", f.when().map(i -> i.start().toString()).orElse(null));
      m.put("end", f.when().map(i -> i.end().toString()).orElse(null));
      m.put("files", f.files());
      fs.add(m);
    }
    root.put("findings", fs);
    return root;
  }

  public byte[] toJson() {
    try {
      return new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(toMap())
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
