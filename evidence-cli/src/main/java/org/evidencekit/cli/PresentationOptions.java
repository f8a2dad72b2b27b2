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

  Presentation presentation() {
    ZoneId z;
    try {
      z = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new EvidenceCommand.UsageException("--zone: not a time zone: " + Cli.printable(zone));
    }
    if (!lang.equals("en") && !lang.equals("zh")) {
      throw new EvidenceCommand.UsageException(
          "--lang must be en or zh, not " + Cli.printable(lang));
    }
    return Presentation.of(z, Locale.forLanguageTag(lang.equals("zh") ? "zh-CN" : "en"));
  }
}
