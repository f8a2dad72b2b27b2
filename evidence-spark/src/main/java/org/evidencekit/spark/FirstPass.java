package org.evidencekit.spark;

import java.io.Serializable;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The first look at a recording: a final result, or (for a large recording whose seal and size
 * check out) the segment ranges still to verify.
 */
final class FirstPass implements Serializable {
  private static final long serialVersionUID = 1L;

  final @Nullable RecordingResult result;
  final List<RangeTask> ranges;

  /** A recording stored encrypted, to be checked again with its {@code sealed} entry; or null. */
  final @Nullable WorkItem needsEntry;

  private FirstPass(
      @Nullable RecordingResult result, List<RangeTask> ranges, @Nullable WorkItem needsEntry) {
    this.result = result;
    this.ranges = ranges;
    this.needsEntry = needsEntry;
  }

  static FirstPass done(RecordingResult result) {
    return new FirstPass(result, List.of(), null);
  }

  static FirstPass split(List<RangeTask> ranges) {
    return new FirstPass(null, List.copyOf(ranges), null);
  }

  /**
   * A ciphertext whose length checks out: what its header must say is in its {@code sealed} entry,
   * which the driver reads (only for these) before it is checked again.
   */
  static FirstPass needsEntry(WorkItem w) {
    return new FirstPass(null, List.of(), w);
  }
}
