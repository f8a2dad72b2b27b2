package org.evidencekit.ingest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A file, read through a real {@link FileChannel}, that runs {@code trip} the first time any reader
 * reaches {@code at}: the file changes exactly between two stretches of one read (the seal run's
 * workers read at positions, each its own stretch). The trip fires once per {@code tripped} flag,
 * so a later open of the same source reads the changed file as it now is.
 */
final class TrippingChannel extends FileChannel {
  private final FileChannel real;
  private final long at;
  private final AtomicBoolean tripped;
  private final IoAction trip;
  private final AtomicBoolean gone;

  @FunctionalInterface
  interface IoAction {
    void run() throws IOException;
  }

  TrippingChannel(Path file, long at, AtomicBoolean tripped, IoAction trip) throws IOException {
    this(file, at, tripped, trip, new AtomicBoolean());
  }

  /** As above; once {@code gone} is set (the card was pulled), every read fails. */
  TrippingChannel(Path file, long at, AtomicBoolean tripped, IoAction trip, AtomicBoolean gone)
      throws IOException {
    if (gone.get()) {
      throw new IOException("No such device: " + file);
    }
    this.real = FileChannel.open(file, StandardOpenOption.READ);
    this.at = at;
    this.tripped = tripped;
    this.trip = trip;
    this.gone = gone;
  }

  /**
   * Files of one card that is pulled out when any reader reaches {@code at} of {@code file}: from
   * then on every read and every open of any of them fails, as on a device that went away.
   */
  static RecordingSource onCard(Path file, Path tripFile, long at, AtomicBoolean gone) {
    AtomicBoolean tripped = new AtomicBoolean(!file.equals(tripFile));
    return RecordingSource.of(
        file.getFileName().toString(),
        () -> new TrippingChannel(file, at, tripped, () -> gone.set(true), gone));
  }

  /** A source named as the file whose reads trip once, at {@code at}. */
  static RecordingSource source(Path file, long at, AtomicBoolean tripped, IoAction trip) {
    return RecordingSource.of(
        file.getFileName().toString(), () -> new TrippingChannel(file, at, tripped, trip));
  }

  private void maybeTrip(long from, int length) throws IOException {
    if (from + length > at && tripped.compareAndSet(false, true)) {
      trip.run();
    }
    if (gone.get()) {
      throw new IOException("Input/output error (the device went away)");
    }
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    maybeTrip(position, dst.remaining());
    return real.read(dst, position);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    maybeTrip(real.position(), dst.remaining());
    return real.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long n = 0;
    for (int i = offset; i < offset + length; i++) {
      int r = read(dsts[i]);
      if (r < 0) {
        return n == 0 ? -1 : n;
      }
      n += r;
    }
    return n;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    throw new java.nio.channels.NonWritableChannelException();
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    throw new java.nio.channels.NonWritableChannelException();
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    throw new java.nio.channels.NonWritableChannelException();
  }

  @Override
  public long position() throws IOException {
    return real.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    real.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return real.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    throw new java.nio.channels.NonWritableChannelException();
  }

  @Override
  public void force(boolean metaData) throws IOException {
    real.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    maybeTrip(position, (int) Math.min(Integer.MAX_VALUE, count));
    return real.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    throw new java.nio.channels.NonWritableChannelException();
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    throw new UnsupportedOperationException("not mapped in this test");
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    throw new UnsupportedOperationException("not locked in this test");
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    throw new UnsupportedOperationException("not locked in this test");
  }

  @Override
  protected void implCloseChannel() throws IOException {
    real.close();
  }
}
