package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.internal.json.StrictJson;

/**
 * The input files of an analysis, as a bureau's case system writes them (docs/continuity-report.md,
 * "Input files"): enforcement actions ({@value #ACTIONS_FORMAT}), written documents ({@value
 * #DOCUMENTS_FORMAT}), per-device facts ({@value #DEVICES_FORMAT}), per-recording markers ({@value
 * #RECORDINGS_FORMAT}) and the bureau's further mandatory types ({@value #POLICY_FORMAT}).
 *
 * <p>Read strictly, because a member silently dropped changes the verdict (a misspelled {@code
 * devices} filter would let another device's file cover an action): an unknown member, a value of
 * the wrong kind, a null or empty id, type or name, an id given twice, a JSON member given twice, a
 * time outside 1970 to 2199 and a clock offset of more than a year are each a {@link
 * ContinuityFormatException} whose one-line message names the file, the entry and the member. A
 * file is at most {@link #MAX_INPUT_BYTES}, a list at most {@link #MAX_ENTRIES} long, nesting at
 * most 32 deep.
 */
public final class ContinuityInputs {
  public static final String ACTIONS_FORMAT = "evidencekit.actions/1";
  public static final String DOCUMENTS_FORMAT = "evidencekit.documents/1";
  public static final String DEVICES_FORMAT = "evidencekit.devices/1";
  public static final String RECORDINGS_FORMAT = "evidencekit.recordings/1";
  public static final String POLICY_FORMAT = "evidencekit.continuity-policy/1";

  /**
   * Largest input file read: real ones are kilobytes, and each is read whole into a JSON tree,
   * which costs many times its text.
   */
  public static final long MAX_INPUT_BYTES = 64L << 20;

  /** Most entries in one file's list: ten times a large bureau's year of actions. */
  public static final int MAX_ENTRIES = 1_000_000;

  /** Times an enforcement record can hold; beyond them durations would overflow. */
  static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("2199-12-31T23:59:59Z");

  private ContinuityInputs() {}

  /** Reads an actions file ({@value #ACTIONS_FORMAT}). */
  public static List<EnforcementAction> readActions(Path file) throws IOException {
    return actions(Source.of("actions", file));
  }

  /** Reads an actions document ({@value #ACTIONS_FORMAT}) from {@code in}, not closing it. */
  public static List<EnforcementAction> readActions(InputStream in) throws IOException {
    return actions(Source.of("actions", in));
  }

  /** Reads a documents file ({@value #DOCUMENTS_FORMAT}). */
  public static List<WrittenDocument> readDocuments(Path file) throws IOException {
    return documents(Source.of("documents", file));
  }

  /** Reads a documents document ({@value #DOCUMENTS_FORMAT}) from {@code in}, not closing it. */
  public static List<WrittenDocument> readDocuments(InputStream in) throws IOException {
    return documents(Source.of("documents", in));
  }

  /** Reads a devices file ({@value #DEVICES_FORMAT}): the facts by device id, in file order. */
  public static Map<String, DeviceFacts> readDevices(Path file) throws IOException {
    return devices(Source.of("devices", file));
  }

  /** Reads a devices document ({@value #DEVICES_FORMAT}) from {@code in}, not closing it. */
  public static Map<String, DeviceFacts> readDevices(InputStream in) throws IOException {
    return devices(Source.of("devices", in));
  }

  /**
   * Reads a recordings file ({@value #RECORDINGS_FORMAT}): the markers by recording id, in file
   * order.
   */
  public static Map<String, RecordingMarkers> readRecordings(Path file) throws IOException {
    return recordings(Source.of("recordings", file));
  }

  /** Reads a recordings document ({@value #RECORDINGS_FORMAT}) from {@code in}, not closing it. */
  public static Map<String, RecordingMarkers> readRecordings(InputStream in) throws IOException {
    return recordings(Source.of("recordings", in));
  }

  /**
   * As {@link #readRecordings(Path)}, for the recordings of one analysis: a marker for a recording
   * not among {@code recordingIds} (a name mistyped, a file left out) would mark nothing, and a
   * party informed or an EVENT file locked would silently go unseen, so it is a {@link
   * ContinuityFormatException} naming the file and the recording.
   */
  public static Map<String, RecordingMarkers> readRecordings(
      Path file, Collection<String> recordingIds) throws IOException {
    requireNonNull(recordingIds, "recordingIds");
    return onlyOf(recordings(Source.of("recordings", file)), recordingIds, "recordings " + file);
  }

