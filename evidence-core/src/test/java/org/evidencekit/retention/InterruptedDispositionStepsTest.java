package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
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

/**
 * Each disposition step stores its record, then appends its ledger entry (R-16, Art. 19, 21). A run
 * that stops between the two leaves a record the ledger lacks: the same step asked again, or the
 * next execution, must append that entry from the record itself, once, and never a second one.
 */
class InterruptedDispositionStepsTest {
  static final Instant LATER = FourEyesDispositionTest.LATER;
  static final SigningKeys.LocalSigningKey ALICE = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey BOB = SigningKeys.generate(SignatureSuite.SM2_SM3);
  static final SigningKeys.LocalSigningKey MALLORY = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey EXEC = SigningKeys.generate(SignatureSuite.ED25519);

  MutableClock wall;
  InMemoryEvidenceStore store;
  EvidenceLedger ledger;
  TrustedClock clock;
  String digest;

  @BeforeEach
  void setUp() throws Exception {
    wall = new MutableClock(LATER);
    store = new InMemoryEvidenceStore(wall);
    ledger = EvidenceLedger.open(store, wall);
    clock = wall::instant;
    for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4")) {
      try (WritableObject w = store.create(ObjectKey.of(k))) {
        w.write(ByteBuffer.wrap(("content of " + k).getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }
    }
    Disposition.Plan plan =
        Disposition.plan(
                FourEyesDispositionTest.REG,
                FourEyesDispositionTest.facts(),
                RetentionHistory.read(ledger),
                LATER)
            .plannedBy("planner");
    digest = Disposition.record(plan, store, ledger);
  }

  DispositionApproval.Builder terms(String who, SigningKeys.LocalSigningKey key, Duration valid) {
    return DispositionApproval.builder()
        .planDigest(digest)
        .approver(who)
        .key(key)
        .expiresAt(wall.instant().plus(valid));
  }

  DispositionApproval approve(String who, SigningKeys.LocalSigningKey key) throws Exception {
    return Disposition.approve(terms(who, key, Duration.ofDays(30)), store, ledger, clock);
  }

  /** What {@link Disposition#approve} stores before its ledger entry, and nothing after. */
  DispositionApproval storedWithoutEntry(String who, SigningKeys.LocalSigningKey key)
      throws IOException {
    DispositionApproval.Builder b = terms(who, key, Duration.ofDays(30));
    b.check();
    DispositionApproval a = DispositionApproval.sign(b, wall.instant());
    StoredObjects.createPermanent(store, Disposition.approvalKey(digest, who), a.toJson());
    return a;
  }

  List<LedgerEntry> entries(String type) throws IOException {
    List<LedgerEntry> out = new ArrayList<>();
    for (LedgerEntry e : EvidenceLedger.open(store, wall).entries()) {
      if (e.type().equals(type)) {
        out.add(e);
      }
    }
    return out;
  }

  DestructionRegister execute() throws Exception {
    return execute(digest);
  }

  DestructionRegister execute(String plan) throws Exception {
    return DispositionExecution.builder()
        .planDigest(plan)
        .policy(FourEyesDispositionTest.REG)
        .facts(FourEyesDispositionTest.facts())
        .approverKeys(TrustAnchors.ofPublicKeys(List.of(ALICE.publicKeyDer(), BOB.publicKeyDer())))
        .signer(EXEC)
        .executedBy("executor")
        .build()
        .run(store, ledger, clock);
  }

  @Test
  void anApprovalStoredWithoutItsEntryIsCompletedByTheSecondApproveWithItsOwnTerms()
      throws Exception {
    DispositionApproval stopped = storedWithoutEntry("approver-alice", ALICE);
    assertEquals(List.of(), entries(EntryType.DISPOSITION_APPROVED));
    wall.set(LATER.plus(Duration.ofHours(3))); // she comes back later, with other terms
    DispositionApproval back =
        Disposition.approve(
            terms("approver-alice", ALICE, Duration.ofDays(7)), store, ledger, clock);
    assertEquals(stopped.digest(), back.digest(), "the stored approval, not a new one");
    List<LedgerEntry> approved = entries(EntryType.DISPOSITION_APPROVED);
    assertEquals(1, approved.size(), approved.toString());
    LedgerEntry e = approved.get(0);
    assertEquals(stopped.digest(), e.payloadDigest().orElseThrow());
    assertEquals(LATER, e.time(), "the stored approval's time, not the second call's");
    assertEquals("approver-alice", e.actor());
    assertEquals("plan:" + digest, e.subject());
    assertEquals(stopped.expiresAt().toString(), e.details().get("expiresAt"));
    // a third call is a second approval: refused, still one entry
    DispositionRefusedException again =
        assertThrows(DispositionRefusedException.class, () -> approve("approver-alice", ALICE));
    assertTrue(again.getMessage().contains("already approved"), again.getMessage());
    assertEquals(1, entries(EntryType.DISPOSITION_APPROVED).size());
    // and the plan can be executed with the two approvals
    approve("approver-bob", BOB);
    assertEquals(2, entries(EntryType.DISPOSITION_APPROVED).size());
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.items().toString());
  }

  /**
   * Two calls for one approver at once, as two processes would make them: the first stores the
   * approval; before it logs it, the second finds it stored and completes it. One entry, not two
   * (before, both appended theirs), and both calls return the one approval.
   */
  @Test
  void anApprovalCompletedByAnotherCallWhileItsOwnIsStillLoggingIsLoggedOnce() throws Exception {
    ObjectKey key = Disposition.approvalKey(digest, "approver-alice");
    DispositionApproval[] completed = {null};
    EvidenceStore racing =
        new ForwardingEvidenceStore(store) {
          @Override
          public void setLegalHold(ObjectKey k, boolean hold) throws IOException {
            super.setLegalHold(k, hold);
            if (k.equals(key) && completed[0] == null) {
              // stored and held, its entry not yet appended: the other process's call, whole
              try {
                completed[0] =
                    Disposition.approve(
                        terms("approver-alice", ALICE, Duration.ofDays(30)),
                        store,
                        EvidenceLedger.open(store, wall),
                        clock);
              } catch (DispositionRefusedException | ClockRefusedException e) {
                throw new AssertionError("the second call was refused", e);
              }
            }
          }
        };
    DispositionApproval first =
        Disposition.approve(
            terms("approver-alice", ALICE, Duration.ofDays(30)), racing, ledger, clock);
    assertEquals(first.digest(), completed[0].digest(), "the second call completed the first's");
    List<LedgerEntry> approved = entries(EntryType.DISPOSITION_APPROVED);
    assertEquals(1, approved.size(), approved.toString());
    assertEquals(first.digest(), approved.get(0).payloadDigest().orElseThrow());
    // a later approve by the same person is a second approval: refused, still one entry
    assertThrows(DispositionRefusedException.class, () -> approve("approver-alice", ALICE));
    assertEquals(1, entries(EntryType.DISPOSITION_APPROVED).size());
  }

