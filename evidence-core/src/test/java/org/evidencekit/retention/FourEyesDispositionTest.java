package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.ledger.SweepReport.Status;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Disposition as a records officer signs it off (R-16, R-07, Art. 19, 21): stored plan, two signed
 * approvals, idempotent execution, tombstones with states, a signed register, all ledgered.
 */
class FourEyesDispositionTest {
  static final Instant END = Instant.parse("2024-06-01T06:10:00Z");
  static final Instant LATER = Instant.parse("2026-07-01T00:00:00Z");

  /** When the recordings ending at {@link #END} were sealed into the archive. */
  static final Instant INGESTED = END.plus(Duration.ofHours(1));

  static final RetentionPolicy REG = RetentionPolicy.regulationDefault();
  static final SigningKeys.LocalSigningKey ALICE = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey BOB = SigningKeys.generate(SignatureSuite.SM2_SM3);
  static final SigningKeys.LocalSigningKey EXEC = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey MALLORY = SigningKeys.generate(SignatureSuite.ED25519);

  MutableClock wall;
  EvidenceStore store;
  EvidenceLedger ledger;
  TrustedClock clock;
  TrustAnchors approvers;
  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    wall = new MutableClock(LATER);
    store = new InMemoryEvidenceStore(wall);
    ledger = EvidenceLedger.open(store, wall);
    clock = wall::instant;
    approvers = TrustAnchors.ofPublicKeys(List.of(ALICE.publicKeyDer(), BOB.publicKeyDer()));
    for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4")) {
      put(k);
    }
  }

  void put(String key) throws IOException {
    try (WritableObject w = store.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(("content of " + key).getBytes(StandardCharsets.UTF_8)));
      w.commit();
    }
  }

  static String sha256(String s) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  static RetentionFacts facts() {
    List<RetentionFacts.Recording> rs = new ArrayList<>();
    for (String id : List.of("A", "B", "C")) {
      rs.add(
          RetentionFacts.Recording.builder(id)
              .recordingEnd(END)
              .objectKey("rec/" + id + ".mp4")
              .sealRoot(id.toLowerCase().repeat(64).substring(0, 64).replaceAll("[^a-f]", "a"))
              .custodian("officer-" + id)
              .build());
    }
    return RetentionFacts.of(rs, List.of());
  }

  /**
   * A named person accepts the clock's jump to the wall's time, as one must before the ledger takes
   * entries more than 31 days after its latest: these set-ups seal recordings at {@link
   * #INGESTED} and plan two years later with nothing logged between, which a test clock passed
   * unasked.
   */
  void acceptTheJump(String reason) throws Exception {
    ledger.refresh(); // the archive's own ledger logged the ingests
    HighWaterMarkClock.anchored(wall, ledger, dir.resolve("jump-mark"), Duration.ofDays(31))
        .acceptJump("admin-1", reason);
  }

  String recordPlan() throws Exception {
    Disposition.Plan plan =
        Disposition.plan(REG, facts(), RetentionHistory.read(ledger), LATER).plannedBy("planner");
    assertEquals(3, plan.disposable().size());
    return Disposition.record(plan, store, ledger);
  }

  DispositionApproval approve(String digest, String who, SigningKeys.LocalSigningKey key)
      throws Exception {
    return Disposition.approve(
        DispositionApproval.builder()
            .planDigest(digest)
            .approver(who)
            .key(key)
            .expiresAt(LATER.plus(Duration.ofDays(30))),
        store,
        ledger,
        clock);
  }

  DestructionRegister execute(String digest) throws Exception {
    return DispositionExecution.builder()
        .planDigest(digest)
        .policy(REG)
        .facts(facts())
        .approverKeys(approvers)
        .signer(EXEC)
        .executedBy("executor")
        .build()
        .run(store, ledger, clock);
  }

  List<String> types() throws IOException {
    List<String> out = new ArrayList<>();
    for (LedgerEntry e : ledger.entries()) {
      out.add(e.type());
    }
    return out;
  }

  /**
   * A clock vouched for on behalf of an approval or an execution is recorded only for one that goes
   * ahead: each refusal that does not need the time (an unknown plan, an exclusion the plan
   * does not offer, a second approval, too few approvals) comes before the clock is read. They read
   * it first, so each refusal left a {@code clock-jump-accepted} entry on no one's account.
   */
  @Test
  void aRefusedApprovalOrExecutionLeavesTheClockItVouchedForUnrecorded() throws Exception {
    String digest = recordPlan();
    String unknown = "0".repeat(64);
    HighWaterMarkClock hwm =
        HighWaterMarkClock.anchored(wall, ledger, dir.resolve("mark"), Duration.ofDays(31));
    wall.advance(Duration.ofDays(40)); // a jump to accept
    long size = ledger.size();
    List<org.junit.jupiter.api.function.Executable> refused =
        List.of(
            () -> Disposition.approve(terms(unknown, "approver-alice", ALICE), store, ledger, hwm),
            () ->
                Disposition.approve(
                    terms(digest, "approver-alice", ALICE).exclude("Z", "not in the plan"),
                    store,
                    ledger,
                    hwm),
            () -> executeWith(unknown, hwm),
            () -> executeWith(digest, hwm));
    for (var r : refused) {
      hwm.acceptJumpOnFirstReading("admin-1", "station clock replaced");
      assertThrows(Exception.class, r);
      assertEquals(size, ledger.size(), "nothing recorded for a refused step");
    }
    assertFalse(Files.exists(dir.resolve("mark")), "no mark either");

    // an approval made records the vouching at its time, and lapses seven days after it
    wall.advance(Duration.ofMinutes(5));
    hwm.acceptJumpOnFirstReading("admin-1", "station clock replaced");
    DispositionApproval a =
        Disposition.approve(terms(digest, "approver-alice", ALICE), store, ledger, hwm);
    assertEquals(LATER.plus(Duration.ofDays(40)).plus(Duration.ofMinutes(5)), a.approvedAt());
    assertEquals(a.approvedAt().plus(Duration.ofDays(7)), a.expiresAt());
    assertEquals(size + 2, ledger.size());
    assertEquals(EntryType.CLOCK_JUMP_ACCEPTED, ledger.entry(size).type());
    assertEquals(EntryType.DISPOSITION_APPROVED, ledger.entry(size + 1).type());

    // the same approver again, and an execution with one approval: refused, nothing recorded
    size = ledger.size();
    hwm.acceptJumpOnFirstReading("admin-1", "again");
    DispositionRefusedException twice =
        assertThrows(
            DispositionRefusedException.class,
            () -> Disposition.approve(terms(digest, "approver-alice", ALICE), store, ledger, hwm));
    assertTrue(twice.getMessage().contains("has already approved"), twice.getMessage());
    assertEquals(size, ledger.size());
    hwm.acceptJumpOnFirstReading("admin-1", "again");
    DispositionRefusedException one =
        assertThrows(DispositionRefusedException.class, () -> executeWith(digest, hwm));
    assertTrue(one.getMessage().contains("has 1 valid approval(s)"), one.getMessage());
    assertEquals(size, ledger.size());

    // validFor is checked up front: not positive, or beyond the calendar
    assertThrows(
        IllegalArgumentException.class,
        () -> DispositionApproval.builder().validFor(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> DispositionApproval.builder().validFor(Duration.ofDays(2_000_000_000L)));
    assertThrows(
        IllegalStateException.class,
        () -> DispositionApproval.builder().expiresAt(LATER).validFor(Duration.ofDays(1)));
  }

  /**
   * An approval whose expiry has passed, and an execution whose approvals have lapsed, are refused
   * before any time is vouched for: the jump named for them is not recorded and the mark is
   * not written. Both read the trusted clock first and refused after, leaving a {@code
   * clock-jump-accepted} entry on no one's account.
   */
  @Test
  void anExpiredApprovalOrExecutionIsRefusedBeforeTheClockVouches() throws Exception {
    String digest = recordPlan();
    Path mark = dir.resolve("mark");
    HighWaterMarkClock hwm = HighWaterMarkClock.anchored(wall, ledger, mark, Duration.ofDays(31));
    long size = ledger.size();
    wall.advance(Duration.ofDays(40)); // a jump to accept
    assertEquals(Optional.empty(), hwm.acceptJumpOnFirstReading("admin-1", "clock replaced"));
    DispositionRefusedException past =
        assertThrows(
            DispositionRefusedException.class,
            () ->
                Disposition.approve(
                    DispositionApproval.builder()
                        .planDigest(digest)
                        .approver("approver-alice")
                        .key(ALICE)
                        .expiresAt(LATER.minusSeconds(1)),
                    store,
                    ledger,
                    hwm));
    assertTrue(past.getMessage().contains("would expire at"), past.getMessage());
    assertEquals(size, ledger.size(), "nothing vouched for, stored or logged");
    assertFalse(Files.exists(mark), "no mark");
    assertTrue(Disposition.readableApprovals(store, digest).isEmpty(), "no approval stored");

    // two approvals valid for seven days, then 40 pass: they lapsed, and the clock jumped. (The
    // approvals themselves come 40 days after the plan: that jump is accepted first.)
    acceptTheJump("approvals after the plan's review");
    Disposition.approve(terms(digest, "approver-alice", ALICE), store, ledger, clock);
    Disposition.approve(terms(digest, "approver-bob", BOB), store, ledger, clock);
    wall.advance(Duration.ofDays(40));
    size = ledger.size();
    assertEquals(Optional.empty(), hwm.acceptJumpOnFirstReading("admin-1", "clock replaced"));
    DispositionRefusedException lapsed =
        assertThrows(DispositionRefusedException.class, () -> executeWith(digest, hwm));
    assertTrue(lapsed.getMessage().contains("expired at"), lapsed.getMessage());
    assertEquals(size, ledger.size(), "nothing vouched for or logged");
    assertFalse(Files.exists(mark), "no mark");
    for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4")) {
      assertTrue(store.exists(ObjectKey.of(k)), k);
    }
  }

  static DispositionApproval.Builder terms(
      String digest, String who, SigningKeys.LocalSigningKey key) {
    return DispositionApproval.builder()
        .planDigest(digest)
        .approver(who)
        .key(key)
        .validFor(Duration.ofDays(7));
  }

  DestructionRegister executeWith(String digest, TrustedClock c) throws Exception {
    return DispositionExecution.builder()
        .planDigest(digest)
        .policy(REG)
        .facts(facts())
        .approverKeys(approvers)
        .signer(EXEC)
        .executedBy("executor")
        .build()
        .run(store, ledger, c);
  }

  @Test
  void twoApproversThenExecutionLeavesTombstonesARegisterAndLedgerEntries() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    // after approval a hold is placed on B through the ledger: execution re-checks and keeps it
    wall.advance(Duration.ofHours(1));
    RetentionFacts.Hold h =
        RetentionHolds.place(
            ledger,
            store,
            clock,
            "B",
            Optional.of("rec/B.mp4"),
            "legal",
            "appeal filed",
            "legal-section");
    wall.advance(Duration.ofHours(1));
    DestructionRegister reg = execute(digest);

    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertEquals(DestructionRegister.Outcome.KEPT, reg.items().get(1).outcome());
    assertTrue(
        reg.items().get(1).reason().contains("HELD by " + h.id() + " (legal, appeal filed"),
        reg.items().get(1).reason());
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(2).outcome());
    assertFalse(store.exists(ObjectKey.of("rec/A.mp4")));
    assertTrue(store.exists(ObjectKey.of("rec/B.mp4")));
    assertFalse(store.exists(ObjectKey.of("rec/C.mp4")));

    List<Tombstone> a = Tombstone.history(store, "A");
    assertEquals(
        List.of("intended", "disposed"), a.stream().map(t -> t.state().wireName()).toList());
    assertEquals(sha256("content of rec/A.mp4"), a.get(1).contentSha256().orElseThrow());
    assertEquals(digest, a.get(1).planDigest());
    assertEquals(List.of(), Tombstone.history(store, "B"));

    assertTrue(reg.verify(TrustAnchors.ofPublicKeys(List.of(EXEC.publicKeyDer()))));
    assertFalse(reg.verify(approvers), "only the executor's key signs the register");
    assertEquals(2, reg.approvers().size());
    String text = reg.toText(ZoneId.of("Asia/Shanghai"));
    assertTrue(text.startsWith("销毁清册"), text);
    assertTrue(text.contains(sha256("content of rec/A.mp4")), text);
    // the totals as a person reads them, not a Java map
    java.util.Map<DestructionRegister.Outcome, Integer> counts = new java.util.LinkedHashMap<>();
    reg.items().forEach(i -> counts.merge(i.outcome(), 1, Integer::sum));
    StringBuilder totals = new StringBuilder("totals:");
    counts.forEach((o, n) -> totals.append(totals.length() > 7 ? ", " : " ").append(n + " " + o));
    assertTrue(text.contains(totals + "\n"), text);
    assertFalse(text.contains("totals: {"), text);
    List<DestructionRegister> stored = DestructionRegister.read(store, digest);
    assertEquals(1, stored.size());
    assertEquals(reg.digest(), stored.get(0).digest());

    List<String> types = types();
    for (String t :
        List.of(
            EntryType.RETENTION_DECIDED,
            EntryType.DISPOSITION_PLANNED,
            EntryType.DISPOSITION_APPROVED,
            EntryType.HOLD_PLACED,
            EntryType.DISPOSAL_INTENDED,
            EntryType.DISPOSED,
            EntryType.DESTRUCTION_REGISTERED)) {
      assertTrue(types.contains(t), t + " in " + types);
    }
    LedgerEntry disposed =
        ledger.entries().stream()
            .filter(e -> e.type().equals(EntryType.DISPOSED) && e.subject().equals("A"))
            .findFirst()
            .orElseThrow();
    assertEquals(sha256("content of rec/A.mp4"), disposed.payloadDigest().orElseThrow());
    assertEquals("executor", disposed.actor());
    assertEquals(h.id(), RetentionHistory.read(ledger).holds("B").get(0).id());
    assertTrue(ledger.verify(TrustAnchors.none()).intact());

    // records of disposition are kept for good: neither tombstones nor the register can go
    for (String prefix : List.of("tombstones/", "disposition/")) {
      try (var s = store.list(prefix)) {
        for (ObjectInfo info : s.toList()) {
          assertThrows(RetentionLockedException.class, () -> store.delete(info.key()), prefix);
        }
      }
    }
  }

  /**
   * A seal left unlocked (an older build, or a writer stopped between its commit and its lock) is
   * locked before its recording's content is destroyed: afterwards it is what shows what was
   * destroyed, and nobody can delete it through the store.
   */
  @Test
  void anUnlockedSealIsLockedForGoodBeforeItsContentIsDisposedOf() throws Exception {
    ObjectKey seal = ObjectKey.of("rec/A.mp4" + EvidenceArchive.SEAL_SUFFIX);
    put(seal.value()); // committed plainly, no retention
    assertTrue(store.stat(seal).retainUntil().isEmpty());
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    DestructionRegister reg = execute(digest);
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertFalse(store.exists(ObjectKey.of("rec/A.mp4")));
    assertEquals(PermanentRecords.FOREVER, store.stat(seal).retainUntil().orElse(null));
    assertThrows(RetentionLockedException.class, () -> store.delete(seal));
  }

  /**
   * Facts that name a record the library keeps for good as a recording's object (a seal, a ledger
   * batch, a tombstone) never get it destroyed, even approved and on a store that would let it go.
   */
  @Test
  void factsNamingARecordKeptForGoodAsContentDisposeOfNothing() throws Exception {
    InMemoryEvidenceStore plain = (InMemoryEvidenceStore) store;
    ObjectKey seal = ObjectKey.of("rec/A.mp4" + EvidenceArchive.SEAL_SUFFIX);
    put(seal.value()); // unlocked: only the library's own rule stands between it and a delete
    RetentionFacts hostile =
        RetentionFacts.of(
            List.of(
                RetentionFacts.Recording.builder("A")
                    .recordingEnd(END)
                    .objectKey(seal.value())
                    .sealRoot("a".repeat(64))
                    .build()),
            List.of());
    Disposition.Plan plan =
        Disposition.plan(REG, hostile, RetentionHistory.read(ledger), LATER).plannedBy("planner");
    String digest = Disposition.record(plan, plain, ledger);
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    DestructionRegister reg =
        DispositionExecution.builder()
            .planDigest(digest)
            .policy(REG)
            .facts(hostile)
            .approverKeys(approvers)
            .signer(EXEC)
            .executedBy("executor")
            .build()
            .run(store, ledger, clock);
    assertEquals(DestructionRegister.Outcome.KEPT, reg.items().get(0).outcome(), reg.toString());
    assertTrue(store.exists(seal));
  }

  @Test
  void executingTheSameApprovalTwiceDisposesOnceAndReportsAlreadyDisposed() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    DestructionRegister first = execute(digest);
    assertEquals(3, first.items(DestructionRegister.Outcome.DISPOSED).size());
    wall.advance(Duration.ofMinutes(5));
    DestructionRegister second = execute(digest);
    assertEquals(3, second.items(DestructionRegister.Outcome.ALREADY_DISPOSED).size());
    assertEquals(0, second.items(DestructionRegister.Outcome.FAILED).size());
    assertEquals(2, second.batch());
    assertEquals(2, Tombstone.history(store, "A").size());
    assertEquals(
        3, ledger.entries().stream().filter(e -> e.type().equals(EntryType.DISPOSED)).count());
  }

  @Test
  void fourEyesPlannerCannotApproveOneApprovalIsNotEnoughAndKeysMustBeTrustedAndDistinct()
      throws Exception {
    String digest = recordPlan();
    DispositionRefusedException self =
        assertThrows(DispositionRefusedException.class, () -> approve(digest, " Planner ", ALICE));
    assertTrue(self.getMessage().contains("four eyes"), self.getMessage());
    approve(digest, "approver-alice", ALICE);
    assertThrows(
        DispositionRefusedException.class, () -> approve(digest, "APPROVER-ALICE", ALICE), "twice");
    DispositionRefusedException one =
        assertThrows(DispositionRefusedException.class, () -> execute(digest));
    assertTrue(one.getMessage().contains("1 valid approval"), one.getMessage());
    // a second name with the same key is not a second person: refused before it is stored or
    // logged, so no register can name carol for what alice's key signed
    long before = ledger.entries().size();
    DispositionRefusedException alias =
        assertThrows(
            DispositionRefusedException.class, () -> approve(digest, "approver-carol", ALICE));
    assertTrue(alias.getMessage().contains("as approver-alice"), alias.getMessage());
    assertEquals(before, ledger.entries().size());
    assertEquals(
        List.of("approver-alice"),
        Disposition.approvals(store, digest).stream().map(DispositionApproval::approver).toList());
    assertThrows(DispositionRefusedException.class, () -> execute(digest));
    // an untrusted key does not count either
    approve(digest, "approver-mallory", MALLORY);
    DispositionRefusedException untrusted =
        assertThrows(DispositionRefusedException.class, () -> execute(digest));
    assertTrue(untrusted.getMessage().contains("trusted"), untrusted.getMessage());
    for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4")) {
      assertTrue(store.exists(ObjectKey.of(k)), k);
    }
    approve(digest, "approver-bob", BOB);
    assertEquals(3, execute(digest).items(DestructionRegister.Outcome.DISPOSED).size());
  }

  @Test
  void expiredApprovalsAndAlteredPlansAreRefusedBeforeAnyDeletion() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    wall.advance(Duration.ofDays(31));
    DispositionRefusedException late =
        assertThrows(DispositionRefusedException.class, () -> execute(digest));
    assertTrue(late.getMessage().contains("expired"), late.getMessage());
    assertThrows(
        DispositionRefusedException.class,
        () -> execute("0".repeat(64)),
        "a plan that is not stored");
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")));
    assertThrows(
        DispositionRefusedException.class,
        () ->
            Disposition.approve(
                DispositionApproval.builder()
                    .planDigest(digest)
                    .approver("approver-dan")
                    .key(BOB)
                    .expiresAt(LATER),
                store,
                ledger,
                clock),
        "an approval already expired when signed");
  }

  @Test
  void exclusionsNeedAReasonAndKeepTheRecording() throws Exception {
    String digest = recordPlan();
    assertThrows(
        IllegalArgumentException.class,
        () -> DispositionApproval.builder().exclude("C", " "),
        "no reason");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Disposition.approve(
                DispositionApproval.builder()
                    .planDigest(digest)
                    .approver("approver-alice")
                    .key(ALICE)
                    .expiresAt(LATER.plus(Duration.ofDays(1)))
                    .exclude("Z", "not in the plan"),
                store,
                ledger,
                clock));
    Disposition.approve(
        DispositionApproval.builder()
            .planDigest(digest)
            .approver("approver-alice")
            .key(ALICE)
            .expiresAt(LATER.plus(Duration.ofDays(1)))
            .exclude("C", "press inquiry pending"),
        store,
        ledger,
        clock);
    approve(digest, "approver-bob", BOB);
    DestructionRegister reg = execute(digest);
    assertEquals(DestructionRegister.Outcome.EXCLUDED, reg.items().get(2).outcome());
    assertEquals("press inquiry pending", reg.items().get(2).reason());
    assertTrue(store.exists(ObjectKey.of("rec/C.mp4")));
  }

  @Test
  void aStoreRefusalIsRecordedAsRefusedAndALaterDisposalUnderANewPlanIsItsOwnRecord()
      throws Exception {
    store.setRetention(ObjectKey.of("rec/A.mp4"), Instant.parse("2030-01-01T00:00:00Z"));
    store.delete(ObjectKey.of("rec/C.mp4"));
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    DestructionRegister reg = execute(digest);
    assertEquals(DestructionRegister.Outcome.REFUSED, reg.items().get(0).outcome());
    assertEquals(DestructionRegister.Outcome.MISSING, reg.items().get(2).outcome());
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")));
    // the printed register says why A is still there, not only which bytes it holds
    String refusedLine =
        reg.toText(ZoneId.of("Asia/Shanghai"))
            .lines()
            .filter(l -> l.contains("REFUSED"))
            .findFirst()
            .orElseThrow();
    assertTrue(refusedLine.contains("2030-01-01"), refusedLine);
    assertTrue(
        reg.toText(ZoneId.of("Asia/Shanghai")).contains(sha256("content of rec/A.mp4")),
        "the refused content's SHA-256 is still printed");
    assertEquals(
        List.of("intended", "refused"),
        Tombstone.history(store, "A").stream().map(t -> t.state().wireName()).toList());
    assertEquals(
        List.of("missing"),
        Tombstone.history(store, "C").stream().map(t -> t.state().wireName()).toList());

    // 2030: a new plan, new approvals, and the disposal happens under them
    wall.set(Instant.parse("2030-02-01T00:00:00Z"));
    acceptTheJump("the next review, years later");
    Disposition.Plan p2 =
        Disposition.plan(REG, facts(), RetentionHistory.read(ledger), wall.instant())
            .plannedBy("planner-2");
    String d2 = Disposition.record(p2, store, ledger);
    Disposition.approve(
        DispositionApproval.builder()
            .planDigest(d2)
            .approver("approver-alice")
            .key(ALICE)
            .expiresAt(wall.instant().plus(Duration.ofDays(3))),
        store,
        ledger,
        clock);
    Disposition.approve(
        DispositionApproval.builder()
            .planDigest(d2)
            .approver("approver-bob")
            .key(BOB)
            .expiresAt(wall.instant().plus(Duration.ofDays(3))),
        store,
        ledger,
        clock);
    assertEquals(DestructionRegister.Outcome.DISPOSED, execute(d2).items().get(0).outcome());
    List<Tombstone> a = Tombstone.history(store, "A");
    assertEquals(
        List.of("intended", "refused", "intended", "disposed"),
        a.stream().map(t -> t.state().wireName()).toList());
    assertEquals(d2, a.get(3).planDigest());
    assertEquals(Instant.parse("2030-02-01T00:00:00Z"), a.get(3).at());
  }

  @Test
  void anInterruptedRunIsCompletedTruthfully() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    // the run stopped after writing and logging A's intent and deleting it
    String sha = sha256("content of rec/A.mp4");
    Tombstone intent =
        new Tombstone(
            "A", "rec/A.mp4", Tombstone.State.INTENDED, LATER, digest, "executor", sha, null, "");
    intent.store(store);
    ledger.append(DispositionExecution.entryOf(intent));
    store.delete(ObjectKey.of("rec/A.mp4"));
    DestructionRegister reg = execute(digest);
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertEquals(sha, reg.items().get(0).contentSha256().orElseThrow());
    assertEquals(
        List.of("intended", "disposed"),
        Tombstone.history(store, "A").stream().map(t -> t.state().wireName()).toList());
  }

  @Test
  void aRunStoppedBeforeItsRegisterHasItsDisposalsListedByTheNextRunOnce() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    // the run destroyed A completely (both states stored, the intent logged, the object deleted)
    // and was killed before its register
    String sha = sha256("content of rec/A.mp4");
    Instant stopped = LATER;
    Tombstone intent =
        new Tombstone(
            "A", "rec/A.mp4", Tombstone.State.INTENDED, stopped, digest, "ro-night", sha, null, "");
    intent.store(store);
    ledger.append(DispositionExecution.entryOf(intent));
    store.delete(ObjectKey.of("rec/A.mp4"));
    new Tombstone(
            "A", "rec/A.mp4", Tombstone.State.DISPOSED, stopped, digest, "ro-night", sha, null, "")
        .store(store);
    assertEquals(List.of(), DestructionRegister.read(store, digest));

    DestructionRegister first = execute(digest);
    DestructionRegister second = execute(digest);
    // A, B and C were each destroyed once: the plan's registers together list each as DISPOSED
    // exactly once, A with the time and executor of the run that destroyed it
    Map<String, Long> listed = new TreeMap<>();
    for (DestructionRegister r : DestructionRegister.read(store, digest)) {
      for (DestructionRegister.Item i : r.items(DestructionRegister.Outcome.DISPOSED)) {
        listed.merge(i.recordingId(), 1L, Long::sum);
      }
    }
    assertEquals(Map.of("A", 1L, "B", 1L, "C", 1L), listed);
    DestructionRegister.Item a = first.items().get(0);
    assertEquals(sha, a.contentSha256().orElseThrow());
    assertTrue(a.reason().contains("disposed at " + stopped + " by ro-night"), a.reason());
    assertTrue(first.toText(ZoneId.of("Asia/Shanghai")).contains(a.reason()));
    assertEquals(
        List.of(DestructionRegister.Outcome.ALREADY_DISPOSED),
        second.items().stream().map(DestructionRegister.Item::outcome).distinct().toList());
  }

  @Test
  void aRecordingLinkedToACaseSincePlanningIsKeptAndTheRegisterSaysUntilWhen() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    // B was attached to a 10-year case file archived on 30 June 2026 (Shanghai) after planning:
    // kept through 30 June 2036, disposable from 1 July 2036 00:00 Shanghai = 30 June 16:00Z
    List<RetentionFacts.Recording> rs = new ArrayList<>();
    for (RetentionFacts.Recording r : facts().recordings()) {
      rs.add(r.id().equals("B") ? r.toBuilder().addCaseId("ZZ-2026-0630").build() : r);
    }
    RetentionFacts now =
        RetentionFacts.of(
            rs,
            List.of(
                new RetentionFacts.Case(
                    "ZZ-2026-0630", "10y", Instant.parse("2026-06-30T02:00:00Z"))));
    DestructionRegister reg =
        DispositionExecution.builder()
            .planDigest(digest)
            .policy(REG)
            .facts(now)
            .approverKeys(approvers)
            .signer(EXEC)
            .executedBy("executor")
            .build()
            .run(store, ledger, clock);
    DestructionRegister.Item b = reg.items().get(1);
    assertEquals(DestructionRegister.Outcome.KEPT, b.outcome());
    assertTrue(b.reason().endsWith("RETAINED until 2036-06-30T16:00:00Z"), b.reason());
    assertTrue(store.exists(ObjectKey.of("rec/B.mp4")));
  }

  @Test
  void aRefusingClockStopsEverythingBeforeAnyDeletion() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    clock =
        () -> {
          throw new ClockRefusedException("ran backwards");
        };
    assertThrows(ClockRefusedException.class, () -> execute(digest));
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")));
    assertEquals(List.of(), Tombstone.history(store, "A"));
  }

  @Test
  void aClockWoundBackBehindTheApprovalsIsRefusedBeforeAnyDeletion() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    clock = () -> Instant.parse("2026-06-01T00:00:00Z");
    DispositionRefusedException x =
        assertThrows(DispositionRefusedException.class, () -> execute(digest));
    assertTrue(x.getMessage().contains("after the trusted time"), x.getMessage());
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")));
  }

  @Test
  void aReleasedHoldsStorageLegalHoldIsLiftedOnlyAtAnApprovedExecution() throws Exception {
    RetentionFacts.Hold h =
        RetentionHolds.place(
            ledger, store, clock, "A", Optional.of("rec/A.mp4"), "legal", "appeal", "legal-1");
    assertTrue(store.stat(ObjectKey.of("rec/A.mp4")).legalHold());
    wall.advance(Duration.ofHours(1));
    RetentionHolds.release(ledger, clock, h.id(), "appeal withdrawn", "legal-1");
    assertTrue(store.stat(ObjectKey.of("rec/A.mp4")).legalHold(), "release alone keeps it");
    wall.advance(Duration.ofHours(1));
    Disposition.Plan plan =
        Disposition.plan(REG, facts(), RetentionHistory.read(ledger), wall.instant())
            .plannedBy("planner");
    String digest = Disposition.record(plan, store, ledger);
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    DestructionRegister reg = execute(digest);
    assertEquals(DestructionRegister.Outcome.DISPOSED, reg.items().get(0).outcome());
    assertFalse(store.exists(ObjectKey.of("rec/A.mp4")));
    // the next plan knows A is gone and does not offer it again
    Disposition.Plan next =
        Disposition.plan(REG, facts(), RetentionHistory.read(ledger), wall.instant());
    assertEquals(List.of("A", "B", "C"), next.alreadyDisposed());
    assertEquals(0, next.decisions().size());
  }

  /**
   * A tombstone over its bound is refused before it is parsed: read under the 256 MiB bound of
   * stored records, a planted tombstone of that size was a JSON tree of several GiB.
   */
  @Test
  void anOversizedTombstoneIsRefusedUnparsed() throws Exception {
    ObjectKey k = ObjectKey.of(Tombstone.PREFIX + StoredObjects.folder("A") + "/planted.json");
    StoredObjects.createPermanent(
        store, k, ("{}" + " ".repeat(Tombstone.MAX_BYTES - 1)).getBytes(StandardCharsets.US_ASCII));
    RetentionFormatException e =
        assertThrows(RetentionFormatException.class, () -> Tombstone.history(store, "A"));
    assertTrue(
        e.getMessage().contains(k.value())
            && e.getMessage().contains("larger than " + Tombstone.MAX_BYTES + " bytes"),
        e.getMessage());
    // at the bound it is read and parsed (and refused for what it holds, not for its size)
    ObjectKey atBound = ObjectKey.of(Tombstone.PREFIX + StoredObjects.folder("B") + "/p.json");
    StoredObjects.createPermanent(
        store,
        atBound,
        ("{}" + " ".repeat(Tombstone.MAX_BYTES - 2)).getBytes(StandardCharsets.US_ASCII));
    e = assertThrows(RetentionFormatException.class, () -> Tombstone.history(store, "B"));
    assertTrue(e.getMessage().contains("missing required member"), e.getMessage());
  }

  /**
   * Facts are whatever the planner and the executor give: a recording sealed into the archive today
   * (the ledger's {@code sealed} entry) but named in facts as ended two years ago was disposable at
   * once, and a plan approved by two people destroyed it the same day (R-16, R-18; found with the
   * CLI: {@code ledger ingest}, then {@code retention plan}, two {@code approve} and {@code
   * execute}). Two years run from no earlier than its seal into the archive: a plan made without
   * the ledger's history still offers it, and the execution, which decides again, keeps it.
   */
  @Test
  void aRecordingSealedIntoTheArchiveTodayIsKeptTwoYearsWhateverFactsSayOfItsEnd()
      throws Exception {
    EvidenceArchive archive = EvidenceArchive.open(store, wall);
    Path f =
        Files.writeString(dir.resolve("A.mp4"), "content of rec/A.mp4", StandardCharsets.UTF_8);
    Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(f);
    archive.ingestOnce("rec/A.mp4", f, seal, "intake-1"); // sealed at LATER, 2026-07-01 08:00 SH
    ledger = EvidenceLedger.open(store, wall); // the ledger as the archive left it

    RetentionDecision a =
        RetentionEngine.decide(REG, facts(), RetentionHistory.read(ledger), "A", LATER);
    assertEquals(RetentionStatus.RETAINED, a.status(), a.derivation()::toString);
    // kept through 2028-07-01 in Shanghai: disposable from its midnight after
    assertEquals(Instant.parse("2028-07-01T16:00:00Z"), a.retainUntil().orElseThrow());

    Disposition.Plan forged =
        Disposition.plan(REG, facts(), RetentionHistory.empty(), LATER).plannedBy("planner");
    assertEquals(3, forged.disposable().size(), "without the ledger, the facts alone decide");
    String digest = Disposition.record(forged, store, ledger);
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    DestructionRegister r = execute(digest);
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")), r.items()::toString);
    DestructionRegister.Item item =
        r.items().stream().filter(i -> i.recordingId().equals("A")).findFirst().orElseThrow();
    assertEquals(DestructionRegister.Outcome.KEPT, item.outcome());
    assertTrue(item.reason().endsWith("RETAINED until 2028-07-01T16:00:00Z"), item.reason());
    assertEquals(2, r.items(DestructionRegister.Outcome.DISPOSED).size(), "B and C had their time");
  }

  /**
   * A plan and its two approvals copied into another archive (anyone who can write its store can)
   * were executed there: the approvals are signed over the plan's digest, which names no archive,
   * so recordings of the other archive under the same ids were destroyed under approvals given for
   * this one (R-16, R-18; found with the CLI). An execution needs the plan's {@code
   * disposition-planned} entry in the archive's own ledger, and refuses before anything is logged
   * or deleted.
   */
  @Test
  void aPlanAndApprovalsCopiedFromAnotherArchiveAreNotExecutedThere() throws Exception {
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);

    EvidenceStore other = new InMemoryEvidenceStore(wall);
    EvidenceLedger otherLedger = EvidenceLedger.open(other, wall);
    for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4")) {
      try (WritableObject w = other.create(ObjectKey.of(k))) {
        w.write(ByteBuffer.wrap(("another archive's " + k).getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }
    }
    List<ObjectInfo> records;
    try (java.util.stream.Stream<ObjectInfo> l = store.list("disposition/")) {
      records = l.collect(java.util.stream.Collectors.toList());
    }
    assertEquals(3, records.size(), "the plan and two approvals");
    for (ObjectInfo i : records) {
      try (WritableObject w = other.create(i.key())) {
        w.write(ByteBuffer.wrap(StoredObjects.read(store, i.key())));
        w.commit();
      }
    }
    DispositionRefusedException e =
        assertThrows(
            DispositionRefusedException.class,
            () ->
                DispositionExecution.builder()
                    .planDigest(digest)
                    .policy(REG)
                    .facts(facts())
                    .approverKeys(approvers)
                    .signer(EXEC)
                    .executedBy("executor")
                    .build()
                    .run(other, otherLedger, clock));
    assertTrue(e.getMessage().contains("not recorded in this archive's ledger"), e.getMessage());
    for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4")) {
      assertTrue(other.exists(ObjectKey.of(k)), k);
    }
    assertEquals(0, otherLedger.size(), "nothing logged");
    assertEquals(
        3, execute(digest).items(DestructionRegister.Outcome.DISPOSED).size(), "here, yes");
  }

  /**
   * A plan copied into another archive was approved there: only its execution refused it, so that
   * archive's ledger took {@code disposition-approved} entries (and its store approvals) for a plan
   * it never made. Approving needs the plan's {@code disposition-planned} entry in the
   * archive's own ledger too, and refuses before anything is stored or logged.
   */
  @Test
  void aPlanCopiedFromAnotherArchiveIsNotApprovedThere() throws Exception {
    String digest = recordPlan();
    EvidenceStore other = new InMemoryEvidenceStore(wall);
    EvidenceLedger otherLedger = EvidenceLedger.open(other, wall);
    ObjectKey planKey = ObjectKey.of("disposition/plans/" + digest + ".json");
    try (WritableObject w = other.create(planKey)) {
      w.write(ByteBuffer.wrap(StoredObjects.read(store, planKey)));
      w.commit();
    }
    DispositionRefusedException e =
        assertThrows(
            DispositionRefusedException.class,
            () ->
                Disposition.approve(
                    DispositionApproval.builder()
                        .planDigest(digest)
                        .approver("approver-alice")
                        .key(ALICE)
                        .expiresAt(LATER.plus(Duration.ofDays(30))),
                    other,
                    otherLedger,
                    clock));
    assertTrue(e.getMessage().contains("not recorded in this archive's ledger"), e.getMessage());
    assertEquals(0, otherLedger.size(), "nothing logged");
    try (java.util.stream.Stream<ObjectInfo> l = other.list("disposition/")) {
      assertEquals(List.of(planKey), l.map(ObjectInfo::key).toList(), "no approval stored");
    }
    // in the archive that made it, the same approval goes ahead
    assertEquals("approver-alice", approve(digest, "approver-alice", ALICE).approver());
  }

  /**
   * A recording disposed of under an approved plan that comes in again (a copy left on a card) is a
   * new ingest, not a stopped one resumed: the simple API says so as the station does (R-16,
   * DISPOSED_BEFORE), and a second try finds it ingested.
   */
  @Test
  void aDisposedRecordingIngestedAgainIsIngestedAndSaysWhereItWasDisposedOf() throws Exception {
    EvidenceArchive archive = EvidenceArchive.open(store, wall);
    Path f =
        Files.writeString(dir.resolve("A.mp4"), "content of rec/A.mp4", StandardCharsets.UTF_8);
    Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(f);
    wall.set(INGESTED); // sealed into the archive when it ended: two years before LATER
    EvidenceArchive.IngestOutcome first = archive.ingestOnce("rec/A.mp4", f, seal, "intake-1");
    wall.set(LATER);
    acceptTheJump("archive idle for two years");
    assertEquals(EvidenceArchive.IngestStatus.RESUMED, first.status(), "content put by setUp");
    assertTrue(first.disposedAt().isEmpty());
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    execute(digest);
    assertFalse(store.exists(ObjectKey.of("rec/A.mp4")), "disposed of");
    long disposedAt = -1;
    List<LedgerEntry> entries = ledger.entries();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).type().equals(EntryType.DISPOSED)
          && entries.get(i).subject().equals("A")) {
        disposedAt = i;
      }
    }
    assertTrue(disposedAt >= 0, types()::toString);

    EvidenceArchive again = EvidenceArchive.open(store, wall);
    EvidenceArchive.IngestOutcome back = again.ingestOnce("rec/A.mp4", f, seal, "intake-2");
    assertEquals(EvidenceArchive.IngestStatus.INGESTED, back.status());
    assertEquals(disposedAt, back.disposedAt().orElseThrow());
    assertTrue(back.ledgerIndex() > disposedAt, "logged anew after its disposal");
    assertTrue(store.exists(ObjectKey.of("rec/A.mp4")), "stored again");
    EvidenceArchive.IngestOutcome twice = again.ingestOnce("rec/A.mp4", f, seal, "intake-2");
    assertEquals(EvidenceArchive.IngestStatus.ALREADY_INGESTED, twice.status());
    assertEquals(back.ledgerIndex(), twice.ledgerIndex());
    assertTrue(twice.disposedAt().isEmpty());
  }

  /**
   * After a real disposition the archive sweep is clean: the plan, the approvals, the
   * tombstones and the destruction register are the archive's own records, not stray data, and a
   * disposed recording's kept seal is named as disposed. Stray data put under the same folders is
   * still reported.
   */
  @Test
  void aDisposedArchiveSweepsClean() throws Exception {
    EvidenceArchive archive = EvidenceArchive.open(store, wall);
    put("rec/D.mp4"); // not offered for disposal: it stays
    for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4", "rec/D.mp4")) {
      // the content setUp stored, sealed and logged as an ingest would have
      Path f =
          Files.writeString(dir.resolve(k.substring(4)), "content of " + k, StandardCharsets.UTF_8);
      Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(f);
      wall.set(INGESTED); // sealed into the archive when it ended: two years before LATER
      archive.ingestOnce(k, f, seal, "intake-1");
      wall.set(LATER);
    }
    acceptTheJump("archive idle for two years");
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    execute(digest);

    SweepReport r = EvidenceArchive.open(store, wall).sweep(null);
    Map<String, Status> got = new TreeMap<>();
    r.items().forEach(i -> got.put(i.key(), i.status()));
    assertEquals(
        Map.of(
            "rec/A.mp4", Status.OK,
            "rec/B.mp4", Status.OK,
            "rec/C.mp4", Status.OK,
            "rec/D.mp4", Status.OK),
        got,
        r::toString);
    assertTrue(r.clean(), r::toString);
    assertTrue(detail(r, "rec/A.mp4").startsWith("disposed at ledger entry "), r::toString);
    assertEquals("intact", detail(r, "rec/D.mp4"));

    // what a tombstone or a plan is named like, but is not one: still stray data
    put("disposition/plans/notes.txt");
    put("tombstones/readme.json");
    put("disposition/approvals/" + "0".repeat(64) + "/extra/x.json");
    SweepReport again = EvidenceArchive.open(store, wall).sweep(null);
    for (String stray :
        List.of(
            "disposition/plans/notes.txt",
            "tombstones/readme.json",
            "disposition/approvals/" + "0".repeat(64) + "/extra/x.json")) {
      assertEquals(Status.UNEXPECTED, status(again, stray), again::toString);
    }
    assertTrue(store.exists(ObjectKey.of("rec/D.mp4")));
  }

  /**
   * Ingests A to D (a sweep-honest archive, as {@link #aDisposedArchiveSweepsClean}), destroys A, B
   * and C under an approved plan; returns the index of A's {@code sealed} entry.
   */
  private long disposeUnderAPlan() throws Exception {
    EvidenceArchive archive = EvidenceArchive.open(store, wall);
    put("rec/D.mp4");
    for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4", "rec/D.mp4")) {
      Path f =
          Files.writeString(dir.resolve(k.substring(4)), "content of " + k, StandardCharsets.UTF_8);
      Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(f);
      wall.set(INGESTED); // sealed into the archive when it ended: two years before LATER
      archive.ingestOnce(k, f, seal, "intake-1");
      wall.set(LATER);
    }
    acceptTheJump("archive idle for two years");
    String digest = recordPlan();
    approve(digest, "approver-alice", ALICE);
    approve(digest, "approver-bob", BOB);
    execute(digest);
    assertFalse(store.exists(ObjectKey.of("rec/A.mp4")), "A was destroyed");
    List<LedgerEntry> entries = EvidenceLedger.open(store, wall).entries();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).type().equals(EntryType.SEALED)
          && entries.get(i).subject().equals("rec/A.mp4")) {
        return i;
      }
    }
    throw new AssertionError("A was never logged as sealed");
  }

  /** Puts {@code bytes} where A's kept seal is, as an insider with write access to the store. */
  private void replaceKeptSeal(byte[] bytes) throws IOException {
    ObjectKey k = ObjectKey.of("rec/A.mp4" + EvidenceArchive.SEAL_SUFFIX);
    ((InMemoryEvidenceStore) store).removeBehindTheStore(k);
    try (WritableObject w = store.create(k)) {
      w.write(ByteBuffer.wrap(bytes));
      w.commit();
    }
  }

  /**
   * A destroyed recording's seal, kept for good, replaced by a well-formed seal of other
   * bytes (as one signed with a stolen station key would be): the sweep used to call it OK, "kept
   * for good", without reading it; it is DAMAGED now, naming the sealed entry it differs from
   * (R-20).
   */
  @Test
  void aReplacedKeptSealIsDamaged() throws Exception {
    long sealedAt = disposeUnderAPlan();
    Path other = Files.writeString(dir.resolve("other.mp4"), "what the attacker has");
    replaceKeptSeal(
        Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(other).toJson());

    SweepReport r = EvidenceArchive.open(store, wall).sweep(null);
    assertEquals(Status.DAMAGED, status(r, "rec/A.mp4"), r::toString);
    assertTrue(detail(r, "rec/A.mp4").contains("entry " + sealedAt + " (replaced)"), r::toString);
    assertEquals(Status.OK, status(r, "rec/B.mp4"), r::toString);
    assertEquals(Status.OK, status(r, "rec/D.mp4"), r::toString);
    assertFalse(r.clean(), r::toString);
  }

  /** A kept seal overwritten with bytes that are no seal is DAMAGED, not kept. */
  @Test
  void aDamagedKeptSealIsDamaged() throws Exception {
    long sealedAt = disposeUnderAPlan();
    replaceKeptSeal("{\"not\": \"a seal\"}".getBytes(StandardCharsets.UTF_8));

    SweepReport r = EvidenceArchive.open(store, wall).sweep(null);
    assertEquals(Status.DAMAGED, status(r, "rec/A.mp4"), r::toString);
    assertTrue(detail(r, "rec/A.mp4").contains("cannot be read"), r::toString);
    assertTrue(detail(r, "rec/A.mp4").contains("entry " + sealedAt), r::toString);
  }

  /**
   * The logged seal stored in other bytes that parse to it (re-indented) is altered: an auditor
   * recomputing the logged digest from the object gets another one.
   */
  @Test
  void aKeptSealInOtherBytesIsDamaged() throws Exception {
    disposeUnderAPlan();
    byte[] logged;
    try (var ch = store.openRead(ObjectKey.of("rec/A.mp4" + EvidenceArchive.SEAL_SUFFIX))) {
      logged = java.nio.channels.Channels.newInputStream(ch).readAllBytes();
    }
    byte[] spaced = new byte[logged.length + 1];
    spaced[0] = ' ';
    System.arraycopy(logged, 0, spaced, 1, logged.length);
    replaceKeptSeal(spaced);

    SweepReport r = EvidenceArchive.open(store, wall).sweep(null);
    assertEquals(Status.DAMAGED, status(r, "rec/A.mp4"), r::toString);
    assertTrue(detail(r, "rec/A.mp4").contains("canonical"), r::toString);
  }

  /**
   * A destroyed recording whose kept seal was deleted used to vanish from the sweep (nothing
   * listed, nothing said): it is MISSING, naming its entries.
   */
  @Test
  void aDeletedKeptSealIsMissing() throws Exception {
    disposeUnderAPlan();
    long disposedAt = -1;
    List<LedgerEntry> entries = EvidenceLedger.open(store, wall).entries();
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).type().equals(EntryType.DISPOSED)
          && "rec/A.mp4".equals(entries.get(i).details().get("objectKey"))) {
        disposedAt = i;
      }
    }
    ((InMemoryEvidenceStore) store)
        .removeBehindTheStore(ObjectKey.of("rec/A.mp4" + EvidenceArchive.SEAL_SUFFIX));

    SweepReport r = EvidenceArchive.open(store, wall).sweep(null);
    assertEquals(Status.MISSING, status(r, "rec/A.mp4"), r::toString);
    assertTrue(
        detail(r, "rec/A.mp4").startsWith("seal missing: disposed at ledger entry " + disposedAt),
        r::toString);
    assertEquals(Status.OK, status(r, "rec/B.mp4"), r::toString);
  }

  /** The honest kept seal, read and matched with its sealed entry, stays OK. */
  @Test
  void theLoggedKeptSealIsOk() throws Exception {
    long sealedAt = disposeUnderAPlan();
    SweepReport r = EvidenceArchive.open(store, wall).sweep(null);
    assertEquals(Status.OK, status(r, "rec/A.mp4"), r::toString);
    assertTrue(detail(r, "rec/A.mp4").endsWith("as logged at entry " + sealedAt), r::toString);
    assertTrue(r.clean(), r::toString);
  }

  private static String detail(SweepReport r, String key) {
    return r.items().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow().detail();
  }

  private static Status status(SweepReport r, String key) {
    return r.items().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow().status();
  }
}
