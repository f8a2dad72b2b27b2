package org.evidencekit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.evidencekit.video.MediaFinding;
import org.evidencekit.video.MediaFormatException;
import org.evidencekit.video.MediaProbe;
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
      "Read a recording's container index (MP4/MOV) without touching its media: tracks, sample"
          + " timelines, creation times, and findings such as gaps, edit lists, truncation and"
          + " spliced footage (R-02, R-13).",
      "Exit code 0 when every file was read, 2 when one could not be (the others are still shown)."
    },
    footer = {
      "",
      "Examples:",
      "  evidence probe DEVCAM7_20230601_143000_001.mp4",
      "  evidence probe *.mp4 --json",
      "  evidence probe suspicious.mp4 --deep   (also reads each keyframe's head for splices)"
    })
final class ProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recordings to probe.")
  List<Path> files;

  @Option(names = "--json", description = "Print one JSON object: {\"files\": [...]}.")
  boolean json;

  @Option(
      names = "--deep",
      description = "Read the first 2 KiB of every keyframe to find a second encoder banner.")
  boolean deep;

  @Override
  public Integer call() throws Exception {
    MediaProbe probe = MediaProbe.create(ParseLimits.DEFAULTS, deep);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Object> results = new ArrayList<>();
    boolean failed = false;
    for (Path f : files) {
      try {
        Cli.readableFile(f, "file");
        RecordingTimeline t = probe.probe(f);
        if (json) {
          results.add(toJson(f, t));
        } else {
          print(out, f, t);
        }
      } catch (MediaFormatException | EvidenceCommand.UsageException e) {
        failed = true;
        err.println("evidence: " + f + ": " + EvidenceCommand.oneLine(e.getMessage()));
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
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("code", f2.code());
      fm.put("message", f2.message());
      fm.put("time", f2.timeSeconds().isPresent() ? f2.timeSeconds().getAsDouble() : null);
      f2.trackId().ifPresent(id -> fm.put("track", id));
      f2.sample().ifPresent(s -> fm.put("sample", s));
      f2.byteOffset().ifPresent(o -> fm.put("byteOffset", o));
      findings.add(fm);
    }
    m.put("findings", findings);
    return m;
  }

  static void print(PrintWriter out, Path f, RecordingTimeline t) {
    out.printf(
        Locale.ROOT,
        "%s: %s, %.3f s, created %s%s%n",
        f,
        t.container(),
        t.durationSeconds(),
        t.creationTime().map(Object::toString).orElse("(not recorded)"),
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
                    "  recovered from the media data: %d frames, %d keyframes%n",
                    n, t.recoveredKeyframes().orElse(0)));
    for (MediaFinding m : t.findings()) {
      out.printf("  %-24s %s%n", m.code(), m.message());
    }
  }
}
