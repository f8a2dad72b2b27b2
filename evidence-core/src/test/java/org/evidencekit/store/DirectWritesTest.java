package org.evidencekit.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Positional writes gathered into whole 1 MiB windows and written past the page cache ({@link
 * DirectWrites}, issue 25): whatever the order, the threads, the buffers free or the file system,
 * the committed object holds exactly the bytes written, and a byte written twice is refused.
 */
class DirectWritesTest {
  private static final int W = DirectWrites.WINDOW;

  @TempDir Path dir;

  private static byte[] content(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] read(FileSystemEvidenceStore store, ObjectKey k) throws IOException {
    try (SeekableByteChannel ch = store.openRead(k)) {
      ByteBuffer b = ByteBuffer.allocate((int) ch.size());
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // until full
      }
      return b.array();
    }
  }

  /** Whether this test's file system takes O_DIRECT (ext4, xfs, tmpfs from Linux 6.6). */
  private boolean directAvailable(Path where) throws IOException {
    Path probe = Files.createTempFile(where, "probe", "");
    DirectWrites.Shared s = new DirectWrites.Shared(1, 1);
    try (FileChannel ch = s.openDirect(probe)) {
      return ch != null;
    } finally {
      s.close();
      Files.delete(probe);
    }
  }

  /** Cuts {@code [0, size)} into stretches at the given points, in shuffled order. */
  private static List<int[]> stretches(int size, List<Integer> cuts, long seed) {
    List<Integer> points = new ArrayList<>();
    for (int c : cuts) {
      if (c > 0 && c < size) {
        points.add(c);
      }
    }
    points.add(0);
    points.add(size);
    List<Integer> sorted = points.stream().distinct().sorted().toList();
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i + 1 < sorted.size(); i++) {
      out.add(new int[] {sorted.get(i), sorted.get(i + 1)});
    }
    Collections.shuffle(out, new Random(seed));
    return out;
  }

  private static void writeAll(WritableObject w, byte[] c, List<int[]> parts, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int[] p : parts) {
        done.add(pool.submit(() -> w.write(ByteBuffer.wrap(c, p[0], p[1] - p[0]), p[0])));
      }
      for (Future<Integer> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void wholeWindowsAreWrittenDirectlyAndTheObjectIsExactlyWhatWasWritten() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    byte[] c = content(5 * W + 12_345, 1);
    List<Integer> cuts = new ArrayList<>();
    for (int at = 32 * 1024; at < c.length; at += 32 * 1024) {
      cuts.add(at); // the lane reads' stretches
    }
    DirectWrites.Shared shared = new DirectWrites.Shared(48, 2);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      ObjectKey k = ObjectKey.of("rec/big.mp4");
      try (WritableObject w = store.create(k)) {
        writeAll(w, c, stretches(c.length, cuts, 2), 4);
        assertFalse(store.exists(k));
        assertEquals(c.length, w.commit().size());
      }
      assertArrayEquals(c, read(store, k));
      assertEquals(5, shared.directWindows(), "the five whole windows, not the partial last one");
    }
  }

  /**
   * Any sizes, any cuts, any order, one to three threads, zero to three buffers (none: every
   * stretch through the cache; few: some windows gathered, the others through the cache): the
   * stored object is the content, byte for byte.
   */
  @Property(tries = 30)
  void anyWritePatternStoresExactlyTheContent(
      @ForAll @IntRange(min = 0, max = 3 * (1 << 20) + 5000) int size,
      @ForAll List<@IntRange(min = 0, max = 3 * (1 << 20) + 5000) Integer> cuts,
      @ForAll @IntRange(min = 1, max = 3) int threads,
      @ForAll @IntRange(min = 0, max = 3) int buffers,
      @ForAll long seed)
      throws Exception {
    byte[] c = content(size, seed);
    Path root = Files.createTempDirectory("direct-writes");
    DirectWrites.Shared shared = new DirectWrites.Shared(buffers, 1);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC(), shared)) {
      ObjectKey k = ObjectKey.of("p/" + size);
      try (WritableObject w = store.create(k)) {
        writeAll(w, c, stretches(size, cuts, seed), threads);
        assertEquals(size, w.commit().size());
      }
      assertArrayEquals(c, read(store, k));
    } finally {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          p.toFile().setWritable(true);
          Files.delete(p);
        }
      }
    }
  }

  @Test
  void aByteWrittenTwiceIsRefusedAndNothingOfThatWriteIsStored() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    byte[] c = content(2 * W + 100, 3);
    DirectWrites.Shared shared = new DirectWrites.Shared(8, 1);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      ObjectKey k = ObjectKey.of("twice");
      try (WritableObject w = store.create(k)) {
        w.write(ByteBuffer.wrap(c, 0, 600_000), 0);
        // over bytes of a window still gathered
        assertThrows(
            IllegalArgumentException.class,
            () -> w.write(ByteBuffer.wrap(new byte[200_000]), 500_000));
        w.write(ByteBuffer.wrap(c, 600_000, W - 600_000), 600_000);
        // over a window already written directly; the write spans into window 1, untouched
        assertThrows(
            IllegalArgumentException.class, () -> w.write(ByteBuffer.wrap(new byte[20]), W - 10));
        w.write(ByteBuffer.wrap(c, W, c.length - W), W);
        w.commit();
      }
      assertArrayEquals(c, read(store, k));
      assertEquals(2, shared.directWindows());
    }
  }

  @Test
  void anAbortedObjectGivesItsBuffersBack() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    DirectWrites.Shared shared = new DirectWrites.Shared(2, 1);
    byte[] c = content(2 * W, 4);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      try (WritableObject a = store.create(ObjectKey.of("a"))) {
        a.write(ByteBuffer.wrap(c, 0, 1000), 0);
        a.write(ByteBuffer.wrap(c, W, 1000), W); // both buffers gathering
        a.abort();
      }
      ObjectKey k = ObjectKey.of("b");
      try (WritableObject b = store.create(k)) {
        b.write(ByteBuffer.wrap(c), 0);
        b.commit();
      }
      assertEquals(2, shared.directWindows(), "both buffers were free again");
      assertArrayEquals(c, read(store, k));
      assertFalse(store.exists(ObjectKey.of("a")));
    }
  }

  @Test
  void aWriterDroppedWithoutCommitOrAbortGivesItsBuffersBackOnceCollected() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    DirectWrites.Shared shared = new DirectWrites.Shared(2, 1);
    byte[] c = content(2 * W, 5);
    Path root = dir.resolve("s");
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC(), shared)) {
      writeAndDrop(store, c);
      assertEquals(0, shared.idleBuffers(), "both buffers taken by the dropped writer");
      // nothing waits on a collection by itself: ask for one until the cleaner has run
      for (int i = 0;
          i < 500 && (shared.idleBuffers() < 2 || entries(root.resolve("tmp")) > 0);
          i++) {
        System.gc();
        Thread.sleep(10);
      }
      assertEquals(2, shared.idleBuffers(), "the dropped writer's buffers are back");
      assertEquals(0, entries(root.resolve("tmp")), "its staging directory is gone");
      ObjectKey k = ObjectKey.of("b");
      try (WritableObject b = store.create(k)) {
        b.write(ByteBuffer.wrap(c), 0);
        b.commit();
      }
      assertEquals(2, shared.directWindows(), "a later object writes both windows directly");
      assertArrayEquals(c, read(store, k));
      assertFalse(store.exists(ObjectKey.of("a")));
    }
  }

  /** Starts an object with both buffers gathering and lets go of it: no commit, no abort. */
  private static void writeAndDrop(FileSystemEvidenceStore store, byte[] c) throws IOException {
    WritableObject a = store.create(ObjectKey.of("a"));
    a.write(ByteBuffer.wrap(c, 0, 1000), 0);
    a.write(ByteBuffer.wrap(c, W, 1000), W);
  }

  private static long entries(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.count();
    }
  }

  @Test
  void thePropertyTurnsDirectWritesOffAndASmallHeapGetsFewerBuffers() throws Exception {
    DirectWrites.Shared off = DirectWrites.Shared.configured("false", 8L << 30, 2);
    DirectWrites.Shared small = DirectWrites.Shared.configured(null, 256L << 20, 2);
    DirectWrites.Shared big = DirectWrites.Shared.configured("true", 8L << 30, 2);
    try {
      assertEquals(0, off.maxBuffers());
      assertEquals(16, small.maxBuffers(), "a 16th of a 256 MiB heap");
      assertEquals(96, big.maxBuffers(), "16 per hash worker's lanes and 64 waiting for the disk");
      Path probe = Files.createTempFile(dir, "probe", "");
      assertEquals(null, off.openDirect(probe), "off: every write through the page cache");
      byte[] c = content(3 * W, 5);
      try (FileSystemEvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), off)) {
        ObjectKey k = ObjectKey.of("off");
        try (WritableObject w = store.create(k)) {
          w.write(ByteBuffer.wrap(c, W, 2 * W), W);
          w.write(ByteBuffer.wrap(c, 0, W), 0);
          w.commit();
        }
        assertArrayEquals(c, read(store, k));
        assertEquals(0, off.directWindows());
      }
    } finally {
      small.close();
      big.close();
    }
  }

  /**
   * An open that fails once (here: a file gone; on a station, say, file descriptors short for a
   * moment) sends that object through the page cache but leaves direct writes on for the next; only
   * {@link DirectWrites.Shared#OPEN_FAILURES} failures in a row turn them off for good.
   */
  @Test
  void oneFailedOpenLeavesDirectWritesOnAndFailuresInARowTurnThemOff() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    DirectWrites.Shared s = new DirectWrites.Shared(4, 1);
    Path gone = dir.resolve("no-such-file");
    Path real = Files.createTempFile(dir, "real", "");
    try {
      for (int round = 0; round < 2; round++) {
        for (int i = 1; i < DirectWrites.Shared.OPEN_FAILURES; i++) {
          assertEquals(null, s.openDirect(gone));
          assertFalse(s.unavailable(), "failure " + i + " in a row");
        }
        try (FileChannel ch = s.openDirect(real)) {
          assertTrue(ch != null, "still direct after failures short of the limit");
        }
      }
      for (int i = 0; i < DirectWrites.Shared.OPEN_FAILURES; i++) {
        assertEquals(null, s.openDirect(gone));
      }
      assertTrue(s.unavailable());
      assertEquals(null, s.openDirect(real), "off for the store's life");
    } finally {
      s.close();
    }
  }

  /**
   * The buffers grow with the hash workers (each gathers up to 16 windows at once) and the property
   * sets their number outright, heap or not; anything else there is refused, naming it, before a
   * store is opened.
   */
  @Test
  void theBuffersFollowTheProcessorsAndThePropertyCanSetThem() {
    int[][] cases = {{1, 80}, {2, 96}, {4, 128}, {8, 192}, {0, 80}};
    for (int[] c : cases) {
      DirectWrites.Shared s = DirectWrites.Shared.configured(null, 64L << 30, c[0]);
      assertEquals(c[1], s.maxBuffers(), c[0] + " processors");
      s.close();
    }
    DirectWrites.Shared set = DirectWrites.Shared.configured(" 32 ", 256L << 20, 2);
    DirectWrites.Shared zero = DirectWrites.Shared.configured("0", 8L << 30, 2);
    DirectWrites.Shared upper = DirectWrites.Shared.configured("TRUE", 8L << 30, 2);
    try {
      assertEquals(32, set.maxBuffers(), "set outright, above a 16th of the heap");
      assertEquals(0, zero.maxBuffers(), "0 is off");
      assertEquals(96, upper.maxBuffers());
    } finally {
      set.close();
      zero.close();
      upper.close();
    }
    // empty or blank (-Devidencekit.store.directWrites= with an unset shell variable, or the
    // property without a value) says nothing of true, false or a number: refused, not the default
    for (String bad :
        new String[] {
          "-1",
          "yes",
          "1.5",
          "99999999999",
          "48MiB",
          "",
          " \t",
          "+5",
          "-0",
          "\u0661\u0666",
          "\uFF11\uFF16"
        }) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> DirectWrites.Shared.configured(bad, 8L << 30, 2),
              bad);
      assertTrue(
          e.getMessage().contains("evidencekit.store.directWrites")
              && e.getMessage().contains('"' + bad + '"'),
          e.getMessage());
    }
    IllegalArgumentException tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () -> DirectWrites.Shared.configured("2147483648", 8L << 30, 2));
    assertTrue(
        tooMany.getMessage().contains("from 0 to 2147483647"),
        "a number, but past the largest: the message says which numbers: " + tooMany.getMessage());
  }

  /**
   * A write in the file's last window below {@code Long.MAX_VALUE} fails at once as the file system
   * refuses it, and one whose end is past {@code Long.MAX_VALUE} is refused: the window arithmetic
   * overflowed, so the first spun for hours holding the object's lock and the second returned its
   * length having written nothing.
   */
  @Test
  void writesAtTheEndOfTheLongRangeFailAndTheObjectStaysExact() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    byte[] c = content(W + 7, 6);
    DirectWrites.Shared shared = new DirectWrites.Shared(4, 1);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      ObjectKey k = ObjectKey.of("far");
      try (WritableObject w = store.create(k)) {
        assertThrows(
            IllegalArgumentException.class,
            () -> w.write(ByteBuffer.wrap(new byte[5]), Long.MAX_VALUE - 2),
            "its last byte would be past Long.MAX_VALUE");
        w.write(ByteBuffer.wrap(c), 0);
        assertEquals(c.length, w.commit().size());
      }
      assertArrayEquals(c, read(store, k));
      ObjectKey f = ObjectKey.of("farther");
      try (WritableObject w = store.create(f)) {
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () ->
                assertThrows(
                    IOException.class,
                    () -> w.write(ByteBuffer.wrap(new byte[5]), Long.MAX_VALUE - 10),
                    "no file system stores a byte there"));
      }
      assertFalse(store.exists(f));
    }
  }

  /**
   * A write of no bytes writes nothing, wherever it is: it took a window's buffer (so a whole
   * window later went through the cache) and was refused inside a window already written.
   */
  @Test
  void aWriteOfNoBytesTakesNoBufferAndIsNeverRefused() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    byte[] c = content(2 * W, 7);
    DirectWrites.Shared shared = new DirectWrites.Shared(1, 1);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      ObjectKey k = ObjectKey.of("empty-writes");
      try (WritableObject w = store.create(k)) {
        assertEquals(0, w.write(ByteBuffer.allocate(0), 5));
        w.write(ByteBuffer.wrap(c, W, W), W);
        assertEquals(0, w.write(ByteBuffer.allocate(0), W + 10), "inside a window written");
        w.write(ByteBuffer.wrap(c, 0, W), 0);
        assertEquals(c.length, w.commit().size());
      }
      assertArrayEquals(c, read(store, k));
      // window 1's buffer may still be in flight when window 0 comes: at least one went direct
      assertTrue(shared.directWindows() >= 1, "the write of no bytes took the one buffer");
    }
  }

  /**
   * A commit on an interrupted thread fails (the partial window's write through the cache closes
   * the channel) and leaves nothing visible, and the window's buffer goes back to the store: the
   * next object's whole window is still written directly.
   */
  @Test
  void anInterruptedCommitLeavesNothingAndGivesItsBufferBack() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    byte[] c = content(W, 8);
    DirectWrites.Shared shared = new DirectWrites.Shared(1, 1);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      ObjectKey a = ObjectKey.of("interrupted");
      try (WritableObject w = store.create(a)) {
        w.write(ByteBuffer.wrap(c, 0, 1000), 0); // the one buffer, gathering
        Thread.currentThread().interrupt();
        try {
          assertThrows(IOException.class, w::commit);
        } finally {
          Thread.interrupted();
        }
      }
      assertFalse(store.exists(a), "nothing of the interrupted commit is visible");
      ObjectKey b = ObjectKey.of("after");
      try (WritableObject w = store.create(b)) {
        w.write(ByteBuffer.wrap(c), 0);
        w.commit();
      }
      assertArrayEquals(c, read(store, b));
      assertEquals(1, shared.directWindows(), "the buffer came back");
    }
  }

  /**
   * Past 2 GiB and across the 4 GiB line (int window offsets, long file positions): a whole window
   * at 3 GiB goes direct, a stretch crossing two windows at 4 GiB through the cache, and each reads
   * back where it was written; the object is sparse, its holes zeros.
   */
  @Test
  void anObjectPastFourGibKeepsEveryStretchWhereItWasWritten() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    byte[] whole = content(W, 9);
    byte[] across = content(300, 10);
    long wholeAt = 3L << 30;
    long acrossAt = (4L << 30) - 100;
    DirectWrites.Shared shared = new DirectWrites.Shared(4, 1);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      ObjectKey k = ObjectKey.of("sparse");
      try (WritableObject w = store.create(k)) {
        w.write(ByteBuffer.wrap(across), acrossAt);
        w.write(ByteBuffer.wrap(whole), wholeAt);
        assertEquals(acrossAt + across.length, w.commit().size());
      }
      assertEquals(1, shared.directWindows(), "the whole window at 3 GiB");
      try (SeekableByteChannel ch = store.openRead(k)) {
        assertArrayEquals(whole, readAt(ch, wholeAt, W));
        assertArrayEquals(across, readAt(ch, acrossAt, across.length));
        assertArrayEquals(new byte[4096], readAt(ch, wholeAt - 4096, 4096), "a hole");
      }
    }
  }

  private static byte[] readAt(SeekableByteChannel ch, long at, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    ch.position(at);
    while (b.hasRemaining() && ch.read(b) >= 0) {
      // until full
    }
    return b.array();
  }

  /**
   * A store closed while an object is written: the window the writer then fills is written on the
   * writer's thread (the I/O threads take no more), the commit is refused, and nothing of the
   * object is visible or left in the staging folder when the store is opened again.
   */
  @Test
  void aStoreClosedMeanwhileRefusesTheCommitAndLeavesNothing() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    byte[] c = content(W, 11);
    DirectWrites.Shared shared = new DirectWrites.Shared(2, 1);
    Path root = dir.resolve("s");
    ObjectKey k = ObjectKey.of("closed-meanwhile");
    FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC(), shared);
    try (WritableObject w = store.create(k)) {
      w.write(ByteBuffer.wrap(c, 0, 1000), 0);
      store.close();
      assertEquals(W - 1000, w.write(ByteBuffer.wrap(c, 1000, W - 1000), 1000));
      assertThrows(IOException.class, w::commit);
    }
    assertEquals(1, shared.directWindows(), "written on the writer's thread");
    try (FileSystemEvidenceStore again =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      assertFalse(again.exists(k));
    }
    try (Stream<Path> left = Files.list(root.resolve("tmp"))) {
      assertEquals(List.of(), left.toList(), "the staging folder was deleted");
    }
  }

  /**
   * A write far into the file (2 PiB) costs no memory for its position: the window bookkeeping grew
   * a bit set to the window's index, 256 MiB for this one, on the writer's thread, enough for a few
   * such writes to end a station's heap (an {@code OutOfMemoryError} that also lost a buffer).
   */
  @Test
  void aWriteFarIntoTheFileAllocatesNoBookkeepingForItsPosition() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    // reflectively: this module reads neither java.management nor jdk.management
    Object threads =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    java.lang.reflect.Method allocatedBytes =
        Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getCurrentThreadAllocatedBytes");
    long far = (long) Integer.MAX_VALUE * W;
    DirectWrites.Shared shared = new DirectWrites.Shared(2, 1);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      ObjectKey k = ObjectKey.of("far");
      try (WritableObject w = store.create(k)) {
        ByteBuffer window = ByteBuffer.wrap(content(W, 12));
        long before = (Long) allocatedBytes.invoke(threads);
        try {
          w.write(window, far);
          w.commit(); // a file system that takes a byte at 2 PiB (xfs) stores it
        } catch (IOException tooFar) {
          // ext4 stores no byte past 16 TiB
        }
        long allocated = (Long) allocatedBytes.invoke(threads) - before;
        assertTrue(allocated < (16 << 20), allocated + " bytes allocated for one 1 MiB write");
      }
    }
  }

  /**
   * Four objects written at once, three threads each, sharing three buffers: a buffer one object
   * gives back is taken by another while its old bytes are still in it, and each object is still
   * exactly its own content.
   */
  @Test
  void objectsWrittenAtOnceShareTheBuffersAndEachKeepsItsOwnBytes() throws Exception {
    assumeTrue(directAvailable(dir), "this file system takes no O_DIRECT");
    DirectWrites.Shared shared = new DirectWrites.Shared(3, 2);
    ExecutorService objects = Executors.newFixedThreadPool(4);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC(), shared)) {
      List<Future<byte[]>> stored = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        int object = i;
        stored.add(
            objects.submit(
                () -> {
                  byte[] c = content(6 * W + 777 * object, 20 + object);
                  List<Integer> cuts = new ArrayList<>();
                  Random r = new Random(object);
                  for (int j = 0; j < 60; j++) {
                    cuts.add(r.nextInt(c.length));
                  }
                  ObjectKey k = ObjectKey.of("shared/" + object);
                  try (WritableObject w = store.create(k)) {
                    writeAll(w, c, stretches(c.length, cuts, object), 3);
                    w.commit();
                  }
                  return c;
                }));
      }
      for (int i = 0; i < 4; i++) {
        assertArrayEquals(stored.get(i).get(), read(store, ObjectKey.of("shared/" + i)));
      }
      assertTrue(shared.directWindows() > 0, "some windows went direct");
    } finally {
      objects.shutdownNow();
    }
  }

  /** A channel whose positional writes throw an Error, as a JVM short of memory may. */
  private static final class ErringChannel extends FileChannel {
    private final FileChannel file;

    ErringChannel(FileChannel file) {
      this.file = file;
    }

    @Override
    public int write(ByteBuffer src, long position) {
      throw new OutOfMemoryError("test: no memory for this write");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
      return file.read(dsts, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      return file.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
      return file.write(srcs, offset, length);
    }

    @Override
    public long position() throws IOException {
      return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
      file.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
      file.truncate(size);
      return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
      file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target)
        throws IOException {
      return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count)
        throws IOException {
      return file.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
      return file.read(dst, position);
    }

    @Override
    public java.nio.MappedByteBuffer map(MapMode mode, long position, long size)
        throws IOException {
      return file.map(mode, position, size);
    }

    @Override
    public java.nio.channels.FileLock lock(long position, long size, boolean shared)
        throws IOException {
      return file.lock(position, size, shared);
    }

    @Override
    public java.nio.channels.FileLock tryLock(long position, long size, boolean shared)
        throws IOException {
      return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
      file.close();
    }
  }

  /**
   * An Error on an I/O thread (here out of memory inside the direct write) leaves a window off the
   * disk: the object must then fail, never commit with zeros where the window was.
   */
  @Test
  void aWindowLostToAnErrorOnTheIoThreadFailsTheObject() throws Exception {
    Path file = dir.resolve("content");
    DirectWrites.Shared shared = new DirectWrites.Shared(4, 1);
    try (FileChannel cached =
            FileChannel.open(
                file,
                java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE);
        FileChannel erring =
            new ErringChannel(FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE))) {
      DirectWrites d = new DirectWrites(shared, erring, cached, "lost");
      d.write(ByteBuffer.wrap(content(W, 6)), 0); // a whole window: to the erring I/O write
      IOException e = assertThrows(IOException.class, d::finish);
      assertTrue(e.getMessage().contains("lost"), e.getMessage());
      assertThrows(IOException.class, () -> d.write(ByteBuffer.wrap(new byte[10]), W));
      d.discard();
      assertEquals(0, Files.size(file), "nothing of the window reached the file");
    } finally {
      shared.close();
    }
  }
}
