package org.evidencekit.crypt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.evidencekit.internal.hash.Sm3Lanes;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealRun;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;

/**
 * Encryption by the hash workers: whatever the file's length (empty, shorter than a
 * segment, exact multiples, one byte more, several lane batches), the suite and whether the file is
 * sealed alone or in a {@link SealRun} with others, the stored ciphertext decrypts with {@link
 * EncryptedRecording} to the file, has the length {@link EncryptingChannel}'s would have, and the
 * seal is {@code seal(Path)}'s. A failure mid-file leaves nothing visible.
 */
class EncryptingObjectProperties {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;
  static final AesKeyEncryptionKey KEK = AesKeyEncryptionKey.generate("kek-enc-object");
  static Path root;
  static FileSystemEvidenceStore store;
  static int keys;

  @BeforeContainer
  static void openStore() throws IOException {
    Sm3Lanes.warmUp();
    root = Files.createTempDirectory("encrypting-object");
    store = FileSystemEvidenceStore.openOrCreate(root.resolve("store"), Clock.systemUTC());
  }

  @AfterContainer
  static void closeStore() throws IOException {
    store.close();
  }

  @Provide
  Arbitrary<Integer> lengths() {
    int batch = Math.max(1, Sm3Lanes.width()) * SEG;
    return Arbitraries.oneOf(
        Arbitraries.of(0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG, 3 * SEG + 1, batch, batch + 7),
        Arbitraries.integers().between(0, 2 * batch + SEG));
  }

  @Provide
  Arbitrary<SealSuite> suites() {
    return Arbitraries.of(SealSuite.SHA256, SealSuite.SHA256_SM3);
  }

  /**
   * Ciphertext segments inside a seal segment, equal to it, spanning two (so written by two
   * workers), and several seal segments long.
   */
  @Provide
  Arbitrary<Integer> cryptSegments() {
    return Arbitraries.of(SEG / 16, SEG, SEG * 3 / 2, 2 * SEG);
  }

