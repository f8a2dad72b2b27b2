package org.evidencekit.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.Instants;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.InsufficientStorageException;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.NoSuchStoreException;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
import org.jspecify.annotations.Nullable;

/**
 * The embedded default store: a folder on a local or network file system.
 *
 * <p>Each object is a directory {@code objects/<k1>.d/<k2>.d/.../<kn>.o/} holding {@code content}
 * (made read-only), {@code meta.json} (size, SHA-256, creation time, retention, hold) and, once its
 * metadata first changes, {@code lock}. The suffixes keep a key and the keys below it apart ({@code
 * a} and {@code a/b}). A write builds the whole object directory under {@code tmp/}, fsyncs it, and
 * renames it into place in one {@code rename(2)}, which fails if the name exists: nothing is ever
 * visible half-written, and of racing writers exactly one wins. Metadata changes replace {@code
 * meta.json} atomically under a file lock, so several processes may share a store. Deletion renames
 * the object directory away (one atomic step) before removing it. Writes abandoned by a crashed
 * process are swept when a store opens.
 *
 * <p>Retention and holds are enforced by this library (and the read-only content file), not by the
 * file system: a root user can still delete files by hand. Use a WORM store (S3 Object Lock) where
 * that matters; {@link ObjectInfo#storageEnforced()} says which is which.
 *
 * <p>Needs a POSIX file system (Linux, macOS) with atomic rename; keys that differ only in case
 * collide on case-insensitive file systems.
 */
public final class FileSystemEvidenceStore implements EvidenceStore {
  private static final Set<Capability> CAPABILITIES =
      Set.of(
          Capability.RANGE_READ,
          Capability.LIST,
          Capability.RETENTION,
          Capability.LEGAL_HOLD,
          Capability.PERSISTENT,
          Capability.INJECTED_CLOCK);
  private static final String META_FORMAT = "evidencekit.fs-meta/1";
  private static final Set<String> META_MEMBERS =
      Set.of("format", "key", "size", "sha256", "createdAt", "retainUntil", "legalHold");

  private final Path root;
  private final Path objects;
  private final Path tmp;
  private final Clock clock;

  /** The fsync of the folder an object is renamed into, shared by commits into that folder. */
  private final DirectorySync folders;

  /**
   * Folders whose own entry in their parent an fsync of that parent has made durable since this
   * store was opened (up to {@code objects}, whose entry is in the root): a commit into any other
   * folder, one it or another writer may just have made, fsyncs its parents first.
   */
  private final Set<Path> durableFolders = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  private FileSystemEvidenceStore(
      Path root, Clock clock, DirectorySync.Fsync folderFsync, DirectWrites.Shared directIo) {
    this.folders = new DirectorySync(folderFsync);
    this.directIo = directIo;
    this.root = root;
    this.objects = root.resolve("objects");
    this.tmp = root.resolve("tmp");
    this.clock = clock;
  }

  /**
   * Opens the store in the existing folder {@code root}, deciding creation times and retention
   * expiry with {@code clock}. Sweeps writes left behind by processes that no longer run.
   *
   * @throws NoSuchStoreException if {@code root} does not exist, is not a folder, or holds files
   *     but no store (a mistyped path, or a camera's folder given for the store, is refused rather
   *     than started as an empty archive; an empty folder is a new store; see {@link
   *     #openOrCreate})
   * @throws IllegalArgumentException if the system property {@code evidencekit.store.directWrites}
   *     is set to something other than {@code true}, {@code false} or a number of 1 MiB buffers
   */
  public static FileSystemEvidenceStore open(Path root, Clock clock) throws IOException {
    requireNonNull(root, "root");
    requireNonNull(clock, "clock");
    if (!Files.isDirectory(root)) {
      throw new NoSuchStoreException(
          Files.exists(root)
              ? "no store at " + root + ": it is a file, not a folder"
              : "no store at " + root + ": the folder does not exist");
    }
    if (holdsOtherFiles(root)) {
      throw new NoSuchStoreException(
          "no store at " + root + ": the folder holds other files and no store (objects/)");
    }
    return openIn(root, clock, FileSystemEvidenceStore::fsync);
  }

  /**
   * Whether the folder holds something and no store. Emptiness is looked at first: another process
   * creating a store in the same empty folder makes {@code objects/} before anything else, so a
   * folder found not empty is then found a store (asked the other way round, the other process's
   * {@code objects/} could appear between the two looks and the folder be refused).
   */
  private static boolean holdsOtherFiles(Path root) throws IOException {
    return !isEmpty(root) && !Files.isDirectory(root.resolve("objects"));
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (java.util.stream.Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    }
  }

