package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The probe reads keyframe heads and GPMF telemetry samples, and samples hold distinct bytes, so
 * all it reads of them comes to no more than the file. Found while bounding the bytes
 * {@link MutationFuzzTest} lets a probe read, each input the smallest of its shape:
 *
 * <ul>
 *   <li>{@code hostile/keyframes-at-one-offset.mp4} (10,567 bytes): one video track of 2,000
 *       keyframes of 16 KiB whose chunk offsets all point at the same 2 KiB of media data. A deep
 *       probe read a head for each, 21 MB; 10,000 such offsets in 57 KB read 164 MB in about two
 *       seconds, three such tracks five seconds.
 *   <li>{@code hostile/telemetry-at-one-offset.mp4} (2,513 bytes): one GPMF track of 16 samples of
 *       2,000 bytes at one offset, with no GPS: all 16 were read, 32 KB; 100 such tracks of 20 KB
 *       samples in 57 KB read 32 MB.
 * </ul>
 *
 * Now the index is given up ({@code INDEX_DAMAGED}, the media data scanned for frames) as soon as
 * what is read of the samples comes to more than the file.
 */
class SampleReadBudgetTest {
  static void assertIndexGivenUp(String resource, boolean deep, String cause) throws IOException {
    byte[] file = BoxTreeFuzzProperties.resource(resource);
    ByteArrayChannel ch = new ByteArrayChannel(file);
    RecordingTimeline t = MediaProbe.create(ParseLimits.DEFAULTS, deep).probe(ch);
    List<MediaFinding> damaged =
        t.findings().stream().filter(f -> f.code().equals(MediaFindingCode.INDEX_DAMAGED)).toList();
    assertEquals(1, damaged.size(), t.findings().toString());
    assertTrue(
        damaged
            .get(0)
            .message()
            .startsWith(
                "the movie box (moov) cannot be read ("
                    + cause
                    + " come to more than the file's "
                    + file.length
                    + " bytes: the index points samples at the same bytes again and again)"),
        damaged.get(0).message());
    assertTrue(t.truncated());
    // the operation counter: the index once, samples up to the file's size, the media data
    // scanned for frames (as AVC and as HEVC)
    assertTrue(ch.bytesRead <= 4L * file.length, ch.bytesRead + " bytes read");
  }

  @Test
  void aDeepProbeGivesUpAnIndexWhoseKeyframeHeadsComeToMoreThanTheFile() throws IOException {
    // heads of min(16 KiB, the 10,543 bytes left from offset 24): the second one is over
    assertIndexGivenUp(
        "/hostile/keyframes-at-one-offset.mp4",
        true,
        "track 1 (vide): the heads of the keyframes up to sample 1");
  }

  @Test
  void aShallowProbeGivesUpAnIndexWhoseKeyframeHeadsComeToMoreThanTheFile() throws IOException {
    // heads of 2 KiB: five fit in 10,567 bytes, the sixth (sample 5) does not
    assertIndexGivenUp(
        "/hostile/keyframes-at-one-offset.mp4",
        false,
        "track 1 (vide): the heads of the keyframes up to sample 5");
  }

  @Test
  void telemetrySamplesThatComeToMoreThanTheFileGiveUpTheIndex() throws IOException {
    // samples of 2,000 bytes: the second brings 4,000 bytes of a 2,513-byte file
    assertIndexGivenUp(
        "/hostile/telemetry-at-one-offset.mp4",
        false,
        "track 1 (gpmd): the telemetry samples up to sample 1");
  }
}
