package org.evidencekit.continuity;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How report text is written: English or Chinese, times as ISO instants (UTC) or as local times in
 * a zone the report states once.
 */
final class TextStyle {
  static final TextStyle ENGLISH_UTC = new TextStyle(false, null);

  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter LOCAL_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);
  private static final Pattern ARTICLE = Pattern.compile("(\\d+)(?:\\((\\d+)\\))?");
  private static final String[] DIGITS = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

  final boolean zh;
  private final ZoneId zone;

  private TextStyle(boolean zh, ZoneId zone) {
    this.zh = zh;
    this.zone = zone;
  }

  static TextStyle of(Locale language, ZoneId zone) {
    return new TextStyle("zh".equals(language.getLanguage()), zone);
  }

  /** The two languages' versions of one sentence. */
  String pick(String en, String zhText) {
    return zh ? zhText : en;
  }

  /**
   * To the millisecond at most: seals record milliseconds (docs/seal-format.md), so a clock's
   * nanoseconds (an ingest time taken from {@code Instant.now()}) would claim a precision no record
   * has.
   */
  String time(Instant t) {
    Instant ms = t.truncatedTo(ChronoUnit.MILLIS);
    if (zone == null) {
      return ms.toString();
    }
    return (ms.getNano() == 0 ? LOCAL : LOCAL_MILLIS).format(ms.atZone(zone));
  }

  /**
   * The time from one printed instant to another, as {@link #duration}: taken between the instants
   * as {@link #time} prints them, so the two ends and the length a sentence shows always agree.
   */
  String between(Instant from, Instant to) {
    return duration(
        Duration.between(from.truncatedTo(ChronoUnit.MILLIS), to.truncatedTo(ChronoUnit.MILLIS)));
  }

  String zoneId() {
    return zone == null ? "UTC" : zone.getId();
  }

  String zoneName() {
    if (zone == null || zone.normalized().equals(ZoneOffset.UTC)) {
      return "UTC";
    }
    ZoneOffset now = zone.getRules().getOffset(Instant.EPOCH.plusSeconds(1_700_000_000L));
    return zone.getId() + " (UTC" + (now.getTotalSeconds() == 0 ? "" : now.getId()) + ")";
  }

  /** Exact: "24 h 0 min 52 s", "3.000 s" under a minute. */
  String duration(Duration d) {
    long ms = d.abs().toMillis();
    if (ms < 60_000) {
      return String.format(Locale.ROOT, zh ? "%.3f 秒" : "%.3f s", ms / 1000.0);
    }
    long h = ms / 3_600_000;
    long min = (ms / 60_000) % 60;
    long sMs = ms % 60_000;
    String s =
        sMs % 1000 == 0
            ? Long.toString(sMs / 1000)
            : String.format(Locale.ROOT, "%.3f", sMs / 1000.0);
    if (h == 0) {
      return zh ? min + " 分 " + s + " 秒" : min + " min " + s + " s";
    }
    return zh ? h + " 小时 " + min + " 分 " + s + " 秒" : h + " h " + min + " min " + s + " s";
  }

  String list(List<?> items) {
    StringBuilder b = new StringBuilder();
    for (Object o : items) {
      if (b.length() > 0) {
        b.append(zh ? "、" : ", ");
      }
      b.append(o);
    }
    return b.toString();
  }

  /** Sequence numbers a sentence lists before it only counts the rest. */
  static final int LISTED_SEQUENCES = 10;

  /**
   * "[2, 3, …, 11, and 138 more]": at most {@link #LISTED_SEQUENCES} numbers on a line, since a
   * folder that mixes naming conventions puts thousands of numbers between two files. {@code total}
   * is how many there are in all, {@code given} the first of them.
   */
  String sequences(List<Integer> given, long total) {
    if (total <= LISTED_SEQUENCES && given.size() == total) {
      return given.toString();
    }
    List<Integer> shown = given.subList(0, Math.min(LISTED_SEQUENCES, given.size()));
    long more = total - shown.size();
    String head = shown.toString();
    return head.substring(0, head.length() - 1)
        + pick(", and " + more + " more", "，另有 " + more + " 个")
        + "]";
  }

  /** "Art. 13(1), 21(1)" as is, or as 第十三条第（一）项、第二十一条第（一）项. */
  String article(String article) {
    if (!zh) {
      return article;
    }
    StringBuilder b = new StringBuilder();
    Matcher m = ARTICLE.matcher(article);
    while (m.find()) {
      if (b.length() > 0) {
        b.append("、");
      }
      b.append("第").append(numeral(Integer.parseInt(m.group(1)))).append("条");
      if (m.group(2) != null) {
        b.append("第（").append(numeral(Integer.parseInt(m.group(2)))).append("）项");
      }
    }
    return b.length() == 0 ? article : b.toString();
  }

  static String numeral(int n) {
    if (n < 10) {
      return DIGITS[n];
    }
    if (n < 100) {
      String tens = n / 10 == 1 ? "十" : DIGITS[n / 10] + "十";
      return n % 10 == 0 ? tens : tens + DIGITS[n % 10];
    }
    return Integer.toString(n);
  }
}
