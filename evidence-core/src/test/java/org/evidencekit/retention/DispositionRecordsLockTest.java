package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.StoreUnavailableException;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Disposition records (plans, approvals, tombstones, registers) are retained for good and held
 * (R-16, Art. 21). Where the store sets retention only after the commit, a failure between the two
 * leaves one committed and deletable; running the same step again must complete its lock, whatever
 * kind of record it was.
 */
class DispositionRecordsLockTest {
  static final Instant END = Instant.parse("2024-06-01T06:10:00Z");
  static final Instant LATER = Instant.parse("2026-07-01T00:00:00Z");
  static final SigningKeys.LocalSigningKey ALICE = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey BOB = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey EXEC = SigningKeys.generate(SignatureSuite.ED25519);

  /**
   * Forwards to a real store; fails the first {@code times} locks until FOREVER of keys under
   * {@code prefix}.
   */
  static final class FailsOneLock extends ForwardingEvidenceStore {
    final InMemoryEvidenceStore real;
    final String prefix;
    int times;
    boolean failed;

    FailsOneLock(InMemoryEvidenceStore real, String prefix) {
      this(real, prefix, 1);
    }

    FailsOneLock(InMemoryEvidenceStore real, String prefix, int times) {
      super(real);
      this.real = real;
      this.prefix = prefix;
      this.times = times;
    }

