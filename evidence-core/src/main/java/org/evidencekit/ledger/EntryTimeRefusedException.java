package org.evidencekit.ledger;

import java.io.IOException;

/**
 * The ledger will not take an entry at its time (R-04, R-14, R-16; docs/ledger.md, "Entries"): more
 * than two minutes after the clock the ledger was opened with (the first entry too; no acceptance
 * lets one through); more than two minutes before the latest entry time it holds (a clock that ran
 * backwards, or an event logged as earlier than it was), or, for a record logged at its own time,
 * before the ledger's first entry or its recording's {@code sealed} entry; more than 31 days after
 * the latest time with no named acceptance of the jump ({@link EntryType#CLOCK_JUMP_ACCEPTED}); or
 * an acceptance that does not name the jump it accepts (its {@code from} the latest time, its
 * {@code to} its own time, and a reason). Nothing of the entry is in the log.
 */
public final class EntryTimeRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  public EntryTimeRefusedException(String message) {
    super(message);
  }
}