  /** As {@link #readRecordings(Path, Collection)}, from {@code in}, not closing it. */
  public static Map<String, RecordingMarkers> readRecordings(
      InputStream in, Collection<String> recordingIds) throws IOException {
    requireNonNull(recordingIds, "recordingIds");
    return onlyOf(recordings(Source.of("recordings", in)), recordingIds, "recordings");
  }

  private static Map<String, RecordingMarkers> onlyOf(
      Map<String, RecordingMarkers> marks, Collection<String> recordingIds, String name)
      throws ContinuityFormatException {
    Set<String> given = Set.copyOf(recordingIds);
    for (String id : marks.keySet()) {
      if (!given.contains(id)) {
        throw new ContinuityFormatException(
            name
                + ": recording \""
                + shown(id)
                + "\": marks "
                + shown(id)
                + ", which is not one of the "
                + given.size()
                + " recording(s) analysed");
      }
    }
    return marks;
  }

  /**
   * Reads a policy file ({@value #POLICY_FORMAT}): {@link ContinuityPolicy#defaults()} with the
   * file's mandatory types added (Art. 13(5)).
   */
  public static ContinuityPolicy readPolicy(Path file) throws IOException {
    return policy(Source.of("policy", file));
  }

  /** Reads a policy document ({@value #POLICY_FORMAT}) from {@code in}, not closing it. */
  public static ContinuityPolicy readPolicy(InputStream in) throws IOException {
    return policy(Source.of("policy", in));
  }

  /** A document's bytes and the words that name it in every message ("actions /x/a.json"). */
  private static final class Source {
    final String name;
    final byte[] bytes;
    final StrictJson json;

    private Source(String name, byte[] bytes) {
      this.name = name;
      this.bytes = bytes;
      this.json = new StrictJson(m -> new ContinuityFormatException(name + ": " + m));
    }

    static Source of(String what, Path file) throws IOException {
      requireNonNull(file, "file");
      String name = what + " " + file;
      return new Source(
          name,
          BoundedFiles.readRegularFile(
              file,
              MAX_INPUT_BYTES,
              size -> new ContinuityFormatException(name + " is larger than 64 MiB"),
              m -> new ContinuityFormatException(what + " " + m)));
    }

    static Source of(String what, InputStream in) throws IOException {
      requireNonNull(in, "in");
      int room = (int) Math.min(MAX_INPUT_BYTES, BoundedFiles.heapRoom());
      byte[] b = in.readNBytes(room + 1);
      if (b.length > MAX_INPUT_BYTES) {
        throw new ContinuityFormatException(what + " is larger than 64 MiB");
      }
      if (b.length > room) {
        throw new ContinuityFormatException(
            BoundedFiles.pastTheHeap(what + " has more than " + room + " bytes"));
      }
      return new Source(what, b);
    }

    ContinuityFormatException error(String where, String message) {
      return new ContinuityFormatException(name + ": " + where + ": " + message);
    }

    /** The document's list, after its format and top-level members are checked. */
    List<JsonNode> list(String format, String listMember) throws IOException {
      JsonNode root = json.parse(bytes);
      JsonNode f = root.isObject() ? root.get("format") : null;
      if (f == null || !f.isTextual() || !format.equals(f.textValue())) {
        throw new ContinuityFormatException(name + ": format must be " + format);
      }
      members(root, "the document", Set.of("format", listMember));
      JsonNode list = root.get(listMember);
      if (list == null || !list.isArray()) {
        throw new ContinuityFormatException(name + ": '" + listMember + "' must be a list");
      }
      if (list.size() > MAX_ENTRIES) {
        throw new ContinuityFormatException(
            name
                + ": '"
                + listMember
                + "' has "
                + list.size()
                + " entries, at most "
                + MAX_ENTRIES);
      }
      List<JsonNode> out = new ArrayList<>(list.size());
      list.forEach(out::add);
      return out;
    }

    void members(JsonNode n, String where, Set<String> allowed) throws IOException {
      if (!n.isObject()) {
        throw error(where, "must be a JSON object, not " + shown(n));
      }
      Iterator<String> names = n.fieldNames();
      while (names.hasNext()) {
        String member = names.next();
        if (!allowed.contains(member)) {
          throw error(
              where,
              "unknown member '"
                  + shown(member)
                  + "' (allowed: "
                  + String.join(", ", allowed.stream().sorted().toList())
                  + ")");
        }
      }
    }

