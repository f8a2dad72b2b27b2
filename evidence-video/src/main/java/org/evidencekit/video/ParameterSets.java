package org.evidencekit.video;

/**
 * The few fields of H.264/H.265 parameter sets that a timeline needs: picture size (a splice from
 * another camera changes it) and the frame rate from the VUI/VPS timing information (what a
 * power-loss file's duration is estimated with). Lenient: a field that cannot be read is absent
 * ({@code 0}), never an exception, since parameter sets in damaged media data are not trusted.
 */
final class ParameterSets {
  private ParameterSets() {}

  /** Picture size and frame rate; zero where unknown. */
  record Summary(int width, int height, double framesPerSecond) {
    static final Summary UNKNOWN = new Summary(0, 0, 0);
  }

  /** RBSP bit reader over one NAL unit's payload (emulation-prevention bytes removed). */
  static final class Bits {
    private final byte[] b;
    private long bit;

    Bits(byte[] nal, int from) {
      byte[] out = new byte[nal.length];
      int n = 0;
      int zeros = 0;
      for (int i = from; i < nal.length; i++) {
        int x = nal[i] & 0xff;
        if (zeros >= 2 && x == 3) {
          zeros = 0;
          continue;
        }
        zeros = x == 0 ? zeros + 1 : 0;
        out[n++] = (byte) x;
      }
      this.b = java.util.Arrays.copyOf(out, n);
    }

    int u(int n) {
      int v = 0;
      for (int i = 0; i < n; i++) {
        long at = bit >>> 3;
        if (at >= b.length) {
          throw new IndexOutOfBoundsException("parameter set ends early");
        }
        v = (v << 1) | ((b[(int) at] >> (7 - (int) (bit & 7))) & 1);
        bit++;
      }
      return v;
    }

    long u32() {
      return ((long) u(16) << 16) | u(16);
    }

    long ue() {
      int zeros = 0;
      while (u(1) == 0) {
        if (++zeros > 31) {
          throw new IndexOutOfBoundsException("exp-Golomb code too long");
        }
      }
      return (1L << zeros) - 1 + (zeros == 0 ? 0 : Integer.toUnsignedLong(u(zeros)));
    }

    long se() {
      long k = ue();
      return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    void skip(int n) {
      bit += n;
    }
  }

  /** An H.264 sequence parameter set NAL unit (header byte included). */
  static Summary avcSps(byte[] nal) {
    try {
      Bits r = new Bits(nal, 1);
      int profile = r.u(8);
      r.skip(16);
      r.ue();
      int chroma = 1;
      if (profile == 100
          || profile == 110
          || profile == 122
          || profile == 244
          || profile == 44
          || profile == 83
          || profile == 86
          || profile == 118
          || profile == 128
          || profile == 138
          || profile == 139
          || profile == 134
          || profile == 135) {
        chroma = (int) r.ue();
        if (chroma == 3) {
          r.u(1);
        }
        r.ue();
        r.ue();
        r.u(1);
        if (r.u(1) == 1) {
          for (int i = 0; i < (chroma == 3 ? 12 : 8); i++) {
            if (r.u(1) == 1) {
              int last = 8;
              int next = 8;
              for (int j = 0; j < (i < 6 ? 16 : 64) && next != 0; j++) {
                next = (int) ((last + r.se() + 256) % 256);
                last = next == 0 ? last : next;
              }
            }
          }
        }
      }
      r.ue();
      long pocType = r.ue();
      if (pocType == 0) {
        r.ue();
      } else if (pocType == 1) {
        r.u(1);
        r.se();
        r.se();
        long n = r.ue();
        if (n > 255) {
          return Summary.UNKNOWN;
        }
        for (long i = 0; i < n; i++) {
          r.se();
        }
      }
      r.ue();
      r.u(1);
      long wMbs = r.ue() + 1;
      long hMaps = r.ue() + 1;
      int frameMbsOnly = r.u(1);
      if (frameMbsOnly == 0) {
        r.u(1);
      }
      r.u(1);
      long cl = 0;
      long cr = 0;
      long ct = 0;
      long cb = 0;
      if (r.u(1) == 1) {
        cl = r.ue();
        cr = r.ue();
        ct = r.ue();
        cb = r.ue();
      }
      int cropX = chroma == 0 || chroma == 3 ? 1 : 2;
      int cropY = (chroma == 1 ? 2 : 1) * (2 - frameMbsOnly);
      int width = (int) (wMbs * 16 - (cl + cr) * cropX);
      int height = (int) ((2 - frameMbsOnly) * hMaps * 16 - (ct + cb) * cropY);
      double fps = 0;
      if (r.u(1) == 1) {
        if (r.u(1) == 1 && r.u(8) == 255) {
          r.skip(32);
        }
        if (r.u(1) == 1) {
          r.u(1);
        }
        if (r.u(1) == 1) {
          r.skip(4);
          if (r.u(1) == 1) {
            r.skip(24);
          }
        }
        if (r.u(1) == 1) {
          r.ue();
          r.ue();
        }
        if (r.u(1) == 1) {
          long units = r.u32();
          long scale = r.u32();
          fps = units == 0 ? 0 : scale / (2.0 * units);
        }
      }
      return new Summary(width, height, fps);
    } catch (IndexOutOfBoundsException e) {
      return Summary.UNKNOWN;
    }
  }

