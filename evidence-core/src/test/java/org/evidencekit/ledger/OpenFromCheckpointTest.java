package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.verify.Finding;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EvidenceLedger#openFromCheckpoint}: the same log as {@link
 * EvidenceLedger#open}, counted in reads: the tiles the newest checkpoint covers and the batches
 * after it, never the batches before; a forged, missing or disowned tile is named and the log is
 * still right. Expectations come from the entries appended and a full open.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenFromCheckpointTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T02:00:00Z"), ZoneOffset.UTC);
  private static final int BATCH = 100;
  private static final int AT_CHECKPOINT = 2500;
  private static final int SIZE = 3000;

  private InMemoryEvidenceStore inner;
  private CountingStore store;
  private final SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);

  /** Counts the objects opened for reading, by key. */
  static final class CountingStore extends ForwardingEvidenceStore {
    final EvidenceStore inner;
    final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

    CountingStore(EvidenceStore inner) {
      super(inner);
      this.inner = inner;
    }

    /** Keys read under {@code prefix}, each with how often. */
    Map<String, Integer> reads(String prefix) {
      Map<String, Integer> out = new TreeMap<>();
      reads.forEach(
          (k, v) -> {
            if (k.startsWith(prefix)) {
              out.put(k, v.get());
            }
          });
      return out;
    }

    @Override
    public SeekableByteChannel openRead(ObjectKey key) throws IOException {
      reads.computeIfAbsent(key.value(), k -> new AtomicInteger()).incrementAndGet();
      return inner.openRead(key);
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }

  static LedgerEntry entry(int i) {
    return LedgerEntry.builder()
        .type(i % 3 == 0 ? EntryType.SEALED : EntryType.VIEWED)
        .time(Instant.parse("2026-03-01T01:00:00Z").plusSeconds(i))
        .actor("officer-" + (i % 7))
        .subject("cam/rec-" + (i / 3) + ".mp4")
        .payloadDigest(HashAlgorithm.SHA256.hash(new byte[] {(byte) i, (byte) (i >> 8)}).hex())
        .build();
  }

  /** 3,000 entries in batches of 100, a checkpoint at 2,500. */
  @BeforeEach
  void writeLog() throws IOException {
    inner = new InMemoryEvidenceStore(CLOCK);
    store = new CountingStore(inner);
    EvidenceLedger l = EvidenceLedger.open(inner, CLOCK);
    for (int from = 0; from < SIZE; from += BATCH) {
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = from; i < from + BATCH; i++) {
        batch.add(entry(i));
      }
      l.appendAll(batch);
      if (l.size() == AT_CHECKPOINT) {
        l.checkpoint(key);
      }
    }
  }

  /** The batch keys that hold entries {@code [from, to)}. */
  private static Set<String> batchesOf(long from, long to) {
    Set<String> out = new TreeSet<>();
    for (long first = from / BATCH * BATCH; first < to; first += BATCH) {
      out.add(EvidenceLedger.batchKey(first).value());
    }
    return out;
  }

  private static Set<String> codes(EvidenceLedger l) {
    return l.openFindings().stream().map(Finding::code).collect(Collectors.toSet());
  }

  private void sameLogAsAFullOpen(EvidenceLedger light) throws IOException {
    EvidenceLedger full = EvidenceLedger.open(inner, CLOCK);
    assertEquals(full.size(), light.size());
    for (long s : new long[] {1, 255, 256, 257, 1000, 2304, AT_CHECKPOINT, 2999, SIZE}) {
      assertEquals(full.root(s), light.root(s), "root at " + s);
    }
    assertTrue(light.proveInclusion(777, SIZE).verify(entry(777)));
    assertTrue(light.proveInclusion(2900, SIZE).verify(entry(2900)));
    assertTrue(light.proveConsistency(1000, SIZE).verify());
  }

  @Test
  void readsTheCoveredTilesAndOnlyTheBatchesAfterThem() throws IOException {
    EvidenceLedger l = EvidenceLedger.openFromCheckpoint(store, CLOCK);
    assertEquals(SIZE, l.size());
    assertEquals(List.of(), l.openFindings());
    // tiles 0-8 cover entries 0-2303, the checkpoint's 2,500 entries end inside tile 9
    Map<String, Integer> tiles = store.reads(EvidenceLedger.TILES);
    assertEquals(9, tiles.size(), tiles.toString());
    assertTrue(tiles.values().stream().allMatch(n -> n == 1), tiles.toString());
    Map<String, Integer> batches = store.reads(EvidenceLedger.BATCHES);
    assertEquals(batchesOf(2304, SIZE), batches.keySet(), "only the batches after tile 8");
    assertTrue(batches.values().stream().allMatch(n -> n == 1), "each read once " + batches);

    // entries after the checkpoint come from the batches already read
    List<Long> indexes = new ArrayList<>();
    l.forEachEntry(
        2400,
        SIZE,
        (e, i) -> {
          assertEquals(entry((int) i), e);
          indexes.add(i);
        });
    assertEquals(SIZE - 2400, indexes.size());
    assertEquals(entry(2950), l.entry(2950));
    assertEquals(batchesOf(2304, SIZE), store.reads(EvidenceLedger.BATCHES).keySet());
    assertEquals(entry(12), l.entry(12));
    assertEquals(
        batchesOf(0, 1).size() + batchesOf(2304, SIZE).size(),
        store.reads(EvidenceLedger.BATCHES).size(),
        "one more batch for an entry before the checkpoint");
    sameLogAsAFullOpen(l);
  }

  @Test
  void appendsAndConditionsWorkAfterALightOpen() throws IOException {
    EvidenceLedger l = EvidenceLedger.openFromCheckpoint(store, CLOCK);
    assertEquals(SIZE, l.append(entry(SIZE)));
    // a condition needs every entry's index: it is built on first use
    OptionalLong again =
        l.appendIf(entry(SIZE + 3), v -> v.sealedIndex("cam/rec-1000.mp4").isEmpty());
    assertTrue(again.isEmpty(), "entry 3000 sealed rec-1000 already");
    assertEquals(OptionalLong.of(SIZE - 3), l.view().sealedIndex("cam/rec-999.mp4"));
    LogCheckpoint cp = l.checkpoint(key);
    EvidenceLedger full = EvidenceLedger.open(inner, CLOCK);
    assertEquals(SIZE + 1, full.size());
    assertEquals(full.root(), cp.root());
    assertEquals(entry(SIZE), full.entry(SIZE));
  }

  @Test
  void aForgedTileIsRefusedNamedAndTheLogStillRight() throws IOException {
    ObjectKey tile = EvidenceLedger.tileKey(3);
    byte[] forged = read(tile);
    forged[100] ^= 1;
    inner.delete(tile);
    ChannelIo.put(inner, tile, forged);

    EvidenceLedger l = EvidenceLedger.openFromCheckpoint(store, CLOCK);
    List<Finding> f = l.openFindings();
    assertEquals(1, f.size(), f.toString());
    assertEquals(LedgerFindingCode.TILE_MISMATCH, f.get(0).code());
    assertTrue(f.get(0).message().contains("tile 3 "), f.get(0).message());
    sameLogAsAFullOpen(l);
    assertEquals(entry(12), l.entry(12));
  }

  @Test
  void aDeletedTileIsRebuiltFromItsBatchesOnly() throws IOException {
    inner.delete(EvidenceLedger.tileKey(5)); // entries 1280-1535
    EvidenceLedger l = EvidenceLedger.openFromCheckpoint(store, CLOCK);
    assertEquals(Set.of(LedgerFindingCode.TILE_MISSING), codes(l));
    assertTrue(l.openFindings().get(0).message().contains("tile 5 "));
    Set<String> want = new TreeSet<>(batchesOf(1280, 1536));
    want.addAll(batchesOf(2304, SIZE));
    assertEquals(want, store.reads(EvidenceLedger.BATCHES).keySet());
    sameLogAsAFullOpen(l);
  }

  @Test
  void entriesAlteredTogetherWithTheirTileAreARootMismatch() throws IOException {
    // rewrite batch 0 with entry 10 changed, and tile 0 to match: only the checkpoint tells
    List<byte[]> lines = EvidenceLedger.readBatch(inner, 0);
    LedgerEntry altered =
        LedgerEntry.builder()
            .type(EntryType.SEALED)
            .time(entry(10).time())
            .actor("someone-else")
            .subject(entry(10).subject())
            .build();
    lines.set(10, altered.canonical());
    StringBuilder batch = new StringBuilder();
    for (byte[] line : lines) {
      batch.append(new String(line, StandardCharsets.UTF_8)).append('\n');
    }
    replace(EvidenceLedger.batchKey(0), batch.toString().getBytes(StandardCharsets.UTF_8));
    byte[] tile = read(EvidenceLedger.tileKey(0));
    byte[] leafInput = new byte[lines.get(10).length + 1];
    System.arraycopy(lines.get(10), 0, leafInput, 1, lines.get(10).length);
    System.arraycopy(HashAlgorithm.SHA256.hash(leafInput).toByteArray(), 0, tile, 10 * 32, 32);
    replace(EvidenceLedger.tileKey(0), tile);

    EvidenceLedger l = EvidenceLedger.openFromCheckpoint(store, CLOCK);
    assertEquals(Set.of(LedgerFindingCode.ROOT_MISMATCH), codes(l), l.openFindings().toString());
    assertEquals(altered, l.entry(10), "the batches are the log; the finding says they changed");
    assertEquals(EvidenceLedger.open(inner, CLOCK).root(), l.root());
  }

  @Test
  void aBatchThatLostEntriesIsRefusedWhenItsEntriesAreRead() throws IOException {
    // the tiles still vouch for the log; the batch itself is what a read must not skip over
    List<byte[]> lines = EvidenceLedger.readBatch(inner, 1000);
    StringBuilder shorter = new StringBuilder();
    for (byte[] line : lines.subList(0, lines.size() - 1)) {
      shorter.append(new String(line, StandardCharsets.UTF_8)).append('\n');
    }
    replace(EvidenceLedger.batchKey(1000), shorter.toString().getBytes(StandardCharsets.UTF_8));
    EvidenceLedger l = EvidenceLedger.openFromCheckpoint(store, CLOCK);
    assertEquals(SIZE, l.size());
    LedgerException e =
        assertThrows(LedgerException.class, () -> l.forEachEntry(900, 1200, (x, i) -> {}));
    assertTrue(e.getMessage().contains(EvidenceLedger.batchKey(1000).value()), e.getMessage());
    assertThrows(LedgerException.class, () -> l.entry(1001));
    assertThrows(java.io.UncheckedIOException.class, () -> l.view().sealedIndex("x"));
  }

  @Test
  void withoutACheckpointEveryBatchIsRead() throws IOException {
    // a checkpoint is kept for good: gone only by an insider's hand underneath the store
    inner.removeBehindTheStore(EvidenceLedger.checkpointKey(AT_CHECKPOINT));
    EvidenceLedger l = EvidenceLedger.openFromCheckpoint(store, CLOCK);
    assertEquals(List.of(), l.openFindings());
    assertEquals(batchesOf(0, SIZE), store.reads(EvidenceLedger.BATCHES).keySet());
    assertEquals(Map.of(), store.reads(EvidenceLedger.TILES), "no tile is taken on trust");
    sameLogAsAFullOpen(l);
  }

  /**
   * Batches and checkpoints are records kept for good: no deletion through the store,
   * even long after every recording's retention; tiles are derived and may be replaced.
   */
  @Test
  void batchesAndCheckpointsAreKeptForGoodTilesAreNot() throws IOException {
    List<ObjectInfo> batches = inner.list(EvidenceLedger.BATCHES).toList();
    assertEquals(SIZE / BATCH, batches.size());
    for (ObjectInfo o : batches) {
      assertEquals(PermanentRecords.FOREVER, o.retainUntil().orElse(null), o.toString());
      assertThrows(RetentionLockedException.class, () -> inner.delete(o.key()), o.toString());
    }
    ObjectInfo cp = inner.stat(EvidenceLedger.checkpointKey(AT_CHECKPOINT));
    assertEquals(PermanentRecords.FOREVER, cp.retainUntil().orElse(null), cp.toString());
    assertThrows(RetentionLockedException.class, () -> inner.delete(cp.key()));
    List<ObjectInfo> tiles = inner.list(EvidenceLedger.TILES).toList();
    assertFalse(tiles.isEmpty());
    for (ObjectInfo o : tiles) {
      assertTrue(o.retainUntil().isEmpty(), o.toString());
    }
  }

  @Test
  void anEmptyStoreIsAnEmptyLedger() throws IOException {
    EvidenceLedger l = EvidenceLedger.openFromCheckpoint(new InMemoryEvidenceStore(CLOCK), CLOCK);
    assertEquals(0, l.size());
    assertFalse(l.view().latestTime().isPresent());
  }

  private byte[] read(ObjectKey k) throws IOException {
    try (SeekableByteChannel ch = inner.openRead(k);
        InputStream in = Channels.newInputStream(ch)) {
      return in.readAllBytes();
    }
  }

  /** As an insider underneath the store would: batches are kept for good through its API. */
  private void replace(ObjectKey k, byte[] bytes) throws IOException {
    inner.removeBehindTheStore(k);
    ChannelIo.put(inner, k, bytes);
  }
}
