package org.evidencekit.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.Interval;
import org.evidencekit.continuity.WrittenDocument;

/**
 * The input files of {@code evidence analyze}, read strictly: an unknown or misspelled member, a
 * value of the wrong kind, a null or empty id or type and a repeated id are one-line errors, never
 * silently dropped (a dropped {@code devices} filter would let another device's file cover an
 * action).
 */
final class AnalyzeInputs {
  /**
   * Largest input file read (actions, documents, devices, recordings, policy): real ones are
   * kilobytes, and each is read whole into a JSON tree, which costs many times its text.
   */
  static final long MAX_INPUT_BYTES = 64L << 20;

  static final String ACTIONS = "evidencekit.actions/1";
  static final String DOCUMENTS = "evidencekit.documents/1";
  static final String DEVICES = "evidencekit.devices/1";
  static final String RECORDINGS = "evidencekit.recordings/1";
  static final String POLICY = "evidencekit.continuity-policy/1";

  private AnalyzeInputs() {}

  /** What a devices file says about one device (R-08, R-14, Art. 9). */
  record DeviceFacts(
      String id,
      Optional<String> officer,
      Optional<Duration> clockOffset,
      Optional<Instant> ingested) {}

  /** Art. 12 and loop-recording markers of one recording. */
  record RecordingMarkers(
      String id,
      Optional<Instant> partyInformed,
      Optional<String> partyInformedBy,
      boolean locked) {}

  private static JsonNode root(Path p, String what, String format, String listMember) {
    JsonNode root;
    try {
      byte[] bytes = Cli.readBounded(p, MAX_INPUT_BYTES, what);
      ObjectMapper mapper =
          new ObjectMapper()
              .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
              .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
      root = mapper.readTree(bytes);
    } catch (IOException e) {
      throw new EvidenceCommand.UsageException(
          what + " " + p + " is not valid JSON" + duplicateHint(e));
    }
    if (root == null || !root.isObject() || !format.equals(root.path("format").asText())) {
      throw new EvidenceCommand.UsageException(what + " " + p + ": format must be " + format);
    }
    members(root, what + " " + p, Set.of("format", listMember));
    JsonNode list = root.get(listMember);
    if (list == null || !list.isArray()) {
      throw new EvidenceCommand.UsageException(
          what + " " + p + ": '" + listMember + "' must be a list");
    }
    return list;
  }

  private static String duplicateHint(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith("Duplicate field") ? ": " + m.lines().findFirst().orElse(m) : "";
  }