  @Test
  void approvingTwiceIsRefusedAndLogsOnce() throws Exception {
    DispositionApproval first = approve("approver-alice", ALICE);
    DispositionRefusedException e =
        assertThrows(DispositionRefusedException.class, () -> approve("approver-alice", ALICE));
    assertTrue(e.getMessage().contains("has already approved"), e.getMessage());
    List<LedgerEntry> approved = entries(EntryType.DISPOSITION_APPROVED);
    assertEquals(1, approved.size());
    assertEquals(first.digest(), approved.get(0).payloadDigest().orElseThrow());
  }

  /** An object at the approver's key that their key did not sign is never logged in their name. */
  @Test
  void anApprovalAtTheApproversKeySignedByAnotherKeyIsNotLogged() throws Exception {
    storedWithoutEntry("approver-alice", MALLORY);
    DispositionRefusedException e =
        assertThrows(DispositionRefusedException.class, () -> approve("approver-alice", ALICE));
    assertTrue(e.getMessage().contains("did not sign"), e.getMessage());
    assertEquals(List.of(), entries(EntryType.DISPOSITION_APPROVED));
  }

  /** What a run stores and logs before its delete: the intended state, then its entry. */
  void intendedAndLogged(String id, String sha) throws IOException {
    Tombstone t =
        new Tombstone(
            id,
            "rec/" + id + ".mp4",
            Tombstone.State.INTENDED,
            LATER,
            digest,
            "executor",
            sha,
            null,
            "");
    t.store(store);
    ledger.append(DispositionExecution.entryOf(t));
  }

  Tombstone state(String id, Tombstone.State state, String sha) {
    return new Tombstone(id, "rec/" + id + ".mp4", state, LATER, digest, "executor", sha, null, "");
  }

  List<LedgerEntry> entriesOf(String type, String id) throws IOException {
    return entries(type).stream().filter(x -> x.subject().equals(id)).toList();
  }