  @Property(tries = 25)
  void sealedAloneTheCiphertextDecryptsToTheFileAndTheSealIsTheFiles(
      @ForAll("lengths") int length,
      @ForAll AeadSuite aead,
      @ForAll("suites") SealSuite suite,
      @ForAll("cryptSegments") int cryptSegment,
      @ForAll @IntRange(min = 1, max = 3) int parallelism)
      throws IOException {
    Sealer sealer = Sealer.builder().suite(suite).segmentSize(SEG).parallelism(parallelism).build();
    byte[] data = random(length, length * 31L + parallelism);
    Path f = write(data);
    ObjectKey key = ObjectKey.of("alone/" + keys++);
    Seal seal;
    try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
        EncryptingObject enc =
            EncryptingObject.create(
                new ExactlyOnce(store.create(key)), aead, cryptSegment, KEK, in.size())) {
      seal = sealer.sealInto(in, enc, n -> {});
      enc.finish(seal);
      enc.commit();
    }
    assertStoredCiphertextOf(key, data, seal, aead, sealer.seal(f), cryptSegment);
    Files.delete(f);
  }

  @Property(tries = 15)
  void inARunEachCiphertextDecryptsToItsFileAndEachSealIsTheFiles(
      @ForAll @Size(min = 1, max = 6) List<@From("lengths") Integer> lengths,
      @ForAll AeadSuite aead,
      @ForAll("suites") SealSuite suite,
      @ForAll @IntRange(min = 1, max = 3) int parallelism)
      throws Exception {
    Sealer sealer = Sealer.builder().suite(suite).segmentSize(SEG).parallelism(parallelism).build();
    List<byte[]> data = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<ObjectKey> objects = new ArrayList<>();
    List<FileChannel> open = new ArrayList<>();
    List<EncryptingObject> encs = new ArrayList<>();
    List<CompletableFuture<Seal>> seals = new ArrayList<>();
    try (SealRun run = sealer.newRun(-1)) {
      for (int len : lengths) {
        byte[] d = random(len, len * 17L + data.size());
        data.add(d);
        Path f = write(d);
        files.add(f);
        ObjectKey key = ObjectKey.of("run/" + keys++);
        objects.add(key);
        FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
        open.add(in);
        EncryptingObject enc =
            EncryptingObject.create(new ExactlyOnce(store.create(key)), aead, SEG, KEK, len);
        encs.add(enc);
        seals.add(run.submitInto(in, enc, n -> {}));
      }
      run.finish();
    }
    for (int i = 0; i < lengths.size(); i++) {
      Seal seal = seals.get(i).get();
      try (EncryptingObject enc = encs.get(i)) {
        enc.finish(seal);
        enc.commit();
      }
      open.get(i).close();
      assertStoredCiphertextOf(
          objects.get(i), data.get(i), seal, aead, sealer.seal(files.get(i)), SEG);
      Files.delete(files.get(i));
    }
  }

  @Example
  void aDestinationThatFailsMidFileLeavesNothingVisible() throws IOException {
    for (AeadSuite aead : AeadSuite.values()) {
      byte[] data = random(12 * SEG + 5, 7);
      Path f = write(data);
      ObjectKey key = ObjectKey.of("fails/" + keys++);
      Sealer sealer = Sealer.builder().segmentSize(SEG).parallelism(2).build();
      try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
          EncryptingObject enc =
              EncryptingObject.create(
                  new FailingAfter(store.create(key), 5L * SEG), aead, SEG, KEK, in.size())) {
        IOException e = assertThrows(IOException.class, () -> sealer.sealInto(in, enc, n -> {}));
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
        assertThrows(IOException.class, () -> enc.finish(sealer.seal(f)));
        assertThrows(IllegalStateException.class, enc::commit);
      }
      assertFalse(store.exists(key), "an aborted ciphertext is not visible");
      Files.delete(f);
    }
  }

  @Example
  void aFailedRunFileLeavesNothingVisible() throws Exception {
    byte[] data = random(6 * SEG, 9);
    Path f = write(data);
    ObjectKey key = ObjectKey.of("fails-in-run/" + keys++);
    Sealer sealer = Sealer.builder().segmentSize(SEG).parallelism(2).build();
    try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
        EncryptingObject enc =
            EncryptingObject.create(
                new FailingAfter(store.create(key), 2L * SEG),
                AeadSuite.AES_256_GCM,
                SEG,
                KEK,
                in.size());
        SealRun run = sealer.newRun(-1)) {
      // the failure surfaces in whichever call waits for the workers first
      CompletableFuture<Seal> sealed;
      try {
        sealed = run.submitInto(in, enc, n -> {});
        assertThrows(IOException.class, run::finish);
        assertThrows(ExecutionException.class, sealed::get);
      } catch (IOException e) {
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
      }
    }
    assertFalse(store.exists(key));
    Files.delete(f);
  }

  @Example
  void plaintextBeyondTheDeclaredLengthOrMissingIsAnError() throws IOException {
    ObjectKey key = ObjectKey.of("grew/" + keys++);
    Sealer sealer = Sealer.builder().segmentSize(SEG).build();
    try (EncryptingObject enc =
        EncryptingObject.create(store.create(key), AeadSuite.AES_256_GCM, SEG, KEK, 10)) {
      IOException e = assertThrows(IOException.class, () -> enc.write(ByteBuffer.allocate(11), 0));
      assertTrue(e.getMessage().contains("grew"), e.getMessage());
    }
    assertFalse(store.exists(key));
    ObjectKey missing = ObjectKey.of("missing/" + keys++);
    Path f = write(new byte[2 * SEG]);
    try (EncryptingObject enc =
        EncryptingObject.create(store.create(missing), AeadSuite.SM4_GCM, SEG, KEK, 2 * SEG)) {
      enc.write(ByteBuffer.allocate(SEG), SEG); // the last segment only
      IOException e = assertThrows(IOException.class, () -> enc.finish(sealer.seal(f)));
      assertTrue(e.getMessage().contains("missing"), e.getMessage());
    }
    assertFalse(store.exists(missing));
    ObjectKey other = ObjectKey.of("other-seal/" + keys++);
    try (EncryptingObject enc =
        EncryptingObject.create(store.create(other), AeadSuite.SM4_GCM, SEG, KEK, 5)) {
      enc.write(ByteBuffer.allocate(5), 0);
      assertThrows(IOException.class, () -> enc.finish(sealer.seal(f)));
      assertThrows(IllegalStateException.class, enc::commit);
    }
    assertFalse(store.exists(other));
    Files.delete(f);
  }

  @Example
  void refusesWhatItCannotHonour() throws IOException {
    ObjectKey key = ObjectKey.of("refused/" + keys++);
    try (WritableObject w = store.create(key)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> EncryptingObject.create(w, AeadSuite.AES_256_GCM, 1024, KEK, 0));
      assertThrows(
          IllegalArgumentException.class,
          () -> EncryptingObject.create(w, AeadSuite.AES_256_GCM, SEG, KEK, -1));
      assertThrows(NullPointerException.class, () -> EncryptingObject.create(w, null, SEG, KEK, 0));
    }
    try (EncryptingObject enc =
        EncryptingObject.create(store.create(key), AeadSuite.AES_256_GCM, SEG, KEK, 3)) {
      assertThrows(IllegalStateException.class, () -> enc.write(ByteBuffer.allocate(3)));
      assertThrows(IllegalStateException.class, enc::commit);
    }
    assertFalse(store.exists(key));
  }

  private static void assertStoredCiphertextOf(
      ObjectKey key, byte[] data, Seal seal, AeadSuite aead, Seal ofFile, int cryptSegment)
      throws IOException {
    assertEquals(ofFile.digest(), seal.digest(), "the seal is seal(Path) of the file");
    byte[] ct = readAll(key);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EncryptedRecording r =
        EncryptedRecording.open(new org.evidencekit.InMemoryChannel(ct), seal, List.of(KEK));
    assertEquals(aead, r.suite());
    r.decryptTo(Channels.newChannel(out));
    assertArrayEquals(data, out.toByteArray(), "decrypts to the file");
    assertEquals(cryptSegment, r.segmentSize());
    assertEquals(channelCiphertextLength(data, seal, aead, cryptSegment), ct.length);
  }

  /** What EncryptingChannel writes for the same plaintext, segment size and key. */
  private static long channelCiphertextLength(
      byte[] data, Seal seal, AeadSuite aead, int cryptSegment) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (EncryptingChannel ch =
        EncryptingChannel.create(
            Channels.newChannel(bos),
            Sealer.builder().suite(seal.suite()).segmentSize(SEG).build(),
            aead,
            cryptSegment,
            KEK)) {
      ch.write(ByteBuffer.wrap(data));
      assertEquals(seal.digest(), ch.finish().digest());
    }
    return bos.size();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static Path write(byte[] data) throws IOException {
    Path f = root.resolve("in-" + keys + "-" + data.length + ".bin");
    Files.write(f, data);
    return f;
  }

  private static byte[] readAll(ObjectKey key) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key)) {
      ByteBuffer b = ByteBuffer.allocate((int) ch.size());
      while (b.hasRemaining() && ch.read(b) >= 0) {}
      return b.array();
    }
  }

  /**
   * A destination with the strictest positional-write rules the SPI allows (the S3 store's): a byte
   * written twice is refused, and so is a commit with a stretch never written.
   */
  private static final class ExactlyOnce implements WritableObject {
    private final WritableObject w;
    private final java.util.TreeMap<Long, Long> written = new java.util.TreeMap<>();

    ExactlyOnce(WritableObject w) {
      this.w = w;
    }

    @Override
    public ObjectKey key() {
      return w.key();
    }

    @Override
    public boolean supportsPositionalWrites() {
      return true;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      long end = position + src.remaining();
      synchronized (written) {
        java.util.Map.Entry<Long, Long> before = written.floorEntry(end - 1);
        if (before != null && before.getValue() > position && src.hasRemaining()) {
          throw new IllegalArgumentException(
              "["
                  + position
                  + ", "
                  + end
                  + ") overlaps ["
                  + before.getKey()
                  + ", "
                  + before.getValue()
                  + ")");
        }
        if (end > position) {
          written.put(position, end);
        }
      }
      return w.write(src, position);
    }

    @Override
    public int write(ByteBuffer src) {
      throw new AssertionError("in-order write");
    }

    @Override
    public ObjectInfo commit() throws IOException {
      long at = 0;
      synchronized (written) {
        for (java.util.Map.Entry<Long, Long> e : written.entrySet()) {
          if (e.getKey() != at) {
            throw new IllegalStateException("bytes [" + at + ", " + e.getKey() + ") never written");
          }
          at = e.getValue();
        }
      }
      return w.commit();
    }

    @Override
    public void abort() throws IOException {
      w.abort();
    }

    @Override
    public boolean isOpen() {
      return w.isOpen();
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }

  /** A destination whose disk fills up once {@code limit} bytes reached it. */
  private static final class FailingAfter implements WritableObject {
    private final WritableObject w;
    private final long limit;
    private final java.util.concurrent.atomic.AtomicLong written =
        new java.util.concurrent.atomic.AtomicLong();

    FailingAfter(WritableObject w, long limit) {
      this.w = w;
      this.limit = limit;
    }

    @Override
    public ObjectKey key() {
      return w.key();
    }

    @Override
    public boolean supportsPositionalWrites() {
      return true;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      if (written.addAndGet(src.remaining()) > limit) {
        throw new IOException("disk full");
      }
      return w.write(src, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return w.write(src);
    }

    @Override
    public ObjectInfo commit() throws IOException {
      return w.commit();
    }

    @Override
    public void abort() throws IOException {
      w.abort();
    }

    @Override
    public boolean isOpen() {
      return w.isOpen();
    }

    @Override
    public void close() throws IOException {
      w.close();
    }
  }
}
