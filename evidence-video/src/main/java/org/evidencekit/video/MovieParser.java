package org.evidencekit.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.evidencekit.video.Boxes.Box;

/**
 * Reads a movie box: the movie header and its clocks (creation times, timecode, GPS), metadata, and
 * each track's header, edit list, sample description and sample tables (or fragments), which it
 * hands to {@link TrackAnalysis}.
 */
final class MovieParser {
  private static final Set<String> VISUAL = Set.of("avc1", "avc3", "hvc1", "hev1", "mp4v");

  private final ProbeRun run;
  private final TrackAnalysis analysis;

  MovieParser(ProbeRun run) {
    this.run = run;
    this.analysis = new TrackAnalysis(run);
  }

  /**
   * @param mfra the fragment random-access index, or null
   */
  RecordingTimeline parseMoov(
      Box moov, List<Box> moofs, Box mfra, ContainerKind kind, String brand, List<long[]> mdats)
      throws IOException {
    List<Box> kids = run.boxes.children(moov.body(), "moov", 1, moov.offset);
    Box mvhd = Boxes.first(kids, "mvhd");
    if (mvhd == null) {
      throw new MediaFormatException("moov has no movie header (mvhd)");
    }
    ByteBuffer m = mvhd.body();
    Boxes.need(m, 4, "mvhd");
    int version = m.get() & 0xff;
    m.position(4);
    long created;
    long modified;
    long timescale;
    long duration;
    if (version == 1) {
      Boxes.need(m, 28, "mvhd v1");
      created = m.getLong();
      modified = m.getLong();
      timescale = Boxes.u32(m);
      duration = m.getLong();
    } else {
      Boxes.need(m, 16, "mvhd v0");
      created = Boxes.u32(m);
      modified = Boxes.u32(m);
      timescale = Boxes.u32(m);
      duration = Boxes.u32(m);
    }
    Instant creation = MediaProbe.mp4Time(created);
    movieSeconds = timescale == 0 ? 0 : (double) duration / timescale;
    creationDisagreements.clear();
    if (creation == null) {
      run.findings.add(
          MediaFinding.of(
              MediaFindingCode.MISSING_CREATION_TIME,
              "the movie header has no creation time (0): typical of a remux with ffmpeg -c copy"));
    }
    Box udta = Boxes.first(kids, "udta");
    if (udta != null) {
      parseUdta(udta);
    }
    Box meta = Boxes.first(kids, "meta");
    if (meta != null) {
      parseMeta(meta, "moov/meta");
    }
    Box mvex = Boxes.first(kids, "mvex");
    Map<Long, long[]> trex = mvex == null ? Map.of() : parseTrex(mvex);
    List<TrackTimeline> tracks = new ArrayList<>();
    FragmentSequence sequence = new FragmentSequence(run.boxes, moofs, run.segmentTypes > 0);
    long primingMillis = TrackAnalysis.PRIMING_TOLERANCE_MS;
    for (Box trak : Boxes.all(kids, "trak")) {
      // the longest AAC frame: the priming a writer may fold into the other tracks' first samples
      primingMillis = Math.max(primingMillis, aacFrameMillis(trak));
    }
    for (Box trak : Boxes.all(kids, "trak")) {
      tracks.add(parseTrak(trak, timescale, creation, moofs, trex, sequence, primingMillis));
    }
    // once for the file, placed by every track's fragments
    sequence.report(run.findings);
    if (mvex != null && !fragmented.isEmpty()) {
      appendedFragments(mvex, timescale, tracks, sequence.longestFragment());
    }
    // fragments taken out with the rest renumbered and retimed leave the numbering and the decode
    // times running on; the index the writer wrote at close still says where they were. A break
    // already found is placed better by them, so the index is asked only when they show none
    if (mfra != null
        && !fragmented.isEmpty()
        && run.findings.stream()
            .noneMatch(
                f -> f.code().equals(MediaFindingCode.FRAGMENT_DISCONTINUITY) && !f.benign())) {
      FragmentIndex.check(run.boxes, mfra, moofs, fragmented, run.findings, primingMillis);
    }
    fragmented.clear();
    audioAfterVideoDelay(tracks, timescale);
    judgeCreationDisagreements(tracks);
    double seconds = timescale == 0 ? 0 : (double) duration / timescale;
    // a fragmented file's movie header need not count its fragments (0 s from GStreamer's qtmux,
    // whose brand makes the file a MOV): its tracks' fragments say how long it runs
    if (kind == ContainerKind.FRAGMENTED_MP4 || !moofs.isEmpty()) {
      for (TrackTimeline t : tracks) {
        seconds = Math.max(seconds, t.durationSeconds());
      }
    }
    RecordingTimeline.Timecode tc = timecode(tracks);
    Gpmf gpmf = gpmf(tracks);
    Instant gps = gpmf == null ? null : gpmf.gpsTime;
    if (gps != null && creation != null) {
      long diff = creation.getEpochSecond() - gps.getEpochSecond();
      if (Math.abs(diff) > 60) {
        double hours = Math.round(diff / 360.0) / 10.0;
        // a zone offset is a whole number of quarter hours, at most 14 h
        long zone = Math.round(diff / 900.0) * 900;
        boolean localTime =
            zone != 0 && Math.abs(zone) <= 14 * 3600 && Math.abs(diff - zone) <= 60 + seconds;
        MediaFinding f =
            MediaFinding.of(
                MediaFindingCode.CREATION_TIME_VS_GPS,
                "creation time "
                    + creation
                    + " differs from the GPS time "
                    + gps
                    + " by "
                    + diff
                    + " s ("
                    + hours
                    + " h): the camera likely wrote local time"
                    + " (UTC"
                    + (hours >= 0 ? "+" : "")
                    + hours
                    + ") or its clock is off"
                    + (localTime ? " (benign: a whole zone offset)" : ""));
        run.findings.add(localTime ? f.asBenign() : f);
      }
    }
    String gpsPos =
        gpmf == null || gpmf.latitude == null ? null : gpmf.latitude + "," + gpmf.longitude;
    boolean truncated = false;
    for (TrackTimeline t : tracks) {
      truncated |= t.completeSamples() < t.sampleCount();
    }
    Long frames = null;
    Long keys = null;
    TrackTimeline video =
        tracks.stream().filter(t -> t.handler().equals("vide")).findFirst().orElse(null);
    if (truncated && video != null) {
      // what is left: the frames wholly in the file, up to the end of the last of them
      long n = 0;
      long k = 0;
      long end = 0;
      for (Sample s : (Iterable<Sample>) video::samples) {
        if (s.offset() >= 0 && s.offset() + s.size() <= run.size) {
          n++;
          k += s.sync() ? 1 : 0;
          end = Math.max(end, s.decodeTime() + s.duration());
        }
      }
      frames = n;
      keys = k;
      seconds = Math.min(seconds, (double) end / video.timescale());
    }
    if (!truncated && kind != ContainerKind.FRAGMENTED_MP4) {
      unreferencedMedia(mdats, tracks);
    }
    return new RecordingTimeline(
        run.size,
        kind,
        brand,
        creation,
        MediaProbe.mp4Time(modified),
        seconds,
        tracks,
        run.findings,
        run.encoder,
        run.location,
        run.metadata,
        frames,
        keys,
        tc,
        gps,
        gpsPos,
        truncated,
        false,
        null);
  }

