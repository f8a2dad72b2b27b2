package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two executions of one approved plan at the same time, as two stations on one filesystem store,
 * each with its own ledger. Whatever the interleaving, each recording is destroyed
 * once: one {@code disposed} entry, never a {@code disposal-missing} one, and the two registers
 * list it as destroyed once between them, the other saying it was already disposed of.
 */
class ConcurrentDispositionRunsTest {
  static final Instant END = Instant.parse("2024-06-01T06:10:00Z");
  static final Instant LATER = Instant.parse("2026-07-01T00:00:00Z");
  static final SigningKeys.LocalSigningKey ALICE = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey BOB = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey STATION1 = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey STATION2 = SigningKeys.generate(SignatureSuite.ED25519);
  static final List<String> IDS = List.of("A", "B", "C", "D", "E", "F");

  @TempDir Path dir;
  final MutableClock wall = new MutableClock(LATER);
  final TrustedClock clock = wall::instant;

  static RetentionFacts facts() {
    List<RetentionFacts.Recording> rs = new ArrayList<>();
    for (String id : IDS) {
      rs.add(
          RetentionFacts.Recording.builder(id)
              .recordingEnd(END)
              .objectKey("rec/" + id + ".mp4")
              .build());
    }
    return RetentionFacts.of(rs, List.of());
  }

