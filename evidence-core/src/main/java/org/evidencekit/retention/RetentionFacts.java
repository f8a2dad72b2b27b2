package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.evidencekit.internal.json.StrictJson;

/**
 * The facts retention is decided from: recordings (when they ended and were ingested, what they
 * are, which cases they belong to, the holds placed on them) and cases (their file class and when
 * the file was archived). Stored as JSON, format {@value #FORMAT}; see {@code docs/retention.md}.
 */
public final class RetentionFacts {
  public static final String FORMAT = "evidencekit.retention-facts/1";

  private static final StrictJson JSON = new StrictJson(RetentionFormatException::new);

  /**
   * Instants outside these years are refused as absurd (a typo, or an attack on the arithmetic).
   */
  static final int MIN_YEAR = 1900;

  static final int MAX_YEAR = 9999;

  private final Map<String, Recording> recordings;
  private final Map<String, Case> cases;
  private final List<String> rejectedRows;

  private RetentionFacts(
      Map<String, Recording> recordings, Map<String, Case> cases, List<String> rejectedRows) {
    this.recordings = Collections.unmodifiableMap(new LinkedHashMap<>(recordings));
    this.cases = Collections.unmodifiableMap(new LinkedHashMap<>(cases));
    this.rejectedRows = List.copyOf(rejectedRows);
  }

  public static RetentionFacts of(List<Recording> recordings, List<Case> cases) {
    Map<String, Recording> r = new LinkedHashMap<>();
    for (Recording x : recordings) {
      if (r.put(x.id, x) != null) {
        throw new IllegalArgumentException("recording " + x.id + " appears twice");
      }
    }
    Map<String, Case> c = new LinkedHashMap<>();
    for (Case x : cases) {
      if (c.put(x.id, x) != null) {
        throw new IllegalArgumentException("case " + x.id + " appears twice");
      }
    }
    for (Recording x : recordings) {
      for (String id : x.caseIds) {
        if (!c.containsKey(id)) {
          throw new IllegalArgumentException("recording " + x.id + " names unknown case " + id);
        }
      }
    }
    return new RetentionFacts(r, c, List.of());
  }

  /**
   * Recording rows of a facts document that could not be read, one line each naming the row (its
   * number from 1, and its id when it has one) and what is wrong. The rest of the document is
   * decided as usual; a plan reports these rows instead of failing as a whole.
   */
  public List<String> rejectedRows() {
    return rejectedRows;
  }

  public List<Recording> recordings() {
    return List.copyOf(recordings.values());
  }

  public Optional<Recording> recording(String id) {
    return Optional.ofNullable(recordings.get(id));
  }

  public List<Case> cases() {
    return List.copyOf(cases.values());
  }

  public Optional<Case> caseFacts(String id) {
    return Optional.ofNullable(cases.get(id));
  }

  /** A hold: while not released, the recording cannot be disposed of, whatever its retention. */
  public static final class Hold {
    private final String id;
    private final String kind;
    private final String reason;
    private final String by;
    private final Instant placedAt;
    private final Instant releasedAt;

    public Hold(
        String id, String kind, String reason, String by, Instant placedAt, Instant releasedAt) {
      this.id = requireNonNull(id, "id");
      this.kind = requireNonNull(kind, "kind");
      this.reason = requireNonNull(reason, "reason");
      this.by = requireNonNull(by, "by");
      this.placedAt = requireNonNull(placedAt, "placedAt");
      this.releasedAt = releasedAt;
      if (releasedAt != null && releasedAt.isBefore(placedAt)) {
        throw new IllegalArgumentException("hold " + id + " released before it was placed");
      }
    }

    public String id() {
      return id;
    }

    /** legal, investigation, appeal, spot-check, … */
    public String kind() {
      return kind;
    }

    public String reason() {
      return reason;
    }

    public String by() {
      return by;
    }

    public Instant placedAt() {
      return placedAt;
    }

    public Optional<Instant> releasedAt() {
      return Optional.ofNullable(releasedAt);
    }

    /** Whether the hold is in force at {@code t}. */
    public boolean inForceAt(Instant t) {
      return !placedAt.isAfter(t) && (releasedAt == null || releasedAt.isAfter(t));
    }
  }

  /** What retention needs to know about one recording. */
  public static final class Recording {
    private final String id;
    private final Instant recordingEnd;
    private final Instant ingestTime;
    private final String mediaType;
    private final String deviceType;
    private final List<String> actionTypes;
    private final List<String> caseIds;
    private final List<Hold> holds;
    private final String objectKey;
    private final String sealRoot;
    private final String custodian;

    private Recording(Builder b) {
      this.id = b.id;
      this.recordingEnd = b.recordingEnd;
      this.ingestTime = b.ingestTime;
      this.mediaType = b.mediaType;
      this.deviceType = b.deviceType;
      this.actionTypes = List.copyOf(b.actionTypes);
      this.caseIds = List.copyOf(b.caseIds);
      this.holds = List.copyOf(b.holds);
      this.objectKey = b.objectKey;
      this.sealRoot = b.sealRoot;
      this.custodian = b.custodian;
    }

