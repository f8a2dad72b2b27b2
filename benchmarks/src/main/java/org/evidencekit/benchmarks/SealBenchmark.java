package org.evidencekit.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whole-file sealing and verification of a file in the page cache, next to the ceiling it is
 * measured against: two threads of plain {@code MessageDigest} SHA-256 over the same file read
 * three ways (heap buffers, direct buffers, memory-mapped windows). Seconds per operation; MB/s =
 * fileMiB x 1.048576 / score.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 7)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx256m", "--add-modules", "jdk.incubator.vector"})
public class SealBenchmark {
  @Param({"512"})
  int fileMiB;

  @Param({"sha256", "sm3", "sha256+sm3"})
  String suite;

  Path file;
  Sealer sealer;
  Seal seal;
  ExecutorService pool;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Files.createTempFile("evidencekit-bench", ".bin");
    byte[] chunk = new byte[1 << 20];
    Random r = new Random(3);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (int i = 0; i < fileMiB; i++) {
        r.nextBytes(chunk);
        ch.write(ByteBuffer.wrap(chunk));
      }
    }
    sealer = Sealer.builder().suite(SealSuite.forName(suite).orElseThrow()).build();
    seal = sealer.seal(file);
    pool = Executors.newFixedThreadPool(2);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    pool.shutdownNow();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public Seal sealFile() throws IOException {
    return sealer.seal(file);
  }

  @Benchmark
  public Seal sealStream() throws IOException {
    try (FileChannel ch = FileChannel.open(file)) {
      return sealer.seal(Channels.newChannel(Channels.newInputStream(ch)));
    }
  }

  @Benchmark
  public VerificationReport verifyFile() throws IOException {
    return Verifier.create().verify(file, seal);
  }

  /** Ceiling: 2 threads of MessageDigest SHA-256 over 4 MiB slices, 256 KiB heap reads. */
  @Benchmark
  public List<byte[]> ceilingSha256Heap() throws Exception {
    return ceiling(false, false);
  }

  /** Ceiling with direct buffers. */
  @Benchmark
  public List<byte[]> ceilingSha256Direct() throws Exception {
    return ceiling(true, false);
  }

  /** Ceiling with memory-mapped windows. */
  @Benchmark
  public List<byte[]> ceilingSha256Mapped() throws Exception {
    return ceiling(false, true);
  }

  private List<byte[]> ceiling(boolean direct, boolean mapped) throws Exception {
    long size = Files.size(file);
    long slice = 4L << 20;
    try (FileChannel ch = FileChannel.open(file)) {
      List<Future<byte[]>> fs = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        final int worker = t;
        fs.add(
            pool.submit(
                () -> {
                  MessageDigest md = MessageDigest.getInstance("SHA-256");
                  ByteBuffer buf =
                      direct
                          ? ByteBuffer.allocateDirect(256 << 10)
                          : ByteBuffer.allocate(256 << 10);
                  for (long off = worker * slice; off < size; off += 2 * slice) {
                    long end = Math.min(size, off + slice);
                    if (mapped) {
                      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, off, end - off);
                      md.update(m);
                    } else {
                      for (long p = off; p < end; ) {
                        buf.clear().limit((int) Math.min(buf.capacity(), end - p));
                        p += ch.read(buf, p);
                        buf.flip();
                        md.update(buf);
                      }
                    }
                  }
                  return md.digest();
                }));
      }
      List<byte[]> out = new ArrayList<>();
      for (Future<byte[]> f : fs) {
        out.add(f.get());
      }
      return out;
    }
  }
}
