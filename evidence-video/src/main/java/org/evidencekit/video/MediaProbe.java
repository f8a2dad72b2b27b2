package org.evidencekit.video;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.evidencekit.video.Boxes.Box;

/**
 * Reads a recording's container index into a {@link RecordingTimeline}:
 * box headers and sample tables only, never the media data (a file without a movie box is the
 * exception: its media data is scanned for frames, since nothing else is left). Bounded by {@link
 * ParseLimits}; hostile or damaged input gives a {@link MediaFormatException}.
 *
 * <pre>{@code
 * RecordingTimeline t = MediaProbe.create().probe(Path.of("DEVCAM7_20230601_141000_001.mp4"));
 * t.track("vide").ifPresent(v -> System.out.println(v.sampleCount() + " frames"));
 * t.findings().forEach(System.out::println);
 * }</pre>
 */
public final class MediaProbe {
  /** Seconds between 1904-01-01 (the MP4 epoch) and 1970-01-01. */
  static final long EPOCH_1904 = 2_082_844_800L;

  private static final Set<String> TOP_LEVEL =
      Set.of(
          "ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "uuid", "moof", "mfra", "styp",
          "sidx", "meta", "pdin", "prft", "emsg", "junk", "PICT");

  private static final int BANNER_BYTES = 2048;

  /** Keyframe head read by a deep probe: room for long SEI and several parameter sets. */
  private static final int DEEP_HEAD_BYTES = 16 * 1024;

  /** The frame rate a power-loss file's duration is estimated with when its stream states none. */
  static final int ASSUMED_FRAME_RATE = 25;

  /**
   * How much longer than the others a track's first sample may be without being a gap: encoders
   * fold audio priming (1024-2112 samples, up to 48 ms) or a start-up delay into it.
   */
  static final int PRIMING_TOLERANCE_MS = 100;

  private final ParseLimits limits;
  private final boolean deep;

  private MediaProbe(ParseLimits limits, boolean deep) {
    this.limits = limits;
    this.deep = deep;
  }

  /** A probe with the default limits that reads only the index (and one keyframe's head). */
  public static MediaProbe create() {
    return new MediaProbe(ParseLimits.DEFAULTS, false);
  }

  /**
   * A probe with the given limits; {@code deep} also reads the first bytes of every keyframe to
   * find a second encoder banner (a copy-splice), bounded by {@link ParseLimits#maxBannerScans}.
   */
  public static MediaProbe create(ParseLimits limits, boolean deep) {
    return new MediaProbe(requireNonNull(limits, "limits"), deep);
  }

