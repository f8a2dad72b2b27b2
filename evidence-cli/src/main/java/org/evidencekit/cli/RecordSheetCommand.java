package org.evidencekit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.GeoPosition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evidence record-sheet}: the case file's notes sheet of recordings (Art. 18, R-15):
 * content, count, time, place, responsible person and storage location of every recording of a
 * case, from the sealed evidence itself.
 */
@Command(
    name = "record-sheet",
    mixinStandardHelpOptions = true,
    description = {
      "The case file's record sheet (Art. 18, R-15): for every sealed recording of the case its"
          + " content (file, type, length, size, seal roots), time, place, responsible officer"
          + " and storage location, with the count; as CSV, JSON or printable HTML.",
      "Every value comes from the signed seals and the store, not from what someone typed."
    },
    footer = {
      "",
      "Examples:",
      "  evidence record-sheet --store /srv/evidence --case ZZ-2023-0042",
      "  evidence record-sheet --store /srv/evidence --case ZZ-2023-0042 --format html \\",
      "      --actions actions.json -o ZZ-2023-0042-recordings.html"
    })
final class RecordSheetCommand implements Callable<Integer> {
  static final String FORMAT = "evidencekit.record-sheet/1";
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(HtmlReport.ZONE);

  enum Format {
    csv,
    json,
    html
  }

  @Spec CommandSpec spec;

  @Mixin StoreArgument store = new StoreArgument();

  @Option(names = "--case", required = true, paramLabel = "ID", description = "The case.")
  String caseId;

  @Option(names = "--format", defaultValue = "csv", description = "csv (default), json or html.")
  Format format;

  @Option(
      names = "--actions",
      paramLabel = "ACTIONS.json",
      description = "Enforcement actions, for the place of recordings without GPS.")
  Path actions;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE (atomically) instead of standard output.")
  Path output;

