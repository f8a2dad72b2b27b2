package org.evidencekit.retention;

import java.util.Arrays;

/**
 * Where a recording stands in its retention at one instant (Art. 19; ). The names are
 * what stored plans and ledger entries hold, so they never change.
 */
public enum RetentionStatus {
  /** Its retention has ended and nothing holds it: it may be disposed of under an approved plan. */
  DISPOSABLE,
  /** Its retention has a fixed end that has not come yet. */
  RETAINED,
  /** A legal or administrative hold keeps it, whatever its retention says. */
  HELD,
  /** An event that has not happened yet keeps it (for instance its case is not archived). */
  OPEN,
  /** Kept for good. */
  PERMANENT;

  /**
   * The status a stored name stands for.
   *
   * @throws RetentionFormatException for any other name
   */
  static RetentionStatus parse(String name) throws RetentionFormatException {
    for (RetentionStatus s : values()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new RetentionFormatException(
        "unknown retention status '" + name + "' (known: " + Arrays.toString(values()) + ")");
  }
}
