package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerFindingCode;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog index: a snapshot plus the entries after it says what the whole ledger says,
 * reads only the batches after it, and a snapshot that does not check against the ledger is
 * refused. Expectations come from the entries appended, folded naively.
 */
class CatalogIndexTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  /** The key that signs the ledger's checkpoints and its catalog snapshots. */
  static final SigningKeys.LocalSigningKey LEDGER_KEY =
      SigningKeys.generate(SignatureSuite.ED25519);

  static final TrustAnchors TRUSTED = trusting(LEDGER_KEY);

  /** Someone else's key: a thief of a station's key, say, who can write the store. */
  static final SigningKeys.LocalSigningKey OTHER_KEY = SigningKeys.generate(SignatureSuite.ED25519);

  static TrustAnchors trusting(SigningKeys.LocalSigningKey key) {
    try {
      return TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @TempDir Path dir;

  /** Counts the objects opened for reading, by key. */
  static final class CountingStore extends ForwardingEvidenceStore {
    final EvidenceStore inner;
    final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();

    CountingStore(EvidenceStore inner) {
      super(inner);
      this.inner = inner;
    }

    int reads(String prefix) {
      return reads.entrySet().stream()
          .filter(e -> e.getKey().startsWith(prefix))
          .mapToInt(e -> e.getValue().get())
          .sum();
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

  private static LedgerEntry sealed(String key, String digest) {
    return LedgerEntry.builder()
        .type(EntryType.SEALED)
        .time(CLOCK.instant())
        .actor("station-1")
        .subject(key)
        .payloadDigest(digest)
        .build();
  }

  private static LedgerEntry disposed(String key) {
    return LedgerEntry.builder()
        .type(EntryType.DISPOSED)
        .time(CLOCK.instant())
        .actor("officer-1")
        .subject(key)
        .payloadDigest("00".repeat(32))
        .build();
  }

  private static String digest(long n) {
    return String.format("%064x", n);
  }

  /**
   * The naive model: every entry of the ledger folded in order, a recording keeping its first
   * {@code sealed} entry until it is disposed of (a later one logs a substitute, R-07).
   */
  private static SortedMap<String, CatalogIndex.Row> fullRead(EvidenceLedger ledger)
      throws IOException {
    SortedMap<String, CatalogIndex.Row> out = new TreeMap<>();
    List<LedgerEntry> all = ledger.entries();
    for (int i = 0; i < all.size(); i++) {
      LedgerEntry e = all.get(i);
      if (e.type().equals(EntryType.SEALED)) {
        out.putIfAbsent(e.subject(), new CatalogIndex.Row(i, e.payloadDigest().orElseThrow()));
      } else if (e.type().equals(EntryType.DISPOSED)) {
        out.remove(e.subject());
      }
    }
    return out;
  }

  /**
   * The naive model of the disposed recordings' sealed entries: for each recording whose last entry
   * is a disposal, the first {@code sealed} entry after the disposal before the one that removed
   * it, if any, and before that one.
   */
  private static SortedMap<String, CatalogIndex.Row> fullReadDisposed(EvidenceLedger ledger)
      throws IOException {
    SortedMap<String, CatalogIndex.Row> out = new TreeMap<>();
    List<LedgerEntry> all = ledger.entries();
    Map<String, Integer> lastDisposal = new java.util.HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      LedgerEntry e = all.get(i);
      if (e.type().equals(EntryType.SEALED)) {
        lastDisposal.remove(e.subject());
      } else if (e.type().equals(EntryType.DISPOSED)) {
        lastDisposal.put(e.subject(), i);
      }
    }
    lastDisposal.forEach(
        (key, at) -> {
          // walk back from the disposal: the sealed entries since the disposal before it
          CatalogIndex.Row first = null;
          boolean closed = false;
          for (int i = at - 1; i >= 0 && !closed; i--) {
            LedgerEntry e = all.get(i);
            if (!key.equals(e.subject())) {
              continue;
            }
            if (e.type().equals(EntryType.SEALED)) {
              first = new CatalogIndex.Row(i, e.payloadDigest().orElseThrow());
            } else if (e.type().equals(EntryType.DISPOSED) && first != null) {
              closed = true;
            }
          }
          if (first != null) {
            out.put(key, first);
          }
        });
    return out;
  }

  /** {@code batches} batches of {@code per} sealed entries for keys {@code rec-n}. */
  private static void appendBatches(EvidenceLedger ledger, int batches, int per, int firstKey)
      throws IOException {
    int n = firstKey;
    for (int b = 0; b < batches; b++) {
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = 0; i < per; i++, n++) {
        batch.add(sealed(String.format("cam/rec-%06d.mp4", n), digest(n)));
      }
      ledger.appendAll(batch);
    }
  }

  @Test
  void aReadAfterNewEntriesReadsTheSnapshotAndOnlyTheNewBatches() throws IOException {
    try (CountingStore store =
        new CountingStore(FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK))) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 40, 50, 0);
      assertEquals(OptionalLong.of(2000), CatalogIndex.write(store, ledger, 1, LEDGER_KEY));
      appendBatches(ledger, 2, 30, 1990); // ten of them seal existing keys again
      ledger = EvidenceLedger.open(store, CLOCK);
      store.reads.clear();

      CatalogIndex index = CatalogIndex.read(store, ledger, TRUSTED);

      assertEquals(OptionalLong.of(2000), index.snapshot());
      assertEquals(60, index.entriesRead());
      assertEquals(List.of(), index.refused());
      assertEquals(1, store.reads("catalog/"));
      // at most once each: a ledger that read them itself still holds them parsed (RECENT)
      int newBatchReads =
          store.reads("ledger/batches/00000000000000002000")
              + store.reads("ledger/batches/00000000000000002030");
      assertTrue(newBatchReads <= 2, newBatchReads + " reads of the two new batches");
      // signed by the ledger's key, the snapshot is taken as it is: no old batch is read
      assertEquals(0, store.reads("ledger/batches/") - newBatchReads, store.reads.toString());
      assertEquals(fullRead(ledger), index.recordings());
    }
  }

  /**
   * Opened from a checkpoint, the ledger and the catalog together read the tiles and the batches
   * after the snapshot (once): none of the batches the snapshot covers.
   */
  @Test
  void aLightOpenAndAReadCostTheNewBatchesAndTheTiles() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    try (CountingStore store =
        new CountingStore(FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK))) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 32, 64, 0); // 2,048 entries: 8 whole tiles
      assertEquals(OptionalLong.of(2048), CatalogIndex.write(store, ledger, 1, LEDGER_KEY));
      ledger.checkpoint(key);
      appendBatches(ledger, 2, 30, 2040); // eight of them seal existing keys again
      SortedMap<String, CatalogIndex.Row> truth = fullRead(ledger);
      store.reads.clear();

      EvidenceLedger light = EvidenceLedger.openFromCheckpoint(store, CLOCK);
      CatalogIndex index = CatalogIndex.read(store, light, TRUSTED);

      assertEquals(List.of(), light.openFindings());
      assertEquals(OptionalLong.of(2048), index.snapshot());
      assertEquals(List.of(), index.refused());
      assertEquals(truth, index.recordings());
      assertEquals(8, store.reads("ledger/tiles/"), "one read per tile the checkpoint covers");
      assertEquals(1, store.reads("ledger/batches/00000000000000002048"));
      assertEquals(1, store.reads("ledger/batches/00000000000000002078"));
      assertEquals(2, store.reads("ledger/batches/"), "no batch the snapshot covers");
    }
  }

  /** A forged tile and a forged snapshot at once: both refused and named, the index still right. */
  @Test
  void aForgedTileAndAForgedSnapshotAreRefusedAndNamed() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 8, 64, 0);
      assertEquals(OptionalLong.of(512), CatalogIndex.write(store, ledger, 1, LEDGER_KEY));
      appendBatches(ledger, 8, 64, 512);
      ledger.checkpoint(key);
      SortedMap<String, CatalogIndex.Row> truth = fullRead(ledger);
      // rows that hide a substituted seal, under the right root, signed by another key
      SortedMap<String, CatalogIndex.Row> forged = new TreeMap<>();
      truth.forEach(
          (k, r) -> forged.put(k, new CatalogIndex.Row(r.index(), digest(r.index() + 7))));
      plant(store, 1024, CatalogIndex.format(1024, ledger.root(1024).hex(), forged, OTHER_KEY));
      ObjectKey tile = ObjectKey.of("ledger/tiles/00000000000000000001.bin");
      byte[] bytes;
      try (SeekableByteChannel ch = store.openRead(tile)) {
        bytes = java.nio.channels.Channels.newInputStream(ch).readAllBytes();
      }
      bytes[0] ^= 1;
      store.delete(tile);
      try (WritableObject w = store.create(tile)) {
        w.write(ByteBuffer.wrap(bytes));
        w.commit();
      }

      EvidenceLedger light = EvidenceLedger.openFromCheckpoint(store, CLOCK);
      CatalogIndex index = CatalogIndex.read(store, light, TRUSTED);

      assertEquals(truth, index.recordings());
      assertEquals(OptionalLong.of(512), index.snapshot());
      assertEquals(1, index.refused().size(), index.refused().toString());
      assertTrue(
          index
              .refused()
              .get(0)
              .startsWith("catalog/00000000000000001024.tsv: not signed by a trusted ledger key"),
          index.refused().get(0));
      assertEquals(1, light.openFindings().size(), light.openFindings().toString());
      assertEquals(LedgerFindingCode.TILE_MISMATCH, light.openFindings().get(0).code());
      assertTrue(light.openFindings().get(0).message().contains("tile 1 "));
    }
  }

  @Test
  void withoutSnapshotEveryBatchIsReadAndAWriteBelowTheThresholdWritesNothing() throws IOException {
    try (CountingStore store =
        new CountingStore(FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK))) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 3, 10, 0);
      assertEquals(OptionalLong.empty(), CatalogIndex.write(store, ledger, 31, LEDGER_KEY));
      ledger = EvidenceLedger.open(store, CLOCK); // the write's read left batches in its cache
      store.reads.clear();
      CatalogIndex index = CatalogIndex.read(store, ledger);
      assertEquals(OptionalLong.empty(), index.snapshot());
      assertEquals(30, index.entriesRead());
      // each batch once at most: the ledger that read them to open still holds them parsed
      assertTrue(store.reads("ledger/batches/") <= 3, store.reads.toString());
      assertEquals(fullRead(ledger), index.recordings());
      assertEquals(OptionalLong.of(30), CatalogIndex.write(store, ledger, 30, LEDGER_KEY));
      assertEquals(
          OptionalLong.empty(), CatalogIndex.write(store, ledger, 1, LEDGER_KEY), "nothing new");
      store.reads.clear();
      assertEquals(
          OptionalLong.empty(),
          CatalogIndex.read(store, ledger).snapshot(),
          "with no trusted ledger key no snapshot is believed");
      assertEquals(0, store.reads("catalog/"), "nor read");
      assertEquals(
          OptionalLong.empty(),
          CatalogIndex.read(store, ledger, trusting(OTHER_KEY)).snapshot(),
          "nor one another key is trusted for");
      assertEquals(OptionalLong.of(30), CatalogIndex.read(store, ledger, TRUSTED).snapshot());
    }
  }

  private static void plant(EvidenceStore store, long size, byte[] bytes) throws IOException {
    try (WritableObject w = store.create(CatalogIndex.key(size))) {
      w.write(ByteBuffer.wrap(bytes));
      w.commit();
    }
  }

  @Test
  void forgedStaleAndBrokenSnapshotsAreRefusedAndTheLedgerDecides() throws IOException {
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK);
        EvidenceStore other = FileSystemEvidenceStore.openOrCreate(dir.resolve("o"), CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 2, 10, 0);
      assertEquals(OptionalLong.of(20), CatalogIndex.write(store, ledger, 1, LEDGER_KEY));
      appendBatches(ledger, 1, 10, 20);
      appendBatches(ledger, 1, 10, 30);
      SortedMap<String, CatalogIndex.Row> truth = fullRead(ledger);

      // at 30: every row's seal digest replaced (a substituted archive), root left correct, signed
      // by another key
      SortedMap<String, CatalogIndex.Row> forged = new TreeMap<>();
      truth.forEach(
          (k, r) -> {
            if (r.index() < 30) {
              forged.put(k, new CatalogIndex.Row(r.index(), digest(r.index() + 1_000_000)));
            }
          });
      plant(store, 30, CatalogIndex.format(30, ledger.root(30).hex(), forged, OTHER_KEY));
      // at 40: the right rows of another ledger of the same size (stale or foreign: its root)
      EvidenceLedger foreign = EvidenceLedger.open(other, CLOCK);
      appendBatches(foreign, 4, 10, 100);
      plant(
          store,
          40,
          CatalogIndex.format(40, foreign.root(40).hex(), fullRead(foreign), LEDGER_KEY));
      // at 35: the right root, but no batch ends there
      plant(store, 35, CatalogIndex.format(35, ledger.root(35).hex(), new TreeMap<>(), LEDGER_KEY));
      // at 25: not a snapshot at all; at 39: content naming another size
      plant(store, 25, "{\"recordings\": []}".getBytes(StandardCharsets.UTF_8));
      plant(store, 39, CatalogIndex.format(20, ledger.root(20).hex(), new TreeMap<>(), LEDGER_KEY));

      CatalogIndex index = CatalogIndex.read(store, ledger, TRUSTED);

      assertEquals(truth, index.recordings());
      assertEquals(OptionalLong.of(20), index.snapshot(), "the newest one that checks");
      assertEquals(20, index.entriesRead());
      List<String> refused = index.refused();
      assertEquals(5, refused.size(), refused.toString());
      assertTrue(refused.get(0).startsWith("catalog/00000000000000000040.tsv: ledger root"));
      assertTrue(refused.get(1).contains("its name says ledger size 39, its content 20"));
      assertTrue(
          refused.get(2).contains("00000000000000000035") && refused.get(2).contains("batch"));
      assertTrue(
          refused.get(3).contains("00000000000000000030")
              && refused.get(3).contains("not signed by a trusted ledger key"),
          refused.get(3));
      assertTrue(refused.get(4).contains("not a catalog snapshot"));
      assertFalse(CatalogIndex.audit(store, ledger, TRUSTED).isPresent());
    }
  }

  /**
   * A snapshot's signature is checked in a streaming pass before any row is parsed: a
   * large one signed by another key, whose last row would fail parsing, is refused for its
   * signature, not for the row; one with no signature line is refused for that. Before, every row
   * was parsed into memory (up to 64 KiB each, as many as the ledger has entries) and the broken
   * row named, the signature never looked at (session 15).
   */
  @Test
  void aSnapshotsSignatureIsCheckedBeforeAnyRowIsParsed() throws IOException {
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 4, 10, 0);
      SortedMap<String, CatalogIndex.Row> truth = fullRead(ledger);
      SortedMap<String, CatalogIndex.Row> big = new TreeMap<>();
      for (int i = 0; i < 39; i++) {
        big.put(
            String.format("cam/%02d-", i) + "k".repeat(CatalogIndex.MAX_LINE_BYTES - 400),
            new CatalogIndex.Row(i, digest(i)));
      }
      String other =
          new String(
              CatalogIndex.format(40, ledger.root(40).hex(), big, OTHER_KEY),
              StandardCharsets.UTF_8);
      int end = other.indexOf("\nend\t") + 1;
      plant(
          store,
          40,
          (other.substring(0, end) + "a row that does not parse\n" + other.substring(end))
              .getBytes(StandardCharsets.UTF_8));
      String unsigned =
          new String(
              CatalogIndex.format(30, ledger.root(30).hex(), new TreeMap<>(), LEDGER_KEY),
              StandardCharsets.UTF_8);
      plant(
          store,
          30,
          (unsigned.substring(0, unsigned.indexOf("signature\t")) + "broken\trow\n")
              .getBytes(StandardCharsets.UTF_8));

      CatalogIndex index = CatalogIndex.read(store, ledger, TRUSTED);

      assertEquals(truth, index.recordings(), "the ledger decides");
      assertEquals(OptionalLong.empty(), index.snapshot());
      List<String> refused = index.refused();
      assertEquals(2, refused.size(), refused.toString());
      assertTrue(
          refused
              .get(0)
              .startsWith(
                  "catalog/00000000000000000040.tsv: not signed by a trusted ledger key (signer "),
          refused.get(0));
      assertEquals(
          "catalog/00000000000000000030.tsv: not a catalog snapshot: no signature line: its last"
              + " line is not one",
          refused.get(1));
    }
  }

  /** Makes the stored content of snapshot {@code size} a sparse file of {@code length} bytes. */
  private static void extend(Path storeDir, long size, long length) throws IOException {
    String name = CatalogIndex.key(size).value().substring(CatalogIndex.PREFIX.length());
    Path content;
    try (Stream<Path> s = Files.walk(storeDir)) {
      content =
          s.filter(p -> p.endsWith(Path.of(name + ".o", "content"))).findFirst().orElseThrow();
    }
    content.toFile().setWritable(true);
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(content.toFile(), "rw")) {
      f.setLength(length);
    }
  }

  /**
   * A hostile snapshot is refused having read no more than its lines' and rows' bounds allow: a
   * file larger than a ledger of its size can justify (refused unread), one with no header, a line
   * longer than any ledger entry, more rows than the ledger size it names. Read whole, a 4 GiB one
   * was an OutOfMemoryError.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
  void oversizedSnapshotsAreRefusedUnreadNotLoadedWhole() throws IOException {
    Path root = dir.resolve("s");
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 4, 10, 0);
      SortedMap<String, CatalogIndex.Row> truth = fullRead(ledger);
      // at 40: the right snapshot, then 4 GiB (sparse) after its end line
      plant(store, 40, CatalogIndex.format(40, ledger.root(40).hex(), truth, LEDGER_KEY));
      extend(root, 40, 4L << 30);
      // at 30: 4 GiB of zeros, no line break anywhere
      plant(store, 30, new byte[] {0});
      extend(root, 30, 4L << 30);
      // at 20: more rows than a ledger of 20 entries can have
      SortedMap<String, CatalogIndex.Row> many = new TreeMap<>();
      for (int i = 0; i < 21; i++) {
        many.put("cam/extra-" + i, new CatalogIndex.Row(i % 20, digest(i)));
      }
      plant(store, 20, CatalogIndex.format(20, ledger.root(20).hex(), many, LEDGER_KEY));
      // at 10: a row longer than any ledger entry could make
      SortedMap<String, CatalogIndex.Row> longRow = new TreeMap<>();
      longRow.put("k".repeat(CatalogIndex.MAX_LINE_BYTES), new CatalogIndex.Row(0, digest(0)));
      plant(store, 10, CatalogIndex.format(10, ledger.root(10).hex(), longRow, LEDGER_KEY));

      CatalogIndex index = CatalogIndex.read(store, ledger, TRUSTED);

      assertEquals(truth, index.recordings(), "the ledger decides");
      assertEquals(OptionalLong.empty(), index.snapshot());
      List<String> refused = index.refused();
      assertEquals(4, refused.size(), refused.toString());
      String bound = String.valueOf(CatalogIndex.MAX_LINE_BYTES);
      // a file larger than a ledger of its size can justify is refused before it is read
      String tooLarge =
          ": not a catalog snapshot: 4294967296 bytes, more than a snapshot of its ledger size can"
              + " be (";
      assertTrue(
          refused.get(0).startsWith("catalog/00000000000000000040.tsv" + tooLarge), refused.get(0));
      assertEquals(
          "catalog/00000000000000000030.tsv: not a catalog snapshot: no 'evidencekit-catalog 6'"
              + " header",
          refused.get(1));
      assertTrue(
          refused.get(2).startsWith("catalog/00000000000000000020.tsv: ")
              && refused.get(2).contains("more than the 20 rows"),
          refused.get(2));
      assertTrue(
          refused.get(3).startsWith("catalog/00000000000000000010.tsv: ")
              && refused.get(3).contains("line 4 is longer than " + bound + " bytes"),
          refused.get(3));
    }
  }

  /**
   * The key's holder is trusted, not infallible: a snapshot it signed that leaves a recording out
   * is taken, and the audit, a fold of the whole ledger, names what it left out.
   */
  @Test
  void anAuditHoldsTheKeyHolderToWhatItSigned() throws IOException {
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 1, 1000, 0);
      SortedMap<String, CatalogIndex.Row> rows = fullRead(ledger);
      rows.remove("cam/rec-000500.mp4");
      plant(store, 1000, CatalogIndex.format(1000, ledger.root(1000).hex(), rows, LEDGER_KEY));
      assertEquals(OptionalLong.of(1000), CatalogIndex.read(store, ledger, TRUSTED).snapshot());
      assertEquals(
          "cam/rec-000500.mp4: the ledger says Row[index=500, sealDigest="
              + digest(500)
              + "], the index null",
          CatalogIndex.audit(store, ledger, TRUSTED).orElseThrow());
    }
  }

  /**
   * Any history of seals, re-seals and disposals in batches, with snapshots written at any points:
   * the index equals the naive fold of the whole ledger.
   */
  @Property(tries = 25)
  void theIndexEqualsTheFullLedgerRead(
      @ForAll @IntRange(min = 1, max = 12) int batches,
      @ForAll @IntRange(min = 1, max = 40) int per,
      @ForAll long seed)
      throws IOException {
    Path root = Files.createTempDirectory("catalog-prop");
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, CLOCK)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      Random r = new Random(seed);
      long n = 0;
      for (int b = 0; b < batches; b++) {
        List<LedgerEntry> batch = new ArrayList<>();
        int size = 1 + r.nextInt(per);
        for (int i = 0; i < size; i++, n++) {
          String key = "k/" + r.nextInt(20);
          batch.add(r.nextInt(4) == 0 ? disposed(key) : sealed(key, digest(n)));
        }
        ledger.appendAll(batch);
        if (r.nextInt(3) == 0) {
          CatalogIndex.write(store, ledger, 1 + r.nextInt(2 * per), LEDGER_KEY);
        }
        CatalogIndex index = CatalogIndex.read(store, ledger, TRUSTED);
        assertEquals(fullRead(ledger), index.recordings());
        assertEquals(fullReadDisposed(ledger), index.disposedSeals());
        assertEquals(List.of(), index.refused());
        assertEquals(ledger.size(), index.ledgerSize());
      }
    } finally {
      try (Stream<Path> s = Files.walk(root)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
