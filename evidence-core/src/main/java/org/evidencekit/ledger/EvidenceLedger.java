package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.internal.merkle.MerkleCache;
import org.evidencekit.internal.merkle.TreeHasher;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectExistsException;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;

/**
 * The append-only log of seals and custody events: an RFC 9162 Merkle tree
 * (SHA-256) over {@link LedgerEntry} canonical JSON, persisted through any {@link EvidenceStore}.
 *
 * <p>Layout (docs/ledger.md): each commit is one create-only batch object {@code
 * ledger/batches/{first index, 20 digits}.jsonl} holding one canonical entry per line, so an append
 * is in the log entirely or not at all, whatever the crash; signed checkpoints are C2SP notes
 * {@code ledger/checkpoints/{size, 20 digits}.note}. Subtrees of 256 entries and up are kept in
 * memory (about half a byte per entry); the leaf hashes of each complete 256-entry tile are stored
 * as {@code ledger/tiles/{tile, 20 digits}.bin} (8 KiB, derived data, rebuilt from the batches if
 * lost or damaged), so a proof costs O(log^2 n) hashes and at most one tile read.
 *
 * <p>Thread-safe. Concurrent {@link #append} calls are group-committed: while one batch is being
 * made durable, the entries that arrive queue up and go together in the next batch. Another process
 * appending to the same store is detected (its batch takes the key first) and this ledger catches
 * up before retrying, so indexes never collide.
 */
public final class EvidenceLedger {
  /** Most entries in one batch object. */
  public static final int MAX_BATCH = 4096;

  /** Largest canonical entry accepted, in bytes. */
  public static final int MAX_ENTRY_BYTES = 64 * 1024;

  static final String BATCHES = "ledger/batches/";
  static final String CHECKPOINTS = "ledger/checkpoints/";
  private static final long MAX_BATCH_BYTES = (long) MAX_BATCH * (MAX_ENTRY_BYTES + 1);

  private final EvidenceStore store;
  private final Clock clock;
  private final TreeHasher hasher = new TreeHasher(HashAlgorithm.SHA256);

  /** Tiles of 2^8 = 256 entries: proofs read one 8 KiB tile object at most. */
  static final int TILE_HEIGHT = 8;

  static final String TILES = "ledger/tiles/";
  private final MerkleCache tree;

  /** Tiles known to be stored; guarded by {@code tree}. */
  private final java.util.Set<Long> storedTiles = new java.util.HashSet<>();

  /** Tiles that could not be stored, or whose stored copy is damaged; guarded by {@code tree}. */
  private final Map<Long, byte[]> memTiles = new java.util.HashMap<>();

  private final ReentrantLock commitLock = new ReentrantLock();
  private final Object queueLock = new Object();
  private final List<Pending> queue = new ArrayList<>();
  private volatile long committed;

  /** First index of each batch to its entry count; guarded by {@code tree}. */
  private final java.util.TreeMap<Long, Integer> batchSizes = new java.util.TreeMap<>();

  /** What the log holds, for conditional appends; guarded by {@code tree}. */
  private final LedgerIndex index = new LedgerIndex();

  /**
   * The latest entries, parsed, up to {@link #RECENT} of them: entries {@code recentFirst} to
   * {@code committed - 1}. Readers of what was just appended (a station's retention history and
   * catalog after each group it logs) take them from here instead of parsing their batches again.
   * Guarded by {@code tree}.
   */
  private final java.util.ArrayDeque<LedgerEntry> recent = new java.util.ArrayDeque<>();

  private long recentFirst;

  /** Entries kept parsed in memory at most (one full batch: a few megabytes). */
  static final int RECENT = MAX_BATCH;

  /** Keeps {@code e}, the entry about to take index {@code tree.size()}; holds {@code tree}. */
  private void remember(LedgerEntry e) {
    if (recent.isEmpty() || recentFirst + recent.size() != tree.size()) {
      recent.clear(); // only ever a contiguous run up to the end
      recentFirst = tree.size();
    }
    recent.addLast(e);
    if (recent.size() > RECENT) {
      recent.removeFirst();
      recentFirst++;
    }
  }

  /**
   * Whether {@link #index} holds every entry; false after {@link #openFromCheckpoint} until a view
   * or a condition needs it. Guarded by {@code tree}, changed under {@code commitLock}.
   */
  private boolean indexed = true;

  /** Batches read lately; batches are create-only, so a copy never goes stale. */
  private final BatchCache batches;

  /** What opening found wrong with derived data or checkpoints; guarded by {@code tree}. */
  private final List<Finding> openFindings = new ArrayList<>();

  /**
   * While a ledger opened from a checkpoint falls back to reading every batch: the SHA-256 of each
   * stored tile it read, so a tile that does not match its entries is named. Null otherwise.
   */
  private Map<Long, Digest> suspectTiles;

  /**
   * Records committed but not yet retained for good ({@link RecordNotRetainedException}): this
   * ledger's own batches and checkpoints, and seal objects its archive stored. The ledger never
   * reads its own batches again, so nothing else would lock them while it runs; each append (and
   * {@link #refresh}, {@link #checkpoint}) tries again. If the process ends first, the next open
   * locks the batches it reads.
   */
  private final PendingLocks toLock;

  private static final class Pending {
    final LedgerEntry entry;
    final byte[] canonical;

    /** Null for an unconditional append. */
    java.util.function.Predicate<LedgerView> condition;

    volatile boolean rejected;

    /** Why the entry's time is refused where it would land; null when it is not. */
    volatile String refusal;

    volatile long index = -1;
    volatile IOException failure;
    final java.util.concurrent.CompletableFuture<Long> done =
        new java.util.concurrent.CompletableFuture<>();

    Pending(LedgerEntry entry, byte[] canonical) {
      this.entry = entry;
      this.canonical = canonical;
    }
  }

  private EvidenceLedger(EvidenceStore store, Clock clock) {
    this.store = store;
    this.toLock = new PendingLocks(store, EvidenceLedger.class);
    this.clock = clock;
    this.tree = new MerkleCache(hasher, TILE_HEIGHT, this::tileLeaves);
    this.batches = new BatchCache(store);
  }

  /** A ledger whose tree {@code start} built from checked tiles and the batches after them. */
  private EvidenceLedger(EvidenceStore store, Clock clock, CheckpointStart start) {
    this.store = store;
    this.toLock = new PendingLocks(store, EvidenceLedger.class);
    this.clock = clock;
    this.tree = new MerkleCache(start.tree, this::tileLeaves);
    this.batches = start.batches;
    storedTiles.addAll(start.storedTiles);
    memTiles.putAll(start.memTiles);
    batchSizes.putAll(start.batchSizes);
    openFindings.addAll(start.findings);
    committed = start.size;
    indexed = false;
  }

  /**
   * Opens the ledger kept in {@code store}, reading every batch (one pass, O(n)) to rebuild the
   * tree. An empty store is an empty ledger.
   *
   * @throws LedgerException if a batch is missing, damaged or out of sequence
   */
  public static EvidenceLedger open(EvidenceStore store, Clock clock) throws IOException {
    requireNonNull(store, "store");
    requireNonNull(clock, "clock");
    EvidenceLedger l = new EvidenceLedger(store, clock);
    l.catchUp();
    return l;
  }

  /**
   * Opens the ledger kept in {@code store} without reading every batch, for readers of large logs
   * (sweeps, spot checks, catalogs). The tree is built from the stored tiles that the newest stored
   * checkpoint covers, accepted only because their root at its size is the checkpoint's root, and
   * from the batches after the checkpoint: O(n / 256) reads of 8 KiB tiles, one listing of the
   * batch keys and the batches since the checkpoint. A missing tile is rebuilt from its batches. If
   * the tiles do not lead to the checkpoint's root, every batch is read as {@link #open} reads
   * them, and the tiles that differ from their entries are named. Without a usable checkpoint
   * nothing vouches for a tile and every batch is read. What was wrong is in {@link
   * #openFindings()}.
   *
   * <p>Appends, proofs and checkpoints work as after {@link #open}. {@link #view()}, {@link
   * #appendIf} and {@link #appendAllIf} need every entry's index: the first of them reads every
   * batch once.
   *
   * @throws LedgerException if a batch is missing, damaged or out of sequence
   */
  public static EvidenceLedger openFromCheckpoint(EvidenceStore store, Clock clock)
      throws IOException {
    requireNonNull(store, "store");
    requireNonNull(clock, "clock");
    CheckpointStart start = CheckpointStart.read(store);
    if (start.size == 0) {
      return open(store, clock);
    }
    if (start.verified) {
      return new EvidenceLedger(store, clock, start);
    }
    EvidenceLedger l = new EvidenceLedger(store, clock);
    l.openFindings.addAll(start.findings);
    l.suspectTiles = new java.util.HashMap<>(start.storedTileDigests);
    l.catchUp();
    l.suspectTiles = null;
    LogCheckpoint cp = start.checkpoint;
    if (cp.size() <= l.committed && !cp.root().equals(l.root(cp.size()))) {
      l.openFindings.add(
          Finding.of(
              LedgerFindingCode.ROOT_MISMATCH,
              cp
                  + ": the stored entries do not hash to the newest checkpoint's root (an entry was"
                  + " altered, removed or reordered)"));
    }
    return l;
  }

