package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    return DispositionExecution.builder()
        .planDigest(digest)
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

  /**
   * A disposed state stored without its entry: the next run reports it already disposed and, from
   * the tombstone, logs the disposal the ledger lacked, so the history knows it too.
   */
  @Test
  void aTombstoneStoredWithoutItsEntryIsLoggedByTheNextRun() throws Exception {
    approve("approver-alice", ALICE);
    approve("approver-bob", BOB);
    String sha = FourEyesDispositionTest.sha256("content of rec/A.mp4");
    new Tombstone(
            "A", "rec/A.mp4", Tombstone.State.DISPOSED, LATER, digest, "executor", sha, null, "")
        .store(store);
    store.delete(ObjectKey.of("rec/A.mp4"));
    assertEquals(List.of(), entries(EntryType.DISPOSED));
    wall.set(LATER.plus(Duration.ofHours(1)));
    DestructionRegister reg = execute();
    // no register of the plan lists A yet: this one does, as destroyed by the stopped run
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertTrue(
        reg.items().get(0).reason().contains("disposed at " + LATER + " by executor"),
        reg.items().get(0).reason());
    List<LedgerEntry> disposedOfA =
        entries(EntryType.DISPOSED).stream().filter(x -> x.subject().equals("A")).toList();
    assertEquals(1, disposedOfA.size(), disposedOfA.toString());
    assertEquals(LATER, disposedOfA.get(0).time(), "the tombstone's time");
    assertEquals(sha, disposedOfA.get(0).payloadDigest().orElseThrow());
    assertTrue(RetentionHistory.read(ledger).disposedAt("A").isPresent());
    assertEquals(
        DestructionRegister.Outcome.ALREADY_DISPOSED,
        execute().items().get(0).outcome(),
        "and never twice");
    assertEquals(
        1, entries(EntryType.DISPOSED).stream().filter(x -> x.subject().equals("A")).count());
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
            first.items(),
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
}
