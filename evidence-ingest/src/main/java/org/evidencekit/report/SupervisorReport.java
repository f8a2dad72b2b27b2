package org.evidencekit.report;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.evidencekit.continuity.ActionCoverage;
import org.evidencekit.continuity.DeviceSession;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.Interval;
import org.evidencekit.ledger.LogCheckpoint;
import org.jspecify.annotations.Nullable;

/**
 * The supervisor's report (Art. 20, R-17 to R-20): one self-contained XHTML file (no scripts, fonts
 * or network), well-formed XML so it can be parsed and checked. Per device and officer an SVG
 * timeline of recordings against enforcement actions, with labelled bars, round-time ticks, and
 * gaps, unrecorded time and damaged recordings told apart by pattern as well as by a colour-blind
 * safe colour; then the findings with their articles, the actions' coverage, and every recording's
 * verification and retention (on A4 landscape pages when printed). Every time on it is in the
 * presentation's zone, stated at the top; every count comes from {@link Selection#tally()}.
 */
public final class SupervisorReport {
  private static final int LEFT = 110;
  private static final int WIDTH = 870;

  /** A generous width of one character of an 11px bold label, so a label never spills. */
  private static final double CHAR_PX = 7.4;

  private final Selection s;
  private final Presentation p;
  private final Labels l;
  private final StringBuilder h;
  private final Map<String, ActionCoverage> coverage = new HashMap<>();
  private int svgs;

  private SupervisorReport(Selection s, Presentation p) {
    this.s = s;
    this.p = p;
    this.l = p.labels();
    this.h = new StringBuilder(16 * 1024 + s.recordings().size() * 1200);
    s.continuity().coverage().forEach(a -> coverage.put(a.actionId(), a));
  }

