package org.evidencekit.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.merkle.MerkleCache;
import org.evidencekit.internal.merkle.TreeHasher;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.NoSuchObjectException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.verify.Finding;

/**
 * What {@link EvidenceLedger#openFromCheckpoint} reads before the ledger exists: the batch keys
 * (one listing, no per-object description), the last batch (the log's size), the newest checkpoint,
 * the stored tiles it covers and the batches after them. The tiles are derived data anyone with
 * write access could forge, so they are taken only if the tree they give has the checkpoint's root
 * at its size ({@link #verified}); a forged tile changes that root unless SHA-256 collides.
 */
final class CheckpointStart {
  private static final int TILE = 1 << EvidenceLedger.TILE_HEIGHT;
  private static final int TILE_BYTES = TILE * 32;

  final TreeHasher hasher = new TreeHasher(HashAlgorithm.SHA256);

  /** Built here, taken over by the ledger; no tile is fetched before that. */
  final MerkleCache tree =
      new MerkleCache(
          hasher,
          EvidenceLedger.TILE_HEIGHT,
          (t, again) -> {
            throw new IllegalStateException("no tile is read before the ledger takes the tree");
          });

  final TreeMap<Long, Integer> batchSizes = new TreeMap<>();
  final Set<Long> storedTiles = new HashSet<>();
  final Map<Long, byte[]> memTiles = new HashMap<>();

  /** SHA-256 of each stored tile read, to name the forged one if the root does not match. */
  final Map<Long, Digest> storedTileDigests = new HashMap<>();

  final List<Finding> findings = new ArrayList<>();
  final BatchCache batches;
  long size;

  /** The newest checkpoint, when one was read and fits the log; null otherwise. */
  LogCheckpoint checkpoint;

  /** False when the stored tiles do not lead to the checkpoint's root: read every batch. */
  boolean verified = true;

  private final EvidenceStore store;

  private CheckpointStart(EvidenceStore store) {
    this.store = store;
    this.batches = new BatchCache(store);
  }

  static CheckpointStart read(EvidenceStore store) throws IOException {
    CheckpointStart s = new CheckpointStart(store);
    s.readBatchKeys();
    if (s.size > 0) {
      s.readCheckpoint();
      s.build();
    }
    return s;
  }

  private void readBatchKeys() throws IOException {
    List<Long> firsts = new ArrayList<>();
    try (Stream<ObjectKey> keys = store.keys(EvidenceLedger.BATCHES)) {
      for (ObjectKey k : (Iterable<ObjectKey>) keys::iterator) {
        firsts.add(EvidenceLedger.parseIndex(k, EvidenceLedger.BATCHES, ".jsonl"));
      }
    }
    if (firsts.isEmpty()) {
      return;
    }
    if (firsts.get(0) != 0) {
      throw new LedgerException(
          "ledger batch "
              + EvidenceLedger.batchKey(firsts.get(0)).value()
              + " starts at entry "
              + firsts.get(0)
              + " but entry 0 was expected: a batch is missing");
    }
    for (int i = 0; i + 1 < firsts.size(); i++) {
      long n = firsts.get(i + 1) - firsts.get(i);
      if (n > EvidenceLedger.MAX_BATCH) {
        throw new LedgerException(
            "ledger batch "
                + EvidenceLedger.batchKey(firsts.get(i + 1)).value()
                + " starts "
                + EntryCount.of(n)
                + " after the one before it, more than a batch holds: a batch is missing");
      }
      batchSizes.put(firsts.get(i), (int) n);
    }
    long last = firsts.get(firsts.size() - 1);
    batchSizes.put(last, batches.lines(last).size());
    size = last + batchSizes.get(last);
  }

