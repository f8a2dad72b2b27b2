package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides retention as a pure function of (policy, facts, history, instant): same inputs, same
 * decision, with a derivation a person can read. The regulation's floor (two years from
 * recording end; case-linked recordings as long as the case file) always applies, the longest rule
 * wins, holds and open events block disposal, and nothing ever ends earlier than the history's
 * high-water mark.
 */
public final class RetentionEngine {
  private RetentionEngine() {}

  /** Decides every recording of {@code facts}. */
  public static List<RetentionDecision> decideAll(
      RetentionPolicy policy, RetentionFacts facts, RetentionHistory history, Instant at) {
    List<RetentionDecision> out = new ArrayList<>();
    for (RetentionFacts.Recording r : facts.recordings()) {
      out.add(decide(policy, facts, history, r.id(), at));
    }
    return out;
  }

  /**
   * Decides one recording.
   *
   * @throws IllegalArgumentException if the facts do not know the recording
   */
  public static RetentionDecision decide(
      RetentionPolicy policy,
      RetentionFacts facts,
      RetentionHistory history,
      String recordingId,
      Instant at) {
    requireNonNull(policy, "policy");
    requireNonNull(facts, "facts");
    requireNonNull(history, "history");
    requireNonNull(recordingId, "recordingId");
    requireNonNull(at, "at");
    RetentionFacts.Recording r =
        facts
            .recording(recordingId)
            .orElseThrow(() -> new IllegalArgumentException("no recording " + recordingId));
    try {
      return decide(policy, facts, history, r, at);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("recording " + recordingId + ": " + e.getMessage(), e);
    }
  }

