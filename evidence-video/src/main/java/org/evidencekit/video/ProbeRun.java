package org.evidencekit.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.evidencekit.video.Boxes.Box;

/**
 * One probe of one file: the top-level box walk, the state the movie parser and the track analysis
 * share (findings, metadata, the sample budget), bounded reads, and the recovery of a file whose
 * index is lost.
 */
final class ProbeRun {
  private static final Set<String> TOP_LEVEL =
      Set.of(
          "ftyp", "moov", "mdat", "free", "skip", "wide", "pnot", "uuid", "moof", "mfra", "styp",
          "sidx", "meta", "pdin", "prft", "emsg", "junk", "PICT");

  /** The frame rate a power-loss file's duration is estimated with when its stream states none. */
  static final int ASSUMED_FRAME_RATE = 25;

  final SeekableByteChannel ch;
  final long size;
  final ParseLimits limits;
  final boolean deep;
  final Boxes boxes;
  final FindingList findings = new FindingList();

  /**
   * The bytes, first byte and end of every track's samples wholly in the file, summed as the tracks
   * are walked: media data between them that no sample references is media taken out of the index
   * and left in the file.
   */
  long sampleBytes;

  long firstSampleByte = Long.MAX_VALUE;
  long sampleBytesEnd = -1;

  /**
   * A track's samples have no byte sizes of their own (QuickTime sound packed several samples to a
   * packet, the sample size table saying 1): which bytes its samples hold is not known, so media no
   * sample references cannot be told.
   */
  boolean unsizedSamples;

  final Map<String, String> metadata = new LinkedHashMap<>();
  String location;
  String encoder;
  private long indexBytes;

  /** The timecode rate and codec configuration of the sample entry read last (per track). */
  Double lastTimecodeRate;

  byte[] lastConfig;
  final Set<Integer> trackIds = new HashSet<>();

  /**
   * Samples the index may still declare, over all tracks: work is bounded by the file, not by
   * declared counts times tracks. One sample per 16 bytes of file (no camera's video and audio
   * samples average less), and a million for small files whose index outlived their media.
   */
  long sampleBudget;

  /**
   * Bytes of samples still to be read for keyframe heads and GPMF telemetry, over all tracks.
   * Samples hold distinct bytes, so what a probe reads of them never exceeds the file; an index
   * pointing sample after sample at the same bytes would otherwise make a 57 KB file read 164 MB
   * (10,000 keyframe heads of 16 KiB per track, or 16 telemetry samples per track of 100 tracks).
   */
  long sampleBytesLeft;

  ProbeRun(SeekableByteChannel ch, ParseLimits limits, boolean deep) throws IOException {
    this.ch = ch;
    this.size = ch.size();
    this.limits = limits;
    this.deep = deep;
    this.boxes = new Boxes(limits);
    this.sampleBudget = Math.max(1_000_000L, size / 16);
    this.sampleBytesLeft = size;
  }

