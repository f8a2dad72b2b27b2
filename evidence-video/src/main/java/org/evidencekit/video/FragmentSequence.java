package org.evidencekit.video;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.evidencekit.video.Boxes.Box;

/**
 * The sequence numbers of a file's fragments (movie fragment headers, {@code mfhd}), judged once
 * for the file, and where each break lies on the presented timeline. A number that does not
 * follow the one before means fragments are missing or out of order. Where that is, the tracks'
 * fragments tell ({@link #fragment}): when every track's decode time skips at the fragment after
 * the break, the stretch it skips is the media missing, and only that stretch is in doubt; when a
 * decode time runs on or goes back, the media after the break was moved up over what was taken out
 * or is out of order, and the break is a point from which the rest is in doubt.
 */
final class FragmentSequence {
  /** Rounding of decode times to seconds: far below any fragment's length. */
  private static final double MOVED_UP_TOLERANCE_S = 0.001;

  private final Boxes boxes;
  private final List<Box> moofs;
  private boolean read;

  /** Fragment indices (in file order) where the number does not follow, or repeats, the last. */
  private int[] at = new int[0];

  private long[] number;
  private long[] previous;

  /** Whether the fragment at a break repeats the number before (a writer that does not count). */
  private boolean[] repeats;

  /** Whether every track's fragment at a repeated number has a decode time to judge it by. */
  private boolean[] timed;

  /** Per break, in presented seconds: the earliest track's fragment start, NaN with no track. */
  private double[] start;

  /** Per break: where the media the decode times skip begins (earliest track), NaN if none. */
  private double[] missingFrom;

  /** Per break: where the decode times skip to (latest track). */
  private double[] missingTo;

  /** Per break: some track's decode time ran on or went back there: no stretch is stated. */
  private boolean[] unstated;

  /**
   * The shortest media a track's fragment holds, in seconds, over every fragment but the file's
   * last (which may stop early): what a missing fragment held at least, by the file's own measure.
   */
  private double shortestFragment = Double.POSITIVE_INFINITY;

  /**
   * How late a file's tracks may all start on their decode times, in seconds, when the movie box
   * has them start at 0 (no samples in its tables, no edit list starting them later): every writer
   * tried (ffmpeg's fragmented forms, GStreamer's mp4mux and splitmuxsink) starts at exactly 0; an
   * AAC priming or B-frame delay moves a start by a frame, far less than this.
   */
  static final double LATE_START_S = 0.5;

  /** The file holds segment type boxes ({@code styp}): media segments joined after their init. */
  private final boolean joinedSegments;

  /** The first fragment's sequence number and its index (in file order), -1 when none is read. */
  private long firstNumber = -1;

  private int firstAt = -1;

  /**
   * The earliest presented start of the tracks' first fragments, when the movie box holds none of
   * their samples ({@code NaN} until a track tells, or when one has samples in the movie box).
   */
  private double firstStart = Double.NaN;

  private boolean startFromTable;

  /** The longest media a track's fragment holds, in seconds, over every fragment. */
  private double longestFragment;

  /**
   * @param joinedSegments whether the file holds segment type boxes ({@code styp}), which a writer
   *     of one fragmented recording does not write: a live stream's segments joined to its
   *     initialization segment, which may begin at any segment of the stream
   */
  FragmentSequence(Boxes boxes, List<Box> moofs, boolean joinedSegments) {
    this.boxes = boxes;
    this.moofs = moofs;
    this.joinedSegments = joinedSegments;
  }

