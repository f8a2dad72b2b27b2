package org.evidencekit.video;

/**
 * A hole inside a track's timeline: the next sample after {@code afterSample} starts late, because
 * that sample lasts much longer than the nominal sample duration or because the decode time jumps
 * after it (a fragment's stated decode time past the end of the fragment before).
 *
 * @param afterSample zero-based index of the sample before the hole
 * @param fromSeconds when the missing stretch starts (the end of the sample's nominal duration when
 *     it lasts long, else the end of its own), in seconds of the track's media time
 * @param toSeconds when the next sample starts
 */
public record TimelineGap(long afterSample, double fromSeconds, double toSeconds) {
  public double seconds() {
    return toSeconds - fromSeconds;
  }
}
