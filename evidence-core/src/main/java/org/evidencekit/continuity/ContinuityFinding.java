package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One finding of the analysis: a stable code, a severity, the article clauses it concerns, a
 * sentence with the numbers, the stretch of (trusted) time, the files involved, the action,
 * devices, officers and place it concerns, and a follow-up saying what to retrieve or whom to ask.
 * Text is available in English and Chinese with times in any zone.
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
  private final Message message;
  private final Interval when;
  private final List<String> files;
  private final String actionId;
  private final List<String> deviceIds;
  private final List<String> officerIds;
  private final String place;

  ContinuityFinding(
      String code,
      Severity severity,
      String article,
      Message message,
      Interval when,
      List<String> files,
      String actionId,
      List<String> deviceIds,
      List<String> officerIds,
      String place) {
    this.code = requireNonNull(code);
    this.severity = requireNonNull(severity);
    this.article = requireNonNull(article);
    this.message = requireNonNull(message);
    this.when = when;
    this.files = List.copyOf(files);
    this.actionId = actionId;
    this.deviceIds = List.copyOf(deviceIds);
    this.officerIds = List.copyOf(officerIds);
    this.place = place;
  }

  public String code() {
    return code;
  }

  public Severity severity() {
    return severity;
  }

  /** The article and clauses, e.g. {@code Art. 13(1), 21(1)}. */
  public String article() {
    return article;
  }

  /** The article in the given language, e.g. 第十三条第（一）项、第二十一条第（一）项. */
  public String article(Locale language) {
    return TextStyle.of(requireNonNull(language, "language"), null).article(article);
  }

  /** The sentence in English with times as ISO-8601 UTC instants. */
  public String message() {
    return message.render(TextStyle.ENGLISH_UTC);
  }

  /** The sentence in {@code language} (Chinese for "zh", else English), times local to zone. */
  public String message(Locale language, ZoneId zone) {
    requireNonNull(language, "language");
    requireNonNull(zone, "zone");
    return message.render(TextStyle.of(language, zone));
  }

  String message(TextStyle style) {
    return message.render(style);
  }

  /** What to do next: what to retrieve or whom to ask (Chinese for "zh", else English). */
  public String followUp(Locale language) {
    requireNonNull(language, "language");
    return FindingText.followUp(code, TextStyle.of(language, null));
  }

  public Optional<Interval> when() {
    return Optional.ofNullable(when);
  }

  public List<String> files() {
    return files;
  }

  /** The enforcement action the finding concerns, if any. */
  public Optional<String> actionId() {
    return Optional.ofNullable(actionId);
  }

  /** The devices the finding concerns (of its files, else of its action). */
  public List<String> deviceIds() {
    return deviceIds;
  }

  /** The officers the finding concerns (of its files and its action). */
  public List<String> officerIds() {
    return officerIds;
  }

  /** The place of its action, if known. */
  public Optional<String> place() {
    return Optional.ofNullable(place);
  }

  @Override
  public String toString() {
    return severity + " " + code + " (" + article + "): " + message();
  }
}