  private static RetentionDecision decide(
      RetentionPolicy policy,
      RetentionFacts facts,
      RetentionHistory history,
      RetentionFacts.Recording r,
      Instant at) {
    ZoneId zone = policy.zone();
    List<String> why = new ArrayList<>();
    List<String> open = new ArrayList<>();
    boolean permanent = false;
    Instant until = null;

    // Art. 19: at least two years from the end of the recording.
    Instant floor = end(RetentionPolicy.FLOOR_MINIMUM, r.recordingEnd(), Period.ofYears(2), zone);
    why.add(
        RetentionPolicy.FLOOR_MINIMUM
            + ": recording ended "
            + local(r.recordingEnd(), zone)
            + " + P2Y, kept through that day -> disposable from "
            + local(floor, zone));
    until = floor;

    // Art. 19: a recording used as evidence is kept as long as its case file.
    for (String caseId : r.caseIds()) {
      RetentionFacts.Case c = facts.caseFacts(caseId).orElseThrow();
      Optional<Period> term = policy.caseTerm(c.caseClass());
      if (term.isEmpty()) {
        permanent = true;
        why.add(
            RetentionPolicy.FLOOR_CASE
                + ": case "
                + caseId
                + " is of class '"
                + c.caseClass()
                + "', kept permanently");
      } else if (c.archivedAt().isEmpty()) {
        open.add("case " + caseId + " is not archived yet");
        why.add(
            RetentionPolicy.FLOOR_CASE
                + ": case "
                + caseId
                + " ("
                + c.caseClass()
                + ") is open: held until archived, then "
                + term.get());
      } else {
        Instant e = end(RetentionPolicy.FLOOR_CASE, c.archivedAt().get(), term.get(), zone);
        why.add(
            RetentionPolicy.FLOOR_CASE
                + ": case "
                + caseId
                + " archived "
                + local(c.archivedAt().get(), zone)
                + " + "
                + term.get()
                + " (class "
                + c.caseClass()
                + ") -> disposable from "
                + local(e, zone));
        until = later(until, e);
      }
    }

    for (RetentionRule rule : policy.rules()) {
      if (!rule.matches(r, facts)) {
        continue;
      }
      if (rule.isPermanent()) {
        permanent = true;
        why.add(rule.id() + ": permanent (" + rule.description() + ")");
        continue;
      }
      Period p = rule.period().orElseThrow();
      switch (rule.anchor()) {
        case RECORDING_END:
          {
            Instant e = end(rule.id(), r.recordingEnd(), p, zone);
            why.add(rule.id() + ": recording end + " + p + " -> disposable from " + local(e, zone));
            until = later(until, e);
            break;
          }
        case INGEST:
          if (r.ingestTime().isEmpty()) {
            open.add("recording is not ingested yet (rule " + rule.id() + ")");
            why.add(rule.id() + ": counts from ingest, which has not happened: held");
          } else {
            Instant e = end(rule.id(), r.ingestTime().get(), p, zone);
            why.add(
                rule.id()
                    + ": ingest "
                    + local(r.ingestTime().get(), zone)
                    + " + "
                    + p
                    + " -> disposable from "
                    + local(e, zone));
            until = later(until, e);
          }
          break;
        case CASE_ARCHIVED:
          for (String caseId : r.caseIds()) {
            RetentionFacts.Case c = facts.caseFacts(caseId).orElseThrow();
            if (c.archivedAt().isEmpty()) {
              open.add("case " + caseId + " is not archived yet (rule " + rule.id() + ")");
              why.add(rule.id() + ": case " + caseId + " open: held");
            } else {
              Instant e = end(rule.id(), c.archivedAt().get(), p, zone);
              why.add(
                  rule.id()
                      + ": case "
                      + caseId
                      + " archived + "
                      + p
                      + " -> disposable from "
                      + local(e, zone));
              until = later(until, e);
            }
          }
          break;
        default:
          throw new AssertionError(rule.anchor());
      }
    }

    // The history is kept per subject: the facts' recording id, and the stored object, under whose
    // key the ingest station recorded its decision (R-16: whatever decided it longer still counts).
    boolean refused = false;
    List<String> subjects = new ArrayList<>(List.of(r.id()));
    r.objectKey().filter(k -> !k.equals(r.id())).ifPresent(subjects::add);
    for (String subject : subjects) {
      Optional<RetentionHistory.Mark> mark = history.mark(subject);
      if (mark.isEmpty()) {
        continue;
      }
      String of = subject.equals(r.id()) ? "" : " of its object " + subject;
      RetentionHistory.Mark m = mark.get();
      if (m.permanent() && !permanent) {
        permanent = true;
        refused = true;
        why.add(
            "history: once decided permanent"
                + of
                + ", always permanent (retention never shortens)");
      }
      if (m.until().isPresent() && m.until().get().isAfter(until)) {
        refused |= !permanent && open.isEmpty();
        why.add(
            "history: an earlier decision"
                + of
                + " kept it until "
                + local(m.until().get(), zone)
                + "; retention never shortens");
        until = m.until().get();
      }
    }

    // Art. 19 again, from what the archive itself logged: a recording is sealed into it after it
    // ends, so two years from its `sealed` entry are never more than the regulation asks. Facts are
    // whatever the caller gives, and a recording end years before the one ingested today would make
    // it disposable at once, for an approved plan to destroy. After the marks, so a
    // decision the ingest station recorded from the same time stays the one the derivation names.
    for (String subject : subjects) {
      Optional<Instant> sealedAt = history.sealedAt(subject);
      if (sealedAt.isEmpty()) {
        continue;
      }
      Instant e = end(RetentionPolicy.FLOOR_MINIMUM, sealedAt.get(), Period.ofYears(2), zone);
      if (e.isAfter(until)) {
        why.add(
            RetentionPolicy.FLOOR_MINIMUM
                + ": the ledger logged "
                + subject
                + " sealed into the archive "
                + local(sealedAt.get(), zone)
                + ", after the recording ended, + P2Y -> disposable from "
                + local(e, zone));
        until = e;
      }
    }

    List<RetentionFacts.Hold> holds = new ArrayList<>();
    List<RetentionFacts.Hold> known = new ArrayList<>(r.holds());
    for (String subject : subjects) {
      known.addAll(history.holds(subject));
    }
    for (RetentionFacts.Hold h : known) {
      if (h.inForceAt(at)) {
        holds.add(h);
        why.add(
            "hold "
                + h.id()
                + " ("
                + h.kind()
                + ", "
                + h.reason()
                + ", by "
                + h.by()
                + " since "
                + h.placedAt()
                + ") is in force");
      }
    }
    return new RetentionDecision(
        r.id(), until, permanent, open, holds, at, policy.id(), policy.version(), why, refused);
  }

  /**
   * The first instant at which a recording anchored at {@code anchor} may go: the local midnight
   * after {@code anchor's local date + period}, in {@code zone}. A period ending on a missing 29
   * February ends on 1 March (never a day less).
   */
  public static Instant end(Instant anchor, Period period, ZoneId zone) {
    requireNonNull(anchor, "anchor");
    requireNonNull(period, "period");
    requireNonNull(zone, "zone");
    try {
      LocalDate start = anchor.atZone(zone).toLocalDate();
      return Periods.lastDay(start, period).plusDays(1).atStartOfDay(zone).toInstant();
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException(
          anchor + " + " + period + " is beyond the calendar (" + e.getMessage() + ")");
    }
  }

  /** {@link #end}, naming the rule when the arithmetic leaves the calendar. */
  private static Instant end(String rule, Instant anchor, Period period, ZoneId zone) {
    try {
      return end(anchor, period, zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rule " + rule + ": " + e.getMessage());
    }
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static String local(Instant t, ZoneId zone) {
    return t.atZone(zone).toLocalDateTime() + " " + zone;
  }
}
