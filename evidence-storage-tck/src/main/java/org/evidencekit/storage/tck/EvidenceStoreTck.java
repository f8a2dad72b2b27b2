package org.evidencekit.storage.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage conformance kit: every MUST of {@code docs/storage-spi.md} as a test, grouped by
 * operation. An adapter proves itself by extending this class with one factory method:
 *
 * <pre>{@code
 * class MyStoreTckTest extends EvidenceStoreTck {
 *   protected EvidenceStore openStore(StoreContext context) throws IOException {
 *     return new MyStore(context.clock(), context.directory());
 *   }
 * }
 * }</pre>
 *
 * Checks that need a capability the store does not declare are reported as skipped, never as
 * passed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class EvidenceStoreTck {
  /** The instant every test's clock starts at. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final AtomicInteger IDS = new AtomicInteger();

  /**
   * Opens the store under test for {@code context}: empty on the first call for a context, the same
   * store again on later calls.
   */
  protected abstract EvidenceStore openStore(StoreContext context) throws IOException;

  @TempDir Path tempDir;

  protected StoreContext context;
  protected EvidenceStore store;
  protected Set<Capability> caps;

  /**
   * The instant retention values are set relative to: {@link #T0} for stores with {@link
   * Capability#INJECTED_CLOCK}, the current whole second for stores whose server clock decides (so
   * that "two years from now" is in the future for the server too).
   */
  protected Instant t0;

  @BeforeEach
  void openTheStore() throws IOException {
    String id =
        "tck-" + Long.toString(System.nanoTime() & 0xffffffffL, 36) + "-" + IDS.incrementAndGet();
    context = new StoreContext(new MutableClock(T0), tempDir, id);
    store = openStore(context);
    caps = store.capabilities();
    t0 =
        caps.contains(Capability.INJECTED_CLOCK)
            ? T0
            : Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  /**
   * A retention instant {@code span} from now that a test then lets pass: on an injected clock
   * {@code span} itself, on a server clock {@code realSpan} (a few seconds, waited out for real).
   */
  protected Instant expiringIn(Duration span, Duration realSpan) {
    if (caps.contains(Capability.INJECTED_CLOCK)) {
      return context.clock().instant().plus(span);
    }
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(realSpan);
  }

  /**
   * Lets time pass until {@code instant} is reached: moves the injected clock, or sleeps until the
   * system clock is a second past it (a store on a server clock decides on the server).
   */
  protected void passTime(Instant instant) {
    if (caps.contains(Capability.INJECTED_CLOCK)) {
      if (context.clock().instant().isBefore(instant)) {
        context.clock().set(instant);
      }
      return;
    }
    Instant until = instant.plusMillis(1500);
    try {
      while (Instant.now().isBefore(until)) {
        Thread.sleep(Math.max(10, Duration.between(Instant.now(), until).toMillis()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for time to pass", e);
    }
  }

  @AfterEach
  void closeTheStore() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  protected static ObjectKey key(String k) {
    return ObjectKey.of(k);
  }

  protected static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected ObjectInfo put(String k, byte[] content) throws IOException {
    try (WritableObject w = store.create(key(k))) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        w.write(b);
      }
      return w.commit();
    }
  }

  protected byte[] read(String k) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key(k))) {
      return readAll(ch);
    }
  }

  protected static byte[] readAll(SeekableByteChannel ch) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    while (ch.read(buf.clear()) >= 0) {
      out.write(buf.array(), 0, buf.position());
    }
    return out.toByteArray();
  }

  /** The keys {@code list(prefix)} returns, checked against {@code keys(prefix)}. */
  protected List<String> listKeys(String prefix) throws IOException {
    List<String> listed;
    try (Stream<ObjectInfo> s = store.list(prefix)) {
      listed = s.map(i -> i.key().value()).collect(Collectors.toList());
    }
    try (Stream<ObjectKey> s = store.keys(prefix)) {
      assertEquals(
          listed,
          s.map(ObjectKey::value).collect(Collectors.toList()),
          "keys(\"" + prefix + "\") and list(\"" + prefix + "\")");
    }
    return listed;
  }

  protected static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  protected void requires(Capability c) {
    assumeTrue(caps.contains(c), "store lacks capability " + c);
  }

  protected EvidenceStore reopen() throws IOException {
    store.close();
    store = openStore(context);
    return store;
  }

  // ------------------------------------------------------------------ create

  /** create / commit / abort. */
  @Nested
  public class Create {
    @Test
    void anObjectIsInvisibleUntilCommitted() throws IOException {
      try (WritableObject w = store.create(key("a/b.mp4"))) {
        w.write(ByteBuffer.wrap(bytes(1000, 1)));
        assertFalse(store.exists(key("a/b.mp4")));
        assertThrows(NoSuchObjectException.class, () -> store.stat(key("a/b.mp4")));
        assertThrows(NoSuchObjectException.class, () -> store.openRead(key("a/b.mp4")));
        if (caps.contains(Capability.LIST)) {
          assertEquals(List.of(), listKeys(""));
        }
        w.commit();
      }
      assertTrue(store.exists(key("a/b.mp4")));
    }

    @Test
    void aCommittedObjectReadsBackExactly() throws IOException {
      byte[] content = bytes(70_001, 2);
      put("rec/1.mp4", content);
      assertArrayEquals(content, read("rec/1.mp4"));
    }

    @Test
    void commitReportsSizeDigestAndTime() throws IOException {
      byte[] content = bytes(12_345, 3);
      ObjectInfo info = put("x", content);
      assertEquals(key("x"), info.key());
      assertEquals(content.length, info.size());
      assertArrayEquals(sha256(content), info.sha256().orElseThrow());
      if (caps.contains(Capability.INJECTED_CLOCK)) {
        assertEquals(T0, info.createdAt());
      }
      assertTrue(info.retainUntil().isEmpty());
      assertFalse(info.legalHold());
    }

    @Test
    void anExistingKeyIsNeverOverwritten() throws IOException {
      byte[] first = bytes(500, 4);
      put("k", first);
      IOException e =
          assertThrows(
              ObjectExistsException.class,
              () -> {
                try (WritableObject w = store.create(key("k"))) {
                  w.write(ByteBuffer.wrap(bytes(600, 5)));
                  w.commit();
                }
              });
      assertTrue(e.getMessage().contains("k"), e.getMessage());
      assertArrayEquals(first, read("k"));
      assertEquals(500, store.stat(key("k")).size());
    }

    @Test
    void theSecondOfTwoOpenWritersLoses() throws IOException {
      WritableObject w1 = store.create(key("race"));
      WritableObject w2;
      try {
        w2 = store.create(key("race"));
      } catch (ObjectExistsException early) {
        w1.abort();
        return; // a store may detect the conflict at create(); then nothing more to check
      }
      w1.write(ByteBuffer.wrap(bytes(10, 1)));
      w2.write(ByteBuffer.wrap(bytes(20, 2)));
      w1.commit();
      assertThrows(ObjectExistsException.class, w2::commit);
      w2.close();
      assertArrayEquals(bytes(10, 1), read("race"));
    }

    @Test
    void abortLeavesNothing() throws IOException {
      WritableObject w = store.create(key("gone"));
      w.write(ByteBuffer.wrap(bytes(100, 6)));
      w.abort();
      w.abort();
      assertFalse(store.exists(key("gone")));
      put("gone", bytes(3, 7));
      assertArrayEquals(bytes(3, 7), read("gone"));
    }

    @Test
    void closeWithoutCommitAborts() throws IOException {
      try (WritableObject w = store.create(key("c"))) {
        w.write(ByteBuffer.wrap(bytes(100, 6)));
      }
      assertFalse(store.exists(key("c")));
    }

    @Test
    void writingAfterCommitOrAbortFails() throws IOException {
      WritableObject w = store.create(key("w"));
      w.commit();
      assertThrows(ClosedChannelException.class, () -> w.write(ByteBuffer.allocate(1)));
      assertThrows(IOException.class, w::commit);
      WritableObject v = store.create(key("v"));
      v.abort();
      assertThrows(ClosedChannelException.class, () -> v.write(ByteBuffer.allocate(1)));
      assertFalse(v.isOpen());
    }

    @Test
    void anEmptyObjectIsAnObject() throws IOException {
      ObjectInfo info = put("empty", new byte[0]);
      assertEquals(0, info.size());
      assertTrue(store.exists(key("empty")));
      assertArrayEquals(new byte[0], read("empty"));
    }

    @Test
    void manySmallWritesConcatenateInOrder() throws IOException {
      byte[] content = bytes(50_000, 8);
      try (WritableObject w = store.create(key("chunks"))) {
        Random r = new Random(9);
        int off = 0;
        while (off < content.length) {
          int n = Math.min(1 + r.nextInt(700), content.length - off);
          w.write(ByteBuffer.wrap(content, off, n));
          off += n;
        }
        w.commit();
      }
      assertArrayEquals(content, read("chunks"));
    }

    @Test
    void aMultiMegabyteObjectRoundTrips() throws IOException {
      byte[] content = bytes(9 * 1024 * 1024 + 7, 10);
      put("big.mp4", content);
      assertArrayEquals(sha256(content), sha256(read("big.mp4")));
      assertEquals(content.length, store.stat(key("big.mp4")).size());
    }

    @Test
    void keysWithUnicodeSpacesAndDepthWork() throws IOException {
      String[] keys = {
        "案件/2026/执法记录仪 01/录像.mp4", "a b/c d.mp4", "d/e/f/g/h/i/j/k/l/m/n.bin", "x.y.z", "😀"
      };
      for (int i = 0; i < keys.length; i++) {
        put(keys[i], bytes(10 + i, i));
      }
      for (int i = 0; i < keys.length; i++) {
        assertArrayEquals(bytes(10 + i, i), read(keys[i]), keys[i]);
      }
    }

    @Test
    void aKeyAndKeysBelowItCoexist() throws IOException {
      put("case/7", bytes(5, 1));
      put("case/7/a.mp4", bytes(6, 2));
      put("case/7.d", bytes(7, 3));
      put("case/7.o", bytes(8, 4));
      assertArrayEquals(bytes(5, 1), read("case/7"));
      assertArrayEquals(bytes(6, 2), read("case/7/a.mp4"));
      assertArrayEquals(bytes(7, 3), read("case/7.d"));
      assertArrayEquals(bytes(8, 4), read("case/7.o"));
    }

    @Test
    void createAfterDeleteIsAllowed() throws IOException {
      put("again", bytes(5, 1));
      store.delete(key("again"));
      put("again", bytes(6, 2));
      assertArrayEquals(bytes(6, 2), read("again"));
    }
  }

  // ------------------------------------------------------------------ positional writes

  /**
   * {@link WritableObject#write(ByteBuffer, long)}, for stores that take it: stretches written out
   * of order from several threads make exactly the object they cover, invisible until commit; the
   * two ways of writing never mix. Skipped for stores that do not take positional writes.
   */
  @Nested
  public class PositionalWrites {
    private WritableObject positional(String k) throws IOException {
      WritableObject w = store.create(key(k));
      if (!w.supportsPositionalWrites()) {
        w.abort();
        assumeTrue(false, "store does not take positional writes");
      }
      return w;
    }

    @Test
    void stretchesWrittenOutOfOrderFromManyThreadsMakeTheObject() throws Exception {
      byte[] content = bytes(1_000_003, 21);
      int stretch = 65_536;
      List<Integer> starts = new ArrayList<>();
      for (int at = 0; at < content.length; at += stretch) {
        starts.add(at);
      }
      java.util.Collections.shuffle(starts, new Random(22));
      ExecutorService pool = Executors.newFixedThreadPool(4);
      ObjectInfo info;
      try (WritableObject w = positional("p/out-of-order")) {
        List<Future<Integer>> done = new ArrayList<>();
        for (int at : starts) {
          int n = Math.min(stretch, content.length - at);
          done.add(pool.submit(() -> w.write(ByteBuffer.wrap(content, at, n), at)));
        }
        int total = 0;
        for (Future<Integer> f : done) {
          total += f.get();
        }
        assertEquals(content.length, total);
        assertFalse(store.exists(key("p/out-of-order")));
        info = w.commit();
      } finally {
        pool.shutdownNow();
      }
      assertEquals(content.length, info.size());
      assertArrayEquals(content, read("p/out-of-order"));
      assertEquals(content.length, store.stat(key("p/out-of-order")).size());
      // no whole-object digest over bytes that came out of order; the writer keeps the proof
      assertTrue(info.sha256().isEmpty());
    }

    @Test
    void theObjectEndsWhereTheFurthestWriteEnds() throws IOException {
      try (WritableObject w = positional("p/end")) {
        w.write(ByteBuffer.wrap(bytes(100, 23)), 900);
        w.write(ByteBuffer.wrap(bytes(900, 24)), 0);
        assertEquals(1000, w.commit().size());
      }
      byte[] expected = new byte[1000];
      System.arraycopy(bytes(900, 24), 0, expected, 0, 900);
      System.arraycopy(bytes(100, 23), 0, expected, 900, 100);
      assertArrayEquals(expected, read("p/end"));
    }

    @Test
    void aStretchNeverWrittenIsRefusedAtCommitOrReadsAsZeros() throws IOException {
      ObjectInfo info = null;
      try (WritableObject w = positional("p/hole")) {
        w.write(ByteBuffer.wrap(bytes(100, 32)), 0);
        w.write(ByteBuffer.wrap(bytes(100, 33)), 300);
        try {
          info = w.commit();
        } catch (IllegalStateException refused) {
          // the store refuses holes: nothing may remain
        }
      }
      if (info == null) {
        assertFalse(store.exists(key("p/hole")));
        return;
      }
      byte[] expected = new byte[400];
      System.arraycopy(bytes(100, 32), 0, expected, 0, 100);
      System.arraycopy(bytes(100, 33), 0, expected, 300, 100);
      assertArrayEquals(expected, read("p/hole"));
    }

    @Test
    void inOrderAndPositionalWritesNeverMix() throws IOException {
      try (WritableObject w = positional("p/mixed-1")) {
        w.write(ByteBuffer.wrap(bytes(10, 25)), 0);
        assertThrows(IllegalStateException.class, () -> w.write(ByteBuffer.wrap(bytes(10, 26))));
      }
      try (WritableObject w = positional("p/mixed-2")) {
        w.write(ByteBuffer.wrap(bytes(10, 27)));
        assertThrows(
            IllegalStateException.class, () -> w.write(ByteBuffer.wrap(bytes(10, 28)), 10));
        // the in-order object is unharmed and keeps its digest
        ObjectInfo info = w.commit();
        assertArrayEquals(sha256(bytes(10, 27)), info.sha256().orElseThrow());
      }
      assertFalse(store.exists(key("p/mixed-1")));
    }

    @Test
    void abortAfterPositionalWritesLeavesNothing() throws IOException {
      try (WritableObject w = positional("p/aborted")) {
        w.write(ByteBuffer.wrap(bytes(5000, 29)), 4096);
        w.abort();
        assertThrows(ClosedChannelException.class, () -> w.write(ByteBuffer.wrap(bytes(1, 30)), 0));
      }
      assertFalse(store.exists(key("p/aborted")));
      if (caps.contains(Capability.LIST)) {
        assertEquals(List.of(), listKeys("p/"));
      }
    }

    @Test
    void aNegativePositionIsRefused() throws IOException {
      try (WritableObject w = positional("p/negative")) {
        assertThrows(
            IllegalArgumentException.class, () -> w.write(ByteBuffer.wrap(bytes(1, 31)), -1));
      }
    }
  }

  // ------------------------------------------------------------------ read

  /** openRead, stat, exists. */
  @Nested
  public class Read {
    @Test
    void readingAMissingObjectIsNoSuchObject() {
      assertThrows(NoSuchObjectException.class, () -> store.openRead(key("none")));
    }

    @Test
    void statAndExistsOfAMissingObject() throws IOException {
      assertThrows(NoSuchObjectException.class, () -> store.stat(key("none")));
      assertFalse(store.exists(key("none")));
    }

    @Test
    void theChannelKnowsItsSize() throws IOException {
      put("s", bytes(4321, 1));
      try (SeekableByteChannel ch = store.openRead(key("s"))) {
        assertEquals(4321, ch.size());
      }
    }

    @Test
    void aRangeReadsExactlyItsSlice() throws IOException {
      requires(Capability.RANGE_READ);
      byte[] content = bytes(3 * 1024 * 1024, 2);
      put("r", content);
      try (SeekableByteChannel ch = store.openRead(key("r"))) {
        for (long[] r :
            new long[][] {{0, 10}, {1_048_575, 2}, {2_000_000, 1_000_000}, {3_145_727, 1}}) {
          ch.position(r[0]);
          ByteBuffer b = ByteBuffer.allocate((int) r[1]);
          while (b.hasRemaining() && ch.read(b) >= 0) {
            // fill
          }
          assertArrayEquals(
              java.util.Arrays.copyOfRange(content, (int) r[0], (int) (r[0] + r[1])),
              b.array(),
              "range at " + r[0]);
        }
      }
    }

    @Test
    void readingAtOrPastTheEndIsEndOfStream() throws IOException {
      requires(Capability.RANGE_READ);
      put("e", bytes(100, 3));
      try (SeekableByteChannel ch = store.openRead(key("e"))) {
        ch.position(100);
        assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
        ch.position(1000);
        assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
      }
    }

    @Test
    void theReadChannelIsReadOnly() throws IOException {
      put("ro", bytes(100, 3));
      try (SeekableByteChannel ch = store.openRead(key("ro"))) {
        assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
        assertThrows(NonWritableChannelException.class, () -> ch.truncate(0));
      }
      assertArrayEquals(bytes(100, 3), read("ro"));
    }

    @Test
    void independentReadersKeepTheirOwnPositions() throws IOException {
      requires(Capability.RANGE_READ);
      byte[] content = bytes(10_000, 4);
      put("two", content);
      try (SeekableByteChannel a = store.openRead(key("two"));
          SeekableByteChannel b = store.openRead(key("two"))) {
        a.position(5000);
        ByteBuffer x = ByteBuffer.allocate(10);
        ByteBuffer y = ByteBuffer.allocate(10);
        a.read(x);
        b.read(y);
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 5000, 5010), x.array());
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 0, 10), y.array());
      }
    }

    @Test
    void statDigestMatchesWhatIsRead() throws IOException {
      put("d", bytes(77_777, 5));
      assertArrayEquals(sha256(read("d")), store.stat(key("d")).sha256().orElseThrow());
    }

    @Test
    void aClosedReadChannelRefusesReads() throws IOException {
      put("cl", bytes(10, 5));
      SeekableByteChannel ch = store.openRead(key("cl"));
      ch.close();
      assertFalse(ch.isOpen());
      assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
    }
  }

  // ------------------------------------------------------------------ list

  /** list(prefix). */
  @Nested
  public class Listing {
    @Test
    void listsEveryCommittedObjectInUtf8Order() throws IOException {
      requires(Capability.LIST);
      List<String> keys = List.of("b", "a/z", "a", "a/b/c", "a!", "a0", "é", "z", "😀", "\uff5e");
      for (String k : keys) {
        put(k, bytes(3, k.hashCode()));
      }
      List<String> expected = new ArrayList<>(keys);
      expected.sort((x, y) -> ObjectKey.ORDER.compare(key(x), key(y)));
      assertEquals(expected, listKeys(""));
    }

    @Test
    void aPrefixIsAPlainStringPrefix() throws IOException {
      requires(Capability.LIST);
      for (String k : List.of("cam/1", "cam/10", "cam1/x", "camera", "cam/2/a")) {
        put(k, bytes(1, 1));
      }
      assertEquals(List.of("cam/1", "cam/10", "cam/2/a"), listKeys("cam/"));
      assertEquals(List.of("cam/1", "cam/10"), listKeys("cam/1"));
      assertEquals(List.of("cam/1", "cam/10", "cam/2/a", "cam1/x", "camera"), listKeys("cam"));
    }

    @Test
    void anUnknownPrefixListsNothing() throws IOException {
      requires(Capability.LIST);
      put("a", bytes(1, 1));
      assertEquals(List.of(), listKeys("b"));
    }

    @Test
    void listingOmitsUncommittedAndDeletedObjects() throws IOException {
      requires(Capability.LIST);
      put("keep", bytes(1, 1));
      put("drop", bytes(1, 2));
      store.delete(key("drop"));
      try (WritableObject w = store.create(key("pending"))) {
        w.write(ByteBuffer.wrap(bytes(5, 5)));
        assertEquals(List.of("keep"), listKeys(""));
      }
      assertEquals(List.of("keep"), listKeys(""));
    }

    @Test
    void listedInfoMatchesStat() throws IOException {
      requires(Capability.LIST);
      put("i/1", bytes(100, 1));
      put("i/2", bytes(200, 2));
      try (Stream<ObjectInfo> s = store.list("i/")) {
        for (ObjectInfo i : s.collect(Collectors.toList())) {
          ObjectInfo st = store.stat(i.key());
          assertEquals(st.size(), i.size());
          assertArrayEquals(st.sha256().orElse(null), i.sha256().orElse(null));
        }
      }
    }

    @Test
    void aListingIsLazyAndCloseable() throws IOException {
      requires(Capability.LIST);
      for (int i = 0; i < 50; i++) {
        put(String.format(java.util.Locale.ROOT, "many/%03d", i), bytes(1, i));
      }
      Stream<ObjectInfo> s = store.list("many/");
      assertEquals("many/000", s.findFirst().orElseThrow().key().value());
      s.close();
      s.close();
    }
  }

  // ------------------------------------------------------------------ retention

  /** setRetention and its enforcement. */
  @Nested
  public class Retention {
    @Test
    void retentionIsReadBackAfterSetting() throws IOException {
      requires(Capability.RETENTION);
      put("r", bytes(10, 1));
      Instant until = t0.plus(Duration.ofDays(730));
      store.setRetention(key("r"), until);
      assertEquals(until, store.stat(key("r")).retainUntil().orElseThrow());
    }

    @Test
    void retentionExtends() throws IOException {
      requires(Capability.RETENTION);
      put("r", bytes(10, 1));
      store.setRetention(key("r"), t0.plus(Duration.ofDays(1)));
      store.setRetention(key("r"), t0.plus(Duration.ofDays(3650)));
      assertEquals(t0.plus(Duration.ofDays(3650)), store.stat(key("r")).retainUntil().get());
    }

    @Test
    void retentionNeverShortens() throws IOException {
      requires(Capability.RETENTION);
      put("r", bytes(10, 1));
      Instant until = t0.plus(Duration.ofDays(730));
      store.setRetention(key("r"), until);
      assertThrows(
          RetentionLockedException.class,
          () -> store.setRetention(key("r"), until.minusSeconds(1)));
      assertEquals(until, store.stat(key("r")).retainUntil().get());
    }

    @Test
    void settingTheSameRetentionAgainIsANoOp() throws IOException {
      requires(Capability.RETENTION);
      put("r", bytes(10, 1));
      Instant until = t0.plus(Duration.ofDays(5));
      store.setRetention(key("r"), until);
      store.setRetention(key("r"), until);
      assertEquals(until, store.stat(key("r")).retainUntil().get());
    }

    /**
     * A store that takes {@link WritableObject#retainOnCommit} commits the object retained, as
     * setRetention right after would: read back from the commit and from stat, enforced against
     * deletion and shortening, extendable, and re-setting the same instant changes nothing. A store
     * that declines leaves the object without retention.
     */
    @Test
    void retentionGivenAtCommitIsTheObjectsFromItsFirstMoment() throws IOException {
      byte[] content = bytes(5000, 3);
      Instant until = t0.plus(Duration.ofDays(730));
      ObjectInfo committed;
      boolean taken;
      try (WritableObject w = store.create(key("rc"))) {
        w.write(ByteBuffer.wrap(content));
        taken = w.retainOnCommit(until);
        committed = w.commit();
      }
      if (!taken) {
        assertTrue(store.stat(key("rc")).retainUntil().isEmpty(), "declined, yet retained");
        return;
      }
      assertTrue(caps.contains(Capability.RETENTION), "retention taken without RETENTION");
      assertEquals(until, committed.retainUntil().orElseThrow());
      assertEquals(until, store.stat(key("rc")).retainUntil().orElseThrow());
      assertThrows(RetentionLockedException.class, () -> store.delete(key("rc")));
      assertThrows(
          RetentionLockedException.class,
          () -> store.setRetention(key("rc"), until.minusSeconds(1)));
      store.setRetention(key("rc"), until);
      assertEquals(until, store.stat(key("rc")).retainUntil().orElseThrow());
      store.setRetention(key("rc"), until.plus(Duration.ofDays(1)));
      assertEquals(until.plus(Duration.ofDays(1)), store.stat(key("rc")).retainUntil().get());
      assertArrayEquals(content, read("rc"));
    }

    @Test
    void anAbortedWriteLeavesNothingRetained() throws IOException {
      try (WritableObject w = store.create(key("ra"))) {
        w.write(ByteBuffer.wrap(bytes(100, 4)));
        w.retainOnCommit(t0.plus(Duration.ofDays(730)));
        w.abort();
      }
      assertFalse(store.exists(key("ra")));
      put("ra", bytes(10, 5)); // the key is free: nothing was left behind
      assertTrue(store.stat(key("ra")).retainUntil().isEmpty());
    }

    /**
     * Retention asked for once the object is committed (or aborted) is not recorded, so the store
     * must not say it is: the caller would then skip setting it.
     */
    @Test
    void retentionAskedAfterTheCommitIsNotClaimed() throws IOException {
      Instant until = t0.plus(Duration.ofDays(730));
      boolean taken;
      try (WritableObject w = store.create(key("rl"))) {
        w.write(ByteBuffer.wrap(bytes(100, 6)));
        w.commit();
        taken = w.retainOnCommit(until);
      }
      assertFalse(
          taken && store.stat(key("rl")).retainUntil().isEmpty(), "claimed, but not retained");
      boolean afterAbort;
      try (WritableObject w = store.create(key("rm"))) {
        w.write(ByteBuffer.wrap(bytes(100, 7)));
        w.abort();
        afterAbort = w.retainOnCommit(until);
      }
      assertFalse(afterAbort, "claimed for an aborted write");
    }

    @Test
    void deleteIsRefusedWhileRetained() throws IOException {
      requires(Capability.RETENTION);
      byte[] content = bytes(1000, 1);
      put("r", content);
      store.setRetention(key("r"), t0.plus(Duration.ofDays(730)));
      assertThrows(RetentionLockedException.class, () -> store.delete(key("r")));
      assertArrayEquals(content, read("r"));
    }

    @Test
    void deleteIsAllowedOnceRetentionEnds() throws IOException {
      requires(Capability.RETENTION);
      put("r", bytes(10, 1));
      Instant until = expiringIn(Duration.ofDays(730), Duration.ofSeconds(3));
      store.setRetention(key("r"), until);
      if (caps.contains(Capability.INJECTED_CLOCK)) {
        passTime(until.minusSeconds(1));
      }
      assertThrows(RetentionLockedException.class, () -> store.delete(key("r")));
      passTime(until);
      store.delete(key("r"));
      assertFalse(store.exists(key("r")));
    }

    @Test
    void retentionOfAMissingObjectIsNoSuchObject() {
      requires(Capability.RETENTION);
      assertThrows(
          NoSuchObjectException.class, () -> store.setRetention(key("none"), t0.plusSeconds(1)));
    }

    @Test
    void setRetentionMatchesTheCapability() throws IOException {
      put("r", bytes(10, 1));
      if (caps.contains(Capability.RETENTION)) {
        store.setRetention(key("r"), t0.plus(Duration.ofDays(1)));
        assertEquals(t0.plus(Duration.ofDays(1)), store.stat(key("r")).retainUntil().get());
      } else {
        assertThrows(
            UnsupportedOperationException.class,
            () -> store.setRetention(key("r"), t0.plusSeconds(1)));
        assertTrue(store.stat(key("r")).retainUntil().isEmpty());
      }
    }

    @Test
    void retentionSurvivesReopening() throws IOException {
      requires(Capability.RETENTION);
      requires(Capability.PERSISTENT);
      put("r", bytes(10, 1));
      store.setRetention(key("r"), t0.plus(Duration.ofDays(10)));
      reopen();
      assertEquals(t0.plus(Duration.ofDays(10)), store.stat(key("r")).retainUntil().get());
      assertThrows(RetentionLockedException.class, () -> store.delete(key("r")));
    }
  }

  // ------------------------------------------------------------------ legal hold

  /** setLegalHold and its enforcement. */
  @Nested
  public class LegalHold {
    @Test
    void aHeldObjectCannotBeDeleted() throws IOException {
      requires(Capability.LEGAL_HOLD);
      put("h", bytes(10, 1));
      store.setLegalHold(key("h"), true);
      assertTrue(store.stat(key("h")).legalHold());
      assertThrows(RetentionLockedException.class, () -> store.delete(key("h")));
      assertTrue(store.exists(key("h")));
    }

    @Test
    void releasingTheHoldAllowsDeletion() throws IOException {
      requires(Capability.LEGAL_HOLD);
      put("h", bytes(10, 1));
      store.setLegalHold(key("h"), true);
      store.setLegalHold(key("h"), false);
      assertFalse(store.stat(key("h")).legalHold());
      store.delete(key("h"));
      assertFalse(store.exists(key("h")));
    }

    @Test
    void aHoldOutlastsExpiredRetention() throws IOException {
      requires(Capability.LEGAL_HOLD);
      requires(Capability.RETENTION);
      put("h", bytes(10, 1));
      Instant until = expiringIn(Duration.ofDays(1), Duration.ofSeconds(3));
      store.setRetention(key("h"), until);
      store.setLegalHold(key("h"), true);
      passTime(until.plus(Duration.ofSeconds(1)));
      assertThrows(RetentionLockedException.class, () -> store.delete(key("h")));
      store.setLegalHold(key("h"), false);
      store.delete(key("h"));
    }

    @Test
    void releasingAHoldKeepsRetention() throws IOException {
      requires(Capability.LEGAL_HOLD);
      requires(Capability.RETENTION);
      put("h", bytes(10, 1));
      store.setRetention(key("h"), t0.plus(Duration.ofDays(9)));
      store.setLegalHold(key("h"), true);
      store.setLegalHold(key("h"), false);
      assertEquals(t0.plus(Duration.ofDays(9)), store.stat(key("h")).retainUntil().get());
      assertThrows(RetentionLockedException.class, () -> store.delete(key("h")));
    }

    @Test
    void holdOnAMissingObjectIsNoSuchObject() {
      requires(Capability.LEGAL_HOLD);
      assertThrows(NoSuchObjectException.class, () -> store.setLegalHold(key("none"), true));
    }

    @Test
    void aHoldSurvivesReopening() throws IOException {
      requires(Capability.LEGAL_HOLD);
      requires(Capability.PERSISTENT);
      put("h", bytes(10, 1));
      store.setLegalHold(key("h"), true);
      reopen();
      assertTrue(store.stat(key("h")).legalHold());
      assertThrows(RetentionLockedException.class, () -> store.delete(key("h")));
    }
  }

  // ------------------------------------------------------------------ delete

  /** delete. */
  @Nested
  public class Delete {
    @Test
    void deletingAMissingObjectIsNoSuchObject() {
      assertThrows(NoSuchObjectException.class, () -> store.delete(key("none")));
    }

    @Test
    void aDeletedObjectIsGoneEverywhere() throws IOException {
      put("d", bytes(10, 1));
      store.delete(key("d"));
      assertFalse(store.exists(key("d")));
      assertThrows(NoSuchObjectException.class, () -> store.stat(key("d")));
      assertThrows(NoSuchObjectException.class, () -> store.openRead(key("d")));
      assertThrows(NoSuchObjectException.class, () -> store.delete(key("d")));
    }

    @Test
    void deletingOneObjectLeavesItsNeighbours() throws IOException {
      put("n/1", bytes(10, 1));
      put("n/1/x", bytes(10, 2));
      put("n/2", bytes(10, 3));
      store.delete(key("n/1"));
      assertArrayEquals(bytes(10, 2), read("n/1/x"));
      assertArrayEquals(bytes(10, 3), read("n/2"));
    }
  }

  // ------------------------------------------------------------------ persistence

  /** Reopening a persistent store. */
  @Nested
  public class Persistence {
    @Test
    void objectsSurviveReopening() throws IOException {
      requires(Capability.PERSISTENT);
      byte[] content = bytes(100_000, 1);
      ObjectInfo before = put("p/1", content);
      reopen();
      assertArrayEquals(content, read("p/1"));
      ObjectInfo after = store.stat(key("p/1"));
      assertEquals(before.size(), after.size());
      assertEquals(before.createdAt(), after.createdAt());
      assertArrayEquals(before.sha256().orElse(null), after.sha256().orElse(null));
    }

    @Test
    void abandonedWritesDoNotSurviveReopening() throws IOException {
      requires(Capability.PERSISTENT);
      WritableObject w = store.create(key("p/pending"));
      w.write(ByteBuffer.wrap(bytes(100, 1)));
      reopen();
      assertFalse(store.exists(key("p/pending")));
      put("p/pending", bytes(5, 2));
      assertArrayEquals(bytes(5, 2), read("p/pending"));
    }
  }

  // ------------------------------------------------------------------ concurrency

  /** Many threads at once. */
  @Nested
  public class Concurrency {
    private <T> List<T> runAll(int n, java.util.function.IntFunction<Callable<T>> task)
        throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<T>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          fs.add(pool.submit(task.apply(i)));
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : fs) {
          out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void writersOfDifferentKeysAllSucceed() throws Exception {
      runAll(
          8,
          i ->
              () -> {
                put("w/" + i, bytes(50_000 + i, i));
                return null;
              });
      for (int i = 0; i < 8; i++) {
        assertArrayEquals(bytes(50_000 + i, i), read("w/" + i));
      }
    }

    @Test
    void ofWritersRacingForOneKeyExactlyOneWins() throws Exception {
      CountDownLatch start = new CountDownLatch(1);
      List<Integer> won =
          runAll(
              8,
              i ->
                  () -> {
                    start.await();
                    try (WritableObject w = store.create(key("contested"))) {
                      w.write(ByteBuffer.wrap(bytes(20_000, i)));
                      w.commit();
                      return i;
                    } catch (ObjectExistsException e) {
                      return -1;
                    }
                  },
              start);
      List<Integer> winners = won.stream().filter(x -> x >= 0).collect(Collectors.toList());
      assertEquals(1, winners.size(), "winners: " + winners);
      assertArrayEquals(bytes(20_000, winners.get(0)), read("contested"));
    }

    private <T> List<T> runAll(
        int n, java.util.function.IntFunction<Callable<T>> task, CountDownLatch start)
        throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(n);
      try {
        List<Future<T>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          fs.add(pool.submit(task.apply(i)));
        }
        start.countDown();
        List<T> out = new ArrayList<>();
        for (Future<T> f : fs) {
          out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    void aReaderNeverSeesAPartialObject() throws Exception {
      byte[] content = bytes(2 * 1024 * 1024, 3);
      ObjectKey k = key("partial");
      CountDownLatch writing = new CountDownLatch(1);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<?> writer =
            pool.submit(
                () -> {
                  try (WritableObject w = store.create(k)) {
                    for (int off = 0; off < content.length; off += 65_536) {
                      w.write(ByteBuffer.wrap(content, off, 65_536));
                      writing.countDown();
                    }
                    w.commit();
                  }
                  return null;
                });
        writing.await();
        while (!writer.isDone()) {
          if (store.exists(k)) {
            try (SeekableByteChannel ch = store.openRead(k)) {
              assertEquals(content.length, ch.size());
            }
          }
        }
        writer.get();
      } finally {
        pool.shutdownNow();
      }
      assertArrayEquals(sha256(content), sha256(read("partial")));
    }

    @Test
    void concurrentRetentionExtensionsKeepTheLatest() throws Exception {
      requires(Capability.RETENTION);
      put("ret", bytes(10, 1));
      runAll(
          8,
          i ->
              () -> {
                for (int d = 1; d <= 20; d++) {
                  try {
                    store.setRetention(key("ret"), t0.plus(Duration.ofDays(d * 8L + i)));
                  } catch (RetentionLockedException e) {
                    // another thread extended further first: correct
                  }
                }
                return null;
              });
      assertEquals(t0.plus(Duration.ofDays(167)), store.stat(key("ret")).retainUntil().get());
    }
  }

  /** For subclasses that add checks: a UTF-8 byte array. */
  protected static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
