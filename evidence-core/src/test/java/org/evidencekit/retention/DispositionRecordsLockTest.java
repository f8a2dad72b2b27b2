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

  /** Forwards to a real store; fails the first lock until FOREVER of a key under {@code prefix}. */
  static final class FailsOneLock extends ForwardingEvidenceStore {
    final InMemoryEvidenceStore real;
    final String prefix;
    boolean failed;

    FailsOneLock(InMemoryEvidenceStore real, String prefix) {
      super(real);
      this.real = real;
      this.prefix = prefix;
    }

    @Override
    public synchronized void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
      if (!failed
          && key.value().startsWith(prefix)
          && retainUntil.equals(PermanentRecords.FOREVER)) {
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
