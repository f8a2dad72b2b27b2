package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording's seal object is kept for good and its ingest logged once. On a
 * store that sets retention after the commit, a lock that fails once leaves a stored seal: the
 * ingest must go on to log it (asking again would find the key taken, or log it twice) and the seal
 * must still end up locked. A seal whose commit failed is not there, and not logged.
 */
class SealObjectLockTest {
  static final Clock CLOCK = Clock.fixed(UnlockedLedgerRecordsTest.T, ZoneOffset.UTC);
  static final String KEY = "CAM-7/2026-03-01/rec1.mp4";
  static final ObjectKey SEAL = ObjectKey.of(KEY + EvidenceArchive.SEAL_SUFFIX);

  @TempDir Path dir;
  Path file;
  Seal seal;
  InMemoryEvidenceStore real;

  @BeforeEach
  void setUp() throws IOException {
    file = dir.resolve("rec1.mp4");
    byte[] content = new byte[150_000];
    new Random(7).nextBytes(content);
    Files.write(file, content);
    seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(file);
    real = new InMemoryEvidenceStore(CLOCK);
  }

  private List<LedgerEntry> sealedEntries() throws IOException {
    return EvidenceLedger.open(real, CLOCK).entries().stream()
        .filter(e -> e.type().equals(EntryType.SEALED))
        .toList();
  }

  @Test
  void anIngestWhoseSealLockFailedLogsTheSealOnceAndLocksIt() throws Exception {
    UnlockedLedgerRecordsTest.FailingLocks store =
        new UnlockedLedgerRecordsTest.FailingLocks(
            real, 1, k -> k.endsWith(EvidenceArchive.SEAL_SUFFIX));
    EvidenceArchive archive = EvidenceArchive.open(store, CLOCK);
    assertEquals(0, archive.ingest(KEY, file, seal, "intake-1"));
    assertEquals(-1, store.failures.get(), "the seal's lock failed once, then held");
    assertTrue(PermanentRecords.keptForGood(real, real.stat(SEAL)), "locked at its entry's append");
    assertThrows(RetentionLockedException.class, () -> real.delete(SEAL));
    List<LedgerEntry> sealed = sealedEntries();
    assertEquals(1, sealed.size());
    assertEquals(seal.digest().hex(), sealed.get(0).payloadDigest().orElseThrow());
    // asking again changes nothing: the ingest was complete
    EvidenceArchive.IngestOutcome again = archive.ingestOnce(KEY, file, seal, "intake-1");
    assertEquals(EvidenceArchive.IngestStatus.ALREADY_INGESTED, again.status());
    assertEquals(1, sealedEntries().size());
  }

  @Test
  void aSealLockThatKeepsFailingIsTriedAgainAtTheNextAppend() throws Exception {
    UnlockedLedgerRecordsTest.FailingLocks store =
        new UnlockedLedgerRecordsTest.FailingLocks(
            real, 2, k -> k.endsWith(EvidenceArchive.SEAL_SUFFIX));
    EvidenceArchive archive = EvidenceArchive.open(store, CLOCK);
    assertEquals(0, archive.ingest(KEY, file, seal, "intake-1"));
    assertFalse(PermanentRecords.keptForGood(real, real.stat(SEAL)), "failed twice so far");
    archive.ledger().append(UnlockedLedgerRecordsTest.entry(1));
    assertTrue(PermanentRecords.keptForGood(real, real.stat(SEAL)));
    assertEquals(1, sealedEntries().size());
  }

  @Test
  void anIngestWhoseSealCommitFailedFailsLeavesNoSealAndLogsNothing() throws Exception {
    UnlockedLedgerRecordsTest.FailingCommits store =
        new UnlockedLedgerRecordsTest.FailingCommits(
            real, 1, k -> k.endsWith(EvidenceArchive.SEAL_SUFFIX));
    EvidenceArchive archive = EvidenceArchive.open(store, CLOCK);
    IOException e =
        assertThrows(IOException.class, () -> archive.ingest(KEY, file, seal, "intake-1"));
    assertFalse(e instanceof RecordNotRetainedException, e.toString());
    assertFalse(real.exists(SEAL));
    assertEquals(0, archive.ledger().size());
    // the resumable ingest completes it: the seal once, logged once
    EvidenceArchive.IngestOutcome done = archive.ingestOnce(KEY, file, seal, "intake-1");
    assertEquals(EvidenceArchive.IngestStatus.RESUMED, done.status());
    assertTrue(PermanentRecords.keptForGood(real, real.stat(SEAL)));
    assertEquals(1, sealedEntries().size());
  }
}
