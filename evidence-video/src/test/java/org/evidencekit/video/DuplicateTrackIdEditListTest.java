package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code hostile/edit-lists-on-one-track-id.mp4} (38,747 bytes): a video track whose edit list
 * skips a 40 ms B-frame delay, then 100 sound tracks that all have id 2 and an edit list of two
 * media edits; the first declares 990,000 samples, the others one each. Each sound track's edit
 * finding is judged against the video delay with the durations of the first track with its id, and
 * those 990,000 samples were walked once per finding: 100 walks, about 0.5 to 0.9 s for this file
 * where one track takes 50 ms. Now a track's samples are walked once however many
 * findings name its id. The findings are as before: each track's edit list is named, none is taken
 * for the benign audio-after-video delay, and the shared id is reported.
 */
class DuplicateTrackIdEditListTest {
  @Test
  void editListsOfTracksSharingAnIdAreEachJudgedWithTheFirstTracksDurations() throws IOException {
    byte[] file = BoxTreeFuzzProperties.resource("/hostile/edit-lists-on-one-track-id.mp4");
    RecordingTimeline t = MediaProbe.create().probe(new ByteArrayChannel(file));
    List<MediaFinding> sound =
        t.findings().stream()
            .filter(f -> f.code().equals(MediaFindingCode.EDIT_LIST))
            .filter(f -> f.message().startsWith("track 2 (soun)"))
            .toList();
    // one per sound track, up to the 100 listed of a code (the video's benign one is the first)
    assertEquals(99, sound.size(), t.findings().toString());
    for (MediaFinding f : sound) {
      assertEquals(
          "track 2 (soun): edit list of 2 entries: [media from 0.000 s for 0.500 s] [media from"
              + " 0.021 s for 0.500 s] (an empty edit delays the track; several media edits cut or"
              + " reorder it)",
          f.message());
      assertTrue(!f.benign(), f.message());
    }
    assertTrue(t.has(MediaFindingCode.DUPLICATE_TRACK_ID), t.findings().toString());
  }
}
