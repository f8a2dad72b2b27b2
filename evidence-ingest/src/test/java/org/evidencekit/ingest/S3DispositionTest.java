package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.retention.DestructionRegister;
import org.evidencekit.retention.Disposition;
import org.evidencekit.retention.DispositionApproval;
import org.evidencekit.retention.DispositionExecution;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.retention.RetentionHistory;
import org.evidencekit.retention.RetentionPolicy;
import org.evidencekit.retention.Tombstone;
import org.evidencekit.retention.TrustedClock;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.s3.S3EvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disposition end to end on a real S3 Object Lock server (Ceph RGW, started by .ci/run): ingest,
 * content retained a few seconds, a plan, two approvals, the execution. Every disposition record
 * (plan, approvals, tombstones, register) must be stored, held, retained until {@link
 * PermanentRecords#FOREVER} (a date RGW keeps: it wraps dates after 2106) and read back; the
 * contents go and their seals and batches stay, undeletable (R-16, R-18, Art. 19, 21).
 */
class S3DispositionTest {
  @TempDir Path dir;

  @Test
  void aPlanApprovedTwiceDisposesOfTheContentsAndEveryRecordStaysLocked() throws Exception {
    S3EvidenceStore.Builder b = Fixtures.lockedS3Bucket("evidencekit-dispose");
    Path card = Fixtures.folder("f02_split3", dir.resolve("card"));
    try (EvidenceStore store = b.open()) {
      // sealed and archived without a retention decision (an ingest station would push the
      // regulation's two years from today down, in COMPLIANCE mode): a few seconds stand in
      // sealed into the archive an hour after the recordings ended, in 2023: two years run from
      // no earlier than a recording's sealed entry, whatever the facts say of its end
      EvidenceArchive archive =
          EvidenceArchive.open(
              store, Clock.fixed(Instant.parse("2023-06-01T15:10:00Z"), ZoneOffset.UTC));
      List<RetentionFacts.Recording> recs = new ArrayList<>();
      for (Path f : files(card)) {
        String key = "DEVCAM7/2023-06-01/" + f.getFileName();
        Seal seal = Sealer.builder().build().seal(f);
        archive.ingest(key, f, seal, "intake-1");
        recs.add(
            RetentionFacts.Recording.builder(key)
                .recordingEnd(Instant.parse("2023-06-01T14:10:00Z"))
                .objectKey(key)
                .sealRoot(seal.digest().hex())
                .custodian("police-0042")
                .build());
      }
      assertEquals(3, recs.size());
      // set after the ingest, with room for a slow machine between the three
      Instant shortly = Instant.now().plusSeconds(8);
      for (RetentionFacts.Recording rec : recs) {
        store.setRetention(ObjectKey.of(rec.objectKey().orElseThrow()), shortly);
      }
      RetentionFacts facts = RetentionFacts.of(recs, List.of());
      // the archive idle since 2023, opened today: a named person accepts the trusted clock's jump
      // to today, as the ledger asks before it takes an entry more than 31 days after its latest
      // the ledger takes no entry after the clock it is opened with, so today's
      EvidenceLedger ledger = EvidenceArchive.open(store, Clock.systemUTC()).ledger();
      Instant today = Instant.now();
      ledger.append(
          LedgerEntry.builder()
              .type(EntryType.CLOCK_JUMP_ACCEPTED)
              .time(today)
              .actor("records-officer")
              .subject("trusted-clock")
              .details(
                  java.util.Map.of(
                      "from", "2023-06-01T15:10:00Z",
                      "to", today.toString(),
                      "reason", "archive restored from cold storage, clock checked"))
              .build());
      TrustedClock clock = Instant::now;
      RetentionPolicy policy = RetentionPolicy.regulationDefault();
      Disposition.Plan plan =
          Disposition.plan(policy, facts, RetentionHistory.read(ledger), Instant.now())
              .plannedBy("planner");
      assertEquals(3, plan.disposable().size());
      String digest = Disposition.record(plan, store, ledger);
      SigningKeys.LocalSigningKey alice = SigningKeys.generate(SignatureSuite.ED25519);
      SigningKeys.LocalSigningKey bob = SigningKeys.generate(SignatureSuite.SM2_SM3);
      SigningKeys.LocalSigningKey exec = SigningKeys.generate(SignatureSuite.ED25519);
      for (var who : List.of(alice, bob)) {
        Disposition.approve(
            DispositionApproval.builder()
                .planDigest(digest)
                .approver(who == alice ? "approver-alice" : "approver-bob")
                .key(who)
                .expiresAt(Instant.now().plus(Duration.ofDays(30))),
            store,
            ledger,
            clock);
      }
      while (!Instant.now().isAfter(shortly.plusSeconds(1))) {
        Thread.sleep(200);
      }
      DestructionRegister reg =
          DispositionExecution.builder()
              .planDigest(digest)
              .policy(policy)
              .facts(facts)
              .approverKeys(
                  TrustAnchors.ofPublicKeys(List.of(alice.publicKeyDer(), bob.publicKeyDer())))
              .signer(exec)
              .executedBy("executor")
              .build()
              .run(store, ledger, clock);
      assertEquals(3, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());

      for (RetentionFacts.Recording rec : recs) {
        String key = rec.objectKey().orElseThrow();
        assertFalse(store.exists(ObjectKey.of(key)), key);
        ObjectKey seal = ObjectKey.of(key + EvidenceArchive.SEAL_SUFFIX);
        assertLockedForGood(store, seal, false);
        List<Tombstone> states = Tombstone.history(store, rec.id());
        assertEquals(
            List.of("intended", "disposed"),
            states.stream().map(t -> t.state().wireName()).toList());
      }
      assertEquals(1, DestructionRegister.read(store, digest).size());
      assertEquals(reg.digest(), DestructionRegister.read(store, digest).get(0).digest());
      assertEquals(2, Disposition.approvals(store, digest).size());
      assertEquals(digest, Disposition.readPlan(store, digest).digest());
      int records = 0;
      for (String prefix : List.of("disposition/", "tombstones/")) {
        for (ObjectInfo o : list(store, prefix)) {
          assertLockedForGood(store, o.key(), true);
          records++;
        }
      }
      // a plan, two approvals, two tombstones per recording, a register
      assertEquals(1 + 2 + 6 + 1, records);
      for (ObjectInfo o : list(store, "ledger/batches/")) {
        assertLockedForGood(store, o.key(), false);
      }
      // and the log still names what was destroyed, with the seals that stayed
      EvidenceArchive reopened = EvidenceArchive.open(store, Clock.systemUTC());
      for (RetentionFacts.Recording rec : recs) {
        assertEquals(
            rec.sealRoot().orElseThrow(),
            reopened.seal(rec.objectKey().orElseThrow()).digest().hex());
      }
    }
  }

  /**
   * A policy keeping recordings a century asks for a retain-until the S3 store refuses (RGW wraps
   * dates after 2106): the recording is retained until 2106-01-01 and held, and the result says so.
   */
  @Test
  void aCenturyOfRetentionIsRetainedAsLateAsRgwKeepsAndHeld() throws Exception {
    S3EvidenceStore.Builder b = Fixtures.lockedS3Bucket("evidencekit-century");
    try (EvidenceStore store = b.open()) {
      try (var w = store.create(ObjectKey.of("rec/A.mp4"))) {
        w.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
        w.commit();
      }
      RetentionPolicy century =
          RetentionPolicy.of(
              "century",
              1,
              RetentionPolicy.State.ACTIVE,
              RetentionPolicy.DEFAULT_ZONE,
              List.of(
                  org.evidencekit.retention.RetentionRule.of(
                      "century",
                      "kept a hundred years",
                      java.util.Map.of(),
                      org.evidencekit.retention.RetentionRule.Anchor.RECORDING_END,
                      java.time.Period.ofYears(100))),
              java.util.Map.of());
      RetentionFacts facts =
          RetentionFacts.of(
              List.of(
                  RetentionFacts.Recording.builder("A")
                      .recordingEnd(Instant.now().minusSeconds(60))
                      .objectKey("rec/A.mp4")
                      .build()),
              List.of());
      var decisions =
          org.evidencekit.retention.RetentionEngine.decideAll(
              century, facts, RetentionHistory.empty(), Instant.now());
      var results = org.evidencekit.retention.RetentionPushDown.apply(store, facts, decisions);
      assertEquals(
          org.evidencekit.retention.RetentionPushDown.Enforcement.STORAGE,
          results.get(0).enforcement(),
          results.toString());
      assertTrue(results.get(0).message().contains("legal hold"), results.toString());
      ObjectInfo o = store.stat(ObjectKey.of("rec/A.mp4"));
      assertEquals(PermanentRecords.FOREVER, o.retainUntil().orElse(null), o.toString());
      assertTrue(o.legalHold(), o.toString());
      assertThrows(RetentionLockedException.class, () -> store.delete(ObjectKey.of("rec/A.mp4")));
    }
  }

  private static void assertLockedForGood(EvidenceStore store, ObjectKey key, boolean held)
      throws IOException {
    ObjectInfo o = store.stat(key);
    assertTrue(o.storageEnforced(), o.toString());
    assertEquals(PermanentRecords.FOREVER, o.retainUntil().orElse(null), o.toString());
    if (held) {
      assertTrue(o.legalHold(), o.toString());
    }
    assertThrows(RetentionLockedException.class, () -> store.delete(key), key.value());
  }

  private static List<ObjectInfo> list(EvidenceStore store, String prefix) throws IOException {
    try (Stream<ObjectInfo> s = store.list(prefix)) {
      return s.toList();
    }
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> s = java.nio.file.Files.list(folder)) {
      return s.sorted().toList();
    }
  }
}
