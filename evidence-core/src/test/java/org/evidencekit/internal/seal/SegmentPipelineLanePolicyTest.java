package org.evidencekit.internal.seal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a run goes on the SM3 lanes (issue 12): always once warm, cold only if large or unknown. */
class SegmentPipelineLanePolicyTest {
  @Test
  void coldLanesOnlyForLargeFiles() {
    long min = SegmentPipeline.COLD_LANES_MIN_BYTES;
    assertFalse(SegmentPipeline.runUsesLanes(false, 0));
    assertFalse(SegmentPipeline.runUsesLanes(false, min - 1));
    assertTrue(SegmentPipeline.runUsesLanes(false, min));
    assertTrue(SegmentPipeline.runUsesLanes(false, 4L << 30));
  }

  @Test
  void streamsOfUnknownLengthGoOnTheLanes() {
    assertTrue(SegmentPipeline.runUsesLanes(false, -1));
  }

  @Test
  void warmLanesForEveryFile() {
    assertTrue(SegmentPipeline.runUsesLanes(true, 0));
    assertTrue(SegmentPipeline.runUsesLanes(true, 1));
  }
}