    String requiredString(JsonNode n, String field, String where) throws IOException {
      Optional<String> s = optionalString(n, field, where);
      if (s.isEmpty()) {
        throw error(where, "missing '" + field + "'");
      }
      return s.get();
    }

    Optional<String> optionalString(JsonNode n, String field, String where) throws IOException {
      JsonNode v = n.get(field);
      if (v == null) {
        return Optional.empty();
      }
      if (!v.isTextual() || v.textValue().isBlank()) {
        throw error(where, "'" + field + "' must be a non-empty string, not " + shown(v));
      }
      return Optional.of(v.textValue());
    }

    Instant instant(String s, String field, String where) throws IOException {
      Instant t;
      try {
        t = Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw error(
            where,
            "'"
                + field
                + "' = '"
                + shown(s)
                + "' is not an ISO-8601 instant with Z or an offset (2023-06-01T22:10:00+08:00)");
      }
      if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
        throw error(where, "'" + field + "' = '" + shown(s) + "' lies outside 1970 to 2199");
      }
      return t;
    }

    Optional<Instant> optionalInstant(JsonNode n, String field, String where) throws IOException {
      Optional<String> s = optionalString(n, field, where);
      return s.isEmpty() ? Optional.empty() : Optional.of(instant(s.get(), field, where));
    }

    Interval interval(JsonNode n, String where) throws IOException {
      Instant s = instant(requiredString(n, "start", where), "start", where);
      Instant e = instant(requiredString(n, "end", where), "end", where);
      if (e.isBefore(s)) {
        throw error(where, "ends before it starts");
      }
      return new Interval(s, e);
    }

    List<String> strings(JsonNode n, String field, String where) throws IOException {
      JsonNode v = n.get(field);
      if (v == null) {
        return List.of();
      }
      if (!v.isArray()) {
        throw error(where, "'" + field + "' must be a list");
      }
      List<String> out = new ArrayList<>(v.size());
      Set<String> seen = new HashSet<>();
      for (JsonNode x : v) {
        if (!x.isTextual() || x.textValue().isBlank()) {
          throw error(where, "'" + field + "' must hold non-empty strings, not " + shown(x));
        }
        if (!seen.add(x.textValue())) {
          throw error(where, "'" + field + "' names " + shown(x.textValue()) + " twice");
        }
        out.add(x.textValue());
      }
      return out;
    }

