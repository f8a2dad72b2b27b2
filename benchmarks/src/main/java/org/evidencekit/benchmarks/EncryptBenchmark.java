package org.evidencekit.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
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
 * The target: AES-256-GCM encrypt+seal within 25 % of sealing alone, so encryption at rest costs an
 * ingest station little; SM4-GCM measured. 256 MiB from memory (1 MiB writes) into a discarding
 * channel, SHA-256 seal, 1 MiB segments.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class EncryptBenchmark {
  @Param({"256"})
  int mib;

  byte[] chunk;
  final AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("bench");
  final Sealer sealer = Sealer.create();

  static final WritableByteChannel DISCARD =
      new WritableByteChannel() {
        @Override
        public int write(ByteBuffer src) {
          int n = src.remaining();
          src.position(src.limit());
          return n;
        }

        @Override
        public boolean isOpen() {
          return true;
        }

        @Override
        public void close() {}
      };

  @Setup
  public void setUp() {
    chunk = new byte[1 << 20];
    new Random(13).nextBytes(chunk);
  }

  @Benchmark
  public Seal sealOnly() throws IOException {
    try (SealingChannel ch = sealer.newSealingChannel(DISCARD)) {
      for (int i = 0; i < mib; i++) {
        ch.write(ByteBuffer.wrap(chunk));
      }
      return ch.finish();
    }
  }

  @Benchmark
  public Seal sealAndAes256Gcm() throws IOException {
    return encrypt(AeadSuite.AES_256_GCM);
  }

  @Benchmark
  public Seal sealAndSm4Gcm() throws IOException {
    return encrypt(AeadSuite.SM4_GCM);
  }

  private Seal encrypt(AeadSuite suite) throws IOException {
    try (EncryptingChannel ch = EncryptingChannel.create(DISCARD, sealer, suite, 1 << 20, kek)) {
      for (int i = 0; i < mib; i++) {
        ch.write(ByteBuffer.wrap(chunk));
      }
      return ch.finish();
    }
  }
}