  /**
   * A camera writes its samples back to back into one media box; a sample removed from the tables
   * (stts, stsz, stco rewritten so the timestamps run on) leaves its bytes behind, between the
   * samples that stay or, for the last ones, before the box's end. Only a file with one media box
   * is judged; padding of zero bytes in it is no edit ({@link UnreferencedMedia}), and samples that
   * share bytes make the sum larger, never smaller. A track whose samples have no byte sizes
   * (QuickTime sound in packets) leaves it unjudged.
   */
  private void unreferencedMedia(List<long[]> mdats, List<TrackTimeline> tracks)
      throws IOException {
    if (mdats.size() != 1 || run.sampleBytesEnd < 0 || run.unsizedSamples) {
      return;
    }
    long start = mdats.get(0)[0];
    long end = start + mdats.get(0)[1];
    long unreferenced = end - start - run.sampleBytes;
    if (run.firstSampleByte >= start && run.sampleBytesEnd <= end && unreferenced > 0) {
      new UnreferencedMedia(run, tracks).judge(start, end, unreferenced);
    }
  }

  /**
   * The movie extends header ({@code mehd}) a writer fills in when it closes a fragmented file: the
   * longest track's length, fragments included. GStreamer's splitmuxsink overstates it (the
   * recording's running time at the file's end, not the file's length) and a writer stopped by
   * power loss leaves 0 there, and ffmpeg writes none, so only the tracks' fragments lasting longer
   * than it, by more than a second and more than the longest fragment, are reported: fragments
   * appended after the writer closed the file.
   */
  private void appendedFragments(
      Box mvex, long movieTimescale, List<TrackTimeline> tracks, double longestFragment)
      throws MediaFormatException {
    Box mehd = Boxes.first(run.boxes.children(mvex.body(), "moov/mvex", 2, mvex.offset), "mehd");
    if (mehd == null || movieTimescale == 0) {
      return;
    }
    ByteBuffer b = mehd.body();
    Boxes.need(b, 8, "mehd");
    int version = b.get() & 0xff;
    b.position(4);
    if (version == 1) {
      Boxes.need(b, 8, "mehd v1");
    }
    long duration = version == 1 ? b.getLong() : Boxes.u32(b);
    if (duration <= 0) {
      return;
    }
    double stated = (double) duration / movieTimescale;
    double held = 0;
    for (TrackTimeline t : tracks) {
      held = Math.max(held, t.durationSeconds());
    }
    if (held - stated > Math.max(MEHD_SLACK_S, longestFragment)) {
      run.findings.add(
          MediaFinding.offset(
              MediaFindingCode.FRAGMENT_DISCONTINUITY,
              String.format(
                  Locale.ROOT,
                  "the movie extends header (mehd) gives the fragments %.3f s, the tracks'"
                      + " fragments hold %.3f s: fragments were appended after the writer closed"
                      + " the file, from %.3f s on",
                  stated,
                  held,
                  stated),
              mehd.offset,
              stated,
              held));
    }
  }

  /** How much longer than the movie extends header says the fragments may last: a second. */
  static final double MEHD_SLACK_S = 1.0;

