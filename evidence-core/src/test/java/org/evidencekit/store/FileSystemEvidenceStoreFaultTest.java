package org.evidencekit.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStores;
import org.evidencekit.storage.InsufficientStorageException;
import org.evidencekit.storage.NoSuchStoreException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Crashes, full disks and read-only storage: precise errors, nothing half-visible. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FileSystemEvidenceStoreFaultTest {
  @TempDir Path dir;

  private static List<Path> children(Path p) throws IOException {
    try (Stream<Path> s = Files.list(p)) {
      return s.collect(Collectors.toList());
    }
  }

  /**
   * A writer whose folder was pruned while it wrote (the folder's last object deleted by another
   * writer) still commits: the folder is made again. And an object that never changed its metadata
   * can have it changed later (its lock file is made on first use).
   */
  @Test
  void aCommitIntoAFolderPrunedMeanwhileSucceeds() throws Exception {
    FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, Clock.systemUTC());
    WritableObject w = store.create(ObjectKey.of("cam/day/late.mp4"));
    w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    ObjectKey other = ObjectKey.of("cam/day/other.mp4");
    try (WritableObject o = store.create(other)) {
      o.write(ByteBuffer.wrap(new byte[] {9}));
      o.commit();
    }
    store.delete(other); // the folder's only object: cam/day and cam are pruned
    assertFalse(Files.exists(store.objectDir(other).getParent()), "folder pruned");
    w.commit();
    w.close();
    ObjectKey late = ObjectKey.of("cam/day/late.mp4");
    try (SeekableByteChannel ch = store.openRead(late)) {
      ByteBuffer b = ByteBuffer.allocate(3);
      ch.read(b);
      assertArrayEquals(new byte[] {1, 2, 3}, b.array());
    }
    java.time.Instant until = java.time.Instant.now().plusSeconds(3600);
    store.setRetention(late, until);
    assertEquals(until, store.stat(late).retainUntil().orElseThrow());
    assertThrows(
        org.evidencekit.storage.NoSuchObjectException.class,
        () -> store.setRetention(other, until),
        "a deleted object has nothing to lock");
  }

  @Test
  void aWriterKilledMidWriteLeavesNoVisibleObjectAndNoDebris() throws Exception {
    Path root = dir.resolve("store");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                root.toString(),
                "cam/crash.mp4")
            .redirectErrorStream(true)
            .start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && !line.equals("WRITING")) {
        // skip JVM noise
      }
      assertEquals("WRITING", line, "the writer started");
      p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(1, children(root.resolve("tmp")).size(), "the dead writer's staging remains");

    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      ObjectKey k = ObjectKey.of("cam/crash.mp4");
      assertFalse(store.exists(k));
      try (Stream<?> s = store.list("")) {
        assertEquals(0, s.count());
      }
      assertEquals(List.of(), children(root.resolve("tmp")), "opening swept the dead write");
      try (WritableObject w = store.create(k)) {
        w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        w.commit();
      }
      try (SeekableByteChannel ch = store.openRead(k)) {
        assertEquals(3, ch.size());
      }
    }
  }

  @Test
  void committedContentIsReadOnlyOnDisk() throws IOException {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC())) {
      try (WritableObject w = store.create(ObjectKey.of("a/b"))) {
        w.write(ByteBuffer.wrap(new byte[] {1}));
        w.commit();
      }
      Path content = store.objectDir(ObjectKey.of("a/b")).resolve("content");
      assertEquals(
          "r--r--r--",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(content)));
    }
  }

  @Test
  void aDamagedMetadataFileIsAPreciseError() throws IOException {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC())) {
      ObjectKey k = ObjectKey.of("x");
      try (WritableObject w = store.create(k)) {
        w.commit();
      }
      Files.writeString(store.objectDir(k).resolve("meta.json"), "{\"format\":");
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, () -> store.stat(k));
      assertTrue(e.getMessage().contains("x"), e.getMessage());
    }
  }

  @Test
  void anOversizedMetadataFileIsRefusedUnreadNotLoadedWhole() throws IOException {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC())) {
      ObjectKey k = ObjectKey.of("x");
      try (WritableObject w = store.create(k)) {
        w.commit();
      }
      Path meta = store.objectDir(k).resolve("meta.json");
      String good = Files.readString(meta);
      // one byte past the bound: valid JSON padded with spaces is still refused
      Files.writeString(
          meta, good + " ".repeat(FileSystemEvidenceStore.MAX_META_BYTES + 1 - good.length()));
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, () -> store.stat(k));
      assertTrue(e.getMessage().contains("x") && e.getMessage().contains("65537"), e.getMessage());
      // 4 GiB (sparse): read whole, it was an OutOfMemoryError; now a precise refusal
      try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(meta.toFile(), "rw")) {
        f.setLength(4L << 30);
      }
      e = assertThrows(StoreUnavailableException.class, () -> store.stat(k));
      assertTrue(e.getMessage().contains("4294967296 bytes"), e.getMessage());
      // at the bound it is read (and parsed) as before
      Files.writeString(
          meta, good + " ".repeat(FileSystemEvidenceStore.MAX_META_BYTES - good.length()));
      assertEquals(k, store.stat(k).key());
    }
  }

  /**
   * A {@code meta.json} emptied or filled with JSON of the wrong shape names its object: an empty
   * one said "empty document" alone, so `evidence sweep` listed the recording as damaged without
   * saying that its metadata was what it could not read.
   */
  @Test
  void damagedMetadataNamesItsObject() throws Exception {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC())) {
      ObjectKey k = ObjectKey.of("cam/emptied.mp4");
      try (WritableObject w = store.create(k)) {
        w.commit();
      }
      Path meta = store.objectDir(k).resolve("meta.json");
      for (String damaged : List.of("", "[1]", "{\"format\":1}")) {
        Files.writeString(meta, damaged);
        StoreUnavailableException e =
            assertThrows(StoreUnavailableException.class, () -> store.stat(k));
        assertTrue(
            e.getMessage().startsWith("damaged metadata of cam/emptied.mp4: "),
            damaged + ": " + e.getMessage());
      }
    }
  }

  /**
   * A named pipe planted as an object's {@code meta.json} or {@code content}, or its content made a
   * link to {@code /dev/zero}: the object is refused at once as unreadable, naming it and what the
   * file is. `evidence sweep` of such a store waited for a writer (the pipes) or hashed zeros (the
   * device) until killed.
   */
  @Test
  // a thread blocked opening a pipe cannot be interrupted: the test's own thread times out
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPipeOrDevicePlantedAsAnObjectsFileIsRefusedWithoutWaiting() throws Exception {
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), Clock.systemUTC())) {
      ObjectKey piped = ObjectKey.of("piped-meta");
      ObjectKey pipedContent = ObjectKey.of("piped-content");
      ObjectKey zero = ObjectKey.of("zero-content");
      for (ObjectKey k : List.of(piped, pipedContent, zero)) {
        try (WritableObject w = store.create(k)) {
          w.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
          w.commit();
        }
      }
      Path meta = store.objectDir(piped).resolve("meta.json");
      Files.delete(meta);
      assumeTrue(run("mkfifo", meta.toString()), "mkfifo");
      StoreUnavailableException e =
          assertThrows(StoreUnavailableException.class, () -> store.stat(piped));
      assertTrue(e.getMessage().contains("piped-meta"), e.getMessage());
      assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
      assertThrows(StoreUnavailableException.class, () -> store.openRead(piped));

      Path content = store.objectDir(pipedContent).resolve("content");
      Files.delete(content);
      assertTrue(run("mkfifo", content.toString()));
      e = assertThrows(StoreUnavailableException.class, () -> store.openRead(pipedContent));
      assertTrue(e.getMessage().contains("piped-content"), e.getMessage());
      assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());

      Path zeros = store.objectDir(zero).resolve("content");
      Files.delete(zeros);
      Files.createSymbolicLink(zeros, Path.of("/dev/zero"));
      e = assertThrows(StoreUnavailableException.class, () -> store.openRead(zero));
      assertTrue(e.getMessage().contains("zero-content"), e.getMessage());
      assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
      // the objects beside them are read as before
      assertEquals(3, store.stat(zero).size());
    }
  }

  private static boolean run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  /** A small tmpfs, or the test is skipped where mounting is not allowed. */
  private Path mountTmpfs(String size) throws Exception {
    Path mnt = dir.resolve("mnt");
    Files.createDirectories(mnt);
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mnt.toString()),
        "cannot mount a tmpfs here (needs root)");
    return mnt;
  }

  /**
   * A small ext4 file system on a loop device (one that takes O_DIRECT, unlike tmpfs), or the test
   * is skipped where that is not allowed.
   */
  private Path mountExt4(String size) throws Exception {
    Path image = dir.resolve("ext4.img");
    Path mnt = dir.resolve("mnt-ext4");
    Files.createDirectories(mnt);
    assumeTrue(
        run("truncate", "-s", size, image.toString())
            && run("mkfs.ext4", "-q", "-F", image.toString())
            && run("mount", "-o", "loop", image.toString(), mnt.toString()),
        "cannot make and mount an ext4 image here (needs root, mkfs.ext4 and loop devices)");
    return mnt;
  }

  /**
   * Whole 1 MiB windows written past the page cache on the store's I/O threads (DirectWrites, issue
   * 25) onto a disk that fills: the full disk is reported, as a full disk, by the next write or the
   * commit; every later call names it; nothing is visible or left behind, and the store still takes
   * what fits.
   */
  @Test
  void aFullDiskUnderDirectWritesIsReportedAndLeavesNothing() throws Exception {
    Path mnt = mountExt4("8M");
    try {
      DirectWrites.Shared io = new DirectWrites.Shared(8, 2);
      try (FileSystemEvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(mnt.resolve("s"), Clock.systemUTC(), io)) {
        ObjectKey k = ObjectKey.of("big.mp4");
        WritableObject w = store.create(k);
        int window = DirectWrites.WINDOW;
        InsufficientStorageException full = null;
        try {
          // the first window, whole, goes to an I/O thread to be written directly; waited for, so
          // that the disk fills with windows of both paths however the threads are scheduled (on
          // a busy machine the writer could fill it through the page cache before any I/O thread
          // ran, and no window would have gone past the cache)
          w.write(ByteBuffer.wrap(new byte[window]), 0);
          long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
          while (io.directWindows() == 0 && System.nanoTime() - until < 0) {
            Thread.sleep(5);
          }
          for (int i = 1; i < 16; i++) { // 16 MiB onto 6 MiB free
            w.write(ByteBuffer.wrap(new byte[window]), (long) i * window);
          }
        } catch (InsufficientStorageException e) {
          full = e;
        }
        if (full == null) {
          full = assertThrows(InsufficientStorageException.class, w::commit);
        } else {
          assertSame(full, assertThrows(ClosedChannelException.class, w::commit).getCause());
        }
        assertTrue(full.getMessage().contains("full"), full.getMessage());
        assertTrue(io.directWindows() > 0, "some windows went past the page cache first");
        InsufficientStorageException disk = full;
        ClosedChannelException late =
            assertThrows(
                ClosedChannelException.class, () -> w.write(ByteBuffer.wrap(new byte[10]), 0));
        assertSame(disk, late.getCause());
        w.close();
        assertFalse(store.exists(k), "nothing half-written is visible");
        assertEquals(List.of(), children(mnt.resolve("s/tmp")), "the failed write was cleaned up");
        byte[] fits = new byte[2 * window];
        new java.util.Random(7).nextBytes(fits);
        try (WritableObject small = store.create(k)) {
          small.write(ByteBuffer.wrap(fits, window, window), window);
          small.write(ByteBuffer.wrap(fits, 0, window), 0);
          small.commit();
        }
        try (java.nio.channels.SeekableByteChannel ch = store.openRead(k)) {
          ByteBuffer got = ByteBuffer.allocate(fits.length);
          while (got.hasRemaining() && ch.read(got) >= 0) {
            // until full
          }
          assertArrayEquals(fits, got.array());
        }
      }
    } finally {
      run("umount", mnt.toString());
    }
  }

  @Test
  void aFullDiskIsInsufficientStorageAndLeavesNothing() throws Exception {
    Path mnt = mountTmpfs("1m");
    try {
      try (FileSystemEvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(mnt.resolve("s"), Clock.systemUTC())) {
        ObjectKey k = ObjectKey.of("big.mp4");
        WritableObject w = store.create(k);
        InsufficientStorageException e =
            assertThrows(
                InsufficientStorageException.class,
                () -> {
                  for (int i = 0; i < 4; i++) {
                    w.write(ByteBuffer.wrap(new byte[512 * 1024]));
                  }
                  w.commit();
                });
        assertTrue(e.getMessage().contains("full"), e.getMessage());
        w.close();
        assertFalse(store.exists(k));
        assertEquals(List.of(), children(mnt.resolve("s/tmp")), "the failed write was cleaned up");
        try (WritableObject small = store.create(k)) {
          small.write(ByteBuffer.wrap(new byte[1000]));
          small.commit();
        }
        assertTrue(store.exists(k));
      }
    } finally {
      run("umount", mnt.toString());
    }
  }

  /**
   * Positional writes (the hash workers of an ingest, R-05): once one write fills the disk, the
   * object is aborted and every later write or commit is closed, but names the full disk as its
   * cause. Before, a worker that lost the race reported a bare "closed", and ingest told the
   * operator "nothing stored: null".
   */
  @Test
  void aFullDiskInPositionalWritesIsTheCauseOfEveryLaterClosedWrite() throws Exception {
    Path mnt = mountTmpfs("1m");
    try {
      try (FileSystemEvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(mnt.resolve("s"), Clock.systemUTC())) {
        ObjectKey k = ObjectKey.of("big.mp4");
        WritableObject w = store.create(k);
        int stretch = 512 * 1024;
        InsufficientStorageException full = null;
        try {
          for (int i = 0; i < 4; i++) {
            w.write(ByteBuffer.wrap(new byte[stretch]), (long) i * stretch);
          }
        } catch (InsufficientStorageException e) {
          full = e;
        }
        if (full == null) {
          // Whole 1 MiB windows are written past the page cache on the store's I/O threads
          // (DirectWrites): their failure reaches the next write or the commit, whichever is first.
          full = assertThrows(InsufficientStorageException.class, w::commit);
        } else {
          ClosedChannelException commit = assertThrows(ClosedChannelException.class, w::commit);
          assertSame(full, commit.getCause());
        }
        InsufficientStorageException disk = full;
        ClosedChannelException late =
            assertThrows(
                ClosedChannelException.class,
                () -> w.write(ByteBuffer.wrap(new byte[stretch]), 7L * stretch));
        assertSame(disk, late.getCause(), "a later worker's write names the full disk");
        w.close();
        assertFalse(store.exists(k), "nothing half-written is visible");
        assertEquals(List.of(), children(mnt.resolve("s/tmp")), "the failed write was cleaned up");
        WritableObject aborted = store.create(ObjectKey.of("other.mp4"));
        aborted.abort();
        ClosedChannelException plain =
            assertThrows(
                ClosedChannelException.class, () -> aborted.write(ByteBuffer.allocate(1), 0));
        assertNull(plain.getCause(), "an object aborted by its caller failed of nothing");
      }
    } finally {
      run("umount", mnt.toString());
    }
  }

  @Test
  void readOnlyStorageRefusesWritesPreciselyAndStillReads() throws Exception {
    Path mnt = mountTmpfs("4m");
    try {
      ObjectKey k = ObjectKey.of("kept.mp4");
      try (FileSystemEvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(mnt.resolve("s"), Clock.systemUTC())) {
        try (WritableObject w = store.create(k)) {
          w.write(ByteBuffer.wrap(new byte[] {7, 7, 7}));
          w.commit();
        }
        assertTrue(run("mount", "-o", "remount,ro", mnt.toString()));
        StoreUnavailableException e =
            assertThrows(StoreUnavailableException.class, () -> store.create(ObjectKey.of("new")));
        assertTrue(e.getMessage().contains("Read-only"), e.getMessage());
        assertThrows(StoreUnavailableException.class, () -> store.setLegalHold(k, true));
        try (SeekableByteChannel ch = store.openRead(k)) {
          ByteBuffer b = ByteBuffer.allocate(3);
          ch.read(b);
          assertArrayEquals(new byte[] {7, 7, 7}, b.array());
        }
      }
    } finally {
      run("umount", mnt.toString());
    }
  }

  @Test
  void theProviderOpensFileUris() throws IOException {
    Path root = dir.resolve("via-uri");
    FileSystemEvidenceStoreProvider provider =
        new FileSystemEvidenceStoreProvider(Clock.systemUTC());
    NoSuchStoreException missing =
        assertThrows(NoSuchStoreException.class, () -> provider.open(root.toUri()));
    assertTrue(missing.getMessage().contains(root.toString()), missing.getMessage());
    assertFalse(Files.exists(root), "opening must not create the store");
    try (var store = provider.openOrCreate(root.toUri())) {
      assertTrue(store instanceof FileSystemEvidenceStore);
      assertTrue(Files.isDirectory(root.resolve("objects")));
    }
    try (var store = provider.open(root.toUri())) {
      assertTrue(store instanceof FileSystemEvidenceStore);
    }
    assertThrows(IllegalArgumentException.class, () -> provider.open(URI.create("s3://b/p")));
  }

  @Test
  void openRefusesAMissingFolderOrAFileAndOpenOrCreateMakesTheFolder() throws IOException {
    Path missing = dir.resolve("no/such/store");
    NoSuchStoreException e =
        assertThrows(
            NoSuchStoreException.class,
            () -> FileSystemEvidenceStore.open(missing, Clock.systemUTC()));
    assertTrue(
        e.getMessage().contains(missing.toString()) && e.getMessage().contains("does not exist"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("no")), "nothing was created");

    Path file = Files.writeString(dir.resolve("a-file"), "x");
    e =
        assertThrows(
            NoSuchStoreException.class,
            () -> FileSystemEvidenceStore.open(file, Clock.systemUTC()));
    assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
    assertThrows(
        NoSuchStoreException.class,
        () -> FileSystemEvidenceStore.openOrCreate(file, Clock.systemUTC()));

    ObjectKey k = ObjectKey.of("a/b.mp4");
    try (FileSystemEvidenceStore s =
        FileSystemEvidenceStore.openOrCreate(missing, Clock.systemUTC())) {
      try (WritableObject w = s.create(k)) {
        w.write(ByteBuffer.wrap(new byte[] {1}));
        w.commit();
      }
    }
    try (FileSystemEvidenceStore s = FileSystemEvidenceStore.open(missing, Clock.systemUTC())) {
      assertTrue(s.exists(k), "the created store opens with what was stored");
    }
  }

  /**
   * A folder of camera files given where a store belongs (a slip of the operator's) is refused and
   * left as it was: before, it was made a store and swept "CLEAN: 0 checked". An empty folder is
   * still a new store (the ledger commands' first use).
   */
  @Test
  void openRefusesAFolderThatHoldsFilesButNoStore() throws IOException {
    Path card = Files.createDirectories(dir.resolve("DCIM"));
    Files.write(card.resolve("VID_20240301_101500.mp4"), new byte[] {1, 2, 3});
    NoSuchStoreException e =
        assertThrows(
            NoSuchStoreException.class,
            () -> FileSystemEvidenceStore.open(card, Clock.systemUTC()));
    assertTrue(
        e.getMessage().contains(card.toString()) && e.getMessage().contains("no store"),
        e.getMessage());
    assertEquals(List.of(card.resolve("VID_20240301_101500.mp4")), children(card), "untouched");

    Path empty = Files.createDirectories(dir.resolve("new-store"));
    try (FileSystemEvidenceStore s = FileSystemEvidenceStore.open(empty, Clock.systemUTC())) {
      try (WritableObject w = s.create(ObjectKey.of("a/b.mp4"))) {
        w.write(ByteBuffer.wrap(new byte[] {1}));
        w.commit();
      }
    }
    try (FileSystemEvidenceStore s = FileSystemEvidenceStore.open(empty, Clock.systemUTC())) {
      assertTrue(s.exists(ObjectKey.of("a/b.mp4")), "a store with objects opens as before");
    }
  }

  /**
   * openOrCreate given a camera card's root or a home folder (files, no store) refuses and leaves
   * it as it was: before, it put objects/ and tmp/ beside the recordings and called it an archive
   * . An empty folder becomes a store, an existing store opens with what it holds.
   */
  @Test
  void openOrCreateRefusesAFolderThatHoldsFilesButNoStore() throws IOException {
    Path card = Files.createDirectories(dir.resolve("card"));
    Path clip =
        Files.write(
            Files.createDirectories(card.resolve("DCIM/100MEDIA")).resolve("CLIP0001.MP4"),
            new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p'});
    Files.write(card.resolve("notes.txt"), new byte[] {'x'});
    List<Path> before = children(card);
    FileSystemEvidenceStoreProvider provider =
        new FileSystemEvidenceStoreProvider(Clock.systemUTC());
    for (var attempt :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> FileSystemEvidenceStore.openOrCreate(card, Clock.systemUTC()).close(),
            () -> provider.openOrCreate(card.toUri()).close())) {
      NoSuchStoreException e = assertThrows(NoSuchStoreException.class, attempt);
      assertTrue(
          e.getMessage().contains(card.toString())
              && e.getMessage().contains("holds other files")
              && e.getMessage().contains("empty"),
          e.getMessage());
      assertEquals(before, children(card), "the card is left as it was");
      assertFalse(Files.exists(card.resolve("objects")) || Files.exists(card.resolve("tmp")));
    }
    assertTrue(Files.exists(clip));

    // a folder holding nothing but a subfolder is no store either (a card with an empty DCIM)
    Path onlyFolder = Files.createDirectories(dir.resolve("home/Videos")).getParent();
    assertThrows(
        NoSuchStoreException.class,
        () -> FileSystemEvidenceStore.openOrCreate(onlyFolder, Clock.systemUTC()).close());

    Path empty = Files.createDirectories(dir.resolve("empty"));
    ObjectKey k = ObjectKey.of("a/b.mp4");
    try (FileSystemEvidenceStore s =
        FileSystemEvidenceStore.openOrCreate(empty, Clock.systemUTC())) {
      try (WritableObject w = s.create(k)) {
        w.write(ByteBuffer.wrap(new byte[] {1}));
        w.commit();
      }
    }
    try (FileSystemEvidenceStore s =
        FileSystemEvidenceStore.openOrCreate(empty, Clock.systemUTC())) {
      assertTrue(s.exists(k), "an existing store opens with what it holds");
    }
  }

  @Test
  void serviceLoaderFindsTheFileProviderWhenAsked() throws IOException {
    EvidenceStores stores = EvidenceStores.builder().discover(getClass().getClassLoader()).build();
    assertTrue(stores.schemes().contains("file"));
    URI uri = dir.resolve("sl").toUri();
    assertThrows(NoSuchStoreException.class, () -> stores.open(uri));
    try (var store = stores.openOrCreate(uri)) {
      assertTrue(store.capabilities().contains(Capability.PERSISTENT));
    }
    try (var store = stores.open(uri)) {
      assertTrue(store.capabilities().contains(Capability.PERSISTENT));
    }
  }
}
