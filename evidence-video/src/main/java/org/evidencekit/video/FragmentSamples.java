package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.evidencekit.video.Boxes.Box;

/**
 * Samples of a fragmented track, from moof/traf/tfhd/tfdt/trun with trex defaults (trun → tfhd →
 * trex), checked for decode-time continuity; the fragments' numbering is {@link
 * FragmentSequence}'s.
 */
final class FragmentSamples implements Iterable<Sample> {
  private static final long MAX_SAMPLES = 20_000_000L;

  private static final class Run {
    long baseDts;
    long dataStart;
    int count;
    int flags;
    ByteBuffer entries;
    long defDuration;
    long defSize;
    long defFlags;
    long firstFlags = -1;
  }

  private final List<Run> runs = new ArrayList<>();
  private long count;

  /** The index of the first sample (samples of the sample table come before). */
  private long firstIndex;

  /** The fragments ({@code moof} indices, in file order) that hold this track's samples. */
  private int[] fragments = new int[0];

  /** Per fragment: the decode time its samples start at, and where they end. */
  private long[] startDecode = new long[0];

  private long[] endDecode = new long[0];
  private int fragmentCount;

  long count() {
    return count;
  }

  /**
   * The decode times this track's samples in fragment {@code moofIndex} start and end at ({@code
   * [start, end]}), or null when the fragment holds none of them.
   */
  long[] fragmentTimes(int moofIndex) {
    int i = Arrays.binarySearch(fragments, 0, fragmentCount, moofIndex);
    return i < 0 ? null : new long[] {startDecode[i], endDecode[i]};
  }

  /**
   * The decode times this track's samples in its last fragment start and end at ({@code [start,
   * end]}), or null when no fragment holds any.
   */
  long[] lastFragmentTimes() {
    return fragmentCount == 0
        ? null
        : new long[] {startDecode[fragmentCount - 1], endDecode[fragmentCount - 1]};
  }

  private void fragment(int moofIndex, long start, long end) {
    if (fragmentCount > 0 && fragments[fragmentCount - 1] == moofIndex) {
      // a second traf of the track in one fragment
      startDecode[fragmentCount - 1] = Math.min(startDecode[fragmentCount - 1], start);
      endDecode[fragmentCount - 1] = Math.max(endDecode[fragmentCount - 1], end);
      return;
    }
    if (fragmentCount == fragments.length) {
      int n = Math.max(16, fragmentCount * 2);
      fragments = Arrays.copyOf(fragments, n);
      startDecode = Arrays.copyOf(startDecode, n);
      endDecode = Arrays.copyOf(endDecode, n);
    }
    fragments[fragmentCount] = moofIndex;
    startDecode[fragmentCount] = start;
    endDecode[fragmentCount] = end;
    fragmentCount++;
  }

