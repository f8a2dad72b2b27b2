package org.evidencekit.retention;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.evidencekit.internal.json.Instants;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.LedgerEntry;

/** How retention events are written into ledger entries and read back (docs/retention.md). */
final class RetentionEvents {
  private RetentionEvents() {}

  static final String UNTIL = "until";
  static final String PERMANENT = "permanent";
  static final String POLICY = "policy";
  static final String STATUS = "status";
  static final String HOLD = "hold";
  static final String KIND = "kind";
  static final String REASON = "reason";

  static LedgerEntry decided(RetentionDecision d, String actor, Instant until, boolean permanent) {
    Map<String, String> m = new LinkedHashMap<>();
    if (until != null) {
      m.put(UNTIL, Instants.format(until));
    }
    m.put(PERMANENT, String.valueOf(permanent));
    m.put(POLICY, d.policyId() + " v" + d.policyVersion());
    m.put(STATUS, d.status().name());
    return LedgerEntry.builder()
        .type(EntryType.RETENTION_DECIDED)
        .time(d.evaluatedAt())
        .actor(actor)
        .subject(d.recordingId())
        .details(m)
        .build();
  }

  static LedgerEntry holdPlaced(String recordingId, RetentionFacts.Hold h) {
    return LedgerEntry.builder()
        .type(EntryType.HOLD_PLACED)
        .time(h.placedAt())
        .actor(h.by())
        .subject(recordingId)
        .details(Map.of(HOLD, h.id(), KIND, h.kind(), REASON, h.reason()))
        .build();
  }

  static LedgerEntry holdReleased(
      String recordingId, String holdId, String by, String reason, Instant at) {
    return LedgerEntry.builder()
        .type(EntryType.HOLD_RELEASED)
        .time(at)
        .actor(by)
        .subject(recordingId)
        .details(Map.of(HOLD, holdId, REASON, reason))
        .build();
  }

  static RetentionFacts.Hold hold(LedgerEntry e) throws RetentionFormatException {
    String id = e.details().get(HOLD);
    String kind = e.details().get(KIND);
    String reason = e.details().get(REASON);
    if (id == null || kind == null || reason == null) {
      throw new RetentionFormatException(
          "ledger hold entry for " + e.subject() + " lacks hold, kind or reason");
    }
    return new RetentionFacts.Hold(id, kind, reason, e.actor(), e.time(), null);
  }

  static RetentionFacts.Hold released(RetentionFacts.Hold h, Instant at) {
    Instant when = at.isBefore(h.placedAt()) ? h.placedAt() : at;
    return new RetentionFacts.Hold(h.id(), h.kind(), h.reason(), h.by(), h.placedAt(), when);
  }

  static Instant instant(LedgerEntry e, String field) throws RetentionFormatException {
    String v = e.details().get(field);
    if (v == null) {
      return null;
    }
    try {
      return Instants.parse(v);
    } catch (DateTimeParseException x) {
      throw new RetentionFormatException(
          "ledger " + e.type() + " entry for " + e.subject() + ": '" + field + "' = " + v);
    }
  }
}
