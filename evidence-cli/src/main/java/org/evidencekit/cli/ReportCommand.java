package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.evidencekit.continuity.EnforcementAction;
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
      "Exit 0 without error findings, 1 with them, 2 for bad input."
    },
    footer = {
      "",
      "Examples:",
      "  evidence report --store /srv/evidence --case ZZ-2023-0042 --actions actions.json \\",
      "      -o ZZ-2023-0042.html",
      "  evidence report --store /srv/evidence --device DEVCAM7 --from 2023-06-01T00:00:00Z \\",
      "      --to 2023-06-02T00:00:00Z -o devcam7-june-1.html"
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
    StoreCatalog.Filter filter = select.filter();
    List<EnforcementAction> acts =
        actions == null ? List.of() : AnalyzeCommand.readActions(actions);
    if (!force && java.nio.file.Files.exists(output)) {
      throw new EvidenceCommand.UsageException(
          output + " already exists (use --force to replace it)");
    }
    org.evidencekit.verify.Verifier signatures =
        anchors.given() ? anchors.verifier(org.evidencekit.verify.Verifier.builder()) : null;
    StoreCatalog c = store.catalog(filter, acts, true, !noVerify);
    if (signatures != null) {
      c.checkSignatures(signatures);
    }
    Cli.writeAtomically(output, HtmlReport.render(c), force);
    boolean errors =
        c.continuity.hasErrors()
            || c.entries.stream().anyMatch(e -> e.tampered() || e.signatureProblem);
    if (!quiet) {
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "wrote %s: %d recording(s), %d finding(s)%s%n",
          output,
          c.entries.size(),
          c.continuity.findings().size(),
          c.entries.stream().anyMatch(StoreCatalog.Entry::tampered) ? ", damaged recordings" : "");
      out.flush();
    }
    return errors ? EvidenceCommand.FINDINGS : EvidenceCommand.OK;
  }
}
