package org.evidencekit.video;

/**
 * One entry of a track's edit list ({@code elst}, version 0 or 1).
 *
 * @param segmentDuration in movie timescale units
 * @param mediaTime in media timescale units; -1 for an empty edit (a pause before the media)
 * @param rate the media rate (1.0 normally)
 */
public record EditListEntry(long segmentDuration, long mediaTime, double rate) {
  /** Whether this is an empty edit (presentation starts later than the movie). */
  public boolean isEmpty() {
    return mediaTime == -1;
  }
}