  /**
   * What opening found wrong with the derived data and the newest checkpoint (only {@link
   * #openFromCheckpoint} looks): tiles missing ({@link LedgerFindingCode#TILE_MISSING}) or not
   * matching their entries ({@link LedgerFindingCode#TILE_MISMATCH}), a checkpoint that cannot be
   * read, or that the entries do not hash to ({@link LedgerFindingCode#ROOT_MISMATCH}). The ledger
   * is then built from the batches, which are never overruled by derived data. Also, from any open
   * or later catch-up, a batch found without its retention that the store refused to lock ({@link
   * LedgerFindingCode#RECORD_NOT_RETAINED}).
   */
  public List<Finding> openFindings() {
    synchronized (tree) {
      return List.copyOf(openFindings);
    }
  }

  /** The number of entries durably in the log. */
  public long size() {
    return committed;
  }

  /** The root hash of the first {@code size} entries. */
  public Digest root(long size) {
    checkSize(size);
    try {
      return query(() -> Digest.of(tree.root(size)));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The root of the whole log as it is now. */
  public Digest root() {
    return root(committed);
  }

  /**
   * Appends an entry and returns once it is durably in the log. A batch committed whose retention
   * then failed ({@link RecordNotRetainedException} from {@link PermanentRecords#put}) is in the
   * log: the append succeeds and the lock is tried again at the next append (docs/ledger.md).
   *
   * @return the entry's index (its leaf number)
   * @throws IOException if the entry's batch was not committed: nothing of it is in the log
   */
  public long append(LedgerEntry entry) throws IOException {
    requireNonNull(entry, "entry");
    byte[] c = entry.canonical();
    if (c.length > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException(
          "ledger entry is " + c.length + " bytes; the limit is " + MAX_ENTRY_BYTES);
    }
    Pending p = new Pending(entry, c);
    synchronized (queueLock) {
      queue.add(p);
    }
    commitLock.lock();
    try {
      // Group commit: whoever holds the lock writes everything queued so far, up to MAX_BATCH.
      while (p.index < 0 && p.failure == null) {
        List<Pending> batch = takeBatch();
        commitBatch(batch);
      }
    } finally {
      commitLock.unlock();
    }
    return result(p);
  }

  /**
   * Appends {@code entry} only if {@code condition} holds at the position the entry takes: it is
   * judged after every entry before that position is known, whoever wrote it, and together with the
   * entries before it in the same batch. Since batch objects are create-only, no other writer
   * (thread, process or machine) can slip an entry in between the judgement and the append. This is
   * how a recording gets exactly one {@code sealed} entry and a device's seals one unbroken chain
   * however many stations ingest at once.
   *
   * @param condition judged under the ledger's commit lock: keep it fast, no I/O
   * @return the entry's index, or empty if the condition did not hold on the whole log as it was
   *     when judged (every batch any writer had written by then was read first): nothing appended
   */
  public java.util.OptionalLong appendIf(
      LedgerEntry entry, java.util.function.Predicate<LedgerView> condition) throws IOException {
    requireNonNull(entry, "entry");
    requireNonNull(condition, "condition");
    byte[] c = entry.canonical();
    if (c.length > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException(
          "ledger entry is " + c.length + " bytes; the limit is " + MAX_ENTRY_BYTES);
    }
    Pending p = new Pending(entry, c);
    p.condition = condition;
    synchronized (queueLock) {
      queue.add(p);
    }
    commitLock.lock();
    try {
      while (true) {
        while (p.index < 0 && p.failure == null && !p.rejected) {
          commitBatch(takeBatch());
        }
        if (!p.rejected) {
          break;
        }
        // A condition that failed on what this ledger knew may hold on what others appended
        // since: read their batches and judge again. Final only once nothing new was read.
        long known = committed;
        try {
          catchUp();
        } catch (IOException e) {
          p.failure = e;
          break;
        }
        if (committed == known) {
          break;
        }
        p.rejected = false;
        synchronized (queueLock) {
          queue.add(0, p);
        }
      }
    } finally {
      commitLock.unlock();
    }
    if (p.failure != null) {
      return java.util.OptionalLong.of(result(p));
    }
    if (p.rejected) {
      return java.util.OptionalLong.empty();
    }
    return java.util.OptionalLong.of(result(p));
  }

  /**
   * Reads what other writers appended since this ledger last looked, so that {@link #view()} and
   * {@link #size()} are current.
   */
  public void refresh() throws IOException {
    commitLock.lock();
    try {
      toLock.retry();
      catchUp();
    } finally {
      commitLock.unlock();
    }
  }

  /**
   * The index of the latest {@code rewrapped} entry of a live recording since its {@code sealed}
   * entry: its stored ciphertext's key id is the one that entry logged.
   */
  java.util.OptionalLong rewrappedIndex(String subject) throws IOException {
    requireNonNull(subject, "subject");
    ensureIndexed();
    synchronized (tree) {
      return index.rewrappedIndex(subject);
    }
  }

  /**
   * The log as this ledger knows it (call {@link #refresh()} first to take in other writers). The
   * view is live: it moves on as entries are appended. After {@link #openFromCheckpoint} the first
   * question reads every batch (an {@link java.io.UncheckedIOException} if one cannot be read).
   */
  public LedgerView view() {
    return new LedgerView() {
      private void indexed() {
        try {
          ensureIndexed();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }

      @Override
      public long size() {
        return committed;
      }

      @Override
      public java.util.OptionalLong sealedIndex(String subject) {
        requireNonNull(subject, "subject");
        indexed();
        synchronized (tree) {
          return index.sealedIndex(subject);
        }
      }

      @Override
      public java.util.OptionalLong disposedIndex(String objectKey) {
        requireNonNull(objectKey, "objectKey");
        indexed();
        synchronized (tree) {
          return index.disposedIndex(objectKey);
        }
      }

      @Override
      public Optional<EvidenceArchive.Sealed> latestSealOf(String deviceId) {
        requireNonNull(deviceId, "deviceId");
        indexed();
        synchronized (tree) {
          return index.latestSealOf(deviceId);
        }
      }

      @Override
      public java.util.OptionalLong sealedIndexByRoot(String rootHex) {
        requireNonNull(rootHex, "rootHex");
        indexed();
        synchronized (tree) {
          return index.sealedIndexByRoot(rootHex);
        }
      }

      @Override
      public Optional<java.time.Instant> latestTime() {
        indexed();
        synchronized (tree) {
          return index.latestTime();
        }
      }
    };
  }

  /**
   * Queues an entry and returns at once; the future completes with its index when its batch is
   * durable (or exceptionally with the {@link IOException}). Lets one thread keep thousands of
   * appends in flight, which group commit turns into few large batches. The committing thread is
   * the ledger's own daemon thread; it exits when idle.
   */
  public java.util.concurrent.CompletableFuture<Long> appendAsync(LedgerEntry entry) {
    requireNonNull(entry, "entry");
    byte[] c = entry.canonical();
    if (c.length > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException(
          "ledger entry is " + c.length + " bytes; the limit is " + MAX_ENTRY_BYTES);
    }
    Pending p = new Pending(entry, c);
    synchronized (queueLock) {
      queue.add(p);
    }
    if (drainScheduled.compareAndSet(false, true)) {
      committer.execute(this::drain);
    }
    return p.done;
  }

  private final java.util.concurrent.atomic.AtomicBoolean drainScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.ThreadPoolExecutor committer =
      new java.util.concurrent.ThreadPoolExecutor(
          0,
          1,
          30,
          java.util.concurrent.TimeUnit.SECONDS,
          new java.util.concurrent.LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "evidence-ledger-commit");
            t.setDaemon(true);
            return t;
          });

  private void drain() {
    while (true) {
      commitLock.lock();
      try {
        while (true) {
          List<Pending> batch = takeBatch();
          if (batch.isEmpty()) {
            break;
          }
          commitBatch(batch);
        }
      } finally {
        commitLock.unlock();
      }
      drainScheduled.set(false);
      synchronized (queueLock) {
        if (queue.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
          return;
        }
      }
    }
  }

  /**
   * Appends entries in order, as few batch objects as the batch limit allows (a bulk import). Each
   * batch is atomic; if one fails, the earlier ones stay in the log and the exception says how many
   * entries were appended.
   *
   * @return the index of the first entry
   */
  public long appendAll(List<LedgerEntry> entries) throws IOException {
    requireNonNull(entries, "entries");
    List<Pending> all = new ArrayList<>(entries.size());
    for (LedgerEntry e : entries) {
      byte[] c = requireNonNull(e, "entry").canonical();
      if (c.length > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException(
            "ledger entry is " + c.length + " bytes; the limit is " + MAX_ENTRY_BYTES);
      }
      all.add(new Pending(e, c));
    }
    if (all.isEmpty()) {
      return committed;
    }
    commitLock.lock();
    try {
      refuseTimes(all);
      for (int from = 0; from < all.size(); from += MAX_BATCH) {
        List<Pending> batch = all.subList(from, Math.min(all.size(), from + MAX_BATCH));
        commitBatch(batch, true);
        if (batch.get(0).failure instanceof EntryTimeRefusedException) {
          throw new EntryTimeRefusedException(
              "bulk append stopped after " + from + ": " + batch.get(0).failure.getMessage());
        }
        if (batch.get(0).failure != null) {
          throw new IOException(
              "bulk append stopped after "
                  + from
                  + " of "
                  + EntryCount.of(all.size())
                  + ": "
                  + batch.get(0).failure.getMessage(),
              batch.get(0).failure);
        }
      }
    } finally {
      commitLock.unlock();
    }
    return all.get(0).index;
  }

  /**
   * Appends entries in order, each only if its condition holds at the position it takes, judged as
   * {@link #appendIf} judges: against the whole log as read when its batch lands (a collision with
   * another writer reads theirs and judges again) plus the entries admitted before it in the same
   * batch, so {@code conditions.get(i)} may count on the entries before {@code i}. The entries take
   * as few batch objects as the batch limit allows: a run of recordings costs one durable append,
   * not one per recording.
   *
   * <p>Unlike {@link #appendIf}, a rejection is not judged again after re-reading the log once
   * more: a caller for whom a rejection may be stale calls {@link #appendIf} for those entries.
   *
   * @param conditions one per entry, judged under the ledger's commit lock: keep them fast, no I/O
   * @return per entry, its index, or empty if its condition did not hold (nothing appended for it)
   */
  public List<java.util.OptionalLong> appendAllIf(
      List<LedgerEntry> entries, List<java.util.function.Predicate<LedgerView>> conditions)
      throws IOException {
    requireNonNull(entries, "entries");
    requireNonNull(conditions, "conditions");
    if (entries.size() != conditions.size()) {
      throw new IllegalArgumentException(
          entries.size() + " entries but " + conditions.size() + " conditions");
    }
    List<Pending> all = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      byte[] c = requireNonNull(entries.get(i), "entry").canonical();
      if (c.length > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException(
            "ledger entry is " + c.length + " bytes; the limit is " + MAX_ENTRY_BYTES);
      }
      Pending p = new Pending(entries.get(i), c);
      p.condition = requireNonNull(conditions.get(i), "condition");
      all.add(p);
    }
    commitLock.lock();
    try {
      refuseTimes(all);
      for (int from = 0; from < all.size(); from += MAX_BATCH) {
        commitBatch(all.subList(from, Math.min(all.size(), from + MAX_BATCH)), true);
      }
    } finally {
      commitLock.unlock();
    }
    List<java.util.OptionalLong> out = new ArrayList<>(all.size());
    for (Pending p : all) {
      if (p.failure != null) {
        result(p);
      }
      out.add(p.rejected ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(p.index));
    }
    return out;
  }

