package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.evidencekit.report.CatalogQuery;
import org.evidencekit.report.Presentation;
import org.evidencekit.report.ReportFinding;
import org.evidencekit.report.Selection;
import org.evidencekit.report.SupervisorReport;
import org.evidencekit.report.Tally;
import org.evidencekit.verify.Verifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evidence report}: the supervisor's self-contained HTML report (Art. 20, R-17 to R-20). */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write one self-contained HTML file a supervisor can open anywhere (no scripts, fonts or"
          + " network): per device and officer a timeline of recordings against enforcement"
          + " actions with gaps and unrecorded time highlighted, the findings with their articles,"
          + " each recording's verification (re-verified now) and retention, and the ledger state"
          + " it was made from.",
      "Every time on it is in one zone (--zone, default Asia/Shanghai), stated at its top.",
      "Exit 0 without error findings, 1 with them, 2 for bad input."
    },
    footer = {
      "",
      "Examples:",
      "  evidence report --store /srv/evidence --case ZZ-2023-0042 --actions actions.json \\",
      "      -o ZZ-2023-0042.html",
      "  evidence report --store /srv/evidence --device DEVCAM7 --from 2023-06-01T00:00:00Z \\",
      "      --to 2023-06-02T00:00:00Z -o devcam7-june-1.html",
      "  evidence report --store /srv/evidence --case ZZ-2023-0042 --lang zh -o ZZ-2023-0042.zh.html"
    })
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin StoreArgument store = new StoreArgument();

  @Mixin CatalogOptions select = new CatalogOptions();

  @Option(
      names = "--actions",
      paramLabel = "ACTIONS.json",
      description = "Enforcement actions to check coverage of (as for 'evidence analyze').")
  Path actions;

  @Mixin TrustOptions anchors = new TrustOptions();

  @Mixin PresentationOptions shown = new PresentationOptions();

  @Option(
      names = "--no-verify",
      description = "Do not re-read and re-verify the recordings (faster; status 'not verified').")
  boolean noVerify;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "FILE",
      description = "The HTML file to write (created atomically).")
  Path output;

  @Option(names = "--force", description = "Replace an existing output file.")
  boolean force;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print nothing; the exit code tells.")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    CatalogQuery.Builder q = select.query().readTimelines();
    Presentation look = shown.presentation();
    if (actions != null) {
      q.actions(AnalyzeCommand.readActions(actions));
    }
    if (!force && Files.exists(output)) {
      throw new EvidenceCommand.UsageException(
          output + " already exists (use --force to replace it)");
    }
    if (anchors.given()) {
      q.signatures(anchors.verifier(Verifier.builder()));
    }
    if (!noVerify) {
      q.reverify();
    }
    Selection s = store.select(q.build(), spec.commandLine().getErr());
    Cli.writeAtomically(output, SupervisorReport.html(s, look), force);
    Tally t = s.tally();
    if (!quiet) {
      PrintWriter out = spec.commandLine().getOut();
      out.println(wrote(output, s, s.findings()));
      out.flush();
    }
    // recordings destroyed under a plan are accounted for in the report
    if (t.recordings() == 0 && s.destroyed().isEmpty()) {
      // a mistyped case or device id must not pass for a quiet, clean report
      spec.commandLine()
          .getErr()
          .println("evidence: no sealed recording matches the selection; the report is empty");
      spec.commandLine().getErr().flush();
      return EvidenceCommand.FINDINGS;
    }
    return s.hasErrors() ? EvidenceCommand.FINDINGS : EvidenceCommand.OK;
  }

  /**
   * What {@code report -o} and {@code record-sheet -o} say of the file they wrote: the selection's
   * recordings, the {@code findings} the document answers for, damage and disposals.
   */
  static String wrote(Path output, Selection s, List<ReportFinding> findings) {
    Tally t = s.tally();
    long errors =
        findings.stream().filter(f -> f.severity() == ReportFinding.Severity.ERROR).count();
    return String.format(
        Locale.ROOT,
        "wrote %s: %d recording(s), %d finding(s) (%d error(s))%s%s",
        output,
        t.recordings(),
        findings.size(),
        errors,
        t.damaged() > 0 ? ", " + t.damaged() + " damaged or missing" : "",
        s.destroyed().isEmpty()
            ? ""
            : ", " + s.destroyed().size() + " destroyed under an approved plan");
  }
}
