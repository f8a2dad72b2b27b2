package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds stream-copy splices inside one AVC/HEVC track from the heads of its keyframes: a
 * camera or encoder writes the same parameter sets (SPS/PPS/VPS) and the same encoder
 * identification (SEI user data) for a whole recording, so a keyframe bringing parameter sets never
 * seen before in the track, or another encoder's identification, is where footage from elsewhere
 * was joined in. Parameter sets repeated at every keyframe (cameras, MPEG-TS remuxes) are not a
 * change. Reads only the bytes given; bounded by the number of distinct sets kept.
 */
final class SpliceScanner {
  private static final int MAX_KNOWN = 64;

  private final boolean hevc;
  private final int lengthSize;
  private final String where;
  private final int trackId;
  private final long timescale;
  private final List<MediaFinding> findings;
  private final Set<String> known = new LinkedHashSet<>();
  private String lastSps;
  private String encoderId;
  private boolean first = true;

  private SpliceScanner(
      boolean hevc,
      int lengthSize,
      String where,
      int trackId,
      long timescale,
      List<MediaFinding> findings) {
    this.hevc = hevc;
    this.lengthSize = lengthSize;
    this.where = where;
    this.trackId = trackId;
    this.timescale = timescale;
    this.findings = findings;
  }

  /**
   * A scanner for a track whose sample entry is {@code codec} with configuration record {@code
   * config} (avcC/hvcC body), or null when the track is not AVC/HEVC or the record is unreadable.
   */
  static SpliceScanner create(
      String codec,
      byte[] config,
      String where,
      int trackId,
      long timescale,
      List<MediaFinding> findings) {
    boolean hevc = codec.equals("hvc1") || codec.equals("hev1");
    boolean avc = codec.equals("avc1") || codec.equals("avc3");
    if (!(hevc || avc) || config == null) {
      return null;
    }
    try {
      ByteBuffer c = ByteBuffer.wrap(config);
      SpliceScanner s;
      if (avc) {
        s = new SpliceScanner(false, (c.get(4) & 3) + 1, where, trackId, timescale, findings);
        c.position(5);
        int sps = c.get() & 0x1f;
        for (int i = 0; i < sps; i++) {
          s.remember(unit(c, c.getShort() & 0xffff));
        }
        int pps = c.get() & 0xff;
        for (int i = 0; i < pps; i++) {
          s.remember(unit(c, c.getShort() & 0xffff));
        }
      } else {
        s = new SpliceScanner(true, (c.get(21) & 3) + 1, where, trackId, timescale, findings);
        c.position(22);
        int arrays = c.get() & 0xff;
        for (int i = 0; i < arrays; i++) {
          c.get();
          int n = c.getShort() & 0xffff;
          for (int j = 0; j < n; j++) {
            s.remember(unit(c, c.getShort() & 0xffff));
          }
        }
      }
      return s;
    } catch (RuntimeException e) {
      return null; // a damaged configuration record: no baseline, no splice judgement
    }
  }

  private static byte[] unit(ByteBuffer c, int n) {
    byte[] u = new byte[n];
    c.get(u);
    return u;
  }

  private int type(byte[] nal) {
    return nal.length == 0 ? -1 : hevc ? (nal[0] >> 1) & 0x3f : nal[0] & 0x1f;
  }

  private boolean isParameterSet(int type) {
    return hevc ? type >= 32 && type <= 34 : type == 7 || type == 8;
  }

  private boolean isSps(int type) {
    return type == (hevc ? 33 : 7);
  }

  private void remember(byte[] nal) {
    int type = type(nal);
    if (isParameterSet(type) && known.size() < MAX_KNOWN) {
      String hex = HexFormat.of().formatHex(nal);
      known.add(hex);
      if (isSps(type)) {
        lastSps = hex;
      }
    }
  }

