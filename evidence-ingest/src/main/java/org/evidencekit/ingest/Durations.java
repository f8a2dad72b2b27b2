package org.evidencekit.ingest;

import java.time.Duration;

/** Durations as people read them: "3 d 4 h", "2 min 5 s", "1 y 2 mo". */
final class Durations {
  private Durations() {}

  static String human(Duration d) {
    long s = Math.abs(d.getSeconds());
    String sign = d.isNegative() ? "-" : "";
    long days = s / 86_400;
    if (days >= 365) {
      long years = days / 365;
      long months = (days % 365) / 30;
      return sign + years + " y" + (months > 0 ? " " + months + " mo" : "");
    }
    if (days >= 1) {
      long h = (s % 86_400) / 3600;
      return sign + days + " d" + (h > 0 ? " " + h + " h" : "");
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    if (h > 0) {
      return sign + h + " h" + (m > 0 ? " " + m + " min" : "");
    }
    long sec = s % 60;
    if (m > 0) {
      return sign + m + " min" + (sec > 0 ? " " + sec + " s" : "");
    }
    return sign + sec + " s";
  }
}
