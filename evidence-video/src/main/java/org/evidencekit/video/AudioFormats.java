package org.evidencekit.video;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Audio-only recordings (interview recorders, phones): WAV/RF64, AMR and MP3 get a duration and,
 * where the format has one, a time. They have no sample index to judge gaps by; truncation shows as
 * a data size larger than the file. Work is bounded by the file's size: frame walks read through a
 * window and stop at the first byte that is not a frame.
 */
final class AudioFormats {
  private AudioFormats() {}

  private static final int MAX_CHUNKS = 10_000;
  private static final int[] AMR_NB = {
    12, 13, 15, 17, 19, 20, 26, 31, 5, -1, -1, -1, -1, -1, -1, 0
  };
  private static final int[] AMR_WB = {17, 23, 32, 36, 40, 46, 50, 58, 60, 5, -1, -1, -1, -1, 0, 0};
  private static final int[] MP3_V1 = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320
  };
  private static final int[] MP3_V2 = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160
  };
  private static final int[] MP2_V1 = {
    0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384
  };

  /** The recording, or null when the head is no audio format read here. */
  static RecordingTimeline probe(
      NalScanner.Reader read, long size, ByteBuffer head, List<MediaFinding> findings)
      throws IOException {
    try {
      return detect(read, size, head, findings);
    } catch (BufferUnderflowException e) {
      // every read is bounds-checked; this is the net under a check that was missed
      throw new MediaFormatException("audio header cut short at the end of the file");
    }
  }

  private static RecordingTimeline detect(
      NalScanner.Reader read, long size, ByteBuffer head, List<MediaFinding> findings)
      throws IOException {
    if (head.remaining() >= 12
        && (head.getInt(0) == 0x52494646 /* RIFF */ || head.getInt(0) == 0x52463634 /* RF64 */)
        && head.getInt(8) == 0x57415645 /* WAVE */) {
      return wav(read, size, head.getInt(0) == 0x52463634, findings);
    }
    ByteBuffer h = read.read(0, (int) Math.min(16, size));
    String text = new String(h.array(), 0, h.remaining(), StandardCharsets.ISO_8859_1);
    if (text.startsWith("#!AMR\n") || text.startsWith("#!AMR-WB\n")) {
      boolean wb = text.startsWith("#!AMR-WB\n");
      return amr(read, size, wb ? 9 : 6, wb, findings);
    }
    long start = 0;
    if (text.startsWith("ID3") && h.remaining() >= 10) {
      // ID3v2: a syncsafe size after the 10-byte header (plus a footer when flagged)
      int s =
          ((h.get(6) & 0x7f) << 21)
              | ((h.get(7) & 0x7f) << 14)
              | ((h.get(8) & 0x7f) << 7)
              | (h.get(9) & 0x7f);
      start = 10L + s + ((h.get(5) & 0x10) != 0 ? 10 : 0);
    }
    if (start + 4 <= size && mp3Frame(read.read(start, 4).getInt(0)) != null) {
      return mp3(read, size, start, findings);
    }
    return null;
  }

  private static RecordingTimeline timeline(
      long size,
      ContainerKind kind,
      double seconds,
      List<MediaFinding> findings,
      Map<String, String> metadata,
      boolean truncated,
      LocalDateTime local) {
    findings.add(
        MediaFinding.of(
                MediaFindingCode.NO_TIMELINE,
                kind
                    + " audio: duration from its "
                    + (kind == ContainerKind.WAV ? "data size" : "frames")
                    + "; there is no per-sample index to check for gaps")
            .asBenign());
    return new RecordingTimeline(
        size, kind, null, null, null, seconds, List.of(), findings, null, null, metadata, null,
        null, null, null, null, truncated, false, local);
  }

  private static RecordingTimeline wav(
      NalScanner.Reader read, long size, boolean rf64, List<MediaFinding> findings)
      throws IOException {
    Map<String, String> metadata = new LinkedHashMap<>();
    long byteRate = 0;
    long dataSize = -1;
    long dataAt = -1;
    long ds64Data = -1;
    LocalDateTime local = null;
    long pos = 12;
    for (int n = 0; n < MAX_CHUNKS && pos + 8 <= size; n++) {
      ByteBuffer c = read.read(pos, 8).order(ByteOrder.LITTLE_ENDIAN);
      String id = new String(c.array(), 0, 4, StandardCharsets.ISO_8859_1);
      long len = Integer.toUnsignedLong(c.getInt(4));
      long body = pos + 8;
      if (id.equals("ds64") && len >= 24 && body + 16 <= size) {
        ds64Data = read.read(body + 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      } else if (id.equals("fmt ") && len >= 16 && body + 16 <= size) {
        ByteBuffer f = read.read(body, 16).order(ByteOrder.LITTLE_ENDIAN);
        byteRate = Integer.toUnsignedLong(f.getInt(8));
        metadata.put("wav.sampleRate", Long.toString(Integer.toUnsignedLong(f.getInt(4))));
        metadata.put("wav.channels", Integer.toString(f.getShort(2) & 0xffff));
      } else if (id.equals("bext") && len >= 346 && body + 346 <= size) {
        ByteBuffer b = read.read(body, 346);
        String date = new String(b.array(), 320, 10, StandardCharsets.ISO_8859_1);
        String time = new String(b.array(), 330, 8, StandardCharsets.ISO_8859_1);
        String originator = Boxes.text(ByteBuffer.wrap(b.array(), 256, 32).slice()).trim();
        if (!originator.isEmpty()) {
          metadata.put("bext.originator", originator);
        }
        local = bextTime(date, time);
        if (local != null) {
          metadata.put("bext.origination", local.toString());
        }
      } else if (id.equals("data")) {
        dataAt = body;
        dataSize = rf64 && len == 0xffffffffL && ds64Data >= 0 ? ds64Data : len;
        break;
      }
      pos = body + len + (len & 1);
    }
    if (dataAt < 0 || byteRate == 0) {
      findings.add(
          MediaFinding.of(
              MediaFindingCode.NO_TIMELINE,
              "RIFF/WAVE audio without "
                  + (byteRate == 0 ? "a format (fmt)" : "a data chunk")
                  + ": no duration can be given"));
      return new RecordingTimeline(
          size,
          ContainerKind.WAV,
          null,
          null,
          null,
          0,
          List.of(),
          findings,
          null,
          null,
          metadata,
          null,
          null,
          null,
          null,
          null,
          false,
          false,
          local);
    }
    long available = size - dataAt;
    boolean unclosed = dataSize == 0 || (!rf64 && dataSize == 0xffffffffL);
    boolean truncated = unclosed || dataSize > available;
    long bytes = truncated ? available : dataSize;
    if (truncated) {
      findings.add(
          MediaFinding.offset(
              MediaFindingCode.TRUNCATED_BOX,
              unclosed
                  ? "the data chunk's size was never written (recording not closed): "
                      + available
                      + " bytes of audio are read to the end of the file"
                  : "the data chunk declares "
                      + dataSize
                      + " bytes but the file holds "
                      + available
                      + ": the recording is cut short",
              dataAt - 8));
    }
    return timeline(
        size, ContainerKind.WAV, (double) bytes / byteRate, findings, metadata, truncated, local);
  }

  private static LocalDateTime bextTime(String date, String time) {
    if (!date.matches("\\d{4}.\\d{2}.\\d{2}") || !time.matches("\\d{2}.\\d{2}.\\d{2}")) {
      return null;
    }
    try {
      return LocalDateTime.of(
          Integer.parseInt(date.substring(0, 4)),
          Integer.parseInt(date.substring(5, 7)),
          Integer.parseInt(date.substring(8, 10)),
          Integer.parseInt(time.substring(0, 2)),
          Integer.parseInt(time.substring(3, 5)),
          Integer.parseInt(time.substring(6, 8)));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** Reads bytes through a 64 KiB window, for frame walks. */
  private static final class Window {
    private final NalScanner.Reader read;
    private final long size;
    private ByteBuffer w;
    private long at = -1;

    Window(NalScanner.Reader read, long size) {
      this.read = read;
      this.size = size;
    }

    int u8(long p) throws IOException {
      if (at < 0 || p < at || p >= at + w.limit()) {
        at = p;
        w = read.read(p, (int) Math.min(1 << 16, size - p));
      }
      return w.get((int) (p - at)) & 0xff;
    }

    int u32(long p) throws IOException {
      return (u8(p) << 24) | (u8(p + 1) << 16) | (u8(p + 2) << 8) | u8(p + 3);
    }
  }

  private static RecordingTimeline amr(
      NalScanner.Reader read, long size, long start, boolean wb, List<MediaFinding> findings)
      throws IOException {
    Window w = new Window(read, size);
    long frames = 0;
    long pos = start;
    boolean truncated = false;
    while (pos < size) {
      int ft = (w.u8(pos) >> 3) & 0x0f;
      int len = (wb ? AMR_WB : AMR_NB)[ft];
      if (len < 0) {
        findings.add(
            MediaFinding.offset(
                MediaFindingCode.DAMAGED_TAIL,
                "byte " + pos + " is no AMR frame header: the file is damaged from there",
                pos));
        truncated = true;
        break;
      }
      if (pos + 1 + len > size) {
        truncated = true;
        break;
      }
      frames++;
      pos += 1 + len;
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("amr.frames", Long.toString(frames));
    return timeline(size, ContainerKind.AMR, frames * 0.020, findings, metadata, truncated, null);
  }

  /** {bitrate kbit/s, sample rate, samples per frame, frame bytes} or null if no frame header. */
  static int[] mp3Frame(int h) {
    if ((h >>> 21) != 0x7ff) {
      return null;
    }
    int version = (h >>> 19) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    int layer = (h >>> 17) & 3; // 1: layer III, 2: layer II
    int bri = (h >>> 12) & 0xf;
    int sri = (h >>> 10) & 3;
    int pad = (h >>> 9) & 1;
    if (version == 1 || sri == 3 || bri == 0 || bri == 15 || (layer != 1 && layer != 2)) {
      return null;
    }
    if (layer == 2 && version != 3) {
      return null;
    }
    int rate = new int[] {44100, 48000, 32000}[sri] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
    int kbps = (layer == 2 ? MP2_V1 : version == 3 ? MP3_V1 : MP3_V2)[bri];
    int samples = layer == 1 && version != 3 ? 576 : 1152;
    int bytes = samples / 8 * kbps * 1000 / rate + pad;
    return new int[] {kbps, rate, samples, bytes};
  }

  private static RecordingTimeline mp3(
      NalScanner.Reader read, long size, long start, List<MediaFinding> findings)
      throws IOException {
    Window w = new Window(read, size);
    int[] first = mp3Frame(w.u32(start));
    Map<String, String> metadata = new LinkedHashMap<>();
    // a Xing/Info or VBRI header in the first frame counts the frames for a VBR file
    int h = w.u32(start);
    boolean mono = ((h >>> 6) & 3) == 3;
    boolean v1 = ((h >>> 19) & 3) == 3;
    long xing = start + 4 + (v1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
    if (xing + 12 <= size) {
      int tag = w.u32(xing);
      if ((tag == 0x58696e67 /* Xing */ || tag == 0x496e666f /* Info */)
          && (w.u32(xing + 4) & 1) != 0) {
        long frames = Integer.toUnsignedLong(w.u32(xing + 8));
        metadata.put("mp3.frames", Long.toString(frames));
        return timeline(
            size,
            ContainerKind.MP3,
            (double) frames * first[2] / first[1],
            findings,
            metadata,
            false,
            null);
      }
    }
    long frames = 0;
    double seconds = 0;
    long pos = start;
    boolean truncated = false;
    while (pos + 4 <= size) {
      int[] f = mp3Frame(w.u32(pos));
      if (f == null || f[3] < 4) {
        if (!(pos + 3 <= size
            && w.u8(pos) == 'T'
            && w.u8(pos + 1) == 'A'
            && w.u8(pos + 2) == 'G')) {
          findings.add(
              MediaFinding.offset(
                  MediaFindingCode.DAMAGED_TAIL,
                  String.format(
                      Locale.ROOT,
                      "byte %d is no MPEG audio frame after %d frames: the rest (%d bytes) is"
                          + " not read",
                      pos,
                      frames,
                      size - pos),
                  pos));
        }
        break;
      }
      if (pos + f[3] > size) {
        truncated = true;
        break;
      }
      frames++;
      seconds += (double) f[2] / f[1];
      pos += f[3];
    }
    metadata.put("mp3.frames", Long.toString(frames));
    return timeline(size, ContainerKind.MP3, seconds, findings, metadata, truncated, null);
  }
}
