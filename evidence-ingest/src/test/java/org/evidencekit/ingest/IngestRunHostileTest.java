package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
   * Changes the 4th file of a run once the run has sealed the first megabyte of the 3rd, and the
   * 6th once the 4th is half sealed: some of the changed bytes are read before the change, some
   * after, depending on the workers. Whatever was read, what is logged must be a seal of what was
   * stored.
   */
  private void changeDuringRun(Change change) throws Exception {
    Map<String, Path> files =
        ArchiveChecks.randomFiles(
            dir.resolve("card"), 11, 500_000, 2 * MIB, 3 * MIB, 4 * MIB, 200_000, 3 * MIB, MIB);
    Path[] paths = files.values().toArray(new Path[0]);
    Map<String, byte[]> bytes = ArchiveChecks.contents(files);
    Set<String> changed =
        Set.of(paths[3].getFileName().toString(), paths[5].getFileName().toString());
    changed.forEach(bytes::remove);
    boolean[] done = new boolean[2];
    IngestListener mutator =
        new IngestListener() {
          @Override
          public void progress(RecordingSource source, long sealed, long size) {
            try {
              if (!done[0] && source.name().equals(paths[2].getFileName().toString())) {
                done[0] = true;
                mutate(paths[3], change);
              } else if (!done[1]
                  && source.name().equals(paths[3].getFileName().toString())
                  && sealed >= 2 * MIB) {
                done[1] = true;
                mutate(paths[5], change);
              }
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build();
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(
            dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC))) {
      Map<String, IngestedRecording> first = byName(station(store, mutator).ingest(request));
      assertTrue(done[0], "the run never reached the 3rd file");
      for (Map.Entry<String, IngestedRecording> e : first.entrySet()) {
        IngestStatus s = e.getValue().status();
        if (changed.contains(e.getKey())) {
          assertTrue(
              s == IngestStatus.INGESTED || s == IngestStatus.FAILED,
              e.getKey() + " " + s + " " + e.getValue().findings());
          if (s == IngestStatus.FAILED) {
            assertFalse(store.exists(ObjectKey.of(e.getValue().key().orElseThrow())));
          }
        } else {
          assertEquals(IngestStatus.INGESTED, s, e.getKey() + " " + e.getValue().findings());
        }
      }
      ArchiveChecks.assertArchiveHolds(store, bytes);
      // the same card again, now still: what was stored is found, what failed is stored now
      Map<String, byte[]> now = ArchiveChecks.contents(files);
      Map<String, IngestedRecording> again =
          byName(station(store, IngestListener.NONE).ingest(request));
      for (Map.Entry<String, IngestedRecording> e : again.entrySet()) {
        IngestStatus s = e.getValue().status();
        if (!changed.contains(e.getKey())) {
          assertEquals(IngestStatus.ALREADY, s, e.getKey() + " " + e.getValue().findings());
        } else if (first.get(e.getKey()).status() == IngestStatus.FAILED) {
          assertEquals(IngestStatus.INGESTED, s, e.getKey() + " " + e.getValue().findings());
        } else {
          // stored before it changed: either the same bytes (ALREADY) or refused (CONFLICT)
          assertTrue(
              s == IngestStatus.ALREADY || s == IngestStatus.CONFLICT,
              e.getKey() + " " + s + " " + e.getValue().findings());
        }
      }
      for (String c : changed) {
        if (first.get(c).status() == IngestStatus.FAILED) {
          bytes.put(c, now.get(c));
        }
      }
      assertEquals(files.size(), ArchiveChecks.assertArchiveHolds(store, bytes).size());
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
