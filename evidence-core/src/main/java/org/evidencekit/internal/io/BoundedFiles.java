package org.evidencekit.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongFunction;

/**
 * Reading a small file whose bytes are not ours to trust (damaged, planted, or a device that never
 * ends) without reading it whole: a file reporting more than the bound is refused unread, and
 * otherwise at most one byte past the bound is read.
 */
public final class BoundedFiles {
  private BoundedFiles() {}

  /**
   * The bytes of {@code file}, at most {@code max} of them.
   *
   * @param tooLarge the caller's error for a larger file, given the size the file reports (or, for
   *     one that grew or reports none, the bytes read: {@code max + 1})
   * @throws java.nio.file.NoSuchFileException if there is no such file
   */
  public static <E extends Exception> byte[] read(
      Path file, long max, LongFunction<? extends E> tooLarge) throws IOException, E {
    int bound = (int) Math.min(Integer.MAX_VALUE - 9, max);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > bound) {
        throw tooLarge.apply(size);
      }
      InputStream in = Channels.newInputStream(ch);
      byte[] b = in.readNBytes(bound + 1);
      if (b.length > bound) {
        throw tooLarge.apply(b.length);
      }
      return b;
    }
  }
}
