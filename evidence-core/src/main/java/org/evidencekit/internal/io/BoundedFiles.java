package org.evidencekit.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Reading a small file whose bytes are not ours to trust (damaged, planted, or a device that never
 * ends) without reading it whole: a file reporting more than the bound is refused unread, and
 * otherwise at most one byte past the bound is read.
 */
public final class BoundedFiles {
  private BoundedFiles() {}

  /**
   * The bytes of a small {@code file} (a few KiB: an object's metadata, a clock's mark), at most
   * {@code max} of them. Only a regular file is read, checked as {@link #openRegularFile} does: a
   * named pipe planted where a store's {@code meta.json} or the clock's mark file belongs made
   * every command that read it wait for a writer that never came.
   *
   * @param tooLarge the caller's error for a larger file, given the size the file reports (or, for
   *     one that grew or reports none, the bytes read: {@code max + 1})
   * @throws FileSystemException if {@code file} is not a regular file or changed while opened
   * @throws java.nio.file.NoSuchFileException if there is no such file
   */
  public static <E extends Exception> byte[] read(
      Path file, long max, LongFunction<? extends E> tooLarge) throws IOException, E {
    int bound = (int) Math.min(Integer.MAX_VALUE - 9, max);
    try (FileChannel ch = openRegularFile(file)) {
      long size = ch.size();
      if (size > bound) {
        throw tooLarge.apply(size);
      }
      requireRoom(file, size, BoundedFiles::cannotHold);
      InputStream in = Channels.newInputStream(ch);
      byte[] b = in.readNBytes(bound + 1);
      if (b.length > bound) {
        throw tooLarge.apply(b.length);
      }
      return b;
    }
  }

  /**
   * As {@link #read}, refusing anything but a regular file (a named pipe would block the reader
   * until someone writes to it, a device might never end).
   *
   * <p>Java 17 cannot open without blocking on a named pipe ({@code O_NONBLOCK}) nor ask an open
   * channel what it is ({@code fstat}), so the check is made through the path before opening and
   * again after: the file's attributes and its identity ({@link BasicFileAttributes#fileKey()},
   * device and inode on Unix) must be those of a regular file both times. What remains is the
   * moment between the first check and the {@code open}: a pipe swapped in then makes the open wait
   * for a writer. A pipe or other file swapped in and left there is refused after the open, before
   * any byte is read; only one swapped in and swapped back within that moment goes unseen, and then
   * its bytes are read with the same bound.
   *
   * @throws FileSystemException if {@code file} is not a regular file or changed while opened
   * @throws java.nio.file.NoSuchFileException if there is no such file
   */
  public static <E extends Exception> byte[] readRegularFile(
      Path file, long max, LongFunction<? extends E> tooLarge) throws IOException, E {
    return readRegularFile(file, max, tooLarge, BoundedFiles::cannotHold);
  }

  /**
   * As {@link #readRegularFile(Path, long, LongFunction)}, refusing in the caller's own exception a
   * file within {@code max} whose bytes this JVM cannot hold: more than {@link #heapRoom()}.
   *
   * @param cannotHold the caller's error for such a file, given a description that starts with the
   *     file's name and says its size and the heap's
   */
  public static <E extends Exception, F extends Exception> byte[] readRegularFile(
      Path file,
      long max,
      LongFunction<? extends E> tooLarge,
      Function<String, ? extends F> cannotHold)
      throws IOException, E, F {
    int bound = (int) Math.min(Integer.MAX_VALUE - 9, max);
    try (FileChannel ch = openRegularFile(file)) {
      long size = ch.size();
      if (size > bound) {
        throw tooLarge.apply(size);
      }
      requireRoom(file, size, cannotHold);
      return readChunks(file, ch, bound, tooLarge, cannotHold);
    }
  }

  /**
   * What the bytes of one document read whole may take: a quarter of the heap. A format's byte
   * bound is set for its largest legitimate documents on a heap sized for them, so on a smaller
   * heap a file within the bound (50 MB of "[" against a 256 MiB seal bound, in a 64 MiB heap) was
   * an {@code OutOfMemoryError} at its allocation instead of an error naming the file. A quarter is
   * what {@code StrictJson} leaves beside the tree it budgets at three quarters; the whole heap,
   * not what is free now, as there.
   */
  public static long heapRoom() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  private static <F extends Exception> void requireRoom(
      Path file, long size, Function<String, ? extends F> cannotHold) throws F {
    long room = heapRoom();
    if (size > room) {
      throw cannotHold.apply(pastTheHeap(file + " has " + size + " bytes"));
    }
  }

