package org.evidencekit.video;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the time, sequence number and device and officer numbers that cameras write into file names
 * from a documented table of real naming conventions (docs/video.md) plus patterns
 * the user gives per device model. A file whose container lost its time (a power-loss file, a
 * remux) is still placed by its name, and a missing sequence number shows a missing file.
 *
 * <p>Cameras name files by their own wall clock, so a name's time is local time in the zone the
 * clock is given ({@code Asia/Shanghai} by default); conventions known to use UTC (Google Pixel)
 * say so. Immutable and thread-safe.
 *
 * <pre>{@code
 * FileNameClock clock = FileNameClock.standard(ZoneId.of("Asia/Shanghai"))
 *     .withPattern("DSJ-X1", "REC{yyyyMMdd}-{HHmmss}-{seq}");
 * clock.read("J0001_012345_20230601140000_0007.mp4");
 * // GA/T 947 body camera, time 2023-06-01T14:00 (2023-06-01T06:00:00Z), sequence 7,
 * // device J0001, officer 012345
 * }</pre>
 */
public final class FileNameClock {
  /** The zone cameras of the bureaus this library serves keep their clocks in. */
  public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

  private static final String DATE = "(?<y>(?:19|20)\\d{2})(?<mo>\\d{2})(?<d>\\d{2})";
  private static final String TIME = "(?<h>\\d{2})(?<mi>\\d{2})(?<s>\\d{2})";
  private static final String EXT = "(?:\\.[A-Za-z0-9]{1,5})*$";

  /** Prefixes that name a phone's or camera's own convention, never a body camera's device. */
  private static final String NOT_A_DEVICE = "(?!(?:VID|IMG|PXL|DJI|MVI|DSC|MOV|REC)_)";

  private static final String BODY_CAM_EVENT = "(?:_(?<ev>IMP|EVT|EVENT|LOCK|LCK))?";

  /** The standard table, tried in order: most specific first, the catch-all date-time last. */
  private static final List<Convention> STANDARD =
      List.of(
          new Convention(
              "GA/T 947 body camera",
              "^"
                  + NOT_A_DEVICE
                  + "(?<dev>[A-Za-z0-9]{1,20})_(?<off>[A-Za-z0-9]{3,12})_"
                  + DATE
                  + "_?"
                  + TIME
                  + "_(?<seq>\\d{1,6})"
                  + BODY_CAM_EVENT
                  + EXT,
              false,
              null),
          new Convention(
              "body camera (device, date-time, sequence)",
              "^"
                  + NOT_A_DEVICE
                  + "(?<dev>[A-Za-z0-9-]{1,20})_"
                  + DATE
                  + "_?"
                  + TIME
                  + "_(?<seq>\\d{1,6})"
                  + BODY_CAM_EVENT
                  + EXT,
              false,
              null),
          new Convention(
              "Google Pixel",
              "^PXL_" + DATE + "_" + TIME + "(?<ms>\\d{3})(?:[._~].*)?$",
              false,
              ZoneOffset.UTC),
          new Convention(
              "Android phone",
              "^VID_?" + DATE + "_?" + TIME + "(?:_(?<seq>\\d{1,6}))?(?:[._~(].*)?$",
              false,
              null),
          new Convention(
              "BlackVue dashcam",
              "^" + DATE + "_" + TIME + "_(?:(?<ev>[EM])|[NPI])[FRI]?(?:_.*)?" + EXT,
              false,
              null),
          new Convention(
              "dashcam (NO/EV/PA prefix)",
              "^(?:(?<ev>EV)|NO|PA)" + DATE + "-" + TIME + "(?:-(?<seq>\\d{1,8}))?[FRI]?" + EXT,
              false,
              null),
          new Convention(
              "Viofo dashcam",
              "^(?<y>(?:19|20)\\d{2})_(?<mo>\\d{2})(?<d>\\d{2})_"
                  + TIME
                  + "_(?<seq>\\d{3,6})(?<ev>E)?[FRPT]?"
                  + EXT,
              false,
              null),
          new Convention(
              "phone (date_time)",
              "^" + DATE + "_" + TIME + "(?:\\(\\d{1,4}\\))?(?:_\\d{1,3})?" + EXT,
              false,
              null),
          new Convention(
              "DJI (dated)",
              "^DJI_" + DATE + TIME + "_(?<seq>\\d{4})(?:_[A-Z])?" + EXT,
              false,
              null),
          new Convention("DJI", "^DJI_(?<seq>\\d{4})" + EXT, false, null),
          new Convention("GoPro", "^G[HXLS](?<ch>\\d{2})(?<seq>\\d{4})" + EXT, false, null),
          new Convention(
              "GoPro (HERO before 6)",
              "^(?:GOPR(?<seq0>\\d{4})|GP(?<ch>\\d{2})(?<seq>\\d{4}))" + EXT,
              false,
              null),
          new Convention(
              "DCIM sequence",
              "^(?:FILE|MOVI|MVI_|IMG_|DSC_|DSCF|MAH|CLIP|REC|MOV|C)(?<seq>\\d{3,5})" + EXT,
              false,
              null),
          new Convention(
              "date-time in the name",
              "(?<![0-9])"
                  + "(?<y>(?:19|20)\\d{2})[-_.]?(?<mo>\\d{2})[-_.]?(?<d>\\d{2})(?:[-_ T.]| at )?"
                  + "(?<h>\\d{2})[-_.:]?(?<mi>\\d{2})[-_.:]?(?<s>\\d{2})"
                  + "(?:[_-](?<seq>\\d{1,6})(?![0-9])|(?![0-9]))",
              true,
              null));

