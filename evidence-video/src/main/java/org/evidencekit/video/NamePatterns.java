package org.evidencekit.video;

import java.util.HashSet;
import java.util.Set;

/**
 * Turns a user's file-name pattern ({@code {device}_{officer}_{yyyyMMddHHmmss}_{seq}}) into the
 * regular expression a {@link FileNameClock} matches with, refusing patterns that could not be
 * meant: unknown fields, a field twice, half a date-time.
 */
final class NamePatterns {
  private NamePatterns() {}

  /**
   * {@code {*}} fields a pattern may have. Each is a lazy wildcard, and a name that nearly matches
   * makes the matcher try every split of it between them: on a hostile name of 242 characters, 0.7
   * ms with two, 6 ms with three, 190 ms with four (2026-12-06), growing about thirtyfold per
   * field. Names are files a station is handed, so they are hostile input.
   */
  static final int MAX_ANYTHING = 2;

  static String compile(String pattern) {
    if (pattern.isBlank() || pattern.length() > 200) {
      throw new IllegalArgumentException("a name pattern must have 1 to 200 characters");
    }
    StringBuilder re = new StringBuilder("^");
    Set<String> seen = new HashSet<>();
    int anything = 0;
    int i = 0;
    while (i < pattern.length()) {
      int open = pattern.indexOf('{', i);
      if (open < 0) {
        re.append(literal(pattern.substring(i)));
        break;
      }
      if (open > i) {
        re.append(literal(pattern.substring(i, open)));
      }
      int close = pattern.indexOf('}', open);
      if (close < 0) {
        throw new IllegalArgumentException("name pattern " + pattern + ": '{' without '}'");
      }
      String field = pattern.substring(open + 1, close);
      if (field.equals("*") && ++anything > MAX_ANYTHING) {
        throw new IllegalArgumentException(
            "name pattern "
                + pattern
                + ": at most "
                + MAX_ANYTHING
                + " {*} fields (each one more multiplies the time to read a name that nearly"
                + " matches about thirtyfold: 0.2 s a name with four)");
      }
      re.append(field(field, pattern, seen));
      i = close + 1;
    }
    boolean date = seen.contains("y") || seen.contains("mo") || seen.contains("d");
    boolean time = seen.contains("h") || seen.contains("mi") || seen.contains("s");
    if (date || time) {
      for (String g : new String[] {"y", "mo", "d", "h", "mi", "s"}) {
        if (!seen.contains(g)) {
          throw new IllegalArgumentException(
              "name pattern "
                  + pattern
                  + ": a date-time needs yyyy (or yy), MM, dd, HH, mm and ss");
        }
      }
    }
    if (seen.isEmpty()) {
      throw new IllegalArgumentException(
          "name pattern " + pattern + " has no field: it would tell nothing about the file");
    }
    return re.toString();
  }

  /**
   * The pattern's text between fields, matched as written. Every character but an ASCII letter or
   * digit is written as its code point ({@code \x{28}}), not quoted with {@code \Q...\E}: the clock
   * tells which fields a pattern has by the groups its regular expression spells, and quoted text
   * such as {@code (?<y>} would spell one the expression does not have.
   */
  private static String literal(String text) {
    StringBuilder re = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                re.append((char) c);
              } else {
                re.append("\\x{").append(Integer.toHexString(c)).append('}');
              }
            });
    return re.toString();
  }

  private static String field(String field, String pattern, Set<String> seen) {
    switch (field) {
      case "device":
        return group("dev", "[A-Za-z0-9-]+?", field, pattern, seen);
      case "officer":
        return group("off", "[A-Za-z0-9]+?", field, pattern, seen);
      case "seq":
        return group("seq", "\\d{1,9}", field, pattern, seen);
      case "chapter":
        return group("ch", "\\d{1,4}", field, pattern, seen);
      case "event":
        return "(?:" + group("ev", "IMP|EVT|EVENT|LOCK|LCK|EV|E|M", field, pattern, seen) + ")?";
      case "*":
        return ".*?";
      default:
        return dateTime(field, pattern, seen);
    }
  }

  /** A run of date-time letters such as {@code yyyyMMdd} or {@code HHmmssSSS}. */
  private static String dateTime(String field, String pattern, Set<String> seen) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < field.length()) {
      char c = field.charAt(i);
      int j = i;
      while (j < field.length() && field.charAt(j) == c) {
        j++;
      }
      String run = field.substring(i, j);
      switch (run) {
        case "yyyy":
          re.append(group("y", "\\d{4}", field, pattern, seen));
          break;
        case "yy":
          re.append(group("y", "\\d{2}", field, pattern, seen));
          break;
        case "MM":
          re.append(group("mo", "\\d{2}", field, pattern, seen));
          break;
        case "dd":
          re.append(group("d", "\\d{2}", field, pattern, seen));
          break;
        case "HH":
          re.append(group("h", "\\d{2}", field, pattern, seen));
          break;
        case "mm":
          re.append(group("mi", "\\d{2}", field, pattern, seen));
          break;
        case "ss":
          re.append(group("s", "\\d{2}", field, pattern, seen));
          break;
        case "SSS":
          re.append(group("ms", "\\d{3}", field, pattern, seen));
          break;
        default:
          throw new IllegalArgumentException(
              "name pattern "
                  + pattern
                  + ": unknown field {"
                  + field
                  + "} (fields: device, officer, seq, chapter, event, *, and date-times of"
                  + " yyyy yy MM dd HH mm ss SSS)");
      }
      i = j;
    }
    return re.toString();
  }

  private static String group(
      String group, String regex, String field, String pattern, Set<String> seen) {
    if (!seen.add(group)) {
      throw new IllegalArgumentException(
          "name pattern " + pattern + ": {" + field + "} repeats a field already given");
    }
    return "(?<" + group + ">" + regex + ")";
  }
}
