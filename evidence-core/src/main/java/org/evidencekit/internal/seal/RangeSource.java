package org.evidencekit.internal.seal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where the hash workers read a file's segments from, with positional reads from any thread: the
 * file itself, or the file teed into a destination so that each stretch read is stored by the same
 * worker that hashes it (content read once, never funnelled through one thread).
 */
public interface RangeSource {
  /**
   * Reads into {@code dst} from {@code position}, as {@link FileChannel#read(ByteBuffer, long)}.
   *
   * @return the bytes read, or -1 at the end of the source
   */
  int read(ByteBuffer dst, long position) throws IOException;

  /** Receives stretches of content at their positions, from several threads at once. */
  @FunctionalInterface
  interface Destination {
    void write(ByteBuffer src, long position) throws IOException;
  }

  static RangeSource of(FileChannel file) {
    return file::read;
  }

  /**
   * Reads from {@code file} and writes every byte read, as read, to {@code destination} at the same
   * position before the caller sees it: what is hashed is exactly what was stored.
   */
  static RangeSource teed(FileChannel file, Destination destination) {
    return (dst, position) -> {
      int start = dst.position();
      int n = file.read(dst, position);
      if (n > 0) {
        ByteBuffer copy = dst.duplicate();
        copy.limit(start + n).position(start);
        destination.write(copy, position);
      }
      return n;
    };
  }
}
