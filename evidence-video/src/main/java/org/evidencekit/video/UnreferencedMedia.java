package org.evidencekit.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The stretches of a media box between a file's samples that no sample of any track references
 * . A camera writes its samples back to back; a sample taken out of the tables leaves its
 * bytes behind, between the samples that stay or, for the last ones, before the media box's end. A
 * muxer that aligns its chunks (to sectors, say) leaves padding between them instead: zero bytes,
 * or a {@code free} or {@code skip} box of zero bytes. Compressed samples are never a run of zeros
 * (each H.264/HEVC sample opens with a NAL length, an AAC frame is no silence of zero bytes), so
 * such a stretch is padding and not counted. Whoever zeroes the bytes of the samples he takes out
 * could as well have taken the bytes out, which no container check sees.
 */
final class UnreferencedMedia {
  /**
   * Contiguous runs of a track's samples ("extents") kept at most: 16 MiB of bookkeeping. A file
   * with more is judged by the sum of its samples' bytes alone, padding counted.
   */
  static final int MAX_EXTENTS = 1 << 20;

  /** Offsets below 2^43 (8 TiB) leave 20 bits for an extent's index in one sort key. */
  private static final long MAX_OFFSET = 1L << 43;

  private static final int READ = 64 * 1024;

  /**
   * Bytes before the first sample fewer than this are not judged: an encoder may write a few there
   * (exhale's xHE-AAC files open their media box with 3), and the first samples taken out would be
   * a keyframe, or a fifth of a second of the quietest audio, and more.
   */
  static final int HEAD_FLOOR = 64;

  private final ProbeRun run;
  private final List<TrackTimeline> tracks;

  private long[] starts = new long[64];
  private long[] ends = new long[64];
  private int[] owner = new int[64];
  private long[] endTicks = new long[64];
  private int n;

  UnreferencedMedia(ProbeRun run, List<TrackTimeline> tracks) {
    this.run = run;
    this.tracks = tracks;
  }

  /**
   * Adds an {@link MediaFindingCode#UNREFERENCED_MEDIA} finding when bytes other than padding lie
   * in the media box outside every sample, naming how many, in how many stretches, and where the
   * first begins (its bytes and the track time of the sample before it).
   *
   * @param mdatStart the media box's first byte of content
   * @param mdatEnd the media box's end
   * @param sumUnreferenced the media box's bytes less the samples' bytes, for a file with too many
   *     runs of samples to judge each stretch
   */
  void judge(long mdatStart, long mdatEnd, long sumUnreferenced) throws IOException {
    if (!collect()) {
      run.findings.add(
          MediaFinding.offset(
              MediaFindingCode.UNREFERENCED_MEDIA,
              sumUnreferenced
                  + " bytes of the media data belong to no sample of any track: media taken out of"
                  + " the index and left in the file (too many runs of samples to tell padding"
                  + " apart)",
              mdatStart));
      return;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = starts[i] << 20 | i;
    }
    Arrays.sort(keys);
    long covered = mdatStart;
    int before = -1;
    for (long k : keys) {
      int i = (int) (k & (MAX_EXTENTS - 1));
      if (starts[i] > covered && (before >= 0 || starts[i] - covered >= HEAD_FLOOR)) {
        stretch(covered, starts[i], before);
      }
      if (ends[i] > covered) {
        covered = ends[i];
        before = i;
      }
    }
    if (mdatEnd > covered) {
      stretch(covered, mdatEnd, before);
    }
    if (media == 0) {
      return;
    }
    String after;
    if (firstAfter < 0) {
      after = "before the first sample";
    } else {
      TrackTimeline t = tracks.get(owner[firstAfter]);
      after =
          String.format(
              Locale.ROOT,
              "after track %d's sample that ends at %.3f s",
              t.trackId(),
              (double) endTicks[firstAfter] / t.timescale());
    }
    double at = firstAfter < 0 ? -1 : cutAt(firstFrom);
    String message =
        String.format(
            Locale.ROOT,
            "%d bytes of media data belong to no sample of any track, in %d stretch%s (the"
                + " first: bytes %d to %d, %s): media taken out of the index and left in the"
                + " file%s",
            media,
            stretches,
            stretches == 1 ? "" : "es",
            firstFrom,
            firstTo,
            after,
            (padding == 0 ? "" : "; " + padding + " bytes of zero padding are not counted")
                + (headers == 0
                    ? ""
                    : "; " + headers + " bytes of the writer's own headers are not counted"));
    run.findings.add(
        at < 0
            ? MediaFinding.offset(MediaFindingCode.UNREFERENCED_MEDIA, message, firstFrom)
            : MediaFinding.offset(MediaFindingCode.UNREFERENCED_MEDIA, message, firstFrom, at));
  }

