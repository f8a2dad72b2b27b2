package org.evidencekit.video;

/**
 * One sample of a track, from its sample table.
 *
 * @param index zero-based
 * @param decodeTime in media timescale units
 * @param compositionOffset presentation time minus decode time, in media units
 * @param duration in media units
 * @param offset first byte in the file
 * @param size bytes
 * @param sync whether it is a sync sample (keyframe)
 */
public record Sample(
    long index,
    long decodeTime,
    long compositionOffset,
    long duration,
    long offset,
    long size,
    boolean sync) {}
