package org.evidencekit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
import java.util.Optional;
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
      "Exit 0 with no error finding, 1 with one, 2 for bad input."
    },
    footer = {
      "",
      "Time comes from the container's creation time, else from the file name (the naming",
      "conventions of real devices, docs/video.md, local time in --zone; add your own with",
      "--name-pattern); device and sequence from the name when it carries them. Folders are",
      "searched recursively. A file that is missing or unreadable is an Art. 21(2) finding, one",
      "that cannot be placed in time is listed; the others are analysed. Input formats:",
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
    List<String> unplaced = new ArrayList<>();
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
        spec.commandLine().getErr().println(Cli.printable(f.toString()) + ": " + e.getMessage());
        unreadable.add(name);
        continue;
      }
      Placement placed = mapping.place(f.getFileName().toString(), t);
      if (!placed.placed()) {
        unplaced.add(name);
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
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new String(report.toJson(language, zone), StandardCharsets.UTF_8));
    } else {
      out.print(report.toText(language, zone));
    }
    for (Path f : given) {
      // deleted on the card, and analysed as every recording is: ingest says it too
      Optional<Path> trash = search.trashFolder(f);
      if (trash.isPresent()) {
        (json ? spec.commandLine().getErr() : out)
            .println(
                IngestCodes.FOUND_IN_TRASH
                    + " "
                    + Cli.printable(f.toString())
                    + ": found in the trash folder "
                    + Cli.printable(trash.get().toString())
                    + ": it was deleted on the card; analysed as every recording is");
      }
    }
    for (String n : unplaced) {
      // listed, never a failed run: neither the container nor the name says when it was made
      (json ? spec.commandLine().getErr() : out)
          .println(
              "NOT_PLACED "
                  + Cli.printable(n)
                  + ": no creation time and no time in the file name; left out of the analysis");
    }
    out.flush();
    return report.hasErrors() || !unplaced.isEmpty()
        ? EvidenceCommand.FINDINGS
        : EvidenceCommand.OK;
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
