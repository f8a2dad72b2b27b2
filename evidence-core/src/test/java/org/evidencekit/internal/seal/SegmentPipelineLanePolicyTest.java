package org.evidencekit.internal.seal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * When a run goes on the SM3 lanes (issue 12): always once warm; cold only if large or of unknown
 * length, or once the small runs kept off the cold lanes have used up their scalar budget.
 */
class SegmentPipelineLanePolicyTest {
  private static final long MIN = SegmentPipeline.COLD_LANES_MIN_BYTES;

  @Test
  void coldLanesOnlyForLargeFiles() {
    SegmentPipeline.LanePolicy p = new SegmentPipeline.LanePolicy();
    assertFalse(p.usesLanes(false, 0));
    assertFalse(p.usesLanes(false, MIN - 1));
    p = new SegmentPipeline.LanePolicy();
    assertTrue(p.usesLanes(false, MIN));
    assertTrue(p.usesLanes(false, 4L << 30));
    assertFalse(p.usesLanes(false, 1000), "large runs spend nothing of the scalar budget");
  }

  @Test
  void streamsOfUnknownLengthGoOnTheLanes() {
    assertTrue(new SegmentPipeline.LanePolicy().usesLanes(false, -1));
  }

  @Test
  void warmLanesForEveryFile() {
    SegmentPipeline.LanePolicy p = new SegmentPipeline.LanePolicy();
    assertTrue(p.usesLanes(true, 0));
    assertTrue(p.usesLanes(true, 1));
  }

  /** A service sealing only small files does not stay on scalar SM3 for ever. */
  @Test
  void smallRunsTakeTheColdLanesOnceTheirScalarBudgetIsSpent() {
    SegmentPipeline.LanePolicy p = new SegmentPipeline.LanePolicy();
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
}