  /**
   * Older libavformat starts every track together by skipping the video's B-frame reordering delay
   * in the audio's edit as well as the audio's priming: an audio edit list found hiding media is
   * judged again with that delay allowed, when a video track's one edit skips exactly its own
   * delay, of at most {@link TrackAnalysis#MAX_VIDEO_DELAY_MS}.
   */
  private void audioAfterVideoDelay(List<TrackTimeline> tracks, long movieTs) {
    double delay = 0;
    for (TrackTimeline t : tracks) {
      List<EditListEntry> e = t.editList();
      if (t.handler().equals("vide") && e.size() == 1 && e.get(0).mediaTime() > 0) {
        java.util.Iterator<Sample> first = t.samples();
        if (first.hasNext() && first.next().compositionOffset() == e.get(0).mediaTime()) {
          double d = (double) e.get(0).mediaTime() / t.timescale();
          if (d * 1000 <= TrackAnalysis.MAX_VIDEO_DELAY_MS) {
            delay = Math.max(delay, d);
          }
        }
      }
    }
    if (delay == 0) {
      return;
    }
    // each track's samples are walked once: tracks sharing an id (DUPLICATE_TRACK_ID) all find
    // the first, and its walk of up to the whole sample budget must not be repeated per finding
    Map<TrackTimeline, long[]> walked = new IdentityHashMap<>();
    for (int i = 0; i < run.findings.size(); i++) {
      MediaFinding f = run.findings.get(i);
      if (!f.code().equals(MediaFindingCode.EDIT_LIST) || f.benign() || f.trackId().isEmpty()) {
        continue;
      }
      int id = f.trackId().getAsInt();
      TrackTimeline a = tracks.stream().filter(t -> t.trackId() == id).findFirst().orElse(null);
      if (a == null || !a.handler().equals("soun")) {
        continue;
      }
      long[] totalAndLast =
          walked.computeIfAbsent(
              a,
              t -> {
                long[] tl = new long[2];
                for (Sample s : (Iterable<Sample>) t::samples) {
                  tl[0] += s.duration();
                  tl[1] = s.duration();
                }
                return tl;
              });
      long total = totalAndLast[0];
      long last = totalAndLast[1];
      String kind =
          analysis.classifyEdits(
              "soun",
              a.editList(),
              a.timescale(),
              movieTs,
              0,
              total,
              last,
              a.sampleCount(),
              Math.round(delay * a.timescale()),
              TrackAnalysis.presentedEarly(a::samples, a.editList()),
              TrackAnalysis.PRIMING_TOLERANCE_MS);
      if (kind.contains("(benign")) {
        run.findings.set(
            i,
            MediaFinding.track(MediaFindingCode.EDIT_LIST, "track " + id + " (soun): " + kind, id)
                .asBenign());
      }
    }
  }

  /** Reads the first timecode sample (4 bytes) and the tmcd entry's rate. */
  RecordingTimeline.Timecode timecode(List<TrackTimeline> tracks) throws IOException {
    for (TrackTimeline t : tracks) {
      if (!t.handler().equals("tmcd") || t.timecodeRate == null) {
        continue;
      }
      java.util.Iterator<Sample> it = t.samples();
      if (!it.hasNext()) {
        return null;
      }
      Sample s = it.next();
      if (s.offset() < 0 || s.offset() + 4 > run.size || s.size() < 4) {
        return null;
      }
      long frames = Integer.toUnsignedLong(run.read(s.offset(), 4).getInt());
      return new RecordingTimeline.Timecode(frames, t.timecodeRate);
    }
    return null;
  }

  /** Parses the first GPMF sample that has GPS in it (reads at most 16 samples of 64 KiB). */
  Gpmf gpmf(List<TrackTimeline> tracks) throws IOException {
    for (TrackTimeline t : tracks) {
      if (!t.codec().equals("gpmd")) {
        continue;
      }
      java.util.Iterator<Sample> it = t.samples();
      for (int i = 0; i < 16 && it.hasNext(); i++) {
        Sample s = it.next();
        if (s.offset() < 0 || s.offset() + s.size() > run.size || s.size() > 64 * 1024) {
          continue;
        }
        run.spendSampleBytes(
            (int) s.size(), "track " + t.trackId() + " (gpmd)", "telemetry samples", s.index());
        Gpmf g = Gpmf.parse(run.read(s.offset(), (int) s.size()));
        if (g.gpsTime != null) {
          return g;
        }
      }
    }
    return null;
  }

  void parseUdta(Box udta) throws MediaFormatException {
    for (Box b : run.boxes.children(udta.body(), "moov/udta", 2, udta.offset)) {
      if (b.type.equals("©xyz")) {
        ByteBuffer x = b.body();
        if (x.remaining() >= 4) {
          int len = x.getShort() & 0xffff;
          x.getShort();
          if (len <= x.remaining()) {
            byte[] s = new byte[len];
            x.get(s);
            run.location = new String(s, StandardCharsets.UTF_8);
          }
        }
      } else if (b.type.equals("meta")) {
        parseMeta(b, "moov/udta/meta");
      }
    }
  }

