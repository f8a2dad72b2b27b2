package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two recordings (other bytes) whose device, day and name give them one key, as a body camera's
 * file counter makes after a card format or a battery swap, or two cards of one device, or an
 * edited copy brought back under its name. Both are kept: the second one met is stored
 * under the key derived from its content ({@code NAME~HEX.EXT}, the first 16 hex digits of its
 * SHA-256 root) with a NAME_TAKEN warning naming both keys; the same in one run, in two runs and
 * with two stations at once; a re-ingest of either is ALREADY. Other bytes planted at the derived
 * key are still a loud CONFLICT that changes nothing.
 */
class NameTakenTest {
  @TempDir Path dir;

  static final String NAME = "DEVCAM7_20230601_150000_001.bin";
  static final String KEY = "DEVCAM7/2023-06-01/" + NAME;

  /** A file of {@code n} random bytes at {@code path}. */
  private static Path random(Path path, long seed, int n) throws IOException {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    Files.createDirectories(path.getParent());
    return Files.write(path, b);
  }

  /** The key a file goes to when {@link #KEY} holds another recording: from its bytes alone. */
  private static String derived(Path file) throws IOException {
    String hex = Sealer.create().seal(file).root(HashAlgorithm.SHA256).hex().substring(0, 16);
    return KEY.substring(0, KEY.length() - ".bin".length()) + "~" + hex + ".bin";
  }