  /**
   * Where on the presented timeline the media left at byte {@code from} was cut out, in seconds
   * from the media each track presents first: the earliest of the tracks' last sample ends before
   * those bytes. Muxers write each track's chunks in time order, so the samples taken out, whose
   * bytes these are, followed those samples in every track; the earliest end is where the first
   * track lost media.
   */
  private double cutAt(long from) {
    long[] endBefore = new long[tracks.size()];
    Arrays.fill(endBefore, -1);
    for (int i = 0; i < n; i++) {
      if (ends[i] <= from) {
        endBefore[owner[i]] = Math.max(endBefore[owner[i]], endTicks[i]);
      }
    }
    double at = -1;
    for (int t = 0; t < endBefore.length; t++) {
      TrackTimeline tr = tracks.get(t);
      if (endBefore[t] < 0 || tr.timescale() <= 0) {
        continue;
      }
      long base =
          tr.editList().stream()
              .filter(e -> !e.isEmpty())
              .findFirst()
              .map(EditListEntry::mediaTime)
              .orElse(0L);
      double s = Math.max(0, (double) (endBefore[t] - base) / tr.timescale());
      at = at < 0 ? s : Math.min(at, s);
    }
    return at;
  }

  private long media;
  private long padding;
  private long headers;
  private long stretches;
  private long firstFrom = -1;
  private long firstTo = -1;
  private int firstAfter = -1;

  /** Counts bytes {@code from} to {@code to}, which no sample holds, as padding or as media. */
  private void stretch(long from, long to, int before) throws IOException {
    if (isPadding(from, to)) {
      padding += to - from;
      return;
    }
    if (isWriterHeaders(from, to)) {
      headers += to - from;
      return;
    }
    media += to - from;
    if (stretches++ == 0) {
      firstFrom = from;
      firstTo = to;
      firstAfter = before;
    }
  }

  /** Gathers the runs of each track's samples wholly in the file; false when there are too many. */
  private boolean collect() {
    if (run.size >= MAX_OFFSET) {
      return false;
    }
    for (int ti = 0; ti < tracks.size(); ti++) {
      long from = -1;
      long to = -1;
      long endTick = 0;
      for (Sample s : (Iterable<Sample>) tracks.get(ti)::samples) {
        if (s.offset() < 0 || s.size() <= 0 || s.offset() + s.size() > run.size) {
          continue;
        }
        if (s.offset() != to) {
          if (from >= 0 && !add(from, to, ti, endTick)) {
            return false;
          }
          from = s.offset();
        }
        to = s.offset() + s.size();
        endTick = s.decodeTime() + s.duration();
      }
      if (from >= 0 && !add(from, to, ti, endTick)) {
        return false;
      }
    }
    return n > 0;
  }

  private boolean add(long from, long to, int track, long endTick) {
    if (n == MAX_EXTENTS) {
      return false;
    }
    if (n == starts.length) {
      int grown = Math.min(MAX_EXTENTS, n * 2);
      starts = Arrays.copyOf(starts, grown);
      ends = Arrays.copyOf(ends, grown);
      owner = Arrays.copyOf(owner, grown);
      endTicks = Arrays.copyOf(endTicks, grown);
    }
    starts[n] = from;
    ends[n] = to;
    owner[n] = track;
    endTicks[n] = endTick;
    n++;
    return true;
  }

  /** The longest stretch read as a writer's headers: a fragment's header is a few KiB. */
  private static final int MAX_HEADERS = 1 << 20;

