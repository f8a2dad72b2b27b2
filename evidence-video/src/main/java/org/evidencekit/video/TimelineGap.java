package org.evidencekit.video;

/**
 * A hole inside a track's timeline: sample {@code afterSample} lasts much longer than the nominal
 * sample duration, so the next sample starts late.
 *
 * @param afterSample zero-based index of the long sample
 * @param fromSeconds when the missing stretch starts (end of the sample's nominal duration)
 * @param toSeconds when the next sample starts
 */
public record TimelineGap(long afterSample, double fromSeconds, double toSeconds) {
  public double seconds() {
    return toSeconds - fromSeconds;
  }
}
