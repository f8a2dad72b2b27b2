package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.evidencekit.video.Boxes.Box;

/**
 * The fragment random-access index ({@code mfra/tfra}) checked against the fragments the file holds
 * . A writer lists, when it closes the file, where each track's sync samples are: their time
 * and the byte offset of their fragment ({@code moof}). Fragments taken out afterwards, the rest
 * renumbered and their decode times moved up, leave the numbering and the decode times running on,
 * but every fragment after the cut sits at another offset than the index says (fragments differ in
 * size), and the index lists more than the file holds. An entry matches when a fragment starts at
 * its offset and holds the track's samples around its time (writers list presentation times by
 * their own reckoning: within the track's largest composition offset, its edit list's shift and an
 * encoder's priming of up to 100 ms); the first that does not is where the index stops describing
 * the file.
 */
final class FragmentIndex {
  /**
   * A track read from fragments: its samples, timescale and where its presented timeline starts.
   */
  record FragmentedTrack(FragmentSamples samples, long timescale, long presentedBase) {}

  private FragmentIndex() {}

  /**
   * Adds a {@code FRAGMENT_DISCONTINUITY} finding for each track whose index entries do not match
   * the fragments: at the time of the last entry that still matches before the first that does not
   * (the cut lies at or after it), or at the start when none does. An index that cannot be read is
   * noted and not judged: writers need not write one, so its absence proves nothing either.
   */
  static void check(
      Boxes boxes,
      Box mfra,
      List<Box> moofs,
      Map<Integer, FragmentedTrack> tracks,
      List<MediaFinding> findings) {
    try {
      for (Box tfra : Boxes.all(boxes.children(mfra.body(), "mfra", 1, mfra.offset), "tfra")) {
        checkTrack(tfra, moofs, tracks, findings);
      }
    } catch (MediaFormatException e) {
      findings.add(
          MediaFinding.offset(
                  MediaFindingCode.FRAGMENT_DISCONTINUITY,
                  "the fragment random-access index (mfra) cannot be read ("
                      + e.getMessage()
                      + "): not judged",
                  mfra.offset)
              .asBenign());
    }
  }

  private static void checkTrack(
      Box tfra, List<Box> moofs, Map<Integer, FragmentedTrack> tracks, List<MediaFinding> findings)
      throws MediaFormatException {
    ByteBuffer b = tfra.body();
    Boxes.need(b, 16, "tfra");
    int version = b.get() & 0xff;
    b.position(4);
    long trackId = Boxes.u32(b);
    int lengths = b.getInt();
    long declared = Boxes.u32(b);
    FragmentedTrack track = trackId > Integer.MAX_VALUE ? null : tracks.get((int) trackId);
    if (track == null || track.timescale() <= 0) {
      return; // a track not read from fragments (or none): nothing to hold the index against
    }
    int trafBytes = ((lengths >>> 4) & 3) + 1;
    int trunBytes = ((lengths >>> 2) & 3) + 1;
    int sampleBytes = (lengths & 3) + 1;
    int entrySize = (version == 1 ? 16 : 8) + trafBytes + trunBytes + sampleBytes;
    int n = Boxes.entries(b, declared, entrySize, "tfra");
    // writers list a sync sample's presentation time by their own reckoning: after its composition
    // offset or its edit list's shift, or (ffmpeg, with or without an edit list) an AAC frame's
    // priming before its decode time, the first frame's excepted
    long slack =
        TrackAnalysis.saturatedSum(
            TrackAnalysis.saturatedSum(
                largestCompositionOffset(track.samples()),
                track.presentedBase() == Long.MIN_VALUE
                    ? Long.MAX_VALUE
                    : Math.abs(track.presentedBase())),
            track.timescale() * TrackAnalysis.PRIMING_TOLERANCE_MS / 1000);
    int mismatches = 0;
    long lastMatch = Long.MIN_VALUE;
    String first = null;
    for (int i = 0; i < n; i++) {
      long time = version == 1 ? b.getLong() : Boxes.u32(b);
      long offset = version == 1 ? b.getLong() : Boxes.u32(b);
      b.position(b.position() + trafBytes + trunBytes + sampleBytes);
      String wrong = mismatch(time, offset, moofs, track, slack);
      if (wrong == null) {
        if (first == null) {
          lastMatch = time;
        }
        continue;
      }
      mismatches++;
      if (first == null) {
        first =
            String.format(
                Locale.ROOT,
                "its entry for the sync sample at %.3f s names a fragment at byte %d, %s",
                seconds(time, track),
                offset,
                wrong);
      }
    }
    if (first == null) {
      return;
    }
    double at = lastMatch == Long.MIN_VALUE ? 0 : seconds(lastMatch, track);
    findings.add(
        MediaFinding.at(
            MediaFindingCode.FRAGMENT_DISCONTINUITY,
            String.format(
                Locale.ROOT,
                "track %d: the fragment random-access index (mfra) does not describe the fragments"
                    + " (%d of its %d entries): %s; fragments were taken out, moved or retimed"
                    + " after the writer closed the file, from %.3f s on",
                trackId,
                mismatches,
                n,
                first,
                at),
            (int) trackId,
            at,
            tfra.offset));
  }

  /**
   * Why an entry does not match the fragments, or null when it does.
   *
   * @param slack how far before or after the fragment's media its time may lie
   */
  private static String mismatch(
      long time, long offset, List<Box> moofs, FragmentedTrack track, long slack) {
    int m = moofAt(moofs, offset);
    if (m < 0) {
      return "where the file has no fragment";
    }
    long[] held = track.samples().fragmentTimes(m);
    if (held == null) {
      return "which holds none of the track's samples";
    }
    if (time < TrackAnalysis.saturatedDifference(held[0], slack)
        || time > TrackAnalysis.saturatedSum(held[1], slack)) {
      return String.format(
          Locale.ROOT,
          "which holds the track's media of %.3f s to %.3f s",
          seconds(held[0], track),
          seconds(held[1], track));
    }
    return null;
  }

  /** The index of the fragment starting at byte {@code offset}, or -1. */
  private static int moofAt(List<Box> moofs, long offset) {
    int lo = 0;
    int hi = moofs.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long o = moofs.get(mid).offset;
      if (o == offset) {
        return mid;
      }
      if (o < offset) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return -1;
  }

  /** How far a sample's presentation lies from its decode time, at most, in the track. */
  private static long largestCompositionOffset(FragmentSamples samples) {
    long most = 0;
    for (Sample s : samples) {
      most = Math.max(most, Math.abs(s.compositionOffset()));
    }
    return most;
  }

  private static double seconds(long ticks, FragmentedTrack t) {
    return Math.max(0, ((double) ticks - t.presentedBase()) / t.timescale());
  }
}
