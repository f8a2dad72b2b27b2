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
 * encoder's priming of up to 100 ms, or one AAC frame when longer); the first that does not is
 * where the index stops describing the file.
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
   *
   * @param primingMillis the encoder priming an entry's time may lie before its fragment's decode
   *     time: 100 ms, or one frame of the movie's AAC track when longer
   */
  static void check(
      Boxes boxes,
      Box mfra,
      List<Box> moofs,
      Map<Integer, FragmentedTrack> tracks,
      List<MediaFinding> findings,
      long primingMillis) {
    try {
      for (Box tfra : Boxes.all(boxes.children(mfra.body(), "mfra", 1, mfra.offset), "tfra")) {
        checkTrack(tfra, moofs, tracks, findings, primingMillis);
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
      Box tfra,
      List<Box> moofs,
      Map<Integer, FragmentedTrack> tracks,
      List<MediaFinding> findings,
      long primingMillis)
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
    long[] times = new long[n];
    long[] offsets = new long[n];
    for (int i = 0; i < n; i++) {
      times[i] = version == 1 ? b.getLong() : Boxes.u32(b);
      offsets[i] = version == 1 ? b.getLong() : Boxes.u32(b);
      b.position(b.position() + trafBytes + trunBytes + sampleBytes);
    }
    // writers list a sync sample's presentation time by their own reckoning: after its composition
    // offset or its edit list's shift, or (ffmpeg, with or without an edit list) an AAC frame's
    // priming before its decode time, the first frame's excepted: one AAC frame, 128 ms at 8 kHz
    // (ffmpeg's +cmaf with 8 kHz AAC), when the movie's AAC track has longer frames than 100 ms
    long reordering = largestCompositionOffset(track.samples());
    long slack =
        TrackAnalysis.saturatedSum(
            TrackAnalysis.saturatedSum(
                reordering,
                track.presentedBase() == Long.MIN_VALUE
                    ? Long.MAX_VALUE
                    : Math.abs(track.presentedBase())),
            (track.timescale() * primingMillis + 999) / 1000);
    Reading reading = read(times, offsets, moofs, track, slack, reordering, 0);
    long origin = laterOrigin(times, offsets, moofs, track);
    if (reading.first != null && origin > 0) {
      // a later file of a recording split into files (GStreamer's splitmuxsink) has its index count
      // the recording's time while its decode times start again at 0: every entry is ahead of its
      // fragment by the same stretch. Read so, the index must still name every fragment's offset,
      // so a cut stays found; the reading that matches longer is the one that describes the file
      Reading shifted = read(times, offsets, moofs, track, slack, reordering, origin);
      if (shifted.first == null || shifted.firstWrong > reading.firstWrong) {
        reading = shifted;
      }
    }
    if (reading.first == null) {
      return;
    }
    double at = reading.lastMatch == Long.MIN_VALUE ? 0 : seconds(reading.lastMatch, track);
    findings.add(
        MediaFinding.at(
            MediaFindingCode.FRAGMENT_DISCONTINUITY,
            String.format(
                Locale.ROOT,
                "track %d: the fragment random-access index (mfra) does not describe the fragments"
                    + " (%d of its %d entries): %s%s; fragments were taken out, moved or retimed"
                    + " after the writer closed the file, from %.3f s on",
                trackId,
                reading.mismatches,
                n,
                reading.first,
                reading.origin == 0
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        " (the index's times read as %.3f s later than the decode times)",
                        (double) reading.origin / track.timescale()),
                at),
            (int) trackId,
            at,
            tfra.offset));
  }

  /**
   * How the index reads against the fragments with its times taken {@code origin} ticks later than
   * the decode times.
   *
   * @param firstWrong the index of the first entry that does not match, or the entry count
   * @param lastMatch the decode time of the last entry that matches before it, or Long.MIN_VALUE
   * @param first why the first entry that does not match does not, or null when all do
   */
  private record Reading(
      long origin, int mismatches, int firstWrong, long lastMatch, String first) {}

  /**
   * @param slack how far before or after the fragment's media an entry's time may lie
   * @param reordering how far after its last sample's decode time a fragment's media is presented
   */
  private static Reading read(
      long[] times,
      long[] offsets,
      List<Box> moofs,
      FragmentedTrack track,
      long slack,
      long reordering,
      long origin) {
    int n = times.length;
    int mismatches = 0;
    int firstWrong = n;
    long lastMatch = Long.MIN_VALUE;
    String first = null;
    for (int i = 0; i < n; i++) {
      long time = TrackAnalysis.saturatedDifference(times[i], origin);
      if (i == n - 1 && offsets[i] == 0 && inLastFragment(time, track, reordering)) {
        // GStreamer's qtmux closes the list with an entry for the track's last sample that names
        // byte 0, where the file's type box is and no fragment can be: a fragment it never placed.
        // Its time must still lie in the track's last fragment, so an end cut off stays found: in
        // it, not near it (no allowance for priming), as the last sample's time is
        continue;
      }
      String wrong = mismatch(time, offsets[i], moofs, track, slack);
      if (wrong == null) {
        if (first == null) {
          lastMatch = time;
        }
        continue;
      }
      mismatches++;
      if (first == null) {
        firstWrong = i;
        first =
            String.format(
                Locale.ROOT,
                "its entry for the sync sample at %.3f s names a fragment at byte %d, %s",
                seconds(time, track),
                offsets[i],
                wrong);
      }
    }
    return new Reading(origin, mismatches, firstWrong, lastMatch, first);
  }

  /**
   * How much later than the decode times the index counts, when its first entry names a fragment of
   * the track whose decode times start before the entry's time; else 0.
   */
  private static long laterOrigin(
      long[] times, long[] offsets, List<Box> moofs, FragmentedTrack track) {
    if (times.length == 0) {
      return 0;
    }
    int m = moofAt(moofs, offsets[0]);
    long[] held = m < 0 ? null : track.samples().fragmentTimes(m);
    return held == null ? 0 : Math.max(0, TrackAnalysis.saturatedDifference(times[0], held[0]));
  }

  /**
   * Whether {@code time} lies in the track's last fragment: from its first sample's decode time to
   * its last's end, {@code reordering} later for a track presented after it decodes.
   */
  private static boolean inLastFragment(long time, FragmentedTrack track, long reordering) {
    long[] held = track.samples().lastFragmentTimes();
    return held != null
        && time >= held[0]
        && time < TrackAnalysis.saturatedSum(held[1], reordering);
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
