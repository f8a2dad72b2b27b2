package org.evidencekit.ledger;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evidencekit.verify.Finding;

/**
 * The ledger's time rules (R-04, R-14, R-16; docs/ledger.md, "Entries"): where an entry's time may
 * fall, given the entries before it and the clock of whoever judges. One walk over entries in log
 * order: {@link #refusal} judges the next entry, {@link #take} moves past it. The append path
 * judges each entry before it is written; {@link EvidenceLedger#verify} judges every stored entry
 * the same way, so an entry written around the library is named too.
 *
 * <p>Not thread-safe: one walk per judgement.
 */
final class EntryTimeRules {
  /**
   * How far before the ledger's latest entry time an entry may be: the clocks of honest stations
   * differ by this much, and a station whose clock is this much behind takes the ledger's time
   * ({@code HighWaterMarkClock}, {@code IngestStation}'s default tolerance). Further behind is a
   * clock that ran backwards, or an event logged as earlier than it happened.
   */
  static final Duration MAX_BEHIND = Duration.ofMinutes(2);

  /**
   * How far after the ledger's latest entry time an entry may be without a named acceptance of the
   * jump: the trusted clock's default bound. The latest time anchors the trusted clock and the
   * retention of what is ingested; an entry years ahead moved both.
   */
  static final Duration MAX_AHEAD = Duration.ofDays(31);

  /**
   * How far after the judge's own clock an entry may be. The trusted clock answers the ledger's
   * latest time when the wall clock is up to {@link #MAX_BEHIND} behind it, so an honest entry may
   * carry another station's time that much ahead of this one; further ahead it is in this machine's
   * future, which no acceptance can make true. Without this bound the first entry set the ledger's
   * time unchecked (one stamped in 3026 left every later entry "behind"), and a jump accepted every
   * 31 days walked the ledger to any date.
   */
  static final Duration MAX_AFTER_CLOCK = MAX_BEHIND;

  /**
   * Entries that log a record stored before them, at the record's own time: a disposition plan, an
   * approval, a disposal's tombstone, a destruction register, and the retention decisions a plan
   * records. Each record is written create-only and kept for good first, timed by the trusted clock
   * when it is made; a run that stopped between the record and its entry is completed by a later
   * run, which logs the record as it is, however long after. So they may trail the latest time, but
   * not precede what every such record follows: the ledger's first entry, and the live {@code
   * sealed} entry of the recording they concern (no decision or disposal of a recording is made
   * before it is sealed).
   */
  static final Set<String> RECORD_TIMED =
      Set.of(
          EntryType.RETENTION_DECIDED,
          EntryType.DISPOSITION_PLANNED,
          EntryType.DISPOSITION_APPROVED,
          EntryType.DISPOSAL_INTENDED,
          EntryType.DISPOSED,
          EntryType.DISPOSAL_REFUSED,
          EntryType.DISPOSAL_MISSING,
          EntryType.DESTRUCTION_REGISTERED);

  /** The judge's clock reading; null when there is none to bound by. */
  private final Instant now;

  private Instant first;
  private Instant latest;

  /**
   * A walk that starts after entries whose first and latest times are given (both null for an empty
   * log), judged at {@code now}. {@code first} may be null over a non-empty log when no
   * record-timed entry is judged (the only ones it bounds).
   */
  EntryTimeRules(Instant first, Instant latest, Instant now) {
    this.first = first;
    this.latest = latest;
    this.now = now;
  }

  /** Moves past {@code e}, taken into the log. */
  void take(LedgerEntry e) {
    if (latest == null) {
      first = e.time(); // the log's first entry (a walk over a non-empty log was given its own)
    }
    latest = later(latest, e.time());
  }

  /** Where the time of a recording's live {@code sealed} entry is looked up. */
  interface SealedTimes {
    /** The time of the live {@code sealed} entry at {@code objectKey}; null if there is none. */
    Instant of(String objectKey) throws IOException;
  }