  private final ZoneId zone;
  private final List<Convention> user;

  private FileNameClock(ZoneId zone, List<Convention> user) {
    this.zone = zone;
    this.user = List.copyOf(user);
  }

  /** The standard table, reading names' times in {@link #DEFAULT_ZONE}. */
  public static FileNameClock standard() {
    return standard(DEFAULT_ZONE);
  }

  /** The standard table, reading names' times as local time in {@code zone}. */
  public static FileNameClock standard(ZoneId zone) {
    return new FileNameClock(requireNonNull(zone, "zone"), List.of());
  }

  /**
   * This clock with a pattern for one device model, tried before the standard table (and after
   * patterns added earlier). The pattern is the name with fields in braces: {@code {device}},
   * {@code {officer}}, {@code {seq}}, {@code {chapter}}, {@code {event}} (a marker such as {@code
   * IMP}), {@code {*}} (anything), and date-time fields made of {@code yyyy yy MM dd HH mm ss SSS}
   * in any grouping ({@code {yyyyMMddHHmmss}}, {@code {yyyy}-{MM}-{dd}}); everything else is
   * literal. The file's extension need not be written.
   *
   * @throws IllegalArgumentException if the pattern has an unknown field, a field twice, an
   *     incomplete date-time (a date without a time or the reverse), or the model already has one
   */
  public FileNameClock withPattern(String deviceModel, String pattern) {
    requireNonNull(deviceModel, "deviceModel");
    requireNonNull(pattern, "pattern");
    String name = "user pattern for " + deviceModel;
    for (Convention c : user) {
      if (c.name.equals(name)) {
        throw new IllegalArgumentException(
            "device model " + deviceModel + " already has a pattern");
      }
    }
    List<Convention> more = new ArrayList<>(user);
    more.add(new Convention(name, NamePatterns.compile(pattern) + EXT, false, null));
    return new FileNameClock(zone, more);
  }

  /** The zone local times in names are read in. */
  public ZoneId zone() {
    return zone;
  }

