package org.evidencekit.report;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.GeoPosition;

/**
 * The case file's record sheet of recordings (Art. 18, R-15): for every selected recording its
 * content (file, type, length, size, seal roots), time, place, responsible officer and storage
 * location, with the count; every value from the signed seals and the store. As CSV (RFC 4180,
 * formulas defused), JSON ({@value #FORMAT}) or printable XHTML (A4 landscape, no column cut).
 * Times are in the presentation's zone: ISO-8601 with its offset in CSV and JSON, local time on the
 * printed sheet, which states the zone.
 */
public final class RecordSheet {
  /** The JSON document's format name. */
  public static final String FORMAT = "evidencekit.record-sheet/1";

  /** The CSV and JSON columns, in order. */
  public static final List<String> COLUMNS =
      List.of(
          "no",
          "file",
          "mediaType",
          "seconds",
          "bytes",
          "sha256Root",
          "sm3Root",
          "start",
          "end",
          "startLocal",
          "place",
          "device",
          "officer",
          "cases",
          "storage",
          "key",
          "ledgerEntry",
          "sealedAt",
          "retainUntil",
          "legalHold",
          "status",
          "destroyedAt",
          "disposalPlan",
          "destroyedBy",
          "approvedBy",
          "disposedEntry",
          "disposalNote");

  /** Under a recording whose seal object is not the seal its ledger entry logged (R-07, R-20). */
  static final String SEAL_REPLACED_NOTE =
      "Its seal in the store is not the seal its ledger entry logged (replaced): what it recorded"
          + " is from its ledger entry";

  /** Under a recording whose seal object cannot be read as a seal (R-17, R-20). */
  static final String SEAL_UNREADABLE_NOTE =
      "Its seal in the store cannot be read (damaged or not a seal): what it recorded is from its"
          + " ledger entry";

  /** The {@code status} of a recording the archive still keeps. */
  static final String KEPT = "kept";

  /** The {@code status} of a recording destroyed under an approved plan (R-16). */
  static final String DESTROYED = "destroyed";

  /**
   * The {@code status} of a recording gone from the store with no lawful disposal to account for it
   * (removed by hand: the store never deletes one; R-20), a {@code RECORDING_MISSING} finding.
   */
  static final String MISSING = "missing";

  /** Its {@code status}: destroyed under a plan, else gone from the store, else kept. */
  private static String status(CatalogedRecording e) {
    return e.disposal().isPresent() ? DESTROYED : e.stored().isEmpty() ? MISSING : KEPT;
  }

  private RecordSheet() {}

  /** Every recording the sheet accounts for: those kept, then those destroyed (R-18). */
  private static List<CatalogedRecording> listed(Selection s) {
    List<CatalogedRecording> all = new ArrayList<>(s.recordings());
    all.addAll(s.destroyed());
    return all;
  }