    @Override
    public synchronized void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
      if (times > 0
          && key.value().startsWith(prefix)
          && retainUntil.equals(PermanentRecords.FOREVER)) {
        times--;
        failed = true;
        throw new StoreUnavailableException("injected: no answer to the lock of " + key.value());
      }
      real.setRetention(key, retainUntil);
    }
  }

  static RetentionFacts facts() {
    List<RetentionFacts.Recording> rs = new ArrayList<>();
    for (String id : List.of("A", "B")) {
      rs.add(
          RetentionFacts.Recording.builder(id)
              .recordingEnd(END)
              .objectKey("rec/" + id + ".mp4")
              .sealRoot(id.equals("A") ? "a".repeat(64) : "b".repeat(64))
              .build());
    }
    return RetentionFacts.of(rs, List.of());
  }

  /** Runs {@code step}; if the injected failure made it throw, runs it once more. */
  interface Step {
    void run() throws Exception;
  }

  private static void twice(FailsOneLock store, Step step) throws Exception {
    try {
      step.run();
    } catch (IOException e) {
      assertTrue(store.failed, "only the injected failure: " + e);
      step.run();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "disposition/plans/",
        "disposition/approvals/",
        "tombstones/",
        "disposition/registers/"
      })
  void aRecordWhoseLockFailedIsLockedWhenItsStepRunsAgain(String prefix) throws Exception {
    MutableClock wall = new MutableClock(LATER);
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(wall);
    FailsOneLock store = new FailsOneLock(real, prefix);
    EvidenceLedger ledger = EvidenceLedger.open(store, wall);
    TrustedClock clock = wall::instant;
    for (String k : List.of("rec/A.mp4", "rec/B.mp4")) {
      try (WritableObject w = store.create(ObjectKey.of(k))) {
        w.write(ByteBuffer.wrap(k.getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }
    }
    RetentionPolicy reg = RetentionPolicy.regulationDefault();
    Disposition.Plan plan =
        Disposition.plan(reg, facts(), RetentionHistory.read(ledger), LATER).plannedBy("planner");
    String[] digest = new String[1];
    twice(store, () -> digest[0] = Disposition.record(plan, store, ledger));
    for (var who : List.of(ALICE, BOB)) {
      String name = who == ALICE ? "approver-alice" : "approver-bob";
      try {
        twice(
            store,
            () ->
                Disposition.approve(
                    DispositionApproval.builder()
                        .planDigest(digest[0])
                        .approver(name)
                        .key(who)
                        .expiresAt(LATER.plus(Duration.ofDays(30))),
                    store,
                    ledger,
                    clock));
      } catch (DispositionRefusedException stored) {
        // the approval was stored before its lock failed: asking again finds it
        assertTrue(stored.getMessage().contains("already approved"), stored.getMessage());
      }
    }
    DispositionExecution exec =
        DispositionExecution.builder()
            .planDigest(digest[0])
            .policy(reg)
            .facts(facts())
            .approverKeys(
                TrustAnchors.ofPublicKeys(List.of(ALICE.publicKeyDer(), BOB.publicKeyDer())))
            .signer(EXEC)
            .executedBy("executor")
            .build();
    twice(store, () -> exec.run(store, ledger, clock));
    assertTrue(store.failed, "the fault was injected under " + prefix);
    assertEquals(List.of(), loose(real), "every disposition record is retained and held");
  }

  /**
   * The lock fails after the commit and again at the step's own second try: the step still goes on
   * (its record is there, its entry is logged once) and the record is locked by the next step that
   * relies on it or lists it: approve for the plan, the execution for the approvals, the next state
   * of the recording for a tombstone, the next execution for a register.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "disposition/plans/",
        "disposition/approvals/",
        "tombstones/",
        "disposition/registers/"
      })
  void aRecordWhoseLockFailedTwiceIsLoggedOnceAndLockedByTheNextStepThatReadsIt(String prefix)
      throws Exception {
    MutableClock wall = new MutableClock(LATER);
    InMemoryEvidenceStore real = new InMemoryEvidenceStore(wall);
    FailsOneLock store = new FailsOneLock(real, prefix, 2);
    EvidenceLedger ledger = EvidenceLedger.open(store, wall);
    TrustedClock clock = wall::instant;
    for (String k : List.of("rec/A.mp4", "rec/B.mp4")) {
      try (WritableObject w = store.create(ObjectKey.of(k))) {
        w.write(ByteBuffer.wrap(k.getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }
    }
    RetentionPolicy reg = RetentionPolicy.regulationDefault();
    String digest =
        Disposition.record(
            Disposition.plan(reg, facts(), RetentionHistory.read(ledger), LATER)
                .plannedBy("planner"),
            store,
            ledger);
    for (var who : List.of(ALICE, BOB)) {
      Disposition.approve(
          DispositionApproval.builder()
              .planDigest(digest)
              .approver(who == ALICE ? "approver-alice" : "approver-bob")
              .key(who)
              .expiresAt(LATER.plus(Duration.ofDays(30))),
          store,
          ledger,
          clock);
    }
    DispositionExecution exec =
        DispositionExecution.builder()
            .planDigest(digest)
            .policy(reg)
            .facts(facts())
            .approverKeys(
                TrustAnchors.ofPublicKeys(List.of(ALICE.publicKeyDer(), BOB.publicKeyDer())))
            .signer(EXEC)
            .executedBy("executor")
            .build();
    assertEquals(
        2, exec.run(store, ledger, clock).items(DestructionRegister.Outcome.DISPOSED).size());
    exec.run(store, ledger, clock); // the next execution: nothing disposed twice
    assertEquals(0, store.times, "both injected failures were hit under " + prefix);
    assertEquals(List.of(), loose(real), "every disposition record is retained and held");
    List<String> types = new ArrayList<>();
    for (var e : EvidenceLedger.open(real, wall).entries()) {
      types.add(e.type());
    }
    assertEquals(1, types.stream().filter("disposition-planned"::equals).count(), types.toString());
    assertEquals(
        2, types.stream().filter("disposition-approved"::equals).count(), types.toString());
    assertEquals(2, types.stream().filter("disposed"::equals).count(), types.toString());
    assertEquals(
        2, types.stream().filter("destruction-registered"::equals).count(), types.toString());
  }

  private static List<String> loose(InMemoryEvidenceStore store) throws IOException {
    List<String> out = new ArrayList<>();
    for (String p : List.of("disposition/", "tombstones/")) {
      try (Stream<ObjectInfo> s = store.list(p)) {
        for (ObjectInfo o : (Iterable<ObjectInfo>) s::iterator) {
          if (!PermanentRecords.FOREVER.equals(o.retainUntil().orElse(null)) || !o.legalHold()) {
            out.add(o.toString());
          }
        }
      }
    }
    return out;
  }
}
