package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A forger's tools for a fragmented MP4, on a copy of its bytes: take a fragment (its {@code moof}
 * and the {@code mdat} after it) out, set a fragment's sequence number ({@code mfhd}), move a
 * fragment's decode times ({@code tfdt}). Only 32-bit box sizes, as ffmpeg writes them.
 */
final class FragmentEditor {
  private static final int MOOF = fourcc("moof");
  private static final int TRAF = fourcc("traf");
  private static final int MFHD = fourcc("mfhd");
  private static final int TFHD = fourcc("tfhd");
  private static final int TFDT = fourcc("tfdt");

  private FragmentEditor() {}

  static int fourcc(String s) {
    return (s.charAt(0) << 24) | (s.charAt(1) << 16) | (s.charAt(2) << 8) | s.charAt(3);
  }

  /** Boxes between {@code from} and {@code to}: offset, size and type of each. */
  static List<long[]> boxes(byte[] d, int from, int to) {
    List<long[]> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(d);
    for (int p = from; p + 8 <= to; ) {
      int size = b.getInt(p);
      if (size < 8 || p + size > to) {
        throw new AssertionError("no box at " + p);
      }
      out.add(new long[] {p, size, b.getInt(p + 4)});
      p += size;
    }
    return out;
  }

  /** Offsets of the file's fragments ({@code moof}), in file order. */
  static List<Integer> moofs(byte[] d) {
    List<Integer> out = new ArrayList<>();
    for (long[] box : boxes(d, 0, d.length)) {
      if (box[2] == MOOF) {
        out.add((int) box[0]);
      }
    }
    return out;
  }

  /** Byte range (from, to) of fragment {@code k}: its moof and the mdat after it. */
  static int[] fragmentBytes(byte[] d, int k) {
    List<long[]> top = boxes(d, 0, d.length);
    int seen = 0;
    for (int i = 0; i + 1 < top.size(); i++) {
      if (top.get(i)[2] == MOOF && seen++ == k) {
        return new int[] {(int) top.get(i)[0], (int) (top.get(i + 1)[0] + top.get(i + 1)[1])};
      }
    }
    throw new AssertionError("no fragment " + k);
  }

  /** A copy of {@code d} without fragment {@code k}. */
  static byte[] withoutFragment(byte[] d, int k) {
    int[] r = fragmentBytes(d, k);
    byte[] out = new byte[d.length - (r[1] - r[0])];
    System.arraycopy(d, 0, out, 0, r[0]);
    System.arraycopy(d, r[1], out, r[0], d.length - r[1]);
    return out;
  }

  /** Sets fragment {@code k}'s sequence number. */
  static void setSequence(byte[] d, int k, long number) {
    int moof = moofs(d).get(k);
    for (long[] box : boxes(d, moof + 8, moof + ByteBuffer.wrap(d).getInt(moof))) {
      if (box[2] == MFHD) {
        ByteBuffer.wrap(d).putInt((int) box[0] + 12, (int) number);
        return;
      }
    }
    throw new AssertionError("fragment " + k + " has no mfhd");
  }

  /** Moves the decode time of track {@code trackId} in fragment {@code k} by {@code ticks}. */
  static void shiftDecodeTime(byte[] d, int k, int trackId, long ticks) {
    ByteBuffer b = ByteBuffer.wrap(d);
    int moof = moofs(d).get(k);
    for (long[] traf : boxes(d, moof + 8, moof + b.getInt(moof))) {
      if (traf[2] != TRAF) {
        continue;
      }
      List<long[]> kids = boxes(d, (int) traf[0] + 8, (int) (traf[0] + traf[1]));
      long id =
          kids.stream()
              .filter(x -> x[2] == TFHD)
              .mapToLong(x -> b.getInt((int) x[0] + 12))
              .findFirst()
              .orElseThrow();
      if (id != trackId) {
        continue;
      }
      for (long[] box : kids) {
        if (box[2] == TFDT) {
          int at = (int) box[0] + 12;
          if (d[(int) box[0] + 8] == 1) {
            b.putLong(at, b.getLong(at) + ticks);
          } else {
            b.putInt(at, (int) (Integer.toUnsignedLong(b.getInt(at)) + ticks));
          }
          return;
        }
      }
    }
    throw new AssertionError("fragment " + k + " has no decode time for track " + trackId);
  }
}