  /** The sheet's rows, column name to value (empty for an unknown value). */
  static List<Map<String, String>> rows(Selection s, Presentation p) {
    List<Map<String, String>> rows = new ArrayList<>();
    for (CatalogedRecording e : listed(s)) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("no", Integer.toString(e.number()));
      r.put("file", e.fileName());
      r.put("mediaType", e.metadata().mediaType().orElse(""));
      r.put(
          "seconds",
          e.length()
              .map(d -> String.format(Locale.ROOT, "%.3f", d.toMillis() / 1000.0))
              .orElse(""));
      r.put("bytes", e.seal().map(x -> Long.toString(x.length())).orElse(""));
      r.put("sha256Root", root(e, HashAlgorithm.SHA256));
      r.put("sm3Root", root(e, HashAlgorithm.SM3));
      r.put("start", e.start().map(p::iso).orElse(""));
      r.put("end", e.end().map(p::iso).orElse(""));
      r.put("startLocal", e.start().map(p::dayTime).orElse(""));
      r.put("place", place(e, s.query().actions()));
      r.put("device", e.metadata().deviceId().orElse(""));
      r.put("officer", e.metadata().officerId().orElse(""));
      r.put("cases", String.join(" ", e.metadata().caseIds()));
      r.put("storage", s.location());
      r.put("key", e.key());
      r.put("ledgerEntry", e.ledgerIndex() < 0 ? "" : Long.toString(e.ledgerIndex()));
      r.put("sealedAt", e.metadata().ingestTime().map(p::iso).orElse(""));
      r.put("retainUntil", e.stored().flatMap(i -> i.retainUntil()).map(p::iso).orElse(""));
      // only of an object the store holds: of one destroyed or gone the store says nothing, and
      // "no" would claim a state nobody read (the printed sheet shows no hold either)
      r.put(
          "legalHold",
          status(e).equals(KEPT) && e.stored().isPresent()
              ? (e.stored().get().legalHold() ? "yes" : "no")
              : "");
      Optional<CatalogedRecording.Disposal> d = e.disposal();
      r.put("status", status(e));
      r.put("destroyedAt", d.map(x -> p.iso(x.at())).orElse(""));
      r.put("disposalPlan", d.map(x -> x.planDigest()).orElse(""));
      r.put("destroyedBy", d.map(x -> x.executedBy()).orElse(""));
      r.put("approvedBy", d.map(x -> String.join("; ", x.approvers())).orElse(""));
      r.put("disposedEntry", d.map(x -> Long.toString(x.ledgerIndex())).orElse(""));
      r.put("disposalNote", e.disposalNote());
      rows.add(r);
    }
    return rows;
  }

  private static String root(CatalogedRecording e, HashAlgorithm h) {
    return e.seal()
        .filter(x -> x.suite().algorithms().contains(h))
        .map(x -> x.root(h).hex())
        .orElse("");
  }

  /** GPS from the seal, else the place of an action the recording overlaps. */
  private static String place(CatalogedRecording e, List<EnforcementAction> acts) {
    if (!e.metadata().positions().isEmpty()) {
      GeoPosition g = e.metadata().positions().get(0);
      return g.latitude() + "," + g.longitude();
    }
    if (e.start().isEmpty()) {
      return "";
    }
    Instant s = e.start().get();
    Instant t = e.end().orElse(s);
    for (EnforcementAction a : acts) {
      if (a.place().isPresent() && !t.isBefore(a.span().start()) && !s.isAfter(a.span().end())) {
        return a.place().get();
      }
    }
    return "";
  }

  /**
   * The selection's findings the sheet answers for, in the selection's order: those about the
   * recordings it lists and their disposal (a recording gone from the store; a destruction register
   * the ledger does not bear out, {@code DISPOSAL_*}, R-16, R-18). The continuity analysis over
   * them (gaps, unrecorded actions, late ingest) is the supervisor report's, not the sheet's. An
   * {@link ReportFinding.Severity#ERROR} among them fails the sheet as one fails the report.
   */
  public static List<ReportFinding> findings(Selection selection) {
    requireNonNull(selection, "selection");
    List<ReportFinding> out = new ArrayList<>();
    for (ReportFinding f : selection.findings()) {
      if (!selection.fromContinuity(f)) {
        out.add(f);
      }
    }
    return List.copyOf(out);
  }

  /** CSV (RFC 4180, CRLF), a header line then one line per recording. */
  public static byte[] csv(Selection selection, Presentation presentation) {
    requireNonNull(selection, "selection");
    requireNonNull(presentation, "presentation");
    StringBuilder b = new StringBuilder(256 + listed(selection).size() * 512);
    b.append(String.join(",", COLUMNS)).append("\r\n");
    for (Map<String, String> r : rows(selection, presentation)) {
      boolean first = true;
      for (String col : COLUMNS) {
        if (!first) {
          b.append(',');
        }
        first = false;
        b.append(csvCell(r.get(col)));
      }
      b.append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * RFC 4180 quoting; a cell a spreadsheet would run as a formula (leading = + - @, tab or CR) is
   * prefixed with an apostrophe, plain numbers excepted.
   */
  static String csvCell(String v) {
    String s = v == null ? "" : v;
    if (!s.isEmpty()
        && "=+-@\t\r".indexOf(s.charAt(0)) >= 0
        && !s.matches("-?[0-9]+(\\.[0-9]+)?")) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  /** JSON: the format, the zone, the count, the ledger state and the rows. */
  public static byte[] json(Selection selection, Presentation presentation) {
    requireNonNull(selection, "selection");
    requireNonNull(presentation, "presentation");
    StringBuilder b = new StringBuilder(512 + listed(selection).size() * 900);
    b.append("{\n");
    field(b, "format", FORMAT).append(",\n");
    field(b, "case", selection.query().caseId().orElse("")).append(",\n");
    field(b, "selection", selection.query().describe()).append(",\n");
    field(b, "zone", presentation.zone().getId()).append(",\n");
    b.append("  \"count\" : ").append(listed(selection).size()).append(",\n");
    b.append("  \"destroyed\" : ").append(selection.destroyed().size()).append(",\n");
    field(b, "storage", selection.location()).append(",\n");
    field(b, "madeAt", presentation.iso(selection.madeAt())).append(",\n");
    b.append("  \"ledgerSize\" : ").append(selection.ledgerSize()).append(",\n");
    field(b, "ledgerRoot", selection.ledgerRoot()).append(",\n");
    selection
        .checkpoint()
        .ifPresent(
            c -> {
              b.append("  \"checkpointSize\" : ").append(c.size()).append(",\n");
              field(b, "checkpointRoot", c.root().hex()).append(",\n");
            });
    b.append("  \"recordings\" : [");
    boolean firstRow = true;
    for (Map<String, String> r : rows(selection, presentation)) {
      b.append(firstRow ? " {\n" : ", {\n");
      firstRow = false;
      boolean first = true;
      for (Map.Entry<String, String> c : r.entrySet()) {
        if (!first) {
          b.append(",\n");
        }
        first = false;
        b.append("    ");
        string(b, c.getKey());
        b.append(" : ");
        string(b, c.getValue());
      }
      b.append("\n  }");
    }
    b.append(firstRow ? "]\n}\n" : " ]\n}\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append("  ");
    string(b, name);
    b.append(" : ");
    string(b, value);
    return b;
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /** The printable sheet: XHTML, A4 landscape, every column kept, the zone stated. */
  public static byte[] html(Selection selection, Presentation presentation) {
    requireNonNull(selection, "selection");
    requireNonNull(presentation, "presentation");
    Presentation p = presentation;
    Labels l = p.labels();
    List<CatalogedRecording> listed = listed(selection);
    StringBuilder h = new StringBuilder(8 * 1024 + listed.size() * 1500);
    String title =
        l.t("Record sheet of audio-visual recordings")
            + ", "
            + selection
                .query()
                .caseId()
                .map(c -> l.t("case") + " " + c)
                .orElse(p.localize(selection.query().describe(l)));
    Xhtml.head(h, l.lang(), title, SHEET_CSS);
    h.append("<h1>");
    Xhtml.esc(h, title);
    h.append("</h1>\n<p class=\"convention\">");
    Xhtml.esc(
        h,
        l.t("All times are local time of")
            + " "
            + p.zoneText(selection.madeAt())
            + ". "
            + l.t("Count")
            + ": "
            + listed.size()
            + (selection.destroyed().isEmpty()
                ? ""
                : " (" + l.t("destroyed") + ": " + selection.destroyed().size() + ")")
            + ". "
            + l.t("Storage")
            + ": "
            + selection.location()
            + ". "
            + l.t("Ledger")
            + ": "
            + selection.ledgerSize()
            + " "
            + l.t(selection.ledgerSize() == 1 ? "entry, root" : "entries, root")
            + " "
            + selection.ledgerRoot()
            + ". "
            + l.t("Made at")
            + " "
            + p.dayTime(selection.madeAt())
            + ".");
    h.append("</p>\n<table>\n<colgroup>");
    int[] widths = {4, 9, 6, 5, 8, 9, 8, 7, 10, 16, 5, 9, 4};
    for (int w : widths) {
      h.append("<col style=\"width:").append(w).append("%\"/>");
    }
    h.append("</colgroup>\n<thead><tr>");
    for (String head : SHEET_HEADS) {
      h.append("<th>");
      Xhtml.esc(h, l.t(head));
      h.append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
    for (Map<String, String> r : rows(selection, presentation)) {
      h.append("<tr>");
      td(h, r.get("no"), false);
      td(h, r.get("file"), true);
      td(h, r.get("mediaType"), true);
      h.append("<td>");
      String secs = r.get("seconds");
      Xhtml.esc(
          h,
          secs.isEmpty()
              ? ""
              : HumanDurations.human(
                  java.time.Duration.ofMillis(Math.round(Double.parseDouble(secs) * 1000)), l));
      h.append("</td>");
      td(h, r.get("startLocal"), false);
      td(h, r.get("place"), false);
      td(h, r.get("officer"), true);
      td(h, r.get("device"), true);
      td(h, r.get("key"), true);
      h.append("<td class=\"hash\">");
      if (!r.get("sha256Root").isEmpty()) {
        h.append("<span class=\"alg\">SHA-256</span> ");
        Xhtml.esc(h, r.get("sha256Root"));
      }
      if (!r.get("sm3Root").isEmpty()) {
        h.append("<br/><span class=\"alg\">SM3</span> ");
        Xhtml.esc(h, r.get("sm3Root"));
      }
      h.append("</td>");
      td(h, r.get("ledgerEntry").isEmpty() ? "" : "#" + r.get("ledgerEntry"), false);
      CatalogedRecording e = listed.get(Integer.parseInt(r.get("no")) - 1);
      h.append("<td>");
      String status = r.get("status");
      if (status.equals(DESTROYED)) {
        Xhtml.esc(h, l.t("Destroyed") + " " + p.dayTime(e.disposal().get().at()));
      } else if (status.equals(MISSING)) {
        // as the CSV's and JSON's status says: no retention or hold of an object that is gone
        Xhtml.esc(h, l.t("Not in the store"));
      } else {
        e.stored().flatMap(i -> i.retainUntil()).ifPresent(t -> Xhtml.esc(h, p.dayTime(t)));
      }
      h.append("</td>");
      String hold = r.get("legalHold").equals("yes") ? l.t("yes") : l.t("no");
      td(h, status.equals(KEPT) ? hold : "", false);
      h.append("</tr>\n");
      e.disposal().ifPresent(d -> disposalRow(h, d, p));
      if (!e.disposalNote().isEmpty()) {
        noteRow(h, l.t(e.disposalNote()));
      }
      if (!e.lengthNote().isEmpty()) {
        // a truncated file's end beside the shorter length it holds, or a length not checked
        noteRow(h, l.t(e.lengthNote()));
      }
      if (e.seal().isEmpty()) {
        // removed or replaced under the store: say so, or the blank roots read as a recording
        // unsealed
        noteRow(
            h,
            l.t(
                e.sealUnreadable
                    ? SEAL_UNREADABLE_NOTE
                    : e.verification().orElse(null) == SweepReport.Status.DAMAGED
                        ? SEAL_REPLACED_NOTE
                        : "Its seal is not in the store: what it recorded is from its ledger entry"));
      }
    }
    h.append("</tbody>\n</table>\n</body>\n</html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Under a destroyed recording's row: how it was destroyed, across the sheet (R-16, R-18). */
  private static void disposalRow(StringBuilder h, CatalogedRecording.Disposal d, Presentation p) {
    noteRow(
        h,
        CatalogedRecording.disposalText(d, p)
            + "; "
            + p.labels().t("Ledger")
            + " #"
            + d.ledgerIndex());
  }

  /** A line across the sheet under a row. */
  private static void noteRow(StringBuilder h, String text) {
    h.append("<tr class=\"disposal\"><td></td><td colspan=\"")
        .append(SHEET_HEADS.size() - 1)
        .append("\">");
    Xhtml.breakable(h, text + ".");
    h.append("</td></tr>\n");
  }

  private static void td(StringBuilder h, String v, boolean breakable) {
    h.append("<td>");
    if (breakable) {
      Xhtml.breakable(h, v);
    } else {
      Xhtml.esc(h, v);
    }
    h.append("</td>");
  }

  /** The printed sheet's column headings (Art. 18 names them: content, time, place, ...). */
  static final List<String> SHEET_HEADS =
      List.of(
          "No.",
          "Content (file)",
          "Type",
          "Length",
          "Time",
          "Place",
          "Responsible",
          "Device",
          "Storage location",
          "Seal roots",
          "Ledger",
          "Retained until",
          "Hold");

  private static final String SHEET_CSS =
      "body{font:12px/1.35 system-ui,'Noto Sans CJK SC',sans-serif;margin:20px;color:#111}\n"
          + "h1{font-size:18px}.convention{font-weight:600}\n"
          + "table{border-collapse:collapse;width:100%;table-layout:fixed}"
          + "td,th{border:1px solid #888;padding:3px 5px;text-align:left;vertical-align:top;"
          + "overflow-wrap:anywhere}th{background:#eee;overflow-wrap:normal}\n"
          + "td.hash{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em}"
          + ".alg{font-family:system-ui,sans-serif;font-weight:600}\n"
          + "thead{display:table-header-group}tr{break-inside:avoid}\n"
          + "@page{size:A4 landscape;margin:10mm}\n"
          + "@media print{body{margin:0;font-size:8pt}h1{font-size:13pt}}\n";
}
