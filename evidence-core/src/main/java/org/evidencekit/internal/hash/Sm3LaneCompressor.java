package org.evidencekit.internal.hash;

import java.nio.ByteBuffer;

/**
 * The SM3 compression function run on {@link #lanes()} independent messages at once, one per SIMD
 * lane: what makes SM3 sealing fast, since every segment of a seal is a message of its own (R-04,
 * Obtained from {@link Sm3Lanes}; one instance per thread (it owns scratch space).
 */
public interface Sm3LaneCompressor {
  /** How many messages one call advances. */
  int lanes();

  /**
   * Compresses {@code blocks} consecutive 64-byte blocks of every lane into its chaining value.
   *
   * @param state the chaining values, word {@code k} of lane {@code i} at {@code state[k * lanes()
   *     + i]} (the layout of {@link Sm3#exportState})
   * @param data where the blocks are; read with absolute big-endian gets, position untouched
   * @param offsets where lane {@code i}'s first block starts in {@code data}
   */
  void compress(int[] state, ByteBuffer data, int[] offsets, int blocks);

  /**
   * As {@link #compress(int[], ByteBuffer, int[], int)}, lane {@code i}'s blocks starting at {@code
   * data[i][offsets[i]]}.
   */
  void compress(int[] state, byte[][] data, int[] offsets, int blocks);
}
