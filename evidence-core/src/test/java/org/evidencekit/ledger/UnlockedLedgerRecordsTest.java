package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
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

    final Predicate<String> which;

    FailingLocks(InMemoryEvidenceStore real, int failures) {
      this(real, failures, k -> true);
    }

    FailingLocks(InMemoryEvidenceStore real, int failures, Predicate<String> which) {
      super(real);
      this.real = real;
      this.failures = new AtomicInteger(failures);
      this.which = which;
    }

    @Override
    public void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
      if (retainUntil.equals(PermanentRecords.FOREVER)
          && which.test(key.value())
          && failures.getAndDecrement() > 0) {
        throw new StoreUnavailableException("injected: no answer to the lock of " + key.value());
      }
      real.setRetention(key, retainUntil);
    }
  }

  private static boolean locked(EvidenceStore store, ObjectKey k) throws IOException {
    return PermanentRecords.FOREVER.equals(store.stat(k).retainUntil().orElse(null));
  }

  /** Fails the commit of the next {@code failures} objects {@code which} names; nothing is kept. */
  static final class FailingCommits extends ForwardingEvidenceStore {
    final AtomicInteger failures;
    final Predicate<String> which;

    FailingCommits(EvidenceStore real, int failures, Predicate<String> which) {
      super(real);
      this.failures = new AtomicInteger(failures);
      this.which = which;
    }

    @Override
    public WritableObject create(ObjectKey key) throws IOException {
      WritableObject w = super.create(key);
      if (!which.test(key.value()) || failures.getAndDecrement() <= 0) {
        return w;
      }
      return new WritableObject() {
        @Override
        public ObjectKey key() {
          return w.key();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
          return w.write(src);
        }

        @Override
        public boolean isOpen() {
          return w.isOpen();
        }

        @Override
        public boolean retainOnCommit(Instant retainUntil) {
          return w.retainOnCommit(retainUntil);
        }

        @Override
        public ObjectInfo commit() throws IOException {
          w.abort();
          throw new StoreUnavailableException("injected: the commit of " + key.value() + " failed");
        }

        @Override
        public void abort() throws IOException {
          w.abort();
        }

        @Override
        public void close() throws IOException {
          w.close();
        }
      };
    }
  }

  /** Each batch of {@code store}, kept for good or not. */
  private static Map<String, Boolean> batches(EvidenceStore store) throws IOException {
    Map<String, Boolean> out = new TreeMap<>();
    try (Stream<ObjectInfo> s = store.list(EvidenceLedger.BATCHES)) {
      for (ObjectInfo o : (Iterable<ObjectInfo>) s::iterator) {
        out.put(o.key().value(), PermanentRecords.keptForGood(store, o));
      }
    }
    return out;
  }

  /**
   * a batch committed but not locked is in the log. The append that wrote it returns
   * its index (a caller that tried again would log the entry twice), the next append takes the next
   * index, and the lock is done at that next append: no reader needs to come by.
   */
  @Test
  void aBatchCommittedButNotLockedIsAppendedOnceAndLockedByTheSameWritersNextAppend()
      throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 1);
    EvidenceLedger l = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertEquals(0, l.append(entry(0)), "committed: appended, whatever its lock did");
    assertEquals(1, l.size());
    ObjectKey first = EvidenceLedger.batchKey(0);
    assertEquals(false, locked(real, first), "the injected failure left it unlocked");
    assertEquals(1, l.append(entry(1)));
    assertTrue(locked(real, first), first.value());
    assertTrue(locked(real, EvidenceLedger.batchKey(1)));
    assertThrows(RetentionLockedException.class, () -> real.delete(first));
    assertEquals(List.of(entry(0), entry(1)), l.entries());
    EvidenceLedger reread = EvidenceLedger.open(real, Clock.fixed(T, ZoneOffset.UTC));
    assertEquals(List.of(entry(0), entry(1)), reread.entries(), "each entry exactly once");
    assertEquals(l.root(), reread.root(), "the writer's tree is the store's");
    assertEquals(List.of(), reread.openFindings());
  }

  @Test
  void asynchronousAppendsOfABatchWhoseLockFailedCompleteWithTheirIndices() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 1);
    EvidenceLedger l = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    List<CompletableFuture<Long>> fs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fs.add(l.appendAsync(entry(i)));
    }
    TreeSet<Long> indices = new TreeSet<>();
    for (CompletableFuture<Long> f : fs) {
      indices.add(f.get(30, TimeUnit.SECONDS));
    }
    assertEquals(50, indices.size());
    assertEquals(49L, indices.last());
    l.refresh(); // the lock left over is tried again here too
    assertEquals(Set.of(true), Set.copyOf(batches(real).values()), batches(real).toString());
    List<LedgerEntry> want = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      want.add(entry(i));
    }
    assertEquals(want, EvidenceLedger.open(real, Clock.fixed(T, ZoneOffset.UTC)).entries());
  }

  /**
   * A commit that fails is a failed append: nothing visible, nothing in the tree, no index used.
   */
  @Test
  void aBatchWhoseCommitFailedIsAFailedAppendAndLeavesNothing() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingCommits store = new FailingCommits(real, 1, k -> k.startsWith(EvidenceLedger.BATCHES));
    EvidenceLedger l = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    IOException e = assertThrows(IOException.class, () -> l.append(entry(0)));
    assertFalse(e.getCause() instanceof RecordNotRetainedException, e.toString());
    assertEquals(0, l.size());
    assertEquals(Map.of(), batches(real));
    assertEquals(0, l.append(entry(1)), "the failed entry took no index");
    assertEquals(
        List.of(entry(1)), EvidenceLedger.open(real, Clock.fixed(T, ZoneOffset.UTC)).entries());
    assertEquals(Map.of(EvidenceLedger.batchKey(0).value(), true), batches(real));
  }

  /**
   * Against a naive model (a list of the entries appended): whichever batches' locks fail, the log
   * read back holds each entry once, in order, with the index its append returned, and every batch
   * ends up kept for good.
   */
  @Property(tries = 30)
  void whicheverLocksFailEveryEntryIsLoggedOnceAndEveryBatchEndsUpLocked(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 5) Integer> batchSizes,
      @ForAll @Size(min = 12, max = 12) List<Boolean> lockFails)
      throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 0);
    EvidenceLedger l = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    List<LedgerEntry> model = new ArrayList<>();
    for (int b = 0; b < batchSizes.size(); b++) {
      List<LedgerEntry> batch = new ArrayList<>();
      for (int i = 0; i < batchSizes.get(b); i++) {
        batch.add(entry(model.size() + i));
      }
      store.failures.set(lockFails.get(b) ? 1 : 0);
      assertEquals(model.size(), l.appendAll(batch));
      model.addAll(batch);
      assertEquals(model.size(), l.size());
    }
    store.failures.set(0);
    l.refresh();
    assertEquals(model, EvidenceLedger.open(real, Clock.fixed(T, ZoneOffset.UTC)).entries());
    assertEquals(Set.of(true), Set.copyOf(batches(real).values()), batches(real).toString());
  }

  @Test
  void aBatchLeftUnlockedByAStoppedWriterIsLockedWhenTheLedgerIsOpened() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 1);
    EvidenceLedger stopped = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertEquals(0, stopped.append(entry(0))); // and the process ends before its next append
    assertEquals(false, locked(real, EvidenceLedger.batchKey(0)));
    EvidenceLedger next = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertEquals(1, next.size());
    assertTrue(locked(real, EvidenceLedger.batchKey(0)));
    assertEquals(List.of(), next.openFindings());
  }

  @Test
  void aStoreThatRefusesTheLockLeavesAFindingNotAFailedOpen() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 1);
    EvidenceLedger stopped = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    assertEquals(0, stopped.append(entry(0)));
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
    LogCheckpoint signed = l.checkpoint(key); // stored: it is the checkpoint, lock or not
    ObjectKey cp = EvidenceLedger.checkpointKey(1);
    assertTrue(real.exists(cp));
    assertEquals(false, locked(real, cp));
    LogCheckpoint again = l.checkpoint(key);
    assertArrayEquals(signed.encoded(), again.encoded(), "the one stored");
    assertEquals(1, again.size());
    assertTrue(locked(real, cp), cp.value());
  }

  @Test
  void aCheckpointWhoseLockFailedIsLockedAtTheNextAppend() throws Exception {
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(Clock.fixed(T, ZoneOffset.UTC));
    FailingLocks store = new FailingLocks(real, 0);
    EvidenceLedger l = EvidenceLedger.open(store, Clock.fixed(T, ZoneOffset.UTC));
    l.append(entry(0));
    store.failures.set(1);
    l.checkpoint(key);
    ObjectKey cp = EvidenceLedger.checkpointKey(1);
    assertEquals(false, locked(real, cp));
    l.append(entry(1));
    assertTrue(locked(real, cp), cp.value());
  }
}