  /**
   * Opens the store in {@code root}, first creating the folder (and its parents) if it does not
   * exist: the first use of an archive. An existing folder must be empty or a store already: a
   * camera card's root or a home folder given by mistake is refused and left as it was, never
   * turned into an archive whose recordings lie beside files it does not hold. Open an
   * archive that must exist already with {@link #open}.
   *
   * @throws NoSuchStoreException if {@code root} exists and is not a folder, or holds files or
   *     folders but no store ({@code objects/})
   * @throws IllegalArgumentException if the system property {@code evidencekit.store.directWrites}
   *     is set to something other than {@code true}, {@code false} or a number of 1 MiB buffers
   */
  public static FileSystemEvidenceStore openOrCreate(Path root, Clock clock) throws IOException {
    requireNonNull(root, "root");
    requireNonNull(clock, "clock");
    checkNewOrStore(root);
    return openIn(root, clock, FileSystemEvidenceStore::fsync);
  }

  /**
   * Refuses to make a store of anything but a missing folder, an empty one or a store: a store put
   * into a card's root or a home folder would sweep "clean" while the files beside it are no part
   * of it, and its {@code objects/} and {@code tmp/} would be left in a folder that is not its own.
   */
  private static void checkNewOrStore(Path root) throws IOException {
    if (Files.exists(root) && !Files.isDirectory(root)) {
      throw new NoSuchStoreException("no store at " + root + ": it is a file, not a folder");
    }
    if (Files.isDirectory(root) && holdsOtherFiles(root)) {
      throw new NoSuchStoreException(
          "no store at "
              + root
              + ": the folder holds other files and no store (objects/); a store is created only"
              + " in an empty or new folder (give one, e.g. a new subfolder)");
    }
  }

  /** {@link #openOrCreate} with the fsync of an object's folder after its rename given (tests). */
  static FileSystemEvidenceStore openOrCreate(Path root, Clock clock, DirectorySync.Fsync folders)
      throws IOException {
    checkNewOrStore(root);
    Files.createDirectories(root);
    return openIn(root, clock, folders);
  }

  /** Commits into an object's folder waiting for, or running, that folder's fsync now (tests). */
  int syncingInto(ObjectKey key) {
    return folders.inside(objectDir(key).getParent());
  }

  private static FileSystemEvidenceStore openIn(
      Path root, Clock clock, DirectorySync.Fsync folderFsync) throws IOException {
    return openIn(root, clock, folderFsync, DirectWrites.Shared.withDefaults());
  }

  /** {@link #openOrCreate} with its direct-write buffers and threads given (tests). */
  static FileSystemEvidenceStore openOrCreate(Path root, Clock clock, DirectWrites.Shared directIo)
      throws IOException {
    checkNewOrStore(root);
    Files.createDirectories(root);
    return openIn(root, clock, FileSystemEvidenceStore::fsync, directIo);
  }

  private static FileSystemEvidenceStore openIn(
      Path root, Clock clock, DirectorySync.Fsync folderFsync, DirectWrites.Shared directIo)
      throws IOException {
    FileSystemEvidenceStore s =
        new FileSystemEvidenceStore(root.toAbsolutePath(), clock, folderFsync, directIo);
    try {
      Files.createDirectories(s.objects);
      Files.createDirectories(s.tmp);
    } catch (IOException e) {
      throw translate(e, "cannot open store at " + root);
    }
    s.sweepAbandoned();
    return s;
  }

  /** The folder the store lives in. */
  public Path root() {
    return root;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  // ------------------------------------------------------------------ paths

  /** objects/k1.d/k2.d/kn.o */
  Path objectDir(ObjectKey key) {
    String[] segments = key.value().split("/", -1);
    Path p = objects;
    for (int i = 0; i < segments.length - 1; i++) {
      p = p.resolve(segments[i] + ".d");
    }
    return p.resolve(segments[segments.length - 1] + ".o");
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new StoreUnavailableException("store at " + root + " is closed");
    }
  }

  // ------------------------------------------------------------------ create

  /**
   * Names of staging folders and temporary files, unique among every process that shares the
   * folder, on any host: the process id and this host's tag (which the start-up sweep of {@code
   * tmp/} reads), a random 64-bit number drawn once per JVM, and a counter. A random UUID per name
   * cost a read of {@code /dev/urandom} and a SHA-1 mixing step for every object written.
   */
  private static String uniqueName(String kind) {
    return PID + "-" + HOST + "-" + kind + NONCE + "-" + Long.toString(NAMES.incrementAndGet(), 36);
  }

  private static final long PID = ProcessHandle.current().pid();

  /**
   * This host, and on Linux this boot of it, in staging names: {@code h} and 8 hex digits of the
   * SHA-256 of the kernel's boot id, else of the host's name. A process id means something only on
   * the host that issued it: on a store shared over the network, another host's writer in progress
   * has a pid this host does not run, and the start-up sweep must not take it for a crashed one.
   */
  static final String HOST = hostTag();

