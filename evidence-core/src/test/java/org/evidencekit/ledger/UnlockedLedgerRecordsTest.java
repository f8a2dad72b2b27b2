package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.verify.Finding;
import org.junit.jupiter.api.Test;

/**
 * Ledger batches and checkpoints are kept for good. Where the store sets retention
 * only after the commit, a failure (or a crash) between the two leaves a committed, unlocked
 * record: the entries are in the log, but anyone with the store's API could delete them. The next
 * writer or reader that takes the record in must lock it, and one that cannot must say so.
 */
class UnlockedLedgerRecordsTest {
  static final Instant T = Instant.parse("2026-03-01T00:00:00Z");

  private final SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);

  static LedgerEntry entry(int i) {
    return LedgerEntry.builder()
        .type(EntryType.VIEWED)
        .time(T.plusSeconds(i))
        .actor("officer-" + i)
        .subject("cam/rec-" + i + ".mp4")
        .build();
  }

  /** Forwards to a real store; fails the next {@code failures} locks until FOREVER. */
  static final class FailingLocks extends ForwardingEvidenceStore {
    final InMemoryEvidenceStore real;
    final AtomicInteger failures;

    FailingLocks(InMemoryEvidenceStore real, int failures) {
      super(real);
      this.real = real;
      this.failures = new AtomicInteger(failures);
    }

    @Override
    public void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
      if (retainUntil.equals(PermanentRecords.FOREVER) && failures.getAndDecrement() > 0) {
        throw new StoreUnavailableException("injected: no answer to the lock of " + key.value());
      }
      real.setRetention(key, retainUntil);
    }
  }

  private static boolean locked(EvidenceStore store, ObjectKey k) throws IOException {
    return PermanentRecords.FOREVER.equals(store.stat(k).retainUntil().orElse(null));
  }

  @Test
  void aBatchWhoseLockFailedIsLockedByTheSameWritersNextAppend() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 1);
    EvidenceLedger l = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertThrows(IOException.class, () -> l.append(entry(0)));
    ObjectKey first = EvidenceLedger.batchKey(0);
    assertTrue(real.exists(first), "committed before the lock failed");
    assertEquals(false, locked(real, first));
    // the entry is in the log all the same: the next append lands after it and locks it
    assertEquals(1, l.append(entry(1)));
    assertTrue(locked(real, first), first.value());
    assertTrue(locked(real, EvidenceLedger.batchKey(1)));
    assertThrows(RetentionLockedException.class, () -> real.delete(first));
  }

  @Test
  void aBatchLeftUnlockedByAStoppedWriterIsLockedWhenTheLedgerIsOpened() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 1);
    EvidenceLedger crashed = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertThrows(IOException.class, () -> crashed.append(entry(0)));
    EvidenceLedger next = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertEquals(1, next.size());
    assertTrue(locked(real, EvidenceLedger.batchKey(0)));
    assertEquals(List.of(), next.openFindings());
  }

  @Test
  void aStoreThatRefusesTheLockLeavesAFindingNotAFailedOpen() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 1);
    EvidenceLedger crashed = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertThrows(IOException.class, () -> crashed.append(entry(0)));
    store.failures.set(Integer.MAX_VALUE); // read-only credentials, say
    EvidenceLedger reader = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertEquals(1, reader.size());
    List<Finding> f = reader.openFindings();
    assertEquals(1, f.size(), f.toString());
    assertEquals(LedgerFindingCode.RECORD_NOT_RETAINED, f.get(0).code());
    assertTrue(f.get(0).message().contains(EvidenceLedger.batchKey(0).value()), f.toString());
  }

  @Test
  void aCheckpointWhoseLockFailedIsLockedWhenTheCheckpointIsAskedForAgain() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 0);
    EvidenceLedger l = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    l.append(entry(0));
    store.failures.set(1);
    assertThrows(IOException.class, () -> l.checkpoint(key));
    ObjectKey cp = EvidenceLedger.checkpointKey(1);
    assertTrue(real.exists(cp));
    assertEquals(false, locked(real, cp));
    LogCheckpoint again = l.checkpoint(key);
    assertEquals(1, again.size());
    assertTrue(locked(real, cp), cp.value());
  }
}
