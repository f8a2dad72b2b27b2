package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One ingest run of many files, sealed as one {@link org.evidencekit.seal.SealRun} with the hash
 * workers writing the store at positions, meeting what the real world does: a disk
 * that fills up in the middle of a file, files that change while they are read. The run's other
 * files are stored and logged as if nothing happened; the troubled one is stored with a seal of
 * exactly what was stored, or fails with nothing visible; a re-run completes what is left.
 */
class IngestRunHostileTest {
  static final Instant NOW = Instant.parse("2023-06-01T16:00:00Z");
  static final int MIB = 1 << 20;

  @TempDir Path dir;

  private IngestStation station(EvidenceStore store, IngestListener listener) {
    return IngestStation.builder()
        .store(store)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .listener(listener)
        .build();
  }

  private static Map<String, IngestedRecording> byName(IngestResult r) {
    Map<String, IngestedRecording> out = new HashMap<>();
    for (IngestedRecording rec : r.recordings()) {
      out.put(rec.source().name(), rec);
    }
    return out;
  }

  @Test
  void diskFullInTheMiddleOfFilesOfARunFailsThemCleanlyAndARerunStoresThem() throws Exception {
    Map<String, Path> files =
        ArchiveChecks.randomFiles(
            dir.resolve("card"),
            7,
            300_000,
            3 * MIB + 5,
            2 * MIB,
            MIB + 1,
            700_000,
            2 * MIB + 3,
            0,
            4 * MIB - 1,
            90_000,
            MIB);
    // the 2nd and 8th file (several segments each) fail at their second segment
    Set<String> full = Set.of("_001.bin", "_007.bin");
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build();
    try (FullDiskStore store =
        new FullDiskStore(
            FileSystemEvidenceStore.openOrCreate(
                dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC)),
            k -> full.stream().anyMatch(k::endsWith),
            true)) {
      Map<String, IngestedRecording> first =
          byName(station(store, IngestListener.NONE).ingest(request));
      for (Map.Entry<String, IngestedRecording> e : first.entrySet()) {
        IngestedRecording rec = e.getValue();
        boolean isFull = full.stream().anyMatch(e.getKey()::endsWith);
        if (isFull) {
          assertEquals(IngestStatus.FAILED, rec.status(), e.getKey() + " " + rec.findings());
          assertTrue(
              rec.findings().stream()
                  .anyMatch(
                      f ->
                          f.code().equals(IngestCodes.STORE_FAILED)
                              && f.message().contains("No space left")),
              rec.findings().toString());
          assertFalse(store.exists(ObjectKey.of(rec.key().orElseThrow())), "half-written");
        } else {
          assertEquals(IngestStatus.INGESTED, rec.status(), e.getKey() + " " + rec.findings());
        }
      }
      Map<String, byte[]> bytes = ArchiveChecks.contents(files);
      assertEquals(files.size() - 2, ArchiveChecks.assertArchiveHolds(store, bytes).size());

      store.heal();
      Map<String, IngestedRecording> again =
          byName(station(store, IngestListener.NONE).ingest(request));
      for (Map.Entry<String, IngestedRecording> e : again.entrySet()) {
        boolean isFull = full.stream().anyMatch(e.getKey()::endsWith);
        assertEquals(
            isFull ? IngestStatus.INGESTED : IngestStatus.ALREADY,
            e.getValue().status(),
            e.getKey() + " " + e.getValue().findings());
      }
      assertEquals(files.size(), ArchiveChecks.assertArchiveHolds(store, bytes).size());
    }
  }

  /**
   * The disk fills up once the run's entries are appended, before the seal objects at KEY.seal.json
   * are written: the entries stand (the staged seals are their copies), the run says it is not
   * complete, and a re-run writes the seal objects from the staged seals.
   */
  @Test
  void diskFullForTheSealObjectsAfterTheGroupedAppend() throws Exception {
    Map<String, Path> files =
        ArchiveChecks.randomFiles(dir.resolve("card"), 3, 100_000, 2 * MIB, 0, 300_000);
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build();
    try (FullDiskStore store =
        new FullDiskStore(
            FileSystemEvidenceStore.openOrCreate(
                dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC)),
            k -> !k.startsWith("ledger/") && k.endsWith(".seal.json"),
            true)) {
      IngestResult r = station(store, IngestListener.NONE).ingest(request);
      for (IngestedRecording rec : r.recordings()) {
        assertEquals(IngestStatus.INCOMPLETE, rec.status(), rec.findings().toString());
        // honest: the seal is logged (at this entry), only its seal object is missing
        assertTrue(rec.ledgerIndex().isPresent(), rec.toString());
        assertTrue(rec.seal().isPresent(), rec.toString());
        assertTrue(
            rec.findings().stream()
                .anyMatch(
                    f ->
                        f.code().equals(IngestCodes.STORE_FAILED)
                            && f.message().contains("run the same ingest")
                            && f.message()
                                .contains("logged at entry " + rec.ledgerIndex().getAsLong())
                            && !f.message().contains("not logged")),
            rec.findings().toString());
      }
      assertEquals(files.size(), Fixtures.sealedEntries(store).size());
      store.heal();
      IngestResult again = station(store, IngestListener.NONE).ingest(request);
      ArchiveChecks.assertEachSealObjectCompletedNow(again);
      assertEquals(
          files.size(),
          ArchiveChecks.assertArchiveHolds(store, ArchiveChecks.contents(files)).size());
    }
  }

  /**
   * The card is pulled out while the run reads its fifth file: from then on every read and open
   * fails. What the run finished is stored and logged; the rest fails with nothing visible; with
   * the card back, a re-run stores exactly the rest.
   */
  @Test
  void theCardIsPulledOutInTheMiddleOfARun() throws Exception {
    Map<String, Path> files =
        ArchiveChecks.randomFiles(
            dir.resolve("card"),
            13,
            400_000,
            2 * MIB,
            MIB + 7,
            50_000,
            3 * MIB,
            0,
            MIB,
            2 * MIB + 1);
    Path[] paths = files.values().toArray(new Path[0]);
    AtomicBoolean gone = new AtomicBoolean();
    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p");
    for (Path p : paths) {
      b.add(TrippingChannel.onCard(p, paths[4], MIB + 5, gone));
    }
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(
            dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC))) {
      Map<String, IngestedRecording> first =
          byName(station(store, IngestListener.NONE).ingest(b.build()));
      assertTrue(gone.get(), "the card was never pulled");
      int failed = 0;
      for (Map.Entry<String, IngestedRecording> e : first.entrySet()) {
        IngestedRecording rec = e.getValue();
        if (rec.status() == IngestStatus.FAILED) {
          failed++;
          assertTrue(
              rec.findings().stream()
                  .anyMatch(
                      f ->
                          f.code().equals(IngestCodes.STORE_FAILED)
                              && f.message().contains("nothing stored")),
              rec.findings().toString());
          assertFalse(store.exists(ObjectKey.of(rec.key().orElseThrow())), "half-written");
        } else {
          assertEquals(IngestStatus.INGESTED, rec.status(), e.getKey() + " " + rec.findings());
        }
      }
      assertEquals(IngestStatus.FAILED, first.get(paths[4].getFileName().toString()).status());
      Map<String, byte[]> bytes = ArchiveChecks.contents(files);
      assertEquals(files.size() - failed, ArchiveChecks.assertArchiveHolds(store, bytes).size());

      IngestRequest.Builder back = IngestRequest.builder("DEVCAM7", "p");
      files.values().forEach(back::add);
      Map<String, IngestedRecording> again =
          byName(station(store, IngestListener.NONE).ingest(back.build()));
      for (Map.Entry<String, IngestedRecording> e : again.entrySet()) {
        assertEquals(
            first.get(e.getKey()).status() == IngestStatus.FAILED
                ? IngestStatus.INGESTED
                : IngestStatus.ALREADY,
            e.getValue().status(),
            e.getKey() + " " + e.getValue().findings());
      }
      assertEquals(files.size(), ArchiveChecks.assertArchiveHolds(store, bytes).size());
    }
  }

  /** How a file is changed while the run reads it. */
  enum Change {
    SHRINK,
    GROW,
    REWRITE_IN_PLACE
  }

  @Test
  void aFileThatShrinksWhileTheRunReadsIt() throws Exception {
    changeDuringRun(Change.SHRINK);
  }

  @Test
  void aFileThatGrowsWhileTheRunReadsIt() throws Exception {
    changeDuringRun(Change.GROW);
  }

  @Test
  void aFileRewrittenInPlaceWhileTheRunReadsIt() throws Exception {
    changeDuringRun(Change.REWRITE_IN_PLACE);
  }

  /**
   * Changes the 4th file of a run when a hash worker first reads into its third segment, and the
   * 6th when one reads into its second: the change falls between two stretches of one read, with
   * other files' segments in flight in the same lane batches. What is logged must be a seal of what
   * was stored, and the run's other files must not suffer.
   */
  private void changeDuringRun(Change change) throws Exception {
    Map<String, Path> files =
        ArchiveChecks.randomFiles(
            dir.resolve("card"), 11, 500_000, 2 * MIB, 3 * MIB, 4 * MIB, 200_000, 3 * MIB, MIB);
    Path[] paths = files.values().toArray(new Path[0]);
    Set<String> changed =
        Set.of(paths[3].getFileName().toString(), paths[5].getFileName().toString());
    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p");
    AtomicBoolean[] tripped = {new AtomicBoolean(), new AtomicBoolean()};
    for (int i = 0; i < paths.length; i++) {
      Path p = paths[i];
      if (i == 3) {
        b.add(TrippingChannel.source(p, 2L * MIB + 10, tripped[0], () -> mutate(p, change)));
      } else if (i == 5) {
        b.add(TrippingChannel.source(p, MIB + 5, tripped[1], () -> mutate(p, change)));
      } else {
        b.add(p);
      }
    }
    IngestRequest request = b.build();
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(
            dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC))) {
      Map<String, byte[]> before = ArchiveChecks.contents(files);
      Map<String, IngestedRecording> first =
          byName(station(store, IngestListener.NONE).ingest(request));
      assertTrue(tripped[0].get() && tripped[1].get(), "the changes never happened");
      Map<String, byte[]> now = ArchiveChecks.contents(files);
      Map<String, byte[]> expected = new HashMap<>(before);
      for (String c : changed) {
        if (change == Change.REWRITE_IN_PLACE) {
          expected.remove(c); // partly old, partly new bytes: it need only verify against its seal
        } else {
          expected.put(c, now.get(c)); // the size check caught it: stored as it is now, or failed
        }
      }
      int failed = 0;
      for (Map.Entry<String, IngestedRecording> e : first.entrySet()) {
        IngestedRecording rec = e.getValue();
        if (changed.contains(e.getKey()) && rec.status() == IngestStatus.FAILED) {
          // sealed on its own (a run that broke seals the rest one by one): a change is refused
          assertTrue(
              rec.findings().stream().anyMatch(f -> f.code().equals(IngestCodes.STORE_FAILED)),
              rec.findings().toString());
          assertFalse(store.exists(ObjectKey.of(rec.key().orElseThrow())), "half-written");
          failed++;
        } else {
          assertEquals(IngestStatus.INGESTED, rec.status(), e.getKey() + " " + rec.findings());
          // a change of size is told: the seal is of what was stored, not what was probed
          boolean resized = changed.contains(e.getKey()) && change != Change.REWRITE_IN_PLACE;
          assertEquals(
              resized,
              rec.findings().stream()
                  .anyMatch(
                      f ->
                          f.code().equals(IngestCodes.CHANGED_WHILE_READ)
                              && f.severity() == IngestFinding.Severity.ERROR),
              e.getKey() + " " + rec.findings());
          // the size reported is the size of what was sealed and stored, not what a probe saw
          assertEquals(
              expected.containsKey(e.getKey())
                  ? expected.get(e.getKey()).length
                  : rec.seal().orElseThrow().length(),
              rec.size(),
              e.getKey());
        }
      }
      assertEquals(files.size() - failed, ArchiveChecks.assertArchiveHolds(store, expected).size());

      // the same card again, now still
      Map<String, IngestedRecording> again =
          byName(station(store, IngestListener.NONE).ingest(request));
      int moved = 0;
      for (Map.Entry<String, IngestedRecording> e : again.entrySet()) {
        IngestStatus s = e.getValue().status();
        if (first.get(e.getKey()).status() == IngestStatus.FAILED) {
          assertEquals(IngestStatus.INGESTED, s, e.getKey() + " " + e.getValue().findings());
          expected.put(e.getKey(), now.get(e.getKey()));
        } else if (changed.contains(e.getKey()) && change == Change.REWRITE_IN_PLACE) {
          // the file as it now is differs from what the first run stored under its name: kept
          // too, under the key derived from its content, the first run's copy left alone
          assertEquals(IngestStatus.INGESTED, s, e.getKey() + " " + e.getValue().findings());
          assertTrue(
              e.getValue().findings().stream()
                  .anyMatch(f -> f.code().equals(IngestCodes.NAME_TAKEN)),
              e.getValue().findings().toString());
          assertNotEquals(first.get(e.getKey()).key(), e.getValue().key());
          assertArrayEquals(
              now.get(e.getKey()),
              ArchiveChecks.read(store, ObjectKey.of(e.getValue().key().orElseThrow())));
          moved++;
        } else {
          assertEquals(IngestStatus.ALREADY, s, e.getKey() + " " + e.getValue().findings());
        }
      }
      assertEquals(files.size() + moved, ArchiveChecks.assertArchiveHolds(store, expected).size());
    }
  }

  private static void mutate(Path file, Change change) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long len = f.length();
      switch (change) {
        case SHRINK -> f.setLength(len / 3);
        case GROW -> {
          f.seek(len);
          f.write(new byte[MIB + 17]);
        }
        case REWRITE_IN_PLACE -> {
          byte[] b = new byte[(int) len];
          java.util.Arrays.fill(b, (byte) 0x5a);
          f.seek(0);
          f.write(b);
        }
      }
      f.getFD().sync();
    }
  }
}