  public RecordingTimeline probe(Path file) throws IOException {
    requireNonNull(file, "file");
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return probe(ch);
    }
  }

  /** Probes a channel positioned anywhere; reads with absolute positions; does not close it. */
  public RecordingTimeline probe(SeekableByteChannel ch) throws IOException {
    requireNonNull(ch, "channel");
    return new Run(ch).run();
  }

  /** One probe's state. */
  private final class Run {
    private final SeekableByteChannel ch;
    private final long size;
    private final Boxes boxes = new Boxes(limits);
    private final List<MediaFinding> findings = new FindingList();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String location;
    private String encoder;
    private long indexBytes;
    private Double lastTimecodeRate;
    private byte[] lastConfig;
    private final java.util.Set<Integer> trackIds = new java.util.HashSet<>();

    /**
     * Samples the index may still declare, over all tracks: work is bounded by the file, not by
     * declared counts times tracks. One sample per 16 bytes of file (no camera's video and audio
     * samples average less), and a million for small files whose index outlived their media.
     */
    private long sampleBudget;

    Run(SeekableByteChannel ch) throws IOException {
      this.ch = ch;
      this.size = ch.size();
      this.sampleBudget = Math.max(1_000_000L, size / 16);
    }

    void spend(long samples, String where) throws MediaFormatException {
      sampleBudget -= samples;
      if (samples < 0 || sampleBudget < 0) {
        throw new MediaFormatException(
            where
                + " brings the samples declared to more than "
                + Math.max(1_000_000L, size / 16)
                + ": more than a file of "
                + size
                + " bytes could hold");
      }
    }

    ByteBuffer read(long pos, int n) throws IOException {
      ByteBuffer b = ByteBuffer.allocate(n);
      ch.position(pos);
      while (b.hasRemaining()) {
        if (ch.read(b) < 0) {
          break;
        }
      }
      b.flip();
      return b;
    }

    RecordingTimeline run() throws IOException {
      if (size < 8) {
        throw new MediaFormatException("only " + size + " bytes: not a media file");
      }
      ByteBuffer head = read(0, (int) Math.min(12, size));
      RecordingTimeline audio = AudioFormats.probe(this::read, size, head, findings);
      if (audio != null) {
        return audio;
      }
      String firstType = Boxes.fourcc(head.getInt(4));
      if (!TOP_LEVEL.contains(firstType)) {
        throw new MediaFormatException(
            "not an MP4/MOV file: the first box type is '" + firstType + "'");
      }
      // walk the top level by headers only
      String brand = null;
      Box moov = null;
      List<Box> moofs = new ArrayList<>();
      List<long[]> mdats = new ArrayList<>();
      boolean indexCut = false;
      long pos = 0;
      while (pos < size) {
        if (size - pos < 8) {
          findings.add(
              MediaFinding.offset(
                  MediaFindingCode.TRUNCATED_BOX,
                  (size - pos) + " stray bytes at the end of the file",
                  pos));
          break;
        }
        ByteBuffer h = read(pos, (int) Math.min(16, size - pos));
        long boxSize = Integer.toUnsignedLong(h.getInt(0));
        String type = Boxes.fourcc(h.getInt(4));
        int header = 8;
        if (boxSize == 1) {
          if (h.remaining() < 16) {
            throw new MediaFormatException(type + " at " + pos + ": truncated 64-bit size");
          }
          boxSize = h.getLong(8);
          header = 16;
        } else if (boxSize == 0) {
          boxSize = size - pos;
          if (type.equals("mdat")) {
            findings.add(
                MediaFinding.offset(
                    MediaFindingCode.MDAT_SIZE_ZERO,
                    "mdat of size 0 (\"to end of file\"): the camera did not finish the file",
                    pos));
          }
        }
        if (boxSize < header) {
          throw new MediaFormatException(
              type + " at " + pos + ": declared size " + boxSize + " is smaller than its header");
        }
        if (!TOP_LEVEL.contains(type) && pos > 0) {
          findings.add(
              MediaFinding.offset(
                  MediaFindingCode.DAMAGED_TAIL,
                  "no box at byte "
                      + pos
                      + " (found '"
                      + type
                      + "'): the file is damaged from there, "
                      + (size - pos)
                      + " bytes are not read",
                  pos));
          break;
        }
        boxes.count(type);
        boolean truncated = boxSize > size - pos;
        if (truncated) {
          findings.add(
              MediaFinding.offset(
                  MediaFindingCode.TRUNCATED_BOX,
                  type
                      + " at byte "
                      + pos
                      + " declares "
                      + boxSize
                      + " bytes but the file ends "
                      + (pos + boxSize - size)
                      + " bytes short",
                  pos));
        }
        long available = Math.min(boxSize, size - pos) - header;
        switch (type) {
          case "ftyp":
            if (available >= 4) {
              brand = Boxes.fourcc(read(pos + header, 4).getInt());
            }
            break;
          case "moov":
            if (truncated) {
              findings.add(
                  MediaFinding.offset(
                      MediaFindingCode.INDEX_INCOMPLETE,
                      "the movie box (moov) at byte "
                          + pos
                          + " declares "
                          + boxSize
                          + " bytes but the file holds only "
                          + (size - pos)
                          + ": the index is incomplete",
                      pos));
              indexCut = true;
            } else if (moov == null) {
              moov = new Box("moov", loadIndex(pos + header, available, "moov"), pos + header);
            } else {
              findings.add(
                  MediaFinding.offset(
                      MediaFindingCode.DUPLICATE_MOOV,
                      "a second movie box (moov) at byte "
                          + pos
                          + ": only the first (at byte "
                          + (moov.offset - 8)
                          + ") is read; a recording carries one index",
                      pos));
            }
            break;
          case "moof":
            moofs.add(new Box("moof", loadIndex(pos + header, available, "moof"), pos));
            break;
          case "mdat":
            mdats.add(new long[] {pos + header, available});
            break;
          default:
            break;
        }
        if (truncated) {
          break;
        }
        pos += boxSize;
      }
      ContainerKind kind =
          "qt  ".equals(brand)
              ? ContainerKind.MOV
              : moofs.isEmpty() ? ContainerKind.MP4 : ContainerKind.FRAGMENTED_MP4;
      if (moov == null) {
        return recover(mdats, kind, brand, indexCut);
      }
      return parseMoov(moov, moofs, kind, brand);
    }

    ByteBuffer loadIndex(long pos, long n, String what) throws IOException {
      indexBytes += n;
      if (n < 0 || indexBytes > limits.maxIndexBytes()) {
        throw new MediaFormatException(
            what
                + " boxes of "
                + indexBytes
                + " bytes exceed the index limit of "
                + limits.maxIndexBytes()
                + " bytes");
      }
      return read(pos, (int) n);
    }

    // ---------------------------------------------------------------- moov

    RecordingTimeline parseMoov(Box moov, List<Box> moofs, ContainerKind kind, String brand)
        throws IOException {
      List<Box> kids = boxes.children(moov.body(), "moov", 1, moov.offset);
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
      Instant creation = mp4Time(created);
      if (creation == null) {
        findings.add(
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
      for (Box trak : Boxes.all(kids, "trak")) {
        tracks.add(parseTrak(trak, timescale, creation, moofs, trex));
      }
      double seconds = timescale == 0 ? 0 : (double) duration / timescale;
      if (kind == ContainerKind.FRAGMENTED_MP4) {
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
          findings.add(localTime ? f.asBenign() : f);
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
          if (s.offset() >= 0 && s.offset() + s.size() <= size) {
            n++;
            k += s.sync() ? 1 : 0;
            end = Math.max(end, s.decodeTime() + s.duration());
          }
        }
        frames = n;
        keys = k;
        seconds = Math.min(seconds, (double) end / video.timescale());
      }
      return new RecordingTimeline(
          size,
          kind,
          brand,
          creation,
          mp4Time(modified),
          seconds,
          tracks,
          findings,
          encoder,
          location,
          metadata,
          frames,
          keys,
          tc,
          gps,
          gpsPos,
          truncated,
          false,
          null);
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
        if (s.offset() < 0 || s.offset() + 4 > size || s.size() < 4) {
          return null;
        }
        long frames = Integer.toUnsignedLong(read(s.offset(), 4).getInt());
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
          if (s.offset() < 0 || s.offset() + s.size() > size || s.size() > 64 * 1024) {
            continue;
          }
          Gpmf g = Gpmf.parse(read(s.offset(), (int) s.size()));
          if (g.gpsTime != null) {
            return g;
          }
        }
      }
      return null;
    }

    void parseUdta(Box udta) throws MediaFormatException {
      for (Box b : boxes.children(udta.body(), "moov/udta", 2, udta.offset)) {
        if (b.type.equals("©xyz")) {
          ByteBuffer x = b.body();
          if (x.remaining() >= 4) {
            int len = x.getShort() & 0xffff;
            x.getShort();
            if (len <= x.remaining()) {
              byte[] s = new byte[len];
              x.get(s);
              location = new String(s, StandardCharsets.UTF_8);
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
        List<Box> kids = boxes.children(body.slice(), path, 3, meta.offset);
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
          for (Box d : boxes.children(item.slice(), path + "/ilst", 4, ilst.offset)) {
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
                metadata.put(names.get(index - 1), value);
                if (names.get(index - 1).endsWith("location.ISO6709") && location == null) {
                  location = value;
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
      for (Box b : boxes.children(mvex.body(), "moov/mvex", 2, mvex.offset)) {
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
        Map<Long, long[]> trex)
        throws IOException {
      List<Box> kids = boxes.children(trak.body(), "trak", 2, trak.offset);
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
      boolean duplicateId = !trackIds.add(trackId);
      if (duplicateId) {
        findings.add(
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
      List<Box> mk = boxes.children(mdia.body(), where + "/mdia", 3, mdia.offset);
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
      checkCreation(where, movieCreation, mp4Time(tCreated), mp4Time(mCreated));

      List<EditListEntry> edits = new ArrayList<>();
      Box edts = Boxes.first(kids, "edts");
      if (edts != null) {
        Box elst =
            Boxes.first(boxes.children(edts.body(), where + "/edts", 3, edts.offset), "elst");
        if (elst != null) {
          edits = parseElst(elst, where);
        }
      }
      List<Box> mi = boxes.children(minf.body(), where + "/minf", 4, minf.offset);
      Box stbl = Boxes.first(mi, "stbl");
      if (stbl == null) {
        throw new MediaFormatException(where + ": no sample table (stbl)");
      }
      List<Box> st = boxes.children(stbl.body(), where + "/stbl", 5, stbl.offset);
      String[] codec = new String[1];
      String[] config = new String[1];
      int descriptions = parseStsd(Boxes.first(st, "stsd"), where, codec, config);
      if (descriptions > 1) {
        findings.add(
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
      long timed = table.sttsSampleTotal();
      if (table.sampleCount != timed) {
        findings.add(
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
      spend(count, where + " sample table");
      if (count == 0 && !moofs.isEmpty() && !duplicateId) {
        FragmentSamples frag =
            FragmentSamples.parse(
                boxes, moofs, trackId, trex.get((long) trackId), findings, sampleBudget);
        samples = frag;
        count = frag.count();
        spend(count, where + " fragments");
      }
      TrackTimeline tt =
          analyse(
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
              table.stssCount >= 0 || samples instanceof FragmentSamples);
      tt.timecodeRate = lastTimecodeRate;
      return tt;
    }

    void checkCreation(String where, Instant movie, Instant track, Instant media) {
      for (Instant t : new Instant[] {track, media}) {
        if (movie != null
            && t != null
            && Math.abs(t.getEpochSecond() - movie.getEpochSecond()) > 1) {
          findings.add(
              MediaFinding.of(
                  MediaFindingCode.CREATION_TIME_DISAGREEMENT,
                  where + " says it was created " + t + ", the movie header " + movie));
          return;
        }
      }
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

    int parseStsd(Box stsd, String where, String[] codec, String[] config)
        throws MediaFormatException {
      if (stsd == null) {
        throw new MediaFormatException(where + ": no sample description (stsd)");
      }
      ByteBuffer s = stsd.body();
      Boxes.need(s, 8, where + " stsd");
      s.position(4);
      long n = Boxes.u32(s);
      List<Box> entries = boxes.children(s.slice(), where + "/stsd", 6, stsd.offset);
      if (entries.size() != n) {
        throw new MediaFormatException(
            where + " stsd declares " + n + " entries but holds " + entries.size());
      }
      if (entries.isEmpty()) {
        codec[0] = "none";
        return 0;
      }
      Box first = entries.get(0);
      codec[0] = first.type;
      lastTimecodeRate = null;
      lastConfig = null;
      if (first.type.equals("tmcd") && first.body.remaining() >= 8 + 4 + 4 + 4 + 4) {
        ByteBuffer tb = first.body();
        tb.position(8 + 4 + 4);
        long ts = Boxes.u32(tb);
        long fd = Boxes.u32(tb);
        if (ts > 0 && fd > 0) {
          lastTimecodeRate = (double) ts / fd;
        }
      }
      // visual sample entries: 8 bytes of SampleEntry + 70 of VisualSampleEntry, then boxes
      if (Set.of("avc1", "avc3", "hvc1", "hev1", "mp4v").contains(first.type)
          && first.body.remaining() > 78) {
        ByteBuffer v = first.body();
        v.position(78);
        try {
          for (Box c : boxes.children(v.slice(), where + "/" + first.type, 7, first.offset)) {
            if (c.type.equals("avcC") || c.type.equals("hvcC")) {
              config[0] = sha256(c.body());
              ByteBuffer cb = c.body();
              lastConfig = new byte[cb.remaining()];
              cb.get(lastConfig);
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

    // ---------------------------------------------------------------- analysis

    TrackTimeline analyse(
        int trackId,
        String handler,
        String handlerName,
        String codec,
        long timescale,
        long movieTimescale,
        List<EditListEntry> edits,
        int descriptions,
        String config,
        Iterable<Sample> samples,
        long count,
        boolean hasSyncTable)
        throws IOException {
      String where = "track " + trackId + " (" + handler + ")";
      // nominal sample duration: the most frequent one (bounded histogram)
      Map<Long, Long> hist = new LinkedHashMap<>();
      long total = 0;
      long sync = 0;
      long complete = 0;
      long beyond = 0;
      long firstBeyond = -1;
      long lastSync = -1;
      Map<Long, Long> gops = new LinkedHashMap<>();
      List<Sample> syncHeads = new ArrayList<>();
      for (Sample s : samples) {
        if (hist.size() < 4096 || hist.containsKey(s.duration())) {
          hist.merge(s.duration(), 1L, Long::sum);
        }
        total += s.duration();
        if (s.sync()) {
          sync++;
          if (lastSync >= 0 && gops.size() < 4096) {
            gops.merge(s.index() - lastSync, 1L, Long::sum);
          }
          lastSync = s.index();
          if (handler.equals("vide") && syncHeads.size() < limits.maxBannerScans()) {
            syncHeads.add(s);
          }
        }
        if (s.offset() >= 0 && s.offset() + s.size() <= size) {
          complete++;
        } else {
          beyond++;
          if (firstBeyond < 0) {
            firstBeyond = s.index();
          }
        }
      }
      Long nominal = mode(hist);
      Long gop = mode(gops);
      // constant frame rate when one duration covers most samples; otherwise judge against the mean
      boolean cfr = nominal != null && hist.getOrDefault(nominal, 0L) * 2 >= count;
      long gapThreshold =
          cfr ? nominal * 3 / 2 : count == 0 ? Long.MAX_VALUE : Math.max(1, 3 * total / count);
      GapRecorder gaps = new GapRecorder(where, trackId, timescale);
      long anomalies = 0;
      long firstAnomaly = -1;
      long zero = hist.getOrDefault(0L, 0L);
      if (nominal != null && (nominal > 0 || !cfr)) {
        long tol = Math.max(1, nominal / 20);
        long priming = timescale * PRIMING_TOLERANCE_MS / 1000;
        for (Sample s : samples) {
          long d = s.duration();
          if (d > gapThreshold && s.index() == 0 && cfr && d - nominal <= priming) {
            findings.add(
                MediaFinding.at(
                        MediaFindingCode.DURATION_ANOMALY,
                        String.format(
                            Locale.ROOT,
                            "%s: the first sample lasts %.3f s longer than the others: encoder"
                                + " priming folded into it (benign up to %d ms)",
                            where,
                            (double) (d - nominal) / timescale,
                            PRIMING_TOLERANCE_MS),
                        trackId,
                        0,
                        0,
                        s.offset())
                    .asBenign());
          } else if (d > gapThreshold) {
            gaps.add(s, nominal);
          } else if (cfr && d != 0 && Math.abs(d - nominal) > tol && s.index() < count - 1) {
            anomalies++;
            if (firstAnomaly < 0) {
              firstAnomaly = s.index();
            }
          }
        }
      }
      gaps.flush();
      gaps.finish();
      if (!cfr && count > 1 && (handler.equals("vide") || handler.equals("soun"))) {
        findings.add(
            MediaFinding.track(
                    MediaFindingCode.DURATION_ANOMALY,
                    where
                        + ": variable sample durations (no duration covers half the samples; mean "
                        + total / count
                        + " ticks): gaps are judged against three times the mean (benign: phones"
                        + " record at a variable frame rate)",
                    trackId)
                .asBenign());
      }
      if (anomalies > 0 && !handler.equals("vide") && !handler.equals("soun")) {
        anomalies = 0; // metadata tracks tick irregularly by design
      }
      if (anomalies > 0) {
        findings.add(
            MediaFinding.track(
                MediaFindingCode.DURATION_ANOMALY,
                where
                    + ": "
                    + anomalies
                    + " sample(s) deviate from the nominal duration "
                    + nominal
                    + " (first: sample "
                    + firstAnomaly
                    + "); splice scars or a variable frame rate",
                trackId));
      }
      if (zero > 0) {
        findings.add(
            handler.equals("vide") || handler.equals("soun")
                ? MediaFinding.track(
                    MediaFindingCode.ZERO_DURATION_SAMPLES,
                    where + ": " + zero + " sample(s) of zero duration",
                    trackId)
                : MediaFinding.track(
                        MediaFindingCode.ZERO_DURATION_SAMPLES,
                        where
                            + ": "
                            + zero
                            + " sample(s) of zero duration (benign in a metadata track)",
                        trackId)
                    .asBenign());
      }
      if (beyond > 0) {
        findings.add(
            MediaFinding.track(
                MediaFindingCode.SAMPLES_BEYOND_EOF,
                where
                    + ": "
                    + beyond
                    + " of "
                    + count
                    + " samples lie beyond the end of the file"
                    + " (first: sample "
                    + firstBeyond
                    + "): the file is truncated, "
                    + complete
                    + " complete",
                trackId));
      }
      double presentedStart = 0;
      if (!edits.isEmpty()) {
        java.util.Iterator<Sample> first = samples.iterator();
        long firstCto = first.hasNext() ? first.next().compositionOffset() : 0;
        String kind = classifyEdits(handler, edits, timescale, movieTimescale, firstCto);
        for (EditListEntry e : edits) {
          if (e.isEmpty()) {
            presentedStart +=
                movieTimescale == 0 ? 0 : (double) e.segmentDuration() / movieTimescale;
          }
        }
        MediaFinding f =
            MediaFinding.track(MediaFindingCode.EDIT_LIST, where + ": " + kind, trackId);
        findings.add(kind.contains("(benign") ? f.asBenign() : f);
      }
      scanHeads(
          syncHeads,
          where,
          trackId,
          timescale,
          SpliceScanner.create(
              codec, config == null ? null : lastConfig, where, trackId, timescale, findings));
      return new TrackTimeline(
          trackId,
          handler,
          handlerName,
          codec,
          timescale,
          count,
          total,
          hasSyncTable ? sync : count,
          nominal,
          gop,
          edits,
          presentedStart,
          config,
          descriptions,
          gaps.listed,
          gaps.count,
          complete,
          samples);
    }

    String classifyEdits(
        String handler, List<EditListEntry> edits, long timescale, long movieTs, long firstCto) {
      if (edits.size() == 1 && !edits.get(0).isEmpty()) {
        long mt = edits.get(0).mediaTime();
        if (mt == 0) {
          return "edit list maps the whole media from its start (benign)";
        }
        if (handler.equals("vide") && mt == firstCto) {
          return "edit list skips the " + mt + "-tick B-frame reordering delay (benign)";
        }
        if (handler.equals("soun") && (mt == 1024 || mt == 2048 || mt == 2112)) {
          return "edit list skips " + mt + " samples of audio encoder priming (benign, AAC)";
        }
        if (handler.equals("soun") && mt > 0 && mt * 1000 <= timescale * PRIMING_TOLERANCE_MS) {
          return String.format(
              Locale.ROOT,
              "edit list skips %.3f s of audio encoder priming (benign up to %d ms)",
              (double) mt / timescale,
              PRIMING_TOLERANCE_MS);
        }
        return String.format(
            java.util.Locale.ROOT,
            "edit list starts the media at %.3f s: earlier media is hidden from playback",
            (double) mt / timescale);
      }
      if (edits.size() == 2
          && edits.get(0).isEmpty()
          && !edits.get(1).isEmpty()
          && movieTs > 0
          && edits.get(0).segmentDuration() * 1000 <= movieTs * PRIMING_TOLERANCE_MS
          && (edits.get(1).mediaTime() == 0 || edits.get(1).mediaTime() == firstCto)) {
        return String.format(
            Locale.ROOT,
            "edit list starts the track %.3f s after the movie (benign: an encoder's start-up"
                + " offset between tracks, up to %d ms)",
            (double) edits.get(0).segmentDuration() / movieTs,
            PRIMING_TOLERANCE_MS);
      }
      StringBuilder sb = new StringBuilder("edit list of " + edits.size() + " entries: ");
      for (EditListEntry e : edits) {
        sb.append(
            e.isEmpty()
                ? String.format(
                    java.util.Locale.ROOT,
                    "[empty %.3f s] ",
                    (double) e.segmentDuration() / movieTs)
                : String.format(
                    java.util.Locale.ROOT,
                    "[media from %.3f s for %.3f s] ",
                    (double) e.mediaTime() / timescale,
                    (double) e.segmentDuration() / movieTs));
      }
      sb.append("(an empty edit delays the track; several media edits cut or reorder it)");
      return sb.toString();
    }

    /**
     * Turns long samples into gap records: consecutive long samples are one gap (one hole, however
     * the muxer spread it), the first {@link FindingList#PER_CODE} gaps are listed with a finding
     * each, and the rest are counted in one {@code MORE_GAPS} finding with their total length.
     */
    final class GapRecorder {
      private final String where;
      private final int trackId;
      private final long timescale;
      final List<TimelineGap> listed = new ArrayList<>();
      long count;
      private long unlisted;
      private double unlistedSeconds;
      private long first = -1;
      private long last;
      private double from;
      private double to;
      private double at;
      private long offset;
      private long ticks;
      private long nominalTicks;

      GapRecorder(String where, int trackId, long timescale) {
        this.where = where;
        this.trackId = trackId;
        this.timescale = timescale;
      }

      void add(Sample s, long nominal) {
        double start = (double) s.decodeTime() / timescale;
        if (first >= 0 && s.index() == last + 1) {
          last = s.index();
          to = start + (double) s.duration() / timescale;
          ticks += s.duration();
          return;
        }
        flush();
        first = s.index();
        last = first;
        at = start;
        from = start + (double) nominal / timescale;
        to = start + (double) s.duration() / timescale;
        offset = s.offset();
        ticks = s.duration();
        nominalTicks = nominal;
      }

      void flush() {
        if (first >= 0) {
          count++;
          TimelineGap g = new TimelineGap(first, from, to);
          if (listed.size() < FindingList.PER_CODE) {
            listed.add(g);
            findings.add(
                MediaFinding.at(
                    MediaFindingCode.TIMESTAMP_GAP,
                    String.format(
                        Locale.ROOT,
                        "%s: %s at %.3f s %s %.3f s instead of %.3f s: %.3f s missing from %.3f s"
                            + " to %.3f s",
                        where,
                        first == last ? "sample " + first : "samples " + first + " to " + last,
                        at,
                        first == last ? "lasts" : "last",
                        (double) ticks / timescale,
                        (double) nominalTicks * (last - first + 1) / timescale,
                        g.seconds(),
                        g.fromSeconds(),
                        g.toSeconds()),
                    trackId,
                    first,
                    at,
                    offset));
          } else {
            unlisted++;
            unlistedSeconds += g.seconds();
          }
          first = -1;
        }
      }

      void finish() {
        if (unlisted > 0) {
          findings.add(
              MediaFinding.track(
                  MediaFindingCode.MORE_GAPS,
                  String.format(
                      Locale.ROOT,
                      "%s: %d more gaps, %.3f s missing in all, are not listed (the first %d"
                          + " are)",
                      where,
                      unlisted,
                      unlistedSeconds,
                      FindingList.PER_CODE),
                  trackId));
        }
      }
    }

    /**
     * Reads the head of each keyframe: parameter sets and SEI for the splice scanner, and the x264
     * banner, of which a second one means a splice.
     */
    void scanHeads(
        List<Sample> heads, String where, int trackId, long timescale, SpliceScanner splices)
        throws IOException {
      int found = 0;
      int headBytes = deep ? DEEP_HEAD_BYTES : BANNER_BYTES;
      for (Sample s : heads) {
        if (s.offset() < 0 || s.offset() >= size) {
          continue;
        }
        ByteBuffer b =
            read(s.offset(), (int) Math.min(Math.min(headBytes, s.size()), size - s.offset()));
        if (splices != null) {
          splices.keyframe(s, b);
        }
        String text = new String(b.array(), 0, b.remaining(), StandardCharsets.ISO_8859_1);
        int at = text.indexOf("x264 - core");
        if (at < 0) {
          continue;
        }
        found++;
        int end = text.indexOf('\0', at);
        String banner =
            text.substring(
                at, end < 0 ? Math.min(text.length(), at + 120) : Math.min(end, at + 120));
        if (encoder == null) {
          encoder = banner;
        } else if (found >= 2) {
          findings.add(
              MediaFinding.at(
                  MediaFindingCode.SECOND_ENCODER_BANNER,
                  where
                      + ": a second x264 banner at keyframe sample "
                      + s.index()
                      + ": footage from another encode was spliced in",
                  trackId,
                  s.index(),
                  (double) s.decodeTime() / timescale,
                  s.offset()));
        }
      }
    }

    // ---------------------------------------------------------------- no moov

    /**
     * A file whose index is lost (power loss) or cut: its frames are counted in the media data and
     * its duration estimated from them, so it can still be placed (by its name) and judged.
     */
    RecordingTimeline recover(
        List<long[]> mdats, ContainerKind kind, String brand, boolean indexCut) throws IOException {
      NalScanner.Result r = scanNals(mdats);
      double fps = 0;
      if (r.sps != null && r.vps == null) {
        fps = ParameterSets.avcSps(r.sps).framesPerSecond();
      } else if (r.vps != null) {
        fps = ParameterSets.hevcVpsFrameRate(r.vps);
        if (fps == 0 && r.sps != null) {
          fps = ParameterSets.hevcSps(r.sps).framesPerSecond();
        }
      }
      boolean assumed = !(fps > 1 && fps <= 1000);
      double rate = assumed ? ASSUMED_FRAME_RATE : fps;
      double seconds = r.frames / rate;
      findings.add(
          MediaFinding.of(
              MediaFindingCode.MOOV_MISSING,
              String.format(
                  Locale.ROOT,
                  "no %smovie box (moov): the recording was not closed (power loss?); %d frames"
                      + " (%d keyframes) recovered from the media data, about %.3f s at %s",
                  indexCut ? "complete " : "",
                  r.frames,
                  r.keyframes,
                  seconds,
                  assumed
                      ? "an assumed " + ASSUMED_FRAME_RATE + " fps (the stream states no rate)"
                      : String.format(Locale.ROOT, "the stream's %.3f fps", fps))));
      return new RecordingTimeline(
          size,
          kind,
          brand,
          null,
          null,
          seconds,
          List.of(),
          findings,
          encoder,
          location,
          metadata,
          r.frames,
          r.keyframes,
          null,
          null,
          null,
          true,
          true,
          null);
    }

    /**
     * Counts frames and keyframes in length-prefixed NAL units of the mdat boxes, as AVC and as
     * HEVC, and keeps the reading that finds more (the codec is unknown without a moov).
     */
    NalScanner.Result scanNals(List<long[]> mdats) throws IOException {
      NalScanner.Result best = new NalScanner.Result();
      for (boolean hevc : new boolean[] {false, true}) {
        NalScanner.Result all = new NalScanner.Result();
        for (long[] m : mdats) {
          NalScanner.Result r =
              new NalScanner(this::read, m[0], Math.min(size, m[0] + m[1]), hevc).run();
          all.frames += r.frames;
          all.keyframes += r.keyframes;
          all.sps = all.sps == null ? r.sps : all.sps;
          all.vps = all.vps == null ? r.vps : all.vps;
        }
        if (all.frames > best.frames) {
          best = all;
        }
      }
      return best;
    }
  }

  static Long mode(Map<Long, Long> hist) {
    Long best = null;
    long bestCount = 0;
    for (Map.Entry<Long, Long> e : hist.entrySet()) {
      if (e.getValue() > bestCount) {
        best = e.getKey();
        bestCount = e.getValue();
      }
    }
    return best;
  }

  static Instant mp4Time(long secondsSince1904) {
    if (secondsSince1904 == 0) {
      return null;
    }
    // unsigned 32-bit (v0) or 64-bit (v1): treat the 64-bit value as unsigned too
    if (secondsSince1904 < 0 || secondsSince1904 > 253_402_300_799L + EPOCH_1904) {
      return null;
    }
    return Instant.ofEpochSecond(secondsSince1904 - EPOCH_1904);
  }

  static String sha256(ByteBuffer b) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
