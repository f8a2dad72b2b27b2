package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A station process killed ({@code kill -9}) at moments spread over an ingest of many files, again
 * and again, into one filesystem store. After every kill nothing half-written is
 * visible and everything logged is whole: its content is stored and verifies against the staged
 * seal the entry names, and the logged seals chain. A final run completes everything (RESUMED,
 * INGESTED or ALREADY only), after which the archive is whole: one entry per key, every seal object
 * in place, one unbroken chain.
 */
class KilledIngestTest {
  @TempDir Path dir;

  @Test
  void killedAgainAndAgainThenCompletedByARerun() throws Exception {
    Random rnd = new Random(25);
    int[] sizes = new int[36];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = i % 9 == 4 ? 0 : 20_000 + rnd.nextInt(1_400_000);
    }
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 25, sizes);
    Map<String, byte[]> bytes = ArchiveChecks.contents(files);
    Path root = Files.createDirectories(dir.resolve("store"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.add(java);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(RaceMain.class.getName());
    cmd.add(root.toString());
    cmd.add("DEVCAM7");
    files.values().forEach(p -> cmd.add(p.toString()));

    // Each station is killed once the store shows a few more objects than when it started
    // (content, staged seals, ledger batches, seal objects): crashes land all through the
    // ingest, whatever the machine's speed. The last station is left to finish.
    int kills = 0;
    boolean finished = false;
    for (int station = 0; station < 7 && !finished; station++) {
      int before;
      try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
        before = Fixtures.keys(store).size();
      }
      int more = station == 6 ? Integer.MAX_VALUE : 1 + rnd.nextInt(station < 2 ? 4 : 20);
      Path out = dir.resolve("station-" + station + ".out");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (p.isAlive() && System.nanoTime() < deadline) {
          if (Fixtures.keys(store).size() >= before + (long) more) {
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
            kills++;
            break;
          }
          Thread.sleep(2);
        }
      }
      assertTrue(p.waitFor(1, TimeUnit.MINUTES), "a station did not end");
      String said = Files.readString(out);
      finished = p.exitValue() == 0;
      try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
        assertLoggedIsWhole(store, bytes);
      }
      assertTrue(finished || kills == station + 1, said);
      if (finished) {
        // the station that was let finish completed what the killed ones left
        for (String line : said.strip().split("\n")) {
          String status = line.split(" ", 2)[0];
          assertTrue(Set.of("RESUMED", "INGESTED", "ALREADY").contains(status), line);
        }
      }
      System.err.println("station " + station + (finished ? " finished" : " killed"));
    }
    assertTrue(kills > 0, "every station finished before it could be killed");

    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "police-race");
      files.values().forEach(b::add);
      IngestResult r = IngestStation.builder().store(store).build().ingest(b.build());
      assertEquals(files.size(), r.recordings().size());
      for (IngestedRecording rec : r.recordings()) {
        assertTrue(
            Set.of(IngestStatus.RESUMED, IngestStatus.INGESTED, IngestStatus.ALREADY)
                .contains(rec.status()),
            rec.source().name() + " " + rec.status() + " " + rec.findings());
      }
      assertEquals(files.size(), ArchiveChecks.assertArchiveHolds(store, bytes).size());
      IngestResult again = IngestStation.builder().store(store).build().ingest(b.build());
      assertEquals(files.size(), again.count(IngestStatus.ALREADY), again.recordings().toString());
    }
  }

  /**
   * What must hold between any two steps of an ingest: logged content is stored and whole and
   * verifies against the staged seal its entry names (the seal object at KEY.seal.json may not be
   * written yet); visible content is whole; logged seals chain.
   */
  private static void assertLoggedIsWhole(EvidenceStore store, Map<String, byte[]> bytes)
      throws IOException {
    List<LedgerEntry> sealed = Fixtures.sealedEntries(store);
    Set<String> keys = new HashSet<>();
    List<Seal> seals = new ArrayList<>();
    for (LedgerEntry e : sealed) {
      assertTrue(keys.add(e.subject()), "two sealed entries for " + e.subject());
      ObjectKey content = ObjectKey.of(e.subject());
      assertTrue(store.exists(content), "logged but not stored: " + e.subject());
      String digest = e.payloadDigest().orElseThrow();
      Seal staged = ArchiveWriter.stagedSeal(store, e);
      assertNotNull(staged, "no staged seal of " + e.subject());
      assertEquals(digest, staged.digest().hex(), e.subject());
      seals.add(staged);
      try (SeekableByteChannel ch = store.openRead(content)) {
        assertTrue(Verifier.create().verify(ch, staged).isIntact(), e.subject());
      }
      ObjectKey sealKey = ObjectKey.of(e.subject() + EvidenceArchive.SEAL_SUFFIX);
      if (store.exists(sealKey)) {
        assertEquals(digest, Seal.parse(ArchiveChecks.read(store, sealKey)).digest().hex());
      }
    }
    for (String k : Fixtures.keys(store)) {
      if (!k.startsWith("ledger/") && !k.endsWith(EvidenceArchive.SEAL_SUFFIX)) {
        byte[] want = bytes.get(ArchiveChecks.name(k));
        assertTrue(want != null, "an object no file made: " + k);
        assertArrayEquals(want, ArchiveChecks.read(store, ObjectKey.of(k)), "not whole: " + k);
      }
    }
    assertEquals(List.of(), DeviceChain.verify("DEVCAM7", seals));
  }
}
