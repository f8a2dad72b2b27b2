package org.evidencekit.internal.json;

import java.time.Instant;

/**
 * {@link Instant#toString()} and {@link Instant#parse} for the instants our stored formats hold
 * (1970 to 9999, UTC), without {@code java.time.format}: every seal, ledger entry and store
 * metadata file carries a few, and the JDK's formatter is the costliest code a station's first
 * recordings pay the JIT for. Anything outside the plain form goes to the JDK, so results are
 * always exactly the JDK's.
 */
public final class Instants {
  private Instants() {}

  /** 9999-12-31T23:59:59Z: the last second written with a four-digit year. */
  private static final long LAST = 253_402_300_799L;

  /** Exactly {@link Instant#toString()}. */
  public static String format(Instant t) {
    long s = t.getEpochSecond();
    if (s < 0 || s > LAST) {
      return t.toString();
    }
    long days = Math.floorDiv(s, 86_400);
    int secs = (int) (s - days * 86_400);
    // civil date from days since 1970-01-01 (the proleptic Gregorian calendar, as java.time)
    long z = days + 719_468;
    long era = z / 146_097;
    long doe = z - era * 146_097;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int day = (int) (doy - (153 * mp + 2) / 5 + 1);
    int month = (int) (mp < 10 ? mp + 3 : mp - 9);
    int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
    char[] c = new char[30];
    int n = 0;
    n = digits(c, n, year, 4);
    c[n++] = '-';
    n = digits(c, n, month, 2);
    c[n++] = '-';
    n = digits(c, n, day, 2);
    c[n++] = 'T';
    n = digits(c, n, secs / 3600, 2);
    c[n++] = ':';
    n = digits(c, n, secs / 60 % 60, 2);
    c[n++] = ':';
    n = digits(c, n, secs % 60, 2);
    int nano = t.getNano();
    if (nano != 0) {
      c[n++] = '.';
      if (nano % 1_000_000 == 0) {
        n = digits(c, n, nano / 1_000_000, 3);
      } else if (nano % 1000 == 0) {
        n = digits(c, n, nano / 1000, 6);
      } else {
        n = digits(c, n, nano, 9);
      }
    }
    c[n++] = 'Z';
    return new String(c, 0, n);
  }

  private static int digits(char[] c, int at, int v, int width) {
    for (int i = width - 1; i >= 0; i--) {
      c[at + i] = (char) ('0' + v % 10);
      v /= 10;
    }
    return at + width;
  }

  /**
   * Exactly {@link Instant#parse}: the plain form {@code YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z} is read
   * here, anything else (offsets, leap seconds, other years, errors) by the JDK.
   *
   * @throws java.time.format.DateTimeParseException as {@link Instant#parse} does
   */
  public static Instant parse(CharSequence text) {
    int len = text.length();
    if (len < 20
        || len > 30
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':'
        || text.charAt(len - 1) != 'Z') {
      return Instant.parse(text);
    }
    int year = number(text, 0, 4);
    int month = number(text, 5, 2);
    int day = number(text, 8, 2);
    int hour = number(text, 11, 2);
    int minute = number(text, 14, 2);
    int second = number(text, 17, 2);
    int nano = 0;
    if (len > 20) {
      int f = len - 21; // digits between '.' and 'Z'
      if (text.charAt(19) != '.' || f < 1 || f > 9) {
        return Instant.parse(text);
      }
      nano = number(text, 20, f);
      if (nano < 0) {
        return Instant.parse(text);
      }
      for (int i = f; i < 9; i++) {
        nano *= 10;
      }
    }
    if (year < 1970
        || month < 1
        || month > 12
        || day < 1
        || day > monthLength(year, month)
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return Instant.parse(text);
    }
    long days = daysFromCivil(year, month, day);
    return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nano);
  }

  /** The decimal number of {@code width} ASCII digits at {@code at}, or -1. */
  private static int number(CharSequence s, int at, int width) {
    int v = 0;
    for (int i = at; i < at + width; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int monthLength(int year, int month) {
    switch (month) {
      case 2:
        boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
      case 4:
      case 6:
      case 9:
      case 11:
        return 30;
      default:
        return 31;
    }
  }

  private static long daysFromCivil(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
