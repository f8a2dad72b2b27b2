package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.retention.RetentionDecision;
import org.evidencekit.retention.RetentionPushDown;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new recording is committed already retained with a decision taken before the run's own:
 * that one must never be longer than the decision the run reports and records, since retention can
 * only be extended (a longer one keeps evidence past its decided end, and no one can shorten it).
 */
class RetentionAtCommitTest {
  /** Docked two hours after the fixtures were recorded (2023-06-01 14:10Z). */
  static final Instant T1 = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  private EvidenceStore open(String name, Instant clock) throws IOException {
    return FileSystemEvidenceStore.openOrCreate(
        dir.resolve(name), Clock.fixed(clock, ZoneOffset.UTC));
  }

  private static IngestStation station(EvidenceStore store, Instant now) {
    return IngestStation.builder().store(store).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
  }

  /** What the store keeps each recording for is no later than what the run says it decided. */
  private static void assertCommittedNoLongerThanDecided(EvidenceStore store, IngestResult r)
      throws IOException {
    for (IngestedRecording rec : r.recordings()) {
      if (rec.key().isEmpty() || !store.exists(ObjectKey.of(rec.key().get()))) {
        continue;
      }
      Optional<Instant> kept = store.stat(ObjectKey.of(rec.key().get())).retainUntil();
      if (kept.isEmpty()) {
        continue;
      }
      RetentionDecision d = rec.retention().orElseThrow(() -> new AssertionError(rec)).decision();
      Instant decided = d.latestFixedEnd().orElseThrow();
      assertFalse(
          kept.get().isAfter(decided),
          rec.key().get() + " kept until " + kept.get() + ", decided " + d + " " + rec.retention());
    }
  }

