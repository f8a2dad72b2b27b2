package org.evidencekit.ledger;

import java.io.IOException;

/**
 * The ledger will not take an entry at its time: more than two minutes before the
 * latest entry time it holds (a clock that ran backwards, or an event logged as earlier than it
 * was), or more than 31 days after it with no named acceptance of the jump ({@link
 * EntryType#CLOCK_JUMP_ACCEPTED}). Nothing of the entry is in the log.
 */
public final class EntryTimeRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  public EntryTimeRefusedException(String message) {
    super(message);
  }
}
