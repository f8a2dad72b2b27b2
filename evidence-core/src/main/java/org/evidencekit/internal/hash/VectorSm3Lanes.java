package org.evidencekit.internal.hash;

import static jdk.incubator.vector.VectorOperators.ROL;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SM3's compression on one message per lane of the JVM's preferred integer vector (16 lanes with
 * AVX-512, 8 with AVX2), through the incubating Vector API. Loaded only by {@link Sm3Lanes}, after
 * it found the module; compiled apart from the rest of the library because {@code javac} always
 * warns about incubating modules.
 *
 * <p>Each block's sixteen message words are transposed into lane order with scalar big-endian
 * reads; the expansion and the 64 rounds then run on whole vectors. The work is split into methods
 * small enough for C2 to inline every Vector API call in them, and the calls are written out rather
 * than put in helpers (a helper compiled on its own is not inlined again): one large method exceeds
 * its inlining budget, the vectors are then boxed, and the code runs slower than scalar SM3.
 * Vectors cross method boundaries only through arrays.
 */
final class VectorSm3Lanes implements Sm3LaneCompressor {
  private static final VectorSpecies<Integer> S = IntVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final VarHandle BE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  /** The message expansion W[0..67], word j of lane i at {@code w[j * L + i]}. */
  private final int[] w = new int[68 * L];

  /** The working variables A..H between the two halves of the rounds. */
  private final int[] vars = new int[8 * L];

  VectorSm3Lanes() {}

  @Override
  public int lanes() {
    return L;
  }

  @Override
  public void compress(int[] state, ByteBuffer data, int[] offsets, int blocks) {
    if (state.length < 8 * L || offsets.length < L) {
      throw new IllegalArgumentException("state or offsets too short for " + L + " lanes");
    }
    ByteBuffer in = data.order() == ByteOrder.BIG_ENDIAN ? data : data.duplicate();
    in.order(ByteOrder.BIG_ENDIAN);
    for (int blk = 0; blk < blocks; blk++) {
      load(w, in, offsets, blk << 6);
      compressLoaded(state);
    }
  }

  @Override
  public void compress(int[] state, byte[][] data, int[] offsets, int blocks) {
    if (state.length < 8 * L || offsets.length < L || data.length < L) {
      throw new IllegalArgumentException("state, data or offsets too short for " + L + " lanes");
    }
    for (int blk = 0; blk < blocks; blk++) {
      load(w, data, offsets, blk << 6);
      compressLoaded(state);
    }
  }

  /** Compresses the block {@link #load} put in {@link #w} into every lane's state. */
  private void compressLoaded(int[] state) {
    expand(w);
    System.arraycopy(state, 0, vars, 0, 8 * L);
    rounds0To15(vars, w);
    rounds16To63(vars, w);
    feedForward(state, vars);
  }

  private static void load(int[] w, byte[][] in, int[] offsets, int base) {
    for (int lane = 0; lane < L; lane++) {
      byte[] b = in[lane];
      int off = offsets[lane] + base;
      for (int t = 0; t < 16; t++) {
        w[t * L + lane] = (int) BE_INT.get(b, off + (t << 2));
      }
    }
  }

  private static void load(int[] w, ByteBuffer in, int[] offsets, int base) {
    for (int lane = 0; lane < L; lane++) {
      int off = offsets[lane] + base;
      for (int t = 0; t < 16; t++) {
        w[t * L + lane] = in.getInt(off + (t << 2));
      }
    }
  }

  private static void expand(int[] w) {
    for (int j = 16; j < 68; j++) {
      IntVector x =
          IntVector.fromArray(S, w, (j - 16) * L)
              .lanewise(XOR, IntVector.fromArray(S, w, (j - 9) * L))
              .lanewise(XOR, IntVector.fromArray(S, w, (j - 3) * L).lanewise(ROL, 15));
      IntVector p1 = x.lanewise(XOR, x.lanewise(ROL, 15)).lanewise(XOR, x.lanewise(ROL, 23));
      p1.lanewise(XOR, IntVector.fromArray(S, w, (j - 13) * L).lanewise(ROL, 7))
          .lanewise(XOR, IntVector.fromArray(S, w, (j - 6) * L))
          .intoArray(w, j * L);
    }
  }

