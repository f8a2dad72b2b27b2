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

  private FirstPass(@Nullable RecordingResult result, List<RangeTask> ranges) {
    this.result = result;
    this.ranges = ranges;
  }

  static FirstPass done(RecordingResult result) {
    return new FirstPass(result, List.of());
  }

  static FirstPass split(List<RangeTask> ranges) {
    return new FirstPass(null, List.copyOf(ranges));
  }
}
