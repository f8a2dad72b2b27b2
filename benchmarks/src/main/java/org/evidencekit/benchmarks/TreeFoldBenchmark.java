package org.evidencekit.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.merkle.CompactRange;
import org.evidencekit.internal.merkle.MerkleMath;
import org.evidencekit.internal.merkle.PackedLeaves;
import org.evidencekit.internal.merkle.TreeHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Folding leaf hashes into a root: the streaming frontier (what sealing pays per segment) and the
 * recursive tree hash (what verification pays to check a seal's leaves against its root). 4096
 * leaves = a 4 GiB recording at 1 MiB segments.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TreeFoldBenchmark {
  @Param({"4096", "65536"})
  int leaves;

  @Param({"sha256", "sm3"})
  String algorithm;

  PackedLeaves packed;
  TreeHasher hasher;

  @Setup
  public void setUp() {
    hasher = new TreeHasher(HashAlgorithm.forName(algorithm).orElseThrow());
    packed = new PackedLeaves(32, leaves);
    Random r = new Random(7);
    byte[] leaf = new byte[32];
    for (int i = 0; i < leaves; i++) {
      r.nextBytes(leaf);
      packed.add(leaf, 0);
    }
  }

  @Benchmark
  public byte[] frontierAppendAllAndRoot() {
    CompactRange range = new CompactRange(hasher);
    byte[] leaf = new byte[32];
    for (int i = 0; i < leaves; i++) {
      packed.copy(i, leaf, 0);
      range.append(leaf, 0);
    }
    return range.root();
  }

  @Benchmark
  public byte[] recursiveTreeHash() {
    return MerkleMath.subtreeHash(hasher, packed, 0, leaves);
  }
}