    public static Builder builder(String id) {
      return new Builder(id);
    }

    public String id() {
      return id;
    }

    public Instant recordingEnd() {
      return recordingEnd;
    }

    public Optional<Instant> ingestTime() {
      return Optional.ofNullable(ingestTime);
    }

    public Optional<String> mediaType() {
      return Optional.ofNullable(mediaType);
    }

    public Optional<String> deviceType() {
      return Optional.ofNullable(deviceType);
    }

    public List<String> actionTypes() {
      return actionTypes;
    }

    public List<String> caseIds() {
      return caseIds;
    }

    public List<Hold> holds() {
      return holds;
    }

    /** Where the recording is stored (an object key), for push-down and disposition. */
    public Optional<String> objectKey() {
      return Optional.ofNullable(objectKey);
    }

    /** The seal root, kept in the tombstone when the recording is disposed of. */
    public Optional<String> sealRoot() {
      return Optional.ofNullable(sealRoot);
    }

    /** Who keeps the recording (Art. 9, R-07), told ahead of its disposal. */
    public Optional<String> custodian() {
      return Optional.ofNullable(custodian);
    }

    /**
     * A builder holding this recording's values; each may be replaced once (as each setting of a
     * fresh builder may be made once).
     */
    public Builder toBuilder() {
      Builder b = new Builder(id);
      b.recordingEnd = recordingEnd;
      b.ingestTime = ingestTime;
      b.mediaType = mediaType;
      b.deviceType = deviceType;
      b.actionTypes.addAll(actionTypes);
      b.caseIds.addAll(caseIds);
      b.holds.addAll(holds);
      b.objectKey = objectKey;
      b.sealRoot = sealRoot;
      b.custodian = custodian;
      return b;
    }

    public static final class Builder {
      private final String id;
      private Instant recordingEnd;
      private Instant ingestTime;
      private String mediaType;
      private String deviceType;
      private final List<String> actionTypes = new ArrayList<>();
      private final List<String> caseIds = new ArrayList<>();
      private final List<Hold> holds = new ArrayList<>();
      private String objectKey;
      private String sealRoot;
      private String custodian;

      private final Set<String> set = new HashSet<>();

      private Builder(String id) {
        this.id = requireNonNull(id, "id");
      }

      /** A setting made twice is a caller's mistake: the first value would be silently lost. */
      private void once(String name) {
        if (!set.add(name)) {
          throw new IllegalStateException(name + " of recording " + id + " was already set");
        }
      }

      /** When the recording ended: retention counts from it (Art. 19); required. */
      public Builder recordingEnd(Instant v) {
        once("recordingEnd");
        this.recordingEnd = requireNonNull(v, "recordingEnd");
        return this;
      }

      public Builder ingestTime(Instant v) {
        once("ingestTime");
        this.ingestTime = requireNonNull(v, "ingestTime");
        return this;
      }

      public Builder mediaType(String v) {
        once("mediaType");
        this.mediaType = requireNonNull(v, "mediaType");
        return this;
      }

      public Builder deviceType(String v) {
        once("deviceType");
        this.deviceType = requireNonNull(v, "deviceType");
        return this;
      }

      public Builder addActionType(String v) {
        actionTypes.add(requireNonNull(v, "actionType"));
        return this;
      }

      public Builder addCaseId(String v) {
        caseIds.add(requireNonNull(v, "caseId"));
        return this;
      }

      public Builder addHold(Hold h) {
        holds.add(requireNonNull(h, "hold"));
        return this;
      }

      public Builder objectKey(String v) {
        once("objectKey");
        this.objectKey = requireNonNull(v, "objectKey");
        return this;
      }

      public Builder sealRoot(String v) {
        once("sealRoot");
        this.sealRoot = requireNonNull(v, "sealRoot");
        return this;
      }

      public Builder custodian(String v) {
        once("custodian");
        this.custodian = requireNonNull(v, "custodian");
        return this;
      }

      /**
       * The recording.
       *
       * @throws IllegalStateException if its recordingEnd is missing
       */
      public Recording build() {
        if (recordingEnd == null) {
          throw new IllegalStateException("recording " + id + " needs a recordingEnd");
        }
        return new Recording(this);
      }
    }
  }

  /** A case file: its retention class and when it was archived (absent while open). */
  public static final class Case {
    private final String id;
    private final String caseClass;
    private final Instant archivedAt;

    public Case(String id, String caseClass, Instant archivedAt) {
      this.id = requireNonNull(id, "id");
      this.caseClass = requireNonNull(caseClass, "caseClass");
      this.archivedAt = archivedAt;
    }

    public String id() {
      return id;
    }

    /** e.g. {@code 10y}, {@code 30y}, {@code permanent}: matched by rules' caseClass. */
    public String caseClass() {
      return caseClass;
    }

    public Optional<Instant> archivedAt() {
      return Optional.ofNullable(archivedAt);
    }
  }

  // ------------------------------------------------------------------ JSON

