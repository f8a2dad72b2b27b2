package org.evidencekit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.evidencekit.continuity.ContinuityAnalyzer;
import org.evidencekit.continuity.ContinuityCode;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.continuity.ContinuityFormatException;
import org.evidencekit.continuity.ContinuityInputs;
import org.evidencekit.continuity.ContinuityPolicy;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.continuity.DeviceFacts;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.RecordingMarkers;
import org.evidencekit.continuity.RecordingSpan;
import org.evidencekit.continuity.WrittenDocument;
import org.evidencekit.ingest.FolderSearch;
import org.evidencekit.ingest.IngestCodes;
import org.evidencekit.ingest.Placement;
import org.evidencekit.ingest.ProbeRefusal;
import org.evidencekit.ingest.SkippedInput;
import org.evidencekit.ingest.TimelineMapping;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.ParseLimits;
import org.evidencekit.video.RecordingTimeline;
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
      "Exit 0 with no error finding, 1 with one (or a recording left out), 2 for bad input."
    },
    footer = {
      "",
      "Time comes from the container's creation time, else from the file name (the naming",
      "conventions of real devices, docs/video.md, local time in --zone; add your own with",
      "--name-pattern); device and sequence from the name when it carries them. Folders are",
      "searched recursively. A file that is missing or unreadable is an Art. 21(2) finding, one",
      "that cannot be placed in time is listed, as is one that is no media the probe reads",
      "(NOT_MEDIA: a note, a sidecar, a still, an AVI); the others are analysed. A 'card:' line",
      "counts them, and --json adds them as the member 'card'. Input formats:",
      "docs/continuity-report.md.",
      "",
      "Examples:",
      "  evidence analyze DEVCAM7_*.mp4",
      "  evidence analyze DEVCAM7_*.mp4 --actions actions.json --documents documents.json --json",
      "  evidence analyze *.mp4 --actions a.json --devices devices.json --recordings marks.json \\",
      "      --mandatory sealing-up --lang zh"
    })
