package org.evidencekit.video;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Validated ISO BMFF box walking over bytes already in memory (a moov or moof body). Never
 * allocates from a declared size: a child must fit inside its parent, sizes below the header are
 * refused, nesting and box counts are bounded.
 */
final class Boxes {
  /** A box: its type and its body (a slice of the parent, position 0). */
  static final class Box {
    final String type;
    final ByteBuffer body;
    final long offset;

    Box(String type, ByteBuffer body, long offset) {
      this.type = type;
      this.body = body;
      this.offset = offset;
    }

    ByteBuffer body() {
      return body.duplicate();
    }
  }

  private final ParseLimits limits;
  private int boxes;

  Boxes(ParseLimits limits) {
    this.limits = limits;
  }

  void count(String where) throws MediaFormatException {
    if (++boxes > limits.maxBoxes()) {
      throw new MediaFormatException(
          "more than " + limits.maxBoxes() + " boxes (at " + where + "): refusing hostile input");
    }
  }

  static String fourcc(int v) {
    byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    StringBuilder sb = new StringBuilder(4);
    for (byte x : b) {
      int c = x & 0xff;
      sb.append(c >= 0x20 && c < 0x7f ? (char) c : (c == 0xa9 ? '©' : '?'));
    }
    return sb.toString();
  }

  /** The children of a container body. {@code path} names the parent for messages. */
  List<Box> children(ByteBuffer body, String path, int depth, long baseOffset)
      throws MediaFormatException {
    if (depth > limits.maxDepth()) {
      throw new MediaFormatException(
          "boxes nested deeper than " + limits.maxDepth() + " at " + path + ": refusing");
    }
    List<Box> out = new ArrayList<>();
    ByteBuffer b = body.duplicate();
    while (b.hasRemaining()) {
      int start = b.position();
      if (b.remaining() < 8) {
        throw new MediaFormatException(
            path + ": " + b.remaining() + " stray bytes where a box header belongs");
      }
      long size = Integer.toUnsignedLong(b.getInt());
      String type = fourcc(b.getInt());
      int header = 8;
      if (size == 1) {
        if (b.remaining() < 8) {
          throw new MediaFormatException(path + "/" + type + ": truncated 64-bit size");
        }
        size = b.getLong();
        header = 16;
      } else if (size == 0) {
        throw new MediaFormatException(
            path + "/" + type + ": size 0 (\"to end of file\") is only allowed at top level");
      }
      if (size < header) {
        throw new MediaFormatException(
            path + "/" + type + ": declared size " + size + " is smaller than its header");
      }
      if (size > body.limit() - start) {
        throw new MediaFormatException(
            path
                + "/"
                + type
                + ": declared size "
                + size
                + " overruns its parent by "
                + (size - (body.limit() - start))
                + " bytes");
      }
      count(path + "/" + type);
      ByteBuffer child = body.duplicate();
      child.position(start + header).limit((int) (start + size));
      out.add(new Box(type, child.slice(), baseOffset + start));
      b.position((int) (start + size));
    }
    return out;
  }

  static Box first(List<Box> boxes, String type) {
    for (Box b : boxes) {
      if (b.type.equals(type)) {
        return b;
      }
    }
    return null;
  }

  static List<Box> all(List<Box> boxes, String type) {
    List<Box> out = new ArrayList<>();
    for (Box b : boxes) {
      if (b.type.equals(type)) {
        out.add(b);
      }
    }
    return out;
  }

  /** Checks that a table of {@code count} entries of {@code entrySize} fits in what remains. */
  static int entries(ByteBuffer b, long count, int entrySize, String what)
      throws MediaFormatException {
    if (count < 0 || count * entrySize > b.remaining()) {
      throw new MediaFormatException(
          what
              + " declares "
              + count
              + " entries of "
              + entrySize
              + " bytes but holds only "
              + b.remaining()
              + " bytes");
    }
    return (int) count;
  }

  static void need(ByteBuffer b, int n, String what) throws MediaFormatException {
    if (b.remaining() < n) {
      throw new MediaFormatException(
          what + " is truncated (" + b.remaining() + " of " + n + " bytes)");
    }
  }

  static long u32(ByteBuffer b) {
    return Integer.toUnsignedLong(b.getInt());
  }

  static String text(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.get(a);
    int end = 0;
    while (end < a.length && a[end] != 0) {
      end++;
    }
    return new String(a, 0, end, StandardCharsets.UTF_8);
  }
}