  private static final Set<String> TOP = Set.of("format", "recordings", "cases");
  private static final Set<String> REC =
      Set.of(
          "id",
          "recordingEnd",
          "ingestTime",
          "mediaType",
          "deviceType",
          "actionTypes",
          "caseIds",
          "holds",
          "objectKey",
          "sealRoot",
          "custodian");
  private static final Set<String> HOLD =
      Set.of("id", "kind", "reason", "by", "placedAt", "releasedAt");
  private static final Set<String> CASE = Set.of("id", "class", "archivedAt");

  /** Parses facts JSON. */
  public static RetentionFacts parse(byte[] json) throws RetentionFormatException {
    try {
      JsonNode root = JSON.requireObject(JSON.parse(json), "facts", TOP);
      if (!JSON.string(root, "format").equals(FORMAT)) {
        throw new RetentionFormatException("format must be " + FORMAT);
      }
      List<Case> cases = new ArrayList<>();
      if (root.has("cases")) {
        for (JsonNode c : JSON.array(root, "cases", 1_000_000)) {
          JSON.requireObject(c, "case", CASE);
          cases.add(
              new Case(JSON.string(c, "id"), JSON.string(c, "class"), optInstant(c, "archivedAt")));
        }
      }
      Map<String, Case> caseById = new LinkedHashMap<>();
      for (Case c : cases) {
        if (caseById.put(c.id(), c) != null) {
          throw new RetentionFormatException("case " + c.id() + " appears twice");
        }
      }
      Map<String, Recording> recs = new LinkedHashMap<>();
      List<String> rejected = new ArrayList<>();
      int row = 0;
      for (JsonNode r : JSON.array(root, "recordings", 10_000_000)) {
        row++;
        String id = r.path("id").isTextual() ? r.path("id").textValue() : null;
        try {
          Recording rec = recording(r);
          for (String c : rec.caseIds()) {
            if (!caseById.containsKey(c)) {
              throw new RetentionFormatException("names unknown case " + c);
            }
          }
          if (recs.containsKey(rec.id())) {
            throw new RetentionFormatException("appears twice (the first is kept)");
          }
          recs.put(rec.id(), rec);
        } catch (IOException | RuntimeException e) {
          rejected.add(
              "recording row "
                  + row
                  + (id == null ? "" : " (" + CsvCell.printable(id) + ")")
                  + ": "
                  + e.getMessage());
        }
      }
      return new RetentionFacts(recs, caseById, rejected);
    } catch (RetentionFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new RetentionFormatException("bad retention facts: " + e.getMessage());
    }
  }

  private static Recording recording(JsonNode r) throws IOException {
    JSON.requireObject(r, "recording", REC);
    Recording.Builder b =
        Recording.builder(JSON.string(r, "id")).recordingEnd(instant(r, "recordingEnd"));
    Instant ingested = optInstant(r, "ingestTime");
    if (ingested != null) {
      b.ingestTime(ingested);
    }
    setIfPresent(optString(r, "mediaType"), b::mediaType);
    setIfPresent(optString(r, "deviceType"), b::deviceType);
    setIfPresent(optString(r, "objectKey"), b::objectKey);
    setIfPresent(optString(r, "sealRoot"), b::sealRoot);
    setIfPresent(optString(r, "custodian"), b::custodian);
    for (String s : strings(r, "actionTypes")) {
      b.addActionType(s);
    }
    for (String s : strings(r, "caseIds")) {
      b.addCaseId(s);
    }
    if (r.has("holds")) {
      for (JsonNode h : JSON.array(r, "holds", 10_000)) {
        JSON.requireObject(h, "hold", HOLD);
        b.addHold(
            new Hold(
                JSON.string(h, "id"),
                JSON.string(h, "kind"),
                JSON.string(h, "reason"),
                JSON.string(h, "by"),
                instant(h, "placedAt"),
                optInstant(h, "releasedAt")));
      }
    }
    return b.build();
  }

  static Instant instant(JsonNode n, String f) throws IOException {
    String s = JSON.string(n, f);
    try {
      Instant t = Instant.parse(s);
      int year = t.atOffset(ZoneOffset.UTC).getYear();
      if (year < MIN_YEAR || year > MAX_YEAR) {
        throw new RetentionFormatException(
            "'" + f + "' = '" + s + "' is outside the years " + MIN_YEAR + " to " + MAX_YEAR);
      }
      return t;
    } catch (java.time.format.DateTimeParseException e) {
      throw new RetentionFormatException(
          "'" + f + "' = '" + s + "' is not an ISO-8601 UTC instant (e.g. 2023-06-01T14:10:00Z)");
    }
  }

  static Instant optInstant(JsonNode n, String f) throws IOException {
    return n.hasNonNull(f) ? instant(n, f) : null;
  }

  static String optString(JsonNode n, String f) throws IOException {
    return n.hasNonNull(f) ? JSON.string(n, f) : null;
  }

  static List<String> strings(JsonNode n, String f) throws IOException {
    List<String> out = new ArrayList<>();
    if (!n.has(f)) {
      return out;
    }
    for (JsonNode s : JSON.array(n, f, 10_000)) {
      if (!s.isTextual()) {
        throw new RetentionFormatException("'" + f + "' must hold strings");
      }
      out.add(s.textValue());
    }
    return out;
  }

  private static void setIfPresent(String value, Consumer<String> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