  /** Apple/Android "mdta" keys with their ilst values; lenient: metadata is not evidence. */
  void parseMeta(Box meta, String path) {
    try {
      ByteBuffer body = meta.body();
      // QuickTime meta has no version/flags; ISO meta has 4 bytes of them
      if (body.remaining() >= 8 && Boxes.fourcc(body.getInt(4)).equals("hdlr")) {
        body.position(0);
      } else {
        body.position(Math.min(4, body.remaining()));
      }
      List<Box> kids = run.boxes.children(body.slice(), path, 3, meta.offset);
      Box keys = Boxes.first(kids, "keys");
      Box ilst = Boxes.first(kids, "ilst");
      if (keys == null || ilst == null) {
        return;
      }
      ByteBuffer k = keys.body();
      k.position(4);
      int n = Boxes.entries(k, Boxes.u32(k), 8, path + "/keys");
      List<String> names = new ArrayList<>();
      for (int i = 0; i < n && k.remaining() >= 8; i++) {
        long ks = Boxes.u32(k);
        k.getInt();
        if (ks < 8 || ks - 8 > k.remaining()) {
          return;
        }
        byte[] name = new byte[(int) ks - 8];
        k.get(name);
        names.add(new String(name, StandardCharsets.UTF_8));
      }
      ByteBuffer l = ilst.body();
      while (l.remaining() >= 8) {
        int start = l.position();
        long is = Boxes.u32(l);
        int index = l.getInt();
        if (is < 8 || is > l.limit() - start) {
          return;
        }
        ByteBuffer item = l.duplicate();
        item.position(start + 8).limit((int) (start + is));
        for (Box d : run.boxes.children(item.slice(), path + "/ilst", 4, ilst.offset)) {
          if (d.type.equals("data") && d.body.remaining() >= 8) {
            ByteBuffer v = d.body();
            int dataType = v.getInt() & 0xffffff;
            v.position(8);
            String value;
            if (dataType == 23 && v.remaining() == 4) {
              value = Float.toString(v.getFloat());
            } else if (dataType == 24 && v.remaining() == 8) {
              value = Double.toString(v.getDouble());
            } else if ((dataType == 21 || dataType == 22) && v.remaining() <= 8) {
              long x = 0;
              while (v.hasRemaining()) {
                x = (x << 8) | (v.get() & 0xff);
              }
              value = Long.toString(x);
            } else {
              value = Boxes.text(v);
            }
            if (index >= 1 && index <= names.size()) {
              run.metadata.put(names.get(index - 1), value);
              if (names.get(index - 1).endsWith("location.ISO6709") && run.location == null) {
                run.location = value;
              }
            }
          }
        }
        l.position((int) (start + is));
      }
    } catch (MediaFormatException | RuntimeException e) {
      // damaged metadata is ignored: it is descriptive, never used as evidence
    }
  }

  Map<Long, long[]> parseTrex(Box mvex) throws MediaFormatException {
    Map<Long, long[]> out = new LinkedHashMap<>();
    for (Box b : run.boxes.children(mvex.body(), "moov/mvex", 2, mvex.offset)) {
      if (b.type.equals("trex")) {
        ByteBuffer t = b.body();
        Boxes.need(t, 24, "trex");
        t.getInt();
        long id = Boxes.u32(t);
        long descIndex = Boxes.u32(t);
        long dur = Boxes.u32(t);
        long sz = Boxes.u32(t);
        long flags = Boxes.u32(t);
        out.put(id, new long[] {descIndex, dur, sz, flags});
      }
    }
    return out;
  }

