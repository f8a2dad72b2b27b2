package org.evidencekit.internal.hash;

/** A resettable, allocation-free incremental hash. Not thread-safe. */
public interface Hasher {
  void update(byte b);

  void update(byte[] data, int offset, int length);

  /** Writes the digest to {@code out} at {@code offset} and resets for reuse. */
  void finish(byte[] out, int offset);

  void reset();

  int digestLength();
}