  /**
   * A logged recording whose content is gone (lost, or removed after its retention ended) and is
   * restored from the card later: its seal, and so its decision, count from the first ingest; the
   * restored content must not be committed retained from the second one.
   */
  @Test
  void restoredContentOfALoggedRecordingIsNotRetainedPastItsDecision() throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("card/a.mp4"));
    IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(f).build();
    String key;
    try (EvidenceStore store = open("store", T1)) {
      IngestResult first = station(store, T1).ingest(request);
      key = first.recordings().get(0).key().orElseThrow();
      assertEquals(IngestStatus.INGESTED, first.recordings().get(0).status());
    }
    Instant later = Instant.parse("2026-12-06T08:00:00Z"); // after the first decision's end
    try (EvidenceStore store = open("store", later)) {
      Fixtures.acceptClockJump(store, later, dir.resolve("clock-mark")); // 3 years idle
      store.delete(ObjectKey.of(key)); // its retention ended: allowed
      IngestResult again = station(store, later).ingest(request);
      IngestedRecording rec = again.recordings().get(0);
      assertEquals(IngestStatus.RESUMED, rec.status(), rec.toString());
      assertEquals(
          RetentionPushDown.Enforcement.EXPIRED, rec.retention().orElseThrow().enforcement());
      assertCommittedNoLongerThanDecided(store, again);
    }
  }

  /**
   * A seal object left without a ledger entry (an archive written before the ledger) is logged as
   * it is, with its own ingest time: content stored for it now must not count from now.
   */
  @Test
  void contentStoredForALegacySealIsNotRetainedPastItsDecision() throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("card/a.mp4"));
    IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(f).build();
    String key;
    byte[] seal;
    try (EvidenceStore store = open("old", T1)) {
      IngestResult first = station(store, T1).ingest(request);
      key = first.recordings().get(0).key().orElseThrow();
      seal = first.recordings().get(0).seal().orElseThrow().toJson();
    }
    Instant later = T1.plus(java.time.Duration.ofDays(40));
    try (EvidenceStore store = open("new", later)) {
      try (WritableObject w = store.create(ObjectKey.of(key + ".seal.json"))) {
        w.write(ByteBuffer.wrap(seal));
        w.commit();
      }
      IngestResult r = station(store, later).ingest(request);
      IngestedRecording rec = r.recordings().get(0);
      assertEquals(IngestStatus.RESUMED, rec.status(), rec.toString());
      assertCommittedNoLongerThanDecided(store, r);
    }
  }

  /** Encrypted at rest: the ciphertext object carries exactly the decided retention. */
  @Test
  void anEncryptedRecordingIsCommittedRetainedAsDecided() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    try (EvidenceStore store = open("store", T1)) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(T1, ZoneOffset.UTC))
              .encryption(AeadSuite.AES_256_GCM, AesKeyEncryptionKey.generate("kek-1"))
              .build()
              .ingest(IngestRequest.builder("DEVCAM7", "police-0042").add(card).build());
      assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
      for (IngestedRecording rec : r.recordings()) {
        ObjectKey k = ObjectKey.of(rec.key().orElseThrow());
        try (SeekableByteChannel ch = store.openRead(k)) {
          assertTrue(org.evidencekit.crypt.EncryptedRecording.looksEncrypted(ch), k.value());
        }
        assertEquals(
            rec.retention().orElseThrow().decision().latestFixedEnd(),
            store.stat(k).retainUntil(),
            k.value());
      }
    }
  }

  /** Cases open or permanent: the floor is committed, the hold comes with the push-down. */
  @Test
  void caseLinkedRecordingsAreCommittedWithTheirFloorAndHeld() throws Exception {
    for (String cls : new String[] {"10y", "permanent"}) {
      Path card = Fixtures.folder("f02_split3", dir.resolve(cls));
      try (EvidenceStore store = open("store-" + cls, T1)) {
        IngestResult r =
            station(store, T1)
                .ingest(
                    IngestRequest.builder("DEVCAM7", "police-0042")
                        .add(card)
                        .addCase("ZF-2023-1")
                        .caseClass(cls)
                        .build());
        assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
        for (IngestedRecording rec : r.recordings()) {
          ObjectKey k = ObjectKey.of(rec.key().orElseThrow());
          assertTrue(store.stat(k).legalHold(), cls + " " + k.value());
          assertEquals(
              rec.retention().orElseThrow().decision().latestFixedEnd(),
              store.stat(k).retainUntil(),
              k.value());
        }
      }
    }
  }

  /**
   * The same files again without the case the first ingest named: the run completes (the seal in
   * force names the case, whose class this request does not know) and the recordings stay held for
   * that case, a permanent one permanent.
   */
  @Test
  void aSecondIngestWithoutTheFirstOnesCaseKeepsItsHold() throws Exception {
    for (String cls : new String[] {"10y", "permanent"}) {
      Path card = Fixtures.folder("f02_split3", dir.resolve(cls));
      try (EvidenceStore store = open("store-" + cls, T1)) {
        station(store, T1)
            .ingest(
                IngestRequest.builder("DEVCAM7", "police-0042")
                    .add(card)
                    .addCase("A-1")
                    .caseClass(cls)
                    .build());
        IngestResult again =
            station(store, T1.plusSeconds(60))
                .ingest(IngestRequest.builder("DEVCAM7", "police-0042").add(card).build());
        assertEquals(3, again.count(IngestStatus.ALREADY), again.recordings().toString());
        for (IngestedRecording rec : again.recordings()) {
          RetentionDecision d = rec.retention().orElseThrow().decision();
          assertTrue(d.retainUntil().isEmpty(), cls + " " + d);
          assertEquals(cls.equals("permanent"), d.permanent(), cls + " " + d);
          assertTrue(store.stat(ObjectKey.of(rec.key().orElseThrow())).legalHold());
        }
        assertCommittedNoLongerThanDecided(store, again);
      }
    }
  }

  /**
   * Two stations ingest the same card at once, either side of midnight in the policy's zone: A
   * (00:01) commits the content, then B (23:59, a clock two minutes behind) logs its seal first.
   * The recording's decision counts from B's ingest, a day earlier than A's; the content must not
   * be kept a day longer than that. Here the archive was empty, so A commits without retention and
   * the push-down sets the decision.
   */
  @Test
  void aStationRacingAcrossMidnightDoesNotLeaveTheContentRetainedPastTheDecision()
      throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("card/a.mp4"));
    Instant tA = Instant.parse("2023-06-01T16:01:00Z"); // 00:01 on 06-02 in Shanghai
    Instant tB = Instant.parse("2023-06-01T15:59:00Z"); // 23:59 on 06-01
    IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(f).build();
    try (EvidenceStore real = open("race", tA)) {
      IngestResult[] b = new IngestResult[1];
      IngestResult a =
          station(new Hooked(real, otherStation(real, tB, request, b)), tA).ingest(request);
      // B finds A's content stored, not logged, and logs its own seal first
      assertEquals(IngestStatus.RESUMED, b[0].recordings().get(0).status(), b[0].toString());
      IngestedRecording rec = a.recordings().get(0);
      Instant decided = rec.retention().orElseThrow().decision().latestFixedEnd().orElseThrow();
      assertEquals(
          b[0].recordings().get(0).retention().orElseThrow().decision().latestFixedEnd(),
          Optional.of(decided));
      assertEquals(
          decided, real.stat(ObjectKey.of(rec.key().orElseThrow())).retainUntil().orElseThrow());
    }
  }

  /** The same race on an archive that has entries from before both runs: still never longer. */
  @Test
  void theRaceOnAnArchiveInUseKeepsTheDecisionToo() throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("card/a.mp4"));
    Path earlier =
        Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[1], dir.resolve("old/b.mp4"));
    Instant t0 = Instant.parse("2023-06-01T15:00:00Z"); // 23:00 on 06-01 in Shanghai
    Instant tA = Instant.parse("2023-06-01T16:01:00Z");
    Instant tB = Instant.parse("2023-06-01T15:59:00Z");
    IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(f).build();
    try (EvidenceStore real = open("race2", tA)) {
      station(real, t0).ingest(IngestRequest.builder("DEVCAM9", "police-7").add(earlier).build());
      IngestResult a =
          station(new Hooked(real, otherStation(real, tB, request, new IngestResult[1])), tA)
              .ingest(request);
      IngestedRecording rec = a.recordings().get(0);
      Instant decided = rec.retention().orElseThrow().decision().latestFixedEnd().orElseThrow();
      assertEquals(
          decided, real.stat(ObjectKey.of(rec.key().orElseThrow())).retainUntil().orElseThrow());
    }
  }

  /**
   * The clock correction is each station's own: the device's clock read at docking, against the
   * station's clock. A recording that ended ten seconds after midnight in A's correction docks at
   * 00:00:20; B's clock is 90 seconds behind (within the tolerance), so in B's correction it ended
   * before midnight, and B's ingest time is before midnight too. A commits the content, B logs its
   * seal and decides from its own facts, and A stops before it decides (a crash): what A committed
   * with must not outlast B's decision, the only one there is.
   */
  @Test
  void aStationsOwnClockCorrectionDoesNotOutlastAnotherStationsDecision() throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("card/a.mp4"));
    Path earlier =
        Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[1], dir.resolve("old/b.mp4"));
    Instant end;
    try (EvidenceStore probe = open("probe", T1)) {
      end =
          station(probe, T1)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(f).build())
              .recordings()
              .get(0)
              .placement()
              .orElseThrow()
              .end()
              .orElseThrow();
    }
    Instant midnight = Instant.parse("2023-06-01T16:00:00Z"); // 06-02 begins in Shanghai
    Instant t0 = midnight.minusSeconds(1_800); // the archive's latest entry: 23:30
    Instant tA = midnight.plusSeconds(20);
    Instant tB = tA.minusSeconds(90); // within the stations' clock tolerance
    // the device's clock shows 10 s past the recording's end: A corrects the end to 00:00:10
    Instant shown = end.plusSeconds(10);
    IngestRequest request =
        IngestRequest.builder("DEVCAM7", "police-0042").add(f).deviceClock(shown).build();
    try (EvidenceStore real = open("skew", tA)) {
      station(real, t0).ingest(IngestRequest.builder("DEVCAM9", "police-7").add(earlier).build());
      IngestResult[] b = new IngestResult[1];
      Runnable stationB = otherStation(real, tB, request, b);
      Runnable stationBThenACrashes =
          () -> {
            stationB.run();
            throw new IllegalStateException("station A stops here");
          };
      // A decides nothing for it
      org.junit.jupiter.api.Assertions.assertThrows(
          Exception.class,
          () -> station(new Hooked(real, stationBThenACrashes), tA).ingest(request));
      IngestedRecording theirs = b[0].recordings().get(0);
      assertEquals(IngestStatus.RESUMED, theirs.status(), theirs.toString());
      Instant decided = theirs.retention().orElseThrow().decision().latestFixedEnd().orElseThrow();
      Instant kept =
          real.stat(ObjectKey.of(theirs.key().orElseThrow())).retainUntil().orElseThrow();
      assertFalse(kept.isAfter(decided), "kept until " + kept + ", decided " + decided);
    }
  }

  /**
   * A first run on an empty archive: until it has logged its first group nothing bounds the
   * ledger's time, so those recordings get their retention after the commit; every recording
   * committed after that group is logged is committed retained, exactly as decided (the store holds
   * at the end what it was given at the commit, which is the run's decision).
   */
  @Test
  void onAnEmptyArchiveTheRecordingsAfterTheFirstLoggedGroupAreRetainedAtCommit() throws Exception {
    int n = 200;
    int[] sizes = new int[n];
    java.util.Arrays.fill(sizes, 3_000);
    ArchiveChecks.randomFiles(dir.resolve("card"), 3, sizes);
    try (EvidenceStore real = open("empty", T1)) {
      FirstGroupGate gated = new FirstGroupGate(real, GATE);
      IngestResult r =
          station(gated, T1)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build());
      java.util.Map<String, Instant> atCommit = gated.retainedAtCommit;
      for (IngestedRecording rec : r.recordings()) {
        assertEquals(IngestStatus.INGESTED, rec.status(), rec.findings().toString());
        String key = rec.key().orElseThrow();
        Instant decided = rec.retention().orElseThrow().decision().latestFixedEnd().orElseThrow();
        assertEquals(decided, real.stat(ObjectKey.of(key)).retainUntil().orElseThrow(), key);
        int order = gated.created.indexOf(key);
        assertTrue(order >= 0, key);
        if (order == 0) {
          // committed before any group could be logged (the first group waits for it): no bound
          assertFalse(atCommit.containsKey(key), key + " was retained before a bound existed");
        } else if (order > GATE) {
          // decided after the first group was logged and its retention pushed down
          assertEquals(decided, atCommit.get(key), key + " was not committed retained");
        }
      }
      assertTrue(atCommit.size() >= n - GATE - 1, atCommit.size() + " committed retained");
      assertCommittedNoLongerThanDecided(real, r);
    }
  }

  /**
   * On an empty archive the run logs its first recording as soon as it is durable, and a copy
   * created before that (with no bound to be retained by) is asked again just before its commit:
   * here the second recording's commit is held (where the run asks whether a seal object is left
   * for it) until the first one has been logged and pushed down, and it is committed retained,
   * exactly as decided. Before, the first group waited for 32 recordings and the bound was read
   * only when a copy was created, so every recording of the first group and all those created
   * meanwhile (144 of 500 in the benchmark) were visible without retention until the push-down
   * wrote each one's lock and metadata again.
   */
  @Test
  void onAnEmptyArchiveARecordingCreatedBeforeTheFirstLogIsRetainedAtItsCommit() throws Exception {
    int[] sizes = new int[40];
    java.util.Arrays.fill(sizes, 3_000);
    ArchiveChecks.randomFiles(dir.resolve("card"), 5, sizes);
    try (EvidenceStore real = open("second", T1)) {
      FirstGroupGate gated = new FirstGroupGate(real, Integer.MAX_VALUE);
      gated.holdCommitOf = 1;
      IngestResult r =
          station(gated, T1)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build());
      String first = gated.created.get(0);
      String second = gated.created.get(1);
      assertFalse(gated.retainedAtCommit.containsKey(first), first + " had a bound");
      for (IngestedRecording rec : r.recordings()) {
        assertEquals(IngestStatus.INGESTED, rec.status(), rec.findings().toString());
        String key = rec.key().orElseThrow();
        Instant decided = rec.retention().orElseThrow().decision().latestFixedEnd().orElseThrow();
        assertEquals(decided, real.stat(ObjectKey.of(key)).retainUntil().orElseThrow(), key);
        if (key.equals(second)) {
          assertEquals(decided, gated.retainedAtCommit.get(key), key + " not retained at commit");
        }
      }
      assertCommittedNoLongerThanDecided(real, r);
    }
  }

  /**
   * The race that bound must survive: a first run on an empty archive, at 00:01, commits a
   * recording retained after its first group was logged; right then a station whose clock says
   * 23:59 the day before ingests the same file and logs its seal first. That station logs only
   * after finding the content, so after the first group, and no earlier than its time: the
   * recording's decision is the same day's, and the content is kept exactly that long.
   */
  @Test
  void aStationRacingAFirstRunAfterItsFirstGroupLogsNoEarlierThanThatGroup() throws Exception {
    int n = 200;
    int[] sizes = new int[n];
    java.util.Arrays.fill(sizes, 3_000);
    java.util.Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 4, sizes);
    Path raced = new java.util.ArrayList<>(files.values()).get(GATE + 10);
    Instant tA = Instant.parse("2023-06-01T16:01:00Z"); // 00:01 on 06-02 in Shanghai
    Instant tB = Instant.parse("2023-06-01T15:59:00Z"); // 23:59 on 06-01
    try (EvidenceStore real = open("race3", tA)) {
      FirstGroupGate gated = new FirstGroupGate(real, GATE);
      IngestResult[] b = new IngestResult[1];
      gated.hookAt = GATE + 10;
      gated.hook.set(
          otherStation(real, tB, IngestRequest.builder("DEVCAM7", "p").add(raced).build(), b));
      IngestResult a =
          station(gated, tA)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build());
      IngestedRecording theirs = b[0].recordings().get(0);
      assertEquals(IngestStatus.RESUMED, theirs.status(), theirs.findings().toString());
      String key = theirs.key().orElseThrow();
      assertTrue(
          gated.retainedAtCommit.containsKey(key), "the raced file was not retained at commit");
      IngestedRecording ours =
          a.recordings().stream().filter(r -> r.key().orElseThrow().equals(key)).findFirst().get();
      Instant decided = ours.retention().orElseThrow().decision().latestFixedEnd().orElseThrow();
      assertEquals(
          Optional.of(decided),
          theirs.retention().orElseThrow().decision().latestFixedEnd(),
          "the two stations decided differently");
      assertEquals(decided, real.stat(ObjectKey.of(key)).retainUntil().orElseThrow());
      assertCommittedNoLongerThanDecided(real, a);
    }
  }

  /**
   * Where {@link FirstGroupGate} holds the run back. It holds the thread that feeds the SealRun,
   * which is also the thread that collects finished segments (and so completes files' seals): the
   * first group (32 recordings) must be collected by then, past what can be in flight (four tasks
   * of up to 16 lanes, one file of 3 KB each, and a batch being filled), or the run waits for
   * itself.
   */
  private static final int GATE = 150;

  /**
   * Records what each content object was committed retained with, and holds back the creation of
   * content object number {@code gateAt} (from 0) until the first one has its retention: the run's
   * first group is logged and pushed down by then, so every later recording is decided after it.
   */
  static final class FirstGroupGate extends ForwardingStore {
    final java.util.Map<String, Instant> retainedAtCommit =
        new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.List<String> created =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    private final int gateAt;
    volatile int hookAt = -1;

    /** The content object (from 0) whose commit waits until the first one has its retention. */
    volatile int holdCommitOf = -1;

    final java.util.concurrent.atomic.AtomicReference<Runnable> hook =
        new java.util.concurrent.atomic.AtomicReference<>();

    FirstGroupGate(EvidenceStore real, int gateAt) {
      super(real);
      this.gateAt = gateAt;
    }

    @Override
    public WritableObject create(ObjectKey key) throws IOException {
      String k = key.value();
      boolean content = !k.startsWith("ledger/") && !k.endsWith(".seal.json");
      if (content) {
        created.add(k);
        if (created.size() == gateAt + 1) {
          awaitFirstRetained(ObjectKey.of(created.get(0)));
        }
      }
      WritableObject w = real.create(key);
      boolean hooked = content && created.size() == hookAt + 1;
      return new HookedObject(w, hooked, hook) {
        @Override
        public boolean retainOnCommit(Instant retainUntil) {
          boolean taken = w.retainOnCommit(retainUntil);
          if (taken && content) {
            retainedAtCommit.put(k, retainUntil);
          }
          return taken;
        }
      };
    }

    /**
     * The run asks whether a seal object is left for a recording right before it reads the bound
     * again for its commit: held there for {@link #holdCommitOf}.
     */
    @Override
    public boolean exists(ObjectKey key) throws IOException {
      int held = holdCommitOf;
      if (held >= 0
          && created.size() > held
          && key.value().equals(created.get(held) + ".seal.json")) {
        awaitFirstRetained(ObjectKey.of(created.get(0)));
      }
      return real.exists(key);
    }

    private void awaitFirstRetained(ObjectKey first) throws IOException {
      for (int i = 0; i < 20_000; i++) {
        if (real.exists(first) && real.stat(first).retainUntil().isPresent()) {
          return;
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException();
        }
      }
      throw new IOException("the run never logged its first group");
    }
  }

  /**
   * Another station at {@code time} ingesting {@code request} into {@code store}; its result in
   * {@code out[0]}.
   */
  private static Runnable otherStation(
      EvidenceStore store, Instant time, IngestRequest request, IngestResult[] out) {
    return () -> {
      try {
        out[0] = station(store, time).ingest(request);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  /** Runs the hook (another station) once, right after this object's commit, if armed. */
  static class HookedObject extends ForwardingStore.ForwardingObject {
    private final boolean armed;
    private final java.util.concurrent.atomic.AtomicReference<Runnable> hook;

    HookedObject(
        WritableObject w,
        boolean armed,
        java.util.concurrent.atomic.AtomicReference<Runnable> hook) {
      super(w);
      this.armed = armed;
      this.hook = hook;
    }

    @Override
    public ObjectInfo commit() throws IOException {
      ObjectInfo info = w.commit();
      Runnable h = armed ? hook.getAndSet(null) : null;
      if (h != null) {
        h.run();
      }
      return info;
    }
  }

  /** Runs {@code hook} (another station) right after the first recording's content commits. */
  static final class Hooked extends ForwardingStore {
    private final java.util.concurrent.atomic.AtomicReference<Runnable> hook;

    Hooked(EvidenceStore real, Runnable hook) {
      super(real);
      this.hook = new java.util.concurrent.atomic.AtomicReference<>(hook);
    }

    @Override
    public WritableObject create(ObjectKey key) throws IOException {
      WritableObject w = real.create(key);
      return new HookedObject(w, key.value().endsWith(".mp4"), hook);
    }
  }
}
