package org.evidencekit.spark;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;

/**
 * A generated archive with known damage: small recordings (one segment each) and a few large ones
 * (several segments, so the job splits them), written straight through the storage SPI with one
 * ledger append for all {@code sealed} entries. {@link #expected} says what each key must be found
 * to be, from what was done to it, never from what a sweep says.
 */
final class SyntheticArchive {
  static final int SEGMENT = Sealer.MIN_SEGMENT_SIZE;
  static final String SEAL = ".seal.json";

  final SortedMap<String, Status> expected = Collections.synchronizedSortedMap(new TreeMap<>());
  private final List<LedgerEntry> entries = Collections.synchronizedList(new ArrayList<>());
  private final Sealer sealer = Sealer.builder().segmentSize(SEGMENT).build();
  private final Clock clock;

  SyntheticArchive(Clock clock) {
    this.clock = clock;
  }

  /**
   * Writes {@code small} small and {@code large} large recordings with {@code threads} writers.
   * Every 97th small recording from the 1st to the 8th is damaged, missing (seal left), missing
   * (nothing left), unlogged, substituted (content and seal replaced together), unexpected (no
   * seal, no entry), missing its seal, or has its seal object rewritten in non-canonical bytes; of
   * the large ones the third has a flipped byte in its fourth segment and the fourth is truncated.
   */
  void write(EvidenceStore store, int small, int large, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int i = 0; i < small; i++) {
        int n = i;
        jobs.add(pool.submit(() -> io(() -> small(store, n))));
      }
      for (int i = 0; i < large; i++) {
        int n = i;
        jobs.add(pool.submit(() -> io(() -> large(store, n))));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    List<LedgerEntry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> a.subject().compareTo(b.subject()));
    EvidenceLedger.open(store, clock).appendAll(sorted);
  }

  private void small(EvidenceStore store, int i) throws IOException {
    String key = String.format(Locale.ROOT, "cam-%02d/rec-%05d.bin", i % 13, i);
    byte[] content = bytes(i, 1024 + (i * 37) % 2048);
    Seal seal = seal(content);
    switch (i % 97) {
      case 1 -> { // an insider edits the stored copy
        byte[] edited = content.clone();
        edited[i % edited.length] ^= 0x40;
        put(store, key, edited);
        put(store, key + SEAL, seal.toJson());
        log(key, seal);
        expected.put(key, Status.DAMAGED);
      }
      case 2 -> { // content deleted, seal left
        put(store, key + SEAL, seal.toJson());
        log(key, seal);
        expected.put(key, Status.MISSING);
      }
      case 3 -> { // both gone, only the ledger remembers
        log(key, seal);
        expected.put(key, Status.MISSING);
      }
      case 4 -> { // stored and sealed, never logged
        put(store, key, content);
        put(store, key + SEAL, seal.toJson());
        expected.put(key, Status.UNLOGGED);
      }
      case 5 -> { // substituted: other content with its own seal, the ledger has the original
        byte[] other = bytes(i + 1_000_000, content.length);
        put(store, key, other);
        put(store, key + SEAL, seal(other).toJson());
        log(key, seal);
        expected.put(key, Status.DAMAGED);
      }
      case 7 -> { // the seal deleted to pass the content off as unsealed: still a sealed recording
        put(store, key, content);
        log(key, seal);
        expected.put(key, Status.MISSING);
      }
      case 8 -> { // the seal object rewritten in other bytes that read as the same seal
        put(store, key, content);
        byte[] canonical = seal.toJson();
        byte[] spaced = new byte[canonical.length + 1];
        spaced[0] = canonical[0];
        spaced[1] = ' ';
        System.arraycopy(canonical, 1, spaced, 2, canonical.length - 1);
        put(store, key + SEAL, spaced);
        log(key, seal);
        expected.put(key, Status.DAMAGED);
      }
      case 6 -> { // something nobody sealed or logged
        put(store, key, content);
        expected.put(key, Status.UNEXPECTED);
      }
      default -> {
        put(store, key, content);
        put(store, key + SEAL, seal.toJson());
        log(key, seal);
        expected.put(key, Status.OK);
      }
    }
  }

  private void large(EvidenceStore store, int i) throws IOException {
    String key = String.format(Locale.ROOT, "cam-big/rec-%03d.bin", i);
    byte[] content = bytes(-1 - i, 5 * SEGMENT + 100);
    Seal seal = seal(content);
    byte[] stored = content;
    Status status = Status.OK;
    if (i % 4 == 2) {
      stored = content.clone();
      stored[3 * SEGMENT + 17] ^= 1;
      status = Status.DAMAGED;
    } else if (i % 4 == 3) {
      stored = Arrays.copyOf(content, 4 * SEGMENT);
      status = Status.DAMAGED;
    }
    put(store, key, stored);
    put(store, key + SEAL, seal.toJson());
    log(key, seal);
    expected.put(key, status);
  }

  /** How many of each status {@link #expected} holds. */
  Map<Status, Long> expectedCounts() {
    Map<Status, Long> out = new TreeMap<>();
    for (Status s : Status.values()) {
      out.put(s, 0L);
    }
    synchronized (expected) {
      expected.values().forEach(s -> out.merge(s, 1L, Long::sum));
    }
    return out;
  }

  private void log(String key, Seal seal) {
    entries.add(
        LedgerEntry.builder()
            .type(EntryType.SEALED)
            .time(clock.instant())
            .actor("station-1")
            .subject(key)
            .payloadDigest(seal.digest().hex())
            .build());
  }

  private Seal seal(byte[] content) throws IOException {
    return sealer.seal(Channels.newChannel(new ByteArrayInputStream(content)));
  }

  static byte[] bytes(long seed, int n) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static void put(EvidenceStore store, String key, byte[] bytes) throws IOException {
    try (WritableObject w = store.create(ObjectKey.of(key))) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        w.write(buf);
      }
      w.commit();
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static Void io(IoAction a) {
    try {
      a.run();
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