  /** Reads the fragments' numbers, once: the breaks the tracks are then asked to place. */
  void read() throws MediaFormatException {
    if (read) {
      return;
    }
    read = true;
    int[] found = new int[16];
    long[] num = new long[16];
    long[] prev = new long[16];
    boolean[] rep = new boolean[16];
    boolean[] tim = new boolean[16];
    int n = 0;
    long last = -1;
    for (int m = 0; m < moofs.size(); m++) {
      Box moof = moofs.get(m);
      List<Box> kids = boxes.children(moof.body(), "moof", 1, moof.offset);
      Box mfhd = Boxes.first(kids, "mfhd");
      if (mfhd == null || mfhd.body.remaining() < 8) {
        continue;
      }
      long seq = Integer.toUnsignedLong(mfhd.body().getInt(4));
      if (firstNumber < 0) {
        firstNumber = seq;
        firstAt = m;
      }
      if (last >= 0 && seq != last + 1) {
        if (n == found.length) {
          found = Arrays.copyOf(found, n * 2);
          num = Arrays.copyOf(num, n * 2);
          prev = Arrays.copyOf(prev, n * 2);
          rep = Arrays.copyOf(rep, n * 2);
          tim = Arrays.copyOf(tim, n * 2);
        }
        found[n] = m;
        num[n] = seq;
        prev[n] = last;
        rep[n] = seq == last;
        tim[n] = rep[n] && everyTrafTimed(kids);
        n++;
      }
      last = seq;
    }
    at = Arrays.copyOf(found, n);
    number = Arrays.copyOf(num, n);
    previous = Arrays.copyOf(prev, n);
    repeats = Arrays.copyOf(rep, n);
    timed = Arrays.copyOf(tim, n);
    start = new double[n];
    missingFrom = new double[n];
    missingTo = new double[n];
    unstated = new boolean[n];
    Arrays.fill(start, Double.NaN);
    Arrays.fill(missingFrom, Double.NaN);
    Arrays.fill(missingTo, Double.NaN);
  }

  private boolean everyTrafTimed(List<Box> moofKids) throws MediaFormatException {
    boolean any = false;
    for (Box traf : Boxes.all(moofKids, "traf")) {
      any = true;
      if (Boxes.first(boxes.children(traf.body(), "moof/traf", 2, traf.offset), "tfdt") == null) {
        return false;
      }
    }
    return any;
  }

  /**
   * A track's fragment in fragment {@code moofIndex}: where it starts and, when its decode time
   * skips forward, where the media it lacks began (else {@code Double.NaN}), in presented seconds.
   *
   * @param skipped whether the decode time skipped forward here (it ran on, or went back, if not)
   */
  void fragment(int moofIndex, double startSeconds, boolean skipped, double missingFromSeconds) {
    int i = Arrays.binarySearch(at, moofIndex);
    if (i < 0) {
      return;
    }
    start[i] = Double.isNaN(start[i]) ? startSeconds : Math.min(start[i], startSeconds);
    if (skipped) {
      missingFrom[i] =
          Double.isNaN(missingFrom[i])
              ? missingFromSeconds
              : Math.min(missingFrom[i], missingFromSeconds);
      missingTo[i] =
          Double.isNaN(missingTo[i]) ? startSeconds : Math.max(missingTo[i], startSeconds);
    } else {
      unstated[i] = true;
    }
  }

  /** A track's fragment in fragment {@code moofIndex} holds {@code seconds} of its media. */
  void fragmentLength(int moofIndex, double seconds) {
    if (moofIndex < moofs.size() - 1 && seconds > 0) {
      shortestFragment = Math.min(shortestFragment, seconds);
    }
    longestFragment = Math.max(longestFragment, seconds);
  }

  /** The longest media a track's fragment holds, in seconds (0 with no fragment read). */
  double longestFragment() {
    return longestFragment;
  }

  /**
   * A track's first fragment starts at {@code startSeconds} on the presented timeline; {@code
   * fromTable} when the movie box's sample table holds the track's first samples (the fragments
   * continue them, and their start says nothing of the recording's).
   */
  void firstFragment(double startSeconds, boolean fromTable) {
    startFromTable |= fromTable;
    firstStart = Double.isNaN(firstStart) ? startSeconds : Math.min(firstStart, startSeconds);
  }