final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE|DIR",
      description =
          "Recordings, or folders of them (searched recursively as ingest searches them, e.g. a"
              + " whole card; what is skipped is listed).")
  List<Path> files;

  @Option(
      names = "--name-pattern",
      paramLabel = "MODEL=PATTERN",
      description =
          "File-name pattern of a device model, tried before the standard table (repeatable),"
              + " e.g. 'DSJ-X1={device}_{officer}_{yyyyMMddHHmmss}_{seq}'.")
  List<String> namePatterns = new ArrayList<>();

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

  @Option(
      names = "--devices",
      paramLabel = "DEVICES.json",
      description =
          "Per-device officer, clock offset and ingest time (instead of the three options).")
  Path devicesFile;

  @Option(
      names = "--recordings",
      paramLabel = "MARKERS.json",
      description = "Per-recording markers: party informed (Art. 12), locked EVENT file.")
  Path recordingsFile;

  @Option(
      names = "--policy",
      paramLabel = "POLICY.json",
      description = "Further mandatory action types (Art. 13(5)).")
  Path policyFile;

  @Option(
      names = "--mandatory",
      paramLabel = "TYPE",
      description = "An action type that must be recorded as well (Art. 13(5)); repeatable.")
  List<String> mandatory = new ArrayList<>();

  @Option(
      names = "--lang",
      paramLabel = "zh|en",
      defaultValue = "en",
      description = "Language of the report (default: ${DEFAULT-VALUE}).")
  String lang;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      defaultValue = "Asia/Shanghai",
      description = "Time zone of the report's times (default: ${DEFAULT-VALUE}).")
  String zoneName;

  private Map<String, DeviceFacts> deviceFacts = Map.of();
  private Map<String, RecordingMarkers> markers = Map.of();

  @Override
  public Integer call() throws Exception {
    Locale language = Locale.forLanguageTag(PresentationOptions.language(lang));
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneName);
    } catch (DateTimeException e) {
      throw new EvidenceCommand.UsageException("--zone " + zoneName + " is not a time zone");
    }
    if (devicesFile != null && (officer != null || clockOffsetMs != null || ingested != null)) {
      throw new EvidenceCommand.UsageException(
          "--devices and --officer/--clock-offset-ms/--ingested say the same thing: use one");
    }
    for (String m : mandatory) {
      if (m.isBlank()) {
        throw new EvidenceCommand.UsageException("--mandatory needs a type, not an empty string");
      }
    }
    ContinuityPolicy policy =
        policyFile == null
            ? ContinuityPolicy.defaults()
            : read(policyFile, "policy", ContinuityInputs::readPolicy);
    policy = policy.withMandatoryTypes(mandatory);
    if (devicesFile != null) {
      deviceFacts = read(devicesFile, "devices", ContinuityInputs::readDevices);
    }
    List<EnforcementAction> actions = actionsFile == null ? List.of() : readActions(actionsFile);
    List<WrittenDocument> documents =
        documentsFile == null
            ? List.of()
            : read(documentsFile, "documents", ContinuityInputs::readDocuments);
    // the search ingest makes (the library's): the same files analysed as ingested, the same
    // debris, seal files and links left out for the same reasons
    // a subfolder that cannot be listed is refused naming it, as ingest refuses it
    FolderSearch search = FolderSearch.of(files, List.of());
    List<Path> given = search.files();
    if (given.isEmpty()) {
      // an empty card analysed said "no findings" with exit 0, as if a recording had been checked
      throw new EvidenceCommand.UsageException(
          "nothing to analyze: no "
              + (search.skipped().isEmpty() ? "file" : "recording")
              + " found in "
              + files.stream()
                  .map(p -> Cli.printable(p.toString()))
                  .collect(Collectors.joining(", "))
              + Cli.skippedInOneLine(search.skipped()));
    }
    for (SkippedInput sk : search.skipped()) {
      spec.commandLine()
          .getErr()
          .println("skipped " + Cli.printable(sk.path().toString()) + ": " + sk.reason());
    }
    // A file is named by its file name; one whose name another file of the search shares (a card's
    // 100MEDIA/ and 101MEDIA/, a clip dragged to .Trashes) by its path as found: the whole card
    // was refused as "given twice" although the user gave each folder once
    Map<String, Integer> sameName = new HashMap<>();
    for (Path f : given) {
      sameName.merge(f.getFileName().toString(), 1, Integer::sum);
    }
    Map<Path, String> ids = new LinkedHashMap<>();
    Set<String> names = new HashSet<>();
    for (Path f : given) {
      String name = f.getFileName().toString();
      String id = sameName.get(name) > 1 ? f.toString() : name;
      if (!names.add(id)) {
        throw new EvidenceCommand.UsageException(id + " is given twice");
      }
      ids.put(f, id);
    }
    if (recordingsFile != null) {
      // the library refuses a marker for a recording not given (ContinuityInputs)
      markers = read(recordingsFile, "recordings", p -> ContinuityInputs.readRecordings(p, names));
    }
    List<RecordingSpan> spans = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    List<Path> unplaced = new ArrayList<>();
    Map<Path, ProbeRefusal> notMedia = new LinkedHashMap<>();
    boolean recordingLeftOut = false;
    MediaProbe probe = MediaProbe.create(ParseLimits.DEFAULTS, deep);
    TimelineMapping mapping = TimelineMapping.create(ProbeCommand.clock(zoneName, namePatterns));
    for (Path f : given) {
      String name = ids.get(f);
      if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
        // Art. 21(2): a listed recording that is not there is a finding; the rest is analysed
        unreadable.add(name);
        continue;
      }
      RecordingTimeline t;
      try {
        t = probe.probe(f);
      } catch (MediaFormatException e) {
        // the library's rule, as ingest's NOT_MEDIA: a note or a sidecar is no missing recording,
        // a recording in a format the probe reads that it refuses is one that could not be read
        ProbeRefusal refusal = ProbeRefusal.of(f, e);
        if (refusal.damagedRecording()) {
          spec.commandLine().getErr().println(Cli.printable(f.toString()) + ": " + e.getMessage());
          unreadable.add(name);
        } else {
          notMedia.put(f, refusal);
          recordingLeftOut |= refusal.recordingNotAnalysed();
        }
        continue;
      }
      Placement placed = mapping.place(f.getFileName().toString(), t);
      if (!placed.placed()) {
        unplaced.add(f);
        continue;
      }
      spans.add(span(mapping, name, placed));
    }
    ContinuityReport report;
    try {
      report = ContinuityAnalyzer.create(policy).analyze(spans, actions, documents, unreadable);
    } catch (IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
    List<ContinuityFinding> early = report.findings(ContinuityCode.INGEST_BEFORE_END);
    if (!early.isEmpty()) {
      // the ingest times are this command's input: one that contradicts the recording is bad input
      throw new EvidenceCommand.UsageException(early.get(0).message());
    }
    Map<Path, Path> inTrash = new LinkedHashMap<>();
    for (Path f : given) {
      // deleted on the card, and analysed as every recording is: ingest says it too
      search.trashFolder(f).ifPresent(t -> inTrash.put(f, t));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      // the report's members as they were, and one more: the card's lists, which a reader of the
      // JSON alone missed when they went only to standard error
      Map<String, Object> tree = new LinkedHashMap<>(report.toMap(language, zone));
      tree.put(
          "card",
          card(given.size(), spans.size(), unreadable, inTrash, notMedia, unplaced, search));
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree));
    } else {
      out.print(report.toText(language, zone));
      // the report's summary counts the analysis' findings; this one what the card held besides
      out.println(
          "card: "
              + given.size()
              + " file(s) found, "
              + spans.size()
              + " analysed, "
              + unreadable.size()
              + " could not be read; "
              + inTrash.size()
              + " found in a trash folder ("
              + IngestCodes.FOUND_IN_TRASH
              + ", warning), "
              + notMedia.size()
              + " not media ("
              + IngestCodes.NOT_MEDIA
              + "), "
              + unplaced.size()
              + " not placed ("
              + IngestCodes.NOT_PLACED
              + "); "
              + search.skipped().size()
              + " skipped");
    }
    PrintWriter rows = json ? spec.commandLine().getErr() : out;
    inTrash.forEach(
        (f, trash) ->
            rows.println(
                IngestCodes.FOUND_IN_TRASH
                    + " "
                    + Cli.printable(f.toString())
                    + ": found in the trash folder "
                    + Cli.printable(trash.toString())
                    + ": it was deleted on the card; analysed as every recording is"));
    notMedia.forEach(
        (f, refusal) ->
            rows.println(
                IngestCodes.NOT_MEDIA
                    + " "
                    + Cli.printable(f.toString())
                    + ": "
                    + Cli.printable(refusal.reason())
                    + "; left out of the analysis (ingest seals it as it is)"));
    for (Path f : unplaced) {
      // listed, never a failed run: neither the container nor the name says when it was made
      rows.println(
          IngestCodes.NOT_PLACED
              + " "
              + Cli.printable(ids.get(f))
              + ": no creation time and no time in the file name; left out of the analysis");
    }
    out.flush();
    // a video or sound recording left out (not placed, or in a format the probe does not read)
    // leaves the analysis incomplete; a note or a still does not
    return report.hasErrors() || !unplaced.isEmpty() || recordingLeftOut
        ? EvidenceCommand.FINDINGS
        : EvidenceCommand.OK;
  }

  /** The card's lists for the JSON report, each file by its path as found. */
  private static Map<String, Object> card(
      int files,
      int analysed,
      List<String> unreadable,
      Map<Path, Path> inTrash,
      Map<Path, ProbeRefusal> notMedia,
      List<Path> unplaced,
      FolderSearch search) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", files);
    m.put("analysed", analysed);
    m.put("unreadable", unreadable);
    List<Object> trash = new ArrayList<>();
    inTrash.forEach((f, t) -> trash.add(entry("file", f.toString(), "trashFolder", t.toString())));
    m.put("foundInTrash", trash);
    List<Object> other = new ArrayList<>();
    notMedia.forEach((f, r) -> other.add(entry("file", f.toString(), "reason", r.reason())));
    m.put("notMedia", other);
    m.put("notPlaced", unplaced.stream().map(Path::toString).toList());
    m.put(
        "skipped",
        search.skipped().stream()
            .map(sk -> entry("path", sk.path().toString(), "reason", sk.reason()))
            .toList());
    return m;
  }

  /** Two members in this order, as every member of the report is written. */
  private static Map<String, Object> entry(String k1, String v1, String k2, String v2) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  /** The analyzer's view of a placed file: the shared mapping, plus this command's facts. */
  RecordingSpan span(TimelineMapping mapping, String name, Placement placed) {
    String deviceId =
        device != null ? device : placed.name().flatMap(r -> r.deviceId()).orElse("unknown-device");
    DeviceFacts facts = deviceFacts.get(deviceId);
    String who =
        facts == null
            ? officer != null ? officer : placed.name().flatMap(r -> r.officerId()).orElse(null)
            : facts.officer().orElse(null);
    Duration offset =
        facts != null
            ? facts.clockOffset().orElse(null)
            : clockOffsetMs == null ? null : clockOffset(clockOffsetMs);
    Instant in = facts == null ? ingested : facts.ingested().orElse(null);
    RecordingSpan.Builder b = mapping.span(name, placed, deviceId, who, offset, in).toBuilder();
    RecordingMarkers mark = markers.get(name);
    if (mark != null) {
      mark.partyInformed().ifPresent(b::partyInformedAt);
      mark.partyInformedBy().ifPresent(b::partyInformedBy);
      b.locked(mark.locked());
    }
    return b.build();
  }

  private static Duration clockOffset(long millis) {
    try {
      return DeviceFacts.clockOffsetMillis(millis);
    } catch (IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException("--clock-offset-ms: " + e.getMessage());
    }
  }

  /** The actions file, read strictly (shared with {@code report} and {@code record-sheet}). */
  static List<EnforcementAction> readActions(Path p) {
    return read(p, "actions", ContinuityInputs::readActions);
  }

  /** How the library reads one of the input files. */
  @FunctionalInterface
  private interface InputReader<T> {
    T read(Path p) throws IOException;
  }

  /**
   * One of the input files, read by the library (ContinuityInputs: the rules of the formats, and a
   * file that is not a regular one refused after it is opened); any error is one line.
   */
  private static <T> T read(Path p, String what, InputReader<T> reader) {
    // first for the command line's own wording of a missing, unreadable or special file
    Cli.readableFile(p, what);
    try {
      return reader.read(p);
    } catch (ContinuityFormatException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    } catch (IOException e) {
      throw new EvidenceCommand.UsageException(
          "cannot read " + what + " " + p + ": " + e.getMessage());
    }
  }
}
