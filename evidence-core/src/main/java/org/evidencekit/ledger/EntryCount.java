package org.evidencekit.ledger;

/** A number of ledger entries as messages say it: "1 entry", "2 entries". */
final class EntryCount {
  private EntryCount() {}

  static String of(long n) {
    return n + (n == 1 ? " entry" : " entries");
  }
}