  /**
   * A run stopped after its delete and its disposed state, before that state's entry: the next run
   * reports it disposed and, from the tombstone, logs the disposal the ledger lacked, since the
   * ledger holds the intent it follows from.
   */
  @Test
  void aTombstoneStoredWithoutItsEntryIsLoggedByTheNextRun() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4"));
    state("A", Tombstone.State.DISPOSED, sha).store(store);
    assertEquals(List.of(), entries(EntryType.DISPOSED));
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    // no register of the plan lists A yet: this one does, as destroyed by the stopped run
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertTrue(
        reg.items().get(0).reason().contains("disposed at " + LATER + " by executor"),
        reg.items().get(0).reason());
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(LATER, disposedOfA.get(0).time(), "the tombstone's time");
    assertEquals(sha, disposedOfA.get(0).payloadDigest().orElseThrow());
    assertTrue(RetentionHistory.read(ledger).disposedAt("A").isPresent());
    assertEquals(
        DestructionRegister.Outcome.ALREADY_DISPOSED,
        execute().items().get(0).outcome(),
        "and never twice");
    assertEquals(1, entriesOf(EntryType.DISPOSED, "A").size());
  }

  /**
   * Anyone who can write to the store can plant a disposed tombstone, for instance to cover a
   * delete done outside disposition. With no logged intent behind it, it is not logged: the run
   * finds the object gone and says so (MISSING), and the ledger holds no disposal of it.
   */
  @Test
  void aPlantedDisposedTombstoneIsNotLoggedAndTheDeleteBehindItShowsAsMissing() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    store.delete(ObjectKey.of("rec/A.mp4")); // deleted outside disposition
    state("A", Tombstone.State.DISPOSED, sha).store(store);
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.MISSING, reg.items().get(0).outcome(), reg.toString());
    assertEquals(List.of(), entriesOf(EntryType.DISPOSED, "A"));
    assertEquals(1, entriesOf(EntryType.DISPOSAL_MISSING, "A").size());
    assertTrue(RetentionHistory.read(ledger).disposedAt("A").isEmpty());
    // B and C were disposed of as usual
    assertEquals(2, reg.items(DestructionRegister.Outcome.DISPOSED).size());
  }

  /**
   * A planted disposed tombstone of a recording still there does not turn the run's delete into
   * "already disposed": the run deletes it itself, and the ledger holds its own entries only.
   */
  @Test
  void aPlantedDisposedTombstoneOfARecordingStillThereDoesNotStopItsDisposal() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    state("A", Tombstone.State.DISPOSED, sha).store(store);
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertEquals("", reg.items().get(0).reason(), "deleted by this run");
    assertTrue(!store.exists(ObjectKey.of("rec/A.mp4")));
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(LATER.plus(Duration.ofHours(1)), disposedOfA.get(0).time(), "this run's time");
    assertEquals(1, entriesOf(EntryType.DISPOSAL_INTENDED, "A").size());
  }

  /**
   * A planted intended tombstone and a delete outside disposition do not pass as a run that stopped
   * after its delete ("completed after interruption"): the object is missing.
   */
  @Test
  void aPlantedIntentBeforeAnOutsideDeleteIsNotCompletedIntoADisposal() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    state("A", Tombstone.State.INTENDED, sha).store(store);
    store.delete(ObjectKey.of("rec/A.mp4"));
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.MISSING, reg.items().get(0).outcome(), reg.toString());
    assertEquals(List.of(), entriesOf(EntryType.DISPOSED, "A"));
    assertEquals(List.of(), entriesOf(EntryType.DISPOSAL_INTENDED, "A"));
  }

  /**
   * The same steps done honestly: the intent logged, then the run stopped after its delete. The
   * next run completes the disposal, since the ledger holds the intent.
   */
  @Test
  void aLoggedIntentBeforeTheDeleteIsCompletedIntoADisposal() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4"));
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertEquals("completed after interruption", reg.items().get(0).reason());
    assertEquals(sha, entriesOf(EntryType.DISPOSED, "A").get(0).payloadDigest().orElseThrow());
  }

  /**
   * A run stopped after its delete, before its disposed state; then a hold is placed on the
   * recording (its content already gone). The next run judged the recording first: held, so kept,
   * and never looked at the object, so the disposal behind the logged intent was never logged, run
   * after run: a recording destroyed with no disposed entry, which the ledger then shows as kept
   * and held. The hold keeps nothing that is left: the disposal is completed.
   */
  @Test
  void aStoppedDisposalIsCompletedEvenIfTheRecordingIsHeldSince() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4"));
    wall.set(LATER.plus(Duration.ofHours(1)));
    RetentionHolds.place(
        ledger, store, clock, "A", Optional.empty(), "legal", "appeal filed", "legal-section");
    wall.set(LATER.plus(Duration.ofHours(2)));
    DestructionRegister reg = execute();
    DestructionRegister.Item a =
        reg.items().stream().filter(i -> i.recordingId().equals("A")).findFirst().orElseThrow();
    assertEquals(DestructionRegister.Outcome.DISPOSED, a.outcome(), reg.toString());
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(sha, disposedOfA.get(0).payloadDigest().orElseThrow());
    assertTrue(RetentionHistory.read(ledger).disposedAt("A").isPresent());
    assertEquals(
        DestructionRegister.Outcome.ALREADY_DISPOSED,
        execute().items().get(0).outcome(),
        "and once");
    assertEquals(1, entriesOf(EntryType.DISPOSED, "A").size());
  }

  /**
   * A run stopped after its delete, before its disposed state; a state planted there with the
   * intent's object and digest but naming another executor (and a reason of the planter's) was
   * logged as it was: the ledger then said that person destroyed the recording, in words nobody
   * wrote. A stopped run's own state names the executor that logged its intent; any other is
   * not logged, and the run completes the disposal in its own name.
   */
  @Test
  void aDisposedStatePlantedInAnotherExecutorsNameIsNotLogged() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4"));
    new Tombstone(
            "A",
            "rec/A.mp4",
            Tombstone.State.DISPOSED,
            LATER,
            digest,
            "chief-li",
            sha,
            null,
            "destroyed on the chief's own order")
        .store(store);
    wall.set(LATER.plus(Duration.ofHours(1)));
    execute();
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals("executor", disposedOfA.get(0).actor(), disposedOfA.toString());
    assertFalse(
        disposedOfA.get(0).details().getOrDefault("reason", "").contains("chief"),
        disposedOfA.toString());
    assertEquals(sha, disposedOfA.get(0).payloadDigest().orElseThrow());
  }

  /** Plants {@code n} objects under {@code prefix}, as anyone who can write the store can. */
  void plant(String prefix, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      try (WritableObject w = store.create(ObjectKey.of(prefix + "junk-" + i))) {
        w.write(ByteBuffer.wrap(new byte[] {1}));
        w.commit();
      }
    }
  }

  /**
   * A recording's tombstone folder planted one object short of its bound: the folder could still be
   * read and the intent stored (the bound's last place), the object was deleted, and then its
   * disposed state could not be stored, so the run threw with the recording destroyed and no
   * disposed entry, before the others and the register; every later run threw at the same place
   * . A recording is now disposed of only if its folder has room for the intent and its
   * outcome; else it is kept (FAILED, saying why) and the run goes on.
   */
  @Test
  void aTombstoneFolderWithNoRoomForTheDisposalKeepsTheRecording() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    plant(Tombstone.PREFIX + StoredObjects.folder("A") + "/", Tombstone.MAX_STATES - 1);
    DestructionRegister reg = execute();
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")), "A is kept");
    assertEquals(DestructionRegister.Outcome.FAILED, reg.items().get(0).outcome(), reg.toString());
    assertTrue(reg.items().get(0).reason().contains("no room"), reg.items().get(0).reason());
    assertEquals(List.of(), entriesOf(EntryType.DISPOSAL_INTENDED, "A"));
    assertEquals(List.of(), entriesOf(EntryType.DISPOSED, "A"));
    assertEquals(1, entriesOf(EntryType.DISPOSED, "B").size());
    assertEquals(1, entriesOf(EntryType.DISPOSED, "C").size());
    assertEquals(1, entries(EntryType.DESTRUCTION_REGISTERED).size());
  }

  /**
   * A run stopped after its delete, and its recording's tombstone folder then planted full: the
   * next run could not store the state completing the disposal and threw, before the plan's other
   * recordings and its register, run after run. The recording is now reported FAILED, saying
   * why, and the run goes on.
   */
  @Test
  void aFullTombstoneFolderAfterAStoppedDeleteDoesNotStopTheRun() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4"));
    plant(Tombstone.PREFIX + StoredObjects.folder("A") + "/", Tombstone.MAX_STATES - 1);
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.FAILED, reg.items().get(0).outcome(), reg.toString());
    assertTrue(reg.items().get(0).reason().contains("no room"), reg.items().get(0).reason());
    assertEquals(1, entriesOf(EntryType.DISPOSED, "B").size());
    assertEquals(1, entriesOf(EntryType.DISPOSED, "C").size());
    assertEquals(1, entries(EntryType.DESTRUCTION_REGISTERED).size());
  }

  /**
   * A disposed state whose content digest is not the logged intent's (the planter could not know
   * what the run read) is not logged, even with the intent in the ledger.
   */
  @Test
  void aDisposedStateWithAnotherDigestThanTheLoggedIntentIsNotLogged() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4"));
    state("A", Tombstone.State.DISPOSED, "0".repeat(64)).store(store);
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(sha, disposedOfA.get(0).payloadDigest().orElseThrow(), "the logged intent's");
  }

  /** An intent stored without its entry was followed by no delete: the run decides afresh. */
  @Test
  void anIntentStoredWithoutItsEntryIsLeftUnloggedAndTheRunDeletesItself() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    state("A", Tombstone.State.INTENDED, sha).store(store);
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertEquals(1, entriesOf(EntryType.DISPOSAL_INTENDED, "A").size(), "this run's own");
    assertEquals(1, entriesOf(EntryType.DISPOSED, "A").size());
    assertEquals(3, Tombstone.history(store, "A").size(), "both intents and the disposal stored");
  }

  /**
   * Objects planted in a recording's tombstone folder and beside a plan's registers (junk, or a
   * well-formed state of another recording) neither stop the run nor count.
   */
  @Test
  void junkBesideTombstonesAndRegistersNeitherStopsTheRunNorCounts() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String folder = Tombstone.PREFIX + StoredObjects.folder("A") + "/";
    StoredObjects.createPermanent(
        store, ObjectKey.of(folder + StoredObjects.seq(1) + "-disposed.json"), "{".getBytes());
    Tombstone ofB =
        new Tombstone(
            "B", "rec/A.mp4", Tombstone.State.DISPOSED, LATER, digest, "executor", null, null, "");
    StoredObjects.createPermanent(
        store, ObjectKey.of(folder + StoredObjects.seq(2) + "-disposed.json"), ofB.toJson());
    StoredObjects.createPermanent(
        store,
        ObjectKey.of(DestructionRegister.PREFIX + digest + "/" + StoredObjects.seq(1) + ".json"),
        "not a register".getBytes());
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());
    assertEquals(2, reg.batch(), "numbered after the planted object");
    assertEquals(1, entriesOf(EntryType.DISPOSED, "A").size());
    assertEquals(1, entries(EntryType.DESTRUCTION_REGISTERED).size(), "its own only");
  }

  /** A register as a stopped run of this plan would have stored it, unlogged. */
  DestructionRegister storeUnlogged(
      long batch, List<DestructionRegister.Item> items, SigningKeys.LocalSigningKey key)
      throws IOException {
    DestructionRegister r =
        DestructionRegister.sign(
            digest,
            batch,
            "planner",
            List.of("approver-alice", "approver-bob"),
            "executor",
            LATER,
            items,
            key);
    StoredObjects.createPermanent(
        store,
        ObjectKey.of(
            DestructionRegister.PREFIX + digest + "/" + StoredObjects.seq(batch) + ".json"),
        r.toJson());
    return r;
  }

  /** The items a second run of the plan lists after {@code first}: each destroyed one, again. */
  static List<DestructionRegister.Item> alreadyDisposed(DestructionRegister first) {
    return first.items(DestructionRegister.Outcome.DISPOSED).stream()
        .map(
            i ->
                new DestructionRegister.Item(
                    i.recordingId(),
                    i.objectKey(),
                    DestructionRegister.Outcome.ALREADY_DISPOSED,
                    i.contentSha256().orElse(null),
                    "disposed under plan " + first.planDigest()))
        .toList();
  }

  static DestructionRegister.Item disposedItem(String id) throws Exception {
    return new DestructionRegister.Item(
        id,
        "rec/" + id + ".mp4",
        DestructionRegister.Outcome.DISPOSED,
        FourEyesDispositionTest.sha256("content of rec/" + id + ".mp4"),
        "");
  }

  /**
   * A register planted under the plan (signed by a key no executor holds) listing A as destroyed is
   * neither logged nor believed: the run disposes of A itself, as DISPOSED, not ALREADY_DISPOSED.
   */
  @Test
  void aPlantedRegisterIsNotLoggedAndListsNothingAsAlreadyDisposed() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    DestructionRegister planted = storeUnlogged(1, List.of(disposedItem("A")), MALLORY);
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());
    assertTrue(!store.exists(ObjectKey.of("rec/A.mp4")));
    List<String> logged =
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList();
    assertEquals(List.of(reg.digest()), logged, "not " + planted.digest());
  }

  /**
   * A register signed with the executor's own key (a stolen one) that lists as destroyed a
   * recording the ledger holds no disposal of is not logged either.
   */
  @Test
  void aRegisterClaimingADisposalTheLedgerLacksIsNotLoggedEvenWithTheExecutorsKey()
      throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    DestructionRegister forged = storeUnlogged(1, List.of(disposedItem("A")), EXEC);
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());
    assertTrue(
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .noneMatch(x -> x.payloadDigest().orElseThrow().equals(forged.digest())));
  }

  /**
   * Another executor's register, stored by a run that stopped before its entry, is logged by a run
   * that trusts that executor's key ({@code executorKeys}), and by none that does not.
   */
  @Test
  void anotherExecutorsUnloggedRegisterIsLoggedOnlyUnderTheirTrustedKey() throws Exception {
    SigningKeys.LocalSigningKey other = SigningKeys.generate(SignatureSuite.SM2_SM3);
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    DestructionRegister first = execute();
    DestructionRegister unlogged = storeUnlogged(2, alreadyDisposed(first), other);
    wall.set(LATER.plus(Duration.ofHours(1)));
    execute();
    assertEquals(2, entries(EntryType.DESTRUCTION_REGISTERED).size(), "not the other's");
    wall.set(LATER.plus(Duration.ofHours(2)));
    DispositionExecution.builder()
        .planDigest(digest)
        .policy(FourEyesDispositionTest.REG)
        .facts(FourEyesDispositionTest.facts())
        .approverKeys(TrustAnchors.ofPublicKeys(List.of(ALICE.publicKeyDer(), BOB.publicKeyDer())))
        .executorKeys(TrustAnchors.ofPublicKeys(List.of(other.publicKeyDer())))
        .signer(EXEC)
        .executedBy("executor")
        .build()
        .run(store, ledger, clock);
    List<String> logged =
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList();
    assertEquals(4, logged.size(), logged.toString());
    assertEquals(unlogged.digest(), logged.get(2), "logged before the run's own register");
  }

  /**
   * An approval stored without its entry is valid for the execution (it verifies with a trusted
   * key), so the execution logs it before it deletes anything: otherwise the ledger, from which the
   * record sheet names a disposal's approvers, would show fewer approvers than the execution
   * counted, and the register naming them would look unvouched.
   */
  @Test
  void anApprovalStoredWithoutItsEntryIsLoggedByTheExecutionBeforeItsDisposals() throws Exception {
    DispositionApproval stopped = storedWithoutEntry("approver-alice", ALICE);
    approve("approver-bob", BOB);
    assertEquals(1, entries(EntryType.DISPOSITION_APPROVED).size());
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.items().toString());
    List<LedgerEntry> all = EvidenceLedger.open(store, wall).entries();
    List<Integer> alice = new ArrayList<>();
    int firstDisposed = -1;
    for (int i = 0; i < all.size(); i++) {
      LedgerEntry e = all.get(i);
      if (e.type().equals(EntryType.DISPOSITION_APPROVED)
          && e.payloadDigest().orElseThrow().equals(stopped.digest())) {
        alice.add(i);
      }
      if (e.type().equals(EntryType.DISPOSED) && firstDisposed < 0) {
        firstDisposed = i;
      }
    }
    assertEquals(1, alice.size(), "alice's approval logged once: " + all);
    assertTrue(alice.get(0) < firstDisposed, "before the first disposal: " + all);
    LedgerEntry e = all.get(alice.get(0));
    assertEquals("approver-alice", e.actor());
    assertEquals(LATER, e.time(), "the stored approval's own time");
    // a second run logs it no second time, and her approving again is refused
    execute();
    assertEquals(2, entries(EntryType.DISPOSITION_APPROVED).size());
    assertThrows(DispositionRefusedException.class, () -> approve("approver-alice", ALICE));
  }

  /** A register stored without its entry is logged, from the register, by the next run. */
  @Test
  void aRegisterStoredWithoutItsEntryIsLoggedByTheNextRun() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    DestructionRegister first = execute();
    assertEquals(1, entries(EntryType.DESTRUCTION_REGISTERED).size());
    // as if the run had stopped after storing the register: a second register, not logged
    DestructionRegister unlogged =
        DestructionRegister.sign(
            digest,
            2,
            first.plannedBy(),
            first.approvers(),
            "executor",
            LATER,
            alreadyDisposed(first),
            EXEC);
    StoredObjects.createPermanent(
        store,
        ObjectKey.of(DestructionRegister.PREFIX + digest + "/" + StoredObjects.seq(2) + ".json"),
        unlogged.toJson());
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister third = execute();
    assertEquals(3, third.batch());
    List<String> logged =
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList();
    assertEquals(List.of(first.digest(), unlogged.digest(), third.digest()), logged);
  }

  /**
   * The same register, signed with the executor's key (a stolen one) but dated 2099: logged, its
   * entry dated 2099 would make the ledger-anchored clock refuse every earlier time. A register
   * dated after the run's trusted time is no stopped run's: it stays unlogged.
   */
  @Test
  void aRegisterDatedAfterTheTrustedTimeIsNotLogged() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    DestructionRegister first = execute();
    Instant farAhead = Instant.parse("2099-01-01T00:00:00Z");
    DestructionRegister ahead =
        DestructionRegister.sign(
            digest,
            2,
            first.plannedBy(),
            first.approvers(),
            "executor",
            farAhead,
            alreadyDisposed(first),
            EXEC);
    StoredObjects.createPermanent(
        store,
        ObjectKey.of(DestructionRegister.PREFIX + digest + "/" + StoredObjects.seq(2) + ".json"),
        ahead.toJson());
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister third = execute();
    List<String> logged =
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList();
    assertEquals(List.of(first.digest(), third.digest()), logged, "not " + ahead.digest());
    for (LedgerEntry e : EvidenceLedger.open(store, wall).entries()) {
      assertTrue(e.time().isBefore(farAhead), e.toString());
    }
  }

  /** What a run stores and logs when the store refuses its delete: the refused state and entry. */
  void refusedAndLogged(String id, String sha) throws IOException {
    Tombstone t =
        new Tombstone(
            id,
            "rec/" + id + ".mp4",
            Tombstone.State.REFUSED,
            LATER,
            digest,
            "executor",
            sha,
            null,
            "the store refused: retained");
    t.store(store);
    ledger.append(DispositionExecution.entryOf(t));
  }

  /**
   * A logged intent vouches for one outcome. Once the ledger holds the store's refusal after it, a
   * disposed state planted later (the object since deleted some other way) does not follow from it:
   * it is not logged, and the run finds the object missing. Before, the intent still
   * vouched for it and the outside delete was logged and registered as this plan's disposal.
   */
  @Test
  void anIntentWhoseRefusalIsLoggedVouchesForNoPlantedDisposal() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    refusedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4")); // later, outside disposition
    state("A", Tombstone.State.DISPOSED, sha).store(store);
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.MISSING, reg.items().get(0).outcome(), reg.toString());
    assertEquals(List.of(), entriesOf(EntryType.DISPOSED, "A"));
    assertTrue(RetentionHistory.read(ledger).disposedAt("A").isEmpty());
  }

  /**
   * A run stopped after logging its intent and before its delete; someone who can write the store
   * then plants a {@code refused} state after that intent. Unsigned, it reads exactly like a run
   * whose delete the store refused and that stopped before the entry, and the next run logged it: a
   * refusal nobody was given, in the executor's name. The recording is still there, so
   * the next run decides it again itself: it is deleted by that run, and the ledger holds no
   * refusal.
   */
  @Test
  void aRefusedStatePlantedAfterAnIntentWhoseRunStoppedIsNotBelieved() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha); // and stopped before the delete
    new Tombstone(
            "A",
            "rec/A.mp4",
            Tombstone.State.REFUSED,
            LATER.plusSeconds(1),
            digest,
            "executor",
            sha,
            null,
            "the store refused: retained until 2099-01-01T00:00:00Z")
        .store(store);
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    DestructionRegister.Item a = reg.items().get(0);
    assertEquals(DestructionRegister.Outcome.DISPOSED, a.outcome(), reg.items().toString());
    assertEquals("", a.reason(), "deleted by this run");
    assertTrue(!store.exists(ObjectKey.of("rec/A.mp4")));
    assertEquals(List.of(), entriesOf(EntryType.DISPOSAL_REFUSED, "A"));
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(LATER.plus(Duration.ofHours(1)), disposedOfA.get(0).time(), "this run's");
    assertEquals(
        2, entriesOf(EntryType.DISPOSAL_INTENDED, "A").size(), "the stopped run's, its own");
  }

  /**
   * A run stopped after its delete, before its disposed state; someone who can write the store then
   * plants that state dated 2099. It followed the logged intent with the object gone, so the next
   * run logged it: a ledger entry dated 2099, after which the ledger-anchored clock refuses every
   * time before it (the wall clock "ran backwards"), and no disposition, hold or ingest that reads
   * it can go on. A state dated after the run's trusted time is no stopped run's: the run completes
   * the disposal itself, at its own time.
   */
  @Test
  void aDisposedStatePlantedWithAFutureTimeIsNotLogged() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4")); // and stopped before its disposed state
    Instant farAhead = Instant.parse("2099-01-01T00:00:00Z");
    new Tombstone(
            "A", "rec/A.mp4", Tombstone.State.DISPOSED, farAhead, digest, "executor", sha, null, "")
        .store(store);
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertEquals("completed after interruption", reg.items().get(0).reason());
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(LATER.plus(Duration.ofHours(1)), disposedOfA.get(0).time(), "this run's time");
    for (LedgerEntry e : EvidenceLedger.open(store, wall).entries()) {
      assertTrue(e.time().isBefore(farAhead), e.toString());
    }
  }

  /**
   * The honest counterpart: the store did refuse the stopped run's delete, and still does. The next
   * run does not take the stopped run's word for it either; it asks the store again, is refused,
   * and logs that refusal as its own (one entry, at its time), the object kept.
   */
  @Test
  void aStoppedRunsUnloggedRefusalIsFoundAgainByTheNextRunItself() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    store.setRetention(ObjectKey.of("rec/A.mp4"), Instant.parse("2099-01-01T00:00:00Z"));
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    state("A", Tombstone.State.REFUSED, sha).store(store); // refused, stopped before its entry
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.REFUSED, reg.items().get(0).outcome());
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")));
    List<LedgerEntry> refusedOfA = entriesOf(EntryType.DISPOSAL_REFUSED, "A");
    assertEquals(1, refusedOfA.size(), refusedOfA.toString());
    assertEquals(LATER.plus(Duration.ofHours(1)), refusedOfA.get(0).time(), "this run's own");
    assertEquals(List.of(), entriesOf(EntryType.DISPOSED, "A"));
  }

  /**
   * A copy of a logged intent planted after the logged refusal (same recording, plan and time, so
   * the ledger holds an entry like it) does not make the intent the latest state: the stored order
   * is the planter's, the ledger's is the record. The object deleted since is missing, not a
   * disposal "completed after interruption".
   */
  @Test
  void aCopyOfALoggedIntentPlantedAfterItsRefusalIsNotCompletedIntoADisposal() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    refusedAndLogged("A", sha);
    state("A", Tombstone.State.INTENDED, sha).store(store); // the copy, stored third
    store.delete(ObjectKey.of("rec/A.mp4")); // outside disposition
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    assertEquals(DestructionRegister.Outcome.MISSING, reg.items().get(0).outcome(), reg.toString());
    assertEquals(List.of(), entriesOf(EntryType.DISPOSED, "A"));
  }

  /**
   * A state planted with the recording, plan, state and time of a logged one but another content
   * digest, named to be listed first, does not stand in for the logged one: the register names the
   * content the ledger holds.
   */
  @Test
  void aPlantedStateLikeALoggedOneButForItsDigestDoesNotStandInForIt() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    DestructionRegister first = execute();
    String sha = first.items().get(0).contentSha256().orElseThrow();
    Tombstone logged =
        Tombstone.history(store, "A").stream()
            .filter(t -> t.state() == Tombstone.State.DISPOSED)
            .findFirst()
            .orElseThrow();
    Tombstone forged =
        new Tombstone(
            "A",
            logged.objectKey(),
            Tombstone.State.DISPOSED,
            logged.at(),
            digest,
            logged.executedBy(),
            "0".repeat(64),
            null,
            "");
    String folder = Tombstone.PREFIX + StoredObjects.folder("A") + "/";
    StoredObjects.createPermanent(
        store, ObjectKey.of(folder + StoredObjects.seq(0) + "-disposed.json"), forged.toJson());
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister.Item a = execute().items().get(0);
    assertEquals(DestructionRegister.Outcome.ALREADY_DISPOSED, a.outcome());
    assertEquals(sha, a.contentSha256().orElseThrow(), "the logged disposal's content");
  }

  /**
   * A run of this plan stopped after its delete and disposed state, before the entry; the next run
   * to reach the recording is another plan's. The disposal is this plan's logged intent's outcome
   * whichever plan's run finds it: it is logged, and the other plan reports it already disposed,
   * not missing (before today's vouching, any run logged it; then only a run of the same plan did).
   */
  @Test
  void anotherPlansRunCompletesAStoppedDisposalInsteadOfCallingItMissing() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4"));
    state("A", Tombstone.State.DISPOSED, sha).store(store);
    String d2 = secondPlanApproved();
    DestructionRegister reg = execute(d2);
    DestructionRegister.Item a =
        reg.items().stream().filter(i -> i.recordingId().equals("A")).findFirst().orElseThrow();
    assertEquals(DestructionRegister.Outcome.ALREADY_DISPOSED, a.outcome(), reg.toString());
    assertEquals(List.of(), entriesOf(EntryType.DISPOSAL_MISSING, "A"));
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(digest, disposedOfA.get(0).details().get("plan"), "the first plan's disposal");
    // and the first plan's next run registers it, once
    DestructionRegister again = execute();
    assertEquals(DestructionRegister.Outcome.DISPOSED, again.items().get(0).outcome());
    assertEquals(1, entriesOf(EntryType.DISPOSED, "A").size());
  }

  /**
   * An object planted in a recording's tombstone folder under the name the run's next state would
   * take (the count of objects there plus one) made every store of that state collide, and the run
   * threw before the delete, run after run. The run now takes the next free number.
   */
  @Test
  void anObjectPlantedUnderTheNextStatesNameDoesNotStopTheRun() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String folder = Tombstone.PREFIX + StoredObjects.folder("A") + "/";
    StoredObjects.createPermanent(
        store, ObjectKey.of(folder + StoredObjects.seq(2) + "-intended.json"), "{".getBytes());
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());
    assertTrue(!store.exists(ObjectKey.of("rec/A.mp4")));
    assertEquals(
        List.of(Tombstone.State.INTENDED, Tombstone.State.DISPOSED),
        Tombstone.readable(store, "A").stream().map(Tombstone::state).toList());
    assertEquals(1, entriesOf(EntryType.DISPOSED, "A").size());
  }

  /**
   * The same beside the registers: an object under the name of the next batch made the run throw
   * after its deletes, with no register written, and every later run the same. The register now
   * takes the next free batch number.
   */
  @Test
  void anObjectPlantedUnderTheNextBatchsNameDoesNotStopTheRegister() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    StoredObjects.createPermanent(
        store,
        ObjectKey.of(DestructionRegister.PREFIX + digest + "/" + StoredObjects.seq(2) + ".json"),
        "not a register".getBytes());
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());
    assertEquals(3, reg.batch(), "past the planted name");
    List<LedgerEntry> registered = entries(EntryType.DESTRUCTION_REGISTERED);
    assertEquals(1, registered.size(), registered.toString());
    assertEquals(reg.digest(), registered.get(0).payloadDigest().orElseThrow());
    assertTrue(
        store.exists(
            ObjectKey.of(
                DestructionRegister.PREFIX + digest + "/" + StoredObjects.seq(3) + ".json")));
  }

  /**
   * A register signed with the executor's own key (a stolen one) that lists nothing as destroyed
   * but claims the run found A missing and the store refused B, while neither happened, is not
   * logged: each outcome of a recording a register states needs its logged entry, not only {@code
   * DISPOSED} (before, a register with no {@code DISPOSED} item was logged unchecked, a {@code
   * destruction-registered} entry for a run that never was).
   */
  @Test
  void aRegisterClaimingAMissingOrRefusedRecordingTheLedgerLacksIsNotLogged() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    DestructionRegister forged =
        storeUnlogged(
            1,
            List.of(
                new DestructionRegister.Item(
                    "A",
                    "rec/A.mp4",
                    DestructionRegister.Outcome.MISSING,
                    null,
                    "the object was already gone"),
                new DestructionRegister.Item(
                    "B",
                    "rec/B.mp4",
                    DestructionRegister.Outcome.REFUSED,
                    FourEyesDispositionTest.sha256("content of rec/B.mp4"),
                    "the store refused: retained")),
            EXEC);
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());
    List<String> logged =
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList();
    assertEquals(List.of(reg.digest()), logged, "not " + forged.digest());
  }

  /**
   * The honest counterpart: a run that found A missing and had B refused stopped after storing its
   * register. The next run logs that register, since the ledger holds each of those outcomes.
   */
  @Test
  void aStoppedRunsRegisterOfMissingAndRefusedOutcomesIsLoggedByTheNextRun() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String shaB = FourEyesDispositionTest.sha256("content of rec/B.mp4");
    store.delete(ObjectKey.of("rec/A.mp4"));
    Tombstone missing =
        new Tombstone(
            "A",
            "rec/A.mp4",
            Tombstone.State.MISSING,
            LATER,
            digest,
            "executor",
            null,
            null,
            "the object was already gone");
    missing.store(store);
    ledger.append(DispositionExecution.entryOf(missing));
    intendedAndLogged("B", shaB);
    refusedAndLogged("B", shaB);
    DestructionRegister stopped =
        storeUnlogged(
            1,
            List.of(
                new DestructionRegister.Item(
                    "A",
                    "rec/A.mp4",
                    DestructionRegister.Outcome.MISSING,
                    null,
                    "the object was already gone"),
                new DestructionRegister.Item(
                    "B",
                    "rec/B.mp4",
                    DestructionRegister.Outcome.REFUSED,
                    shaB,
                    "the store refused: retained")),
            EXEC);
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    List<String> logged =
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList();
    assertEquals(List.of(stopped.digest(), reg.digest()), logged);
  }

  /**
   * An object planted among a plan's approvals that is not an approval (the folder is any store
   * writer's, like the tombstones') made every later approval and every run of the plan throw
   * before its first delete. It now counts as no approval: the second approver approves, and the
   * two real approvals carry the run; one approval and junk still do not.
   */
  @Test
  void junkAmongThePlansApprovalsNeitherStopsTheRunNorCountsAsOne() throws Exception {
    approve("approver-alice", ALICE);
    StoredObjects.createPermanent(
        store,
        ObjectKey.of(Disposition.APPROVALS + digest + "/" + "0".repeat(32) + ".json"),
        "{".getBytes(StandardCharsets.UTF_8));
    DispositionRefusedException one =
        assertThrows(DispositionRefusedException.class, this::execute);
    assertTrue(one.getMessage().contains("has 1 valid approval(s)"), one.getMessage());
    approve("approver-bob", BOB);
    DestructionRegister reg = execute();
    assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());
  }

  /**
   * A store whose process stops after {@code allowed} writes (create, delete, retention, hold):
   * every later write fails, as nothing more is written once a run has stopped.
   */
  static final class StoppingStore extends ForwardingEvidenceStore {
    private final int allowed;
    int writes;

    StoppingStore(EvidenceStore delegate, int allowed) {
      super(delegate);
      this.allowed = allowed;
    }

    private void write() throws IOException {
      if (++writes > allowed) {
        throw new IOException("stopped after " + allowed + " writes");
      }
    }

    @Override
    public WritableObject create(ObjectKey key) throws IOException {
      write();
      return super.create(key);
    }

    @Override
    public void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
      write();
      super.setRetention(key, retainUntil);
    }

    @Override
    public void setLegalHold(ObjectKey key, boolean hold) throws IOException {
      write();
      super.setLegalHold(key, hold);
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
      write();
      super.delete(key);
    }
  }

  DestructionRegister executeOn(EvidenceStore s, EvidenceLedger l) throws Exception {
    return DispositionExecution.builder()
        .planDigest(digest)
        .policy(FourEyesDispositionTest.REG)
        .facts(FourEyesDispositionTest.facts())
        .approverKeys(TrustAnchors.ofPublicKeys(List.of(ALICE.publicKeyDer(), BOB.publicKeyDer())))
        .signer(EXEC)
        .executedBy("executor")
        .build()
        .run(s, l, clock);
  }

  /**
   * An honest run stopped after each of its writes in turn, then run again, twice: every recording
   * is gone with exactly one {@code disposed} entry and none missing, every register stored is
   * logged once, and the logged registers together list each recording as destroyed exactly once
   * (R-14, R-16).
   */
  @Test
  void aRunStoppedAfterAnyOfItsWritesEndsInOneTrueRecordOfEachDisposal() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    StoppingStore counting = new StoppingStore(store, Integer.MAX_VALUE);
    executeOn(counting, EvidenceLedger.open(counting, wall));
    int writes = counting.writes;
    assertTrue(writes > 20, "a run writes its states, entries and register: " + writes);
    for (int stopAfter = 0; stopAfter < writes; stopAfter++) {
      setUp();
      approve("approver-alice", ALICE);
      approve("approver-bob", BOB);
      StoppingStore stopping = new StoppingStore(store, stopAfter);
      try {
        executeOn(stopping, EvidenceLedger.open(stopping, wall));
      } catch (IOException | UncheckedIOException stopped) {
        // stopped (a write that only locks a record already committed fails with a warning)
      }
      String at = "stopped after " + stopAfter + " of " + writes + " writes: ";
      wall.set(LATER.plus(Duration.ofHours(1)));
      ledger = EvidenceLedger.open(store, wall);
      execute();
      wall.set(LATER.plus(Duration.ofHours(2)));
      execute();
      for (String id : List.of("A", "B", "C")) {
        assertTrue(!store.exists(ObjectKey.of("rec/" + id + ".mp4")), at + id);
        assertEquals(1, entriesOf(EntryType.DISPOSED, id).size(), at + id + " disposed entries");
        assertEquals(List.of(), entriesOf(EntryType.DISPOSAL_MISSING, id), at + id);
      }
      List<String> logged =
          entries(EntryType.DESTRUCTION_REGISTERED).stream()
              .map(x -> x.payloadDigest().orElseThrow())
              .toList();
      assertEquals(logged.size(), new HashSet<>(logged).size(), at + "logged twice");
      List<String> listed = new ArrayList<>();
      for (DestructionRegister r : DestructionRegister.read(store, digest)) {
        assertTrue(logged.contains(r.digest()), at + "register " + r.batch() + " unlogged");
        r.items(DestructionRegister.Outcome.DISPOSED).forEach(i -> listed.add(i.recordingId()));
      }
      assertEquals(List.of("A", "B", "C"), listed.stream().sorted().toList(), at + "listed");
    }
  }

  /**
   * Two executions of the plan at once, as two processes: the second has read the ledger and the
   * registers when the first runs whole. Reaching A, the second finds the first's tombstones,
   * logged after it read the ledger. It must neither log them again nor call the recordings it
   * finds gone missing (after today's vouching, it took the first's states for planted ones and
   * logged each recording {@code disposal-missing}; before that, it logged each intent and disposal
   * a second time, the first's register too, and listed them destroyed in its own register as
   * well): they are already disposed, and the first's register alone lists them as destroyed.
   */
  @Test
  void aRunOfThePlanThatEndsWhileAnotherIsUnderWayIsNotReportedMissingByIt() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String folderOfA = Tombstone.PREFIX + StoredObjects.folder("A") + "/";
    DestructionRegister[] first = {null};
    EvidenceStore racing =
        new ForwardingEvidenceStore(store) {
          @Override
          public java.util.stream.Stream<org.evidencekit.storage.ObjectInfo> list(String prefix)
              throws IOException {
            if (prefix.equals(folderOfA) && first[0] == null) {
              try {
                first[0] = executeOn(store, EvidenceLedger.open(store, wall));
              } catch (Exception e) {
                throw new AssertionError("the first run failed", e);
              }
            }
            return super.list(prefix);
          }
        };
    DestructionRegister second = executeOn(racing, EvidenceLedger.open(racing, wall));
    assertEquals(
        3, first[0].items(DestructionRegister.Outcome.DISPOSED).size(), first[0].toString());
    assertEquals(
        3,
        second.items(DestructionRegister.Outcome.ALREADY_DISPOSED).size(),
        second.items().toString());
    for (String id : List.of("A", "B", "C")) {
      assertEquals(List.of(), entriesOf(EntryType.DISPOSAL_MISSING, id), id);
      assertEquals(1, entriesOf(EntryType.DISPOSED, id).size(), id);
      assertEquals(1, entriesOf(EntryType.DISPOSAL_INTENDED, id).size(), id);
    }
    assertEquals(
        List.of(first[0].digest(), second.digest()),
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList(),
        "each register logged once");
  }

  /**
   * The same, with the first run ending after the second read the ledger and before it read the
   * plan's registers: the second finds the first's register, logged meanwhile, and logs it no
   * second time (before today's change the second logged it again at its end).
   */
  @Test
  void aRegisterLoggedByAnotherRunSinceThisOneReadTheLedgerIsNotLoggedAgain() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String registers = DestructionRegister.PREFIX + digest + "/";
    int[] listings = {0};
    DestructionRegister[] first = {null};
    EvidenceStore racing =
        new ForwardingEvidenceStore(store) {
          @Override
          public java.util.stream.Stream<org.evidencekit.storage.ObjectInfo> list(String prefix)
              throws IOException {
            // the run lists the registers first to refuse early, then reads them
            if (prefix.equals(registers) && ++listings[0] == 2) {
              try {
                first[0] = executeOn(store, EvidenceLedger.open(store, wall));
              } catch (Exception e) {
                throw new AssertionError("the first run failed", e);
              }
            }
            return super.list(prefix);
          }
        };
    DestructionRegister second = executeOn(racing, EvidenceLedger.open(racing, wall));
    assertEquals(
        3, first[0].items(DestructionRegister.Outcome.DISPOSED).size(), first[0].toString());
    assertEquals(
        3,
        second.items(DestructionRegister.Outcome.ALREADY_DISPOSED).size(),
        second.items().toString());
    assertEquals(
        List.of(first[0].digest(), second.digest()),
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList(),
        "each register logged once");
    for (String id : List.of("A", "B", "C")) {
      assertEquals(1, entriesOf(EntryType.DISPOSED, id).size(), id);
    }
  }

  /**
   * Two runs in two threads: the first has logged its disposals when the second reads the ledger,
   * and stores and logs its register before the second reads the registers. The second finds the
   * register unlogged in what it read, vouched for by the disposals it read: it must read the
   * ledger again before logging it, and log it no second time.
   */
  @Test
  void aRegisterLoggedByARunInAnotherThreadAfterThisOneReadTheLedgerIsNotLoggedAgain()
      throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String registers = DestructionRegister.PREFIX + digest + "/";
    java.util.concurrent.CountDownLatch atRegister = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch goOn = new java.util.concurrent.CountDownLatch(1);
    EvidenceStore firstStore =
        new ForwardingEvidenceStore(store) {
          @Override
          public WritableObject create(ObjectKey key) throws IOException {
            if (key.value().startsWith(registers)) {
              atRegister.countDown(); // its disposals are logged; its register comes next
              try {
                goOn.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
              }
            }
            return super.create(key);
          }
        };
    java.util.concurrent.CompletableFuture<DestructionRegister> first =
        new java.util.concurrent.CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                first.complete(executeOn(firstStore, EvidenceLedger.open(firstStore, wall)));
              } catch (Throwable e) {
                first.completeExceptionally(e);
              }
            });
    t.start();
    atRegister.await(); // the second opens and reads the ledger after this
    int[] listings = {0};
    EvidenceStore racing =
        new ForwardingEvidenceStore(store) {
          @Override
          public java.util.stream.Stream<org.evidencekit.storage.ObjectInfo> list(String prefix)
              throws IOException {
            // the run lists the registers first to refuse early, then reads them
            if (prefix.equals(registers) && ++listings[0] == 2) {
              goOn.countDown(); // the first stores and logs its register before the second reads
              try {
                first.get();
              } catch (Exception e) {
                throw new AssertionError("the first run failed", e);
              }
            }
            return super.list(prefix);
          }
        };
    DestructionRegister second = executeOn(racing, EvidenceLedger.open(racing, wall));
    DestructionRegister one = first.get();
    assertEquals(3, one.items(DestructionRegister.Outcome.DISPOSED).size(), one.toString());
    assertEquals(
        3,
        second.items(DestructionRegister.Outcome.ALREADY_DISPOSED).size(),
        second.items().toString());
    assertEquals(
        List.of(one.digest(), second.digest()),
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList(),
        "each register logged once");
  }

  /** A second plan over the same recordings, recorded and approved an hour later. */
  String secondPlanApproved() throws Exception {
    wall.set(LATER.plus(Duration.ofHours(1)));
    Disposition.Plan p2 =
        Disposition.plan(
                FourEyesDispositionTest.REG,
                FourEyesDispositionTest.facts(),
                RetentionHistory.read(ledger),
                wall.instant())
            .plannedBy("planner-2");
    String d2 = Disposition.record(p2, store, ledger);
    for (Object[] who : new Object[][] {{"approver-alice", ALICE}, {"approver-bob", BOB}}) {
      Disposition.approve(
          DispositionApproval.builder()
              .planDigest(d2)
              .approver((String) who[0])
              .key((SigningKeys.LocalSigningKey) who[1])
              .expiresAt(wall.instant().plus(Duration.ofDays(3))),
          store,
          ledger,
          clock);
    }
    return d2;
  }

  /**
   * A run of this plan stopped right after its delete, before its disposed state; the next run to
   * reach the recording is another plan's. The object is gone after this plan's logged intent, as
   * when this plan's own next run completes it: the other plan's run completes the disposal under
   * this plan and reports it already disposed. Before, it logged it missing, and so did this plan's
   * next run after that: the disposal was never in the ledger, and the record sheet, which lists
   * what was destroyed from the {@code disposed} entries, left it out.
   */
  @Test
  void anotherPlansRunCompletesADeleteAStoppedRunLeftWithoutItsState() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    intendedAndLogged("A", sha);
    store.delete(ObjectKey.of("rec/A.mp4"));
    String d2 = secondPlanApproved();
    DestructionRegister reg = execute(d2);
    DestructionRegister.Item a =
        reg.items().stream().filter(i -> i.recordingId().equals("A")).findFirst().orElseThrow();
    assertEquals(DestructionRegister.Outcome.ALREADY_DISPOSED, a.outcome(), reg.items().toString());
    assertEquals(List.of(), entriesOf(EntryType.DISPOSAL_MISSING, "A"));
    List<LedgerEntry> disposedOfA = entriesOf(EntryType.DISPOSED, "A");
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(digest, disposedOfA.get(0).details().get("plan"), "under the intent's plan");
    assertEquals(sha, disposedOfA.get(0).payloadDigest().orElseThrow());
    // this plan's next run lists it as destroyed, once
    DestructionRegister again = execute();
    assertEquals(DestructionRegister.Outcome.DISPOSED, again.items().get(0).outcome());
    assertEquals(1, entriesOf(EntryType.DISPOSED, "A").size());
    assertEquals(List.of(), entriesOf(EntryType.DISPOSAL_MISSING, "A"));
  }

  /**
   * A register signed with the executor's key (a stolen one) listing again as destroyed what a
   * logged register of the plan already lists: every item has its logged {@code disposed} entry, so
   * it passed, and the ledger then held two registers listing the same destruction. The plan's
   * logged registers list each recording it destroyed exactly once: it is not logged.
   */
  @Test
  void aRegisterListingAgainWhatALoggedRegisterListsAsDestroyedIsNotLogged() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    DestructionRegister first = execute();
    assertEquals(3, first.items(DestructionRegister.Outcome.DISPOSED).size(), first.toString());
    DestructionRegister forged = storeUnlogged(2, List.of(disposedItem("A")), EXEC);
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister again = execute();
    List<String> logged =
        entries(EntryType.DESTRUCTION_REGISTERED).stream()
            .map(x -> x.payloadDigest().orElseThrow())
            .toList();
    assertEquals(List.of(first.digest(), again.digest()), logged, "not " + forged.digest());
  }
}