  TrackTimeline parseTrak(
      Box trak,
      long movieTimescale,
      Instant movieCreation,
      List<Box> moofs,
      Map<Long, long[]> trex,
      FragmentSequence sequence,
      long primingMillis)
      throws IOException {
    List<Box> kids = run.boxes.children(trak.body(), "trak", 2, trak.offset);
    Box tkhd = Boxes.first(kids, "tkhd");
    if (tkhd == null) {
      throw new MediaFormatException("a track has no track header (tkhd)");
    }
    ByteBuffer th = tkhd.body();
    Boxes.need(th, 4, "tkhd");
    int tv = th.get() & 0xff;
    th.position(4);
    Boxes.need(th, tv == 1 ? 20 : 12, "tkhd");
    long tCreated = tv == 1 ? th.getLong() : Boxes.u32(th);
    if (tv == 1) {
      th.getLong();
    } else {
      th.getInt();
    }
    int trackId = th.getInt();
    String where = "track " + trackId;
    boolean duplicateId = !run.trackIds.add(trackId);
    if (duplicateId) {
      run.findings.add(
          MediaFinding.track(
              MediaFindingCode.DUPLICATE_TRACK_ID,
              "two tracks have the id "
                  + trackId
                  + ": the fragments' samples go to the first; the file was not written by one"
                  + " muxer in one go",
              trackId));
    }
    Box mdia = Boxes.first(kids, "mdia");
    if (mdia == null) {
      throw new MediaFormatException(where + " has no media box (mdia)");
    }
    List<Box> mk = run.boxes.children(mdia.body(), where + "/mdia", 3, mdia.offset);
    Box mdhd = Boxes.first(mk, "mdhd");
    Box hdlr = Boxes.first(mk, "hdlr");
    Box minf = Boxes.first(mk, "minf");
    if (mdhd == null || hdlr == null || minf == null) {
      throw new MediaFormatException(where + ": mdia lacks mdhd, hdlr or minf");
    }
    ByteBuffer md = mdhd.body();
    Boxes.need(md, 4, where + " mdhd");
    int mv = md.get() & 0xff;
    md.position(4);
    Boxes.need(md, mv == 1 ? 28 : 16, where + " mdhd");
    long mCreated = mv == 1 ? md.getLong() : Boxes.u32(md);
    if (mv == 1) {
      md.getLong();
    } else {
      md.getInt();
    }
    long timescale = Boxes.u32(md);
    if (timescale == 0) {
      throw new MediaFormatException(where + ": media timescale 0");
    }
    ByteBuffer hd = hdlr.body();
    Boxes.need(hd, 24, where + " hdlr");
    hd.position(8);
    String handler = Boxes.fourcc(hd.getInt());
    hd.position(24);
    String handlerName = Boxes.text(hd).trim();
    checkCreation(where, movieCreation, MediaProbe.mp4Time(tCreated), MediaProbe.mp4Time(mCreated));

    List<EditListEntry> edits = new ArrayList<>();
    Box edts = Boxes.first(kids, "edts");
    if (edts != null) {
      Box elst =
          Boxes.first(run.boxes.children(edts.body(), where + "/edts", 3, edts.offset), "elst");
      if (elst != null) {
        edits = parseElst(elst, where);
      }
    }
    List<Box> mi = run.boxes.children(minf.body(), where + "/minf", 4, minf.offset);
    Box stbl = Boxes.first(mi, "stbl");
    if (stbl == null) {
      throw new MediaFormatException(where + ": no sample table (stbl)");
    }
    List<Box> st = run.boxes.children(stbl.body(), where + "/stbl", 5, stbl.offset);
    String[] codec = new String[1];
    String[] config = new String[1];
    int descriptions = parseStsd(Boxes.first(st, "stsd"), where, codec, config);
    if (descriptions > 1) {
      run.findings.add(
          MediaFinding.track(
              MediaFindingCode.CODEC_CONFIG_CHANGE,
              where
                  + " has "
                  + descriptions
                  + " sample descriptions: the codec configuration"
                  + " changes mid-stream (spliced from another source?)",
              trackId));
    }
    TableSamples table = parseTables(st, where);
    if (handler.equals("soun") && table.stsz == null && table.fixedSize == 1) {
      // QuickTime counts uncompressed sound in PCM frames of one "byte" each: the sound entry says
      // how many bytes a frame holds (ffmpeg, like QuickTime, reads them so)
      if (soundFrameBytes > 1 && soundFrameBytes <= 4096) {
        // (a PCM frame of more than 4 KiB, 64 channels of 64 bits, is no sound description)
        table.fixedSize = soundFrameBytes;
      } else if (soundFrameBytes < 0) {
        run.unsizedSamples = true;
      }
    }
    if (descriptions > 1) {
      descriptionChange(table, where, trackId, timescale);
    }
    long timed = table.sttsSampleTotal();
    if (table.sampleCount != timed) {
      run.findings.add(
          MediaFinding.track(
              MediaFindingCode.SAMPLE_COUNT_MISMATCH,
              where
                  + ": the size table lists "
                  + table.sampleCount
                  + " samples, the time table "
                  + timed
                  + "; only "
                  + Math.min(table.sampleCount, timed)
                  + " are used",
              trackId));
    }
    Iterable<Sample> samples = table;
    long count = Math.min(table.sampleCount, timed);
    run.spend(count, where + " sample table");
    boolean fragments = false;
    if (!moofs.isEmpty() && !duplicateId) {
      long presentedBase =
          edits.stream().filter(e -> !e.isEmpty()).findFirst().map(e -> e.mediaTime()).orElse(0L);
      // a writer may put the first samples in the movie box and the rest in fragments (ffmpeg's
      // frag_keyframe without empty_moov): the fragments continue the table's timeline
      long tableEnd = -1;
      if (count > 0) {
        tableEnd = 0;
        for (Sample s : table) {
          tableEnd = TrackAnalysis.saturatedSum(s.decodeTime(), s.duration());
        }
      }
      FragmentSamples frag =
          FragmentSamples.parse(
              run.boxes,
              moofs,
              trackId,
              trex.get((long) trackId),
              run.findings,
              run.sampleBudget,
              sequence,
              presentedBase,
              timescale,
              tableEnd,
              count,
              TrackAnalysis.isCaption(handler, codec[0]));
      if (frag.count() > 0 || count == 0) {
        samples = count == 0 ? frag : tableThenFragments(table, frag);
        count += frag.count();
        fragments = true;
        fragmented.putIfAbsent(
            trackId, new FragmentIndex.FragmentedTrack(frag, timescale, presentedBase));
        run.spend(frag.count(), where + " fragments");
      }
    }
    TrackTimeline tt =
        analysis.analyse(
            trackId,
            handler,
            handlerName,
            codec[0],
            timescale,
            movieTimescale,
            edits,
            descriptions,
            config[0],
            samples,
            count,
            table.stssCount >= 0 || fragments,
            primingMillis);
    tt.timecodeRate = run.lastTimecodeRate;
    return tt;
  }

