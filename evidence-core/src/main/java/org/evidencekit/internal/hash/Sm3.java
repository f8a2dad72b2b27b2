package org.evidencekit.internal.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * SM3 (GB/T 32905-2016, GM/T 0004-2012), written for throughput on the JVM: whole blocks are
 * compressed straight from the caller's array (big-endian words read with a byte-array view
 * VarHandle, which the JIT turns into one load and a byte swap), the message expansion lives in one
 * reused array, the chaining state stays in locals for the 64 rounds, the round constants are
 * pre-rotated, and the rounds are unrolled four at a time with the variables renamed instead of
 * shuffled, so each round is pure arithmetic. No allocation after construction.
 *
 * <p>Checked against the GB/T 32905 vectors and against BouncyCastle for every length and split.
 */
public final class Sm3 implements Hasher {
  private static final VarHandle BE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  static final int[] IV = {
    0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
    0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e
  };

  /** T_j rotated left by j mod 32, as the round uses it. */
  static final int[] TJ = new int[64];

  static {
    for (int j = 0; j < 64; j++) {
      int t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      TJ[j] = Integer.rotateLeft(t, j % 32);
    }
  }

  private int v0;
  private int v1;
  private int v2;
  private int v3;
  private int v4;
  private int v5;
  private int v6;
  private int v7;
  private final byte[] block = new byte[64];
  private int blockLen;
  private long byteCount;
  private final int[] w = new int[68];
  private byte[] scratch;

  public Sm3() {
    reset();
  }

  @Override
  public void reset() {
    v0 = IV[0];
    v1 = IV[1];
    v2 = IV[2];
    v3 = IV[3];
    v4 = IV[4];
    v5 = IV[5];
    v6 = IV[6];
    v7 = IV[7];
    blockLen = 0;
    byteCount = 0;
  }

  @Override
  public int digestLength() {
    return 32;
  }

  @Override
  public boolean prefersDirectBuffers() {
    return false;
  }

  @Override
  public void update(byte b) {
    block[blockLen++] = b;
    byteCount++;
    if (blockLen == 64) {
      compress(block, 0, 1);
      blockLen = 0;
    }
  }