  private static void members(JsonNode n, String where, Set<String> allowed) {
    if (!n.isObject()) {
      throw new EvidenceCommand.UsageException(where + ": must be a JSON object");
    }
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new EvidenceCommand.UsageException(
            where + ": unknown member '" + name + "' (allowed: " + sorted(allowed) + ")");
      }
    }
  }

  private static String sorted(Set<String> s) {
    return String.join(", ", s.stream().sorted().toList());
  }

  private static String requiredString(JsonNode n, String field, String where) {
    return optionalString(n, field, where)
        .orElseThrow(() -> new EvidenceCommand.UsageException(where + ": missing '" + field + "'"));
  }

  private static Optional<String> optionalString(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new EvidenceCommand.UsageException(
          where + ": '" + field + "' must be a non-empty string, not " + v);
    }
    return Optional.of(v.asText());
  }

  /** Times an enforcement record can hold; beyond them durations would overflow. */
  static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

  static final Instant LATEST = Instant.parse("2199-12-31T23:59:59Z");

  /** A device clock off by more than a year is not a measurement but a typo. */
  static final Duration MAX_CLOCK_OFFSET = Duration.ofDays(366);

  private static Instant instant(String s, String field, String where) {
    Instant t;
    try {
      t = Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new EvidenceCommand.UsageException(
          where
              + ": '"
              + field
              + "' = '"
              + s
              + "' is not an ISO-8601 instant with Z or an offset (2023-06-01T22:10:00+08:00)");
    }
    if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
      throw new EvidenceCommand.UsageException(
          where + ": '" + field + "' = '" + s + "' lies outside 1970 to 2199");
    }
    return t;
  }

  static Duration clockOffset(long millis, String where) {
    Duration d = Duration.ofMillis(millis);
    if (d.abs().compareTo(MAX_CLOCK_OFFSET) > 0) {
      throw new EvidenceCommand.UsageException(
          where + ": a clock offset of " + millis + " ms is more than a year");
    }
    return d;
  }

  private static Instant requiredInstant(JsonNode n, String field, String where) {
    return instant(requiredString(n, field, where), field, where);
  }

  private static Optional<Instant> optionalInstant(JsonNode n, String field, String where) {
    return optionalString(n, field, where).map(s -> instant(s, field, where));
  }

  private static List<String> strings(JsonNode n, String field, String where) {
    JsonNode v = n.get(field);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw new EvidenceCommand.UsageException(where + ": '" + field + "' must be a list");
    }
    Set<String> seen = new HashSet<>();
    for (JsonNode x : v) {
      if (!x.isTextual() || x.asText().isBlank()) {
        throw new EvidenceCommand.UsageException(
            where + ": '" + field + "' must hold non-empty strings, not " + x);
      }
      if (!seen.add(x.asText())) {
        throw new EvidenceCommand.UsageException(
            where + ": '" + field + "' names " + x.asText() + " twice");
      }
      out.add(x.asText());
    }
    return out;
  }

  private static Interval interval(JsonNode n, String where) {
    Instant s = requiredInstant(n, "start", where);
    Instant e = requiredInstant(n, "end", where);
    if (e.isBefore(s)) {
      throw new EvidenceCommand.UsageException(where + ": ends before it starts");
    }
    return new Interval(s, e);
  }

  private static String id(JsonNode n, String kind, int index, Set<String> seen) {
    String id = requiredString(n, "id", kind + " #" + (index + 1));
    if (!seen.add(id)) {
      throw new EvidenceCommand.UsageException(kind + " " + id + " appears twice");
    }
    return id;
  }

  static List<EnforcementAction> readActions(Path p) {
    JsonNode list = root(p, "actions", ACTIONS, "actions");
    List<EnforcementAction> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode a : list) {
      members(
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
      String id = id(a, "action", i++, ids);
      String where = "action " + id;
      String type = requiredString(a, "type", where);
      List<EnforcementAction.Stage> stages = new ArrayList<>();
      JsonNode ss = a.get("stages");
      if (ss != null && !ss.isArray()) {
        throw new EvidenceCommand.UsageException(where + ": 'stages' must be a list");
      }
      if (ss != null) {
        for (JsonNode s : ss) {
          members(s, where + " stage", Set.of("name", "start", "end"));
          String name = requiredString(s, "name", where + " stage");
          stages.add(new EnforcementAction.Stage(name, interval(s, where + " stage " + name)));
        }
      }
      try {
        EnforcementAction.Builder b =
            EnforcementAction.builder()
                .id(id)
                .type(type)
                .span(interval(a, where))
                .stages(stages)
                .deviceIds(strings(a, "devices", where))
                .officerIds(strings(a, "officers", where))
                .recordingIds(strings(a, "recordings", where));
        optionalString(a, "place", where).ifPresent(b::place);
        out.add(b.build());
      } catch (IllegalArgumentException e) {
        throw new EvidenceCommand.UsageException(where + ": " + e.getMessage());
      }
    }
    return out;
  }

  static List<WrittenDocument> readDocuments(Path p) {
    JsonNode list = root(p, "documents", DOCUMENTS, "documents");
    List<WrittenDocument> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode d : list) {
      members(
          d, "document #" + (i + 1), Set.of("id", "kind", "start", "end", "recordings", "actions"));
      String id = id(d, "document", i++, ids);
      String where = "document " + id;
      out.add(
          new WrittenDocument(
              id,
              optionalString(d, "kind", where).orElse("document"),
              interval(d, where),
              strings(d, "recordings", where),
              strings(d, "actions", where)));
    }
    return out;
  }

  static Map<String, DeviceFacts> readDevices(Path p) {
    JsonNode list = root(p, "devices", DEVICES, "devices");
    Map<String, DeviceFacts> out = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode d : list) {
      members(d, "device #" + (i + 1), Set.of("id", "officer", "clockOffsetMs", "ingested"));
      String id = id(d, "device", i++, ids);
      String where = "device " + id;
      Optional<Duration> offset = Optional.empty();
      JsonNode o = d.get("clockOffsetMs");
      if (o != null) {
        if (!o.isIntegralNumber() || !o.canConvertToLong()) {
          throw new EvidenceCommand.UsageException(
              where + ": 'clockOffsetMs' must be an integer, not " + o);
        }
        offset = Optional.of(clockOffset(o.asLong(), where));
      }
      out.put(
          id,
          new DeviceFacts(
              id,
              optionalString(d, "officer", where),
              offset,
              optionalInstant(d, "ingested", where)));
    }
    return out;
  }

  static Map<String, RecordingMarkers> readRecordings(Path p) {
    JsonNode list = root(p, "recordings", RECORDINGS, "recordings");
    Map<String, RecordingMarkers> out = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    int i = 0;
    for (JsonNode r : list) {
      members(
          r, "recording #" + (i + 1), Set.of("id", "partyInformed", "partyInformedBy", "locked"));
      String id = id(r, "recording", i++, ids);
      String where = "recording " + id;
      JsonNode locked = r.get("locked");
      if (locked != null && !locked.isBoolean()) {
        throw new EvidenceCommand.UsageException(
            where + ": 'locked' must be true or false, not " + locked);
      }
      Optional<Instant> informed = optionalInstant(r, "partyInformed", where);
      Optional<String> by = optionalString(r, "partyInformedBy", where);
      if (by.isPresent() && informed.isEmpty()) {
        throw new EvidenceCommand.UsageException(
            where + ": 'partyInformedBy' needs 'partyInformed' (when)");
      }
      out.put(id, new RecordingMarkers(id, informed, by, locked != null && locked.asBoolean()));
    }
    return out;
  }

  /** The mandatory types a policy file adds (Art. 13(5)). */
  static List<String> readPolicy(Path p) {
    JsonNode list = root(p, "policy", POLICY, "mandatoryTypes");
    List<String> out = new ArrayList<>();
    for (JsonNode t : list) {
      if (!t.isTextual() || t.asText().isBlank()) {
        throw new EvidenceCommand.UsageException(
            "policy " + p + ": 'mandatoryTypes' must hold non-empty strings, not " + t);
      }
      out.add(t.asText());
    }
    return out;
  }
}
