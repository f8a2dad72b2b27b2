package org.evidencekit.report;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One finding a document shows: a damaged or missing recording, a seal nobody trusts, an object the
 * archive should not hold, a destruction register the ledger does not bear out, or a continuity
 * finding. Every count a document prints is a count of these.
 *
 * @param severity how serious
 * @param code the finding code (docs/finding-codes.md)
 * @param article the article and requirement it concerns
 * @param message what was found (instants in UTC ISO-8601; documents show them in their zone)
 * @param recordings the recordings or objects concerned
 */
public record ReportFinding(
    Severity severity, String code, String article, String message, List<String> recordings) {
  /** How serious a finding is; ERROR findings make a report fail (exit 1 on the command line). */
  public enum Severity {
    ERROR,
    WARNING,
    INFO
  }

  public ReportFinding {
    requireNonNull(severity, "severity");
    requireNonNull(code, "code");
    requireNonNull(article, "article");
    requireNonNull(message, "message");
    recordings = List.copyOf(recordings);
  }
}