  @Override
  public void update(byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new IndexOutOfBoundsException();
    }
    byteCount += length;
    if (blockLen > 0) {
      int take = Math.min(64 - blockLen, length);
      System.arraycopy(data, offset, block, blockLen, take);
      blockLen += take;
      offset += take;
      length -= take;
      if (blockLen < 64) {
        return;
      }
      compress(block, 0, 1);
      blockLen = 0;
    }
    int blocks = length >>> 6;
    if (blocks > 0) {
      compress(data, offset, blocks);
      offset += blocks << 6;
      length -= blocks << 6;
    }
    if (length > 0) {
      System.arraycopy(data, offset, block, 0, length);
      blockLen = length;
    }
  }

  @Override
  public void update(ByteBuffer data) {
    if (data.hasArray()) {
      update(data.array(), data.arrayOffset() + data.position(), data.remaining());
      data.position(data.limit());
      return;
    }
    if (scratch == null) {
      scratch = new byte[16 * 1024];
    }
    while (data.hasRemaining()) {
      int n = Math.min(scratch.length, data.remaining());
      data.get(scratch, 0, n);
      update(scratch, 0, n);
    }
  }

  /**
   * Writes the chaining value to {@code state[k * lanes + lane]} ({@code k} = 0..7), the layout of
   * {@link Sm3LaneCompressor}; only at a block boundary.
   *
   * @return the number of bytes hashed so far
   */
  public long exportState(int[] state, int lanes, int lane) {
    if (blockLen != 0) {
      throw new IllegalStateException("not at a block boundary: " + blockLen + " bytes buffered");
    }
    state[lane] = v0;
    state[lanes + lane] = v1;
    state[2 * lanes + lane] = v2;
    state[3 * lanes + lane] = v3;
    state[4 * lanes + lane] = v4;
    state[5 * lanes + lane] = v5;
    state[6 * lanes + lane] = v6;
    state[7 * lanes + lane] = v7;
    return byteCount;
  }

  /**
   * Continues from a chaining value in the {@link #exportState} layout after {@code bytesHashed}
   * bytes (a multiple of 64) were compressed into it.
   */
  public void importState(int[] state, int lanes, int lane, long bytesHashed) {
    if ((bytesHashed & 63) != 0) {
      throw new IllegalArgumentException("not a whole number of blocks: " + bytesHashed);
    }
    v0 = state[lane];
    v1 = state[lanes + lane];
    v2 = state[2 * lanes + lane];
    v3 = state[3 * lanes + lane];
    v4 = state[4 * lanes + lane];
    v5 = state[5 * lanes + lane];
    v6 = state[6 * lanes + lane];
    v7 = state[7 * lanes + lane];
    blockLen = 0;
    byteCount = bytesHashed;
  }

  @Override
  public void finish(byte[] out, int offset) {
    long bits = byteCount << 3;
    block[blockLen++] = (byte) 0x80;
    if (blockLen > 56) {
      java.util.Arrays.fill(block, blockLen, 64, (byte) 0);
      compress(block, 0, 1);
      blockLen = 0;
    }
    java.util.Arrays.fill(block, blockLen, 56, (byte) 0);
    BE_INT.set(block, 56, (int) (bits >>> 32));
    BE_INT.set(block, 60, (int) bits);
    compress(block, 0, 1);
    BE_INT.set(out, offset, v0);
    BE_INT.set(out, offset + 4, v1);
    BE_INT.set(out, offset + 8, v2);
    BE_INT.set(out, offset + 12, v3);
    BE_INT.set(out, offset + 16, v4);
    BE_INT.set(out, offset + 20, v5);
    BE_INT.set(out, offset + 24, v6);
    BE_INT.set(out, offset + 28, v7);
    reset();
  }

  private static int p0(int x) {
    return x ^ Integer.rotateLeft(x, 9) ^ Integer.rotateLeft(x, 17);
  }

  private static int p1(int x) {
    return x ^ Integer.rotateLeft(x, 15) ^ Integer.rotateLeft(x, 23);
  }

  /** W[k..k+3] of the message expansion. */
  private static void expand4(int[] w, int k) {
    for (int j = k; j < k + 4; j++) {
      w[j] =
          p1(w[j - 16] ^ w[j - 9] ^ Integer.rotateLeft(w[j - 3], 15))
              ^ Integer.rotateLeft(w[j - 13], 7)
              ^ w[j - 6];
    }
  }

  private void compress(byte[] in, int off, int blocks) {
    final int[] w = this.w;
    final int[] tj = TJ;
    int s0 = v0;
    int s1 = v1;
    int s2 = v2;
    int s3 = v3;
    int s4 = v4;
    int s5 = v5;
    int s6 = v6;
    int s7 = v7;
    for (int blk = 0; blk < blocks; blk++, off += 64) {
      for (int i = 0; i < 16; i++) {
        w[i] = (int) BE_INT.get(in, off + (i << 2));
      }
      expand4(w, 16);
      for (int j = 20; j < 68; j++) {
        w[j] =
            p1(w[j - 16] ^ w[j - 9] ^ Integer.rotateLeft(w[j - 3], 15))
                ^ Integer.rotateLeft(w[j - 13], 7)
                ^ w[j - 6];
      }
      int a = s0;
      int b = s1;
      int c = s2;
      int d = s3;
      int e = s4;
      int f = s5;
      int g = s6;
      int h = s7;
      // Four rounds per step with the registers renamed: round r leaves (B, F) rotated and the
      // new (A, E) where the next round expects them, so no variable is copied.
      for (int j = 0; j < 16; j += 4) {
        int a12 = Integer.rotateLeft(a, 12);
        int ss1 = Integer.rotateLeft(a12 + tj[j] + e, 7);
        int tt1 = (a ^ b ^ c) + d + (w[j] ^ w[j + 4]) + (ss1 ^ a12);
        int tt2 = (e ^ f ^ g) + h + w[j] + ss1;
        b = Integer.rotateLeft(b, 9);
        f = Integer.rotateLeft(f, 19);
        d = tt1;
        h = p0(tt2);

        a12 = Integer.rotateLeft(d, 12);
        ss1 = Integer.rotateLeft(a12 + tj[j + 1] + h, 7);
        tt1 = (d ^ a ^ b) + c + (w[j + 1] ^ w[j + 5]) + (ss1 ^ a12);
        tt2 = (h ^ e ^ f) + g + w[j + 1] + ss1;
        a = Integer.rotateLeft(a, 9);
        e = Integer.rotateLeft(e, 19);
        c = tt1;
        g = p0(tt2);

        a12 = Integer.rotateLeft(c, 12);
        ss1 = Integer.rotateLeft(a12 + tj[j + 2] + g, 7);
        tt1 = (c ^ d ^ a) + b + (w[j + 2] ^ w[j + 6]) + (ss1 ^ a12);
        tt2 = (g ^ h ^ e) + f + w[j + 2] + ss1;
        d = Integer.rotateLeft(d, 9);
        h = Integer.rotateLeft(h, 19);
        b = tt1;
        f = p0(tt2);

        a12 = Integer.rotateLeft(b, 12);
        ss1 = Integer.rotateLeft(a12 + tj[j + 3] + f, 7);
        tt1 = (b ^ c ^ d) + a + (w[j + 3] ^ w[j + 7]) + (ss1 ^ a12);
        tt2 = (f ^ g ^ h) + e + w[j + 3] + ss1;
        c = Integer.rotateLeft(c, 9);
        g = Integer.rotateLeft(g, 19);
        a = tt1;
        e = p0(tt2);
      }
      for (int j = 16; j < 64; j += 4) {
        int a12 = Integer.rotateLeft(a, 12);
        int ss1 = Integer.rotateLeft(a12 + tj[j] + e, 7);
        int tt1 = ((a & b) | (c & (a | b))) + d + (w[j] ^ w[j + 4]) + (ss1 ^ a12);
        int tt2 = (((f ^ g) & e) ^ g) + h + w[j] + ss1;
        b = Integer.rotateLeft(b, 9);
        f = Integer.rotateLeft(f, 19);
        d = tt1;
        h = p0(tt2);

        a12 = Integer.rotateLeft(d, 12);
        ss1 = Integer.rotateLeft(a12 + tj[j + 1] + h, 7);
        tt1 = ((d & a) | (b & (d | a))) + c + (w[j + 1] ^ w[j + 5]) + (ss1 ^ a12);
        tt2 = (((e ^ f) & h) ^ f) + g + w[j + 1] + ss1;
        a = Integer.rotateLeft(a, 9);
        e = Integer.rotateLeft(e, 19);
        c = tt1;
        g = p0(tt2);

        a12 = Integer.rotateLeft(c, 12);
        ss1 = Integer.rotateLeft(a12 + tj[j + 2] + g, 7);
        tt1 = ((c & d) | (a & (c | d))) + b + (w[j + 2] ^ w[j + 6]) + (ss1 ^ a12);
        tt2 = (((h ^ e) & g) ^ e) + f + w[j + 2] + ss1;
        d = Integer.rotateLeft(d, 9);
        h = Integer.rotateLeft(h, 19);
        b = tt1;
        f = p0(tt2);

        a12 = Integer.rotateLeft(b, 12);
        ss1 = Integer.rotateLeft(a12 + tj[j + 3] + f, 7);
        tt1 = ((b & c) | (d & (b | c))) + a + (w[j + 3] ^ w[j + 7]) + (ss1 ^ a12);
        tt2 = (((g ^ h) & f) ^ h) + e + w[j + 3] + ss1;
        c = Integer.rotateLeft(c, 9);
        g = Integer.rotateLeft(g, 19);
        a = tt1;
        e = p0(tt2);
      }
      s0 ^= a;
      s1 ^= b;
      s2 ^= c;
      s3 ^= d;
      s4 ^= e;
      s5 ^= f;
      s6 ^= g;
      s7 ^= h;
    }
    v0 = s0;
    v1 = s1;
    v2 = s2;
    v3 = s3;
    v4 = s4;
    v5 = s5;
    v6 = s6;
    v7 = s7;
  }
}
