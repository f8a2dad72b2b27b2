package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.evidencekit.NaiveMerkle;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.hash.Sm3Lanes;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;

/**
 * Sealing while storing ({@link Sealer#sealInto}): the hash workers write what they read at its
 * position, so the stored object must be the file byte for byte and the seal must be the naive
 * model's, for every length (empty, one short segment, whole lane batches and ragged ends), every
 * parallelism and every suite, with the SM3 lanes warm (lane batches) as well as off.
 */
class SealIntoProperties {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;
  static Path root;
  static FileSystemEvidenceStore store;
  static int keys;

  @BeforeContainer
  static void openStore() throws IOException {
    Sm3Lanes.warmUp();
    root = Files.createTempDirectory("seal-into");
    store = FileSystemEvidenceStore.openOrCreate(root.resolve("store"), Clock.systemUTC());
  }

  @AfterContainer
  static void closeStore() throws IOException {
    store.close();
  }

  @Provide
  Arbitrary<SealSuite> suites() {
    return Arbitraries.of(SealSuite.SHA256, SealSuite.SM3, SealSuite.SHA256_SM3);
  }

  @Provide
  Arbitrary<Integer> lengths() {
    int batch = Math.max(1, Sm3Lanes.width()) * SEG;
    return Arbitraries.oneOf(
        Arbitraries.of(0, 1, SEG - 1, SEG, SEG + 1, batch, batch + 7, 2 * batch + SEG / 2),
        Arbitraries.integers().between(0, 3 * batch));
  }

  @Property(tries = 40)
  void theStoredObjectIsTheFileAndTheSealIsTheNaiveOne(
      @ForAll("suites") SealSuite suite,
      @ForAll("lengths") int length,
      @ForAll @IntRange(min = 1, max = 3) int parallelism)
      throws IOException {
    byte[] data = new byte[length];
    new Random(length * 131L + parallelism).nextBytes(data);
    Path f = root.resolve("in-" + keys + ".bin");
    Files.write(f, data);
    Sealer sealer = Sealer.builder().suite(suite).segmentSize(SEG).parallelism(parallelism).build();
    List<Long> progress = new ArrayList<>();
    ObjectKey key = ObjectKey.of("rec/" + keys++);
    Seal seal;
    ObjectInfo info;
    try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
        WritableObject w = store.create(key)) {
      seal = sealer.sealInto(in, w, progress::add);
      info = w.commit();
    }
    assertEquals(length, info.size());
    assertArrayEquals(data, readAll(key));
    assertEquals(length, seal.length());
    for (HashAlgorithm a : suite.algorithms()) {
      List<byte[]> leaves = NaiveMerkle.segmentLeaves(a.name(), data, SEG);
      assertEquals(leaves.size(), seal.segmentCount());
      assertArrayEquals(NaiveMerkle.mth(a.name(), leaves), seal.root(a).toByteArray(), a.name());
    }
    assertEquals(sealer.seal(f).digest(), seal.digest(), "the same seal as sealing the file");
    // progress runs up to the length, never backwards
    for (int i = 1; i < progress.size(); i++) {
      assertTrue(progress.get(i) >= progress.get(i - 1));
    }
    if (length > 0) {
      assertEquals((long) length, progress.get(progress.size() - 1));
    }
    Files.delete(f);
  }

  @Example
  void aFileThatShrinksIsAnErrorAndNothingIsStored() throws IOException {
    Path f = root.resolve("shrinks.bin");
    Files.write(f, new byte[8 * SEG]);
    Sealer sealer = Sealer.builder().segmentSize(SEG).parallelism(2).build();
    ObjectKey key = ObjectKey.of("shrunk");
    try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
        WritableObject w = store.create(key)) {
      // the sealer plans 8 segments; the file has shrunk to 3 before the workers read them
      FileChannel lying = new PlannedSize(in, 8L * SEG);
      in.truncate(3L * SEG);
      IOException e = assertThrows(IOException.class, () -> sealer.sealInto(lying, w, n -> {}));
      assertTrue(e.getMessage().contains("shrank"), e.getMessage());
    }
    assertFalse(store.exists(key));
  }

  @Example
  void aDestinationWithoutPositionalWritesIsRefused() throws IOException {
    Path f = root.resolve("small.bin");
    Files.write(f, new byte[10]);
    WritableObject inOrderOnly =
        new WritableObject() {
          @Override
          public ObjectKey key() {
            return ObjectKey.of("in-order-only");
          }

          @Override
          public ObjectInfo commit() {
            throw new AssertionError();
          }

          @Override
          public void abort() {}

          @Override
          public void close() {}

          @Override
          public int write(ByteBuffer src) {
            throw new AssertionError();
          }

          @Override
          public boolean isOpen() {
            return true;
          }
        };
    try (FileChannel in = FileChannel.open(f)) {
      UnsupportedOperationException e =
          assertThrows(
              UnsupportedOperationException.class,
              () -> Sealer.create().sealInto(in, inOrderOnly, n -> {}));
      assertTrue(e.getMessage().contains("in-order-only"), e.getMessage());
    }
  }

  private static byte[] readAll(ObjectKey key) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key)) {
      ByteBuffer b = ByteBuffer.allocate((int) ch.size());
      while (b.hasRemaining() && ch.read(b) >= 0) {}
      return b.array();
    }
  }

  /** A file channel that reports the size the file had when sealing was planned. */
  static final class PlannedSize extends FileChannel {
    private final FileChannel f;
    private final long size;

    PlannedSize(FileChannel f, long size) {
      this.f = f;
      this.size = size;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return f.read(dst, position);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return f.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return f.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return f.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return f.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      return f.write(src, position);
    }

    @Override
    public long position() throws IOException {
      return f.position();
    }

    @Override
    public FileChannel position(long p) throws IOException {
      f.position(p);
      return this;
    }

    @Override
    public FileChannel truncate(long s) throws IOException {
      f.truncate(s);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      f.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, java.nio.channels.WritableByteChannel t)
        throws IOException {
      return f.transferTo(position, count, t);
    }

    @Override
    public long transferFrom(java.nio.channels.ReadableByteChannel s, long position, long count)
        throws IOException {
      return f.transferFrom(s, position, count);
    }

    @Override
    public java.nio.MappedByteBuffer map(MapMode mode, long position, long s) throws IOException {
      return f.map(mode, position, s);
    }

    @Override
    public java.nio.channels.FileLock lock(long position, long s, boolean shared)
        throws IOException {
      return f.lock(position, s, shared);
    }

    @Override
    public java.nio.channels.FileLock tryLock(long position, long s, boolean shared)
        throws IOException {
      return f.tryLock(position, s, shared);
    }

    @Override
    protected void implCloseChannel() {}
  }
}