  /** The report as UTF-8 XHTML. */
  public static byte[] html(Selection selection, Presentation presentation) {
    SupervisorReport r =
        new SupervisorReport(
            requireNonNull(selection, "selection"), requireNonNull(presentation, "presentation"));
    r.document();
    return r.h.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void document() {
    String title = l.t("Recordings report") + ": " + p.localize(s.query().describe(l));
    Xhtml.head(h, l.lang(), title, CSS);
    h.append("<h1>");
    Xhtml.esc(h, title);
    h.append("</h1>\n<p class=\"convention\">");
    Xhtml.esc(
        h,
        l.t("All times are local time of")
            + " "
            + p.zoneText(s.madeAt())
            + l.t(", corrected by each device's measured clock offset."));
    h.append("</p>\n");
    facts();
    timelines();
    findings();
    coverage();
    recordings();
    h.append("<p class=\"foot\">");
    Xhtml.esc(
        h,
        l.t("Made by EvidenceKit")
            + version()
            + ". "
            + l.t("Requirements R-nn and articles refer to the bureau's recording rules."));
    h.append("</p>\n</body>\n</html>\n");
  }

  private static String version() {
    String v = SupervisorReport.class.getPackage().getImplementationVersion();
    return v == null ? "" : " " + v;
  }

  private void facts() {
    Tally t = s.tally();
    h.append("<table class=\"facts\"><tbody>\n");
    row(l.t("Store"), s.location());
    row(l.t("Made at"), p.dayTime(s.madeAt()));
    row(l.t("Time zone"), p.zoneText(s.madeAt()));
    row(l.t("Recordings"), Integer.toString(t.recordings()));
    if (!s.destroyed().isEmpty()) {
      row(l.t("Destroyed under an approved plan"), Integer.toString(s.destroyed().size()));
    }
    row(
        l.t("Verification"),
        !s.reverified()
            ? l.t("not re-verified for this report")
            : t.intact()
                + " "
                + l.t("intact")
                + ", "
                + t.damaged()
                + " "
                + l.t("damaged or missing")
                + (t.notChecked() > 0 ? ", " + t.notChecked() + " " + l.t("not checked") : "")
                + ", "
                + l.t("of all")
                + " "
                + t.recordings());
    row(
        l.t("Ledger"),
        s.ledgerSize()
            + " "
            + l.t(s.ledgerSize() == 1 ? "entry, root" : "entries, root")
            + " "
            + s.ledgerRoot());
    LogCheckpoint c = s.checkpoint().orElse(null);
    row(
        l.t("Signed checkpoint"),
        c == null
            ? l.t("none: sign one with 'evidence ledger checkpoint' so this state can be proven")
            : l.t("size")
                + " "
                + c.size()
                + ", "
                + l.t("root")
                + " "
                + c.root().hex()
                + ", "
                + c.time().map(at -> l.t("signed") + " " + p.dayTime(at) + " ").orElse("")
                + l.t("by key")
                + " "
                + c.keyId());
    row(
        l.t("Findings"),
        t.findings()
            + " ("
            + t.errors()
            + " "
            + l.t("errors")
            + ", "
            + t.warnings()
            + " "
            + l.t("warnings")
            + ")");
    h.append("</tbody></table>\n");
  }

  private void row(String k, String v) {
    h.append("<tr><th>");
    Xhtml.esc(h, k);
    h.append("</th><td>");
    Xhtml.esc(h, v);
    h.append("</td></tr>\n");
  }

  // ------------------------------------------------------------------ timelines

  private void timelines() {
    h.append("<h2>").append(Xhtml.esc(l.t("Timelines"))).append("</h2>\n");
    Map<String, List<CatalogedRecording>> groups = new TreeMap<>();
    for (CatalogedRecording e : s.recordings()) {
      if (e.start().isEmpty()) {
        continue;
      }
      String g =
          e.metadata().deviceId().orElse(l.t("unknown device"))
              + "\u0000"
              + e.metadata().officerId().orElse(l.t("unknown officer"));
      groups.computeIfAbsent(g, k -> new ArrayList<>()).add(e);
    }
    if (groups.isEmpty()) {
      h.append("<p>").append(Xhtml.esc(l.t("No recording with a known time."))).append("</p>\n");
      return;
    }
    legend();
    for (Map.Entry<String, List<CatalogedRecording>> g : groups.entrySet()) {
      String[] parts = g.getKey().split("\u0000", 2);
      timeline(parts[0], parts[1], g.getValue());
    }
  }

  private void legend() {
    h.append("<p class=\"legend\">");
    key("rec", "recording (number as in the table)");
    key("bad", "damaged or missing");
    key("act", "enforcement action");
    key("unc", "action time not recorded");
    key("gap", "gap between a device's files");
    key("igap", "gap inside a file");
    key("cut", "cut, splice or truncation");
    h.append("</p>\n");
  }

  private void key(String cls, String text) {
    h.append("<span class=\"item\"><span class=\"k ").append(cls).append("\"></span>");
    Xhtml.esc(h, l.t(text));
    h.append("</span> ");
  }

  private void timeline(String device, String officer, List<CatalogedRecording> recs) {
    int n = ++svgs;
    List<EnforcementAction> acts = new ArrayList<>();
    for (EnforcementAction a : s.query().actions()) {
      if (a.deviceIds().contains(device)
          || a.officerIds().contains(officer)
          || (a.deviceIds().isEmpty() && a.officerIds().isEmpty())) {
        acts.add(a);
      }
    }
    Instant t0 = recs.get(0).start().orElseThrow();
    Instant t1 = t0;
    Set<String> ids = new HashSet<>();
    for (CatalogedRecording e : recs) {
      Instant st = e.start().orElseThrow();
      t0 = min(t0, st);
      t1 = max(t1, e.end().orElse(st));
      ids.add(e.fileName());
      ids.add(e.key());
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
    h.append("<h3>").append(Xhtml.esc(l.t("Device"))).append(' ');
    Xhtml.esc(h, device);
    h.append(", ").append(Xhtml.esc(l.t("officer"))).append(' ');
    Xhtml.esc(h, officer);
    h.append(" <small>");
    Xhtml.esc(h, p.dayTime(t0) + " – " + p.dayTime(t1));
    h.append("</small></h3>\n");
    h.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"1000\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 1000 ")
        .append(height)
        .append("\" data-device=\"");
    Xhtml.esc(h, device);
    h.append("\" data-officer=\"");
    Xhtml.esc(h, officer);
    h.append("\">\n");
    patterns(n);
    h.append("<text x=\"4\" y=\"38\" class=\"lane\">")
        .append(Xhtml.esc(l.t("actions")))
        .append("</text>\n");
    h.append("<text x=\"4\" y=\"90\" class=\"lane\">")
        .append(Xhtml.esc(l.t("recordings")))
        .append("</text>\n");
    for (EnforcementAction a : acts) {
      rect(
          "action",
          null,
          x,
          a.span(),
          22,
          24,
          a.id() + " (" + a.type() + ") " + range(a.span()),
          a.id());
      label(x, a.span(), 22, 24, a.id(), null, "bar-label dark");
      ActionCoverage cov = coverage.get(a.id());
      if (cov != null) {
        for (Interval u : cov.uncovered()) {
          rect(
              "uncovered",
              "url(#ek-unrec-" + n + ")",
              x,
              u,
              22,
              24,
              l.t("not recorded") + ": " + range(u) + " " + l.t("of") + " " + a.id(),
              a.id());
        }
      }
    }
    for (DeviceSession ds : s.continuity().sessions()) {
      if (!ds.deviceId().equals(device)) {
        continue;
      }
      for (DeviceSession.SessionBreak b : ds.breaks()) {
        if (b.gap() != null
            && b.kind() != DeviceSession.BreakKind.CONTIGUOUS
            && b.kind() != DeviceSession.BreakKind.OVERLAP
            && ids.contains(b.before())) {
          rect(
              "gap",
              null,
              x,
              b.gap(),
              66,
              40,
              b.kind()
                  + " "
                  + l.t("between")
                  + " "
                  + b.before()
                  + " "
                  + l.t("and")
                  + " "
                  + b.after()
                  + ": "
                  + range(b.gap())
                  + (b.missingSequences().isEmpty()
                      ? ""
                      : ", " + l.t("missing") + " " + sequences(b)),
              b.before());
        }
      }
    }
    for (CatalogedRecording e : recs) {
      Instant st = e.start().orElseThrow();
      Interval iv = new Interval(st, e.end().orElse(st));
      String title =
          "#"
              + e.number()
              + " "
              + e.fileName()
              + " "
              + range(iv)
              + " "
              + e.verification().map(Enum::name).orElse(l.t("not verified"));
      if (e.damaged()) {
        rect("recording tampered", "url(#ek-damaged-" + n + ")", x, iv, 72, 28, title, e.key());
      } else {
        rect("recording", null, x, iv, 72, 28, title, e.key());
      }
      for (Interval g : e.internalGaps()) {
        rect(
            "internal-gap",
            null,
            x,
            g,
            72,
            28,
            l.t("no samples inside") + " " + e.fileName() + ": " + range(g),
            e.key());
      }
      for (CatalogedRecording.Mark m : e.marks()) {
        rect(
            "splice",
            null,
            x,
            new Interval(m.at(), m.at()),
            66,
            40,
            m.code()
                + " "
                + l.t("in")
                + " "
                + e.fileName()
                + " "
                + l.t("at")
                + " "
                + p.time(m.at()),
            e.key());
      }
      label(x, iv, 72, 28, e.fileName(), Integer.toString(e.number()), "bar-label");
    }
    axis(x, from, to);
    h.append("</svg>\n");
  }

  /** Hatching for damaged recordings and dots for unrecorded action time: told apart in grey. */
  private void patterns(int n) {
    h.append("<defs><pattern id=\"ek-damaged-")
        .append(n)
        .append(
            "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\""
                + " fill=\"#D55E00\"/><rect width=\"2\" height=\"6\" fill=\"#000\"/></pattern>")
        .append("<pattern id=\"ek-unrec-")
        .append(n)
        .append(
            "\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\""
                + " height=\"6\" fill=\"#E69F00\"/><circle cx=\"3\" cy=\"3\" r=\"1.4\""
                + " fill=\"#000\"/></pattern></defs>\n");
  }

  /** The bar's name inside it when it fits, else its number, else the number above it. */
  private void label(
      Scale x, Interval iv, int y, int height, String name, @Nullable String number, String cls) {
    double x0 = x.at(iv.start());
    double w = Math.max(2.0, x.at(iv.end()) - x0);
    String text;
    double ty = y + height / 2.0 + 4;
    String c = cls;
    if (w >= name.length() * CHAR_PX + 8) {
      text = name;
    } else if (number != null && w >= number.length() * CHAR_PX + 6) {
      text = number;
    } else if (number != null) {
      text = number;
      ty = y - 3;
      c = "bar-note";
    } else {
      return;
    }
    h.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\" text-anchor=\"middle\">",
            x0 + w / 2,
            ty,
            c));
    Xhtml.esc(h, text);
    h.append("</text>\n");
  }

  private void axis(Scale x, Instant from, Instant to) {
    h.append("<line x1=\"")
        .append(LEFT)
        .append("\" y1=\"118\" x2=\"")
        .append(LEFT + WIDTH)
        .append("\" y2=\"118\" class=\"axis\"/>\n");
    long step = TimeAxis.step(from, to, 4);
    LocalDate lastDay = null;
    for (Instant t : TimeAxis.ticks(from, to, p.zone(), step)) {
      double px = x.at(t);
      h.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"113\" x2=\"%.1f\" y2=\"123\" class=\"axis\"/>\n",
              px,
              px));
      LocalDate day = t.atZone(p.zone()).toLocalDate();
      String time = p.time(t);
      String text;
      if (step >= 86400) {
        text = day.toString();
      } else {
        text = step % 60 == 0 ? time.substring(0, 5) : time;
        if (!day.equals(lastDay)) {
          text = day.toString().substring(5) + " " + text;
        }
      }
      lastDay = day;
      String anchor = px < LEFT + 40 ? "start" : px > 1000 - 40 ? "end" : "middle";
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"138\" class=\"tick\" text-anchor=\"%s\">",
              px,
              anchor));
      Xhtml.esc(h, text);
      h.append("</text>\n");
    }
  }

  private void rect(
      String cls, String fill, Scale x, Interval iv, int y, int height, String title, String ref) {
    double x0 = x.at(iv.start());
    double w = Math.max(2.0, x.at(iv.end()) - x0);
    h.append(
        String.format(
            Locale.ROOT,
            "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"",
            cls,
            x0,
            y,
            w,
            height));
    if (fill != null) {
      // a style attribute, because the class's fill in the style sheet beats a fill attribute
      h.append(" style=\"fill:").append(fill).append('"');
    }
    h.append(" data-ref=\"");
    Xhtml.esc(h, ref);
    h.append("\"><title>");
    Xhtml.esc(h, title);
    h.append("</title></rect>\n");
  }

  private String range(Interval iv) {
    return p.time(iv.start())
        + "–"
        + p.time(iv.end())
        + " ("
        + HumanDurations.human(Duration.between(iv.start(), iv.end()), l)
        + ")";
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

  private void head(String cls, String[] labels, int[] widths) {
    h.append("<table class=\"").append(cls).append("\">\n<colgroup>");
    for (int w : widths) {
      h.append("<col style=\"width:").append(w).append("%\"/>");
    }
    h.append("</colgroup>\n<thead><tr>");
    for (String c : labels) {
      h.append("<th>");
      Xhtml.esc(h, l.t(c));
      h.append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
  }

  private void findings() {
    h.append("<h2>").append(Xhtml.esc(l.t("Findings"))).append("</h2>\n");
    if (s.findings().isEmpty()) {
      h.append("<p class=\"ok\">").append(Xhtml.esc(l.t("No findings."))).append("</p>\n");
      return;
    }
    head(
        "findings",
        new String[] {"severity", "code", "article", "what", "recordings"},
        new int[] {11, 17, 12, 38, 22});
    for (ReportFinding f : s.findings()) {
      String sev = f.severity().name().toLowerCase(Locale.ROOT);
      h.append("<tr class=\"").append(sev).append("\"><td>");
      Xhtml.esc(h, l.t(sev));
      h.append("</td><td class=\"code\">");
      Xhtml.breakable(h, f.code());
      h.append("</td><td>");
      Xhtml.esc(h, s.article(f, p));
      h.append("</td><td>");
      Xhtml.esc(h, s.message(f, p));
      h.append("</td><td>");
      Xhtml.breakable(h, String.join(", ", f.recordings()));
      h.append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private void coverage() {
    if (s.continuity().coverage().isEmpty()) {
      return;
    }
    h.append("<h2>").append(Xhtml.esc(l.t("Enforcement actions"))).append("</h2>\n");
    head(
        "coverage",
        new String[] {"action", "type", "mandatory", "recorded", "not recorded", "by recordings"},
        new int[] {17, 13, 13, 16, 21, 20});
    for (ActionCoverage a : s.continuity().coverage()) {
      List<String> un = new ArrayList<>();
      a.uncovered().forEach(u -> un.add(range(u)));
      h.append("<tr class=\"").append(a.ratio() < 1.0 && a.mandatory() ? "error" : "info");
      h.append("\"><td>");
      Xhtml.breakable(h, a.actionId());
      h.append("</td><td>");
      Xhtml.esc(h, a.type());
      h.append("</td><td>");
      Xhtml.esc(h, a.mandatory() ? l.t("yes (Art. 13)") : l.t("no"));
      h.append("</td><td>");
      Xhtml.esc(
          h,
          String.format(Locale.ROOT, "%.1f%% (", a.ratio() * 100)
              + HumanDurations.human(seconds(a.recordedSeconds()), l)
              + " "
              + l.t("of")
              + " "
              + HumanDurations.human(seconds(a.requiredSeconds()), l)
              + ")");
      h.append("</td><td>");
      Xhtml.esc(h, String.join("; ", un));
      h.append("</td><td>");
      Xhtml.breakable(h, String.join(", ", a.recordings()));
      h.append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");
  }

  private static Duration seconds(double s) {
    return Duration.ofMillis(Math.round(s * 1000));
  }

  private void recordings() {
    h.append("<section class=\"wide\">\n<h2>")
        .append(Xhtml.esc(l.t("Recordings")))
        .append("</h2>\n");
    head(
        "recordings",
        new String[] {
          "no.",
          "key",
          "device",
          "officer",
          "cases",
          "recorded",
          "length",
          "size",
          "verification",
          "signature",
          "retained until",
          "hold",
          "enforced by",
          "ledger entry"
        },
        new int[] {3, 13, 7, 7, 7, 8, 5, 5, 11, 10, 7, 4, 8, 5});
    for (CatalogedRecording e : s.recordings()) {
      h.append("<tr class=\"")
          .append(e.damaged() || e.signatureProblem() ? "error" : e.intact() ? "ok" : "info")
          .append("\">");
      recordingCells(e);
      cell(e.stored().map(i -> bytes(i.size())).orElse(""));
      cell(
          e.verification().map(Enum::name).orElse(l.t("not verified"))
              + (e.verificationDetail().isEmpty() ? "" : ": " + e.verificationDetail())
              + (e.probeNote().isEmpty() ? "" : "; " + e.probeNote()));
      cell(
          e.seal().isEmpty()
              ? ""
              : e.signature().isEmpty() ? l.t("not checked (no trust anchors)") : e.signature());
      cell(
          e.stored()
              .map(i -> i.retainUntil().map(p::dayTime).orElse(l.t("no retention set")))
              .orElse(""));
      cell(e.stored().map(i -> i.legalHold() ? l.t("legal hold") : "").orElse(""));
      cell(
          e.stored()
              .map(i -> i.storageEnforced() ? l.t("storage (WORM)") : "EvidenceKit")
              .orElse(""));
      cell(e.ledgerIndex() < 0 ? "" : "#" + e.ledgerIndex());
      h.append("</tr>\n");
    }
    for (CatalogedRecording e : s.destroyed()) {
      destroyed(e, e.disposal().orElseThrow());
    }
    h.append("</tbody></table>\n</section>\n");
  }

  /**
   * The cells every recording's row starts with: number, key, device, officer, cases, start,
   * length.
   */
  private void recordingCells(CatalogedRecording e) {
    cell(Integer.toString(e.number()));
    h.append("<td>");
    Xhtml.breakable(h, e.key());
    h.append("</td>");
    cell(e.metadata().deviceId().orElse(""));
    cell(e.metadata().officerId().orElse(""));
    cell(String.join(", ", e.metadata().caseIds()));
    cell(e.start().map(p::dayTime).orElse(l.t("unknown")));
    cell(e.length().map(x -> HumanDurations.human(x, l)).orElse(""));
  }

  /**
   * A recording destroyed under an approved plan (R-16, R-18): what the kept seal says was
   * recorded, and in the verification column when, under which plan, by whom and on whose approval
   * it went; its ledger entry is the {@code disposed} one.
   */
  private void destroyed(CatalogedRecording e, CatalogedRecording.Disposal d) {
    h.append("<tr class=\"info\">");
    recordingCells(e);
    cell(e.seal().map(x -> bytes(x.length())).orElse(""));
    h.append("<td>");
    Xhtml.breakable(
        h,
        CatalogedRecording.disposalText(d, p)
            + (e.disposalNote().isEmpty() ? "" : "; " + p.labels().t(e.disposalNote())));
    h.append("</td>");
    cell("");
    cell("");
    cell("");
    cell("");
    cell("#" + d.ledgerIndex());
    h.append("</tr>\n");
  }

  private void cell(String v) {
    h.append("<td>");
    Xhtml.esc(h, v);
    h.append("</td>");
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** Okabe-Ito colours (safe for the common colour blindnesses); patterns tell the reds apart. */
  private static final String CSS =
      "body{font:14px/1.4 system-ui,'Noto Sans CJK SC',sans-serif;margin:24px;color:#222;"
          + "-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
          + "h1{font-size:20px}h2{font-size:17px;margin-top:28px}h3{font-size:15px}\n"
          + ".convention{font-weight:600}\n"
          + "table{border-collapse:collapse;margin:8px 0;width:100%;table-layout:fixed}"
          + "table.facts{width:auto;table-layout:auto}"
          + "td,th{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top;"
          + "overflow-wrap:anywhere}th{background:#eee;overflow-wrap:normal}"
          + "table.facts th{white-space:nowrap}\n"
          + "thead{display:table-header-group}tr{break-inside:avoid}\n"
          + "tr.error td{background:#fbe3d6}tr.warning td{background:#fdf3d0}"
          + "tr.ok td{background:#e3f1ec}\n"
          + "svg.timeline{border:1px solid #ddd;background:#fff;max-width:100%;height:auto;"
          + "break-inside:avoid}\n"
          + ".lane{font-size:12px;fill:#444}.tick{font-size:11px;fill:#222}"
          + ".axis{stroke:#555;stroke-width:1}\n"
          + ".bar-label{font-size:11px;fill:#fff;font-weight:600}.bar-label.dark{fill:#000}"
          + ".bar-note{font-size:10px;fill:#000}\n"
          + "rect.action{fill:#d9d9d9;stroke:#555}rect.uncovered{stroke:#7a5200}\n"
          + "rect.recording{fill:#0072B2;stroke:#fff;stroke-width:1}"
          + "rect.gap{fill:#F0E442;stroke:#8a7f00}"
          + "rect.internal-gap{fill:#fff;stroke:#0072B2;stroke-dasharray:3 2}"
          + "rect.splice{fill:#CC79A7;stroke:#000;stroke-width:.5}\n"
          + ".legend .item{white-space:nowrap;margin-right:14px}"
          + ".legend .k{display:inline-block;width:16px;height:11px;margin:0 4px 0 0;"
          + "border:1px solid #555;vertical-align:middle}\n"
          + ".k.rec{background:#0072B2}"
          + ".k.bad{background:repeating-linear-gradient(45deg,#000 0 2px,#D55E00 2px 6px)}"
          + ".k.act{background:#d9d9d9}"
          + ".k.unc{background:radial-gradient(circle,#000 30%,#E69F00 35%) 0 0/6px 6px}"
          + ".k.gap{background:#F0E442}.k.igap{background:#fff;border:1px dashed #0072B2}"
          + ".k.cut{background:#CC79A7}\n"
          + ".foot{color:#555;font-size:12px;margin-top:24px}p.ok{color:#1b6e4f}\n"
          + "@page{size:A4 portrait;margin:12mm}\n"
          + "@page wide{size:A4 landscape;margin:10mm}\n"
          + "@media print{body{margin:0;font-size:10pt}section.wide{page:wide}"
          + "table.recordings{font-size:8pt}h2{break-after:avoid}h3{break-after:avoid}}\n";

  /**
   * "[151, 152, …] (4849)": the first ten of a break's missing numbers, and how many in all (a
   * folder that mixes naming conventions puts thousands between two files).
   */
  static String sequences(DeviceSession.SessionBreak b) {
    List<Integer> missing = b.missingSequences();
    if (missing.size() <= 10 && b.listsAllMissing()) {
      return missing.toString();
    }
    String head = missing.subList(0, Math.min(10, missing.size())).toString();
    return head.substring(0, head.length() - 1) + ", …] (" + b.missingCount() + ")";
  }
}