  /**
   * Counts {@code n} bytes of samples about to be read: the {@code what} of track {@code where} up
   * to sample {@code sample}, as the error names them.
   */
  void spendSampleBytes(int n, String where, String what, long sample) throws MediaFormatException {
    sampleBytesLeft -= n;
    if (sampleBytesLeft < 0) {
      throw new MediaFormatException(
          where
              + ": the "
              + what
              + " up to sample "
              + sample
              + " come to more than the file's "
              + size
              + " bytes: the index points samples at the same bytes again and again");
    }
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
      throw new MediaFormatException(
          "only " + size + (size == 1 ? " byte" : " bytes") + ": not a media file");
    }
    ByteBuffer head = read(0, (int) Math.min(12, size));
    RecordingTimeline audio = AudioFormats.probe(this::read, size, head, findings);
    if (audio != null) {
      return audio;
    }
    String firstType = Boxes.fourcc(head.getInt(4));
    if (!TOP_LEVEL.contains(firstType)) {
      // named for what it looks like by the library's one table of signatures, which needs more
      // than the twelve bytes read so far to know a transport stream
      throw new MediaFormatException(
          "not a media file this library reads (MP4/MOV, WAV, AMR or MP3)"
              + FileSignature.of(read(0, (int) Math.min(FileSignature.HEAD_LENGTH, size)))
                  .map(x -> ": it looks like " + x.description())
                  .orElse(""));
    }
    // walk the top level by headers only
    String brand = null;
    Box moov = null;
    List<Box> moofs = new ArrayList<>();
    Box mfra = null;
    List<long[]> mdats = new ArrayList<>();
    boolean indexCut = false;
    String first = null;
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
          if (pos > 0) {
            damagedTail(pos, type + " with its 64-bit size cut off");
            break;
          }
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
        if (pos > 0) {
          damagedTail(pos, type + " declaring " + boxSize + " bytes, less than its header");
          break;
        }
        throw new MediaFormatException(
            type + " at " + pos + ": declared size " + boxSize + " is smaller than its header");
      }
      if (!TOP_LEVEL.contains(type) && pos > 0) {
        damagedTail(pos, "'" + type + "'");
        break;
      }
      boxes.count(type);
      first = first == null ? type : first;
      segmentTypes += type.equals("styp") ? 1 : 0;
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
        case "mfra":
          if (!truncated && mfra == null) {
            mfra = new Box("mfra", loadIndex(pos + header, available, "mfra"), pos);
          }
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
    if (moov == null && !moofs.isEmpty() && !indexCut && SEGMENT_START.contains(first)) {
      return mediaSegment(mdats, moofs, kind, brand);
    }
    if (moov == null) {
      return recover(
          mdats,
          kind,
          brand,
          MediaFindingCode.MOOV_MISSING,
          "no "
              + (indexCut ? "complete " : "")
              + "movie box (moov): the recording was not closed (power loss?)");
    }
    int before = findings.size();
    try {
      return new MovieParser(this).parseMoov(moov, moofs, mfra, kind, brand, mdats);
    } catch (MediaFormatException e) {
      findings.keepFirst(before);
      // a damaged or hostile index is a finding about a media file, not a failed probe: what the
      // media data holds is still counted
      return recover(
          mdats,
          kind,
          brand,
          MediaFindingCode.INDEX_DAMAGED,
          "the movie box (moov) cannot be read (" + e.getMessage() + ")");
    }
  }

  /**
   * The boxes a media segment starts with (ISO/IEC 23009-1, CMAF): a segment type box, a segment
   * index, or the fragment itself; a whole recording starts with its file type box (or, from older
   * QuickTime writers, with its media or movie box).
   */
  private static final Set<String> SEGMENT_START = Set.of("styp", "sidx", "moof", "emsg", "prft");

  /** The segment type boxes ({@code styp}) of the file: media segments joined after their init. */
  int segmentTypes;

  /**
   * A media segment: fragments (moof+mdat) without the movie box, as DASH and HLS packagers write
   * each segment after one initialization segment, and as a camera writing chunk files may. Not
   * damage: the movie box, which says what the tracks are and how their time is counted, is in the
   * stream's initialization segment; the frames are counted as for a file without one.
   */
  private RecordingTimeline mediaSegment(
      List<long[]> mdats, List<Box> moofs, ContainerKind kind, String brand) throws IOException {
    long firstNumber = -1;
    long lastNumber = -1;
    for (Box moof : moofs) {
      try {
        Box mfhd = Boxes.first(boxes.children(moof.body(), "moof", 1, moof.offset), "mfhd");
        if (mfhd != null && mfhd.body.remaining() >= 8) {
          lastNumber = Integer.toUnsignedLong(mfhd.body().getInt(4));
          firstNumber = firstNumber < 0 ? lastNumber : firstNumber;
        }
      } catch (MediaFormatException e) {
        // a damaged fragment header leaves its number unread: the segment is still named
      }
    }
    String numbers =
        firstNumber < 0
            ? ""
            : firstNumber == lastNumber
                ? ", fragment number " + firstNumber
                : ", fragment numbers " + firstNumber + " to " + lastNumber;
    return recover(
        mdats,
        kind,
        brand,
        MediaFindingCode.MEDIA_SEGMENT,
        "a media segment ("
            + moofs.size()
            + (moofs.size() == 1 ? " fragment" : " fragments")
            + numbers
            + (segmentTypes > 0 ? ", segment type box" : "")
            + ") without its initialization segment (the movie box, moov, that the stream's"
            + " first file or init segment holds): no damage, but its tracks and timing cannot be"
            + " read alone; to analyse it, join it after its initialization segment (init.mp4 or"
            + " init-*.m4s of the same stream) and analyse the joined file"
            + (firstNumber > 1 && segmentTypes == 0
                ? "; if it was meant to be a whole recording, its head (file type and movie box,"
                    + (firstNumber == 2
                        ? " and fragment 1"
                        : " and fragments 1 to " + (firstNumber - 1))
                    + ") is missing"
                : ""),
        findings.stream().anyMatch(f -> f.code().equals(MediaFindingCode.TRUNCATED_BOX)));
  }

  /** Bytes that are no box after valid ones: the walk ends, what came before is read. */
  private void damagedTail(long pos, String found) {
    findings.add(
        MediaFinding.offset(
            MediaFindingCode.DAMAGED_TAIL,
            "no box at byte "
                + pos
                + " (found "
                + found
                + "): the file is damaged from there, "
                + (size - pos)
                + " bytes are not read",
            pos));
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

  // ---------------------------------------------------------------- no moov

  /**
   * A file whose index is lost (power loss) or cut: its frames are counted in the media data and
   * its duration estimated from them, so it can still be placed (by its name) and judged.
   */
  RecordingTimeline recover(
      List<long[]> mdats, ContainerKind kind, String brand, String code, String cause)
      throws IOException {
    return recover(mdats, kind, brand, code, cause, true);
  }

  /**
   * As {@link #recover(List, ContainerKind, String, String, String)}; {@code truncated} false for a
   * file that lacks no part of itself (a media segment, whose movie box is in another file).
   */
  private RecordingTimeline recover(
      List<long[]> mdats,
      ContainerKind kind,
      String brand,
      String code,
      String cause,
      boolean truncated)
      throws IOException {
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
            code,
            String.format(
                Locale.ROOT,
                "%s; %d frames (%d keyframes) recovered from the media data, about %.3f s at %s",
                cause,
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
        truncated,
        true,
        null);
  }

  /**
   * Counts frames and keyframes in length-prefixed NAL units of the mdat boxes, as AVC and as HEVC,
   * and keeps the reading that finds more (the codec is unknown without a moov).
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
