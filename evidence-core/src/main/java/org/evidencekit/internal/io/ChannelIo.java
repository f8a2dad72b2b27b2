package org.evidencekit.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;

/**
 * Channel loops written once: write everything, copy everything, store a small object, hash one.
 */
public final class ChannelIo {
  private ChannelIo() {}

  /** Writes all remaining bytes of {@code b}. */
  public static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  /** Writes all of {@code bytes}. */
  public static void writeFully(WritableByteChannel out, byte[] bytes) throws IOException {
    writeFully(out, ByteBuffer.wrap(bytes));
  }

  /** Copies {@code in} to its end into {@code out} through a 1 MiB buffer; returns the count. */
  public static long copy(ReadableByteChannel in, WritableByteChannel out) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    long n = 0;
    while (in.read(buf) >= 0) {
      buf.flip();
      n += buf.remaining();
      writeFully(out, buf);
      buf.clear();
    }
    return n;
  }

  /**
   * Creates, writes and commits an object holding {@code bytes}.
   *
   * @throws org.evidencekit.storage.ObjectExistsException if the key is taken
   */
  public static void put(EvidenceStore store, ObjectKey key, byte[] bytes) throws IOException {
    try (WritableObject w = store.create(key)) {
      writeFully(w, bytes);
      w.commit();
    }
  }

  /** The SHA-256 of an object's content, read through the store, in lower-case hex. */
  public static String sha256(EvidenceStore store, ObjectKey key) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (SeekableByteChannel ch = store.openRead(key)) {
      ByteBuffer b = ByteBuffer.allocate(1 << 16);
      while (ch.read(b) >= 0) {
        b.flip();
        md.update(b);
        b.clear();
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
