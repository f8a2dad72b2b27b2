package org.evidencekit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.evidencekit.video.FileNameClock;
import org.evidencekit.video.FileNameReading;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
import org.evidencekit.video.NameTimeCheck;
import org.evidencekit.video.ParseLimits;
import org.evidencekit.video.RecordingTimeline;
import org.evidencekit.video.TrackTimeline;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description = {
      "Read a recording's container index (MP4/MOV, WAV/RF64, AMR, MP3) without touching its"
          + " media: tracks, sample timelines, creation times, what its file name says, and"
          + " findings such as gaps, edit lists, truncation, power loss and spliced footage"
          + " (R-02, R-08, R-13).",
      "Exit code 0 when every file was read, 2 when one could not be (the others are still shown)."
    },
    footer = {
      "",
      "Examples:",
      "  evidence probe DEVCAM7_20230601_143000_001.mp4",
      "  evidence probe *.mp4 --json",
      "  evidence probe suspicious.mp4 --deep   (reads 16 KiB of each keyframe instead of 2 KiB)",
      "  evidence probe REC230601-140000-17.mp4 --name-pattern 'DSJ-X1=REC{yyMMdd}-{HHmmss}-{seq}'"
    })
final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings to probe.")
  List<Path> files;

  @Option(names = "--json", description = "Print one JSON object: {\"files\": [...]}.")
  boolean json;

  @Option(
      names = "--deep",
      description =
          "Read 16 KiB of every keyframe's head (instead of 2 KiB) for parameter sets and encoder"
              + " identification.")
  boolean deep;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      description =
          "Zone of the cameras' clocks, in which times in file names are read (default"
              + " Asia/Shanghai).")
  String zone;

  @Option(
      names = "--name-pattern",
      paramLabel = "MODEL=PATTERN",
      description =
          "File-name pattern of a device model, tried before the standard table (repeatable),"
              + " e.g. 'DSJ-X1={device}_{officer}_{yyyyMMddHHmmss}_{seq}'. Fields: device,"
              + " officer, seq, chapter, event, *, and yyyy yy MM dd HH mm ss SSS.")
  List<String> namePatterns = new ArrayList<>();

  /** The file-name clock the options describe; a bad zone or pattern is a usage error. */
  static FileNameClock clock(String zone, List<String> patterns) {
    FileNameClock clock;
    try {
      clock = zone == null ? FileNameClock.standard() : FileNameClock.standard(ZoneId.of(zone));
    } catch (DateTimeException e) {
      throw new EvidenceCommand.UsageException("--zone " + zone + ": " + e.getMessage());
    }
    for (String p : patterns) {
      int eq = p.indexOf('=');
      if (eq <= 0 || eq == p.length() - 1) {
        throw new EvidenceCommand.UsageException(
            "--name-pattern " + p + ": expected MODEL=PATTERN");
      }
      try {
        clock = clock.withPattern(p.substring(0, eq), p.substring(eq + 1));
      } catch (IllegalArgumentException e) {
        throw new EvidenceCommand.UsageException("--name-pattern: " + e.getMessage());
      }
    }
    return clock;
  }

  @Override
  public Integer call() throws Exception {
    FileNameClock clock = clock(zone, namePatterns);
    MediaProbe probe = MediaProbe.create(ParseLimits.DEFAULTS, deep);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Object> results = new ArrayList<>();
    boolean failed = false;
    for (Path f : files) {
      try {
        Cli.readableFile(f, "file");
        RecordingTimeline t = probe.probe(f);
        Optional<FileNameReading> name = clock.read(f.getFileName().toString());
        List<MediaFinding> clocks =
            name.map(n -> NameTimeCheck.compare(t, n, NameTimeCheck.DEFAULT_TOLERANCE))
                .orElse(List.of());
        if (json) {
          Map<String, Object> m = toJson(f, t);
          m.put("name", name.map(ProbeCommand::nameJson).orElse(null));
          @SuppressWarnings("unchecked")
          List<Object> findings = (List<Object>) m.get("findings");
          clocks.forEach(c -> findings.add(findingJson(c)));
          results.add(m);
        } else {
          print(out, f, t);
          out.println(
              "  name: "
                  + name.map(FileNameReading::toString).orElse("no known naming convention"));
          for (MediaFinding c : clocks) {
            out.printf("  %-24s %s%n", c.code(), c.message());
          }
        }
      } catch (MediaFormatException | EvidenceCommand.UsageException e) {
        failed = true;
        // a usage error names the file already
        String which = e instanceof EvidenceCommand.UsageException ? "" : f + ": ";
        err.println("evidence: " + which + EvidenceCommand.oneLine(e.getMessage()));
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("file", f.toString());
          m.put("error", e.getMessage());
          results.add(m);
        }
      } catch (IOException e) {
        failed = true;
        err.println("evidence: " + f + ": cannot read: " + EvidenceCommand.oneLine(e.getMessage()));
      }
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("files", results);
      Cli.printJson(out, m);
    }
    return failed ? EvidenceCommand.USAGE : EvidenceCommand.OK;
  }

  static Map<String, Object> toJson(Path f, RecordingTimeline t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("file", f.toString());
    m.put("container", t.container().name());
    m.put("creationTime", t.creationTime().map(Object::toString).orElse(null));
    m.put("durationSeconds", t.durationSeconds());
    m.put("truncated", t.truncated());
    m.put("durationEstimated", t.durationEstimated());
    t.localCreationTime().ifPresent(l -> m.put("localCreationTime", l.toString()));
    t.encoder().ifPresent(e -> m.put("encoder", e));
    t.location().ifPresent(l -> m.put("location", l));
    t.recoveredFrames().ifPresent(n -> m.put("recoveredFrames", n));
    t.recoveredKeyframes().ifPresent(n -> m.put("recoveredKeyframes", n));
    List<Object> tracks = new ArrayList<>();
    for (TrackTimeline tr : t.tracks()) {
      Map<String, Object> tm = new LinkedHashMap<>();
      tm.put("id", tr.trackId());
      tm.put("handler", tr.handler());
      tm.put("codec", tr.codec());
      tm.put("timescale", tr.timescale());
      tm.put("samples", tr.sampleCount());
      tm.put("syncSamples", tr.syncSampleCount());
      tm.put("durationSeconds", tr.durationSeconds());
      tm.put("completeSamples", tr.completeSamples());
      tr.nominalSampleDuration().ifPresent(n -> tm.put("nominalSampleDuration", n));
      tr.codecConfigDigest().ifPresent(d -> tm.put("codecConfigSha256", d));
      List<Object> gaps = new ArrayList<>();
      tr.gaps()
          .forEach(
              g -> {
                Map<String, Object> gm = new LinkedHashMap<>();
                gm.put("afterSample", g.afterSample());
                gm.put("from", g.fromSeconds());
                gm.put("to", g.toSeconds());
                gaps.add(gm);
              });
      tm.put("gaps", gaps);
      tracks.add(tm);
    }
    m.put("tracks", tracks);
    List<Object> findings = new ArrayList<>();
    for (MediaFinding f2 : t.findings()) {
      findings.add(findingJson(f2));
    }
    m.put("findings", findings);
    return m;
  }

  static Map<String, Object> findingJson(MediaFinding f) {
    Map<String, Object> fm = new LinkedHashMap<>();
    fm.put("code", f.code());
    fm.put("message", f.message());
    fm.put("benign", f.benign());
    fm.put("time", f.timeSeconds().isPresent() ? f.timeSeconds().getAsDouble() : null);
    f.endSeconds().ifPresent(e -> fm.put("end", e)); // a stretch with both ends
    f.trackId().ifPresent(id -> fm.put("track", id));
    f.sample().ifPresent(s -> fm.put("sample", s));
    f.byteOffset().ifPresent(o -> fm.put("byteOffset", o));
    return fm;
  }

  static Map<String, Object> nameJson(FileNameReading n) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("convention", n.convention());
    m.put("localTime", n.localTime().map(Object::toString).orElse(null));
    m.put("time", n.time().map(Object::toString).orElse(null));
    m.put("sequence", n.sequence().isPresent() ? n.sequence().getAsLong() : null);
    n.chapter().ifPresent(c -> m.put("chapter", c));
    n.deviceId().ifPresent(d -> m.put("device", d));
    n.officerId().ifPresent(o -> m.put("officer", o));
    m.put("event", n.event());
    return m;
  }

  static void print(PrintWriter out, Path f, RecordingTimeline t) {
    out.printf(
        Locale.ROOT,
        "%s: %s%s, %s%.3f s, created %s%s%n",
        f,
        t.container(),
        t.truncated() ? " (truncated)" : "",
        t.durationEstimated() ? "about " : "",
        t.durationSeconds(),
        t.creationTime()
            .map(Object::toString)
            .or(() -> t.localCreationTime().map(l -> l + " local"))
            .orElse("(not recorded)"),
        t.encoder().map(e -> ", encoder " + e.substring(0, Math.min(e.length(), 32))).orElse(""));
    for (TrackTimeline tr : t.tracks()) {
      out.printf(
          Locale.ROOT,
          "  track %d %s/%s: %d samples (%d sync), %.3f s at timescale %d%s%n",
          tr.trackId(),
          tr.handler(),
          tr.codec(),
          tr.sampleCount(),
          tr.syncSampleCount(),
          tr.durationSeconds(),
          tr.timescale(),
          tr.completeSamples() < tr.sampleCount()
              ? ", only " + tr.completeSamples() + " in the file"
              : "");
    }
    t.recoveredFrames()
        .ifPresent(
            n ->
                out.printf(
                    "  left in the file: %d frames, %d keyframes%n",
                    n, t.recoveredKeyframes().orElse(0)));
    for (MediaFinding m : t.findings()) {
      out.printf("  %-24s %s%n", m.code(), m.message());
    }
  }
}