  /**
   * The recording's first fragments cut away: the first fragment numbered above 1 (every
   * writer tried counts from 1), or every track's decode times starting well after 0 where the
   * movie box has them start at 0. The late start alone is benign: stream packagers start at the
   * stream's clock. A file of joined media segments ({@code styp}) may honestly begin at any
   * segment of a live stream: then both are benign, and say so.
   */
  private void reportStart(List<MediaFinding> findings) {
    boolean numbered = firstNumber > 1;
    boolean late = !startFromTable && firstStart > LATE_START_S;
    if (!numbered && !late) {
      return;
    }
    long offset = moofs.get(Math.max(0, firstAt)).offset;
    StringBuilder what = new StringBuilder();
    if (numbered) {
      what.append("the first fragment is numbered ").append(firstNumber);
    }
    if (late) {
      what.append(numbered ? " and the" : "the")
          .append(
              String.format(
                  Locale.ROOT,
                  " tracks' decode times start at %.3f s, not at 0 where the movie box has them"
                      + " start",
                  firstStart));
    }
    what.append(": ");
    if (numbered && late) {
      what.append(
          String.format(
              Locale.ROOT,
              "the %d fragment(s) before it, the media of 0.000 s to %.3f s, are missing",
              firstNumber - 1,
              firstStart));
    } else if (numbered) {
      what.append(firstNumber - 1)
          .append(
              " fragment(s) before it are missing, the rest retimed to start where the recording"
                  + " did");
    } else {
      what.append(
          String.format(
              Locale.ROOT,
              "the media of 0.000 s to %.3f s is missing if the fragments after it were"
                  + " renumbered",
              firstStart));
    }
    // stream packagers (DASH, CMAF) start the decode times at the stream's own clock (mp4ff's test
    // files start at 10 s, numbered from 1): a late start alone is no proof of a cut
    boolean benign = joinedSegments || !numbered;
    what.append(
        joinedSegments
            ? " (benign: the file holds media segments (styp) joined to their initialization"
                + " segment, as a recorder joining a live stream part-way writes it)"
            : !numbered
                ? " (benign alone: stream packagers start the decode times at the stream's own"
                    + " clock; a recording's start cut away and the rest renumbered looks the same)"
                : " (the recording's start was cut away)");
    String code = MediaFindingCode.FRAGMENT_DISCONTINUITY;
    MediaFinding f =
        late
            ? MediaFinding.offset(code, what.toString(), offset, 0, firstStart)
            : MediaFinding.offset(code, what.toString(), offset, 0);
    findings.add(benign ? f.asBenign() : f);
  }

  /** Adds a {@code FRAGMENT_DISCONTINUITY} finding for each break, placed as the tracks said. */
  void report(List<MediaFinding> findings) {
    if (!read) {
      return;
    }
    reportStart(findings);
    for (int i = 0; i < at.length; i++) {
      long offset = moofs.get(at[i]).offset;
      boolean stretch = !unstated[i] && !Double.isNaN(missingFrom[i]);
      long missing = repeats[i] ? 0 : number[i] - previous[i] - 1;
      // the fragments the numbering says are missing held at least the file's shortest each: a
      // skip shorter than that means what follows was moved up over part of what was taken out,
      // so it is not where it was recorded either
      boolean movedUp =
          stretch
              && missing > 0
              && Double.isFinite(shortestFragment)
              && missingTo[i] - missingFrom[i] + MOVED_UP_TOLERANCE_S
                  < Math.min(missing, 1 << 20) * shortestFragment;
      stretch &= !movedUp;
      // moved up: in doubt from where the media before the break stopped
      double point = movedUp ? missingFrom[i] : start[i];
      String where =
          stretch
              ? String.format(
                  Locale.ROOT,
                  " where the decode times skip the media of %.3f s to %.3f s",
                  missingFrom[i],
                  missingTo[i])
              : Double.isNaN(point) ? "" : String.format(Locale.ROOT, " at %.3f s", point);
      String what =
          repeats[i]
              ? "fragment sequence number "
                  + number[i]
                  + " repeats"
                  + where
                  + ": "
                  + (timed[i]
                      ? "the writer does not number its fragments (benign: the decode time is"
                          + " judged)"
                      : "a fragment is repeated, or the writer does not number its fragments")
              : "fragment sequence number "
                  + number[i]
                  + " follows "
                  + previous[i]
                  + where
                  + ": fragments are missing or reordered"
                  + (movedUp
                      ? String.format(
                          Locale.ROOT,
                          " (the decode times skip %.3f s, less than the %d missing would hold:"
                              + " what follows was moved up)",
                          missingTo[i] - missingFrom[i],
                          missing)
                      : "");
      String code = MediaFindingCode.FRAGMENT_DISCONTINUITY;
      MediaFinding f =
          stretch
              ? MediaFinding.offset(code, what, offset, missingFrom[i], missingTo[i])
              : Double.isNaN(point)
                  ? MediaFinding.offset(code, what, offset)
                  : MediaFinding.offset(code, what, offset, point);
      findings.add(repeats[i] && timed[i] ? f.asBenign() : f);
    }
  }
}
