package org.evidencekit.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.evidencekit.continuity.ActionCoverage;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.continuity.DeviceSession;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.Interval;

/**
 * The supervisor's report (Art. 20, R-17 to R-20): one self-contained XHTML file (no scripts, fonts
 * or network), well-formed XML so it can be parsed and checked. Per device and officer an SVG
 * timeline of recordings against enforcement actions, with gaps between files, uncovered stretches
 * of actions and tampered recordings highlighted; then the findings with their articles, every
 * recording's verification and retention status, and the ledger state it was made from.
 */
final class HtmlReport {
  static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter DAY_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZONE);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(ZONE);
  private static final int LEFT = 110;
  private static final int WIDTH = 880;

  private final StoreCatalog c;
  private final StringBuilder h = new StringBuilder(64 * 1024);

  private HtmlReport(StoreCatalog c) {
    this.c = c;
  }

  static byte[] render(StoreCatalog c) {
    HtmlReport r = new HtmlReport(c);
    r.document();
    return r.h.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The XHTML prologue up to and including {@code <body>}: well-formed XML, no external parts. */
  static void head(StringBuilder h, String title, String css) {
    h.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    h.append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n");
    h.append("<meta charset=\"UTF-8\"/>\n<title>").append(esc(title));
    h.append("</title>\n<style>\n").append(css).append("</style>\n</head>\n<body>\n");
  }

  private void document() {
    head(h, "EvidenceKit report: " + c.filter.describe(), CSS);
    header();
    timelines();
    findings();
    coverage();
    recordings();
    h.append("<p class=\"foot\">Made by EvidenceKit ")
        .append(esc(EvidenceCommand.version()))
        .append(". Times are Asia/Shanghai local time, corrected by each device's measured clock")
        .append(
            " offset. Requirements R-nn and articles refer to the bureau's recording rules.</p>\n");
    h.append("</body>\n</html>\n");
  }

  private void header() {
    h.append("<h1>Recordings report: ").append(esc(c.filter.describe())).append("</h1>\n");
    h.append("<table class=\"facts\">\n");
    row("Store", c.location);
    row("Made at", DAY_TIME.format(c.madeAt) + " (" + c.madeAt + ")");
    row("Recordings", Integer.toString(c.entries.size()));
    long tampered = c.entries.stream().filter(StoreCatalog.Entry::tampered).count();
    long verified = c.entries.stream().filter(e -> e.verification.equals("OK")).count();
    row(
        "Verification",
        c.sweep == null
            ? "not re-verified for this report (--no-verify)"
            : verified + " intact, " + tampered + " damaged or missing, of " + c.entries.size());
    row("Ledger", c.ledgerSize + " entries, root " + c.ledgerRoot);
    row(
        "Signed checkpoint",
        c.checkpoint == null
            ? "none: sign one with 'evidence ledger checkpoint' so this state can be proven"
            : "size "
                + c.checkpoint.size()
                + ", root "
                + c.checkpoint.root().hex()
                + ", signed "
                + c.checkpoint.time()
                + " by key "
                + c.checkpoint.keyId());
    long errors =
        c.continuity.findings().stream()
            .filter(f -> f.severity() == ContinuityFinding.Severity.ERROR)
            .count();
    row(
        "Findings",
        c.continuity.findings().size()
            + " ("
            + errors
            + " errors)"
            + (tampered > 0 ? "; " + tampered + " recording(s) damaged" : ""));
    h.append("</table>\n");
  }

  private void row(String k, String v) {
    h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
  }

  // ------------------------------------------------------------------ timelines

  private void timelines() {
    h.append("<h2>Timelines</h2>\n");
    Map<String, List<StoreCatalog.Entry>> groups = new TreeMap<>();
    for (StoreCatalog.Entry e : c.entries) {
      if (e.trueStart().isEmpty()) {
        continue;
      }
      String g =
          e.metadata.deviceId().orElse("unknown device")
              + "\u0000"
              + e.metadata.officerId().orElse("unknown officer");
      groups.computeIfAbsent(g, k -> new ArrayList<>()).add(e);
    }
    if (groups.isEmpty()) {
      h.append("<p>No recording with a known time.</p>\n");
      return;
    }
    for (Map.Entry<String, List<StoreCatalog.Entry>> g : groups.entrySet()) {
      String[] parts = g.getKey().split("\u0000", 2);
      timeline(parts[0], parts[1], g.getValue());
    }
    h.append(
        "<p class=\"legend\"><span class=\"k rec\"></span>recording"
            + " <span class=\"k bad\"></span>damaged or missing"
            + " <span class=\"k act\"></span>enforcement action"
            + " <span class=\"k unc\"></span>action time not recorded"
            + " <span class=\"k gap\"></span>gap between a device's files"
            + " <span class=\"k igap\"></span>gap inside a file"
            + " <span class=\"k cut\"></span>cut, splice or truncation</p>\n");
  }

  private void timeline(String device, String officer, List<StoreCatalog.Entry> recs) {
    List<EnforcementAction> acts = new ArrayList<>();
    for (EnforcementAction a : c.actions) {
      if (a.deviceIds().contains(device)
          || a.officerIds().contains(officer)
          || (a.deviceIds().isEmpty() && a.officerIds().isEmpty())) {
        acts.add(a);
      }
    }
    Instant t0 = recs.get(0).trueStart().get();
    Instant t1 = t0;
    for (StoreCatalog.Entry e : recs) {
      t0 = min(t0, e.trueStart().get());
      t1 = max(t1, e.trueEnd().orElse(e.trueStart().get()));
    }
    for (EnforcementAction a : acts) {
      t0 = min(t0, a.span().start());
      t1 = max(t1, a.span().end());
    }
    long span = Math.max(1000, Duration.between(t0, t1).toMillis());
    Instant from = t0.minusMillis(span / 40);
    Instant to = t1.plusMillis(span / 40);
    Scale x = new Scale(from, to);
    int height = 150;
    h.append("<h3>Device ").append(esc(device)).append(", officer ").append(esc(officer));
    h.append(" <small>").append(esc(DAY_TIME.format(t0))).append(" to ");
    h.append(esc(DAY_TIME.format(t1))).append("</small></h3>\n");
    h.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"1000\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 1000 ")
        .append(height)
        .append("\" data-device=\"")
        .append(esc(device))
        .append("\" data-officer=\"")
        .append(esc(officer))
        .append("\">\n");
    h.append("<text x=\"4\" y=\"38\" class=\"lane\">actions</text>\n");
    h.append("<text x=\"4\" y=\"88\" class=\"lane\">recordings</text>\n");
    for (EnforcementAction a : acts) {
      rect(
          "action", x, a.span(), 22, 24, a.id() + " (" + a.type() + ") " + range(a.span()), a.id());
      ActionCoverage cov = coverage(a.id());
      if (cov != null) {
        for (Interval u : cov.uncovered()) {
          rect("uncovered", x, u, 22, 24, "not recorded: " + range(u) + " of " + a.id(), a.id());
        }
      }
    }
    for (DeviceSession s : c.continuity.sessions()) {
      if (!s.deviceId().equals(device)) {
        continue;
      }
      for (DeviceSession.SessionBreak b : s.breaks()) {
        if (b.gap() != null
            && b.kind() != DeviceSession.BreakKind.CONTIGUOUS
            && b.kind() != DeviceSession.BreakKind.OVERLAP
            && inGroup(recs, b.before())) {
          rect(
              "gap",
              x,
              b.gap(),
              66,
              40,
              b.kind()
                  + " between "
                  + b.before()
                  + " and "
                  + b.after()
                  + ": "
                  + range(b.gap())
                  + (b.missingSequences().isEmpty() ? "" : ", missing " + b.missingSequences()),
              b.before());
        }
      }
    }
    for (StoreCatalog.Entry e : recs) {
      Interval iv = new Interval(e.trueStart().get(), e.trueEnd().orElse(e.trueStart().get()));
      String cls = e.tampered() ? "recording tampered" : "recording";
      rect(cls, x, iv, 72, 28, e.fileName() + " " + range(iv) + " " + e.verification, e.key);
      for (Interval g : e.internalGaps) {
        rect(
            "internal-gap",
            x,
            g,
            72,
            28,
            "no samples inside " + e.fileName() + ": " + range(g),
            e.key);
      }
      for (Map.Entry<Instant, String> m : e.marks) {
        rect(
            "splice",
            x,
            new Interval(m.getKey(), m.getKey()),
            66,
            40,
            m.getValue() + " in " + e.fileName() + " at " + TIME.format(m.getKey()),
            e.key);
      }
    }
    // axis
    h.append("<line x1=\"")
        .append(LEFT)
        .append("\" y1=\"118\" x2=\"")
        .append(LEFT + WIDTH)
        .append("\" y2=\"118\" class=\"axis\"/>\n");
    for (int i = 0; i <= 4; i++) {
      Instant t = from.plusMillis(Duration.between(from, to).toMillis() * i / 4);
      double px = x.at(t);
      h.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"114\" x2=\"%.1f\" y2=\"122\" class=\"axis\"/>\n",
              px,
              px));
      String anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"138\" class=\"tick\" text-anchor=\"%s\">",
              px,
              anchor));
      text(i == 0 ? DAY_TIME.format(t) : TIME.format(t));
      h.append("</text>\n");
    }
    h.append("</svg>\n");
  }

  private static boolean inGroup(List<StoreCatalog.Entry> recs, String spanId) {
    for (StoreCatalog.Entry e : recs) {
      if (e.fileName().equals(spanId) || e.key.equals(spanId)) {
        return true;
      }
    }
    return false;
  }

  private ActionCoverage coverage(String id) {
    for (ActionCoverage a : c.continuity.coverage()) {
      if (a.actionId().equals(id)) {
        return a;
      }
    }
    return null;
  }

  private void rect(String cls, Scale x, Interval iv, int y, int height, String title, String ref) {
    double x0 = x.at(iv.start());
    double w = Math.max(2.0, x.at(iv.end()) - x0);
    h.append(
        String.format(
            Locale.ROOT,
            "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" data-ref=\"",
            cls,
            x0,
            y,
            w,
            height));
    text(ref);
    h.append("\"><title>");
    text(title);
    h.append("</title></rect>\n");
  }

  private static String range(Interval iv) {
    return TIME.format(iv.start())
        + "-"
        + TIME.format(iv.end())
        + String.format(Locale.ROOT, " (%.1f s)", iv.seconds());
  }

  /** Maps instants to x pixels. */
  private static final class Scale {
    final Instant from;
    final double millis;

    Scale(Instant from, Instant to) {
      this.from = from;
      this.millis = Math.max(1, Duration.between(from, to).toMillis());
    }

    double at(Instant t) {
      return LEFT + Duration.between(from, t).toMillis() / millis * WIDTH;
    }
  }

  // ------------------------------------------------------------------ tables

  private void findings() {
    h.append("<h2>Findings</h2>\n");
    List<String[]> rows = new ArrayList<>();
    for (StoreCatalog.Entry e : c.entries) {
      if (e.tampered()) {
        rows.add(
            new String[] {
              "ERROR",
              "RECORDING_" + e.verification,
              "Art. 21(2), R-20",
              e.key + ": " + e.verificationDetail,
              e.key
            });
      }
    }
    for (StoreCatalog.Entry e : c.entries) {
      if (e.signatureProblem) {
        rows.add(
            new String[] {
              "ERROR", "SEAL_NOT_TRUSTED", "Art. 21(2), R-05", e.key + ": " + e.signature, e.key
            });
      }
    }
    for (ContinuityFinding f : c.continuity.findings()) {
      rows.add(
          new String[] {
            f.severity().name(), f.code(), f.article(), f.message(), String.join(", ", f.files())
          });
    }
    if (rows.isEmpty()) {
      h.append("<p class=\"ok\">No findings.</p>\n");
      return;
    }
    h.append(
        "<table class=\"findings\">\n<tr><th>severity</th><th>code</th><th>article</th>"
            + "<th>what</th><th>recordings</th></tr>\n");
    for (String[] r : rows) {
      h.append("<tr class=\"").append(esc(r[0].toLowerCase(Locale.ROOT))).append("\">");
      for (String cell : r) {
        h.append("<td>").append(esc(cell)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private void coverage() {
    if (c.continuity.coverage().isEmpty()) {
      return;
    }
    h.append("<h2>Enforcement actions</h2>\n<table class=\"coverage\">\n");
    h.append(
        "<tr><th>action</th><th>type</th><th>mandatory</th><th>recorded</th>"
            + "<th>not recorded</th><th>by recordings</th></tr>\n");
    for (ActionCoverage a : c.continuity.coverage()) {
      List<String> un = new ArrayList<>();
      a.uncovered().forEach(u -> un.add(range(u)));
      h.append("<tr class=\"")
          .append(a.ratio() < 1.0 && a.mandatory() ? "error" : "info")
          .append("\"><td>")
          .append(esc(a.actionId()))
          .append("</td><td>")
          .append(esc(a.type()))
          .append("</td><td>")
          .append(a.mandatory() ? "yes (Art. 13)" : "no")
          .append("</td><td>")
          .append(
              esc(
                  String.format(
                      Locale.ROOT,
                      "%.1f%% (%.1f of %.1f s)",
                      a.ratio() * 100,
                      a.recordedSeconds(),
                      a.requiredSeconds())))
          .append("</td><td>")
          .append(esc(String.join("; ", un)))
          .append("</td><td>")
          .append(esc(String.join(", ", a.recordings())))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private void recordings() {
    h.append("<h2>Recordings</h2>\n<table class=\"recordings\">\n");
    h.append(
        "<tr><th>key</th><th>device</th><th>officer</th><th>cases</th><th>recorded</th>"
            + "<th>length</th><th>size</th><th>verification</th><th>signature</th><th>retained until</th>"
            + "<th>hold</th><th>enforced by</th><th>ledger entry</th></tr>\n");
    for (StoreCatalog.Entry e : c.entries) {
      Map<String, String> cells = new LinkedHashMap<>();
      cells.put("key", e.key);
      cells.put("device", e.metadata.deviceId().orElse(""));
      cells.put("officer", e.metadata.officerId().orElse(""));
      cells.put("cases", String.join(", ", e.metadata.caseIds()));
      cells.put("recorded", e.trueStart().map(DAY_TIME::format).orElse("unknown"));
      cells.put(
          "length",
          e.trueStart().isPresent() && e.trueEnd().isPresent()
              ? String.format(
                  Locale.ROOT,
                  "%.1f s",
                  Duration.between(e.trueStart().get(), e.trueEnd().get()).toMillis() / 1000.0)
              : "");
      cells.put("size", e.info == null ? "" : Cli.humanBytes(e.info.size()));
      cells.put(
          "verification",
          e.verification
              + (e.verificationDetail.isEmpty() ? "" : ": " + e.verificationDetail)
              + (e.probeNote.isEmpty() ? "" : "; " + e.probeNote));
      cells.put("signature", e.signature);
      cells.put(
          "retained",
          e.info == null
              ? ""
              : e.info.retainUntil().map(DAY_TIME::format).orElse("no retention set"));
      cells.put("hold", e.info != null && e.info.legalHold() ? "legal hold" : "");
      cells.put(
          "enforced",
          e.info == null ? "" : e.info.storageEnforced() ? "storage (WORM)" : "EvidenceKit");
      cells.put("ledger", e.ledgerIndex < 0 ? "" : "#" + e.ledgerIndex);
      h.append("<tr class=\"")
          .append(
              e.tampered() || e.signatureProblem
                  ? "error"
                  : e.verification.equals("OK") ? "ok" : "info")
          .append("\">");
      for (String v : cells.values()) {
        h.append("<td>").append(esc(v)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  // ------------------------------------------------------------------ helpers

  private void text(String s) {
    h.append(esc(s));
  }

  /** XML escaping; characters XML 1.0 cannot hold are replaced. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r' || ch == 0xFFFE || ch == 0xFFFF) {
            b.append('\uFFFD');
          } else {
            b.append(ch);
          }
        }
      }
    }
    return b.toString();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static final String CSS =
      "body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}\n"
          + "h1{font-size:20px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}\n"
          + "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;"
          + "padding:3px 7px;text-align:left;vertical-align:top;overflow-wrap:break-word;word-break:break-word}"
          + "th{background:#f3f3f3;white-space:nowrap}table{width:100%}table.facts{width:auto}"
          + "table.findings td:nth-child(-n+3){white-space:nowrap}\n"
          + "tr.error td{background:#fde8e8}tr.warning td{background:#fff4dc}"
          + "tr.ok td{background:#eef8ee}\n"
          + "svg.timeline{border:1px solid #ddd;background:#fff}\n"
          + ".lane{font-size:12px;fill:#555}.tick{font-size:11px;fill:#444}"
          + ".axis{stroke:#888;stroke-width:1}\n"
          + "rect.action{fill:#c9dcf5;stroke:#4a78b5}rect.uncovered{fill:#e53935;opacity:.75}\n"
          + "rect.recording{fill:#43a047;stroke:#fff;stroke-width:1}rect.tampered{fill:#b71c1c}"
          + "rect.gap{fill:#fb8c00;opacity:.8}rect.internal-gap{fill:#fff3e0;stroke:#fb8c00}"
          + "rect.splice{fill:#6a1b9a}\n"
          + ".legend .k{display:inline-block;width:14px;height:10px;margin:0 4px 0 12px}\n"
          + ".k.rec{background:#43a047}.k.bad{background:#b71c1c}.k.act{background:#c9dcf5}"
          + ".k.unc{background:#e53935}.k.gap{background:#fb8c00}"
          + ".k.igap{background:#fff3e0;border:1px solid #fb8c00}.k.cut{background:#6a1b9a}\n"
          + ".foot{color:#666;font-size:12px;margin-top:24px}.ok{color:#2e7d32}\n";
}
