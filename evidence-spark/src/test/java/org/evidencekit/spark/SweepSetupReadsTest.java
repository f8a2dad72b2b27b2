package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the sweep's driver reads before any executor starts: over a ledger of a few thousand
 * entries in 33 batches with a catalog snapshot and a checkpoint, the batches after them and the
 * sample's, not the ledger. With a forged tile, a forged snapshot and a deleted tile the results
 * are still those of the single-process sweep, and each refusal is named.
 */
class SweepSetupReadsTest {
  @AfterAll
  static void stop() {
    TestSpark.stop();
  }

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  /** Reads of object bytes by key, by every store the openers opened (driver and executors). */
  static final Map<String, AtomicInteger> READS = new ConcurrentHashMap<>();

  @TempDir Path dir;

  /** Counts {@code openRead} by key into {@link #READS}. */
  static final class CountingStore extends ForwardingEvidenceStore {
    private final EvidenceStore inner;

    CountingStore(EvidenceStore inner) {
      super(inner);
      this.inner = inner;
    }

    @Override
    public SeekableByteChannel openRead(ObjectKey key) throws IOException {
      READS.computeIfAbsent(key.value(), k -> new AtomicInteger()).incrementAndGet();
      return inner.openRead(key);
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }

  private static Map<String, Integer> reads(String prefix) {
    Map<String, Integer> out = new TreeMap<>();
    READS.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k, v.get());
          }
        });
    return out;
  }

  private static String batch(long first) {
    return String.format(Locale.ROOT, "ledger/batches/%020d.jsonl", first);
  }

  private static ObjectKey tile(long t) {
    return ObjectKey.of(String.format(Locale.ROOT, "ledger/tiles/%020d.bin", t));
  }

  private static LedgerEntry viewed(int i) {
    return LedgerEntry.builder()
        .type(EntryType.VIEWED)
        .time(CLOCK.instant())
        .actor("officer-" + (i % 5))
        .subject("cam-00/rec-00000.bin")
        .details(Map.of("reason", "review " + i))
        .build();
  }

  /**
   * The synthetic archive (its sealed entries in batch 0), then 30 batches of 100 custody entries;
   * a catalog snapshot and a checkpoint there; then 2 batches of 50.
   *
   * @return the snapshot's size
   */
  private long writeArchive(StoreOpener plain, SyntheticArchive archive) throws Exception {
    try (EvidenceStore store = plain.open()) {
      archive.write(store, 200, 2, 2);
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      int n = 0;
      for (int b = 0; b < 30; b++) {
        List<LedgerEntry> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          batch.add(viewed(n++));
        }
        ledger.appendAll(batch);
      }
      long snapshot = CatalogIndex.write(store, ledger, 1, LEDGER_KEY).orElseThrow();
      ledger.checkpoint(LEDGER_KEY);
      for (int b = 0; b < 2; b++) {
        List<LedgerEntry> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          batch.add(viewed(n++));
        }
        ledger.appendAll(batch);
      }
      return snapshot;
    }
  }

  private StoreOpener counting(Path storeDir) {
    URI uri = storeDir.toUri();
    return () -> new CountingStore(StoreOpener.uri(uri).open());
  }

  /** The key that signs the ledger's checkpoints and catalog snapshots. */
  private static final SigningKeys.LocalSigningKey LEDGER_KEY =
      SigningKeys.generate(SignatureSuite.ED25519);

  private static SweepSummary sweep(StoreOpener opener) throws IOException {
    return SparkSweep.builder()
        .store(opener)
        .clock(CLOCK)
        .actor("auditor-1")
        .ledgerKeys(TrustAnchors.ofPublicKeys(List.of(LEDGER_KEY.publicKeyDer())))
        .build()
        .run(TestSpark.session());
  }

  private static Map<String, Status> statuses(SyntheticArchive archive, SweepSummary s) {
    Map<String, Status> out = new TreeMap<>();
    archive.expected.forEach((k, v) -> out.put(k, Status.OK));
    s.problems().forEach(r -> out.put(r.key(), r.status()));
    return out;
  }

  @Test
  void theDriverReadsTheBatchesAfterTheSnapshotOnly() throws Exception {
    Path storeDir = dir.resolve("store");
    Files.createDirectories(storeDir);
    SyntheticArchive archive = new SyntheticArchive(CLOCK);
    long snapshot = writeArchive(StoreOpener.uri(storeDir.toUri()), archive);
    long size;
    List<Long> firsts = new ArrayList<>();
    try (EvidenceStore store = StoreOpener.uri(storeDir.toUri()).open()) {
      size = EvidenceLedger.open(store, CLOCK).size();
      try (Stream<ObjectKey> keys = store.keys("ledger/batches/")) {
        keys.forEach(k -> firsts.add(Long.parseLong(k.value().substring(15, 35))));
      }
    }
    assertEquals(33, firsts.size(), "the sealed entries, 30 custody batches, 2 after");
    READS.clear();

    SweepSummary s = sweep(counting(storeDir));

    assertEquals(archive.expected, statuses(archive, s));
    assertEquals(List.of(), s.notes());
    assertTrue(s.ledgerIntact());
    // the checkpoint's tiles end at entry 256 * floor(snapshot / 256); the batches from the one
    // holding that entry to the end are hashed and folded once; the snapshot's rows, signed by the
    // ledger's key, are taken as they are: batch 0, where every row sits, is not read
    long tilesEnd = snapshot / 256 * 256;
    Set<String> want = new TreeSet<>();
    for (int i = 0; i < firsts.size(); i++) {
      long end = i + 1 < firsts.size() ? firsts.get(i + 1) : size;
      if (end > tilesEnd) {
        want.add(batch(firsts.get(i)));
      }
    }
    Map<String, Integer> batches = reads("ledger/batches/");
    assertEquals(want, batches.keySet(), "of 33 batches");
    assertTrue(batches.values().stream().allMatch(n -> n == 1), batches.toString());
    assertTrue(want.size() <= 6, want.toString());
    assertEquals(snapshot / 256, reads("ledger/tiles/").size(), "each tile the checkpoint covers");
    assertEquals(Map.of(CatalogIndexKey.of(snapshot), 1), reads("catalog/"));
  }

  @Test
  void forgedAndMissingDerivedDataIsRefusedNamedAndTheResultsStand() throws Exception {
    Path storeDir = dir.resolve("store");
    Files.createDirectories(storeDir);
    SyntheticArchive archive = new SyntheticArchive(CLOCK);
    StoreOpener plain = StoreOpener.uri(storeDir.toUri());
    long snapshot = writeArchive(plain, archive);
    Map<String, Status> single;
    try (EvidenceStore store = plain.open()) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      // a snapshot under the right root whose rows name other seals (a substituted archive)
      SortedMap<String, CatalogIndex.Row> rows = new TreeMap<>();
      CatalogIndex.read(store, ledger)
          .recordings()
          .forEach(
              (k, r) ->
                  rows.put(
                      k,
                      new CatalogIndex.Row(
                          r.index(),
                          HashAlgorithm.SHA256.hash(k.getBytes(StandardCharsets.UTF_8)).hex())));
      long at = ledger.size();
      try (WritableObject w = store.create(ObjectKey.of(CatalogIndexKey.of(at)))) {
        w.write(java.nio.ByteBuffer.wrap(CatalogIndexKey.format(at, ledger.root(at).hex(), rows)));
        w.commit();
      }
      byte[] forged = read(store, tile(2));
      forged[5] ^= 1;
      store.delete(tile(2));
      SyntheticArchive.put(store, tile(2).value(), forged);
      single = TestSpark.statuses(EvidenceArchive.open(store, CLOCK).sweep(null));
      store.delete(tile(4)); // after the full open above, which stores missing tiles again
    }
    assertEquals(archive.expected, single, "the single-process sweep, catalog objects skipped");

    SweepSummary s = sweep(plain);

    assertEquals(single, statuses(archive, s), "the Spark sweep agrees");
    assertTrue(s.ledgerIntact(), "derived data was forged, not the entries");
    List<String> notes = s.notes();
    assertTrue(
        notes.stream().anyMatch(n -> n.startsWith("LEDGER_TILE_MISMATCH: tile 2 ")),
        notes.toString());
    assertTrue(
        notes.stream().anyMatch(n -> n.startsWith("LEDGER_TILE_MISSING: tile 4 ")),
        notes.toString());
    assertTrue(
        notes.stream()
            .anyMatch(
                n ->
                    n.startsWith(
                        "catalog snapshot refused: " + CatalogIndexKey.of(snapshot + 100))),
        notes.toString());
    assertFalse(s.clean(), "the archive's own damage is still found");
  }

  private static byte[] read(EvidenceStore store, ObjectKey k) throws IOException {
    try (SeekableByteChannel ch = store.openRead(k);
        InputStream in = Channels.newInputStream(ch)) {
      return in.readAllBytes();
    }
  }
}
