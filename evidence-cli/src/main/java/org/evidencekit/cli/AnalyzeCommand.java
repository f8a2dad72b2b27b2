package org.evidencekit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.evidencekit.continuity.ActionCoverage;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.DeviceSession;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.continuity.WrittenDocument;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.ParseLimits;
import org.evidencekit.video.RecordingTimeline;
import org.evidencekit.video.TimelineGap;
import org.evidencekit.video.TrackTimeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Was the whole enforcement action recorded, untouched? Probes the files, chains each"
          + " device's split files into sessions, and checks them against the actions and written"
          + " documents (R-02, R-08 to R-14, R-21).",
      "Exit 0 with no error finding, 1 with one, 2 for bad input."
    },
    footer = {
      "",
      "Device, time and sequence come from the container's creation time and names like",
      "DEVCAM7_20230601_141000_001.mp4 (device_YYYYMMDD_HHMMSS_sequence, UTC).",
      "",
      "Examples:",
      "  evidence analyze DEVCAM7_*.mp4",
      "  evidence analyze DEVCAM7_*.mp4 --actions actions.json --documents documents.json --json"
    })
final class AnalyzeCommand implements Callable<Integer> {
  private static final Pattern NAME =
      Pattern.compile("^([A-Za-z0-9-]+)_(\\d{8})_(\\d{6})_(\\d{1,6})\\.[A-Za-z0-9]+$");

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings.")
  List<Path> files;

  @Option(names = "--actions", paramLabel = "ACTIONS.json", description = "Enforcement actions.")
  Path actionsFile;

  @Option(names = "--documents", paramLabel = "DOCS.json", description = "Written documents.")
  Path documentsFile;

  @Option(names = "--device", paramLabel = "ID", description = "Device id for every file.")
  String device;

  @Option(names = "--officer", paramLabel = "ID", description = "Officer id for every file.")
  String officer;

  @Option(
      names = "--clock-offset-ms",
      paramLabel = "MS",
      description = "Device clock minus trusted clock, measured at docking (R-08).")
  Long clockOffsetMs;

  @Option(names = "--ingested", paramLabel = "ISO", description = "When the files were ingested.")
  Instant ingested;