  /** The newest checkpoint by name, if it can be read and is not larger than the log. */
  private void readCheckpoint() throws IOException {
    ObjectKey newest = null;
    try (Stream<ObjectKey> keys = store.keys(EvidenceLedger.CHECKPOINTS)) {
      for (ObjectKey k : (Iterable<ObjectKey>) keys::iterator) {
        newest = k; // keys come in key order: 20-digit sizes sort numerically
      }
    }
    if (newest == null) {
      return;
    }
    LogCheckpoint cp;
    try {
      String suffix = newest.value().endsWith(".json") ? ".json" : ".note";
      long named = EvidenceLedger.parseIndex(newest, EvidenceLedger.CHECKPOINTS, suffix);
      cp = EvidenceLedger.readCheckpoint(store, newest);
      if (cp.size() != named) {
        throw new LedgerException(
            "checkpoint " + newest.value() + " states size " + cp.size() + ", not its name");
      }
    } catch (LedgerException | IllegalArgumentException e) {
      findings.add(
          Finding.of(
              LedgerFindingCode.CHECKPOINT_UNREADABLE,
              e.getMessage() + " (no tile is taken on its word: every batch is read)"));
      return;
    }
    if (cp.size() > size) {
      findings.add(
          Finding.of(
              LedgerFindingCode.ENTRIES_REMOVED,
              cp
                  + ": the log was published with "
                  + EntryCount.of(cp.size())
                  + " but now has "
                  + size
                  + " (entries were removed)"));
      return;
    }
    checkpoint = cp;
  }

  /**
   * Tiles the checkpoint covers from the store, then leaves from the batches up to the checkpoint,
   * the root check, then leaves from the batches to the end.
   */
  private void build() throws IOException {
    long c = checkpoint == null ? 0 : checkpoint.size();
    long tiles = c / TILE;
    for (long t = 0; t < tiles; t++) {
      byte[] packed = storedTile(t);
      if (packed == null) {
        packed = leavesFromBatches(t * TILE, (t + 1) * TILE);
        memTiles.put(t, packed);
      } else {
        storedTiles.add(t);
        storedTileDigests.put(t, HashAlgorithm.SHA256.hash(packed));
      }
      appendLeaves(packed);
    }
    appendLeaves(leavesFromBatches(tiles * TILE, c));
    if (checkpoint != null && !checkpoint.root().equals(Digest.of(tree.root(c)))) {
      verified = false; // EvidenceLedger reads every batch and names the tiles that differ
      return;
    }
    // after the checkpoint nothing vouches for a tile: the entries themselves are hashed
    for (long from = c; from < size; ) {
      long to = Math.min(size, (from / TILE + 1) * TILE);
      byte[] leaves = leavesFromBatches(from, to);
      if (from % TILE == 0 && to - from == TILE) {
        memTiles.put(from / TILE, leaves);
      }
      appendLeaves(leaves);
      from = to;
    }
  }

  /** The stored tile's bytes, or null (with a finding) if it is gone or has the wrong length. */
  private byte[] storedTile(long t) {
    ObjectKey k = EvidenceLedger.tileKey(t);
    String why;
    try (SeekableByteChannel ch = store.openRead(k);
        InputStream in = Channels.newInputStream(ch)) {
      byte[] b = in.readNBytes(TILE_BYTES + 1);
      if (b.length == TILE_BYTES) {
        return b;
      }
      why = "holds " + b.length + " bytes, not " + TILE_BYTES;
    } catch (NoSuchObjectException e) {
      why = "is missing";
    } catch (IOException e) {
      why = "cannot be read (" + e.getMessage() + ")";
    }
    findings.add(
        Finding.of(
            LedgerFindingCode.TILE_MISSING,
            "tile " + t + " (" + k.value() + ") " + why + ": rebuilt from its batches"));
    return null;
  }

  private void appendLeaves(byte[] packed) {
    for (int off = 0; off < packed.length; off += 32) {
      tree.append(Arrays.copyOfRange(packed, off, off + 32));
    }
  }

  /** Packed leaf hashes of entries [from, to), from their batches. */
  private byte[] leavesFromBatches(long from, long to) throws IOException {
    byte[] out = new byte[(int) (to - from) * 32];
    if (from == to) {
      return out;
    }
    for (long first : batchSizes.subMap(batchSizes.floorKey(from), true, to, false).keySet()) {
      List<byte[]> lines = batches.lines(first);
      if (lines.size() != batchSizes.get(first)) {
        throw new LedgerException(
            "ledger batch "
                + EvidenceLedger.batchKey(first).value()
                + " holds "
                + EntryCount.of(lines.size())
                + ", but the next batch starts after "
                + batchSizes.get(first));
      }
      for (int i = 0; i < lines.size(); i++) {
        long index = first + i;
        if (index >= from && index < to) {
          byte[] line = lines.get(i);
          System.arraycopy(
              hasher.leaf(line, 0, line.length), 0, out, (int) (index - from) * 32, 32);
        }
      }
    }
    return out;
  }
}
