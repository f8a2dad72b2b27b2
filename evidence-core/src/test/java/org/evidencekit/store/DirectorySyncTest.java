package org.evidencekit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared directory fsync: a caller returns only after an fsync that began after its call began
 * ended well; callers waiting together share one fsync; a failed fsync covers nobody.
 */
class DirectorySyncTest {
  private static final Path DIR = Path.of("/store/objects/DEVCAM7.d/2023-06-01.d");
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  private static void awaitInside(DirectorySync s, int n) throws InterruptedException {
    for (int i = 0; i < 10_000 && s.inside(DIR) < n; i++) {
      Thread.sleep(1);
    }
    assertEquals(n, s.inside(DIR), "threads inside the gate");
  }

  @Test
  void aLoneCallerRunsAnFsyncOfItsOwnEveryTime() throws IOException {
    List<Path> runs = new ArrayList<>();
    DirectorySync s = new DirectorySync(runs::add);
    for (int i = 0; i < 5; i++) {
      s.sync(DIR);
    }
    s.sync(DIR.getParent());
    assertEquals(6, runs.size());
    assertEquals(DIR.getParent(), runs.get(5));
    assertEquals(0, s.inside(DIR));
  }

  /**
   * Seven callers arrive while the first one's fsync is running: that fsync began before their
   * changes, so it does not cover them; the next one does, all seven at once.
   */
  @Test
  void callersArrivingDuringAnFsyncShareTheNextOne() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    DirectorySync s =
        new DirectorySync(
            d -> {
              if (runs.incrementAndGet() == 1) {
                await(release);
              }
            });
    Future<?> first = pool.submit(() -> sync(s));
    awaitInside(s, 1);
    List<Future<?>> later = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      later.add(pool.submit(() -> sync(s)));
    }
    awaitInside(s, 8);
    assertEquals(1, runs.get(), "nobody may return on the fsync in flight");
    for (Future<?> f : later) {
      assertTrue(!f.isDone());
    }
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    for (Future<?> f : later) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertEquals(2, runs.get());
  }

  /**
   * Two callers wait behind a running fsync; the next one, run by one of them, fails: that one is
   * told, and the other is not told "durable" on its strength but runs a third, which succeeds.
   */
  @Test
  void aFailedFsyncCoversNobody() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    AtomicLong failedEnded = new AtomicLong();
    AtomicLong thirdEnded = new AtomicLong();
    AtomicLong clock = new AtomicLong();
    IOException disk = new IOException("EIO");
    DirectorySync s =
        new DirectorySync(
            d -> {
              int n = runs.incrementAndGet();
              if (n == 1) {
                await(release);
              } else if (n == 2) {
                failedEnded.set(clock.incrementAndGet());
                throw disk;
              } else {
                thirdEnded.set(clock.incrementAndGet());
              }
            });
    Future<?> first = pool.submit(() -> sync(s));
    awaitInside(s, 1);
    List<CompletableFuture<Long>> waiters = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      waiters.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  s.sync(DIR);
                  return clock.incrementAndGet();
                } catch (IOException e) {
                  return -1L;
                }
              },
              pool));
    }
    awaitInside(s, 3);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    long a = waiters.get(0).get(10, TimeUnit.SECONDS);
    long b = waiters.get(1).get(10, TimeUnit.SECONDS);
    assertEquals(3, runs.get(), "the failed fsync was not redone for the other waiter");
    assertTrue((a == -1) != (b == -1), "exactly one waiter ran the failed fsync: " + a + ", " + b);
    long returned = Math.max(a, b);
    assertTrue(returned > thirdEnded.get() && thirdEnded.get() > failedEnded.get());
  }

  @Test
  void theFailureReachesTheCallerThatRanIt() {
    IOException disk = new IOException("EIO");
    DirectorySync s =
        new DirectorySync(
            d -> {
              throw disk;
            });
    IOException e = assertThrows(IOException.class, () -> s.sync(DIR));
    assertSame(disk, e);
    assertEquals(0, s.inside(DIR), "the gate is left open");
  }

  /**
   * Many threads, many directories: whenever a call returns, an fsync of its directory began after
   * the call began and ended before it returned.
   */
  @Test
  void everyReturnIsCoveredByAnFsyncThatBeganAfterTheCall() throws Exception {
    AtomicLong clock = new AtomicLong();
    List<long[]> fsyncs = java.util.Collections.synchronizedList(new ArrayList<>());
    Path[] dirs = {DIR, DIR.resolveSibling("2023-06-02.d"), DIR.resolveSibling("2023-06-03.d")};
    DirectorySync s =
        new DirectorySync(
            d -> {
              long began = clock.incrementAndGet();
              Thread.yield();
              fsyncs.add(
                  new long[] {
                    java.util.Arrays.asList(dirs).indexOf(d), began, clock.incrementAndGet()
                  });
            });
    List<Future<long[]>> calls = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      calls.add(
          pool.submit(
              () -> {
                long[] out = new long[3 * 200];
                for (int i = 0; i < 200; i++) {
                  int d = (thread + i) % dirs.length;
                  out[3 * i] = d;
                  out[3 * i + 1] = clock.incrementAndGet();
                  s.sync(dirs[d]);
                  out[3 * i + 2] = clock.incrementAndGet();
                }
                return out;
              }));
    }
    int total = 0;
    List<long[]> done = new ArrayList<>(fsyncs);
    for (Future<long[]> f : calls) {
      long[] out;
      try {
        out = f.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      }
      done = new ArrayList<>(fsyncs);
      for (int i = 0; i < 200; i++) {
        long d = out[3 * i];
        long began = out[3 * i + 1];
        long returned = out[3 * i + 2];
        boolean covered = false;
        for (long[] x : done) {
          if (x[0] == d && x[1] > began && x[2] < returned) {
            covered = true;
            break;
          }
        }
        assertTrue(covered, "call " + i + " returned without an fsync begun after it");
        total++;
      }
    }
    assertEquals(8 * 200, total);
    assertTrue(fsyncs.size() <= total);
  }

  /**
   * An fsync that throws something unchecked leaves the gate open: the next caller runs its own.
   */
  @Test
  void anUncheckedFailureOfTheFsyncLeavesTheGateOpen() throws IOException {
    AtomicInteger runs = new AtomicInteger();
    DirectorySync s =
        new DirectorySync(
            d -> {
              if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("a bug below");
              }
            });
    assertThrows(IllegalStateException.class, () -> s.sync(DIR));
    assertEquals(0, s.inside(DIR));
    s.sync(DIR);
    assertEquals(2, runs.get());
  }

  /**
   * Two writers commit the same key: the loser's rename finds it taken while the winner's fsync of
   * the folder is still running. "Taken" is not told before an fsync of the folder that began after
   * the loser's rename failed has ended: the loser's caller goes on as if the object were there
   * (ingest logs it), and until then a crash could still take the winner's rename away.
   */
  @Test
  void aWriterToldTheKeyIsTakenWaitsUntilTheWinnersRenameIsDurable(@TempDir Path root)
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(
            root,
            java.time.Clock.systemUTC(),
            d -> {
              // the fsyncs of the object's folder (its parents' make the new folders durable)
              if (d.endsWith("2023-06-01.d") && runs.incrementAndGet() == 1) {
                await(release);
              }
            });
    ObjectKey key = ObjectKey.of("DEVCAM7/2023-06-01/rec1.mp4");
    WritableObject winner = store.create(key);
    winner.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
    WritableObject loser = store.create(key);
    loser.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
    Future<?> first = pool.submit(winner::commit);
    for (int i = 0; i < 10_000 && store.syncingInto(key) < 1; i++) {
      Thread.sleep(1);
    }
    assertEquals(1, store.syncingInto(key), "the winner is in its folder's fsync");
    Future<?> second = pool.submit(loser::commit);
    for (int i = 0; i < 10_000 && store.syncingInto(key) < 2 && !second.isDone(); i++) {
      Thread.sleep(1);
    }
    assertTrue(!second.isDone(), "told the key is taken while the winner's rename is not durable");
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof ObjectExistsException, e.getCause().toString());
    assertEquals(2, runs.get(), "the loser's fsync began after its rename failed");
    store.close();
  }

  /**
   * The first commit into a device's first day makes two folders ({@code DEVCAM7.d} and {@code
   * 2023-06-01.d}) before its rename: their own entries are durable only once their parents are
   * fsynced too, so the commit returns after an fsync of every folder it added an entry to, up to
   * the store's root; a second commit into the same folder needs only that folder's.
   */
  @Test
  void aCommitIntoNewFoldersMakesTheirEntriesDurableToo(@TempDir Path root) throws Exception {
    List<Path> synced = java.util.Collections.synchronizedList(new ArrayList<>());
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, java.time.Clock.systemUTC(), synced::add)) {
      ObjectKey key = ObjectKey.of("DEVCAM7/2023-06-01/rec1.mp4");
      put(store, key);
      Path day = store.objectDir(key).getParent();
      Path device = day.getParent();
      Path objects = device.getParent();
      assertTrue(synced.contains(day), synced.toString());
      assertTrue(synced.contains(device), "the entry of 2023-06-01.d: " + synced);
      assertTrue(synced.contains(objects), "the entry of DEVCAM7.d: " + synced);
      assertTrue(synced.contains(objects.getParent()), "the entry of objects: " + synced);
      synced.clear();
      put(store, ObjectKey.of("DEVCAM7/2023-06-01/rec2.mp4"));
      assertEquals(List.of(day), synced);
      // emptied, the folders go; made again, their entries are made durable again
      store.delete(key);
      store.delete(ObjectKey.of("DEVCAM7/2023-06-01/rec2.mp4"));
      assertTrue(!java.nio.file.Files.exists(device), "pruned");
      synced.clear();
      put(store, key);
      assertTrue(synced.containsAll(List.of(day, device, objects)), synced.toString());
    }
  }

  private static void put(FileSystemEvidenceStore store, ObjectKey key) throws IOException {
    try (WritableObject w = store.create(key)) {
      w.write(java.nio.ByteBuffer.wrap(new byte[] {7}));
      w.commit();
    }
  }

  private static Void sync(DirectorySync s) throws IOException {
    s.sync(DIR);
    return null;
  }

  private static void await(CountDownLatch l) throws IOException {
    try {
      if (!l.await(30, TimeUnit.SECONDS)) {
        throw new IOException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