  private static IngestResult ingest(EvidenceStore store, Path... paths) throws Exception {
    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "police-0042");
    for (Path p : paths) {
      b.add(p);
    }
    return IngestStation.builder().store(store).build().ingest(b.build());
  }

  private static Map<Path, IngestedRecording> byFile(IngestResult r) {
    Map<Path, IngestedRecording> out = new HashMap<>();
    for (IngestedRecording rec : r.recordings()) {
      out.put(rec.source().file().orElseThrow(), rec);
    }
    return out;
  }

  private static boolean said(IngestedRecording r, String code) {
    return r.findings().stream().anyMatch(f -> f.code().equals(code));
  }

  /** Each file's bytes at its key, every logged recording verified against its seal, one chain. */
  private static void assertHolds(EvidenceStore store, Map<String, Path> byKey) throws IOException {
    assertHolds(store, byKey, true);
  }

  private static void assertHolds(EvidenceStore store, Map<String, Path> byKey, boolean sweep)
      throws IOException {
    Set<String> logged = new TreeSet<>();
    for (LedgerEntry e : Fixtures.sealedEntries(store)) {
      logged.add(e.subject());
    }
    assertEquals(new TreeSet<>(byKey.keySet()), logged);
    for (Map.Entry<String, Path> e : byKey.entrySet()) {
      assertArrayEquals(
          Files.readAllBytes(e.getValue()),
          ArchiveChecks.read(store, ObjectKey.of(e.getKey())),
          e.getKey());
    }
    // content, seal and ledger agree for every key, the device's chain unbroken
    if (sweep) {
      var report = EvidenceArchive.open(store, Clock.systemUTC()).sweep(null);
      assertTrue(report.clean(), report.toString());
    }
    ArchiveChecks.assertArchiveHolds(store, Map.of());
  }

  @Test
  void twoFilesOfOneNameInOneRunAreBothStoredAndBothAlreadyAfter() throws Exception {
    Path a = random(dir.resolve("card/DCIM/100MEDIA/" + NAME), 1, 70_000);
    Path b = random(dir.resolve("card/DCIM/101MEDIA/" + NAME), 2, 50_000);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      Map<Path, IngestedRecording> first = byFile(ingest(store, dir.resolve("card")));
      assertEquals(2, first.size());
      // either may be met first; the other goes to the key derived from its own bytes
      Path natural = first.get(a).key().orElseThrow().equals(KEY) ? a : b;
      Path moved = natural == a ? b : a;
      assertEquals(KEY, first.get(natural).key().orElseThrow());
      assertEquals(derived(moved), first.get(moved).key().orElseThrow());
      for (IngestedRecording r : first.values()) {
        assertEquals(IngestStatus.INGESTED, r.status(), r + " " + r.findings());
        assertFalse(r.hasErrors(), r.findings().toString());
      }
      assertFalse(said(first.get(natural), IngestCodes.NAME_TAKEN));
      IngestFinding w =
          first.get(moved).findings().stream()
              .filter(f -> f.code().equals(IngestCodes.NAME_TAKEN))
              .findFirst()
              .orElseThrow();
      assertEquals(IngestFinding.Severity.WARNING, w.severity());
      assertTrue(w.message().contains(KEY) && w.message().contains(derived(moved)), w.message());
      assertHolds(store, Map.of(KEY, natural, derived(moved), moved));
      assertTrue(first.get(moved).retention().isPresent(), "retention decided for the derived key");

      // the same card again, and each file alone: nothing new
      Map<Path, IngestedRecording> again = byFile(ingest(store, dir.resolve("card")));
      again.putAll(byFile(ingest(store, moved)));
      for (IngestedRecording r : again.values()) {
        assertEquals(IngestStatus.ALREADY, r.status(), r + " " + r.findings());
      }
      assertEquals(derived(moved), again.get(moved).key().orElseThrow());
      assertTrue(said(again.get(moved), IngestCodes.NAME_TAKEN));
      assertHolds(store, Map.of(KEY, natural, derived(moved), moved));
    }
  }

  @Test
  void theSecondOfTwoRunsIsStoredUnderItsDerivedKey() throws Exception {
    Path a = random(dir.resolve("card1/" + NAME), 1, 70_000);
    Path b = random(dir.resolve("card2/" + NAME), 2, 50_000);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      assertEquals(IngestStatus.INGESTED, ingest(store, a).recordings().get(0).status());
      IngestedRecording second = ingest(store, b).recordings().get(0);
      assertEquals(IngestStatus.INGESTED, second.status(), second.findings().toString());
      assertEquals(derived(b), second.key().orElseThrow());
      assertTrue(said(second, IngestCodes.NAME_TAKEN), second.findings().toString());
      assertHolds(store, Map.of(KEY, a, derived(b), b));

      IngestedRecording againA = ingest(store, a).recordings().get(0);
      IngestedRecording againB = ingest(store, b).recordings().get(0);
      assertEquals(IngestStatus.ALREADY, againA.status(), againA.findings().toString());
      assertEquals(KEY, againA.key().orElseThrow());
      assertEquals(IngestStatus.ALREADY, againB.status(), againB.findings().toString());
      assertEquals(derived(b), againB.key().orElseThrow());
      assertHolds(store, Map.of(KEY, a, derived(b), b));
    }
  }

  /**
   * Stations with their own store and ledger instances ingest cards whose every name is shared,
   * with other bytes per card, at once; a third station has the first card's files. Every recording
   * is stored once, under its name or its derived key, and the third station's are ALREADY.
   */
  @Test
  void stationsAtOnceStoreEveryRecording() throws Exception {
    int names = 3;
    List<List<Path>> cards = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < names; i++) {
        String n = String.format("DEVCAM7_20230601_1500%02d_%03d.bin", i, i);
        files.add(random(dir.resolve("card" + c).resolve(n), 100 * c + i, 20_000 + 9_000 * i));
      }
      cards.add(files);
    }
    cards.add(cards.get(0));
    Path root = dir.resolve("store");
    ExecutorService pool = Executors.newFixedThreadPool(cards.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<IngestResult>> runs = new ArrayList<>();
    try {
      for (List<Path> card : cards) {
        Callable<IngestResult> job =
            () -> {
              try (EvidenceStore store =
                  FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
                IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "police-0042");
                card.forEach(b::add);
                IngestStation station = IngestStation.builder().store(store).build();
                go.await();
                return station.ingest(b.build());
              }
            };
        runs.add(pool.submit(job));
      }
      go.countDown();
      Map<Path, List<IngestedRecording>> rows = new HashMap<>();
      for (Future<IngestResult> f : runs) {
        for (IngestedRecording r : f.get(5, TimeUnit.MINUTES).recordings()) {
          rows.computeIfAbsent(r.source().file().orElseThrow(), k -> new ArrayList<>()).add(r);
        }
      }
      checkOneKeyPerRecording(root, rows, cards.get(0).size() * 2);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Every file stored under its name or its derived key, the same key on every station, logged by
   * exactly one station (ALREADY for the others), never a CONFLICT.
   */
  private void checkOneKeyPerRecording(
      Path root, Map<Path, List<IngestedRecording>> rows, int recordings) throws IOException {
    Map<String, Path> byKey = new HashMap<>();
    for (Map.Entry<Path, List<IngestedRecording>> e : rows.entrySet()) {
      String key = e.getValue().get(0).key().orElseThrow();
      String natural = "DEVCAM7/2023-06-01/" + e.getKey().getFileName();
      long logged = 0;
      for (IngestedRecording r : e.getValue()) {
        assertEquals(key, r.key().orElseThrow(), e.toString());
        assertTrue(
            r.status() == IngestStatus.INGESTED || r.status() == IngestStatus.ALREADY,
            r + " " + r.findings());
        logged += r.status() == IngestStatus.INGESTED ? 1 : 0;
        assertEquals(!key.equals(natural), said(r, IngestCodes.NAME_TAKEN), r.findings() + "");
      }
      assertEquals(1, logged, "exactly one station logs " + e);
      assertTrue(
          key.equals(natural)
              || key.equals(
                  natural.replace(".bin", "")
                      + "~"
                      + Sealer.create()
                          .seal(e.getKey())
                          .root(HashAlgorithm.SHA256)
                          .hex()
                          .substring(0, 16)
                      + ".bin"),
          key);
      assertTrue(byKey.put(key, e.getKey()) == null, "two files at " + key);
    }
    assertEquals(recordings, byKey.size());
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      assertHolds(store, byKey);
    }
  }

  @Test
  void processesAtOnceStoreBothRecordings() throws Exception {
    Path a = random(dir.resolve("card1/" + NAME), 1, 300_000);
    Path b = random(dir.resolve("card2/" + NAME), 2, 300_000);
    Path root = Files.createDirectories(dir.resolve("store"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> procs = new ArrayList<>();
    for (Path f : List.of(a, b)) {
      procs.add(
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  RaceMain.class.getName(),
                  root.toString(),
                  "DEVCAM7",
                  f.toString())
              .redirectErrorStream(true)
              .start());
    }
    Map<String, Path> byKey = new HashMap<>();
    for (int i = 0; i < 2; i++) {
      Process p = procs.get(i);
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), "a station process hung");
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(0, p.exitValue(), out);
      String[] w = out.split(" ", 3);
      assertEquals("INGESTED", w[0], out);
      byKey.put(w[1], i == 0 ? a : b);
    }
    assertEquals(2, byKey.size(), byKey.toString());
    Path moved = byKey.get(KEY) == a ? b : a;
    assertEquals(Set.of(KEY, derived(moved)), byKey.keySet());
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      assertHolds(store, byKey);
    }
  }

  /**
   * Other bytes put at the derived key before the recording came (only someone who computed it from
   * the recording can have done that): a CONFLICT naming both keys, an error, and nothing
   * overwritten or logged.
   */
  @Test
  void otherBytesAtTheDerivedKeyAreALoudConflict() throws Exception {
    Path a = random(dir.resolve("card1/" + NAME), 1, 70_000);
    Path b = random(dir.resolve("card2/" + NAME), 2, 50_000);
    byte[] planted = "not the recording".getBytes(StandardCharsets.UTF_8);
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      ingest(store, a);
      try (WritableObject w = store.create(ObjectKey.of(derived(b)))) {
        w.write(ByteBuffer.wrap(planted));
        w.commit();
      }
      IngestResult r = ingest(store, b);
      IngestedRecording rec = r.recordings().get(0);
      assertEquals(IngestStatus.CONFLICT, rec.status(), rec.findings().toString());
      assertTrue(r.hasProblems());
      IngestFinding f =
          rec.findings().stream()
              .filter(x -> x.code().equals("KEY_TAKEN"))
              .findFirst()
              .orElseThrow();
      assertEquals(IngestFinding.Severity.ERROR, f.severity());
      assertTrue(f.message().contains(KEY) && f.message().contains(derived(b)), f.message());
      assertArrayEquals(planted, ArchiveChecks.read(store, ObjectKey.of(derived(b))));
      assertFalse(store.exists(ObjectKey.of(derived(b) + EvidenceArchive.SEAL_SUFFIX)));
      // the planted object is not logged: a sweep reports it, as it should
      assertHolds(store, Map.of(KEY, a), false);
    }
  }

  /**
   * A logged recording whose content is gone from the store (lost, or removed once its retention
   * ended): another recording of its name is not put there as if it restored it, but stored under
   * its own derived key; the lost one's key stays empty for its own bytes to be restored.
   */
  @Test
  void anotherRecordingNeverFillsALoggedKeyWhoseContentIsGone() throws Exception {
    Path a = random(dir.resolve("card1/" + NAME), 1, 70_000);
    Path b = random(dir.resolve("card2/" + NAME), 2, 50_000);
    Path root = dir.resolve("store");
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      ingest(store, a);
    }
    // removed from under the store, as a damaged disk or a careless hand does it
    Path object = root.resolve("objects/DEVCAM7.d/2023-06-01.d/" + NAME + ".o");
    assertTrue(Files.isDirectory(object), object.toString());
    try (Stream<Path> all = Files.walk(object)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        p.getParent().toFile().setWritable(true);
        Files.delete(p);
      }
    }
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      IngestedRecording rec = ingest(store, b).recordings().get(0);
      assertEquals(IngestStatus.INGESTED, rec.status(), rec.findings().toString());
      assertEquals(derived(b), rec.key().orElseThrow());
      assertFalse(store.exists(ObjectKey.of(KEY)), "the other recording's bytes at its key");
      IngestedRecording restored = ingest(store, a).recordings().get(0);
      assertEquals(IngestStatus.RESUMED, restored.status(), restored.findings().toString());
      assertHolds(store, Map.of(KEY, a, derived(b), b));
    }
  }

  @Test
  void theDerivedKeyKeepsTheExtensionLast() throws Exception {
    Path f = random(dir.resolve("x.bin"), 3, 1000);
    var seal = Sealer.create().seal(f);
    String hex = seal.root(HashAlgorithm.SHA256).hex().substring(0, 16);
    assertEquals(
        "D/2023-06-01/VID_0001~" + hex + ".MP4",
        TakenNames.derivedKey(ObjectKey.of("D/2023-06-01/VID_0001.MP4"), seal).value());
    assertEquals(
        "D/undated/clip.tar~" + hex + ".gz",
        TakenNames.derivedKey(ObjectKey.of("D/undated/clip.tar.gz"), seal).value());
    assertEquals(
        "D/undated/NOEXT~" + hex,
        TakenNames.derivedKey(ObjectKey.of("D/undated/NOEXT"), seal).value());
    assertEquals(
        "D/undated/.hidden~" + hex,
        TakenNames.derivedKey(ObjectKey.of("D/undated/.hidden"), seal).value());
  }
}
