package org.evidencekit.benchmarks;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.hash.Sm3LaneCompressor;
import org.evidencekit.internal.hash.Sm3Lanes;
import org.evidencekit.internal.merkle.TreeHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One segment's leaf hash, single thread, data in memory: the per-core ceiling of each algorithm.
 * Throughput in ops/s; MB/s = ops/s x segment size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SegmentHashBenchmark {
  /** Segments per {@link #lanesSm3} call: a multiple of every lane width (4, 8, 16). */
  static final int BATCH = 16;

  @Param({"1048576"})
  int segmentSize;

  byte[] segment;
  TreeHasher sha256;
  TreeHasher sm3;
  MessageDigest jdkSha256;
  SM3Digest bcSm3;
  byte[] out = new byte[32];
  Sm3LaneCompressor lanes;
  ByteBuffer batch;
  int[] laneState;
  int[][] laneOffsets;

  @Setup
  public void setUp() throws Exception {
    segment = new byte[segmentSize];
    new Random(1).nextBytes(segment);
    sha256 = new TreeHasher(HashAlgorithm.SHA256);
    sm3 = new TreeHasher(HashAlgorithm.SM3);
    jdkSha256 = MessageDigest.getInstance("SHA-256");
    bcSm3 = new SM3Digest();
    if (!Sm3Lanes.available()) {
      return; // lanesSm3 refuses to run; the others do not need the lanes
    }
    lanes = Sm3Lanes.create();
    int w = lanes.lanes();
    byte[] all = new byte[BATCH * segmentSize];
    new Random(2).nextBytes(all);
    batch = ByteBuffer.allocateDirect(all.length);
    batch.put(all).clear();
    laneState = new int[8 * w];
    laneOffsets = new int[BATCH / w][w];
    for (int i = 0; i < BATCH; i++) {
      laneOffsets[i / w][i % w] = i * segmentSize;
    }
  }

  @Benchmark
  public byte[] leafSha256() {
    return sha256.leaf(segment, 0, segment.length);
  }

  @Benchmark
  public byte[] leafSm3() {
    return sm3.leaf(segment, 0, segment.length);
  }

  /** The JDK's MessageDigest alone: the floor our SHA-256 leaf must match. */
  @Benchmark
  public byte[] plainJdkSha256() {
    jdkSha256.update(segment);
    return jdkSha256.digest();
  }

  /**
   * SM3 on the lanes: the compression of 16 whole segments (every lane busy), as file sealing runs
   * it; one operation is one segment, so the score compares with {@link #leafSm3} directly.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int[] lanesSm3() {
    if (lanes == null) {
      throw new IllegalStateException("SM3 lanes are off: " + Sm3Lanes.unavailableReason());
    }
    for (int[] offsets : laneOffsets) {
      lanes.compress(laneState, batch, offsets, segmentSize >>> 6);
    }
    return laneState;
  }

  /** BouncyCastle's SM3Digest alone: the baseline our SM3 and its lanes must beat. */
  @Benchmark
  public byte[] plainBouncyCastleSm3() {
    bcSm3.update(segment, 0, segment.length);
    bcSm3.doFinal(out, 0);
    return out;
  }
}
