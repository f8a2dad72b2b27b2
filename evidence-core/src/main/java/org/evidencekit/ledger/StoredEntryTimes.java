package org.evidencekit.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.evidencekit.verify.Finding;

/**
 * The ledger's time bounds held to the entries it stores, in order: an entry the
 * ledger would have refused on append ({@link EvidenceLedger#timeRefusal}) was written around it,
 * by whoever can write the store's files, or by a writer whose clock ran backwards. An ingest
 * logged a day earlier than it happened reads as within its 24 hours; an entry years ahead moves
 * the time the trusted clock and retention measure from. Fed each entry as {@link
 * EvidenceLedger#verify} streams the batches; reports at most {@link #MAX_REPORTED} findings.
 */
final class StoredEntryTimes {
  /** A whole forged batch is one problem: its first entries name it, the rest are counted. */
  static final int MAX_REPORTED = 20;

  private final List<Finding> problems;
  private Instant latest;
  private long index;
  private long refused;

  StoredEntryTimes(List<Finding> problems) {
    this.problems = problems;
  }

  /** The next entry in log order. */
  void next(LedgerEntry e) {
    if (EvidenceLedger.timeRefusal(e, latest) != null) {
      refused++;
      if (refused <= MAX_REPORTED) {
        boolean behind = e.time().isBefore(latest);
        Duration d =
            behind ? Duration.between(e.time(), latest) : Duration.between(latest, e.time());
        problems.add(
            Finding.of(
                LedgerFindingCode.ENTRY_TIME_REFUSED,
                "entry "
                    + index
                    + " ("
                    + e.type()
                    + " "
                    + e.subject()
                    + ") is timed "
                    + e.time()
                    + ", "
                    + d.toSeconds()
                    + " s "
                    + (behind ? "before" : "after")
                    + " the latest entry before it ("
                    + latest
                    + "): the ledger refuses such an entry when it is appended ("
                    + (behind
                        ? "more than " + EvidenceLedger.MAX_BEHIND.toMinutes() + " minutes back"
                        : "more than "
                            + EvidenceLedger.MAX_AHEAD.toDays()
                            + " days ahead without a named acceptance")
                    + "), so it was written around the ledger or by a clock that ran "
                    + (behind ? "backwards" : "ahead")));
      }
    }
    if (latest == null || e.time().isAfter(latest)) {
      latest = e.time();
    }
    index++;
  }

  /** Counts the entries refused beyond those reported. */
  void finish() {
    if (refused > MAX_REPORTED) {
      problems.add(
          Finding.of(
              LedgerFindingCode.ENTRY_TIME_REFUSED,
              (refused - MAX_REPORTED)
                  + " more entries are timed outside the ledger's bounds (the first "
                  + MAX_REPORTED
                  + " are named above)"));
    }
  }
}
