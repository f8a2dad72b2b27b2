package org.evidencekit.internal.hash;

/** A resettable, allocation-free incremental hash. Not thread-safe. */
public interface Hasher {
  void update(byte b);

  void update(byte[] data, int offset, int length);

  /** Consumes the buffer's remaining bytes. */
  void update(java.nio.ByteBuffer data);

  /**
   * Whether this hasher reads direct buffers without an extra copy of its own; file reads then go
   * into direct buffers, saving the JDK's bounce copy into the heap.
   */
  boolean prefersDirectBuffers();

  /** Writes the digest to {@code out} at {@code offset} and resets for reuse. */
  void finish(byte[] out, int offset);

  void reset();

  int digestLength();
}