  /** Takes up to {@link #MAX_BATCH} queued entries, oldest first. */
  private List<Pending> takeBatch() {
    synchronized (queueLock) {
      int n = Math.min(queue.size(), MAX_BATCH);
      List<Pending> batch = new ArrayList<>(queue.subList(0, n));
      queue.subList(0, n).clear();
      return batch;
    }
  }

  private static long result(Pending p) throws IOException {
    if (p.failure instanceof EntryTimeRefusedException) {
      // a new one, so the caller's stack is in it (the committing thread may be another)
      throw new EntryTimeRefusedException(p.failure.getMessage());
    }
    if (p.failure != null) {
      throw new IOException("ledger append failed: " + p.failure.getMessage(), p.failure);
    }
    return p.index;
  }

  /**
   * Appends one batch of separate appends (group commit): see {@link #commitBatch(List, boolean)}.
   */
  private void commitBatch(List<Pending> batch) {
    commitBatch(batch, false);
  }

  /**
   * Appends one batch; marks every pending entry done, rejected (its condition did not hold) or
   * failed. An entry whose time is refused fails alone, or, for a bulk append ({@code whole}),
   * fails the batch with nothing of it written. Holds commitLock.
   */
  private void commitBatch(List<Pending> batch, boolean whole) {
    if (batch.isEmpty()) {
      return;
    }
    toLock.retry();
    try {
      boolean lookedAgain = false;
      for (int attempt = 0; ; attempt++) {
        long first = committed;
        List<Pending> admitted = admit(batch);
        Pending refused = batch.stream().filter(q -> q.refusal != null).findFirst().orElse(null);
        if (refused != null && !lookedAgain) {
          // judged on what this ledger knew: another writer may have logged since (an accepted
          // jump, which the refused entry follows), so refused only on the log as it is
          lookedAgain = true;
          catchUp();
          if (committed != first) {
            continue;
          }
        }
        if (whole && refused != null) {
          EntryTimeRefusedException e = new EntryTimeRefusedException(refused.refusal);
          for (Pending q : batch) {
            q.failure = e;
            q.done.completeExceptionally(e);
          }
          return;
        }
        if (admitted.isEmpty()) {
          finishRejected(batch);
          return;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        for (Pending q : admitted) {
          buf.write(q.canonical, 0, q.canonical.length);
          buf.write('\n');
        }
        try {
          PermanentRecords.put(store, batchKey(first), buf.toByteArray());
        } catch (ObjectExistsException e) {
          // Another writer appended first: take in its entries, judge the conditions again at the
          // new end, and try there.
          if (attempt >= 100) {
            throw new LedgerException("could not append after 100 collisions with other writers");
          }
          catchUp();
          continue;
        } catch (RecordNotRetainedException e) {
          // Committed: the entries are in the log and take their indices like any others. Failing
          // the appends would make a caller that tries again log every entry twice.
          toLock.add(e);
        }
        List<byte[]> done = new ArrayList<>();
        long tilesBefore;
        synchronized (tree) {
          tilesBefore = tree.size() >> TILE_HEIGHT;
          for (Pending q : admitted) {
            q.index = tree.size();
            if (indexed) {
              index.add(q.index, q.entry);
            }
            unindexedLatest = later(unindexedLatest, q.entry.time());
            remember(q.entry);
            byte[] tile = tree.append(hasher.leaf(q.canonical, 0, q.canonical.length));
            if (tile != null) {
              done.add(tile);
            }
          }
          committed = tree.size();
          batchSizes.put(first, admitted.size());
          if (unindexedLatestAt == first) {
            unindexedLatestAt = committed;
          }
        }
        for (Pending q : admitted) {
          q.done.complete(q.index);
        }
        finishRejected(batch);
        for (int i = 0; i < done.size(); i++) {
          storeTile(tilesBefore + i, done.get(i));
        }
        return;
      }
    } catch (IOException e) {
      for (Pending q : batch) {
        q.failure = e;
        q.done.completeExceptionally(e);
      }
    }
  }

  /** For the archive: a seal object committed but not retained, locked at the next append. */
  void lockLater(RecordNotRetainedException e) {
    toLock.add(e);
  }

  /**
   * The entries of {@code batch} whose conditions hold, judged in order against the log as known
   * plus the admitted entries before them. Marks the others rejected (final only once the batch
   * lands: a collision re-judges them all).
   */
  private List<Pending> admit(List<Pending> batch) throws IOException {
    if (batch.stream().anyMatch(q -> q.condition != null)) {
      ensureIndexed();
    }
    EntryTimeRules rules = timeRules(entriesOf(batch));
    Map<LedgerEntry, Instant> sealedAt = rules.sealedTimes(entriesOf(batch), this::sealedTime);
    List<Pending> admitted = new ArrayList<>(batch.size());
    synchronized (tree) {
      LedgerIndex view = null;
      long next = tree.size();
      for (Pending q : batch) {
        q.refusal = null;
        if (q.condition != null) {
          if (view == null) {
            view = index.overlay();
            for (int i = 0; i < admitted.size(); i++) {
              view.add(next + i, admitted.get(i).entry);
            }
          }
          q.rejected = !q.condition.test(view);
          if (q.rejected) {
            continue;
          }
        }
        q.refusal = rules.refusal(q.entry, sealedAt.get(q.entry));
        if (q.refusal != null) {
          continue;
        }
        rules.take(q.entry);
        if (view != null) {
          view.add(next + admitted.size(), q.entry);
        }
        admitted.add(q);
      }
    }
    return admitted;
  }

  private static void finishRejected(List<Pending> batch) {
    for (Pending q : batch) {
      if (q.refusal != null) {
        EntryTimeRefusedException e = new EntryTimeRefusedException(q.refusal);
        q.failure = e;
        q.done.completeExceptionally(e);
      } else if (q.rejected) {
        q.done.complete(-1L);
      }
    }
  }

  /**
   * Refuses a bulk append up front, before any batch of it is written, if an entry's time is
   * refused against the log as known and the entries before it. Holds commitLock.
   */
  private void refuseTimes(List<Pending> all) throws IOException {
    if (refusedTime(all) != null) {
      catchUp(); // refused only on the log as it is, whoever logged since this ledger looked
    }
    String why = refusedTime(all);
    if (why != null) {
      throw new EntryTimeRefusedException(why);
    }
  }

  /** Why an entry of {@code all} is refused where the bulk would land; null if none is. */
  private String refusedTime(List<Pending> all) throws IOException {
    List<LedgerEntry> entries = entriesOf(all);
    return timeRules(entries).refusalOfAll(entries, this::sealedTime);
  }

  private static List<LedgerEntry> entriesOf(List<Pending> pending) {
    List<LedgerEntry> out = new ArrayList<>(pending.size());
    for (Pending q : pending) {
      out.add(q.entry);
    }
    return out;
  }

  /**
   * The time rules as they stand at the end of the log as known, judged at this ledger's clock, for
   * {@code judged}. The first entry's time bounds only record-timed entries, so it is read (its
   * batch) only for them: a ledger opened from a checkpoint appends without reading its first
   * batch. Holds commitLock.
   */
  private EntryTimeRules timeRules(List<LedgerEntry> judged) throws IOException {
    Instant latest = latestTime();
    boolean needsFirst =
        latest != null
            && judged.stream().anyMatch(e -> EntryTimeRules.RECORD_TIMED.contains(e.type()));
    return new EntryTimeRules(needsFirst ? firstTime() : null, latest, clock.instant());
  }

  /** The first entry's time, read once: it never changes. Null while the log is empty. */
  private volatile Instant firstTime;

  private Instant firstTime() throws IOException {
    Instant t = firstTime;
    if (t == null && committed > 0) {
      t = entry(0).time();
      firstTime = t;
    }
    return t;
  }

  /**
   * The time of the live {@code sealed} entry of the recording at {@code objectKey}, null if the
   * log holds none. Builds the index if it is not (asked rarely: for a record logged at its own
   * time, trailing the latest time). Holds commitLock.
   */
  private Instant sealedTime(String objectKey) throws IOException {
    ensureIndexed();
    java.util.OptionalLong i;
    synchronized (tree) {
      i = index.sealedIndex(objectKey);
    }
    return i.isPresent() ? entry(i.getAsLong()).time() : null;
  }

  /**
   * The latest entry time of a ledger opened from a checkpoint whose index is not built: the newest
   * entry's, and the later of it and what was appended since; valid while {@code committed} equals
   * {@code unindexedLatestAt}. Guarded by {@code tree}.
   */
  private Instant unindexedLatest;

  private long unindexedLatestAt = -1;

  /**
   * The latest entry time the log holds, as this ledger knows it (null when empty). Without the
   * index (after {@link #openFromCheckpoint}) the newest entry's time, read once per catch-up, not
   * every batch. Holds commitLock.
   */
  private Instant latestTime() throws IOException {
    long n;
    synchronized (tree) {
      if (indexed) {
        return index.latestTime().orElse(null);
      }
      n = committed;
      if (n == 0 || unindexedLatestAt == n) {
        return unindexedLatest;
      }
    }
    Instant newest = entry(n - 1).time();
    synchronized (tree) {
      unindexedLatest = later(unindexedLatest, newest);
      unindexedLatestAt = n;
      return unindexedLatest;
    }
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  /** Reads batches written since the last look (by anyone). Holds commitLock or is opening. */
  private void catchUp() throws IOException {
    if (committed == 0) {
      try (Stream<ObjectKey> s = store.keys(TILES)) {
        for (ObjectKey i : (Iterable<ObjectKey>) s::iterator) {
          long t = parseIndex(i, TILES, ".bin");
          synchronized (tree) {
            storedTiles.add(t);
          }
        }
      }
    }
    if (committed > 0) {
      // Batches are contiguous: what others appended since starts exactly at our end. Asking for
      // those keys costs O(new batches) instead of listing the whole log at every look.
      while (true) {
        ObjectInfo info;
        try {
          info = store.stat(batchKey(committed));
        } catch (org.evidencekit.storage.NoSuchObjectException e) {
          return;
        }
        takeIn(info, committed);
      }
    }
    long expect = 0;
    for (ObjectInfo info : sorted(BATCHES)) {
      long first = parseIndex(info.key(), BATCHES, ".jsonl");
      if (first != expect) {
        throw new LedgerException(
            "ledger batch "
                + info.key().value()
                + " starts at entry "
                + first
                + " but entry "
                + expect
                + " was expected: a batch is missing");
      }
      expect = first + takeIn(info, first);
    }
  }

  /** Reads the batch starting at entry {@code first} (the log's end) into the tree and index. */
  private int takeIn(ObjectInfo info, long first) throws IOException {
    List<LedgerEntry> parsed = new ArrayList<>();
    List<byte[]> lines = readBatch(store, info, parsed); // each entry parsed once, here
    keepForGood(info);
    List<byte[]> done = new ArrayList<>();
    long tilesBefore;
    synchronized (tree) {
      tilesBefore = tree.size() >> TILE_HEIGHT;
      for (int i = 0; i < lines.size(); i++) {
        byte[] line = lines.get(i);
        if (indexed) {
          LedgerEntry e = parsed.get(i);
          index.add(tree.size(), e);
          remember(e);
        }
        byte[] tile = tree.append(hasher.leaf(line, 0, line.length));
        if (tile != null) {
          done.add(tile);
        }
      }
      committed = tree.size();
      batchSizes.put(first, lines.size());
    }
    for (int i = 0; i < done.size(); i++) {
      checkSuspect(tilesBefore + i, done.get(i));
      storeTile(tilesBefore + i, done.get(i)); // repairs tiles a crash left unwritten
    }
    return lines.size();
  }

  /**
   * Locks a batch found without its retention: its writer stopped, or its store
   * failed, between the commit and the lock, or an older build wrote it. Nobody else would: the
   * batch is read at every open and never written again. A store that refuses (read-only
   * credentials) leaves a finding instead of failing the read, so a verifier still sees the log and
   * what is unprotected.
   */
  private void keepForGood(ObjectInfo info) {
    if (PermanentRecords.keptForGood(store, info)) {
      return;
    }
    try {
      PermanentRecords.lock(store, info.key());
    } catch (IOException e) {
      synchronized (tree) {
        openFindings.add(
            Finding.of(
                LedgerFindingCode.RECORD_NOT_RETAINED,
                "ledger batch "
                    + info.key().value()
                    + " is not retained for good and could not be locked: "
                    + e.getMessage()));
      }
    }
  }

  /** Names a stored tile read by a failed {@link #openFromCheckpoint} that its entries disown. */
  private void checkSuspect(long t, byte[] packed) {
    Digest stored = suspectTiles == null ? null : suspectTiles.remove(t);
    if (stored != null && !stored.equals(HashAlgorithm.SHA256.hash(packed))) {
      synchronized (tree) {
        memTiles.put(t, packed);
        openFindings.add(
            Finding.of(
                LedgerFindingCode.TILE_MISMATCH,
                "tile "
                    + t
                    + " ("
                    + tileKey(t).value()
                    + ") does not match its entries: refused, rebuilt from the batches"));
      }
    }
  }

  /**
   * The lines of the batch that starts at {@code first}, which must hold as many entries as the
   * next batch's name says: fewer would be a hole in the log.
   */
  private List<byte[]> batchLines(long first) throws IOException {
    Integer want;
    synchronized (tree) {
      want = batchSizes.get(first);
    }
    List<byte[]> lines = batches.lines(first);
    if (want != null && lines.size() != want) {
      throw new LedgerException(
          "ledger batch "
              + batchKey(first).value()
              + " holds "
              + EntryCount.of(lines.size())
              + ", but the next batch starts "
              + EntryCount.of(want)
              + " after it");
    }
    return lines;
  }

  /** Builds the index of every entry, if {@link #openFromCheckpoint} left it unbuilt. */
  private void ensureIndexed() throws IOException {
    commitLock.lock();
    try {
      List<Map.Entry<Long, Integer>> all;
      synchronized (tree) {
        if (indexed) {
          return;
        }
        all = new ArrayList<>(batchSizes.entrySet());
      }
      // commitLock keeps every other append and catch-up out meanwhile
      for (Map.Entry<Long, Integer> b : all) {
        List<byte[]> lines = batchLines(b.getKey());
        synchronized (tree) {
          for (int i = 0; i < b.getValue(); i++) {
            index.add(b.getKey() + i, LedgerEntry.parse(lines.get(i)));
          }
        }
      }
      synchronized (tree) {
        indexed = true;
      }
    } finally {
      commitLock.unlock();
    }
  }

  static ObjectKey tileKey(long tile) {
    return ObjectKey.of(TILES + String.format(java.util.Locale.ROOT, "%020d", tile) + ".bin");
  }

  /**
   * Stores a complete tile's leaf hashes (derived data: losing one costs a rebuild from the
   * batches, never correctness). If the store refuses, the tile stays in memory.
   */
  private void storeTile(long t, byte[] packed) {
    synchronized (tree) {
      if (storedTiles.contains(t)) {
        return;
      }
    }
    try {
      ChannelIo.put(store, tileKey(t), packed);
      synchronized (tree) {
        storedTiles.add(t);
      }
    } catch (ObjectExistsException e) {
      synchronized (tree) {
        storedTiles.add(t); // another process wrote it; it is checked when read
      }
    } catch (IOException e) {
      synchronized (tree) {
        memTiles.put(t, packed);
      }
    }
  }

  /** The tile source of {@link #tree}: stored tile, or rebuilt from the batches. */
  private byte[] tileLeaves(long t, boolean again) {
    if (!again) {
      byte[] m = memTiles.get(t);
      if (m != null) {
        return m;
      }
      if (storedTiles.contains(t)) {
        try (SeekableByteChannel ch = store.openRead(tileKey(t));
            InputStream in = Channels.newInputStream(ch)) {
          return in.readNBytes((1 << TILE_HEIGHT) * 32 + 1);
        } catch (IOException e) {
          // fall through to the batches
        }
      }
    }
    try {
      byte[] rebuilt = rebuildTile(t);
      memTiles.put(t, rebuilt);
      return rebuilt;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Leaf hashes of tile t recomputed from the batches that hold its entries. */
  private byte[] rebuildTile(long t) throws IOException {
    TreeHasher th = new TreeHasher(HashAlgorithm.SHA256);
    long start = t << TILE_HEIGHT;
    long end = start + (1 << TILE_HEIGHT);
    byte[] out = new byte[(1 << TILE_HEIGHT) * 32];
    Long first = batchSizes.floorKey(start);
    while (first != null && first < end) {
      List<byte[]> lines = batchLines(first);
      for (int i = 0; i < lines.size(); i++) {
        long idx = first + i;
        if (idx >= start && idx < end) {
          byte[] line = lines.get(i);
          System.arraycopy(th.leaf(line, 0, line.length), 0, out, (int) (idx - start) * 32, 32);
        }
      }
      first = batchSizes.higherKey(first);
    }
    return out;
  }

  /** Runs a tree query, turning tile failures into the ledger's exceptions. */
  private <T> T query(java.util.function.Supplier<T> q) throws IOException {
    try {
      synchronized (tree) {
        return q.get();
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    } catch (IllegalStateException e) {
      throw new LedgerException(e.getMessage());
    }
  }

  /** Reads and validates one batch: every line a canonical entry. */
  List<byte[]> readBatch(ObjectInfo info) throws IOException {
    return readBatch(store, info);
  }

  /** Reads and validates one batch of the ledger kept in {@code store}. */
  static List<byte[]> readBatch(EvidenceStore store, ObjectInfo info) throws IOException {
    return readBatch(store, info, null);
  }

  /**
   * {@link #readBatch(EvidenceStore, ObjectInfo)}, the entries it checked added to {@code parsed}.
   */
  private static List<byte[]> readBatch(
      EvidenceStore store,
      ObjectInfo info,
      @org.jspecify.annotations.Nullable List<LedgerEntry> parsed)
      throws IOException {
    if (info.size() > MAX_BATCH_BYTES || info.size() < 2) {
      throw new LedgerException(
          "ledger batch " + info.key().value() + " has an impossible size of " + info.size());
    }
    if (info.size() >= BoundedFiles.heapRoom()) {
      throw new LedgerException(
          BoundedFiles.pastTheHeap(
              "ledger batch " + info.key().value() + " has " + info.size() + " bytes"));
    }
    byte[] all;
    try (SeekableByteChannel ch = store.openRead(info.key());
        InputStream in = Channels.newInputStream(ch)) {
      all = in.readNBytes((int) info.size() + 1);
    }
    if (all.length != info.size()) {
      throw new LedgerException(
          "ledger batch "
              + info.key().value()
              + " is damaged: "
              + all.length
              + " bytes stored, "
              + info.size()
              + " recorded");
    }
    return parseBatch(info.key(), all, parsed);
  }

  /**
   * Reads and validates the batch that starts at entry {@code first}, without asking its size first
   * (one request on stores where a description costs one). At most what the heap can hold is read:
   * the bound (4096 entries of 64 KiB) is past a small heap, and a 50 MiB object planted as a batch
   * was an {@code OutOfMemoryError} in the sweep and the record sheet.
   */
  static List<byte[]> readBatch(EvidenceStore store, long first) throws IOException {
    ObjectKey k = batchKey(first);
    byte[] all;
    try (SeekableByteChannel ch = store.openRead(k);
        InputStream in = Channels.newInputStream(ch)) {
      all =
          BoundedFiles.readAtMost(
              in,
              "ledger batch " + k.value(),
              (int) MAX_BATCH_BYTES,
              () ->
                  new LedgerException(
                      "ledger batch "
                          + k.value()
                          + " has an impossible size of more than "
                          + MAX_BATCH_BYTES),
              LedgerException::new);
    }
    if (all.length > MAX_BATCH_BYTES || all.length < 2) {
      throw new LedgerException(
          "ledger batch " + k.value() + " has an impossible size of " + all.length);
    }
    return parseBatch(k, all, null);
  }

  private static List<byte[]> parseBatch(
      ObjectKey key, byte[] all, @org.jspecify.annotations.Nullable List<LedgerEntry> parsed)
      throws LedgerException {
    if (all[all.length - 1] != '\n') {
      throw new LedgerException("ledger batch " + key.value() + " is truncated");
    }
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        byte[] line = java.util.Arrays.copyOfRange(all, start, i);
        try {
          LedgerEntry e = LedgerEntry.parse(line);
          if (parsed != null) {
            parsed.add(e);
          }
        } catch (LedgerException e) {
          throw new LedgerException(
              "ledger batch "
                  + key.value()
                  + " line "
                  + (lines.size() + 1)
                  + ": "
                  + e.getMessage());
        }
        lines.add(line);
        start = i + 1;
      }
    }
    if (lines.size() > MAX_BATCH) {
      throw new LedgerException("ledger batch " + key.value() + " holds too many entries");
    }
    return lines;
  }

  static ObjectKey batchKey(long first) {
    return ObjectKey.of(BATCHES + String.format(java.util.Locale.ROOT, "%020d", first) + ".jsonl");
  }

  static ObjectKey checkpointKey(long size) {
    return ObjectKey.of(
        CHECKPOINTS + String.format(java.util.Locale.ROOT, "%020d", size) + ".note");
  }

  /** Where checkpoints of the earlier JSON form are stored (read, no longer written). */
  static ObjectKey jsonCheckpointKey(long size) {
    return ObjectKey.of(
        CHECKPOINTS + String.format(java.util.Locale.ROOT, "%020d", size) + ".json");
  }

  static long parseIndex(ObjectKey key, String prefix, String suffix) throws LedgerException {
    String v = key.value();
    String digits =
        v.startsWith(prefix) && v.endsWith(suffix)
            ? v.substring(prefix.length(), v.length() - suffix.length())
            : "";
    if (digits.length() != 20 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new LedgerException("unexpected object in the ledger: " + v);
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new LedgerException("unexpected object in the ledger (index past 2^63): " + v);
    }
  }

  /** The entry at {@code index}, read from its batch. */
  public LedgerEntry entry(long index) throws IOException {
    if (index < 0 || index >= committed) {
      throw new IllegalArgumentException("no entry " + index + " in a log of " + committed);
    }
    long first;
    synchronized (tree) {
      first = batchSizes.floorKey(index);
    }
    List<byte[]> lines = batchLines(first);
    if (index - first >= lines.size()) {
      throw new LedgerException(
          "ledger batch " + batchKey(first).value() + " lost entries since it was read");
    }
    return LedgerEntry.parse(lines.get((int) (index - first)));
  }

  /**
   * The entries from {@code from} (inclusive) to {@code to} (exclusive), in order, reading only the
   * batches that hold them.
   *
   * @throws IllegalArgumentException unless {@code 0 <= from <= to <= size()}
   * @throws LedgerException if a batch lost entries since it was read
   */
  public List<LedgerEntry> entries(long from, long to) throws IOException {
    if (from < 0 || to < from || to > committed) {
      throw new IllegalArgumentException(
          "no entries " + from + " to " + to + " in a log of " + committed);
    }
    List<LedgerEntry> out = new ArrayList<>((int) Math.min(to - from, 1 << 16));
    forEachEntry(from, to, (e, i) -> out.add(e));
    if (out.size() != to - from) {
      throw new LedgerException(
          "ledger batches lost entries since they were read: "
              + out.size()
              + " of entries "
              + from
              + " to "
              + to);
    }
    return out;
  }

  /**
   * Hands {@code action} the entries {@code from} (inclusive) to {@code to} (exclusive) in order,
   * with their indexes, reading only the batches that hold them (O(to - from) reads, not O(n)).
   *
   * @param action must not call back into this ledger
   */
  public void forEachEntry(
      long from, long to, java.util.function.ObjLongConsumer<LedgerEntry> action)
      throws IOException {
    requireNonNull(action, "action");
    checkSize(to);
    if (from < 0 || from > to) {
      throw new IllegalArgumentException("no entries from " + from + " to " + to);
    }
    if (from == to) {
      return;
    }
    List<Long> firsts;
    List<LedgerEntry> held = null;
    synchronized (tree) {
      if (!recent.isEmpty() && from >= recentFirst && to <= recentFirst + recent.size()) {
        held = new ArrayList<>((int) (to - from));
        java.util.Iterator<LedgerEntry> it = recent.iterator();
        for (long i = recentFirst; i < to; i++) {
          LedgerEntry e = it.next();
          if (i >= from) {
            held.add(e);
          }
        }
      }
      firsts =
          held != null
              ? List.of()
              : new ArrayList<>(
                  batchSizes.subMap(batchSizes.floorKey(from), true, to, false).keySet());
    }
    if (held != null) {
      for (int i = 0; i < held.size(); i++) {
        action.accept(held.get(i), from + i); // parsed when appended or taken in
      }
      return;
    }
    for (long first : firsts) {
      List<byte[]> lines = batchLines(first);
      for (int i = 0; i < lines.size(); i++) {
        long index = first + i;
        if (index >= from && index < to) {
          action.accept(LedgerEntry.parse(lines.get(i)), index);
        }
      }
    }
  }

  /** Every entry in order (reads all batches). */
  public List<LedgerEntry> entries() throws IOException {
    List<LedgerEntry> out = new ArrayList<>();
    long n = committed;
    for (ObjectInfo info : sorted(BATCHES)) {
      for (byte[] line : readBatch(info)) {
        if (out.size() < n) {
          out.add(LedgerEntry.parse(line));
        }
      }
    }
    return out;
  }

  /**
   * The objects under {@code prefix} in key order, which the SPI's {@code list} guarantees;
   * 20-digit names make it numeric order.
   */
  private List<ObjectInfo> sorted(String prefix) throws IOException {
    try (Stream<ObjectInfo> s = store.list(prefix)) {
      return s.collect(Collectors.toList());
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause(); // an object the store cannot describe: its own error, naming it
    }
  }

  /** Inclusion proof of entry {@code index} in the log of the first {@code size} entries. */
  public InclusionProof proveInclusion(long index, long size) throws IOException {
    checkSize(size);
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("entry " + index + " is not in a log of " + size);
    }
    return query(
        () ->
            new InclusionProof(
                index,
                size,
                tree.leaf(index),
                tree.inclusionProof(index, size),
                Digest.of(tree.root(size))));
  }

  /** Consistency proof from the first {@code oldSize} entries to the first {@code newSize}. */
  public ConsistencyProof proveConsistency(long oldSize, long newSize) throws IOException {
    checkSize(newSize);
    if (oldSize < 1 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "no consistency proof from "
              + oldSize
              + " to "
              + newSize
              + (oldSize == 0
                  ? ": every log extends the empty one, so it would prove nothing"
                  : ""));
    }
    return query(
        () ->
            new ConsistencyProof(
                oldSize,
                newSize,
                Digest.of(tree.root(oldSize)),
                Digest.of(tree.root(newSize)),
                tree.consistencyProof(oldSize, newSize)));
  }

  private void checkSize(long size) {
    if (size < 0 || size > committed) {
      throw new IllegalArgumentException("the log has " + committed + " entries, not " + size);
    }
  }

  /**
   * Signs and stores a checkpoint of the log as it is now, with the origin {@link #defaultOrigin}
   * of the key.
   */
  public LogCheckpoint checkpoint(SigningKeyProvider key) throws IOException {
    requireNonNull(key, "key");
    return checkpoint(defaultOrigin(key), key);
  }

  /**
   * The origin used when none is given: {@code evidencekit.ledger/} and the first 16 hex digits of
   * the SHA-256 of the key's SubjectPublicKeyInfo, so that logs with different keys never share a
   * name. A bureau should name its log itself ({@link #checkpoint(String, SigningKeyProvider)}).
   */
  public static String defaultOrigin(SigningKeyProvider key) {
    return "evidencekit.ledger/"
        + HashAlgorithm.SHA256.hash(key.publicKeyDer()).hex().substring(0, 16);
  }

  /**
   * Signs and stores a C2SP checkpoint note ({@code origin}, size, root) of the log as it is now,
   * as {@code ledger/checkpoints/{size, 20 digits}.note}. A checkpoint of this size that is already
   * stored is returned only if this key signed it for this origin; otherwise this refuses (a
   * checkpoint is never silently one of another key).
   *
   * @throws LedgerException if a checkpoint of this size is stored with another key or origin
   */
  public LogCheckpoint checkpoint(String origin, SigningKeyProvider key) throws IOException {
    requireNonNull(origin, "origin");
    requireNonNull(key, "key");
    LogCheckpoint.checkOrigin(origin);
    commitLock.lock();
    try {
      toLock.retry();
      long size = committed;
      Optional<LogCheckpoint> stored = storedCheckpoint(size);
      if (stored.isPresent()) {
        LogCheckpoint same = sameSigner(stored.get(), origin, key);
        // its writer may have stopped between its commit and its lock
        PermanentRecords.lock(
            store,
            store.exists(checkpointKey(size)) ? checkpointKey(size) : jsonCheckpointKey(size));
        return same;
      }
      LogCheckpoint cp = LogCheckpoint.sign(origin, size, root(size), key);
      try {
        PermanentRecords.put(store, checkpointKey(size), cp.encoded());
      } catch (ObjectExistsException e) {
        LogCheckpoint same = sameSigner(readCheckpoint(checkpointKey(size)), origin, key);
        PermanentRecords.lock(store, checkpointKey(size));
        return same;
      } catch (RecordNotRetainedException e) {
        toLock.add(e); // stored and signed: this is the checkpoint
      }
      return cp;
    } finally {
      commitLock.unlock();
    }
  }

  private static LogCheckpoint sameSigner(LogCheckpoint cp, String origin, SigningKeyProvider key)
      throws IOException {
    boolean byKey = cp.verify(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer())));
    if (!byKey || (cp.isNote() && !cp.origin().equals(origin))) {
      throw new LedgerException(
          "the checkpoint of "
              + EntryCount.of(cp.size())
              + " is already stored"
              + (byKey ? " for origin '" + cp.origin() + "'" : ", signed by another key")
              + ": not signing it again with "
              + key.keyId()
              + " for '"
              + origin
              + "' (append an entry first, or use the key and origin that signed it)");
    }
    return cp;
  }

  /**
   * Keeps with the log the witnesses' cosignatures of one of its stored checkpoints (C2SP
   * tlog-cosignature lines, as {@link Witness#cosign} adds them), so that a proof bundle made from
   * that checkpoint later carries them ({@link EvidenceArchive#export}, R-18, R-19). Each line the
   * stored checkpoint lacks that has a cosignature's form (a time and an Ed25519 signature, under a
   * name other than the log's) is kept for good; a witness's line already kept for this checkpoint
   * stays as it was. Nothing is verified here: the lines count only where a verifier's {@link
   * WitnessPolicy} verifies them.
   *
   * @return how many lines were kept now (0 when each was kept before)
   * @throws LedgerException if the log stores no checkpoint note of that size with exactly this
   *     text (another log's, or one never stored); or if the object a witness's line is kept in
   *     exists and holds no line of that witness over this checkpoint (planted there first: the
   *     line is not kept, the others are, and the message names the object)
   */
  public int keepCosignatures(LogCheckpoint cosigned) throws IOException {
    requireNonNull(cosigned, "cosigned");
    Optional<LogCheckpoint> stored =
        cosigned.isNote() ? storedCheckpoint(cosigned.size()) : Optional.empty();
    if (stored.isEmpty()
        || !stored.get().isNote()
        || !MessageDigest.isEqual(stored.get().text(), cosigned.text())) {
      throw new LedgerException(
          cosigned + " is not a checkpoint note this log stores: its cosignatures are not kept");
    }
    return new KeptCosignatures(store, toLock).keep(stored.get(), cosigned);
  }

  /**
   * The newest stored checkpoint that holds entry {@code index}, is not past {@code upTo}, is of
   * its origin, signed by {@code logKey}, a state of this log, and has witness lines kept for it,
   * with those lines added; with {@code witnesses}, lines of a quorum of them that verify, and only
   * those.
   */
  Optional<LogCheckpoint> newestCosigned(
      long index, LogCheckpoint upTo, TrustAnchors logKey, Optional<WitnessPolicy> witnesses)
      throws IOException {
    KeptCosignatures kept = new KeptCosignatures(store, toLock);
    return witnesses.isPresent()
        ? kept.newestCosignedBy(index, upTo.size(), upTo.origin(), logKey, this, witnesses.get())
        : kept.newestCosigned(index, upTo.size(), upTo.origin(), logKey, this);
  }

  /** The stored checkpoint of this size, in either form (its content may state another size). */
  Optional<LogCheckpoint> storedCheckpoint(long size) throws IOException {
    if (store.exists(checkpointKey(size))) {
      return Optional.of(readCheckpoint(checkpointKey(size)));
    }
    if (store.exists(jsonCheckpointKey(size))) {
      return Optional.of(readCheckpoint(jsonCheckpointKey(size)));
    }
    return Optional.empty();
  }

  private LogCheckpoint readCheckpoint(ObjectKey k) throws IOException {
    return readCheckpoint(store, k);
  }

  static LogCheckpoint readCheckpoint(EvidenceStore store, ObjectKey k) throws IOException {
    try (SeekableByteChannel ch = store.openRead(k);
        InputStream in = Channels.newInputStream(ch)) {
      return LogCheckpoint.parse(in.readNBytes(2 * 64 * 1024 + 1));
    }
  }

  /** Every stored checkpoint, oldest first. */
  public List<LogCheckpoint> checkpoints() throws IOException {
    List<ObjectInfo> infos = sorted(CHECKPOINTS);
    List<LogCheckpoint> out = new ArrayList<>();
    for (ObjectInfo i : infos) {
      out.add(namedCheckpoint(i));
    }
    return out;
  }

  /** Reads a checkpoint object, which must state the size its name says. */
  private LogCheckpoint namedCheckpoint(ObjectInfo i) throws IOException {
    String suffix = i.key().value().endsWith(".json") ? ".json" : ".note";
    LogCheckpoint cp = readCheckpoint(i.key());
    if (cp.size() != parseIndex(i.key(), CHECKPOINTS, suffix)) {
      throw new LedgerException(
          "checkpoint " + i.key().value() + " states size " + cp.size() + ", not its name");
    }
    return cp;
  }

  /**
   * What is wrong with a checkpoint published for this log: not signed by one of {@code
   * logKeys}, cosigned by fewer of {@code witnesses} than their quorum, or not a state of this log
   * (a fork, or a log rolled back below it), as findings coded {@link
   * LedgerFindingCode#CHECKPOINT_UNTRUSTED}, {@link LedgerFindingCode#WITNESS_QUORUM_MISSED} and
   * {@link LedgerFindingCode#CHECKPOINT_NOT_OF_THIS_LOG}. Empty when it is good.
   */
  public List<Finding> checkPublished(
      LogCheckpoint checkpoint, TrustAnchors logKeys, WitnessPolicy witnesses) {
    requireNonNull(checkpoint, "checkpoint");
    requireNonNull(logKeys, "logKeys");
    requireNonNull(witnesses, "witnesses");
    List<Finding> problems = new ArrayList<>();
    if (!checkpoint.verify(logKeys)) {
      problems.add(
          Finding.of(
              LedgerFindingCode.CHECKPOINT_UNTRUSTED,
              checkpoint + " is not signed by a trusted ledger key"));
    }
    int cosigned = witnesses.cosignatures(checkpoint).size();
    if (cosigned < witnesses.quorum()) {
      problems.add(
          Finding.of(
              LedgerFindingCode.WITNESS_QUORUM_MISSED,
              checkpoint
                  + " is cosigned by "
                  + cosigned
                  + " of the "
                  + witnesses.quorum()
                  + " witnesses required ("
                  + String.join(", ", witnesses.names())
                  + ")"));
    }
    if (!isStateOfThisLog(checkpoint)) {
      problems.add(
          Finding.of(
              LedgerFindingCode.CHECKPOINT_NOT_OF_THIS_LOG,
              checkpoint
                  + " is not a state of this log of "
                  + EntryCount.of(committed)
                  + " (the log forked or was rolled back)"));
    }
    return problems;
  }

  /** Whether the log had exactly this root when it had the checkpoint's size. */
  boolean isStateOfThisLog(LogCheckpoint checkpoint) {
    long size = checkpoint.size();
    return size <= committed && checkpoint.root().equals(root(size));
  }

  /** The newest stored checkpoint, if any (reads that one only). */
  public Optional<LogCheckpoint> latestCheckpoint() throws IOException {
    List<ObjectInfo> infos = sorted(CHECKPOINTS);
    return infos.isEmpty()
        ? Optional.empty()
        : Optional.of(namedCheckpoint(infos.get(infos.size() - 1)));
  }

  /**
   * Re-reads the whole stored log and checks it against itself and every stored checkpoint: batches
   * contiguous and canonical, each checkpoint signed by a trusted key and matching the root
   * recomputed from the entries (so the log only ever grew since it was published). With trusted
   * keys given, a log that stores no checkpoint at all is {@code INCONCLUSIVE} ({@link
   * LedgerFindingCode#CHECKPOINT_MISSING}); with {@link TrustAnchors#none()} its hashes alone are
   * checked. Every entry's time is judged by the rules appends are held to, in log order and at
   * this ledger's clock (docs/ledger.md, "Entries"): an entry that breaks them is {@link
   * LedgerFindingCode#ENTRY_TIME_REFUSED}, so one written around the library is named.
   */
  public LedgerReport verify(TrustAnchors anchors) throws IOException {
    requireNonNull(anchors, "anchors");
    List<Finding> problems = new ArrayList<>();
    List<LogCheckpoint> cps;
    boolean checkpointsRead = true;
    try {
      cps = checkpoints();
    } catch (LedgerException e) {
      problems.add(Finding.of(LedgerFindingCode.CHECKPOINT_UNREADABLE, e.getMessage()));
      cps = List.of();
      checkpointsRead = false;
    }
    // Roots are taken while streaming, when the tree reaches each checkpoint's size, so the
    // check needs memory for the subtree hashes only, whatever the log's size.
    Map<Long, Digest> rootsAt = new java.util.HashMap<>();
    java.util.Set<Long> wanted = new java.util.HashSet<>();
    cps.forEach(c -> wanted.add(c.size()));
    TreeHasher th = new TreeHasher(HashAlgorithm.SHA256);
    MerkleCache fresh =
        new MerkleCache(
            th,
            TILE_HEIGHT,
            (t, again) -> {
              throw new IllegalStateException("verification needs no complete tile");
            });
    java.util.Set<Long> tilesStored = new java.util.HashSet<>();
    try (Stream<ObjectKey> s = store.keys(TILES)) {
      for (ObjectKey i : (Iterable<ObjectKey>) s::iterator) {
        try {
          tilesStored.add(parseIndex(i, TILES, ".bin"));
        } catch (LedgerException e) {
          problems.add(Finding.of(LedgerFindingCode.UNEXPECTED_OBJECT, e.getMessage()));
        }
      }
    }
    checkOtherRecords(problems);
    if (wanted.contains(0L)) {
      rootsAt.put(0L, Digest.of(fresh.root(0)));
    }
    long expect = 0;
    EntryTimeRules.Audit times = new EntryTimeRules.Audit(clock.instant());
    for (ObjectInfo info : sorted(BATCHES)) {
      long first;
      try {
        first = parseIndex(info.key(), BATCHES, ".jsonl");
      } catch (LedgerException e) {
        problems.add(Finding.of(LedgerFindingCode.UNEXPECTED_OBJECT, e.getMessage()));
        continue;
      }
      if (first != expect) {
        problems.add(
            Finding.of(
                LedgerFindingCode.ENTRIES_MISSING,
                "entries "
                    + expect
                    + " to "
                    + (first - 1)
                    + " are missing (next batch starts later)"));
        break;
      }
      try {
        List<LedgerEntry> parsed = new ArrayList<>();
        List<byte[]> lines = readBatch(store, info, parsed);
        for (int i = 0; i < lines.size(); i++) {
          byte[] line = lines.get(i);
          times.judge(fresh.size(), parsed.get(i), problems);
          byte[] tile = fresh.append(th.leaf(line, 0, line.length));
          if (tile != null) {
            long t = (fresh.size() >> TILE_HEIGHT) - 1;
            if (tilesStored.contains(t) && !java.util.Arrays.equals(readTile(t), tile)) {
              problems.add(
                  Finding.of(
                      LedgerFindingCode.TILE_MISMATCH,
                      "tile "
                          + t
                          + " does not match its entries (derived data: proofs fall back to the"
                          + " batches)"));
            }
          }
          if (wanted.contains(fresh.size())) {
            rootsAt.put(fresh.size(), Digest.of(fresh.root(fresh.size())));
          }
        }
      } catch (LedgerException e) {
        problems.add(Finding.of(LedgerFindingCode.BATCH_DAMAGED, e.getMessage()));
        break;
      }
      expect = fresh.size();
    }
    times.finish(problems);
    int good = 0;
    if (cps.isEmpty() && checkpointsRead && !anchors.isEmpty()) {
      // a key was given to check the log against, and nothing it signed is stored
      problems.add(
          Finding.of(
              LedgerFindingCode.CHECKPOINT_MISSING,
              "no checkpoint is stored: nothing signed by a trusted key attests the log's "
                  + EntryCount.of(fresh.size())
                  + " (checkpoints deleted, or none signed yet)"));
    }
    for (LogCheckpoint cp : cps) {
      if (!cp.verify(anchors)) {
        problems.add(
            Finding.of(
                LedgerFindingCode.CHECKPOINT_UNTRUSTED,
                cp + ": signature does not verify with a trusted key"));
      } else if (cp.size() > fresh.size()) {
        problems.add(
            Finding.of(
                LedgerFindingCode.ENTRIES_REMOVED,
                cp
                    + ": the log was published with "
                    + EntryCount.of(cp.size())
                    + " but now has "
                    + fresh.size()
                    + " (entries were removed)"));
      } else if (!cp.root().equals(rootsAt.get(cp.size()))) {
        problems.add(
            Finding.of(
                LedgerFindingCode.ROOT_MISMATCH,
                cp
                    + ": the entries now stored do not hash to the published root "
                    + "(an entry was altered, removed or reordered)"));
      } else {
        good++;
      }
    }
    return new LedgerReport(fresh.size(), Digest.of(fresh.root(fresh.size())), good, problems);
  }

  /**
   * Where an ingest stages each seal before its {@code sealed} entry is appended (evidence-ingest),
   * kept for good: a seal logged on its own as {@code DIGEST.seal.json}, a group's one per line as
   * {@code SHA256.seals.jsonl}; either way the name is the SHA-256 of the object's bytes.
   */
  static final String STAGED_SEALS = "ledger/seals/";

  private static final java.util.regex.Pattern STAGED_NAME =
      java.util.regex.Pattern.compile(
          java.util.regex.Pattern.quote(STAGED_SEALS)
              + "([0-9a-f]{64})(\\.seal\\.json|\\.seals\\.jsonl)");

  /** A copy a key rotation keeps ({@code KeyRotation.copies}): the key's SHA-256, then a name. */
  private static final java.util.regex.Pattern REWRAP_COPY =
      java.util.regex.Pattern.compile(
          java.util.regex.Pattern.quote(KeyRotation.COPIES) + "[0-9a-f]{64}/[0-9]+-[0-9a-f]+");

  /**
   * The ledger's folder holds nothing but batches, checkpoints, tiles, kept witness cosignatures
   * (read, and verified or passed over, where a bundle is made or checked), the copies a stopped
   * key rotation keeps and staged seals, and every staged seal object still hashes to its name
   * . Everything under {@code ledger/} is the archive's bookkeeping, which sweeps skip:
   * an object planted there, or a staged seal altered (the copy a re-run completes a crashed ingest
   * from), was reported by nothing.
   */
  private void checkOtherRecords(List<Finding> problems) throws IOException {
    try (Stream<ObjectKey> s = store.keys("ledger/")) {
      for (ObjectKey k : (Iterable<ObjectKey>) s::iterator) {
        String v = k.value();
        if (v.startsWith(BATCHES)
            || v.startsWith(CHECKPOINTS)
            || v.startsWith(TILES)
            || KeptCosignatures.NAME.matcher(v).matches()) {
          continue; // checked where they are read
        }
        if (REWRAP_COPY.matcher(v).matches()) {
          // a stopped key rotation's checked copy, the recording's ciphertext until the rotation
          // is run again: checked before it is restored, named by the sweep
          continue;
        }
        java.util.regex.Matcher m = STAGED_NAME.matcher(v);
        if (!m.matches()) {
          problems.add(
              Finding.of(
                  LedgerFindingCode.UNEXPECTED_OBJECT,
                  "unexpected object in the ledger: "
                      + v
                      + (v.startsWith(STAGED_SEALS) ? " (not a staged seal's name)" : "")));
          continue;
        }
        String problem = stagedSealProblem(k, m.group(1));
        if (problem != null) {
          problems.add(Finding.of(LedgerFindingCode.STAGED_SEAL_DAMAGED, problem));
        }
      }
    }
  }

  /** Why the staged seal object {@code key} is not the one its name says, or null if it is. */
  private @org.jspecify.annotations.Nullable String stagedSealProblem(ObjectKey key, String want)
      throws IOException {
    String got;
    try {
      got = org.evidencekit.internal.io.ChannelIo.sha256(store, key);
    } catch (org.evidencekit.storage.NoSuchObjectException e) {
      return null; // listed, then gone: nothing stored to judge
    } catch (IOException e) {
      return "staged seal " + key + " cannot be read: " + e.getMessage();
    }
    return got.equals(want)
        ? null
        : "staged seal "
            + key
            + " does not hash to its name (SHA-256 "
            + got
            + "): altered after it was staged";
  }

  private byte[] readTile(long t) {
    try (SeekableByteChannel ch = store.openRead(tileKey(t));
        InputStream in = Channels.newInputStream(ch)) {
      return in.readNBytes((1 << TILE_HEIGHT) * 32 + 1);
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
