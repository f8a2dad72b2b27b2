package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keyframe heads are read once per keyframe, and keyframes hold distinct bytes, so all the heads a
 * probe reads come to no more than the file. Found while bounding the bytes {@link
 * MutationFuzzTest} lets a probe read: {@code hostile/keyframes-at-one-offset.mp4} (10,567 bytes)
 * is one video track of 2,000 keyframes of 16 KiB whose 2,000 chunk offsets all point at the same 2
 * KiB of media data. A deep probe read 16 KiB (cut at the end of the file) for each: 21 MB; with
 * 10,000 such offsets in 57 KB, 164 MB and about two seconds, three tracks five seconds. Now the
 * index is given up ({@code INDEX_DAMAGED}) as soon as the heads come to more than the file.
 */
class KeyframeHeadBudgetTest {
  static final byte[] FILE = BoxTreeFuzzProperties.resource("/hostile/keyframes-at-one-offset.mp4");

  static void assertIndexGivenUp(boolean deep, long lastSample) throws IOException {
    ByteArrayChannel ch = new ByteArrayChannel(FILE);
    RecordingTimeline t = MediaProbe.create(ParseLimits.DEFAULTS, deep).probe(ch);
    List<MediaFinding> damaged =
        t.findings().stream().filter(f -> f.code().equals(MediaFindingCode.INDEX_DAMAGED)).toList();
    assertEquals(1, damaged.size(), t.findings().toString());
    assertTrue(
        damaged
            .get(0)
            .message()
            .startsWith(
                "the movie box (moov) cannot be read (track 1 (vide): the heads of the keyframes up"
                    + " to sample "
                    + lastSample
                    + " come to more than the file's 10567 bytes: the index points keyframes at"
                    + " the same bytes again and again)"),
        damaged.get(0).message());
    assertTrue(t.truncated());
    // the operation counter: the index once, the heads up to the file's size, the media data
    // scanned for frames (twice: as AVC and as HEVC)
    assertTrue(ch.bytesRead <= 4L * FILE.length, ch.bytesRead + " bytes read");
  }

  @Test
  void aDeepProbeGivesUpTheIndexWhenTheHeadsComeToMoreThanTheFile() throws IOException {
    // heads of min(16 KiB, what is left of the file from offset 24) = 10,543 bytes: the second
    // one is over
    assertIndexGivenUp(true, 1);
  }

  @Test
  void aShallowProbeGivesUpTheIndexWhenTheHeadsComeToMoreThanTheFile() throws IOException {
    // heads of 2 KiB: five fit in 10,567 bytes, the sixth (sample 5) does not
    assertIndexGivenUp(false, 5);
  }
}