  private static void feedForward(int[] state, int[] vars) {
    for (int k = 0; k < 8; k++) {
      IntVector.fromArray(S, state, k * L)
          .lanewise(XOR, IntVector.fromArray(S, vars, k * L))
          .intoArray(state, k * L);
    }
  }

  private static void rounds0To15(int[] vars, int[] w) {
    IntVector a = IntVector.fromArray(S, vars, 0);
    IntVector b = IntVector.fromArray(S, vars, L);
    IntVector c = IntVector.fromArray(S, vars, 2 * L);
    IntVector d = IntVector.fromArray(S, vars, 3 * L);
    IntVector e = IntVector.fromArray(S, vars, 4 * L);
    IntVector f = IntVector.fromArray(S, vars, 5 * L);
    IntVector g = IntVector.fromArray(S, vars, 6 * L);
    IntVector h = IntVector.fromArray(S, vars, 7 * L);
    for (int j = 0; j < 16; j++) {
      IntVector wj = IntVector.fromArray(S, w, j * L);
      IntVector a12 = a.lanewise(ROL, 12);
      IntVector ss1 = a12.add(Sm3.TJ[j]).add(e).lanewise(ROL, 7);
      IntVector tt1 =
          a.lanewise(XOR, b)
              .lanewise(XOR, c)
              .add(d)
              .add(ss1.lanewise(XOR, a12))
              .add(wj.lanewise(XOR, IntVector.fromArray(S, w, (j + 4) * L)));
      IntVector tt2 = e.lanewise(XOR, f).lanewise(XOR, g).add(h).add(ss1).add(wj);
      d = c;
      c = b.lanewise(ROL, 9);
      b = a;
      a = tt1;
      h = g;
      g = f.lanewise(ROL, 19);
      f = e;
      e = tt2.lanewise(XOR, tt2.lanewise(ROL, 9)).lanewise(XOR, tt2.lanewise(ROL, 17));
    }
    a.intoArray(vars, 0);
    b.intoArray(vars, L);
    c.intoArray(vars, 2 * L);
    d.intoArray(vars, 3 * L);
    e.intoArray(vars, 4 * L);
    f.intoArray(vars, 5 * L);
    g.intoArray(vars, 6 * L);
    h.intoArray(vars, 7 * L);
  }

  private static void rounds16To63(int[] vars, int[] w) {
    IntVector a = IntVector.fromArray(S, vars, 0);
    IntVector b = IntVector.fromArray(S, vars, L);
    IntVector c = IntVector.fromArray(S, vars, 2 * L);
    IntVector d = IntVector.fromArray(S, vars, 3 * L);
    IntVector e = IntVector.fromArray(S, vars, 4 * L);
    IntVector f = IntVector.fromArray(S, vars, 5 * L);
    IntVector g = IntVector.fromArray(S, vars, 6 * L);
    IntVector h = IntVector.fromArray(S, vars, 7 * L);
    for (int j = 16; j < 64; j++) {
      IntVector wj = IntVector.fromArray(S, w, j * L);
      IntVector a12 = a.lanewise(ROL, 12);
      IntVector ss1 = a12.add(Sm3.TJ[j]).add(e).lanewise(ROL, 7);
      IntVector ff = a.and(b).or(c.and(a.or(b)));
      IntVector gg = f.lanewise(XOR, g).and(e).lanewise(XOR, g);
      IntVector tt1 =
          ff.add(d)
              .add(ss1.lanewise(XOR, a12))
              .add(wj.lanewise(XOR, IntVector.fromArray(S, w, (j + 4) * L)));
      IntVector tt2 = gg.add(h).add(ss1).add(wj);
      d = c;
      c = b.lanewise(ROL, 9);
      b = a;
      a = tt1;
      h = g;
      g = f.lanewise(ROL, 19);
      f = e;
      e = tt2.lanewise(XOR, tt2.lanewise(ROL, 9)).lanewise(XOR, tt2.lanewise(ROL, 17));
    }
    a.intoArray(vars, 0);
    b.intoArray(vars, L);
    c.intoArray(vars, 2 * L);
    d.intoArray(vars, 3 * L);
    e.intoArray(vars, 4 * L);
    f.intoArray(vars, 5 * L);
    g.intoArray(vars, 6 * L);
    h.intoArray(vars, 7 * L);
  }
}
