package org.evidencekit.internal.seal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * When a run goes on the SM3 lanes: always once warm; cold only if large or of unknown length, or
 * once the small runs kept off the cold lanes have used up their scalar budget.
 */
class LanePolicyTest {
  private static final long MIN = LanePolicy.COLD_LANES_MIN_BYTES;

  @Test
  void coldLanesOnlyForLargeFiles() {
    LanePolicy p = new LanePolicy(MIN);
    assertFalse(p.usesLanes(false, 0));
    assertFalse(p.usesLanes(false, MIN - 1));
    p = new LanePolicy(MIN);
    assertTrue(p.usesLanes(false, MIN));
    assertTrue(p.usesLanes(false, 4L << 30));
    assertFalse(p.usesLanes(false, 1000), "large runs spend nothing of the scalar budget");
  }

  @Test
  void streamsOfUnknownLengthGoOnTheLanes() {
    assertTrue(new LanePolicy(MIN).usesLanes(false, -1));
  }

  @Test
  void warmLanesForEveryFile() {
    LanePolicy p = new LanePolicy(MIN);
    assertTrue(p.usesLanes(true, 0));
    assertTrue(p.usesLanes(true, 1));
  }

  /** A service sealing only small files does not stay on scalar SM3 for ever. */
  @Test
  void smallRunsTakeTheColdLanesOnceTheirScalarBudgetIsSpent() {
    LanePolicy p = new LanePolicy(MIN);
    long small = 10L << 20;
    long kept = 0;
    for (int runs = 0; !p.usesLanes(false, small); runs++) {
      assertTrue(runs < 1000, "still kept off the cold lanes after " + runs + " small runs");
      kept += small;
      // the run that crosses the budget is still kept off: at most one run (< MIN) over it
      assertTrue(kept - small < MIN, "kept off the lanes beyond the budget: " + kept);
    }
    assertTrue(kept >= MIN, "took the cold lanes before the budget was spent: " + kept);
    assertTrue(p.usesLanes(false, 1), "and every run after");
  }

  @Test
  void aBudgetOfItsOwnIsSpentAloneAndZeroTakesTheLanesAtOnce() {
    LanePolicy mine = new LanePolicy(20L << 20);
    assertFalse(mine.usesLanes(false, 10L << 20));
    assertFalse(mine.usesLanes(false, 10L << 20));
    assertTrue(mine.usesLanes(false, 10L << 20), "its own 20 MiB are spent");
    assertFalse(
        new LanePolicy(MIN).usesLanes(false, 10L << 20), "another policy's budget is untouched");
    assertTrue(new LanePolicy(0).usesLanes(false, 1));
  }
}