  /** The NAL units at the head of keyframe {@code s}. */
  void keyframe(Sample s, ByteBuffer head) {
    ByteBuffer b = head.duplicate();
    boolean reported = false;
    while (b.remaining() >= lengthSize + 1) {
      long len = 0;
      for (int i = 0; i < lengthSize; i++) {
        len = (len << 8) | (b.get() & 0xff);
      }
      if (len <= 0 || len > b.remaining()) {
        break;
      }
      byte[] nal = new byte[(int) len];
      b.get(nal);
      int type = type(nal);
      if (isParameterSet(type)) {
        String hex = HexFormat.of().formatHex(nal);
        if (!known.contains(hex) && !reported) {
          reported = true;
          report(s, parameterChange(type, nal));
        }
        if (known.size() < MAX_KNOWN) {
          known.add(hex);
        }
        if (isSps(type)) {
          lastSps = hex;
        }
      } else if (type == (hevc ? 39 : 6)) {
        String id = encoderId(nal);
        if (id != null) {
          if (encoderId != null && !encoderId.equals(id) && !reported) {
            reported = true;
            report(
                s,
                "the encoder identification (SEI user data) changes from "
                    + encoderId
                    + " to "
                    + id);
          }
          encoderId = id;
        }
      } else if (!hevc ? type == 1 || type == 5 : type <= 21) {
        break; // the picture itself: parameter sets and SEI come before it
      }
    }
    first = false;
  }

  private String parameterChange(int type, byte[] nal) {
    String what =
        hevc
            ? (type == 32 ? "video" : type == 33 ? "sequence" : "picture")
            : (type == 7 ? "sequence" : "picture");
    StringBuilder sb = new StringBuilder("a " + what + " parameter set never seen before");
    if (isSps(type) && lastSps != null) {
      ParameterSets.Summary was = summary(HexFormat.of().parseHex(lastSps));
      ParameterSets.Summary now = summary(nal);
      if (was.width() > 0 && now.width() > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                " (picture %dx%d, was %dx%d)",
                now.width(),
                now.height(),
                was.width(),
                was.height()));
      }
    }
    return sb.append(first ? " in the track's first keyframe, unlike its sample description" : "")
        .toString();
  }

  private ParameterSets.Summary summary(byte[] sps) {
    return hevc ? ParameterSets.hevcSps(sps) : ParameterSets.avcSps(sps);
  }

  private void report(Sample s, String what) {
    double at = (double) s.decodeTime() / timescale;
    findings.add(
        MediaFinding.at(
            MediaFindingCode.SPLICE,
            String.format(
                Locale.ROOT,
                "%s: at keyframe sample %d (%.3f s) %s: footage from another camera or encode"
                    + " joined by stream copy",
                where,
                s.index(),
                at,
                what),
            trackId,
            s.index(),
            at,
            s.offset()));
  }

  /**
   * The encoder identification in an SEI NAL unit: the user-data-unregistered UUID and the first
   * word of its text ({@code x264}, {@code x265}); null if the unit carries none. Only the first
   * word is compared, since some cameras put a changing clock in the rest.
   */
  private String encoderId(byte[] nal) {
    int p = hevc ? 2 : 1;
    while (p < nal.length) {
      int type = 0;
      while (p < nal.length && (nal[p] & 0xff) == 0xff) {
        type += 255;
        p++;
      }
      if (p >= nal.length) {
        return null;
      }
      type += nal[p++] & 0xff;
      int size = 0;
      while (p < nal.length && (nal[p] & 0xff) == 0xff) {
        size += 255;
        p++;
      }
      if (p >= nal.length) {
        return null;
      }
      size += nal[p++] & 0xff;
      if (type == 5 && size >= 16 && p + 16 <= nal.length) {
        String uuid = HexFormat.of().formatHex(nal, p, p + 16);
        int end = Math.min(nal.length, p + size);
        String text =
            new String(nal, p + 16, Math.max(0, end - p - 16), StandardCharsets.ISO_8859_1);
        StringBuilder word = new StringBuilder();
        for (char ch : text.toCharArray()) {
          if (!Character.isLetterOrDigit(ch) || word.length() >= 32) {
            break;
          }
          word.append(ch);
        }
        return word.length() == 0 ? "uuid " + uuid : word + " (uuid " + uuid + ")";
      }
      p += size;
      if (p < nal.length && (nal[p] & 0xff) == 0x80) {
        return null; // rbsp trailing bits
      }
    }
    return null;
  }
}
