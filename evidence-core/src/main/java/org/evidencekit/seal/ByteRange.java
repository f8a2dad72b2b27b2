package org.evidencekit.seal;

/**
 * A half-open range of content bytes, {@code [offset, offset + length)}.
 *
 * @param offset first byte, at least 0
 * @param length number of bytes, at least 0
 */
public record ByteRange(long offset, long length) {
  public ByteRange {
    if (offset < 0 || length < 0 || offset + length < 0) {
      throw new IllegalArgumentException("invalid byte range " + offset + "+" + length);
    }
  }

  /** One past the last byte. */
  public long end() {
    return offset + length;
  }

  /** Whether the two ranges share at least one byte. */
  public boolean overlaps(ByteRange other) {
    return offset < other.end() && other.offset < end();
  }

  @Override
  public String toString() {
    return "[" + offset + ", " + end() + ")";
  }
}