  /**
   * An H.265 video parameter set NAL unit (2-byte header included): its timing information, if the
   * encoder wrote it (x265 does).
   */
  static double hevcVpsFrameRate(byte[] nal) {
    try {
      Bits r = new Bits(nal, 2);
      r.skip(4 + 1 + 1 + 6);
      int subLayersMinus1 = r.u(3);
      r.skip(1 + 16);
      skipProfileTierLevel(r, subLayersMinus1);
      int ordering = r.u(1);
      for (int i = ordering == 1 ? 0 : subLayersMinus1; i <= subLayersMinus1; i++) {
        r.ue();
        r.ue();
        r.ue();
      }
      int maxLayerId = r.u(6);
      long layerSets = r.ue();
      if (layerSets > 1023) {
        return 0;
      }
      for (long i = 1; i <= layerSets; i++) {
        r.skip(maxLayerId + 1);
      }
      if (r.u(1) == 1) {
        long units = r.u32();
        long scale = r.u32();
        return units == 0 ? 0 : (double) scale / units;
      }
      return 0;
    } catch (IndexOutOfBoundsException e) {
      return 0;
    }
  }

  /**
   * An H.265 sequence parameter set NAL unit: its picture size (the fields before the VUI that a
   * size needs are near the start).
   */
  static Summary hevcSps(byte[] nal) {
    try {
      Bits r = new Bits(nal, 2);
      r.skip(4);
      int subLayersMinus1 = r.u(3);
      r.skip(1);
      skipProfileTierLevel(r, subLayersMinus1);
      r.ue();
      long chroma = r.ue();
      if (chroma == 3) {
        r.u(1);
      }
      long w = r.ue();
      long h = r.ue();
      if (r.u(1) == 1) {
        int sx = chroma == 1 || chroma == 2 ? 2 : 1;
        int sy = chroma == 1 ? 2 : 1;
        w -= (r.ue() + r.ue()) * sx;
        h -= (r.ue() + r.ue()) * sy;
      }
      return new Summary((int) w, (int) h, hevcVuiFrameRate(r, subLayersMinus1));
    } catch (IndexOutOfBoundsException e) {
      return Summary.UNKNOWN;
    }
  }

  /** The rest of an H.265 SPS after the conformance window, up to the VUI timing information. */
  private static double hevcVuiFrameRate(Bits r, int subLayersMinus1) {
    r.ue();
    r.ue();
    int pocBits = (int) r.ue() + 4;
    int ordering = r.u(1);
    for (int i = ordering == 1 ? 0 : subLayersMinus1; i <= subLayersMinus1; i++) {
      r.ue();
      r.ue();
      r.ue();
    }
    for (int i = 0; i < 6; i++) {
      r.ue();
    }
    if (r.u(1) == 1 && r.u(1) == 1) {
      return 0; // explicit scaling lists: not worth reading for a frame rate
    }
    r.skip(2);
    if (r.u(1) == 1) {
      r.skip(8);
      r.ue();
      r.ue();
      r.u(1);
    }
    long sets = r.ue();
    if (sets > 64) {
      return 0;
    }
    int[] deltas = new int[(int) sets];
    for (int i = 0; i < sets; i++) {
      if (i > 0 && r.u(1) == 1) {
        r.u(1);
        r.ue();
        int n = 0;
        for (int j = 0; j <= deltas[i - 1]; j++) {
          if (r.u(1) == 1 || r.u(1) == 1) {
            n++;
          }
        }
        deltas[i] = n;
      } else {
        long neg = r.ue();
        long pos = r.ue();
        if (neg > 16 || pos > 16) {
          return 0;
        }
        for (long j = 0; j < neg + pos; j++) {
          r.ue();
          r.u(1);
        }
        deltas[i] = (int) (neg + pos);
      }
    }
    if (r.u(1) == 1) {
      long lt = r.ue();
      if (lt > 32) {
        return 0;
      }
      for (long i = 0; i < lt; i++) {
        r.skip(pocBits + 1);
      }
    }
    r.skip(2);
    if (r.u(1) == 0) {
      return 0;
    }
    if (r.u(1) == 1 && r.u(8) == 255) {
      r.skip(32);
    }
    if (r.u(1) == 1) {
      r.u(1);
    }
    if (r.u(1) == 1) {
      r.skip(4);
      if (r.u(1) == 1) {
        r.skip(24);
      }
    }
    if (r.u(1) == 1) {
      r.ue();
      r.ue();
    }
    r.skip(3);
    if (r.u(1) == 1) {
      r.ue();
      r.ue();
      r.ue();
      r.ue();
    }
    if (r.u(1) == 1) {
      long units = r.u32();
      long scale = r.u32();
      return units == 0 ? 0 : (double) scale / units;
    }
    return 0;
  }

  private static void skipProfileTierLevel(Bits r, int subLayersMinus1) {
    r.skip(88 + 8);
    boolean[] profile = new boolean[subLayersMinus1];
    boolean[] level = new boolean[subLayersMinus1];
    for (int i = 0; i < subLayersMinus1; i++) {
      profile[i] = r.u(1) == 1;
      level[i] = r.u(1) == 1;
    }
    if (subLayersMinus1 > 0) {
      r.skip(2 * (8 - subLayersMinus1));
    }
    for (int i = 0; i < subLayersMinus1; i++) {
      r.skip((profile[i] ? 88 : 0) + (level[i] ? 8 : 0));
    }
  }
}