  /**
   * The {@code sealed} times the entries of {@code batch} may need to be judged ({@link
   * #needsSealedTime}), each judged as though every entry before it were taken, so a condition that
   * drops some of them never leaves one unlooked-up. Rare (a run completing another that stopped),
   * so looked up only then. Does not move this walk.
   */
  Map<LedgerEntry, Instant> sealedTimes(List<LedgerEntry> batch, SealedTimes lookup)
      throws IOException {
    Map<LedgerEntry, Instant> out = new IdentityHashMap<>();
    Instant end = latest;
    for (LedgerEntry e : batch) {
      end = later(end, e.time());
    }
    EntryTimeRules atEnd = new EntryTimeRules(null, end, null);
    for (LedgerEntry e : batch) {
      if (atEnd.needsSealedTime(e)) {
        Instant t = lookup.of(e.objectKey());
        if (t != null) {
          out.put(e, t);
        }
      }
    }
    return out;
  }

  /**
   * Why the bulk {@code all} cannot follow, naming the first entry refused; null if every entry
   * can. Moves this walk past the entries judged.
   */
  String refusalOfAll(List<LedgerEntry> all, SealedTimes lookup) throws IOException {
    Map<LedgerEntry, Instant> sealedAt = sealedTimes(all, lookup);
    for (int i = 0; i < all.size(); i++) {
      String why = refusal(all.get(i), sealedAt.get(all.get(i)));
      if (why != null) {
        return "entry " + (i + 1) + " of " + all.size() + ": " + why + " (none of them)";
      }
      take(all.get(i));
    }
    return null;
  }

  /** Whether {@code e} could need its recording's {@code sealed} time to be judged. */
  boolean needsSealedTime(LedgerEntry e) {
    return latest != null
        && RECORD_TIMED.contains(e.type())
        && e.time().isBefore(latest.minus(MAX_BEHIND));
  }

  /**
   * Why {@code e} cannot be the next entry; null if it can.
   *
   * @param sealedAt the time of the live {@code sealed} entry of the recording {@code e} concerns
   *     (its {@link LedgerEntry#objectKey()}), if the log holds one; only asked for where {@link
   *     #needsSealedTime} says so
   */
  String refusal(LedgerEntry e, Instant sealedAt) {
    Instant t = e.time();
    if (now != null && t.isAfter(now.plus(MAX_AFTER_CLOCK))) {
      return "the "
          + e.type()
          + " entry's time "
          + t
          + " is "
          + seconds(now, t)
          + " after the clock's reading "
          + now
          + ", more than the "
          + MAX_AFTER_CLOCK.toMinutes()
          + " minutes stations' clocks may differ: no entry is logged ahead of the clock, nor"
          + " can a jump into its future be accepted; nothing is logged";
    }
    if (e.type().equals(EntryType.CLOCK_JUMP_ACCEPTED)) {
      String bad = acceptanceProblem(e);
      if (bad != null) {
        return "the "
            + EntryType.CLOCK_JUMP_ACCEPTED
            + " entry at "
            + t
            + " does not name the jump it accepts: "
            + bad
            + "; nothing is logged";
      }
    }
    if (latest == null) {
      return null; // an empty ledger: the first entry is bounded by the clock alone
    }
    if (RECORD_TIMED.contains(e.type())) {
      Instant floor = later(first, sealedAt);
      if (t.isBefore(floor.minus(MAX_BEHIND))) {
        return "the "
            + e.type()
            + " entry's time "
            + t
            + " is "
            + seconds(t, floor)
            + " before "
            + (floor.equals(sealedAt)
                ? "the sealed entry of " + e.objectKey() + " (" + floor + ")"
                : "the ledger's first entry (" + floor + ")")
            + ": a record of the archive is not made before what it concerns; nothing is logged";
      }
    } else if (t.isBefore(latest.minus(MAX_BEHIND))) {
      return "the "
          + e.type()
          + " entry's time "
          + t
          + " is "
          + seconds(t, latest)
          + " before the ledger's latest entry ("
          + latest
          + "), more than the "
          + MAX_BEHIND.toMinutes()
          + " minutes stations' clocks may differ: a clock that ran backwards, or an event"
          + " logged as earlier than it was; nothing is logged";
    }
    if (t.isAfter(latest.plus(MAX_AHEAD)) && !e.type().equals(EntryType.CLOCK_JUMP_ACCEPTED)) {
      return "the "
          + e.type()
          + " entry's time "
          + t
          + " is "
          + Duration.between(latest, t).toDays()
          + " days after the ledger's latest entry ("
          + latest
          + "), beyond the bound of "
          + MAX_AHEAD.toDays()
          + " days: a named person must accept the jump first, with a reason (a "
          + EntryType.CLOCK_JUMP_ACCEPTED
          + " entry: HighWaterMarkClock.acceptJump, or --accept-clock-jump-by NAME"
          + " --clock-reason TEXT); nothing is logged";
    }
    return null;
  }

