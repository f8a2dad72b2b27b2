package org.evidencekit.report;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a document is shown: the one time zone every time on it is given in (stated on the page), and
 * its language (Chinese for a {@code zh} locale, English otherwise).
 */
public final class Presentation {
  /** The bureaus' zone. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

  /** An ISO-8601 UTC instant inside a sentence, as the analysis writes them. */
  private static final Pattern UTC_INSTANT =
      Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?Z\\b");

  private final ZoneId zone;
  private final Locale locale;
  private final Labels labels;
  private final DateTimeFormatter dayTime;
  private final DateTimeFormatter time;
  private final DateTimeFormatter offsetIso;

  private Presentation(ZoneId zone, Locale locale) {
    this.zone = zone;
    this.locale = locale;
    this.labels = Labels.of(locale);
    this.dayTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(zone);
    this.time = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
    this.offsetIso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(zone);
  }

  /** Asia/Shanghai, English. */
  public static Presentation defaults() {
    return new Presentation(DEFAULT_ZONE, Locale.ENGLISH);
  }

  public static Presentation of(ZoneId zone, Locale locale) {
    return new Presentation(requireNonNull(zone, "zone"), requireNonNull(locale, "locale"));
  }

  public ZoneId zone() {
    return zone;
  }

  public Locale locale() {
    return locale;
  }

  Labels labels() {
    return labels;
  }

  /** "2023-06-01 22:10:03" in the zone. */
  String dayTime(Instant t) {
    return dayTime.format(t);
  }

  /** "22:10:03" in the zone. */
  String time(Instant t) {
    return time.format(t);
  }

  /** "2023-06-01T22:10:03+08:00": machine-readable, in the zone. */
  String iso(Instant t) {
    return offsetIso.format(t);
  }

  /** The zone in words as the page states it: "Asia/Shanghai (UTC+08:00)". */
  String zoneText(Instant at) {
    String off = zone.getRules().getOffset(at).getId();
    return zone.getId() + " (UTC" + (off.equals("Z") ? "" : off) + ")";
  }

  /** A sentence with its UTC instants rewritten in the zone, so a page keeps one convention. */
  String localize(String text) {
    Matcher m = UTC_INSTANT.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder b = new StringBuilder(text.length());
    do {
      Instant t;
      try {
        t = Instant.parse(m.group());
      } catch (java.time.format.DateTimeParseException e) {
        continue;
      }
      m.appendReplacement(b, Matcher.quoteReplacement(dayTime(t)));
    } while (m.find());
    m.appendTail(b);
    return b.toString();
  }
}
