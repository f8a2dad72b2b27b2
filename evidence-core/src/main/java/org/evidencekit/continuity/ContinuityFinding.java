package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One finding of the analysis: a stable code, a severity, the article it concerns, a sentence with
 * the numbers, the stretch of (trusted) time and the files involved.
 */
public final class ContinuityFinding {
  /** How serious a finding is; error findings make the CLI exit 1. */
  public enum Severity {
    INFO,
    WARNING,
    ERROR
  }

  private final String code;
  private final Severity severity;
  private final String article;
  private final String message;
  private final Interval when;
  private final List<String> files;

  ContinuityFinding(
      String code,
      Severity severity,
      String article,
      String message,
      Interval when,
      List<String> files) {
    this.code = requireNonNull(code);
    this.severity = requireNonNull(severity);
    this.article = requireNonNull(article);
    this.message = requireNonNull(message);
    this.when = when;
    this.files = List.copyOf(files);
  }

  public String code() {
    return code;
  }

  public Severity severity() {
    return severity;
  }

  /** e.g. {@code Art. 16}. */
  public String article() {
    return article;
  }

  public String message() {
    return message;
  }

  public Optional<Interval> when() {
    return Optional.ofNullable(when);
  }

  public List<String> files() {
    return files;
  }

  @Override
  public String toString() {
    return severity + " " + code + " (" + article + "): " + message;
  }
}