  /**
   * What {@code fileName} (a bare name or a path; only its last element is read) says, by the first
   * convention that matches with a valid date; empty when none does. A name that costs a convention
   * more than a million character reads to match (a near miss of a user pattern with several
   * variable-width fields) counts as not matching it.
   */
  public Optional<FileNameReading> read(String fileName) {
    requireNonNull(fileName, "fileName");
    String name =
        fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
    if (name.length() > 255) {
      return Optional.empty();
    }
    for (List<Convention> table : List.of(user, STANDARD)) {
      for (Convention c : table) {
        Optional<FileNameReading> r = c.read(name, zone);
        if (r.isPresent()) {
          return r;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Characters one convention's matcher may read of one name before the name counts as not matching
   * it. A user pattern's lazy variable-width fields ({@code {device}}, {@code {officer}}, {@code
   * {*}}) next to each other make a name that nearly matches cost every way of splitting it between
   * them: 422 million reads (11 s) for a 244-character name and {@code
   * {*}{device}{*}{officer}{seq}{chapter}X}. A name that matches, and a near miss of a pattern with
   * two {@code {*}} fields (the most {@link NamePatterns} allows), take under 100,000; a million is
   * some 20 ms. Names are files a station is handed, so they are hostile input.
   */
  static final int MAX_READS = 1_000_000;

  /** Thrown by {@link BoundedName} when its reads are spent; no stack trace, it is expected. */
  private static final class NameTooCostly extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NameTooCostly() {
      super("the name took too many reads to match", null, false, false);
    }
  }

  /** A name whose characters may be read {@code reads} times in all, by one matcher. */
  private static final class BoundedName implements CharSequence {
    private final String name;
    private int reads;

    BoundedName(String name, int reads) {
      this.name = name;
      this.reads = reads;
    }

    @Override
    public char charAt(int index) {
      if (--reads < 0) {
        throw new NameTooCostly();
      }
      return name.charAt(index);
    }

    @Override
    public int length() {
      return name.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return name.substring(start, end); // a matched group's text: read once, not matched again
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** One row of the table. */
  static final class Convention {
    /** A named group in a regular expression (here, not in the outer class: see STANDARD). */
    private static final Pattern GROUP = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");

    final String name;
    final Pattern pattern;
    final boolean search;
    final ZoneId zone;

    /** The named groups the expression has, found once (a user's literal text spells none). */
    final java.util.Set<String> groups;

    Convention(String name, String regex, boolean search, ZoneId zone) {
      this.name = name;
      this.pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
      java.util.Set<String> g = new java.util.HashSet<>();
      Matcher m = GROUP.matcher(regex);
      while (m.find()) {
        g.add(m.group(1));
      }
      this.groups = java.util.Set.copyOf(g);
      this.search = search;
      this.zone = zone;
    }

    Optional<FileNameReading> read(String fileName, ZoneId clockZone) {
      try {
        return readWithin(new BoundedName(fileName, MAX_READS), clockZone);
      } catch (NameTooCostly e) {
        return Optional.empty();
      }
    }

    private Optional<FileNameReading> readWithin(BoundedName fileName, ZoneId clockZone) {
      Matcher m = pattern.matcher(fileName);
      if (!search) {
        return m.matches() ? reading(m, clockZone) : Optional.empty();
      }
      // digits that are no date-time may overlap one that is ("1999.99.2023.06.01.14.00.00"):
      // the next search starts one character after the refused match's start, not after its end
      int from = 0;
      while (from < fileName.length() && m.find(from)) {
        Optional<FileNameReading> r = reading(m, clockZone);
        if (r.isPresent()) {
          return r;
        }
        from = m.start() + 1;
      }
      return Optional.empty();
    }

    private Optional<FileNameReading> reading(Matcher m, ZoneId clockZone) {
      LocalDateTime local = null;
      String y = group(m, "y");
      if (y != null) {
        int year = Integer.parseInt(y);
        int month = Integer.parseInt(m.group("mo"));
        int day = Integer.parseInt(m.group("d"));
        int hour = Integer.parseInt(m.group("h"));
        int minute = Integer.parseInt(m.group("mi"));
        int second = Integer.parseInt(m.group("s"));
        // 20231341, 141075: digits, not a date. Checked before java.time would throw: a folder of
        // such names must not cost an exception per file and convention.
        if (month < 1
            || month > 12
            || day < 1
            || day > 31
            || hour > 23
            || minute > 59
            || second > 59) {
          return Optional.empty();
        }
        try {
          local =
              LocalDateTime.of(
                  y.length() == 2 ? 2000 + year : year,
                  month,
                  day,
                  hour,
                  minute,
                  second,
                  group(m, "ms") == null ? 0 : Integer.parseInt(m.group("ms")) * 1_000_000);
        } catch (DateTimeException e) {
          return Optional.empty(); // 20230230: no such day in that month
        }
      }
      String seq = group(m, "seq");
      if (seq == null) {
        seq = group(m, "seq0");
      }
      String ch = group(m, "ch");
      Integer chapter = ch != null ? Integer.valueOf(ch) : group(m, "seq0") != null ? 0 : null;
      String dev = group(m, "dev");
      String off = group(m, "off");
      return Optional.of(
          new FileNameReading(
              name,
              local,
              local == null ? null : local.atZone(zone == null ? clockZone : zone).toInstant(),
              seq == null ? null : Long.valueOf(seq),
              chapter,
              dev,
              off,
              group(m, "ev") != null));
    }

    private String group(Matcher m, String g) {
      return groups.contains(g) ? m.group(g) : null;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