  @Option(names = "--deep", description = "Also read every keyframe's head to find splices.")
  boolean deep;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<RecordingSpan> spans = new ArrayList<>();
    Map<String, RecordingTimeline> timelines = new LinkedHashMap<>();
    MediaProbe probe = MediaProbe.create(ParseLimits.DEFAULTS, deep);
    for (Path f : files) {
      Cli.readableFile(f, "file");
      RecordingTimeline t;
      try {
        t = probe.probe(f);
      } catch (MediaFormatException e) {
        throw new EvidenceCommand.UsageException(f + ": " + e.getMessage());
      }
      timelines.put(f.getFileName().toString(), t);
      spans.add(span(f, t));
    }
    List<EnforcementAction> actions = actionsFile == null ? List.of() : readActions(actionsFile);
    List<WrittenDocument> documents =
        documentsFile == null ? List.of() : readDocuments(documentsFile);
    ContinuityReport report;
    try {
      report = ContinuityAnalyzer.create().analyze(spans, actions, documents);
    } catch (IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new String(report.toJson(), java.nio.charset.StandardCharsets.UTF_8));
      out.flush();
    } else {
      print(out, report);
    }
    return report.hasErrors() ? EvidenceCommand.FINDINGS : EvidenceCommand.OK;
  }

  /** The analyzer's view of a probed file. */
  RecordingSpan span(Path f, RecordingTimeline t) {
    String name = f.getFileName().toString();
    Matcher m = NAME.matcher(name);
    Instant nameTime = null;
    Integer seq = null;
    String dev = device;
    if (m.matches()) {
      try {
        nameTime =
            LocalDateTime.parse(
                    m.group(2) + m.group(3), DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                .toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e) {
        nameTime = null;
      }
      seq = Integer.parseInt(m.group(4));
      if (dev == null) {
        dev = m.group(1);
      }
    }
    Instant start = t.creationTime().orElse(nameTime);
    if (start == null) {
      throw new EvidenceCommand.UsageException(
          name + ": no creation time and no time in the file name: cannot place it in time");
    }
    RecordingSpan.Builder b =
        RecordingSpan.builder(name)
            .deviceId(dev == null ? "unknown-device" : dev)
            .start(start)
            .end(start.plusNanos((long) (t.durationSeconds() * 1e9)));
    if (seq != null) {
      b.sequence(seq);
    }
    if (officer != null) {
      b.officerId(officer);
    }
    if (clockOffsetMs != null) {
      b.clockOffset(Duration.ofMillis(clockOffsetMs));
    }
    if (ingested != null) {
      b.ingestTime(ingested);
    }
    TrackTimeline main = t.track("vide").or(() -> t.track("soun")).orElse(null);
    if (main != null) {
      for (TimelineGap g : main.gaps()) {
        b.addInternalGap(
            new Interval(
                start.plusNanos((long) (g.fromSeconds() * 1e9)),
                start.plusNanos((long) (g.toSeconds() * 1e9))));
      }
    }
    for (MediaFinding mf : t.findings()) {
      b.addContainerFinding(mf.code());
    }
    return b.build();
  }

  private static JsonNode readJson(Path p, String what, String format) throws Exception {
    Cli.readableFile(p, what);
    if (Files.size(p) > 64L << 20) {
      throw new EvidenceCommand.UsageException(what + " " + p + " is larger than 64 MiB");
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(p));
    } catch (java.io.IOException e) {
      throw new EvidenceCommand.UsageException(what + " " + p + " is not valid JSON");
    }
    if (root == null || !format.equals(root.path("format").asText())) {
      throw new EvidenceCommand.UsageException(what + " " + p + ": format must be " + format);
    }
    return root;
  }

  private static Instant instant(JsonNode n, String field, String where) {
    String s = n.path(field).asText(null);
    if (s == null) {
      throw new EvidenceCommand.UsageException(where + ": missing '" + field + "'");
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new EvidenceCommand.UsageException(
          where + ": '" + field + "' = '" + s + "' is not an ISO-8601 UTC instant");
    }
  }

  private static List<String> strings(JsonNode n, String field) {
    List<String> out = new ArrayList<>();
    n.path(field).forEach(x -> out.add(x.asText()));
    return out;
  }

  static List<EnforcementAction> readActions(Path p) throws Exception {
    JsonNode root = readJson(p, "actions", "evidencekit.actions/1");
    List<EnforcementAction> out = new ArrayList<>();
    for (JsonNode a : root.path("actions")) {
      String id = a.path("id").asText(null);
      String where = "action " + id;
      if (id == null || !a.has("type")) {
        throw new EvidenceCommand.UsageException("every action needs an id and a type");
      }
      List<EnforcementAction.Stage> stages = new ArrayList<>();
      for (JsonNode s : a.path("stages")) {
        stages.add(
            new EnforcementAction.Stage(
                s.path("name").asText("stage"),
                interval(instant(s, "start", where), instant(s, "end", where), where)));
      }
      try {
        out.add(
            new EnforcementAction(
                id,
                a.path("type").asText(),
                interval(instant(a, "start", where), instant(a, "end", where), where),
                a.path("place").asText(null),
                stages,
                strings(a, "devices"),
                strings(a, "officers"),
                strings(a, "recordings")));
      } catch (IllegalArgumentException e) {
        throw new EvidenceCommand.UsageException(where + ": " + e.getMessage());
      }
    }
    return out;
  }

  static List<WrittenDocument> readDocuments(Path p) throws Exception {
    JsonNode root = readJson(p, "documents", "evidencekit.documents/1");
    List<WrittenDocument> out = new ArrayList<>();
    for (JsonNode d : root.path("documents")) {
      String id = d.path("id").asText(null);
      String where = "document " + id;
      if (id == null) {
        throw new EvidenceCommand.UsageException("every document needs an id");
      }
      out.add(
          new WrittenDocument(
              id,
              d.path("kind").asText("document"),
              interval(instant(d, "start", where), instant(d, "end", where), where),
              strings(d, "recordings")));
    }
    return out;
  }

  private static Interval interval(Instant s, Instant e, String where) {
    if (e.isBefore(s)) {
      throw new EvidenceCommand.UsageException(where + ": ends before it starts");
    }
    return new Interval(s, e);
  }

  static void print(PrintWriter out, ContinuityReport r) {
    for (DeviceSession s : r.sessions()) {
      out.printf(
          Locale.ROOT,
          "device %s: %d file(s), %.3f s recorded over %.3f s%n",
          s.deviceId(),
          s.files().size(),
          s.recordedSeconds(),
          s.spanSeconds());
      for (DeviceSession.SessionBreak b : s.breaks()) {
        out.printf(
            Locale.ROOT,
            "  %s -> %s: %s%s%n",
            b.before(),
            b.after(),
            b.kind(),
            b.kind() == DeviceSession.BreakKind.CONTIGUOUS
                ? ""
                : String.format(
                    Locale.ROOT,
                    " (%.3f s%s)",
                    b.seconds(),
                    b.missingSequences().isEmpty() ? "" : ", missing " + b.missingSequences()));
      }
    }
    for (ActionCoverage c : r.coverage()) {
      out.printf(
          Locale.ROOT,
          "action %s (%s%s): %.1f%% recorded (%.3f of %.3f s)%n",
          c.actionId(),
          c.type(),
          c.mandatory() ? ", mandatory" : "",
          c.ratio() * 100,
          c.recordedSeconds(),
          c.requiredSeconds());
    }
    for (ContinuityFinding f : r.findings()) {
      out.printf("  %-7s %-22s %-10s %s%n", f.severity(), f.code(), f.article(), f.message());
    }
    if (r.findings().isEmpty()) {
      out.println("no findings");
    }
  }
}
