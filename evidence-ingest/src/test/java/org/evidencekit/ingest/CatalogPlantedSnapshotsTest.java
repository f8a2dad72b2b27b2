package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshot names planted in {@code catalog/} cost a reader a bounded amount however many there are
 * at most {@link CatalogIndex#MAX_TRIED} are read and refused before the ledger decides,
 * and a name whose number is past any ledger size is ignored rather than failing every read. The
 * planted names exist only in the store's listing; each read of one finds it gone.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CatalogPlantedSnapshotsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  /**
   * A store whose listings of {@code catalog/} hold the {@code planted} names after its own; counts
   * the snapshots opened.
   */
  static final class PlantingStore extends ForwardingStore {
    final Supplier<Stream<String>> planted;
    final AtomicInteger catalogReads = new AtomicInteger();

    PlantingStore(Path root, Supplier<Stream<String>> planted) throws IOException {
      super(FileSystemEvidenceStore.openOrCreate(root, CLOCK));
      this.planted = planted;
    }

    @Override
    public SeekableByteChannel openRead(ObjectKey key) throws IOException {
      if (key.startsWith(CatalogIndex.PREFIX)) {
        catalogReads.incrementAndGet();
      }
      return super.openRead(key);
    }

    @Override
    public Stream<ObjectInfo> list(String prefix) throws IOException {
      Stream<ObjectInfo> real = super.list(prefix);
      if (!prefix.equals(CatalogIndex.PREFIX)) {
        return real;
      }
      return Stream.concat(
          real,
          planted
              .get()
              .map(
                  k ->
                      ObjectInfo.builder(ObjectKey.of(k))
                          .size(100)
                          .createdAt(CLOCK.instant())
                          .build()));
    }

    @Override
    public Stream<ObjectKey> keys(String prefix) throws IOException {
      return list(prefix).map(ObjectInfo::key);
    }
  }

  private static String name(String digits) {
    return CatalogIndex.PREFIX + digits + ".tsv";
  }

  private static String name(long size) {
    return name(String.format(Locale.ROOT, "%020d", size));
  }

  private static void appendBatches(EvidenceLedger ledger, int batches, int per, int first)
      throws IOException {
    int n = first;
    for (int b = 0; b < batches; b++) {
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = 0; i < per; i++, n++) {
        batch.add(
            LedgerEntry.builder()
                .type(EntryType.SEALED)
                .time(CLOCK.instant())
                .actor("station-1")
                .subject(String.format(Locale.ROOT, "cam/rec-%06d.mp4", n % 25))
                .payloadDigest(String.format(Locale.ROOT, "%064x", n))
                .build());
      }
      ledger.appendAll(batch);
    }
  }

  private static SortedMap<String, CatalogIndex.Row> fullRead(EvidenceLedger ledger)
      throws IOException {
    SortedMap<String, CatalogIndex.Row> out = new TreeMap<>();
    List<LedgerEntry> all = ledger.entries();
    for (int i = 0; i < all.size(); i++) {
      // a recording keeps its first sealed entry: a later one logs a substitute
      out.putIfAbsent(
          all.get(i).subject(), new CatalogIndex.Row(i, all.get(i).payloadDigest().get()));
    }
    return out;
  }

  /**
   * Names of every size up to the ledger's and a million past it: the 16 newest that could be
   * snapshots of this ledger are tried and refused, the rest are never read, and the ledger
   * decides.
   */
  @Test
  void aMillionPlantedNamesCostSixteenReadsAndTheLedgerDecides() throws IOException {
    Supplier<Stream<String>> planted =
        () ->
            Stream.concat(
                LongStream.rangeClosed(1, 39).mapToObj(CatalogPlantedSnapshotsTest::name),
                LongStream.rangeClosed(41, 1_000_040).mapToObj(CatalogPlantedSnapshotsTest::name));
    try (PlantingStore store = new PlantingStore(dir.resolve("s"), planted)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 4, 10, 0);
      store.catalogReads.set(0);

      CatalogIndex index = CatalogIndex.read(store, ledger, CatalogIndexTest.TRUSTED);

      assertEquals(fullRead(ledger), index.recordings());
      assertEquals(OptionalLong.empty(), index.snapshot());
      assertEquals(CatalogIndex.MAX_TRIED, index.refused().size(), index.refused().toString());
      assertTrue(index.refused().get(0).startsWith(name(39) + ": deleted while read"));
      assertTrue(index.refused().get(15).startsWith(name(24) + ": "));
      assertEquals(CatalogIndex.MAX_TRIED, store.catalogReads.get());
    }
  }

  /** A name of 20 digits past the largest long is no ledger's size: ignored, not an exception. */
  @Test
  void aNameNumberedPastAnyLedgerSizeIsIgnored() throws IOException {
    Supplier<Stream<String>> planted =
        () -> Stream.of(name("99999999999999999999"), name("09223372036854775808"));
    try (PlantingStore store = new PlantingStore(dir.resolve("s"), planted)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, CLOCK);
      appendBatches(ledger, 2, 10, 0);
      assertEquals(
          OptionalLong.of(20), CatalogIndex.write(store, ledger, 1, CatalogIndexTest.LEDGER_KEY));
      appendBatches(ledger, 1, 10, 20);

      CatalogIndex index = CatalogIndex.read(store, ledger, CatalogIndexTest.TRUSTED);

      assertEquals(List.of(), index.refused());
      assertEquals(OptionalLong.of(20), index.snapshot());
      assertEquals(fullRead(ledger), index.recordings());
    }
  }
}
