package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Four recordings (other bytes) of one device, day and name: the first met keeps the
 * name's key and each of the others is stored under the key derived from its own bytes, in one run
 * or in four, stored in the clear or encrypted; run again, every one is ALREADY at the key
 * it went to.
 */
class NameTakenManyTest {
  @org.junit.jupiter.api.io.TempDir Path dir;

  static final String NAME = "DEVCAM7_20230601_150000_001.bin";
  static final String KEY = "DEVCAM7/2023-06-01/" + NAME;

  private static Path random(Path path, long seed, int n) throws IOException {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    Files.createDirectories(path.getParent());
    return Files.write(path, b);
  }

  private static String derived(Path file) throws IOException {
    String hex = Sealer.create().seal(file).root(HashAlgorithm.SHA256).hex().substring(0, 16);
    return KEY.substring(0, KEY.length() - ".bin".length()) + "~" + hex + ".bin";
  }

  private static IngestResult ingest(EvidenceStore store, AesKeyEncryptionKey kek, List<Path> paths)
      throws Exception {
    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "police-0042");
    paths.forEach(b::add);
    IngestStation.Builder s = IngestStation.builder().store(store);
    if (kek != null) {
      s.encryption(AeadSuite.AES_256_GCM, kek);
    }
    return s.build().ingest(b.build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"one run", "one run, encrypted", "four runs", "four runs, encrypted"})
  void everyRecordingOfOneNameIsKeptUnderItsOwnKey(String how) throws Exception {
    AesKeyEncryptionKey kek = how.endsWith("encrypted") ? AesKeyEncryptionKey.generate("k1") : null;
    List<Path> files = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      files.add(random(dir.resolve("card" + i + "/" + NAME), 10 + i, 30_000 + 7_000 * i));
    }
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      Map<Path, IngestedRecording> got = new HashMap<>();
      if (how.startsWith("one run")) {
        for (IngestedRecording r : ingest(store, kek, files).recordings()) {
          got.put(r.source().file().orElseThrow(), r);
        }
      } else {
        for (Path f : files) {
          IngestedRecording r = ingest(store, kek, List.of(f)).recordings().get(0);
          got.put(f, r);
        }
      }
      assertEquals(4, got.size());
      Set<String> keys = new TreeSet<>();
      int natural = 0;
      for (Path f : files) {
        IngestedRecording r = got.get(f);
        assertEquals(IngestStatus.INGESTED, r.status(), f + " " + r.findings());
        assertFalse(r.hasErrors(), r.findings().toString());
        String key = r.key().orElseThrow();
        if (key.equals(KEY)) {
          natural++;
        } else {
          assertEquals(derived(f), key, r.findings().toString());
          assertTrue(
              r.findings().stream().anyMatch(x -> x.code().equals(IngestCodes.NAME_TAKEN)),
              r.findings().toString());
        }
        keys.add(key);
        byte[] stored = ArchiveChecks.read(store, ObjectKey.of(key));
        // encrypted at rest: never the plain bytes; in the clear: the file's bytes
        assertEquals(kek == null, java.util.Arrays.equals(Files.readAllBytes(f), stored), key);
      }
      assertEquals(1, natural);
      assertEquals(4, keys.size());
      Set<String> logged = new TreeSet<>();
      for (LedgerEntry e : Fixtures.sealedEntries(store)) {
        logged.add(e.subject());
      }
      assertEquals(keys, logged);

      for (IngestedRecording r : ingest(store, kek, files).recordings()) {
        assertEquals(IngestStatus.ALREADY, r.status(), r + " " + r.findings());
        assertEquals(got.get(r.source().file().orElseThrow()).key(), r.key());
      }
    }
  }

  /**
   * The name's key already holds one recording; two stations (each with its own store and ledger
   * instances) then ingest the same second recording at once, several times over: both send it to
   * the one key derived from its bytes, one of them logs it and the other finds it ALREADY; never a
   * CONFLICT, never two copies.
   */
  @org.junit.jupiter.api.Test
  void twoStationsAtOnceWithTheSecondRecordingStoreItOnce() throws Exception {
    Path root = dir.resolve("store");
    Path first = random(dir.resolve("card0/" + NAME), 1, 40_000);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      assertEquals(
          IngestStatus.INGESTED, ingest(store, null, List.of(first)).recordings().get(0).status());
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 4; round++) {
        Path second = random(dir.resolve("card" + (round + 1) + "/" + NAME), 50 + round, 90_000);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<IngestedRecording>> runs = new java.util.ArrayList<>();
        for (int station = 0; station < 2; station++) {
          runs.add(
              pool.submit(
                  () -> {
                    try (EvidenceStore store =
                        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
                      go.await();
                      return ingest(store, null, List.of(second)).recordings().get(0);
                    }
                  }));
        }
        go.countDown();
        int logged = 0;
        for (java.util.concurrent.Future<IngestedRecording> f : runs) {
          IngestedRecording r = f.get(5, java.util.concurrent.TimeUnit.MINUTES);
          assertTrue(
              r.status() == IngestStatus.INGESTED || r.status() == IngestStatus.ALREADY,
              r + " " + r.findings());
          assertEquals(derived(second), r.key().orElseThrow(), r.findings().toString());
          logged += r.status() == IngestStatus.INGESTED ? 1 : 0;
        }
        assertEquals(1, logged, "exactly one station logs the second recording");
      }
      try (FileSystemEvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
        List<LedgerEntry> sealed = Fixtures.sealedEntries(store);
        assertEquals(5, sealed.size(), sealed.toString());
        assertTrue(
            org.evidencekit.ledger.EvidenceArchive.open(store, Clock.systemUTC())
                .sweep(null)
                .clean());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