  private static String hostTag() {
    String id = null;
    try {
      Path boot = Path.of("/proc/sys/kernel/random/boot_id");
      if (Files.isReadable(boot)) {
        id =
            new String(Files.readAllBytes(boot), java.nio.charset.StandardCharsets.US_ASCII).trim();
      }
    } catch (IOException | RuntimeException e) {
      id = null; // not Linux, or no procfs: the host's name below
    }
    if (id == null || id.isEmpty()) {
      id = System.getenv("COMPUTERNAME");
    }
    if (id == null || id.isEmpty()) {
      id = System.getenv("HOSTNAME");
    }
    if (id == null || id.isEmpty()) {
      try {
        id = java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        id = "unknown";
      }
    }
    return "h"
        + org.evidencekit.hash.HashAlgorithm.SHA256
            .hash(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .hex()
            .substring(0, 8);
  }

  /**
   * How long a staging folder of another host (or of this host before it restarted) must have been
   * left untouched before the start-up sweep removes it: its writer cannot be asked whether it is
   * alive, and a writer in progress touches its folder's files at least every few seconds.
   */
  static final java.time.Duration FOREIGN_STAGING_GRACE = java.time.Duration.ofDays(1);

  private static final String NONCE =
      Long.toHexString(new java.security.SecureRandom().nextLong() | Long.MIN_VALUE);
  private static final java.util.concurrent.atomic.AtomicLong NAMES =
      new java.util.concurrent.atomic.AtomicLong();

  @Override
  public WritableObject create(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    checkOpen();
    if (Files.exists(objectDir(key))) {
      throw new ObjectExistsException(key + " exists");
    }
    Path staging = tmp.resolve(uniqueName(""));
    try {
      Files.createDirectory(staging);
      return new Writer(key, staging);
    } catch (IOException e) {
      deleteTree(staging);
      throw translate(e, "cannot start writing " + key);
    }
  }

  /**
   * Bytes written between two write-behind flushes. The commit waits for the flush in flight and
   * then forces what came after it: with 64 MiB that was up to 0.1 s at the end of every large
   * ingest on a 1 GB/s disk, with 16 MiB a quarter of it, for 64 instead of 16 flushes per GiB
   * (issue 25, BENCHMARKS.md).
   */
  static final long FLUSH_EVERY = 16L << 20;

  /**
   * Flushes large writes to disk while they are still being written, so that the fsync at commit
   * has little left to do: for a recording sealed as it is stored, the disk works while the hashes
   * are computed instead of after. This store's own daemon threads (one per flush in flight, idle
   * ones end after a minute), shut down with the store.
   */
  private final java.util.concurrent.ExecutorService writeBehind =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "evidence-store-write-behind");
            t.setDaemon(true);
            return t;
          });

  /**
   * Buffers and I/O threads for direct writes of positional content ({@link DirectWrites}), shared
   * by this store's writers; shut down with the store.
   */
  private final DirectWrites.Shared directIo;

  /**
   * Cleans up after writers collected without a commit or an abort (a caller's bug, or a thread
   * that died holding one): their direct-write buffers go back to the store, which would otherwise
   * lose them for good (and send every later object through the page cache), their file is closed
   * and their staging directory deleted. One daemon thread for all stores.
   */
  private static final java.lang.ref.Cleaner DROPPED_WRITERS =
      java.lang.ref.Cleaner.create(
          r -> {
            Thread t = new Thread(r, "evidence-store-dropped-writers");
            t.setDaemon(true);
            return t;
          });

  /**
   * What a writer leaves behind if nobody commits or aborts it. Holds no reference to the writer,
   * so that the writer can be collected; does nothing once the writer has settled.
   */
  private static final class Leftovers implements Runnable {
    private final Path staging;
    private final FileChannel channel;
    private volatile @Nullable DirectWrites direct;
    private volatile boolean settled;

    Leftovers(Path staging, FileChannel channel) {
      this.staging = staging;
      this.channel = channel;
    }

    @Override
    public void run() {
      if (settled) {
        return;
      }
      DirectWrites d = direct;
      if (d != null) {
        d.discard();
      }
      try {
        channel.close();
      } catch (IOException ignored) {
        // deleted below either way
      }
      deleteTree(staging);
    }
  }

  private final class Writer implements WritableObject {
    private final ObjectKey key;
    private final Path staging;
    private final FileChannel channel;
    private final Leftovers leftovers;
    private final java.lang.ref.Cleaner.Cleanable cleanable;

    /** Positional writes past the page cache, once the first comes; null if not available. */
    private volatile @Nullable DirectWrites direct;

    private volatile boolean directTried;
    private final MessageDigest sha256;
    private long size;
    private long flushedAt;
    private java.util.concurrent.Future<?> flushing;
    private volatile boolean open = true;

    /**
     * The write failure that aborted this object, if one did: a worker still writing at another
     * position then gets a {@code ClosedChannelException} caused by it, so whichever failure a
     * caller sees first names the real reason (a full disk), not only "closed".
     */
    private final java.util.concurrent.atomic.AtomicReference<IOException> failure =
        new java.util.concurrent.atomic.AtomicReference<>();

    /** How this object is written: not yet (0), in order (1) or at positions (2). */
    private final java.util.concurrent.atomic.AtomicInteger mode =
        new java.util.concurrent.atomic.AtomicInteger();

    /** Positional writes: the furthest byte written and the bytes written so far. */
    private final java.util.concurrent.atomic.AtomicLong end =
        new java.util.concurrent.atomic.AtomicLong();

    private final java.util.concurrent.atomic.AtomicLong written =
        new java.util.concurrent.atomic.AtomicLong();

    /** Retention to commit with, or null. */
    private volatile Instant retainUntil;

    Writer(ObjectKey key, Path staging) throws IOException {
      this.key = key;
      this.staging = staging;
      this.channel =
          FileChannel.open(
              staging.resolve("content"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        this.sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      this.leftovers = new Leftovers(staging, channel);
      this.cleanable = DROPPED_WRITERS.register(this, leftovers);
    }

    /** This writer has committed or aborted: nothing is left for the cleaner. */
    private void settled() {
      leftovers.settled = true;
      cleanable.clean();
    }

    @Override
    public ObjectKey key() {
      return key;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      if (!open) {
        throw closed();
      }
      if (mode.get() != 1 && !mode.compareAndSet(0, 1) && mode.get() != 1) {
        throw new IllegalStateException(key + " is being written at positions");
      }
      int n = src.remaining();
      ByteBuffer forDigest = src.duplicate();
      try {
        while (src.hasRemaining()) {
          channel.write(src);
        }
      } catch (IOException e) {
        throw failed(e);
      }
      sha256.update(forDigest);
      size += n;
      flushIfDue(size);
      return n;
    }

    @Override
    public boolean supportsPositionalWrites() {
      return true;
    }

    /**
     * Written into the object's first {@code meta.json}: no lock file, no second write. Once
     * committed or aborted there is no first {@code meta.json} to come: false.
     */
    @Override
    public boolean retainOnCommit(Instant retainUntil) {
      requireNonNull(retainUntil, "retainUntil");
      if (!open) {
        return false;
      }
      this.retainUntil = retainUntil;
      return true;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
      requireNonNull(src, "src");
      if (position < 0) {
        throw new IllegalArgumentException("negative position " + position);
      }
      if (position > Long.MAX_VALUE - src.remaining()) {
        // its end, and the object's length, would wrap around to a negative number
        throw new IllegalArgumentException(
            src.remaining() + " bytes at " + position + " end past Long.MAX_VALUE");
      }
      if (!open) {
        throw closed();
      }
      if (mode.get() != 2 && !mode.compareAndSet(0, 2) && mode.get() != 2) {
        throw new IllegalStateException(key + " is being written in order");
      }
      int n = src.remaining();
      long viaCache = n;
      try {
        DirectWrites d = direct();
        if (d != null) {
          viaCache = d.write(src, position);
        } else {
          long at = position;
          while (src.hasRemaining()) {
            at += channel.write(src, at);
          }
        }
      } catch (IOException e) {
        throw failed(e);
      }
      end.accumulateAndGet(position + n, Math::max);
      if (viaCache > 0) {
        // only what went through the page cache has anything for a flush to do
        flushIfDue(written.addAndGet(viaCache));
      }
      return n;
    }

    /** The object's direct writes, opened at the first positional write; null where unavailable. */
    private @Nullable DirectWrites direct() {
      if (directTried) {
        return direct; // set before directTried: every write after the first
      }
      return openDirect();
    }

    private synchronized @Nullable DirectWrites openDirect() {
      if (!directTried) {
        FileChannel d = directIo.openDirect(staging.resolve("content"));
        if (d != null) {
          direct = new DirectWrites(directIo, d, channel, key.value());
          leftovers.direct = direct;
        }
        directTried = true; // after direct: the unlocked read above sees both
      }
      return direct;
    }

    /** Starts a write-behind flush every {@link #FLUSH_EVERY} bytes, one at a time. */
    private synchronized void flushIfDue(long bytes) {
      if (bytes - flushedAt >= FLUSH_EVERY && (flushing == null || flushing.isDone())) {
        flushedAt = bytes;
        flushing =
            writeBehind.submit(
                () -> {
                  channel.force(false); // only a head start: commit forces everything again
                  return null;
                });
      }
    }

    /** Waits for a write-behind flush in flight; its failure shows again in commit's force. */
    private void awaitFlush() {
      java.util.concurrent.Future<?> f;
      synchronized (this) {
        f = flushing;
      }
      if (f == null) {
        return;
      }
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException ignored) {
        // commit's own force(true) reports the disk's error
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public ObjectInfo commit() throws IOException {
      if (!open) {
        throw closed();
      }
      open = false;
      try {
        checkOpen();
        DirectWrites d = direct;
        if (d != null) {
          try {
            d.finish(); // before the fsync: the windows never filled go through the cache
          } catch (IOException e) {
            throw failed(e); // a direct write failed (a full disk): later calls name it too
          }
        }
        awaitFlush();
        channel.force(true);
        channel.close();
        Path content = staging.resolve("content");
        Files.setPosixFilePermissions(content, PosixFilePermissions.fromString("r--r--r--"));
        boolean positional = mode.get() == 2;
        long length = positional ? end.get() : size;
        if (Files.size(content) != length) {
          throw new IOException(
              "wrote " + Files.size(content) + " bytes of " + key + ", expected " + length);
        }
        ObjectInfo.Builder meta =
            ObjectInfo.builder(key)
                .size(length)
                .createdAt(clock.instant())
                .sha256(positional ? null : sha256.digest());
        Instant retain = retainUntil;
        if (retain != null) {
          meta.retainUntil(retain);
        }
        ObjectInfo info = meta.build();
        // The staging directory is private until the rename below: meta.json needs no atomic
        // replace here, only to be on disk before the directory is (one fsync of its own, then one
        // of the directory for all three entries).
        writeDurably(staging.resolve("meta.json"), metaJson(info));
        fsync(staging);
        Path target = objectDir(key);
        try {
          moveIntoPlace(staging, target);
        } catch (FileSystemException e) {
          // rename(2) onto a non-empty directory fails (ENOTEMPTY/EEXIST): the key is taken
          if (e instanceof FileAlreadyExistsException
              || e instanceof DirectoryNotEmptyException
              || Files.isDirectory(target)) {
            // The winner may still be in its fsync of the folder (or its fsync may fail): "taken"
            // lets the caller go on as if the object were there, so only once it is durable.
            syncFolders(target.getParent());
            throw new ObjectExistsException(key + " was committed by another writer first");
          }
          throw e;
        }
        syncFolders(target.getParent());
        return info;
      } catch (ObjectExistsException e) {
        deleteTree(staging);
        throw e;
      } catch (IOException e) {
        deleteTree(staging);
        throw translate(e, "cannot commit " + key);
      } finally {
        closeQuietly();
        settled();
      }
    }

    @Override
    public void abort() {
      if (open) {
        open = false;
        abortQuietly();
      }
    }

    /** Aborts the object after a failed write; the first failure is the one later calls name. */
    private IOException failed(IOException e) {
      IOException own = translate(e, "cannot write " + key);
      boolean first = failure.compareAndSet(null, own);
      abortQuietly();
      return first ? own : closed();
    }

    private ClosedChannelException closed() {
      ClosedChannelException c = new ClosedChannelException();
      IOException cause = failure.get();
      if (cause != null) {
        c.initCause(cause);
      }
      return c;
    }

    private void abortQuietly() {
      open = false;
      awaitFlush();
      closeQuietly();
      deleteTree(staging);
      settled();
    }

    private void closeQuietly() {
      DirectWrites d;
      synchronized (this) {
        d = direct;
        directTried = true; // a positional write racing an abort opens none
      }
      if (d != null) {
        d.discard(); // waits for direct writes in flight, gives back the buffers
      }
      try {
        channel.close();
      } catch (IOException ignored) {
        // the staging directory is deleted or moved either way
      }
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      abort();
    }
  }

  // ------------------------------------------------------------------ read

  @Override
  public SeekableByteChannel openRead(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    checkOpen();
    Path dir = objectDir(key);
    // its description first, as an S3 read takes the commit record's: an object whose meta.json
    // is damaged or another object's (where its retention is kept) is damaged, not readable
    readMeta(key, dir);
    try {
      // a pipe or device planted as the content (a link to /dev/zero) would hold every reader
      return new ReadOnlyChannel(BoundedFiles.openRegularFile(dir.resolve("content")));
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key.value());
    } catch (IOException e) {
      throw translate(e, "cannot read " + key);
    }
  }

  @Override
  public ObjectInfo stat(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    checkOpen();
    return readMeta(key, objectDir(key));
  }

  @Override
  public boolean exists(ObjectKey key) throws IOException {
    requireNonNull(key, "key");
    checkOpen();
    return Files.isDirectory(objectDir(key));
  }

  /**
   * The bytes of the object's {@code meta.json}, read again when another writer (a thread or a
   * process sharing the store) replaced it while it was opened: the replacement is whole, renamed
   * over the old one, so the next read sees the one or the other.
   */
  private static byte[] readMetaBytes(ObjectKey key, Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return BoundedFiles.read(
            dir.resolve("meta.json"),
            MAX_META_BYTES,
            size ->
                new StoreUnavailableException(
                    "damaged metadata of "
                        + key
                        + ": meta.json has "
                        + size
                        + " bytes, more than the "
                        + MAX_META_BYTES
                        + " any metadata needs"));
      } catch (NoSuchFileException e) {
        throw e;
      } catch (FileSystemException e) {
        if (attempt >= META_READ_ATTEMPTS) {
          throw e; // not a replacement under way (not a regular file, say)
        }
      }
    }
  }

  /**
   * Largest {@code meta.json} read: ours are a few hundred bytes. A bigger one is damage (or a
   * planted file), refused before it is read rather than read whole into memory.
   */
  static final int MAX_META_BYTES = 64 * 1024;

  /**
   * Reads of one {@code meta.json} while other writers replace it: setting an object's retention or
   * hold renames a new one over it, and a read that opened the file as it was replaced fails.
   */
  private static final int META_READ_ATTEMPTS = 8;

  private ObjectInfo readMeta(ObjectKey key, Path dir) throws IOException {
    byte[] json;
    try {
      json = readMetaBytes(key, dir);
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key.value());
    } catch (IOException e) {
      throw translate(e, "cannot read metadata of " + key);
    }
    // its errors name the object: "empty document" alone (a meta.json of 0 bytes) said not whose
    StrictJson meta =
        new StrictJson(m -> new StoreUnavailableException("damaged metadata of " + key + ": " + m));
    try {
      JsonNode n = meta.requireObject(meta.parse(json), "meta", META_MEMBERS);
      if (!meta.string(n, "format").equals(META_FORMAT)
          || !meta.string(n, "key").equals(key.value())) {
        throw new StoreUnavailableException("metadata of " + key + " is not this object's");
      }
      ObjectInfo.Builder b =
          ObjectInfo.builder(key)
              .size(meta.integer(n, "size", 0, CanonicalJson.MAX_SAFE_INTEGER))
              .sha256(n.has("sha256") ? meta.hex(n, "sha256", 32) : null)
              .createdAt(Instants.parse(meta.string(n, "createdAt")))
              .legalHold(n.path("legalHold").asBoolean(false));
      if (n.hasNonNull("retainUntil")) {
        b.retainUntil(Instants.parse(meta.string(n, "retainUntil")));
      }
      return b.build();
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new StoreUnavailableException("damaged metadata of " + key + ": " + e.getMessage());
    }
  }

  private static byte[] metaJson(ObjectInfo info) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", META_FORMAT);
    m.put("key", info.key().value());
    m.put("size", info.size());
    info.sha256Hex().ifPresent(h -> m.put("sha256", h));
    m.put("createdAt", Instants.format(info.createdAt()));
    info.retainUntil().ifPresent(u -> m.put("retainUntil", Instants.format(u)));
    m.put("legalHold", info.legalHold());
    return CanonicalJson.encode(m);
  }

  // ------------------------------------------------------------------ metadata changes

  /** Runs a read-modify-write of an object's metadata under an in-process and a file lock. */
  private interface MetaChange {
    ObjectInfo apply(ObjectInfo current) throws IOException;
  }

  /**
   * File locks belong to the whole JVM, not to a channel or a store instance: a second lock on the
   * same file from the same JVM throws OverlappingFileLockException instead of waiting. Two store
   * instances on one folder in one JVM (two stations in one application) therefore serialise on
   * these monitors first, chosen by the object's folder; other processes on the file lock.
   */
  private static final Object[] JVM_STRIPES = new Object[64];

  static {
    for (int i = 0; i < JVM_STRIPES.length; i++) {
      JVM_STRIPES[i] = new Object();
    }
  }

  private void changeMeta(ObjectKey key, MetaChange change) throws IOException {
    requireNonNull(key, "key");
    checkOpen();
    Path dir = objectDir(key);
    synchronized (JVM_STRIPES[Math.floorMod(dir.hashCode(), JVM_STRIPES.length)]) {
      try (FileChannel lock = openLock(key, dir);
          FileLock held = lock.lock()) {
        assert held.isValid();
        ObjectInfo current = readMeta(key, dir);
        ObjectInfo next = change.apply(current);
        if (next != null && !next.equals(current)) {
          writeAtomically(dir.resolve("meta.json"), metaJson(next));
        }
      } catch (NoSuchObjectException | RetentionLockedException e) {
        throw e;
      } catch (IOException e) {
        throw translate(e, "cannot update " + key);
      }
    }
  }

  /**
   * Renames a staged object directory into place, making its parent folders first if needed: the
   * folders are usually there, so the rename is tried first (one system call, not a mkdir per
   * level); a folder that another process pruned in between (its last object deleted) is made
   * again.
   */
  private static void moveIntoPlace(Path staging, Path target) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (NoSuchFileException e) {
        if (attempt == 3 || !Files.isDirectory(staging)) {
          throw e;
        }
        Files.createDirectories(target.getParent());
      }
    }
  }

  /**
   * The object's lock file, made on first use: most objects (seals, ledger batches) never change
   * their metadata, and a file fewer per object is an inode fewer to allocate at every commit.
   * Without the object's folder there is nothing to lock: no such object.
   */
  private static FileChannel openLock(ObjectKey key, Path dir) throws IOException {
    try {
      return FileChannel.open(
          dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (NoSuchFileException e) {
      throw new NoSuchObjectException(key.value());
    }
  }

  @Override
  public void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
    requireNonNull(retainUntil, "retainUntil");
    // Retention only ever grows, so an object already retained exactly this long needs neither
    // the lock nor a write: the common case after a commit that carried its retention
    // (WritableObject.retainOnCommit), which then costs one read instead of a lock file, a lock
    // and a durable rewrite of the metadata.
    checkOpen();
    try {
      Optional<Instant> current = readMeta(key, objectDir(key)).retainUntil();
      if (current.isPresent() && current.get().equals(retainUntil)) {
        return;
      }
    } catch (NoSuchObjectException e) {
      throw e;
    } catch (IOException e) {
      // unreadable without the lock (a metadata write in flight on a network file system):
      // the locked path below reads it again and reports
    }
    changeMeta(
        key,
        current -> {
          Instant now = current.retainUntil().orElse(null);
          if (now != null && retainUntil.isBefore(now)) {
            throw new RetentionLockedException(
                key
                    + " is retained until "
                    + now
                    + "; retention cannot be shortened to "
                    + retainUntil);
          }
          return current.toBuilder().retainUntil(retainUntil).build();
        });
  }

  @Override
  public void setLegalHold(ObjectKey key, boolean hold) throws IOException {
    changeMeta(key, current -> current.toBuilder().legalHold(hold).build());
  }

  @Override
  public void delete(ObjectKey key) throws IOException {
    Path dir = objectDir(key);
    Path trash = tmp.resolve(uniqueName("deleted-"));
    changeMeta(
        key,
        current -> {
          if (current.legalHold()) {
            throw new RetentionLockedException(key + " is under legal hold");
          }
          Instant until = current.retainUntil().orElse(null);
          if (until != null && clock.instant().isBefore(until)) {
            throw new RetentionLockedException(key + " is retained until " + until);
          }
          // one atomic step makes the object disappear; the rest is housekeeping
          Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
          fsync(dir.getParent());
          return null;
        });
    deleteTree(trash);
    pruneEmptyParents(dir.getParent());
  }

  private void pruneEmptyParents(Path dir) {
    Path p = dir;
    while (p != null && !p.equals(objects) && p.startsWith(objects)) {
      // forgotten before it goes: a commit that makes it again must fsync its parent again
      durableFolders.remove(p);
      try {
        Files.delete(p);
      } catch (IOException e) {
        return; // not empty, or someone is writing below it: leave it
      }
      p = p.getParent();
    }
  }

  // ------------------------------------------------------------------ list

  @Override
  public Stream<ObjectInfo> list(String prefix) throws IOException {
    requireNonNull(prefix, "prefix");
    checkOpen();
    Lister<ObjectInfo> lister = new Lister<>(prefix, (key, dir) -> readMeta(key, dir));
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(lister, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(lister::close);
  }

  /**
   * The keys alone, from the folder names: no object's {@code meta.json} is read, so a listing of
   * many objects costs one directory read per folder, and an object whose metadata is damaged (or
   * planted) is still listed, for its reader to find and report, instead of ending the listing.
   */
  @Override
  public Stream<ObjectKey> keys(String prefix) throws IOException {
    requireNonNull(prefix, "prefix");
    checkOpen();
    Lister<ObjectKey> lister = new Lister<>(prefix, (key, dir) -> key);
    return StreamSupport.stream(
            Spliterators.spliteratorUnknownSize(lister, Spliterator.ORDERED | Spliterator.NONNULL),
            false)
        .onClose(lister::close);
  }

  /** What a listing makes of each object folder it walks past. */
  @FunctionalInterface
  private interface ListedAs<T> {
    T of(ObjectKey key, Path dir) throws IOException;
  }

  /** Depth-first over the object tree, each folder sorted so keys come in UTF-8 order. */
  private final class Lister<T> implements Iterator<T> {
    private final String prefix;
    private final ListedAs<T> as;
    private final ArrayDeque<Iterator<Entry>> stack = new ArrayDeque<>();
    private T next;

    private final class Entry {
      final Path path;
      final String keyPrefix; // "a/b" for a .o, "a/b/" for a .d
      final byte[] sortKey;
      final boolean object;

      Entry(Path path, String parentKey, String name) {
        this.object = name.endsWith(".o");
        String segment = name.substring(0, name.length() - 2);
        this.path = path;
        this.keyPrefix = parentKey + segment + (object ? "" : "/");
        this.sortKey = keyPrefix.getBytes(StandardCharsets.UTF_8);
      }
    }

    Lister(String prefix, ListedAs<T> as) throws IOException {
      this.prefix = prefix;
      this.as = as;
      stack.push(entries(objects, "").iterator());
    }

    private List<Entry> entries(Path dir, String parentKey) throws IOException {
      List<Entry> out = new ArrayList<>();
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
        for (Path p : ds) {
          String name = p.getFileName().toString();
          if (!(name.endsWith(".o") || name.endsWith(".d")) || name.length() < 3) {
            continue;
          }
          Entry e = new Entry(p, parentKey, name);
          boolean relevant =
              e.object
                  ? e.keyPrefix.startsWith(prefix)
                  : e.keyPrefix.startsWith(prefix) || prefix.startsWith(e.keyPrefix);
          if (relevant) {
            out.add(e);
          }
        }
      } catch (NoSuchFileException e) {
        return out; // deleted while listing
      }
      out.sort(Comparator.comparing(e -> e.sortKey, Arrays::compareUnsigned));
      return out;
    }

    @Override
    public boolean hasNext() {
      while (next == null && !stack.isEmpty()) {
        Iterator<Entry> top = stack.peek();
        if (!top.hasNext()) {
          stack.pop();
          continue;
        }
        Entry e = top.next();
        try {
          if (e.object) {
            next = as.of(ObjectKey.of(e.keyPrefix), e.path);
          } else {
            stack.push(entries(e.path, e.keyPrefix).iterator());
          }
        } catch (NoSuchObjectException gone) {
          // deleted while listing: not listed
        } catch (IOException io) {
          throw new java.io.UncheckedIOException(io);
        }
      }
      return next != null;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      T n = next;
      next = null;
      return n;
    }

    void close() {
      stack.clear();
    }
  }

  // ------------------------------------------------------------------ housekeeping

  /**
   * Removes staging folders of processes that are gone (crashed writers, unfinished deletes). A
   * folder of this host is gone with its process; one of another host (a store shared over the
   * network), or of this host before a restart, is removed only once nothing in it changed for
   * {@link #FOREIGN_STAGING_GRACE}. Names of earlier builds carry no host tag and are judged by
   * their process id as before.
   */
  private void sweepAbandoned() throws IOException {
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        String[] f = name.split("-", 3);
        long pid;
        try {
          pid = f.length > 1 ? Long.parseLong(f[0]) : -1;
        } catch (NumberFormatException e) {
          pid = -1;
        }
        boolean tagged = f.length > 2 && f[1].length() == 9 && f[1].matches("h[0-9a-f]{8}");
        if (tagged && !f[1].equals(HOST)) {
          if (untouchedSince(p, Instant.now().minus(FOREIGN_STAGING_GRACE))) {
            deleteTree(p);
          }
          continue;
        }
        boolean alive = pid == self || (pid > 0 && ProcessHandle.of(pid).isPresent());
        if (!alive) {
          deleteTree(p);
        }
      }
    }
  }

  /** Whether neither {@code p} nor anything in it (two levels down) changed after {@code t}. */
  private static boolean untouchedSince(Path p, Instant t) throws IOException {
    try (java.util.stream.Stream<Path> s = Files.walk(p, 2)) {
      return s.allMatch(
          x -> {
            try {
              return !Files.getLastModifiedTime(x, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                  .toInstant()
                  .isAfter(t);
            } catch (IOException e) {
              return false; // changing under us (its writer is at work) or unreadable: keep it
            }
          });
    } catch (java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** Writes a new file and forces it to disk (its directory entry is the caller's to sync). */
  private static void writeDurably(Path target, byte[] data) throws IOException {
    try (FileChannel ch =
        FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  private static void writeAtomically(Path target, byte[] data) throws IOException {
    Path part = target.resolveSibling(target.getFileName() + "." + uniqueName("") + ".part");
    try (FileChannel ch =
        FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(part);
      throw new StoreUnavailableException("the file system cannot rename atomically", e);
    }
    fsync(target.getParent());
  }

  /**
   * Makes durable the entry just renamed into {@code folder}, and the entries of {@code folder} and
   * of each folder above it, up to {@code objects}, not yet known durable: a commit into a device's
   * first day made {@code DEVCAM7.d} and {@code 2023-06-01.d} (or found them just made by another
   * writer), and until their parents are fsynced a crash can take both folders and the object.
   */
  private void syncFolders(Path folder) throws IOException {
    folders.sync(folder);
    for (Path d = folder; d.startsWith(objects) && !durableFolders.contains(d); d = d.getParent()) {
      folders.sync(d.getParent());
      if (durableFolders.size() >= KEEP_DURABLE_FOLDERS) {
        durableFolders.clear(); // only costs an fsync of a parent again
      }
      durableFolders.add(d);
    }
  }

  /** Folders remembered as durable at most (a device and day each: years of a large fleet). */
  private static final int KEEP_DURABLE_FOLDERS = 100_000;

  private static void fsync(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static void deleteTree(Path p) {
    if (p == null || !Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(q);
      }
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // best effort: the next open sweeps what is left
    }
  }

  /** Maps platform errors to the SPI's strict exceptions. */
  static IOException translate(IOException e, String what) {
    if (e instanceof NoSuchObjectException
        || e instanceof ObjectExistsException
        || e instanceof RetentionLockedException
        || e instanceof StoreUnavailableException) {
      return e;
    }
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof FileSystemException) {
      String r = ((FileSystemException) e).getReason();
      if (r != null) {
        reason = r;
      }
    }
    if (reason.contains("No space left") || reason.contains("Disk quota exceeded")) {
      return new InsufficientStorageException(what + ": storage is full (" + reason + ")", e);
    }
    if (e instanceof AccessDeniedException) {
      return new StoreUnavailableException(what + ": permission denied (" + reason + ")", e);
    }
    return new StoreUnavailableException(what + ": " + reason, e);
  }

  @Override
  public void close() {
    closed = true;
    writeBehind.shutdown(); // flushes in flight finish; commits wait for their own
    directIo.close(); // likewise
  }

  @Override
  public String toString() {
    return "FileSystemEvidenceStore[" + root + "]";
  }

  /** A read-only view of a file channel. */
  private static final class ReadOnlyChannel implements SeekableByteChannel {
    private final FileChannel ch;

    ReadOnlyChannel(FileChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      return ch.read(dst);
    }

    @Override
    public int write(ByteBuffer src) {
      throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
      return ch.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      ch.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return ch.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return ch.isOpen();
    }

    @Override
    public void close() throws IOException {
      ch.close();
    }
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