  /**
   * How long one AAC frame (1024 samples) of an AAC sound track lasts, in whole milliseconds
   * rounded up, or 0 for another track or one that cannot be read (its own parse says why). A
   * writer without an edit list folds the audio's priming, one such frame, into the other tracks'
   * first samples (ffmpeg's fragmented files): 128 ms at 8 kHz, past the 100 ms allowed otherwise.
   */
  private static long aacFrameMillis(Box trak) {
    ByteBuffer mdia = child(trak.body(), "mdia");
    ByteBuffer mdhd = mdia == null ? null : child(mdia, "mdhd");
    ByteBuffer hdlr = mdia == null ? null : child(mdia, "hdlr");
    ByteBuffer minf = mdia == null ? null : child(mdia, "minf");
    ByteBuffer stbl = minf == null ? null : child(minf, "stbl");
    ByteBuffer stsd = stbl == null ? null : child(stbl, "stsd");
    if (mdhd == null
        || hdlr == null
        || stsd == null
        || hdlr.remaining() < 12
        || !Boxes.fourcc(hdlr.getInt(8)).equals("soun")
        || stsd.remaining() < 16
        || !Boxes.fourcc(stsd.getInt(12)).equals("mp4a")) {
      return 0;
    }
    int at = (mdhd.get(0) & 0xff) == 1 ? 20 : 12;
    long timescale = mdhd.remaining() < at + 4 ? 0 : Integer.toUnsignedLong(mdhd.getInt(at));
    return timescale == 0 ? 0 : (1024 * 1000 + timescale - 1) / timescale;
  }

  /**
   * The body of the first box of {@code type} among those in {@code body}, or null (also where the
   * boxes do not parse: the track's own reading reports that). Not counted against the box budget,
   * as the track's reading counts these boxes.
   */
  private static ByteBuffer child(ByteBuffer body, String type) {
    int p = 0;
    while (body.limit() - p >= 8) {
      long size = Integer.toUnsignedLong(body.getInt(p));
      if (size < 8 || size > body.limit() - p) {
        return null;
      }
      if (Boxes.fourcc(body.getInt(p + 4)).equals(type)) {
        return body.duplicate().position(p + 8).limit((int) (p + size)).slice();
      }
      p += (int) size;
    }
    return null;
  }

