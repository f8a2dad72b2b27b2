package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;

/**
 * The high-water mark of every recording's retention: the longest end ever decided (or permanent).
 * Decisions never go below it, whatever happens to policies, case links or facts, so retention only
 * ever extends. Immutable; {@link #record} returns the next history. Stored as canonical JSON,
 * format {@value #FORMAT}.
 */
public final class RetentionHistory {
  public static final String FORMAT = "evidencekit.retention-history/1";
  private static final StrictJson JSON = new StrictJson(RetentionFormatException::new);

  /** A recording's high-water mark: the latest fixed end ever decided, and whether permanent. */
  public static final class Mark {
    final Instant until;
    final boolean permanent;

    Mark(Instant until, boolean permanent) {
      this.until = until;
      this.permanent = permanent;
    }

    public Optional<Instant> until() {
      return Optional.ofNullable(until);
    }

    public boolean permanent() {
      return permanent;
    }
  }

  private final Map<String, Mark> marks;

  private RetentionHistory(Map<String, Mark> marks) {
    this.marks = Collections.unmodifiableMap(new TreeMap<>(marks));
  }

  public static RetentionHistory empty() {
    return new RetentionHistory(Map.of());
  }

  public Optional<Mark> mark(String recordingId) {
    return Optional.ofNullable(marks.get(recordingId));
  }

  /** This history raised by the decision (never lowered). */
  public RetentionHistory record(RetentionDecision d) {
    requireNonNull(d, "decision");
    Map<String, Mark> next = new LinkedHashMap<>(marks);
    Mark old = marks.get(d.recordingId());
    boolean permanent = d.permanent() || (old != null && old.permanent);
    Instant u = d.latestFixedEnd().orElse(null);
    if (old != null && old.until != null && (u == null || old.until.isAfter(u))) {
      u = old.until;
    }
    Mark now = new Mark(u, permanent);
    next.put(d.recordingId(), now);
    return new RetentionHistory(next);
  }

  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    Map<String, Object> ms = new LinkedHashMap<>();
    marks.forEach(
        (id, mark) -> {
          Map<String, Object> e = new LinkedHashMap<>();
          if (mark.permanent) {
            e.put("permanent", true);
          }
          if (mark.until != null) {
            e.put("until", mark.until.toString());
          }
          ms.put(id, e);
        });
    m.put("marks", ms);
    return CanonicalJson.encode(m);
  }

  public static RetentionHistory parse(byte[] json) throws RetentionFormatException {
    try {
      JsonNode root = JSON.requireObject(JSON.parse(json), "history", Set.of("format", "marks"));
      if (!JSON.string(root, "format").equals(FORMAT)) {
        throw new RetentionFormatException("format must be " + FORMAT);
      }
      Map<String, Mark> marks = new LinkedHashMap<>();
      JsonNode ms =
          JSON.requireObject(JSON.required(root, "marks"), "marks", anyKeys(root.get("marks")));
      for (var e : ms.properties()) {
        JsonNode v = JSON.requireObject(e.getValue(), "mark", Set.of("until", "permanent"));
        boolean perm = v.path("permanent").asBoolean(false);
        marks.put(e.getKey(), new Mark(RetentionFacts.optInstant(v, "until"), perm));
      }
      return new RetentionHistory(marks);
    } catch (RetentionFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new RetentionFormatException("bad retention history: " + e.getMessage());
    }
  }

  private static Set<String> anyKeys(JsonNode n) {
    Set<String> s = new java.util.HashSet<>();
    if (n != null) {
      n.fieldNames().forEachRemaining(s::add);
    }
    return s;
  }

  static long maxSafe() {
    return CanonicalJson.MAX_SAFE_INTEGER;
  }
}