  /**
   * What is wrong with a {@code clock-jump-accepted} entry as the next one; null if nothing. It
   * names the person (its actor, always present), a reason, and the jump as {@code
   * HighWaterMarkClock.acceptJump} logs it: {@code from} the ledger's latest time and {@code to}
   * the entry's own time, each within {@link #MAX_BEHIND} (another writer may have logged a little
   * later meanwhile). Then the acceptance lets through itself, and what follows is measured from
   * its time: only entries at about {@code to}. An acceptance that named no times, or others, let
   * any entry after it jump anywhere.
   */
  private String acceptanceProblem(LedgerEntry e) {
    String reason = e.details().get("reason");
    if (reason == null || reason.isBlank()) {
      return "it gives no reason";
    }
    Instant from = instant(e.details().get("from"));
    Instant to = instant(e.details().get("to"));
    if (to == null) {
      return "its to detail is not a time";
    }
    if (!within(to, e.time())) {
      return "it accepts a jump to " + to + " but is itself at " + e.time();
    }
    if (latest == null) {
      return null; // nothing in the ledger to jump from: the mark's time, not checkable here
    }
    if (from == null) {
      return "its from detail is not a time";
    }
    if (!within(from, latest)) {
      return "it accepts a jump from " + from + " but the ledger's latest entry is at " + latest;
    }
    return null;
  }

  /**
   * The rules applied to a stored log, entry by entry in log order ({@link EvidenceLedger#verify}):
   * each entry that breaks them is a {@link LedgerFindingCode#ENTRY_TIME_REFUSED} finding, the
   * first {@link #NAMED} named one by one and the rest counted. An entry after the clock is not
   * taken into the walk, so the honest entries around it are judged as though it were not there
   * (one entry stamped in 3026 would otherwise make every later one "behind"); any other entry the
   * library refuses is taken, since what the library wrote after it was measured from it. Memory:
   * one map entry per live recording (its key and a time), as the ledger's own index.
   */
  static final class Audit {
    /** Findings named one by one at most; the rest are counted in one more. */
    static final int NAMED = 20;

    private final EntryTimeRules rules;
    private final Instant now;
    private final Map<String, Instant> sealed = new HashMap<>();
    private long refused;

    Audit(Instant now) {
      this.now = now;
      this.rules = new EntryTimeRules(null, null, now);
    }

    /** Judges the entry at {@code index}, the next in the log, and moves past it. */
    void judge(long index, LedgerEntry e, List<Finding> problems) {
      Instant sealedAt = rules.needsSealedTime(e) ? sealed.get(e.objectKey()) : null;
      String why = rules.refusal(e, sealedAt);
      if (why != null) {
        refused++;
        if (refused <= NAMED) {
          problems.add(
              Finding.of(
                  LedgerFindingCode.ENTRY_TIME_REFUSED,
                  "entry " + index + ": " + why.replace("; nothing is logged", "")));
        }
        if (e.time().isAfter(now.plus(MAX_AFTER_CLOCK))) {
          return;
        }
      }
      rules.take(e);
      if (e.type().equals(EntryType.SEALED)) {
        sealed.putIfAbsent(e.subject(), e.time()); // a live recording keeps its first seal
      } else if (e.type().equals(EntryType.DISPOSED)) {
        sealed.remove(e.objectKey());
      }
    }

    /** Counts, in one finding, the entries refused past those named. */
    void finish(List<Finding> problems) {
      if (refused > NAMED) {
        problems.add(
            Finding.of(
                LedgerFindingCode.ENTRY_TIME_REFUSED,
                (refused - NAMED)
                    + " more entries break the ledger's time rules (the first "
                    + NAMED
                    + " are named)"));
      }
    }
  }

  private static boolean within(Instant a, Instant b) {
    return !a.isBefore(b.minus(MAX_BEHIND)) && !a.isAfter(b.plus(MAX_BEHIND));
  }

  private static Instant instant(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String seconds(Instant from, Instant to) {
    return Duration.between(from, to).toSeconds() + " s";
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }
}