  /** A track's samples from its sample table, then those of its fragments. */
  private static Iterable<Sample> tableThenFragments(
      Iterable<Sample> table, Iterable<Sample> fragments) {
    return () ->
        new Iterator<>() {
          private Iterator<Sample> current = table.iterator();
          private boolean second;

          @Override
          public boolean hasNext() {
            if (!second && !current.hasNext()) {
              current = fragments.iterator();
              second = true;
            }
            return current.hasNext();
          }

          @Override
          public Sample next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return current.next();
          }
        };
  }

  /** The tracks of this movie read from fragments, by id, for {@link FragmentIndex}. */
  private final Map<Integer, FragmentIndex.FragmentedTrack> fragmented = new LinkedHashMap<>();

  /** The movie header's duration in seconds, for {@link #judgeCreationDisagreements}. */
  private double movieSeconds;

  /**
   * How far a writer's start and end stamps may be from the recording's length: whole seconds on
   * both (1 s), the first sample a moment after the header's stamp and the file closed a moment
   * after the last (1 s).
   */
  static final long STAMPED_AT_START_AND_END_SLACK_SECONDS = 2;

  /** A {@code CREATION_TIME_DISAGREEMENT} listed, and how far apart its headers are. */
  private record Disagreement(MediaFinding finding, int index, long apart) {}

  /** This movie's disagreements, judged once its tracks' lengths are known. */
  private final List<Disagreement> creationDisagreements = new ArrayList<>();

  /**
   * A track or media header created at another time than the movie header: listed as an edit here,
   * judged by {@link #judgeCreationDisagreements} once the tracks' lengths are known.
   */
  void checkCreation(String where, Instant movie, Instant track, Instant media) {
    for (Instant t : new Instant[] {track, media}) {
      long apart =
          movie == null || t == null ? 0 : Math.abs(t.getEpochSecond() - movie.getEpochSecond());
      if (apart > 1) {
        MediaFinding f =
            MediaFinding.of(
                MediaFindingCode.CREATION_TIME_DISAGREEMENT,
                where + " says it was created " + t + ", the movie header " + movie);
        if (run.findings.add(f)) {
          creationDisagreements.add(new Disagreement(f, run.findings.size() - 1, apart));
        }
        return;
      }
    }
  }

  /**
   * A writer that stamps one header when recording begins and the other when it ends leaves them
   * apart by the recording's length: within {@link #STAMPED_AT_START_AND_END_SLACK_SECONDS} of it
   * that is benign. Nearer or farther, one of them was stamped again after the camera closed the
   * file (a re-stamp that can hide a late recording, R-08, R-13), or the file was repackaged; a
   * window of anything up to the length would let a 2-hour recording's header move by up to 2 hours
   * unremarked. The length is what the tracks' samples span (the movie header's duration when
   * shorter): a duration written into the movie header alone widens nothing.
   */
  private void judgeCreationDisagreements(List<TrackTimeline> tracks) {
    double samples = 0;
    for (TrackTimeline t : tracks) {
      samples = Math.max(samples, t.durationSeconds());
    }
    double length = movieSeconds > 0 ? Math.min(movieSeconds, samples) : samples;
    for (Disagreement d : creationDisagreements) {
      if (Math.abs(d.apart() - length) <= STAMPED_AT_START_AND_END_SLACK_SECONDS
          && d.index() < run.findings.size()
          && run.findings.get(d.index()) == d.finding()) {
        run.findings.set(
            d.index(),
            MediaFinding.of(
                    MediaFindingCode.CREATION_TIME_DISAGREEMENT,
                    d.finding().message()
                        + " (benign: "
                        + d.apart()
                        + " s apart, the recording's length, as when one header is stamped at its"
                        + " start and the other at its end)")
                .asBenign());
      }
    }
    creationDisagreements.clear();
  }

  List<EditListEntry> parseElst(Box elst, String where) throws MediaFormatException {
    ByteBuffer e = elst.body();
    Boxes.need(e, 8, where + " elst");
    int v = e.get() & 0xff;
    e.position(4);
    int entrySize = v == 1 ? 20 : 12;
    int n = Boxes.entries(e, Boxes.u32(e), entrySize, where + " elst");
    List<EditListEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long dur = v == 1 ? e.getLong() : Boxes.u32(e);
      long mediaTime = v == 1 ? e.getLong() : e.getInt();
      int rateInt = e.getShort();
      int rateFrac = e.getShort() & 0xffff;
      out.add(new EditListEntry(dur, mediaTime, rateInt + rateFrac / 65536.0));
    }
    return out;
  }

  /**
   * The bytes of one sample of a QuickTime sound entry (version 0, 1 or 2 of the sound
   * description), for the sample size table's constant 1 with which QuickTime writers count
   * uncompressed sound in PCM frames rather than bytes: 0 when the entry is no sound entry of such
   * a kind or says nothing usable, -1 when its samples are packed into packets of several (no
   * per-sample size).
   */
  private static long soundFrameBytes(Box e) {
    ByteBuffer b = e.body();
    if (b.remaining() < 28) {
      return 0;
    }
    int version = b.getShort(8) & 0xffff;
    int channels = b.getShort(16) & 0xffff;
    int bits = b.getShort(18) & 0xffff;
    if (version == 1 && b.remaining() >= 44) {
      long perPacket = Integer.toUnsignedLong(b.getInt(28));
      long frameBytes = Integer.toUnsignedLong(b.getInt(36));
      return perPacket > 1 ? -1 : PCM.contains(e.type) ? frameBytes : 0;
    }
    if (version == 2 && b.remaining() >= 64) {
      long packetBytes = Integer.toUnsignedLong(b.getInt(56));
      long framesPerPacket = Integer.toUnsignedLong(b.getInt(60));
      return framesPerPacket > 1 ? -1 : PCM.contains(e.type) ? packetBytes : 0;
    }
    if (version != 0 || !PCM.contains(e.type)) {
      return 0;
    }
    int sampleBytes =
        switch (e.type) {
          case "in24" -> 3;
          case "in32", "fl32" -> 4;
          case "fl64" -> 8;
          case "ulaw", "alaw" -> 1;
          default -> (bits + 7) / 8;
        };
    return (long) channels * sampleBytes;
  }

  /**
   * Where the sample description in use changes (stsc's description index), as a {@code SPLICE} at
   * that sample: a muxer joining footage of another configuration adds a description.
   */
  void descriptionChange(TableSamples t, String where, int trackId, long timescale) {
    ByteBuffer sc = t.stsc.duplicate();
    long firstIndex = -1;
    long samplesBefore = 0;
    for (int i = 0; i < t.stscCount; i++) {
      long firstChunk = Boxes.u32(sc);
      long perChunk = Boxes.u32(sc);
      long index = Boxes.u32(sc);
      long nextChunk = i + 1 < t.stscCount ? Integer.toUnsignedLong(sc.getInt(sc.position())) : -1;
      if (firstIndex < 0) {
        firstIndex = index;
      } else if (index != firstIndex) {
        Sample at = null;
        for (Sample s : t) {
          if (s.index() == samplesBefore) {
            at = s;
            break;
          }
        }
        if (at != null) {
          double time = (double) at.decodeTime() / timescale;
          run.findings.add(
              MediaFinding.at(
                  MediaFindingCode.SPLICE,
                  String.format(
                      Locale.ROOT,
                      "%s: at sample %d (%.3f s) the sample description changes from %s to %s:"
                          + " footage of another configuration joined in",
                      where,
                      at.index(),
                      time,
                      describe(firstIndex),
                      describe(index)),
                  trackId,
                  at.index(),
                  time,
                  at.offset()));
        }
        return;
      }
      if (nextChunk > firstChunk) {
        samplesBefore += (nextChunk - firstChunk) * perChunk;
      }
    }
  }

  /** Sample description {@code index} (1-based) as "avc1 1280x720". */
  private String describe(long index) {
    return index >= 1 && index <= descriptionNames.size()
        ? descriptionNames.get((int) index - 1)
        : "description " + index;
  }

  /** The current track's sample descriptions, "fourcc WxH" for visual ones. */
  private final List<String> descriptionNames = new ArrayList<>();

  /** Uncompressed sound sample entries, whose samples are PCM frames. */
  private static final Set<String> PCM =
      Set.of(
          "twos", "sowt", "raw ", "NONE", "in24", "in32", "fl32", "fl64", "lpcm", "ulaw", "alaw");

  /**
   * Of the last sample description read: the bytes of one PCM frame its sound entry gives (0 when
   * it is no uncompressed sound or says nothing), or -1 for a QuickTime sound entry that packs
   * several samples into a packet (IMA ADPCM, say), whose single samples have no byte size.
   */
  private long soundFrameBytes;

  int parseStsd(Box stsd, String where, String[] codec, String[] config)
      throws MediaFormatException {
    if (stsd == null) {
      throw new MediaFormatException(where + ": no sample description (stsd)");
    }
    ByteBuffer s = stsd.body();
    Boxes.need(s, 8, where + " stsd");
    s.position(4);
    long n = Boxes.u32(s);
    List<Box> entries = run.boxes.children(s.slice(), where + "/stsd", 6, stsd.offset);
    if (entries.size() != n) {
      throw new MediaFormatException(
          where + " stsd declares " + n + " entries but holds " + entries.size());
    }
    if (entries.isEmpty()) {
      codec[0] = "none";
      return 0;
    }
    descriptionNames.clear();
    for (Box e : entries) {
      if (VISUAL.contains(e.type) && e.body.remaining() >= 28) {
        ByteBuffer v = e.body();
        descriptionNames.add(
            e.type + " " + (v.getShort(24) & 0xffff) + "x" + (v.getShort(26) & 0xffff));
      } else {
        descriptionNames.add(e.type);
      }
    }
    Box first = entries.get(0);
    codec[0] = first.type;
    soundFrameBytes = soundFrameBytes(first);
    run.lastTimecodeRate = null;
    run.lastConfig = null;
    if (first.type.equals("tmcd") && first.body.remaining() >= 8 + 4 + 4 + 4 + 4) {
      ByteBuffer tb = first.body();
      tb.position(8 + 4 + 4);
      long ts = Boxes.u32(tb);
      long fd = Boxes.u32(tb);
      if (ts > 0 && fd > 0) {
        run.lastTimecodeRate = (double) ts / fd;
      }
    }
    // visual sample entries: 8 bytes of SampleEntry + 70 of VisualSampleEntry, then boxes
    if (VISUAL.contains(first.type) && first.body.remaining() > 78) {
      ByteBuffer v = first.body();
      v.position(78);
      try {
        for (Box c : run.boxes.children(v.slice(), where + "/" + first.type, 7, first.offset)) {
          if (c.type.equals("avcC") || c.type.equals("hvcC")) {
            config[0] = MediaProbe.sha256(c.body());
            ByteBuffer cb = c.body();
            run.lastConfig = new byte[cb.remaining()];
            cb.get(run.lastConfig);
          }
        }
      } catch (MediaFormatException e) {
        // a damaged configuration record leaves the digest absent, the timeline intact
      }
    }
    return entries.size();
  }

  TableSamples parseTables(List<Box> st, String where) throws MediaFormatException {
    TableSamples t = new TableSamples();
    Box stts = Boxes.first(st, "stts");
    Box stsc = Boxes.first(st, "stsc");
    Box stco = Boxes.first(st, "stco");
    Box co64 = Boxes.first(st, "co64");
    Box stsz = Boxes.first(st, "stsz");
    Box stz2 = Boxes.first(st, "stz2");
    if (stts == null
        || stsc == null
        || (stco == null && co64 == null)
        || (stsz == null && stz2 == null)) {
      throw new MediaFormatException(where + ": incomplete sample table (stts/stsc/stco/stsz)");
    }
    ByteBuffer b = fullBox(stts);
    t.sttsCount = Boxes.entries(b, Boxes.u32(b), 8, where + " stts");
    t.stts = b.slice();
    b = fullBox(stsc);
    t.stscCount = Boxes.entries(b, Boxes.u32(b), 12, where + " stsc");
    t.stsc = b.slice();
    t.co64 = co64 != null;
    b = fullBox(t.co64 ? co64 : stco);
    t.chunkCount = Boxes.entries(b, Boxes.u32(b), t.co64 ? 8 : 4, where + " chunk offsets");
    t.chunkOffsets = b.slice();
    if (stsz != null) {
      b = fullBox(stsz);
      Boxes.need(b, 8, where + " stsz");
      t.fixedSize = Boxes.u32(b);
      long n = Boxes.u32(b);
      if (t.fixedSize == 0) {
        Boxes.entries(b, n, 4, where + " stsz");
        t.stsz = b.slice();
      }
      t.sampleCount = n;
    } else {
      b = fullBox(stz2);
      Boxes.need(b, 8, where + " stz2");
      b.getShort();
      b.get();
      int field = b.get() & 0xff;
      if (field != 4 && field != 8 && field != 16) {
        throw new MediaFormatException(where + " stz2 field size " + field);
      }
      long n = Boxes.u32(b);
      long bytes = (n * field + 7) / 8;
      if (bytes > b.remaining()) {
        throw new MediaFormatException(where + " stz2 declares " + n + " samples, too few bytes");
      }
      t.fieldSize = field;
      t.sampleCount = n;
      t.stsz = b.slice();
    }
    Box stss = Boxes.first(st, "stss");
    if (stss != null) {
      b = fullBox(stss);
      t.stssCount = Boxes.entries(b, Boxes.u32(b), 4, where + " stss");
      t.stss = b.slice();
    }
    Box ctts = Boxes.first(st, "ctts");
    if (ctts != null) {
      b = fullBox(ctts);
      t.cttsCount = Boxes.entries(b, Boxes.u32(b), 8, where + " ctts");
      t.ctts = b.slice();
    }
    return t;
  }

  ByteBuffer fullBox(Box b) throws MediaFormatException {
    ByteBuffer x = b.body();
    Boxes.need(x, 8, b.type);
    x.position(4);
    return x;
  }
}
