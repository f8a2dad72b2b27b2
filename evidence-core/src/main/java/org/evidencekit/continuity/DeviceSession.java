package org.evidencekit.continuity;

import java.util.List;

/**
 * One device's recordings in order, and what lies between each pair.
 *
 * @param deviceId the device
 * @param files recording ids in time order
 * @param breaks one per consecutive pair
 * @param recordedSeconds total recorded time (internal gaps excluded)
 * @param spanSeconds from the first start to the last end
 */
public record DeviceSession(
    String deviceId,
    List<String> files,
    List<SessionBreak> breaks,
    double recordedSeconds,
    double spanSeconds) {
  public DeviceSession {
    files = List.copyOf(files);
    breaks = List.copyOf(breaks);
  }

  /** What lies between two consecutive files of a device. */
  public enum BreakKind {
    /** The next file starts where the previous ended (a split recording). */
    CONTIGUOUS,
    /** Time is missing and so are sequence numbers: files were deleted. */
    MISSING_FILE,
    /**
     * Time and sequence numbers are missing next to locked files: loop recording overwrote them.
     */
    LOOP_OVERWRITE,
    /** Time is missing, no file is: the device was stopped and started. */
    STOP_START,
    /** The files overlap: a clock problem. */
    OVERLAP
  }

  /**
   * @param before the earlier file
   * @param after the later file
   * @param kind the classification
   * @param gap the stretch between them (empty for contiguous and overlapping files)
   * @param seconds the gap length (negative for an overlap)
   * @param missingSequences sequence numbers that should lie between them, the first 1000 at most
   *     (files of a folder that mixes naming conventions can lie millions apart); text shows the
   *     first ten and counts the rest
   * @param missingCount how many sequence numbers lie between them in all, listed or not
   */
  public record SessionBreak(
      String before,
      String after,
      BreakKind kind,
      Interval gap,
      double seconds,
      List<Integer> missingSequences,
      long missingCount) {
    /**
     * Checks the numbers and the counts.
     *
     * @throws IllegalArgumentException if a listed sequence number is negative (files are numbered
     *     from 0), or {@code missingCount} is below the numbers listed
     */
    public SessionBreak {
      missingSequences = List.copyOf(missingSequences);
      for (int s : missingSequences) {
        if (s < 0) {
          throw new IllegalArgumentException(
              "missing sequence number "
                  + s
                  + " between "
                  + before
                  + " and "
                  + after
                  + " is negative (file numbers start at 0)");
        }
      }
      if (missingCount < missingSequences.size()) {
        throw new IllegalArgumentException(
            "missingCount "
                + missingCount
                + " is below the "
                + missingSequences.size()
                + " sequence numbers listed");
      }
    }

    /** A break whose missing sequence numbers are all listed. */
    public SessionBreak(
        String before,
        String after,
        BreakKind kind,
        Interval gap,
        double seconds,
        List<Integer> missingSequences) {
      this(before, after, kind, gap, seconds, missingSequences, missingSequences.size());
    }

    /** Whether {@link #missingSequences} lists every missing number (else the first 1000). */
    public boolean listsAllMissing() {
      return missingSequences.size() == missingCount;
    }
  }
}
