package org.evidencekit.cli;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import org.evidencekit.report.Presentation;
import picocli.CommandLine.Option;

/** {@code --zone --lang}: the one time zone a document's times are in, and its language. */
final class PresentationOptions {
  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      defaultValue = "Asia/Shanghai",
      description = "Time zone of every time in the document (default Asia/Shanghai).")
  String zone;

  @Option(
      names = "--lang",
      paramLabel = "LANG",
      defaultValue = "en",
      description = "Language of the document: en (default) or zh.")
  String lang;

  /**
   * The language of {@code --lang}, {@code en} or {@code zh}: a language tag, whose case does not
   * matter (BCP 47), so {@code ZH}, {@code zh-CN} and {@code en-US} are taken as {@code --format
   * HTML} is.
   */
  static String language(String tag) {
    String l = Locale.forLanguageTag(tag.replace('_', '-')).getLanguage();
    if (!l.equals("en") && !l.equals("zh")) {
      throw new EvidenceCommand.UsageException(
          "--lang must be en or zh, not " + Cli.printable(tag));
    }
    return l;
  }

  Presentation presentation() {
    ZoneId z;
    try {
      z = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new EvidenceCommand.UsageException("--zone: not a time zone: " + Cli.printable(zone));
    }
    String l = language(lang);
    return Presentation.of(z, Locale.forLanguageTag(l.equals("zh") ? "zh-CN" : "en"));
  }
}