  /**
   * Whether bytes {@code from} to {@code to} are a muxer's own headers left inside the media box,
   * holding no media: whole fragment headers ({@code moof}, every child a header whose tables are
   * exactly as long as they declare), the first movie box of a file whose movie box was written
   * anew at the end ({@code hoov}: GStreamer's mp4mux with {@code
   * fragment-mode=first-moov-then-finalise} renames it so, and its fragments' headers stay between
   * their samples), empty {@code free}/{@code skip} boxes, and at the end the header of a media box
   * whose samples follow. Samples taken out leave codec data, which is no such chain of boxes;
   * whoever rewrites them into one could as well have taken the bytes out.
   */
  private boolean isWriterHeaders(long from, long to) throws IOException {
    if (to - from < 8 || to - from > MAX_HEADERS) {
      return false;
    }
    ByteBuffer h = run.read(from, 8);
    if (h.remaining() < 8
        || !Set.of("moof", "hoov", "free", "skip", "mdat").contains(Boxes.fourcc(h.getInt(4)))) {
      return false; // codec data: not read further
    }
    ByteBuffer b = run.read(from, (int) (to - from));
    if (b.remaining() < to - from) {
      return false;
    }
    b = b.slice();
    int p = 0;
    int len = b.remaining();
    while (p < len) {
      if (len - p < 8) {
        return false;
      }
      long size = Integer.toUnsignedLong(b.getInt(p));
      String type = Boxes.fourcc(b.getInt(p + 4));
      if (size > len - p || size == 0) {
        // a media box whose samples follow: only its header lies in the stretch (size 0, "to the
        // end", for the last fragment's, which the writer does not go back to)
        return type.equals("mdat") && p + 8 == len;
      }
      if (size < 8) {
        return false;
      }
      ByteBuffer body = b.duplicate().position(p + 8).limit(p + (int) size).slice();
      boolean header =
          switch (type) {
            case "free", "skip" -> allZero(body);
            case "moof" -> fragmentHeader(body);
            case "hoov" -> boxesOf(body, Set.of("mvhd", "trak", "udta", "mvex", "meta", "iods"));
            default -> false;
          };
      if (!header) {
        return false;
      }
      p += (int) size;
    }
    return true;
  }

  /** A {@code moof} body: a movie fragment header and track fragments of header boxes only. */
  private static boolean fragmentHeader(ByteBuffer moof) {
    if (!boxesOf(moof, Set.of("mfhd", "traf"))) {
      return false;
    }
    for (int p = 0; p < moof.limit(); p += moof.getInt(p)) {
      if (Boxes.fourcc(moof.getInt(p + 4)).equals("traf")) {
        ByteBuffer traf = moof.duplicate().position(p + 8).limit(p + moof.getInt(p)).slice();
        if (!boxesOf(traf, TRAF_HEADERS)) {
          return false;
        }
        for (int q = 0; q < traf.limit(); q += traf.getInt(q)) {
          if (Boxes.fourcc(traf.getInt(q + 4)).equals("trun")
              && !runTableExact(
                  traf.duplicate().position(q + 8).limit(q + traf.getInt(q)).slice())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static final Set<String> TRAF_HEADERS =
      Set.of("tfhd", "tfdt", "trun", "sdtp", "sbgp", "sgpd", "subs", "saiz", "saio", "senc");

  /** Whether {@code body} is wholly boxes of the given types, each at most 64 KiB. */
  private static boolean boxesOf(ByteBuffer body, Set<String> types) {
    int p = 0;
    while (p < body.limit()) {
      if (body.limit() - p < 8) {
        return false;
      }
      long size = Integer.toUnsignedLong(body.getInt(p));
      if (size < 8 || size > body.limit() - p || size > 1 << 16) {
        return false;
      }
      if (!types.contains(Boxes.fourcc(body.getInt(p + 4)))) {
        return false;
      }
      p += (int) size;
    }
    return p > 0;
  }

  /** Whether a {@code trun} body is exactly as long as its flags and sample count make it. */
  private static boolean runTableExact(ByteBuffer trun) {
    if (trun.limit() < 8) {
      return false;
    }
    int flags = trun.getInt(0) & 0xffffff;
    long count = Integer.toUnsignedLong(trun.getInt(4));
    long fixed = 8 + ((flags & 1) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 4 : 0);
    long perSample = 4L * Integer.bitCount(flags & 0xf00);
    return fixed + count * perSample == trun.limit();
  }

  private static boolean allZero(ByteBuffer b) {
    while (b.hasRemaining()) {
      if (b.get() != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether bytes {@code from} to {@code to} are padding: all zero, or one {@code free} or {@code
   * skip} box exactly as long whose body is all zero.
   */
  private boolean isPadding(long from, long to) throws IOException {
    long p = from;
    if (to - from >= 8) {
      ByteBuffer h = run.read(from, 8);
      if (h.remaining() == 8
          && Integer.toUnsignedLong(h.getInt(0)) == to - from
          && (h.getInt(4) == 0x66726565 || h.getInt(4) == 0x736b6970)) { // "free", "skip"
        p += 8;
      }
    }
    while (p < to) {
      int len = (int) Math.min(READ, to - p);
      ByteBuffer b = run.read(p, len);
      if (b.remaining() < len) {
        return false;
      }
      while (b.hasRemaining()) {
        if (b.get() != 0) {
          return false;
        }
      }
      p += len;
    }
    return true;
  }
}
