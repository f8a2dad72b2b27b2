package org.evidencekit.internal.seal;

import java.util.concurrent.atomic.LongAdder;

/**
 * When a run of SM3 hashing goes on the vector lanes. Warm lanes: always. Cold lanes (the JIT has
 * not compiled them yet, about 0.35 s of slower tiers): a run of unknown length or of at least
 * {@link #COLD_LANES_MIN_BYTES} goes on them; a smaller one stays on scalar SM3, which finishes it
 * sooner, until the small runs kept off the cold lanes add up to the policy's budget. From then on
 * every run takes the lanes, so they warm up. Without that budget a service that only ever seals
 * small files would hash SM3 on scalar code, five times slower, for as long as it runs; with it, it
 * pays for the rule at most about once the cost of compiling the lanes (the ski-rental rule: rent
 * until the rent paid equals the price, then buy).
 *
 * <p>Whether the lanes are warm is a fact of the JVM (one JIT), so sealers and verifiers share
 * {@link #shared()} unless they are given their own budget; thread-safe.
 */
public final class LanePolicy {
  /**
   * A file hashed while the lanes are still cold goes on them only if it has this many bytes left:
   * smaller ones finish sooner on scalar SM3 than the lanes take to be compiled (break-even
   * measured near 200 MB on two cores). It is also the default scalar budget.
   */
  public static final long COLD_LANES_MIN_BYTES = 256L << 20;

  private static final LanePolicy SHARED = new LanePolicy(COLD_LANES_MIN_BYTES);

  private final long budget;
  private final LongAdder keptOff = new LongAdder();

  /**
   * A policy of its own.
   *
   * @param budget scalar SM3 bytes kept off the cold lanes before every run takes them; 0 takes
   *     them from the first run
   */
  public LanePolicy(long budget) {
    if (budget < 0) {
      throw new IllegalArgumentException("lane budget must not be negative, got " + budget);
    }
    this.budget = budget;
  }

  /** The JVM-wide policy with the default budget, for sealers and verifiers given none. */
  public static LanePolicy shared() {
    return SHARED;
  }

  /**
   * Whether a run that will hash {@code bytesLeft} bytes (negative: not known, as for streams) goes
   * on the lanes; a run kept off them is counted against the budget.
   */
  public boolean usesLanes(boolean warm, long bytesLeft) {
    if (warm || bytesLeft < 0 || bytesLeft >= COLD_LANES_MIN_BYTES || keptOff.sum() >= budget) {
      return true;
    }
    keptOff.add(bytesLeft);
    return false;
  }
}