  /** A store holding the recordings, a recorded plan of all of them, approved twice. */
  String approvedPlan(EvidenceStore store) throws Exception {
    for (String id : IDS) {
      try (WritableObject w = store.create(ObjectKey.of("rec/" + id + ".mp4"))) {
        w.write(ByteBuffer.wrap(("content of " + id).getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }
    }
    EvidenceLedger ledger = EvidenceLedger.open(store, wall);
    String digest =
        Disposition.record(
            Disposition.plan(
                    RetentionPolicy.regulationDefault(), facts(), RetentionHistory.empty(), LATER)
                .plannedBy("planner"),
            store,
            ledger);
    for (Object[] who : new Object[][] {{"approver-alice", ALICE}, {"approver-bob", BOB}}) {
      Disposition.approve(
          DispositionApproval.builder()
              .planDigest(digest)
              .approver((String) who[0])
              .key((SigningKeys.LocalSigningKey) who[1])
              .expiresAt(LATER.plus(Duration.ofDays(30))),
          store,
          ledger,
          clock);
    }
    return digest;
  }

  /** One station's run: its own ledger over the shared store, its own name and key. */
  DestructionRegister run(
      String digest, EvidenceStore store, String station, SigningKeys.LocalSigningKey key)
      throws Exception {
    return DispositionExecution.builder()
        .planDigest(digest)
        .policy(RetentionPolicy.regulationDefault())
        .facts(facts())
        .approverKeys(TrustAnchors.ofPublicKeys(List.of(ALICE.publicKeyDer(), BOB.publicKeyDer())))
        .signer(key)
        .executedBy(station)
        .build()
        .run(store, EvidenceLedger.open(store, wall), clock);
  }

  static CompletableFuture<DestructionRegister> inThread(Callable run) {
    CompletableFuture<DestructionRegister> out = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                out.complete(run.call());
              } catch (Throwable e) {
                out.completeExceptionally(e);
              }
            });
    t.setDaemon(true);
    t.start();
    return out;
  }

  interface Callable {
    DestructionRegister call() throws Exception;
  }

  /**
   * What must hold after two runs of the plan, whatever their interleaving: every recording gone,
   * one {@code disposed} entry and no {@code disposal-missing} one; the two registers list each as
   * destroyed once and as already disposed once, and are each logged once.
   */
  void assertDisposedOnce(
      EvidenceStore store,
      String digest,
      DestructionRegister one,
      DestructionRegister two,
      String at)
      throws IOException {
    EvidenceLedger ledger = EvidenceLedger.open(store, wall);
    Map<String, List<String>> byType = new TreeMap<>();
    for (LedgerEntry e : ledger.entries()) {
      byType.computeIfAbsent(e.type() + " " + e.subject(), k -> new ArrayList<>()).add(e.actor());
    }
    for (String id : IDS) {
      assertFalse(store.exists(ObjectKey.of("rec/" + id + ".mp4")), at + id + " is gone");
      assertEquals(
          1,
          byType.getOrDefault(EntryType.DISPOSED + " " + id, List.of()).size(),
          at + id + " disposed entries: " + byType);
      assertEquals(
          List.of(),
          byType.getOrDefault(EntryType.DISPOSAL_MISSING + " " + id, List.of()),
          at + id + " missing");
      List<DestructionRegister.Outcome> outcomes = new ArrayList<>();
      for (DestructionRegister r : List.of(one, two)) {
        r.items().stream()
            .filter(i -> i.recordingId().equals(id))
            .forEach(i -> outcomes.add(i.outcome()));
      }
      // destroyed once between them (DISPOSED), and the other run says so (ALREADY_DISPOSED)
      assertEquals(
          new TreeSet<>(
              Set.of(
                  DestructionRegister.Outcome.ALREADY_DISPOSED,
                  DestructionRegister.Outcome.DISPOSED)),
          new TreeSet<>(outcomes),
          at + id + " in the registers " + one.items() + " / " + two.items());
      assertEquals(2, outcomes.size(), at + id + " in each register once");
    }
    List<String> logged =
        ledger.entries().stream()
            .filter(e -> e.type().equals(EntryType.DESTRUCTION_REGISTERED))
            .map(e -> e.payloadDigest().orElseThrow())
            .sorted()
            .toList();
    assertEquals(
        List.of(one.digest(), two.digest()).stream().sorted().toList(),
        logged,
        at + "each register logged once");
  }

  /**
   * Two stations run the plan at the same instant, many times over: in some rounds they reach the
   * same recording together, and both deleted and logged it (two {@code disposed} entries), or the
   * later one found it gone and called it missing.
   */
  @Test
  void twoRunsAtOnceDisposeOfEachRecordingOnce() throws Exception {
    for (int round = 0; round < 30; round++) {
      Path root = dir.resolve("round-" + round);
      try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, wall)) {
        String digest = approvedPlan(store);
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<DestructionRegister> one =
            inThread(
                () -> {
                  start.await();
                  return run(digest, store, "station-1", STATION1);
                });
        CompletableFuture<DestructionRegister> two =
            inThread(
                () -> {
                  start.await();
                  return run(digest, store, "station-2", STATION2);
                });
        start.countDown();
        assertDisposedOnce(
            store,
            digest,
            one.get(2, TimeUnit.MINUTES),
            two.get(2, TimeUnit.MINUTES),
            "round " + round + ": ");
      }
    }
  }

  /**
   * A store of station 1 that stops its run at the delete of A, {@code after} the delete or before
   * it, until station 2 has run the plan whole.
   */
  static final class PausingAtTheDelete extends ForwardingEvidenceStore {
    final boolean after;
    final CountDownLatch paused = new CountDownLatch(1);
    final CountDownLatch goOn = new CountDownLatch(1);

    PausingAtTheDelete(EvidenceStore delegate, boolean after) {
      super(delegate);
      this.after = after;
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
      boolean a = key.value().equals("rec/A.mp4");
      if (a && after) {
        super.delete(key);
      }
      if (a) {
        paused.countDown();
        try {
          if (!goOn.await(2, TimeUnit.MINUTES)) {
            throw new IOException("never told to go on");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      if (!a || !after) {
        super.delete(key);
      }
    }
  }

  /**
   * Station 1 has logged its intent for A and deleted it, and is stopped before its {@code
   * disposed} state; station 2 runs whole meanwhile. Station 2 finds A gone after a logged intent
   * and completes the disposal; station 1 then logged a second {@code disposed} entry for A. Now it
   * finds station 2's entry and reports A disposed of by the other run.
   */
  @Test
  void aRunStoppedBetweenItsDeleteAndItsEntryFindsTheOtherRunsEntry() throws Exception {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, wall)) {
      String digest = approvedPlan(store);
      PausingAtTheDelete station1 = new PausingAtTheDelete(store, true);
      CompletableFuture<DestructionRegister> one =
          inThread(() -> run(digest, station1, "station-1", STATION1));
      assertTrue(station1.paused.await(2, TimeUnit.MINUTES), "station 1 reached the delete of A");
      wall.set(LATER.plusSeconds(5));
      DestructionRegister two = run(digest, store, "station-2", STATION2);
      station1.goOn.countDown();
      DestructionRegister first = one.get(2, TimeUnit.MINUTES);
      assertDisposedOnce(store, digest, first, two, "");
      assertEquals(DestructionRegister.Outcome.ALREADY_DISPOSED, first.items().get(0).outcome());
      assertTrue(
          first.items().get(0).reason().contains("by station-2, logged by another run"),
          first.items().get(0).reason());
      assertEquals(DestructionRegister.Outcome.DISPOSED, two.items().get(0).outcome());
      List<LedgerEntry> disposedOfA =
          EvidenceLedger.open(store, wall).entries().stream()
              .filter(e -> e.type().equals(EntryType.DISPOSED) && e.subject().equals("A"))
              .toList();
      assertEquals("station-2", disposedOfA.get(0).actor());
      assertEquals(digest, disposedOfA.get(0).details().get("plan"));
    }
  }

  /**
   * Station 1 has logged its intent for A and is stopped before its delete; station 2 logs its own
   * intent, deletes A and logs the disposal. Station 1's delete then finds nothing to delete, and
   * it logged a second {@code disposed} entry. Now it reports A disposed of by the other run.
   */
  @Test
  void aRunStoppedBeforeItsDeleteFindsTheOtherRunsDisposal() throws Exception {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, wall)) {
      String digest = approvedPlan(store);
      PausingAtTheDelete station1 = new PausingAtTheDelete(store, false);
      CompletableFuture<DestructionRegister> one =
          inThread(() -> run(digest, station1, "station-1", STATION1));
      assertTrue(station1.paused.await(2, TimeUnit.MINUTES), "station 1 reached the delete of A");
      wall.set(LATER.plusSeconds(5));
      DestructionRegister two = run(digest, store, "station-2", STATION2);
      station1.goOn.countDown();
      DestructionRegister first = one.get(2, TimeUnit.MINUTES);
      assertDisposedOnce(store, digest, first, two, "");
      assertEquals(DestructionRegister.Outcome.ALREADY_DISPOSED, first.items().get(0).outcome());
      assertEquals(DestructionRegister.Outcome.DISPOSED, two.items().get(0).outcome());
      assertEquals("", two.items().get(0).reason(), "station 2 deleted A itself");
    }
  }

  /**
   * Station 1 has logged every disposal and is stopped before storing its register; station 2
   * starts then and, like after a run stopped there, finds disposals of the plan no logged register
   * lists: its register lists them as destroyed. Station 1 then stored and logged its register
   * listing them as destroyed as well: two registers of one plan for each destruction. The register
   * logged second now says they were already disposed of.
   */
  @Test
  void aRunStoppedBeforeItsRegisterListsNothingTheOtherRunsRegisterListed() throws Exception {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, wall)) {
      String digest = approvedPlan(store);
      String registers = DestructionRegister.PREFIX + digest + "/";
      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch goOn = new CountDownLatch(1);
      EvidenceStore station1 =
          new ForwardingEvidenceStore(store) {
            @Override
            public WritableObject create(ObjectKey key) throws IOException {
              if (key.value().startsWith(registers)) {
                paused.countDown();
                try {
                  goOn.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IOException(e);
                }
              }
              return super.create(key);
            }
          };
      CompletableFuture<DestructionRegister> one =
          inThread(() -> run(digest, station1, "station-1", STATION1));
      assertTrue(paused.await(2, TimeUnit.MINUTES), "station 1 reached its register");
      wall.set(LATER.plusSeconds(5));
      DestructionRegister two = run(digest, store, "station-2", STATION2);
      goOn.countDown();
      DestructionRegister first = one.get(2, TimeUnit.MINUTES);
      assertDisposedOnce(store, digest, first, two, "");
      assertEquals(
          IDS.size(),
          two.items(DestructionRegister.Outcome.DISPOSED).size(),
          two.items().toString());
      DestructionRegister.Item a = first.items().get(0);
      assertEquals(DestructionRegister.Outcome.ALREADY_DISPOSED, a.outcome());
      assertTrue(a.reason().contains("register 1 of this plan lists it"), a.reason());
      // station 1 had stored its register (batch 2) when station 2's was logged: it stays
      // unlogged, and station 1's logged register is batch 3; a third run logs neither again
      assertEquals(3, first.batch(), first.toString());
      List<DestructionRegister> stored = DestructionRegister.read(store, digest);
      assertEquals(3, stored.size());
      assertEquals(IDS.size(), stored.get(1).items(DestructionRegister.Outcome.DISPOSED).size());
      wall.set(LATER.plusSeconds(10));
      DestructionRegister third = run(digest, store, "station-1", STATION1);
      assertEquals(
          IDS.size(),
          third.items(DestructionRegister.Outcome.ALREADY_DISPOSED).size(),
          third.items().toString());
      assertEquals(
          List.of(two.digest(), first.digest(), third.digest()),
          EvidenceLedger.open(store, wall).entries().stream()
              .filter(e -> e.type().equals(EntryType.DESTRUCTION_REGISTERED))
              .map(e -> e.payloadDigest().orElseThrow())
              .toList());
    }
  }

  /**
   * A run has stored its register and is about to log it when a retried job of the same station
   * (same key) starts: it takes that register for a stopped run's and logs it. The first run then
   * found a register logged that lists its disposals, took it for another run's, and stored and
   * logged a second register of its own saying they were all already disposed of ("register 1 of
   * this plan lists it, logged by another run": its own), and returned that one, so its caller was
   * told it destroyed nothing. Its register logged by the other run is its register.
   */
  @Test
  void aRunWhoseOwnRegisterAnotherRunLoggedReturnsItAndStoresNoOther() throws Exception {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, wall)) {
      String digest = approvedPlan(store);
      String registers = DestructionRegister.PREFIX + digest + "/";
      CountDownLatch paused = new CountDownLatch(1);
      CountDownLatch goOn = new CountDownLatch(1);
      boolean[] registerStored = {false};
      EvidenceStore station1 =
          new ForwardingEvidenceStore(store) {
            @Override
            public WritableObject create(ObjectKey key) throws IOException {
              if (registerStored[0] && key.value().startsWith("ledger/") && paused.getCount() > 0) {
                paused.countDown();
                try {
                  goOn.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IOException(e);
                }
              }
              registerStored[0] |= key.value().startsWith(registers);
              return super.create(key);
            }
          };
      CompletableFuture<DestructionRegister> one =
          inThread(() -> run(digest, station1, "station-1", STATION1));
      assertTrue(paused.await(2, TimeUnit.MINUTES), "station 1 stored its register");
      wall.set(LATER.plusSeconds(5));
      DestructionRegister retried = run(digest, store, "station-1", STATION1);
      goOn.countDown();
      DestructionRegister first = one.get(2, TimeUnit.MINUTES);
      assertEquals(
          IDS.size(),
          first.items(DestructionRegister.Outcome.DISPOSED).size(),
          "the first run destroyed them all: " + first.items());
      assertEquals(1, first.batch(), first.toString());
      assertEquals(
          IDS.size(),
          retried.items(DestructionRegister.Outcome.ALREADY_DISPOSED).size(),
          retried.items().toString());
      assertEquals(2, DestructionRegister.read(store, digest).size(), "no third register");
      assertEquals(
          List.of(first.digest(), retried.digest()),
          EvidenceLedger.open(store, wall).entries().stream()
              .filter(e -> e.type().equals(EntryType.DESTRUCTION_REGISTERED))
              .map(e -> e.payloadDigest().orElseThrow())
              .toList());
    }
  }

  /**
   * A run that stopped after storing its register, before its entry; then two stations run the plan
   * at once. Both find the register unlogged and vouched for by the ledger: it is logged once
   * between them, and neither lists as destroyed what it lists.
   */
  @Test
  void aStoppedRunsRegisterFoundByTwoRunsAtOnceIsLoggedOnce() throws Exception {
    for (int round = 0; round < 8; round++) {
      Path root = dir.resolve("round-" + round);
      try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, wall)) {
        String digest = approvedPlan(store);
        String registers = DestructionRegister.PREFIX + digest + "/";
        boolean[] registerStored = {false};
        EvidenceStore stopping =
            new ForwardingEvidenceStore(store) {
              @Override
              public WritableObject create(ObjectKey key) throws IOException {
                if (registerStored[0] && key.value().startsWith("ledger/")) {
                  throw new IOException("stopped after storing its register");
                }
                registerStored[0] |= key.value().startsWith(registers);
                return super.create(key);
              }
            };
        try {
          run(digest, stopping, "station-0", STATION1);
          throw new AssertionError("the first run was to stop before its register's entry");
        } catch (IOException stopped) {
          // as planned
        }
        DestructionRegister stopped = DestructionRegister.read(store, digest).get(0);
        wall.set(LATER.plusSeconds(5));
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<DestructionRegister> one =
            inThread(
                () -> {
                  start.await();
                  return run(digest, store, "station-1", STATION1);
                });
        CompletableFuture<DestructionRegister> two =
            inThread(
                () -> {
                  start.await();
                  return run(digest, store, "station-2", STATION1);
                });
        start.countDown();
        DestructionRegister first = one.get(2, TimeUnit.MINUTES);
        DestructionRegister second = two.get(2, TimeUnit.MINUTES);
        List<String> logged =
            EvidenceLedger.open(store, wall).entries().stream()
                .filter(e -> e.type().equals(EntryType.DESTRUCTION_REGISTERED))
                .map(e -> e.payloadDigest().orElseThrow())
                .sorted()
                .toList();
        assertEquals(
            List.of(stopped.digest(), first.digest(), second.digest()).stream().sorted().toList(),
            logged,
            "round " + round + ": each register logged once");
        for (DestructionRegister r : List.of(first, second)) {
          assertEquals(
              IDS.size(),
              r.items(DestructionRegister.Outcome.ALREADY_DISPOSED).size(),
              "round " + round + ": " + r.items());
        }
      }
    }
  }

  /**
   * Station 1 finds A in the store; before it reads A's content, station 2 runs the plan whole.
   * Station 1's run failed reading the content of an object no longer there ({@code
   * NoSuchObjectException}), before its other recordings and its register; it now reports A
   * disposed of by the other run.
   */
  @Test
  void aRecordingDeletedByAnotherRunBeforeItsContentIsReadIsAlreadyDisposed() throws Exception {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, wall)) {
      String digest = approvedPlan(store);
      DestructionRegister[] two = {null};
      EvidenceStore station1 =
          new ForwardingEvidenceStore(store) {
            @Override
            public SeekableByteChannel openRead(ObjectKey key) throws IOException {
              if (key.value().equals("rec/A.mp4") && two[0] == null) {
                try {
                  two[0] = run(digest, store, "station-2", STATION2);
                } catch (Exception e) {
                  throw new AssertionError("station 2 failed", e);
                }
              }
              return super.openRead(key);
            }
          };
      DestructionRegister first = run(digest, station1, "station-1", STATION1);
      assertDisposedOnce(store, digest, first, two[0], "");
      assertEquals(DestructionRegister.Outcome.ALREADY_DISPOSED, first.items().get(0).outcome());
      assertTrue(
          first.items().get(0).reason().contains("by station-2"), first.items().get(0).reason());
    }
  }

  /**
   * A store of one station whose delete of A fails ({@code locked}: the store refuses; else an I/O
   * error, the object staying), and which, once that delete has failed, runs {@code meanwhile} when
   * the station stores its next tombstone of A: its {@code refused} state.
   */
  static final class FailingAtTheDelete extends ForwardingEvidenceStore {
    final boolean locked;
    final Callable meanwhile;
    boolean failed;
    DestructionRegister other;

    FailingAtTheDelete(EvidenceStore delegate, boolean locked, Callable meanwhile) {
      super(delegate);
      this.locked = locked;
      this.meanwhile = meanwhile;
    }

    @Override
    public void delete(ObjectKey key) throws IOException {
      if (key.value().equals("rec/A.mp4")) {
        failed = true;
        throw locked
            ? new RetentionLockedException("rec/A.mp4 is held (test)")
            : new IOException("disk error deleting rec/A.mp4 (test)");
      }
      super.delete(key);
    }

    @Override
    public WritableObject create(ObjectKey key) throws IOException {
      if (failed
          && other == null
          && key.value().startsWith(Tombstone.PREFIX + StoredObjects.folder("A") + "/")) {
        try {
          other = meanwhile.call();
        } catch (Exception e) {
          throw new AssertionError("the other station failed", e);
        }
      }
      return super.create(key);
    }
  }

  /** The entries of A's disposal states, in the ledger's order: "type actor". */
  List<String> statesOfA(EvidenceStore store) throws IOException {
    return EvidenceLedger.open(store, wall).entries().stream()
        .filter(e -> e.subject().equals("A") && DisposalLog.isState(e.type()))
        .map(e -> e.type() + " " + e.actor())
        .toList();
  }

  /**
   * Station 1's delete of A fails (the store refuses it, or an I/O error leaves A there), and
   * before its refusal is logged station 2 runs the plan whole and disposes of A. Station 1 logged
   * {@code disposal-refused} wherever the ledger then ended: after station 2's {@code disposed}
   * entry, so A's latest state said it was refused after it was destroyed, and its register said
   * {@code REFUSED}/{@code FAILED} of a recording gone. Now the refusal is judged on the whole log
   * like the other states: station 1 reports station 2's disposal and logs no refusal.
   */
  @Test
  void aRefusalIsNotLoggedAfterTheOtherRunsDisposal() throws Exception {
    for (boolean locked : new boolean[] {true, false}) {
      String at = (locked ? "refused" : "I/O error") + ": ";
      Path root = dir.resolve(locked ? "locked" : "io");
      try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, wall)) {
        String digest = approvedPlan(store);
        FailingAtTheDelete station1 =
            new FailingAtTheDelete(
                store,
                locked,
                () -> {
                  wall.set(LATER.plusSeconds(5));
                  return run(digest, store, "station-2", STATION2);
                });
        DestructionRegister first = run(digest, station1, "station-1", STATION1);
        assertDisposedOnce(store, digest, first, station1.other, at);
        assertEquals(
            List.of(
                EntryType.DISPOSAL_INTENDED + " station-1",
                EntryType.DISPOSAL_INTENDED + " station-2",
                EntryType.DISPOSED + " station-2"),
            statesOfA(store),
            at + "A's states in the ledger");
        DestructionRegister.Item a = first.items().get(0);
        assertEquals(DestructionRegister.Outcome.ALREADY_DISPOSED, a.outcome(), at + a);
        assertTrue(a.reason().contains("by station-2, logged by another run"), at + a.reason());
      }
      wall.set(LATER);
    }
  }

  /**
   * Both stations' deletes of A are refused, station 2's while station 1 is about to log its own
   * refusal. Each run logged its intent and tried its delete: each logs its refusal, the fact of
   * its own attempt (an intent with no outcome would read as a run stopped before its delete), and
   * both land after every entry before them: A is still there and its latest state says so.
   */
  @Test
  void twoRefusedRunsEachLogTheirOwnRefusalInOrder() throws Exception {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, wall)) {
      String digest = approvedPlan(store);
      FailingAtTheDelete station2 = new FailingAtTheDelete(store, true, () -> null);
      FailingAtTheDelete station1 =
          new FailingAtTheDelete(
              store,
              true,
              () -> {
                wall.set(LATER.plusSeconds(5));
                return run(digest, station2, "station-2", STATION2);
              });
      DestructionRegister first = run(digest, station1, "station-1", STATION1);
      assertTrue(store.exists(ObjectKey.of("rec/A.mp4")), "A stays");
      assertEquals(
          List.of(
              EntryType.DISPOSAL_INTENDED + " station-1",
              EntryType.DISPOSAL_INTENDED + " station-2",
              EntryType.DISPOSAL_REFUSED + " station-2",
              EntryType.DISPOSAL_REFUSED + " station-1"),
          statesOfA(store));
      assertEquals(DestructionRegister.Outcome.REFUSED, first.items().get(0).outcome());
      assertEquals(DestructionRegister.Outcome.REFUSED, station1.other.items().get(0).outcome());
    }
  }
}
