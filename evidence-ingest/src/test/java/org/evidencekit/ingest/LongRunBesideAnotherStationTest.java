package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.evidencekit.ledger.EntryTimeRefusedException;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stations of one docking bay, one archive: station A starts a long run (a
 * full card takes minutes), station B starts later and logs its whole run while A is still copying.
 * A's entries are timed at its run's start, the time its seals carry, which is then ten minutes
 * before the ledger's latest entry: both runs must be logged, every recording of both. A {@code
 * sealed} entry further behind than a run can last is still refused.
 */
class LongRunBesideAnotherStationTest {
  @TempDir Path dir;

  static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

  @Test
  void aLongRunIsLoggedAfterAnotherStationsShortOne() throws Exception {
    Path root = dir.resolve("store");
    Path cardA = Files.createDirectories(dir.resolve("a"));
    Path cardB = Files.createDirectories(dir.resolve("b"));
    Path split = Fixtures.folder("f02_split3", dir);
    for (String n : Fixtures.SPLIT3) {
      Files.copy(split.resolve(n), cardA.resolve(n));
    }
    Files.write(cardB.resolve("DEVCAM9_20260301_080500_001.bin"), new byte[] {1, 2, 3});
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      // the archive in use: an earlier run a minute before A starts
      Path seed = Files.createDirectories(dir.resolve("seed"));
      Files.write(seed.resolve("DEVCAM8_20260301_075900_001.bin"), new byte[] {9});
      IngestStation.builder()
          .store(store)
          .clock(Clock.fixed(T.minus(Duration.ofMinutes(1)), ZoneOffset.UTC))
          .build()
          .ingest(IngestRequest.builder("DEVCAM8", "officer-1").add(seed).build());

      IngestStation b =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(T.plus(Duration.ofMinutes(10)), ZoneOffset.UTC))
              .build();
      AtomicReference<IngestResult> bDone = new AtomicReference<>();
      IngestListener duringA =
          new IngestListener() {
            @Override
            public void started(RecordingSource source, int index, int count, long size) {
              if (bDone.get() == null) {
                try {
                  bDone.set(
                      b.ingest(IngestRequest.builder("DEVCAM9", "officer-2").add(cardB).build()));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }
            }
          };
      // A's clock reads T when its run starts and has moved on by B's ten minutes once B is done:
      // the ledger takes no entry far past the clock of the station that logs it
      Clock aClock =
          new Clock() {
            @Override
            public Instant instant() {
              return bDone.get() == null ? T : T.plus(Duration.ofMinutes(10));
            }

            @Override
            public java.time.ZoneId getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }
          };
      IngestResult a =
          IngestStation.builder()
              .store(store)
              .clock(aClock)
              .listener(duringA)
              .build()
              .ingest(IngestRequest.builder("DEVCAM7", "officer-3").add(cardA).build());

      assertEquals(1, bDone.get().recordings().size());
      assertEquals(IngestStatus.INGESTED, bDone.get().recordings().get(0).status());
      assertEquals(Fixtures.SPLIT3.length, a.recordings().size());
      for (IngestedRecording r : a.recordings()) {
        assertEquals(IngestStatus.INGESTED, r.status(), () -> r + ": " + r.findings());
      }
      EvidenceLedger ledger = EvidenceLedger.open(store, Clock.systemUTC());
      List<LedgerEntry> sealed =
          ledger.entries().stream().filter(e -> e.type().equals(EntryType.SEALED)).toList();
      assertEquals(1 + 1 + Fixtures.SPLIT3.length, sealed.size());
      // logged after B's entries, A's are not timed before them: at the ledger's latest time, never
      // earlier than A's run began (the time its seals carry)
      Instant bTime = T.plus(Duration.ofMinutes(10));
      for (LedgerEntry e : sealed) {
        if (e.subject().startsWith("DEVCAM7/")) {
          assertEquals(bTime, e.time(), e::toString);
        }
      }

      // further behind than any run lasts: refused, nothing logged
      long before = ledger.size();
      LedgerEntry stale =
          LedgerEntry.builder()
              .type(EntryType.SEALED)
              .time(T.minus(Duration.ofDays(2)))
              .actor("ingest-station")
              .subject("DEVCAM7/2026-02-27/old.mp4")
              .build();
      assertThrows(EntryTimeRefusedException.class, () -> ledger.append(stale));
      assertEquals(before, ledger.size());
    }
  }
}