  /**
   * Reads track {@code trackId}'s samples from the fragments, reporting where its decode times do
   * not continue and telling {@code sequence} where each of its fragments begins, so a break in the
   * fragments' numbering is placed.
   *
   * @param presentedBase the media time the track's first media edit starts at (0 without one):
   *     places are in seconds from it, on the recording's presented timeline
   * @param tableEnd where the samples of the track's sample table end, which its first fragment
   *     continues, or -1 when the table holds none
   * @param firstIndex the index of the first sample: the number of samples in the table
   * @param sparse whether the track is a caption track ({@link TrackAnalysis#isCaption}), whose
   *     fragments hold samples only while a caption is shown: its decode time skipping forward is
   *     no media missing, and it places no break in the numbering
   */
  static FragmentSamples parse(
      Boxes boxes,
      List<Box> moofs,
      int trackId,
      long[] trex,
      List<MediaFinding> findings,
      long sampleBudget,
      FragmentSequence sequence,
      long presentedBase,
      long timescale,
      long tableEnd,
      long firstIndex,
      boolean sparse)
      throws MediaFormatException {
    sequence.read();
    FragmentSamples out = new FragmentSamples();
    out.firstIndex = firstIndex;
    long expectedDts = tableEnd;
    long dts = Math.max(0, tableEnd);
    for (int m = 0; m < moofs.size(); m++) {
      Box moof = moofs.get(m);
      List<Box> kids = boxes.children(moof.body(), "moof", 1, moof.offset);
      for (Box traf : Boxes.all(kids, "traf")) {
        List<Box> tk = boxes.children(traf.body(), "moof/traf", 2, traf.offset);
        Box tfhd = Boxes.first(tk, "tfhd");
        if (tfhd == null) {
          throw new MediaFormatException("traf without tfhd at byte " + traf.offset);
        }
        ByteBuffer h = tfhd.body();
        Boxes.need(h, 8, "tfhd");
        int tf = h.getInt() & 0xffffff;
        long id = Boxes.u32(h);
        if (id != trackId) {
          continue;
        }
        long base = moof.offset;
        long defDur = trex == null ? 0 : trex[1];
        long defSize = trex == null ? 0 : trex[2];
        long defFlags = trex == null ? 0 : trex[3];
        if ((tf & 0x1) != 0) {
          Boxes.need(h, 8, "tfhd base offset");
          base = h.getLong();
        }
        if ((tf & 0x2) != 0) {
          Boxes.need(h, 4, "tfhd");
          h.getInt();
        }
        if ((tf & 0x8) != 0) {
          Boxes.need(h, 4, "tfhd");
          defDur = Boxes.u32(h);
        }
        if ((tf & 0x10) != 0) {
          Boxes.need(h, 4, "tfhd");
          defSize = Boxes.u32(h);
        }
        if ((tf & 0x20) != 0) {
          Boxes.need(h, 4, "tfhd");
          defFlags = Boxes.u32(h);
        }
        Box tfdt = Boxes.first(tk, "tfdt");
        long expected = expectedDts;
        if (tfdt != null) {
          ByteBuffer t = tfdt.body();
          Boxes.need(t, 8, "tfdt");
          int v = t.get() & 0xff;
          t.position(4);
          if (v == 1) {
            Boxes.need(t, 8, "tfdt v1");
          }
          dts = v == 1 ? t.getLong() : Boxes.u32(t);
        }
        double at = presented(dts, presentedBase, timescale);
        boolean skipped = expected >= 0 && dts > expected;
        if (expected >= 0 && dts != expected && !(sparse && skipped)) {
          String message =
              String.format(
                  Locale.ROOT,
                  "track %d fragment decode time %d where %d was expected: %s",
                  trackId,
                  dts,
                  expected,
                  skipped
                      ? String.format(
                          Locale.ROOT,
                          "a gap, the media of %.3f s to %.3f s is missing",
                          presented(expected, presentedBase, timescale),
                          at)
                      : String.format(Locale.ROOT, "an overlap, at %.3f s", at));
          findings.add(
              skipped
                  ? MediaFinding.during(
                      MediaFindingCode.FRAGMENT_DISCONTINUITY,
                      message,
                      trackId,
                      presented(expected, presentedBase, timescale),
                      at,
                      traf.offset)
                  : MediaFinding.at(
                      MediaFindingCode.FRAGMENT_DISCONTINUITY,
                      message,
                      trackId,
                      firstIndex + out.count,
                      at,
                      traf.offset));
        }
        if (!sparse && out.fragmentCount == 0) {
          // where the track's fragments begin: after the table's samples, or the recording's start
          sequence.firstFragment(at, tableEnd >= 0);
        }
        if (!sparse) {
          sequence.fragment(
              m, at, skipped, skipped ? presented(expected, presentedBase, timescale) : Double.NaN);
        }
        long fragmentStart = dts;
        for (Box trun : Boxes.all(tk, "trun")) {
          ByteBuffer r = trun.body();
          Boxes.need(r, 8, "trun");
          int rf = r.getInt() & 0xffffff;
          long n = Boxes.u32(r);
          Run run = new Run();
          run.flags = rf;
          run.baseDts = dts;
          run.defDuration = defDur;
          run.defSize = defSize;
          run.defFlags = defFlags;
          long dataOffset = 0;
          if ((rf & 0x1) != 0) {
            Boxes.need(r, 4, "trun data offset");
            dataOffset = r.getInt();
          }
          if ((rf & 0x4) != 0) {
            Boxes.need(r, 4, "trun first sample flags");
            run.firstFlags = Boxes.u32(r);
          }
          int entrySize = Integer.bitCount(rf & 0xf00) * 4;
          if (entrySize == 0 ? n > 100_000 : false) {
            throw new MediaFormatException(
                "trun declares " + n + " samples with no per-sample data");
          }
          run.count = entrySize == 0 ? (int) n : Boxes.entries(r, n, entrySize, "trun");
          run.entries = r.slice();
          run.dataStart = base + dataOffset;
          out.count += run.count;
          if (out.count > Math.min(MAX_SAMPLES, sampleBudget)) {
            throw new MediaFormatException(
                "track "
                    + trackId
                    + " fragments declare more than "
                    + Math.min(MAX_SAMPLES, sampleBudget)
                    + " samples: more than the file could hold");
          }
          // advance the decode time past this run
          if ((rf & 0x100) == 0) {
            dts += run.count * defDur;
          } else {
            for (Sample s : single(run)) {
              dts += s.duration();
            }
          }
          out.runs.add(run);
        }
        if (timescale > 0 && !sparse) {
          sequence.fragmentLength(m, (double) (dts - fragmentStart) / timescale);
        }
        out.fragment(m, fragmentStart, dts);
        expectedDts = dts;
      }
    }
    return out;
  }

  /** Media time {@code ticks} in seconds from the presented start (never before it). */
  private static double presented(long ticks, long presentedBase, long timescale) {
    return Math.max(0, (double) (ticks - presentedBase) / timescale);
  }

  private static Iterable<Sample> single(Run run) {
    FragmentSamples f = new FragmentSamples();
    f.runs.add(run);
    return f;
  }

  @Override
  public Iterator<Sample> iterator() {
    return new Iterator<>() {
      int runIndex;
      int inRun;
      long index = firstIndex;
      long dts;
      long offset;
      ByteBuffer e;

      @Override
      public boolean hasNext() {
        while (runIndex < runs.size() && inRun >= runs.get(runIndex).count) {
          runIndex++;
          inRun = 0;
        }
        return runIndex < runs.size();
      }

      @Override
      public Sample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Run r = runs.get(runIndex);
        if (inRun == 0) {
          dts = r.baseDts;
          offset = r.dataStart;
          e = r.entries.duplicate();
        }
        long dur = (r.flags & 0x100) != 0 ? Integer.toUnsignedLong(e.getInt()) : r.defDuration;
        long size = (r.flags & 0x200) != 0 ? Integer.toUnsignedLong(e.getInt()) : r.defSize;
        long flags = (r.flags & 0x400) != 0 ? Integer.toUnsignedLong(e.getInt()) : r.defFlags;
        if (inRun == 0 && r.firstFlags >= 0) {
          flags = r.firstFlags;
        }
        long cto = (r.flags & 0x800) != 0 ? e.getInt() : 0;
        boolean sync = (flags & 0x10000) == 0;
        Sample s = new Sample(index++, dts, cto, dur, offset, size, sync);
        dts += dur;
        offset += size;
        inRun++;
        return s;
      }
    };
  }
}
