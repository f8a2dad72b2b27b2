package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.evidencekit.report.CatalogQuery;
import org.evidencekit.report.Presentation;
import org.evidencekit.report.RecordSheet;
import org.evidencekit.report.ReportFinding;
import org.evidencekit.report.Selection;
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
      "Every value comes from the signed seals and the store, not from what someone typed.",
      "Times are in one zone (--zone, default Asia/Shanghai): ISO-8601 with its offset in CSV and"
          + " JSON, local time on the printed sheet, which states the zone.",
      "Exit 0 without error findings, 1 with them (a destruction register the ledger does not"
          + " bear out, a recording gone; each named on stderr) or when nothing names the case,"
          + " 2 for bad input."
    },
    footer = {
      "",
      "Examples:",
      "  evidence record-sheet --store /srv/evidence --case ZZ-2023-0042",
      "  evidence record-sheet --store /srv/evidence --case ZZ-2023-0042 --format html \\",
      "      --actions actions.json -o ZZ-2023-0042-recordings.html"
    })
final class RecordSheetCommand implements Callable<Integer> {
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

  @Mixin PresentationOptions shown = new PresentationOptions();

  @Override
  public Integer call() throws Exception {
    if (caseId.isBlank()) {
      throw new EvidenceCommand.UsageException("--case is empty");
    }
    Presentation look = shown.presentation();
    if (output != null && !force && Files.exists(output)) {
      throw new EvidenceCommand.UsageException(
          output + " already exists (use --force to replace it)");
    }
    // the indexes are read so a truncated recording's length is what it holds, as ingest says
    CatalogQuery.Builder q = CatalogQuery.builder().caseId(caseId).readTimelines();
    if (actions != null) {
      q.actions(AnalyzeCommand.readActions(actions));
    }
    Selection s = store.select(q.build(), spec.commandLine().getErr());
    byte[] bytes =
        switch (format) {
          case csv -> RecordSheet.csv(s, look);
          case json -> RecordSheet.json(s, look);
          case html -> RecordSheet.html(s, look);
        };
    List<ReportFinding> findings = RecordSheet.findings(s);
    if (output != null) {
      Cli.writeAtomically(output, bytes, force);
      PrintWriter out = spec.commandLine().getOut();
      out.println(ReportCommand.wrote(output, s, findings));
      out.flush();
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(new String(bytes, StandardCharsets.UTF_8));
      out.flush();
    }
    // a case whose recordings were all destroyed under a plan still has its sheet
    if (s.recordings().isEmpty() && s.destroyed().isEmpty()) {
      spec.commandLine()
          .getErr()
          .println("evidence: no sealed recording names case " + Cli.printable(caseId));
      spec.commandLine().getErr().flush();
      return EvidenceCommand.FINDINGS;
    }
    // the rule of 'report': an error finding the sheet answers for (a destruction register the
    // ledger does not bear out, R-16, R-18; a recording gone from the store) fails it, named
    boolean failed = false;
    for (ReportFinding f : findings) {
      if (f.severity() == ReportFinding.Severity.ERROR) {
        failed = true;
        spec.commandLine()
            .getErr()
            .println(
                "evidence: " + f.code() + " (" + f.article() + "): " + Cli.printable(f.message()));
      }
    }
    spec.commandLine().getErr().flush();
    if (failed) {
      return EvidenceCommand.FINDINGS;
    }
    return EvidenceCommand.OK;
  }
}
