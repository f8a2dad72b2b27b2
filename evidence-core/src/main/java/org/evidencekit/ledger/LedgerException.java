package org.evidencekit.ledger;

import java.io.IOException;

/** The stored ledger is damaged, or disagrees with a checkpoint it once published. */
public final class LedgerException extends IOException {
  private static final long serialVersionUID = 1L;

  public LedgerException(String message) {
    super(message);
  }
}