  @Option(names = "--force", description = "Replace an existing output file.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    if (caseId.isBlank()) {
      throw new EvidenceCommand.UsageException("--case is empty");
    }
    if (output != null && !force && java.nio.file.Files.exists(output)) {
      throw new EvidenceCommand.UsageException(
          output + " already exists (use --force to replace it)");
    }
    List<EnforcementAction> acts =
        actions == null ? List.of() : AnalyzeCommand.readActions(actions);
    StoreCatalog.Filter f = new StoreCatalog.Filter();
    f.caseId = caseId;
    StoreCatalog c = store.catalog(f, acts, false, false);
    List<Map<String, String>> rows = rows(c.entries, c.location, acts);
    byte[] bytes =
        switch (format) {
          case csv -> csv(rows);
          case json -> json(c, rows);
          case html -> html(c, rows);
        };
    if (output != null) {
      Cli.writeAtomically(output, bytes, force);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(new String(bytes, StandardCharsets.UTF_8));
      out.flush();
    }
    if (c.entries.isEmpty()) {
      spec.commandLine().getErr().println("evidence: no sealed recording names case " + caseId);
      spec.commandLine().getErr().flush();
      return EvidenceCommand.FINDINGS;
    }
    return EvidenceCommand.OK;
  }

  static final String[] COLUMNS = {
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
    "legalHold"
  };

  static List<Map<String, String>> rows(
      List<StoreCatalog.Entry> entries, String location, List<EnforcementAction> acts) {
    List<Map<String, String>> rows = new ArrayList<>();
    int n = 0;
    for (StoreCatalog.Entry e : entries) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("no", Integer.toString(++n));
      r.put("file", e.fileName());
      r.put("mediaType", e.metadata.mediaType().orElse(""));
      r.put(
          "seconds",
          e.trueStart().isPresent() && e.trueEnd().isPresent()
              ? String.format(
                  Locale.ROOT,
                  "%.3f",
                  Duration.between(e.trueStart().get(), e.trueEnd().get()).toMillis() / 1000.0)
              : "");
      r.put("bytes", e.seal == null ? "" : Long.toString(e.seal.length()));
      r.put("sha256Root", root(e, HashAlgorithm.SHA256));
      r.put("sm3Root", root(e, HashAlgorithm.SM3));
      r.put("start", e.trueStart().map(Object::toString).orElse(""));
      r.put("end", e.trueEnd().map(Object::toString).orElse(""));
      r.put("startLocal", e.trueStart().map(LOCAL::format).orElse(""));
      r.put("place", place(e, acts));
      r.put("device", e.metadata.deviceId().orElse(""));
      r.put("officer", e.metadata.officerId().orElse(""));
      r.put("cases", String.join(" ", e.metadata.caseIds()));
      r.put("storage", location);
      r.put("key", e.key);
      r.put("ledgerEntry", e.ledgerIndex < 0 ? "" : Long.toString(e.ledgerIndex));
      r.put("sealedAt", e.metadata.ingestTime().map(Object::toString).orElse(""));
      r.put(
          "retainUntil",
          e.info == null ? "" : e.info.retainUntil().map(Object::toString).orElse(""));
      r.put("legalHold", e.info != null && e.info.legalHold() ? "yes" : "no");
      rows.add(r);
    }
    return rows;
  }

  private static String root(StoreCatalog.Entry e, HashAlgorithm h) {
    return e.seal != null && e.seal.suite().algorithms().contains(h) ? e.seal.root(h).hex() : "";
  }

  /** GPS from the seal, else the place of an action the recording overlaps. */
  private static String place(StoreCatalog.Entry e, List<EnforcementAction> acts) {
    if (!e.metadata.positions().isEmpty()) {
      GeoPosition p = e.metadata.positions().get(0);
      return p.latitude() + "," + p.longitude();
    }
    if (e.trueStart().isEmpty()) {
      return "";
    }
    java.time.Instant s = e.trueStart().get();
    java.time.Instant t = e.trueEnd().orElse(s);
    for (EnforcementAction a : acts) {
      if (a.place().isPresent() && !t.isBefore(a.span().start()) && !s.isAfter(a.span().end())) {
        return a.place().get();
      }
    }
    return "";
  }

  static byte[] csv(List<Map<String, String>> rows) {
    StringBuilder b = new StringBuilder();
    b.append(String.join(",", COLUMNS)).append("\r\n");
    for (Map<String, String> r : rows) {
      List<String> cells = new ArrayList<>();
      for (String col : COLUMNS) {
        cells.add(csvCell(r.get(col)));
      }
      b.append(String.join(",", cells)).append("\r\n");
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** RFC 4180 quoting; a leading = + - @ is defused so spreadsheets do not run it as a formula. */
  static String csvCell(String v) {
    String s = v == null ? "" : v;
    if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !s.matches("-?[0-9.]+")) {
      s = "'" + s;
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  private byte[] json(StoreCatalog c, List<Map<String, String>> rows) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("case", caseId);
    m.put("count", rows.size());
    m.put("storage", c.location);
    m.put("madeAt", c.madeAt.toString());
    m.put("ledgerSize", c.ledgerSize);
    m.put("ledgerRoot", c.ledgerRoot);
    if (c.checkpoint != null) {
      m.put("checkpointSize", c.checkpoint.size());
      m.put("checkpointRoot", c.checkpoint.root().hex());
    }
    m.put("recordings", rows);
    return (new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private byte[] html(StoreCatalog c, List<Map<String, String>> rows) {
    StringBuilder h = new StringBuilder();
    HtmlReport.head(
        h,
        "Recordings of case " + caseId,
        "body{font:13px/1.4 system-ui,sans-serif;margin:20px}"
            + "table{border-collapse:collapse}td,th{border:1px solid #999;padding:3px 6px;"
            + "text-align:left;vertical-align:top}th{background:#eee}"
            + "@media print{body{margin:0}}\n");
    h.append("<h1>Record sheet of audio-visual recordings, case ")
        .append(HtmlReport.esc(caseId))
        .append("</h1>\n<p>Count: ")
        .append(rows.size())
        .append(". Storage: ")
        .append(HtmlReport.esc(c.location))
        .append(". Ledger: ")
        .append(c.ledgerSize)
        .append(" entries, root ")
        .append(HtmlReport.esc(c.ledgerRoot))
        .append(". Made ")
        .append(HtmlReport.esc(LOCAL.format(c.madeAt)))
        .append(" (Asia/Shanghai).</p>\n<table>\n<tr>");
    String[] shown = {
      "no",
      "file",
      "mediaType",
      "seconds",
      "startLocal",
      "place",
      "officer",
      "device",
      "key",
      "sha256Root",
      "ledgerEntry",
      "retainUntil",
      "legalHold"
    };
    String[] heads = {
      "No.",
      "Content (file)",
      "Type",
      "Length (s)",
      "Time (local)",
      "Place",
      "Responsible",
      "Device",
      "Storage location",
      "SHA-256 root",
      "Ledger",
      "Retained until",
      "Hold"
    };
    for (String s : heads) {
      h.append("<th>").append(HtmlReport.esc(s)).append("</th>");
    }
    h.append("</tr>\n");
    for (Map<String, String> r : rows) {
      h.append("<tr>");
      for (String col : shown) {
        h.append("<td>").append(HtmlReport.esc(r.get(col))).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n</body>\n</html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }
}
