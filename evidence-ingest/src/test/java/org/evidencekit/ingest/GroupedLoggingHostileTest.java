package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run logged in groups on a logging thread while later files are still hashed,
 * against what goes wrong around the groups: a listener or signer that throws once the first group
 * is logged, a file that changes while the run reads it, runs just below, at and above the group
 * size, two stations of one device whose groups interleave. Whatever happens, once {@code ingest}
 * returns or throws nothing of the run is still being written and no thread of it is left; what is
 * logged is whole and chained; a re-run completes the rest.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GroupedLoggingHostileTest {
  static final Instant NOW = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  private static int[] sizes(int n, long seed) {
    Random rnd = new Random(seed);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i % 17 == 5 ? 0 : 1 + rnd.nextInt(20_000);
    }
    return out;
  }

  private static IngestRequest request(Map<String, Path> files) {
    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p");
    files.values().forEach(b::add);
    return b.build();
  }

  /** {@code key}, except that a signature for which {@code pulled} says so fails at runtime. */
  private static SigningKeyProvider pulledOutAt(
      SigningKeyProvider key, java.util.function.BooleanSupplier pulled) {
    return new SigningKeyProvider() {
      @Override
      public SignatureSuite suite() {
        return key.suite();
      }

      @Override
      public byte[] publicKeyDer() {
        return key.publicKeyDer();
      }

      @Override
      public List<byte[]> certificateChainDer() {
        return key.certificateChainDer();
      }

      @Override
      public byte[] sign(byte[] message) throws IOException {
        if (pulled.getAsBoolean()) {
          throw new IllegalStateException("the token was pulled out");
        }
        return key.sign(message);
      }
    };
  }

  private static IngestStation.Builder station(EvidenceStore store) {
    return IngestStation.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private EvidenceStore open() throws IOException {
    return FileSystemEvidenceStore.openOrCreate(
        dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** Threads of ingest runs (logging, committing, writing seal objects) still alive. */
  private static List<String> ingestThreads() {
    List<String> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("evidencekit-ingest")) {
        out.add(t.getName());
      }
    }
    return out;
  }

  /**
   * No ingest thread is left: a pool's last worker may still be on its way out when its pool has
   * terminated, so it is given a moment to go; one that stays is a leak.
   */
  private static void assertNoIngestThreadLeft() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!ingestThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(List.of(), ingestThreads(), "threads left behind by ingest");
  }

  /**
   * The filesystem store, with commits of recordings that take a while (a slow disk), counting the
   * objects created and not yet closed: once {@code ingest} has returned or thrown, none may be.
   */
  static final class SlowCommitStore extends ForwardingStore {
    final AtomicInteger open = new AtomicInteger();

    SlowCommitStore(EvidenceStore real) {
      super(real);
    }

    @Override
    public WritableObject create(ObjectKey key) throws IOException {
      WritableObject w = real.create(key);
      open.incrementAndGet();
      boolean slow = !key.value().startsWith("ledger/") && !key.value().endsWith(".seal.json");
      return new ForwardingObject(w) {
        private boolean closed;

        @Override
        public ObjectInfo commit() throws IOException {
          if (slow) {
            try {
              Thread.sleep(40);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new java.io.InterruptedIOException();
            }
          }
          return w.commit();
        }

        @Override
        public void close() throws IOException {
          synchronized (this) {
            if (!closed) {
              closed = true;
              open.decrementAndGet();
            }
          }
          w.close();
        }
      };
    }
  }

  /** Where a listener throws, for the 41st file of 64 (not an empty one: it has progress). */
  enum Throws {
    STARTED,
    PROGRESS,
    FINISHED
  }

  @ParameterizedTest
  @ValueSource(strings = {"STARTED", "PROGRESS", "FINISHED"})
  void aListenerThatThrowsAfterTheFirstGroupLeavesNothingRunningAndARerunCompletes(String where)
      throws Exception {
    Throws at = Throws.valueOf(where);
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 40, sizes(64, 40));
    Map<String, byte[]> bytes = ArchiveChecks.contents(files);
    String fortyFirst = new ArrayList<>(files.keySet()).get(40);
    IllegalStateException boom = new IllegalStateException("the progress bar fell over");
    IngestListener listener =
        new IngestListener() {
          @Override
          public void started(RecordingSource source, int index, int count, long size) {
            if (at == Throws.STARTED && index == 40) {
              throw boom;
            }
          }

          @Override
          public void progress(RecordingSource source, long done, long size) {
            if (at == Throws.PROGRESS && source.name().equals(fortyFirst)) {
              throw boom;
            }
          }

          @Override
          public void finished(IngestedRecording recording) {
            if (at == Throws.FINISHED && recording.source().name().equals(fortyFirst)) {
              throw boom;
            }
          }
        };
    try (SlowCommitStore store = new SlowCommitStore(open())) {
      IllegalStateException thrown =
          assertThrows(
              IllegalStateException.class,
              () -> station(store).listener(listener).build().ingest(request(files)));
      assertSame(boom, thrown);
      assertEquals(0, store.open.get(), "objects still being written after ingest threw");
      Set<String> logged = ArchiveChecks.assertArchiveHolds(store, bytes);
      assertNoIngestThreadLeft();
      if (at == Throws.FINISHED) {
        assertEquals(files.size(), logged.size(), "the run was over: all of it is logged");
      }

      assertRerunCompletes(store, station(store).build(), files, logged);
    }
  }

  /**
   * A re-run logs what the interrupted run left: ALREADY for what it logged, RESUMED for content it
   * stored without logging, INGESTED for the rest; then the archive is whole.
   */
  private static void assertRerunCompletes(
      EvidenceStore store, IngestStation station, Map<String, Path> files, Set<String> logged)
      throws Exception {
    Set<String> visible = new java.util.HashSet<>();
    for (String k : Fixtures.keys(store)) {
      if (!k.startsWith("ledger/") && !k.endsWith(".seal.json")) {
        visible.add(k);
      }
    }
    IngestResult again = station.ingest(request(files));
    for (IngestedRecording r : again.recordings()) {
      String k = r.key().orElseThrow();
      IngestStatus want =
          logged.contains(k)
              ? IngestStatus.ALREADY
              : visible.contains(k) ? IngestStatus.RESUMED : IngestStatus.INGESTED;
      assertEquals(want, r.status(), k + " " + r.findings());
    }
    assertEquals(
        files.size(),
        ArchiveChecks.assertArchiveHolds(store, ArchiveChecks.contents(files)).size());
    assertNoIngestThreadLeft();
  }

  /**
   * A signer that fails with a runtime exception at its 40th seal, after the first group of 32 is
   * logged: the ingest throws it; the first group stays logged, whole, with its retention; nothing
   * is still written once it has thrown; a re-run with a working signer logs the rest.
   */
  @Test
  void aSignerThatThrowsForTheFortiethFile() throws Exception {
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 41, sizes(70, 41));
    Map<String, byte[]> bytes = ArchiveChecks.contents(files);
    SigningKeyProvider key = SigningKeys.generate(SignatureSuite.ED25519);
    AtomicInteger signed = new AtomicInteger();
    SigningKeyProvider failing = pulledOutAt(key, () -> signed.incrementAndGet() == 40);
    try (SlowCommitStore store = new SlowCommitStore(open())) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> station(store).signer(failing).build().ingest(request(files)));
      assertEquals("the token was pulled out", e.getMessage());
      assertEquals(0, store.open.get(), "objects still being written after ingest threw");
      assertNoIngestThreadLeft();
      Set<String> logged = ArchiveChecks.assertArchiveHolds(store, bytes);
      // the group holding the 40th file is not logged; the groups before it are (at least 32)
      assertTrue(logged.size() < 40, logged.size() + " logged");
      assertTrue(logged.isEmpty() || logged.size() >= 32, logged.size() + " logged");
      for (String k : logged) {
        assertTrue(store.stat(ObjectKey.of(k)).retainUntil().isPresent(), k + ": no retention");
      }
      assertRerunCompletes(store, station(store).signer(key).build(), files, logged);
    }
  }

  /**
   * The listener is called on the ingesting thread only, as its contract says, even for a file that
   * changed while the run read it and is stored again on its own by the logging thread.
   */
  @Test
  void theListenerIsCalledOnTheIngestingThreadOnlyEvenForAFileStoredAgain() throws Exception {
    int[] sizes = sizes(40, 42);
    sizes[35] = 3 * (1 << 20);
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 42, sizes);
    Path[] paths = files.values().toArray(new Path[0]);
    AtomicBoolean tripped = new AtomicBoolean();
    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p");
    for (int i = 0; i < paths.length; i++) {
      Path p = paths[i];
      if (i == 35) {
        b.add(
            TrippingChannel.source(
                p,
                (1 << 20) + 5,
                tripped,
                () -> {
                  try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.setLength(f.length() / 3);
                  }
                }));
      } else {
        b.add(p);
      }
    }
    Thread me = Thread.currentThread();
    ConcurrentLinkedQueue<String> elsewhere = new ConcurrentLinkedQueue<>();
    IngestListener listener =
        new IngestListener() {
          @Override
          public void started(RecordingSource source, int index, int count, long size) {
            check("started " + source.name());
          }

          @Override
          public void progress(RecordingSource source, long done, long size) {
            check("progress " + source.name());
          }

          @Override
          public void finished(IngestedRecording recording) {
            check("finished " + recording.source().name());
          }

          private void check(String what) {
            if (Thread.currentThread() != me) {
              elsewhere.add(what + " on " + Thread.currentThread().getName());
            }
          }
        };
    try (EvidenceStore store = open()) {
      IngestResult r = station(store).listener(listener).build().ingest(b.build());
      assertTrue(tripped.get(), "the file never changed");
      assertEquals(List.of(), List.copyOf(elsewhere));
      assertEquals(files.size(), r.count(IngestStatus.INGESTED), r.recordings().toString());
      assertEquals(
          paths[35].toFile().length(),
          byName(r).get(paths[35].getFileName().toString()).size(),
          "stored as it was after the change");
      assertNoIngestThreadLeft();
    }
  }

  /**
   * A run of 70 with files that cannot be read mixed in, some from the start (never probed), one
   * readable when probed and gone when copied (in the second group): they fail, with nothing
   * stored; the others are logged as one chain in order across the groups, each with retention.
   */
  @Test
  void unreadableFilesMixedIntoARunOfSeveralGroups() throws Exception {
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 44, sizes(70, 44));
    List<Path> paths = new ArrayList<>(files.values());
    Set<Integer> unreadable = Set.of(0, 20, 45, 69);
    int goneAfterProbe = 33;
    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p");
    for (int i = 0; i < paths.size(); i++) {
      Path p = paths.get(i);
      String name = p.getFileName().toString();
      if (unreadable.contains(i)) {
        b.add(
            RecordingSource.of(
                name,
                () -> {
                  throw new IOException("Permission denied: " + name);
                }));
      } else if (i == goneAfterProbe) {
        AtomicInteger opened = new AtomicInteger();
        b.add(
            RecordingSource.of(
                name,
                () -> {
                  if (opened.incrementAndGet() > 1) {
                    throw new IOException("Input/output error: " + name);
                  }
                  return java.nio.channels.FileChannel.open(p);
                }));
      } else {
        b.add(p);
      }
    }
    try (EvidenceStore store = open()) {
      IngestResult r = station(store).build().ingest(b.build());
      Map<String, IngestedRecording> by = byName(r);
      Map<String, byte[]> expected = ArchiveChecks.contents(files);
      for (int i = 0; i < paths.size(); i++) {
        String name = paths.get(i).getFileName().toString();
        IngestedRecording rec = by.get(name);
        if (unreadable.contains(i) || i == goneAfterProbe) {
          assertEquals(IngestStatus.FAILED, rec.status(), name + " " + rec.findings());
          expected.remove(name);
          assertTrue(
              Fixtures.keys(store).stream().noneMatch(k -> k.endsWith(name)), name + " stored");
        } else {
          assertEquals(IngestStatus.INGESTED, rec.status(), name + " " + rec.findings());
          assertTrue(
              store.stat(ObjectKey.of(rec.key().orElseThrow())).retainUntil().isPresent(),
              name + ": no retention");
        }
      }
      assertEquals(
          paths.size() - unreadable.size() - 1,
          ArchiveChecks.assertArchiveHolds(store, expected).size());
      assertNoIngestThreadLeft();
    }
  }

  private static Map<String, IngestedRecording> byName(IngestResult r) {
    Map<String, IngestedRecording> out = new HashMap<>();
    for (IngestedRecording rec : r.recordings()) {
      out.put(rec.source().name(), rec);
    }
    return out;
  }

  /**
   * Runs just below, at and just above the smallest group, and one of several groups (with empty
   * files among them): every file logged once, in recording order, one chain across the groups,
   * retention and the seal object in place for each, at most two ledger appends per group.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 31, 32, 33, 257})
  void runsAroundTheGroupSize(int n) throws Exception {
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), n, sizes(n, n));
    try (EvidenceStore store = open()) {
      IngestResult r = station(store).build().ingest(request(files));
      assertEquals(n, r.count(IngestStatus.INGESTED), r.recordings().toString());
      assertEquals(
          n, ArchiveChecks.assertArchiveHolds(store, ArchiveChecks.contents(files)).size());
      List<String> names = new ArrayList<>(files.keySet());
      List<org.evidencekit.ledger.LedgerEntry> sealed = Fixtures.sealedEntries(store);
      for (int i = 0; i < n; i++) {
        assertEquals(names.get(i), ArchiveChecks.name(sealed.get(i).subject()), "in order");
      }
      for (IngestedRecording rec : r.recordings()) {
        assertTrue(
            store.stat(ObjectKey.of(rec.key().orElseThrow())).retainUntil().isPresent(),
            rec.key() + ": no retention");
      }
      int group = Math.max(32, (n + 7) / 8);
      long batches;
      try (Stream<ObjectInfo> l = store.list("ledger/batches/")) {
        batches = l.count();
      }
      // on an empty archive the run logs its first durable recording at once (with whichever are
      // durable by then): one group more at most
      long most = 2L * ((n + group - 1) / group) + (n > 1 ? 2 : 0);
      assertTrue(batches >= 2 && batches <= most, batches + " ledger appends for " + n);
      assertNoIngestThreadLeft();
    }
  }

  /**
   * Two stations (two store instances on one folder, as two processes) ingest overlapping halves of
   * one card of one device at once, each run in several groups: their grouped appends interleave.
   * Each recording is logged once (the other station says ALREADY), the device has one chain,
   * nothing fails.
   */
  @Test
  void twoStationsOfOneDeviceWithInterleavingGroups() throws Exception {
    int n = 120;
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 43, sizes(n, 43));
    List<Path> all = new ArrayList<>(files.values());
    List<List<Path>> halves = List.of(all.subList(0, 80), all.subList(40, n));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<IngestResult>> runs = new ArrayList<>();
      for (List<Path> half : halves) {
        runs.add(
            pool.submit(
                () -> {
                  try (EvidenceStore store = open()) {
                    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p");
                    half.forEach(b::add);
                    return station(store).build().ingest(b.build());
                  }
                }));
      }
      Map<String, Integer> ingested = new HashMap<>();
      for (Future<IngestResult> f : runs) {
        for (IngestedRecording r : f.get().recordings()) {
          // RESUMED: the other station's copy was there, unlogged, and this one logged it
          assertTrue(
              Set.of(IngestStatus.INGESTED, IngestStatus.RESUMED, IngestStatus.ALREADY)
                  .contains(r.status()),
              r.source().name() + " " + r.status() + " " + r.findings());
          if (r.status() != IngestStatus.ALREADY) {
            ingested.merge(r.key().orElseThrow(), 1, Integer::sum);
          }
        }
      }
      assertEquals(n, ingested.size(), "every recording ingested by one station");
      assertTrue(ingested.values().stream().allMatch(c -> c == 1), ingested.toString());
      try (EvidenceStore store = open()) {
        assertEquals(
            n, ArchiveChecks.assertArchiveHolds(store, ArchiveChecks.contents(files)).size());
      }
    } finally {
      pool.shutdownNow();
    }
    assertNoIngestThreadLeft();
  }

  /**
   * Once the logging thread has failed (a signer that fails for the first group), the run stops
   * submitting files: storing the rest of a run nobody will log is work for nothing. The files are
   * handed to the run one by one; from the 40th on, each waits until the first group's signing has
   * failed, so that the stop is seen within a file or two, not 30 files later.
   */
  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void aRunStopsSubmittingOnceItsLoggingFailed() throws Exception {
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 45, sizes(70, 45));
    SigningKeyProvider key = SigningKeys.generate(SignatureSuite.ED25519);
    java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(1);
    SigningKeyProvider failing =
        pulledOutAt(
            key,
            () -> {
              failed.countDown();
              return true;
            });
    AtomicInteger started = new AtomicInteger();
    IngestListener waiting =
        new IngestListener() {
          @Override
          public void started(RecordingSource source, int index, int count, long size) {
            started.incrementAndGet();
            if (index >= 40) {
              try {
                failed.await(30, TimeUnit.SECONDS);
                Thread.sleep(20); // the logging thread records its failure as it unwinds
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    try (EvidenceStore store = open()) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  station(store).signer(failing).listener(waiting).build().ingest(request(files)));
      assertEquals("the token was pulled out", e.getMessage());
      assertTrue(started.get() <= 45, started.get() + " of 70 files started after the failure");
      assertNoIngestThreadLeft();
    }
  }
}
