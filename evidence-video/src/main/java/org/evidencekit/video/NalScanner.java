package org.evidencekit.video;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Counts AVC or HEVC frames in media data whose index is lost: walks 4-byte length-prefixed NAL
 * units, re-synchronising byte by byte over interleaved audio, and counts complete slices that
 * start a picture (first_mb_in_slice 0); IDR slices are keyframes. Reads through a 1 MiB window.
 */
final class NalScanner {
  interface Reader {
    ByteBuffer read(long pos, int n) throws IOException;
  }

  private static final int WINDOW = 1 << 20;
  private final Reader reader;
  private final long start;
  private final long end;
  private final boolean hevc;
  private ByteBuffer window;
  private long windowStart = -1;

  NalScanner(Reader reader, long start, long end, boolean hevc) {
    this.reader = reader;
    this.start = start;
    this.end = end;
    this.hevc = hevc;
  }

  private int byteAt(long p) throws IOException {
    if (windowStart < 0 || p < windowStart || p >= windowStart + window.limit()) {
      windowStart = p;
      window = reader.read(p, (int) Math.min(WINDOW, end - p));
    }
    return window.get((int) (p - windowStart)) & 0xff;
  }

  private long u32(long p) throws IOException {
    return ((long) byteAt(p) << 24) | (byteAt(p + 1) << 16) | (byteAt(p + 2) << 8) | byteAt(p + 3);
  }

  /** Whether a plausible NAL unit starts at {@code p}; -1: one whose bytes run past the end. */
  private int plausible(long p) throws IOException {
    if (hevc) {
      return plausibleHevc(p);
    }
    if (p + 5 > end) {
      return 0;
    }
    long len = u32(p);
    int hdr = byteAt(p + 4);
    int type = hdr & 0x1f;
    int refIdc = (hdr >> 5) & 3;
    if ((hdr & 0x80) != 0 || len < 2 || len > 8 << 20) {
      return 0;
    }
    boolean ok;
    switch (type) {
      case 1:
        ok = true;
        break;
      case 5:
      case 7:
      case 8:
        ok = refIdc != 0;
        break;
      case 6:
      case 9:
      case 12:
        ok = refIdc == 0;
        break;
      default:
        ok = false;
    }
    if (!ok) {
      return 0;
    }
    return p + 4 + len > end ? -1 : 1;
  }

  /** Exp-Golomb reader over the bytes after a NAL header, for the first slice-header fields. */
  private final class Bits {
    private long pos;
    private int bit = 7;

    Bits(long pos) {
      this.pos = pos;
    }

    int next() throws IOException {
      if (pos >= end) {
        throw new java.io.EOFException();
      }
      int b = (byteAt(pos) >> bit) & 1;
      if (--bit < 0) {
        bit = 7;
        pos++;
      }
      return b;
    }

    long ue() throws IOException {
      int zeros = 0;
      while (next() == 0) {
        if (++zeros > 31) {
          return -1;
        }
      }
      long v = 0;
      for (int i = 0; i < zeros; i++) {
        v = (v << 1) | next();
      }
      return (1L << zeros) - 1 + v;
    }
  }

  /**
   * Whether a complete slice NAL unit that starts a picture begins at {@code p}: header rules,
   * first_mb_in_slice 0, a valid slice_type and a small pic_parameter_set_id. Strict enough to find
   * a lone frame between audio chunks without counting noise.
   */
  /** HEVC: two-byte header, layer 0, temporal id at least 1, a known VCL or parameter type. */
  private int plausibleHevc(long p) throws IOException {
    if (p + 6 > end) {
      return 0;
    }
    long len = u32(p);
    int b0 = byteAt(p + 4);
    int b1 = byteAt(p + 5);
    int type = (b0 >> 1) & 0x3f;
    int layer = ((b0 & 1) << 5) | (b1 >> 3);
    if ((b0 & 0x80) != 0 || layer != 0 || (b1 & 7) == 0 || len < 3 || len > 8 << 20) {
      return 0;
    }
    boolean ok =
        type <= 9
            || (type >= 16 && type <= 21)
            || (type >= 32 && type <= 35)
            || type == 39
            || type == 40;
    if (!ok) {
      return 0;
    }
    return p + 4 + len > end ? -1 : 1;
  }

  private boolean pictureStartHevc(long p) throws IOException {
    if (plausibleHevc(p) != 1) {
      return false;
    }
    int type = (byteAt(p + 4) >> 1) & 0x3f;
    return (type <= 9 || (type >= 16 && type <= 21)) && (byteAt(p + 6) & 0x80) != 0;
  }

  private boolean pictureStart(long p) throws IOException {
    if (hevc) {
      return pictureStartHevc(p);
    }
    if (p + 6 > end) {
      return false;
    }
    long len = u32(p);
    int hdr = byteAt(p + 4);
    int type = hdr & 0x1f;
    int refIdc = (hdr >> 5) & 3;
    if ((hdr & 0x80) != 0 || len < 8 || p + 4 + len > end) {
      return false;
    }
    if (!(type == 1 || (type == 5 && refIdc != 0))) {
      return false;
    }
    try {
      Bits b = new Bits(p + 5);
      long firstMb = b.ue();
      long sliceType = b.ue();
      long pps = b.ue();
      return firstMb == 0 && sliceType >= 0 && sliceType <= 9 && pps >= 0 && pps <= 3;
    } catch (java.io.EOFException e) {
      return false;
    }
  }

  /** What a scan found: frames, keyframes, and the first parameter sets (null if none). */
  static final class Result {
    long frames;
    long keyframes;
    byte[] sps;
    byte[] vps;
  }

  private byte[] unit(long p) throws IOException {
    int n = (int) Math.min(u32(p), 512);
    byte[] out = new byte[n];
    for (int i = 0; i < n; i++) {
      out[i] = (byte) byteAt(p + 4 + i);
    }
    return out;
  }

  Result run() throws IOException {
    Result out = new Result();
    long frames = 0;
    long keys = 0;
    long p = start;
    boolean inChain = false;
    while (p + 5 <= end) {
      if (pictureStart(p)) {
        frames++;
        int type = hevc ? (byteAt(p + 4) >> 1) & 0x3f : byteAt(p + 4) & 0x1f;
        if (hevc ? type >= 16 && type <= 21 : type == 5) {
          keys++;
        }
        p += 4 + u32(p);
        inChain = true;
        continue;
      }
      // other units (SEI, SPS, PPS, further slices of a picture): inside a chain one plausible
      // unit is enough, when resynchronising two in a row are needed
      int here = plausible(p);
      long next = here == 1 ? p + 4 + u32(p) : -1;
      if (here == 1 && (inChain || next + 5 > end || plausible(next) != 0)) {
        int type = hevc ? (byteAt(p + 4) >> 1) & 0x3f : byteAt(p + 4) & 0x1f;
        if (out.sps == null && type == (hevc ? 33 : 7)) {
          out.sps = unit(p);
        } else if (hevc && out.vps == null && type == 32) {
          out.vps = unit(p);
        }
        p = next;
        inChain = true;
        continue;
      }
      inChain = false;
      p++;
    }
    out.frames = frames;
    out.keyframes = keys;
    return out;
  }
}
