package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listings of disposition records read back object by object are bounded (R-16, Art. 19, 21): a
 * store that lists millions of objects planted under a plan's approvals or registers, or in a
 * recording's tombstone folder, is refused with the prefix and the bound named, after one entry
 * past the bound of its listing and before any object is opened. Without a bound each call listed
 * all of them and read them one by one. The store here fabricates its listing entries, so nothing
 * of the sort is ever written.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PlantedListingTest {
  static final Instant END = Instant.parse("2024-06-01T06:10:00Z");
  static final Instant LATER = Instant.parse("2026-07-01T00:00:00Z");
  static final String PLAN = "ab".repeat(32);
  static final SigningKeys.LocalSigningKey ALICE = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey BOB = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey EXEC = SigningKeys.generate(SignatureSuite.ED25519);

  /**
   * A store whose listing of one prefix holds, after the real objects, {@code planted} more that
   * exist only in the listing. Counts the planted entries the caller pulled and the objects it
   * opened under the prefix.
   */
  static final class PlantedListingStore extends ForwardingEvidenceStore {
    final EvidenceStore inner;
    String prefix = "none/";
    long planted;
    final AtomicLong pulled = new AtomicLong();
    final AtomicLong opened = new AtomicLong();

    PlantedListingStore(EvidenceStore inner) {
      super(inner);
      this.inner = inner;
    }

    void plant(String prefix, long planted) {
      this.prefix = prefix;
      this.planted = planted;
    }

    @Override
    public Stream<ObjectInfo> list(String p) throws IOException {
      Stream<ObjectInfo> real = inner.list(p);
      if (!p.startsWith(prefix)) {
        return real;
      }
      Stream<ObjectInfo> fake =
          LongStream.rangeClosed(1, planted)
              .mapToObj(
                  i ->
                      ObjectInfo.builder(ObjectKey.of(prefix + StoredObjects.seq(i) + "-x.json"))
                          .size(100)
                          .createdAt(LATER)
                          .build())
              .peek(i -> pulled.incrementAndGet());
      return Stream.concat(real, fake);
    }

    /** The keys of the listing, planted ones included. */
    @Override
    public Stream<ObjectKey> keys(String p) throws IOException {
      return list(p).map(ObjectInfo::key);
    }

    @Override
    public SeekableByteChannel openRead(ObjectKey key) throws IOException {
      if (key.startsWith(prefix)) {
        opened.incrementAndGet();
      }
      return inner.openRead(key);
    }
  }

  MutableClock wall;
  PlantedListingStore store;
  EvidenceLedger ledger;
  String digest;

  @BeforeEach
  void setUp() throws IOException {
    wall = new MutableClock(LATER);
    store = new PlantedListingStore(new InMemoryEvidenceStore(wall));
    ledger = EvidenceLedger.open(store, wall);
  }

  private void assertRefused(String prefix, int max, RetentionFormatException e) {
    assertTrue(
        e.getMessage().startsWith(prefix + " holds more than " + max + " objects"), e.getMessage());
    assertTrue(store.pulled.get() <= max + 1L, store.pulled + " planted entries listed");
    assertEquals(0, store.opened.get(), "no object under the prefix opened");
  }

  @Test
  void approvalsOfAPlanPastTheBoundAreRefusedUnread() {
    String prefix = Disposition.APPROVALS + PLAN + "/";
    store.plant(prefix, 10L * Disposition.MAX_APPROVALS);
    RetentionFormatException e =
        assertThrows(RetentionFormatException.class, () -> Disposition.approvals(store, PLAN));
    assertRefused(prefix, 1_000, e);
  }

  @Test
  void registersOfAPlanPastTheBoundAreRefusedUnread() {
    String prefix = DestructionRegister.PREFIX + PLAN + "/";
    store.plant(prefix, 10L * DestructionRegister.MAX_REGISTERS);
    RetentionFormatException e =
        assertThrows(RetentionFormatException.class, () -> DestructionRegister.read(store, PLAN));
    assertRefused(prefix, 10_000, e);
  }

  @Test
  void tombstonesOfARecordingPastTheBoundAreRefusedUnread() {
    String prefix = Tombstone.PREFIX + StoredObjects.folder("A") + "/";
    store.plant(prefix, 10L * Tombstone.MAX_STATES);
    RetentionFormatException e =
        assertThrows(RetentionFormatException.class, () -> Tombstone.history(store, "A"));
    assertRefused(prefix, 10_000, e);
  }

  /** At the bound itself a listing is read; the next record would pass it, so none is written. */
  @Test
  void theNextRecordIsRefusedAtTheBoundAndNumberedBelowIt() throws IOException {
    String prefix = DestructionRegister.PREFIX + PLAN + "/";
    store.plant(prefix, 4);
    assertEquals(4, StoredObjects.list(store, prefix, 4, "things").size());
    assertEquals(5, StoredObjects.next(store, prefix, 5, "things"));
    RetentionFormatException e =
        assertThrows(
            RetentionFormatException.class, () -> StoredObjects.next(store, prefix, 4, "things"));
    assertEquals(prefix + " already holds 4 objects, the most things can be", e.getMessage());
  }

  void put(String key) throws IOException {
    try (WritableObject w = store.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(("content of " + key).getBytes(StandardCharsets.UTF_8)));
      w.commit();
    }
  }

  static RetentionFacts facts() {
    List<RetentionFacts.Recording> rs = new ArrayList<>();
    for (String id : List.of("A", "B")) {
      rs.add(
          RetentionFacts.Recording.builder(id)
              .recordingEnd(END)
              .objectKey("rec/" + id + ".mp4")
              .custodian("officer-" + id)
              .build());
    }
    return RetentionFacts.of(rs, List.of());
  }

  /** A plan of A and B, approved by two people: ready to run. */
  private DispositionExecution approvedPlan() throws Exception {
    put("rec/A.mp4");
    put("rec/B.mp4");
    RetentionPolicy reg = RetentionPolicy.regulationDefault();
    Disposition.Plan plan =
        Disposition.plan(reg, facts(), RetentionHistory.read(ledger), LATER).plannedBy("planner");
    assertEquals(2, plan.disposable().size());
    digest = Disposition.record(plan, store, ledger);
    for (var who : List.of("approver-alice", "approver-bob")) {
      Disposition.approve(
          DispositionApproval.builder()
              .planDigest(digest)
              .approver(who)
              .key(who.endsWith("alice") ? ALICE : BOB)
              .expiresAt(LATER.plus(Duration.ofDays(30))),
          store,
          ledger,
          wall::instant);
    }
    return DispositionExecution.builder()
        .planDigest(digest)
        .policy(reg)
        .facts(facts())
        .approverKeys(TrustAnchors.ofPublicKeys(List.of(ALICE.publicKeyDer(), BOB.publicKeyDer())))
        .signer(EXEC)
        .executedBy("executor")
        .build();
  }

  private void assertNothingDisposed() throws IOException {
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")));
    assertTrue(store.exists(ObjectKey.of("rec/B.mp4")));
    for (LedgerEntry e : ledger.entries()) {
      assertTrue(!e.type().equals(EntryType.DISPOSED), e.toString());
    }
  }

  /**
   * A plan whose register folder already holds as many registers as a plan can have is refused
   * before anything is deleted: a run whose register could not be written must not delete.
   */
  @Test
  void aRunIsRefusedBeforeAnyDeleteWhenItsRegisterWouldPassTheBound() throws Exception {
    DispositionExecution run = approvedPlan();
    String prefix = DestructionRegister.PREFIX + digest + "/";
    store.plant(prefix, DestructionRegister.MAX_REGISTERS);
    RetentionFormatException e =
        assertThrows(RetentionFormatException.class, () -> run.run(store, ledger, wall::instant));
    assertEquals(
        prefix + " already holds 10000 objects, the most destruction registers of a plan can be",
        e.getMessage());
    assertNothingDisposed();
    assertEquals(0, Tombstone.history(store, "A").size());
  }

  /**
   * A recording with millions of planted tombstones is kept, its item FAILED with the folder's
   * bound, and the run goes on: the planted folder blocks that recording's disposal (safe: it
   * stays) but no longer every other recording of the plan, nor the register of what was done
   * before it.
   */
  @Test
  void aRecordingWithPlantedTombstonesIsKeptAndFailedWhileTheRunGoesOn() throws Exception {
    DispositionExecution run = approvedPlan();
    String prefix = Tombstone.PREFIX + StoredObjects.folder("A") + "/";
    store.plant(prefix, 10L * Tombstone.MAX_STATES);
    DestructionRegister reg = run.run(store, ledger, wall::instant);
    DestructionRegister.Item a = reg.items().get(0);
    assertEquals("A", a.recordingId());
    assertEquals(DestructionRegister.Outcome.FAILED, a.outcome(), reg.toString());
    assertTrue(a.reason().contains(prefix + " holds more than 10000 objects"), a.reason());
    assertTrue(store.pulled.get() <= 10_001L, store.pulled + " planted entries listed");
    assertEquals(0, store.opened.get(), "no object under the prefix opened");
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")), "kept");
    assertTrue(!store.exists(ObjectKey.of("rec/B.mp4")), "disposed of");
    assertEquals(List.of("B"), disposedIds(reg));
  }

  private static List<String> disposedIds(DestructionRegister reg) {
    return reg.items(DestructionRegister.Outcome.DISPOSED).stream()
        .map(DestructionRegister.Item::recordingId)
        .toList();
  }
}
