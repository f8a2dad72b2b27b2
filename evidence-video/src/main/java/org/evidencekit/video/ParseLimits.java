package org.evidencekit.video;

/**
 * Bounds on what a probe will read and hold, so hostile input fails fast with a {@link
 * MediaFormatException} instead of exhausting memory or time. Entry counts are also always bound by
 * the bytes that hold them.
 *
 * @param maxDepth deepest box nesting
 * @param maxBoxes most boxes in the whole file
 * @param maxIndexBytes largest {@code moov} (or all {@code moof}s together) read into memory
 * @param maxBannerScans most keyframes per track whose heads are read for parameter sets and
 *     encoder identification (splices)
 */
public record ParseLimits(int maxDepth, int maxBoxes, long maxIndexBytes, int maxBannerScans) {
  /**
   * 16 levels, 250,000 boxes (an hour of half-second fragments needs about 30,000), 32 MiB of index
   * (about ten hours of 30 fps video with audio; a probe must fit in a 64 MiB heap), 10,000
   * keyframe-head scans.
   */
  public static final ParseLimits DEFAULTS = new ParseLimits(16, 250_000, 32L << 20, 10_000);

  public ParseLimits {
    if (maxDepth < 1 || maxBoxes < 1 || maxIndexBytes < 1024 || maxBannerScans < 0) {
      throw new IllegalArgumentException("parse limits must be positive");
    }
  }
}
