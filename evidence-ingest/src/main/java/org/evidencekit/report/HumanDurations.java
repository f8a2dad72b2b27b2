package org.evidencekit.report;

import java.time.Duration;

/** Durations as people read them: "3 d 4 h", "2 min 5 s", "1 y 2 mo", in the page's language. */
final class HumanDurations {
  private HumanDurations() {}

  static String human(Duration d, Labels l) {
    long s = Math.abs(d.getSeconds());
    String sign = d.isNegative() ? "-" : "";
    long days = s / 86_400;
    if (days >= 365) {
      long years = days / 365;
      long months = (days % 365) / 30;
      return sign + part(years, "y", l) + (months > 0 ? l.sep() + part(months, "mo", l) : "");
    }
    if (days >= 1) {
      long h = (s % 86_400) / 3600;
      return sign + part(days, "d", l) + (h > 0 ? l.sep() + part(h, "h", l) : "");
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    if (h > 0) {
      return sign + part(h, "h", l) + (m > 0 ? l.sep() + part(m, "min", l) : "");
    }
    long sec = s % 60;
    if (m > 0) {
      return sign + part(m, "min", l) + (sec > 0 ? l.sep() + part(sec, "s", l) : "");
    }
    if (m == 0 && d.getNano() > 0 && !d.isNegative()) {
      // under a minute the tenths matter: a 2.9 s file is not a 2 s file
      return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0)
          + l.unitGap()
          + l.unit("s");
    }
    return sign + part(sec, "s", l);
  }

  private static String part(long n, String unit, Labels l) {
    return n + l.unitGap() + l.unit(unit);
  }
}
