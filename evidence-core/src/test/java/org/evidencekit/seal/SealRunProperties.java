package org.evidencekit.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.evidencekit.internal.hash.Sm3Lanes;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;

/**
 * A {@link SealRun} seals many files as one stream of segments (lane batches mix files), yet each
 * file's seal must be exactly the one sealing it alone gives, and what it stored must be the file:
 * for runs of every shape (empty files, files shorter than a segment, whole lane batches, ragged
 * ends), every parallelism and every suite.
 */
class SealRunProperties {
  static final int SEG = Sealer.MIN_SEGMENT_SIZE;
  static Path root;
  static FileSystemEvidenceStore store;
  static int n;

  @BeforeContainer
  static void open() throws IOException {
    Sm3Lanes.warmUp();
    root = Files.createTempDirectory("seal-run");
    store = FileSystemEvidenceStore.openOrCreate(root.resolve("store"), Clock.systemUTC());
  }

  @AfterContainer
  static void close() throws IOException {
    store.close();
  }

  @Provide
  Arbitrary<SealSuite> suites() {
    return Arbitraries.of(SealSuite.SHA256, SealSuite.SM3, SealSuite.SHA256_SM3);
  }

  @Provide
  Arbitrary<List<Integer>> runs() {
    Arbitrary<Integer> len =
        Arbitraries.oneOf(
            Arbitraries.of(0, 1, SEG - 1, SEG, SEG + 1, 2 * SEG, 3 * SEG + 5),
            Arbitraries.integers().between(0, 5 * SEG));
    return len.list().ofMinSize(1).ofMaxSize(24);
  }

  @Property(tries = 30)
  void eachFileGetsTheSealItGetsAloneAndIsStoredExactly(
      @ForAll("suites") SealSuite suite,
      @ForAll("runs") List<Integer> lengths,
      @ForAll @IntRange(min = 1, max = 3) int parallelism,
      @ForAll boolean store)
      throws Exception {
    Sealer sealer = Sealer.builder().suite(suite).segmentSize(SEG).parallelism(parallelism).build();
    List<byte[]> data = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int len : lengths) {
      byte[] b = new byte[len];
      new Random(len * 7L + data.size()).nextBytes(b);
      data.add(b);
      files.add(Files.write(root.resolve("f" + n++), b));
    }
    List<FileChannel> open = new ArrayList<>();
    List<WritableObject> writers = new ArrayList<>();
    List<CompletableFuture<Seal>> seals = new ArrayList<>();
    List<long[]> progress = new ArrayList<>();
    try (SealRun run = sealer.newRun(-1)) {
      for (Path f : files) {
        FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
        open.add(ch);
        long[] last = {0};
        progress.add(last);
        if (store) {
          WritableObject w = SealRunProperties.store.create(ObjectKey.of("run/" + n++));
          writers.add(w);
          seals.add(run.submitInto(ch, w, x -> last[0] = x));
        } else {
          seals.add(run.submit(ch, x -> last[0] = x));
        }
      }
      run.finish();
    }
    for (int i = 0; i < files.size(); i++) {
      assertTrue(seals.get(i).isDone(), "finish() completes every file");
      Seal s = seals.get(i).get();
      assertEquals(sealer.seal(files.get(i)).digest(), s.digest(), "file " + i + " of " + lengths);
      assertEquals(data.get(i).length, progress.get(i)[0]);
      if (store) {
        WritableObject w = writers.get(i);
        w.commit();
        assertArrayEquals(data.get(i), read(w.key()));
      }
      open.get(i).close();
      Files.delete(files.get(i));
    }
  }

  /**
   * A lane batch whose leftover segments were hashed one by one through the batch buffer left its
   * limit short, and the next lane batch on that buffer read past it (IndexOutOfBoundsException):
   * the run that found it (33-segment files around short ones, one worker).
   */
  @Example
  void aLaneBatchAfterLeftoversHashedAloneInTheSameBuffer() throws Exception {
    eachFileGetsTheSealItGetsAloneAndIsStoredExactly(
        SealSuite.SHA256_SM3, List.of(1, 0, 33 * SEG - 1, SEG, 2, 33 * SEG), 1, false);
  }

  @Example
  void aFileThatShrankFailsItAndTheFilesStillInFlightButNotTheOnesBefore() throws Exception {
    Sealer sealer = Sealer.builder().segmentSize(SEG).parallelism(2).build();
    Path a = Files.write(root.resolve("a"), new byte[2 * SEG]);
    Path b = Files.write(root.resolve("b"), new byte[4 * SEG]);
    CompletableFuture<Seal> fa;
    CompletableFuture<Seal> fb = null;
    IOException seen = null;
    try (FileChannel ca = FileChannel.open(a);
        FileChannel cb = FileChannel.open(b, StandardOpenOption.READ, StandardOpenOption.WRITE);
        SealRun run = sealer.newRun(-1)) {
      fa = run.submit(ca, x -> {});
      cb.truncate(SEG); // b shrinks after it was planned: its workers meet the end
      FileChannel planned = new SealIntoProperties.PlannedSize(cb, 4L * SEG);
      try {
        fb = run.submit(planned, x -> {});
        run.finish();
      } catch (IOException e) {
        seen = e;
      }
    }
    assertTrue(seen != null && seen.getMessage().contains("shrank"), String.valueOf(seen));
    if (fa.isCompletedExceptionally()) {
      // a's last segment may have been folded after b's failure was seen: then both fail
      assertThrows(ExecutionException.class, fa::get);
    } else {
      assertEquals(sealer.seal(a).digest(), fa.get().digest());
    }
    if (fb != null) {
      assertThrows(ExecutionException.class, fb::get);
    }
  }

  private static byte[] read(ObjectKey key) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key)) {
      ByteBuffer b = ByteBuffer.allocate((int) ch.size());
      while (b.hasRemaining() && ch.read(b) >= 0) {}
      return b.array();
    }
  }
}
