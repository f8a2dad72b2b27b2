package org.evidencekit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.evidencekit.continuity.ContinuityFinding;
import org.evidencekit.continuity.ContinuityReport;
import org.evidencekit.ingest.IngestCodes;
import org.evidencekit.ingest.IngestFinding;
import org.evidencekit.ingest.IngestListener;
import org.evidencekit.ingest.IngestResult;
import org.evidencekit.ingest.IngestStatus;
import org.evidencekit.ingest.IngestedRecording;
import org.evidencekit.ingest.RecordingSource;
import org.evidencekit.ingest.RetentionOutcome;
import org.evidencekit.ingest.SkippedInput;

/** What {@code evidence ingest} prints: the table, the JSON form (docs/cli.md), progress. */
final class IngestOutput {
  private IngestOutput() {}

  static Map<String, Object> json(IngestResult result, String store) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("store", Stores.location(store));
    result.ingestTime().ifPresent(t -> m.put("ingestTime", t.toString()));
    result.clockOffset().ifPresent(o -> m.put("clockOffsetMillis", o.toMillis()));
    List<Object> list = new ArrayList<>();
    for (IngestedRecording r : result.recordings()) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("file", r.source().toString());
      o.put("status", r.status().name());
      o.put("key", r.key().orElse(null));
      o.put("size", r.size());
      o.put("seconds", r.placement().map(p -> p.durationSeconds()).orElse(0.0));
      r.placement()
          .ifPresent(
              p -> {
                p.start().ifPresent(t -> o.put("recordingStart", t.toString()));
                p.end().ifPresent(t -> o.put("recordingEnd", t.toString()));
                o.put("timeSource", p.source().name());
              });
      // the start on the station's clock, as the table and the record sheet show it
      r.correctedStart().ifPresent(t -> o.put("correctedStart", t.toString()));
      r.seal().ifPresent(s -> o.put("sealDigest", s.digest().hex()));
      r.ledgerIndex().ifPresent(i -> o.put("ledgerIndex", i));
      o.put(
          "retainUntil",
          r.retention()
              .flatMap(x -> x.decision().retainUntil())
              .map(Object::toString)
              .orElse(null));
      o.put("retentionBasis", r.retention().map(x -> x.basis().toString()).orElse(null));
      o.put("held", r.retention().map(x -> x.held()).orElse(false));
      o.put("permanent", r.retention().map(x -> x.permanent()).orElse(false));
      o.put("enforcement", r.retention().map(x -> x.enforcement().name()).orElse(""));
      List<String> findings = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      List<Object> coded = new ArrayList<>();
      for (IngestFinding f : r.findings()) {
        (f.severity() == IngestFinding.Severity.NOTICE ? notes : findings)
            .add(f.code() + " " + f.message());
        coded.add(
            Map.of("code", f.code(), "severity", f.severity().name(), "message", f.message()));
      }
      o.put("findings", findings);
      o.put("notes", notes);
      o.put("codedFindings", coded);
      list.add(o);
    }
    m.put("recordings", list);
    List<Object> skipped = new ArrayList<>();
    for (SkippedInput s : result.skipped()) {
      skipped.add(Map.of("path", s.path().toString(), "reason", s.reason()));
    }
    m.put("skipped", skipped);
    if (result.continuity().isPresent()) {
      m.put(
          "continuity",
          new ObjectMapper().readValue(result.continuity().get().toJson(), Object.class));
    }
    return m;
  }

  /** A progress bar per large file on stderr. */
  static final class Progress implements IngestListener {
    private final PrintWriter err;
    private ProgressBar bar;

    Progress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void started(RecordingSource source, int index, int count, long size) {
      bar = ProgressBar.maybe(err, "ingesting " + Cli.printable(source.name()), size, false);
    }

    @Override
    public void progress(RecordingSource source, long done, long size) {
      if (bar != null) {
        bar.accept(done);
      }
    }

    @Override
    public void finished(IngestedRecording recording) {
      if (bar != null) {
        bar.finish();
        bar = null;
      }
    }
  }

  static String retentionText(RetentionOutcome r, ZoneId zone) {
    if (r.permanent()) {
      return "permanent";
    }
    if (r.held()) {
      return "held (open case)";
    }
    return r.decision().retainUntil().map(t -> RetentionCommand.local(t, zone)).orElse("");
  }

  static void table(
      PrintWriter out,
      IngestResult result,
      String store,
      String device,
      String officer,
      ZoneId zone) {
    out.printf(
        Locale.ROOT,
        "ingested into %s for device %s, officer %s%s%n",
        Stores.location(store),
        device,
        officer,
        result
            .clockOffset()
            .map(o -> String.format(Locale.ROOT, ", device clock %+d ms", o.toMillis()))
            .orElse(""));
    // as wide as the longest key, so the columns after it line up whatever the camera's names
    int keyWidth = "KEY".length();
    for (IngestedRecording r : result.recordings()) {
      keyWidth = Math.max(keyWidth, Cli.printable(r.key().orElse(r.source().toString())).length());
    }
    out.printf(
        Locale.ROOT,
        "%-10s %-" + keyWidth + "s %9s %8s %-20s %-18s %s%n",
        "STATUS",
        "KEY",
        "SIZE",
        "LENGTH",
        "RECORDED (UTC)",
        "RETAIN UNTIL",
        "ENFORCED BY");
    for (IngestedRecording r : result.recordings()) {
      out.printf(
          Locale.ROOT,
          "%-10s %-" + keyWidth + "s %9s %7.1fs %-20s %-18s %s%n",
          r.status(),
          Cli.printable(r.key().orElse(r.source().toString())),
          r.size() < 0 ? "-" : Cli.humanBytes(r.size()),
          r.placement().map(p -> p.durationSeconds()).orElse(0.0),
          // the trusted clock's time to the second, as the record sheet shows it, not the
          // camera's
          r.correctedStart()
              .map(
                  t ->
                      t.truncatedTo(ChronoUnit.SECONDS)
                          .toString()
                          .replace("T", " ")
                          .replace("Z", ""))
              .orElse("-"),
          r.retention().map(x -> retentionText(x, zone)).orElse(""),
          r.retention().map(x -> x.enforcement().name()).orElse(""));
      if (r.key().isPresent()
          && (r.status() == IngestStatus.CONFLICT || r.status() == IngestStatus.FAILED)) {
        // the key alone did not say which file of the card this was: two files of one name in
        // two folders share a key, and the row of the one left out named only the key
        out.println("           ! from " + Cli.printable(r.source().toString()) + ": not stored");
      } else if (r.findings().stream().anyMatch(f -> f.code().equals(IngestCodes.NAME_TAKEN))) {
        // its key is not its name: say which file of the card it is
        out.println(
            "           ! from "
                + Cli.printable(r.source().toString())
                + ": its own key holds another recording; stored under the key derived from its"
                + " content");
      }
      for (IngestFinding f : r.findings()) {
        out.println(
            (f.severity() == IngestFinding.Severity.NOTICE ? "             " : "           ! ")
                + f.code()
                + " "
                + Cli.printable(f.message()));
      }
    }
    for (SkippedInput sk : result.skipped()) {
      out.println("skipped " + Cli.printable(sk.path().toString()) + ": " + sk.reason());
    }
    ContinuityReport continuity = result.continuity().orElse(null);
    if (continuity != null && !continuity.findings().isEmpty()) {
      out.println("findings across the files:");
      for (ContinuityFinding f : continuity.findings()) {
        out.printf(
            Locale.ROOT,
            "  %-7s %-16s %-10s %s%n",
            f.severity(),
            f.code(),
            f.article(),
            Cli.printable(f.message()));
      }
    }
    Map<IngestStatus, Long> n = new LinkedHashMap<>();
    for (IngestStatus st : IngestStatus.values()) {
      n.put(st, result.count(st));
    }
    out.printf(
        Locale.ROOT,
        "%d ingested, %d resumed, %d already there, %d conflicting, %d incomplete, %d failed,"
            + " %d skipped%n",
        n.get(IngestStatus.INGESTED),
        n.get(IngestStatus.RESUMED),
        n.get(IngestStatus.ALREADY),
        n.get(IngestStatus.CONFLICT),
        n.get(IngestStatus.INCOMPLETE),
        n.get(IngestStatus.FAILED),
        result.skipped().size());
    out.flush();
  }
}