    /** The entry's id, refused when missing, empty or given before. */
    String id(JsonNode n, String kind, int index, Set<String> seen) throws IOException {
      String id = requiredString(n, "id", kind + " #" + (index + 1));
      if (!seen.add(id)) {
        throw new ContinuityFormatException(
            name
                + ": "
                + kind
                + " #"
                + (index + 1)
                + ": "
                + kind
                + " "
                + shown(id)
                + " appears twice");
      }
      return id;
    }
  }

  /**
   * A value as a message shows it: short, on one line, and without control characters, so that a
   * hostile file cannot forge further lines of a report or a terminal's state.
   */
  static String shown(JsonNode v) {
    return v.isTextual() ? '"' + shown(v.textValue()) + '"' : shown(v.toString());
  }

  static String shown(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
    for (int i = 0; i < s.length() && b.length() < 80; i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.length() < s.length() ? b + "..." : b.toString();
  }

  private static List<EnforcementAction> actions(Source src) throws IOException {
    List<EnforcementAction> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<JsonNode> list = src.list(ACTIONS_FORMAT, "actions");
    for (int i = 0; i < list.size(); i++) {
      JsonNode a = list.get(i);
      src.members(
          a,
          "action #" + (i + 1),
          Set.of(
              "id",
              "type",
              "start",
              "end",
              "place",
              "stages",
              "devices",
              "officers",
              "recordings"));
      String id = src.id(a, "action", i, ids);
      String where = "action " + shown(id);
      String type = src.requiredString(a, "type", where);
      List<EnforcementAction.Stage> stages = new ArrayList<>();
      JsonNode ss = a.get("stages");
      if (ss != null && !ss.isArray()) {
        throw src.error(where, "'stages' must be a list");
      }
      if (ss != null) {
        for (JsonNode s : ss) {
          src.members(s, where + " stage", Set.of("name", "start", "end"));
          String stage = src.requiredString(s, "name", where + " stage");
          stages.add(
              new EnforcementAction.Stage(
                  stage, src.interval(s, where + " stage " + shown(stage))));
        }
      }
      Interval span = src.interval(a, where);
      List<String> devices = src.strings(a, "devices", where);
      List<String> officers = src.strings(a, "officers", where);
      List<String> recordings = src.strings(a, "recordings", where);
      Optional<String> place = src.optionalString(a, "place", where);
      try {
        EnforcementAction.Builder b =
            EnforcementAction.builder()
                .id(id)
                .type(type)
                .span(span)
                .stages(stages)
                .deviceIds(devices)
                .officerIds(officers)
                .recordingIds(recordings);
        place.ifPresent(b::place);
        out.add(b.build());
      } catch (IllegalArgumentException e) {
        throw src.error(where, e.getMessage());
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static List<WrittenDocument> documents(Source src) throws IOException {
    List<WrittenDocument> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    List<JsonNode> list = src.list(DOCUMENTS_FORMAT, "documents");
    for (int i = 0; i < list.size(); i++) {
      JsonNode d = list.get(i);
      src.members(
          d, "document #" + (i + 1), Set.of("id", "kind", "start", "end", "recordings", "actions"));
      String id = src.id(d, "document", i, ids);
      String where = "document " + shown(id);
      String kind = src.optionalString(d, "kind", where).orElse("document");
      Interval stated = src.interval(d, where);
      out.add(
          new WrittenDocument(
              id,
              kind,
              stated,
              src.strings(d, "recordings", where),
              src.strings(d, "actions", where)));
    }
    return Collections.unmodifiableList(out);
  }

  private static Map<String, DeviceFacts> devices(Source src) throws IOException {
    Map<String, DeviceFacts> out = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    List<JsonNode> list = src.list(DEVICES_FORMAT, "devices");
    for (int i = 0; i < list.size(); i++) {
      JsonNode d = list.get(i);
      src.members(d, "device #" + (i + 1), Set.of("id", "officer", "clockOffsetMs", "ingested"));
      String id = src.id(d, "device", i, ids);
      String where = "device " + shown(id);
      Optional<Duration> offset = Optional.empty();
      JsonNode o = d.get("clockOffsetMs");
      if (o != null) {
        if (!o.isIntegralNumber() || !o.canConvertToLong()) {
          throw src.error(where, "'clockOffsetMs' must be an integer, not " + shown(o));
        }
        try {
          offset = Optional.of(DeviceFacts.clockOffsetMillis(o.longValue()));
        } catch (IllegalArgumentException e) {
          throw src.error(where, e.getMessage());
        }
      }
      Optional<String> officer = src.optionalString(d, "officer", where);
      Optional<Instant> ingested = src.optionalInstant(d, "ingested", where);
      out.put(id, new DeviceFacts(id, officer, offset, ingested));
    }
    return Collections.unmodifiableMap(out);
  }

  private static Map<String, RecordingMarkers> recordings(Source src) throws IOException {
    Map<String, RecordingMarkers> out = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    List<JsonNode> list = src.list(RECORDINGS_FORMAT, "recordings");
    for (int i = 0; i < list.size(); i++) {
      JsonNode r = list.get(i);
      src.members(
          r, "recording #" + (i + 1), Set.of("id", "partyInformed", "partyInformedBy", "locked"));
      String id = src.id(r, "recording", i, ids);
      String where = "recording " + shown(id);
      JsonNode locked = r.get("locked");
      if (locked != null && !locked.isBoolean()) {
        throw src.error(where, "'locked' must be true or false, not " + shown(locked));
      }
      Optional<Instant> informed = src.optionalInstant(r, "partyInformed", where);
      Optional<String> by = src.optionalString(r, "partyInformedBy", where);
      if (by.isPresent() && informed.isEmpty()) {
        throw src.error(where, "'partyInformedBy' needs 'partyInformed' (when)");
      }
      out.put(id, new RecordingMarkers(id, informed, by, locked != null && locked.booleanValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  private static ContinuityPolicy policy(Source src) throws IOException {
    List<String> types = new ArrayList<>();
    for (JsonNode t : src.list(POLICY_FORMAT, "mandatoryTypes")) {
      if (!t.isTextual() || t.textValue().isBlank()) {
        throw new ContinuityFormatException(
            src.name + ": 'mandatoryTypes' must hold non-empty strings, not " + shown(t));
      }
      types.add(t.textValue());
    }
    return ContinuityPolicy.defaults().withMandatoryTypes(types);
  }
}