  /**
   * A stream's bytes, at most {@code max} of them, reading at most one byte past the smaller of
   * {@code max} and {@link #heapRoom()}: for an object of a store read whole (a seal, a register),
   * whose bound is set for the largest genuine one and may be past what a small heap holds.
   *
   * @param name the stream's name in a refusal (an object's key)
   * @param tooLarge the caller's error for more than {@code max} bytes
   * @param cannotHold the caller's error for more than the heap's room, given a description that
   *     starts with {@code name}
   */
  public static <E extends Exception, F extends Exception> byte[] readAtMost(
      InputStream in,
      String name,
      int max,
      Supplier<? extends E> tooLarge,
      Function<String, ? extends F> cannotHold)
      throws IOException, E, F {
    int room = (int) Math.min(max, heapRoom());
    byte[] b = in.readNBytes(room + 1);
    if (b.length > max) {
      throw tooLarge.get();
    }
    if (b.length > room) {
      throw cannotHold.apply(pastTheHeap(name + " has more than " + room + " bytes"));
    }
    return b;
  }

  /**
   * The refusal of an input past {@link #heapRoom()}, one wording wherever it is refused: {@code
   * what} says whose bytes and how many ("seal x.seal.json has 52428800 bytes").
   */
  public static String pastTheHeap(String what) {
    return what
        + ", too many to read into memory: more than a quarter of this JVM's "
        + (Runtime.getRuntime().maxMemory() >> 20)
        + " MiB heap (give it more with -Xmx if it is genuine)";
  }

  private static IOException cannotHold(String description) {
    return new IOException(description);
  }

  /**
   * Opens {@code file} for reading if it is a regular file, checked through the path before the
   * open and again after it (same {@link BasicFileAttributes#fileKey()}), as {@link
   * #readRegularFile} does: for a recording, a key or any file a caller names that is read as a
   * stream, so a named pipe or device given, or swapped in and left there, is refused before any
   * read instead of blocking it. The caller closes the channel.
   *
   * @throws FileSystemException if {@code file} is not a regular file or changed while opened
   * @throws java.nio.file.NoSuchFileException if there is no such file
   */
  public static FileChannel openRegularFile(Path file) throws IOException {
    BasicFileAttributes before = regularFile(file);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      BasicFileAttributes after = regularFile(file);
      if (!Objects.equals(before.fileKey(), after.fileKey())) {
        throw new FileSystemException(file.toString(), null, "replaced while being opened");
      }
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Reads whole chunks: some files that report no size (procfs) refuse a read of an odd length. */
  private static final int CHUNK = 64 * 1024;

  private static <E extends Exception, F extends Exception> byte[] readChunks(
      Path file,
      FileChannel ch,
      int bound,
      LongFunction<? extends E> tooLarge,
      Function<String, ? extends F> cannotHold)
      throws IOException, E, F {
    byte[] b = new byte[(int) Math.min(bound, Math.max(ch.size(), 1))];
    int n = 0;
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    for (int r = ch.read(chunk); r >= 0; r = ch.read(chunk)) {
      if (n + (long) r > bound) {
        throw tooLarge.apply(bound + 1L);
      }
      // a file that reports less than it holds (procfs reports 0) grows the array as it is read
      requireRoom(file, n + (long) r, cannotHold);
      if (n + r > b.length) {
        b = Arrays.copyOf(b, (int) Math.min(bound, Math.max(2L * b.length, n + r)));
      }
      chunk.flip();
      chunk.get(b, n, r);
      chunk.clear();
      n += r;
    }
    return n == b.length ? b : Arrays.copyOf(b, n);
  }

  private static BasicFileAttributes regularFile(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    if (!a.isRegularFile()) {
      throw new FileSystemException(
          file.toString(),
          null,
          a.isDirectory()
              ? "a directory, not a file"
              : "not a regular file (a pipe, socket or device)");
    }
    return a;
  }
}
