package org.evidencekit.spark;

import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * One recording to check, as the driver knows it from the ledger: the index and seal digest of its
 * latest {@code sealed} entry, or none when it was found in the store but never logged.
 */
final class WorkItem implements Serializable {
  private static final long serialVersionUID = 1L;

  final String key;
  final long loggedIndex;
  final @Nullable String loggedDigest;

  WorkItem(String key, long loggedIndex, @Nullable String loggedDigest) {
    this.key = key;
    this.loggedIndex = loggedIndex;
    this.loggedDigest = loggedDigest;
  }

  boolean logged() {
    return loggedDigest != null;
  }
}
