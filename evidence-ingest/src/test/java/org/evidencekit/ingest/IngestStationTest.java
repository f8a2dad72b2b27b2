package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.evidencekit.continuity.ContinuityCode;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.retention.ClockRefusedException;
import org.evidencekit.retention.HighWaterMarkClock;
import org.evidencekit.retention.RetentionPushDown;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestStationTest {
  /** A docking two hours after the fixtures were recorded (2023-06-01 14:10Z). */
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  private EvidenceStore open(Clock clock) throws IOException {
    return FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), clock);
  }

  private static IngestStation station(EvidenceStore store, Instant now) {
    return IngestStation.builder().store(store).clock(Clock.fixed(now, ZoneOffset.UTC)).build();
  }

  @Test
  void splitRecordingGoesInAsOneChainAndASecondRunChangesNothing() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Clock c = Clock.fixed(DOCKED, ZoneOffset.UTC);
    try (EvidenceStore store = open(c)) {
      IngestRequest request =
          IngestRequest.builder("DEVCAM7", "police-0042")
              .add(card)
              .deviceClock(DOCKED.plusSeconds(4))
              .build();
      IngestResult first = station(store, DOCKED).ingest(request);
      assertEquals(3, first.count(IngestStatus.INGESTED), first.recordings().toString());
      // in recording order, each under DEVICE/local day/NAME (22:10 in Shanghai: same day)
      for (int i = 0; i < 3; i++) {
        IngestedRecording r = first.recordings().get(i);
        assertEquals("DEVCAM7/2023-06-01/" + Fixtures.SPLIT3[i], r.key().orElseThrow());
        Seal s = r.seal().orElseThrow();
        assertEquals(
            4000L, s.metadata().flatMap(RecordingMetadata::clockOffsetMillis).orElseThrow());
        try (var ch = store.openRead(ObjectKey.of(r.key().get()))) {
          assertTrue(Verifier.create().verify(ch, s).isIntact());
        }
      }
      // the device chain: each seal names the one before it
      List<Seal> seals = Fixtures.storedSeals(store);
      assertEquals(3, seals.size());
      assertEquals(List.of(), DeviceChain.verify("DEVCAM7", seals));
      assertEquals(
          first.recordings().get(0).seal().get().digest().hex(),
          first.recordings().get(1).seal().get().metadata().get().previousSealDigest().get());
      List<LedgerEntry> sealed = Fixtures.sealedEntries(store);
      assertEquals(3, sealed.size());
      // consecutive split files: no break, no missing file
      assertFalse(first.continuity().orElseThrow().has(ContinuityCode.MISSING_FILE));
      assertFalse(first.hasProblems(), first.recordings().toString());

      IngestResult again = station(store, DOCKED.plusSeconds(60)).ingest(request);
      assertEquals(3, again.count(IngestStatus.ALREADY), again.recordings().toString());
      assertEquals(3, Fixtures.sealedEntries(store).size());
      for (int i = 0; i < 3; i++) {
        assertEquals(
            first.recordings().get(i).seal().get().digest(),
            again.recordings().get(i).seal().get().digest(),
            "the seal in force is the first run's");
      }
    }
  }

  /**
   * A file is stored by the hash workers as they read it (positional writes: the store keeps no
   * digest of its own, the seal is the proof); a source that is not a file goes through the
   * in-order copy (the store's digest is kept). Either way the stored bytes are the source's, and
   * the logged seal verifies them.
   */
  @Test
  void filesAreStoredByTheHashWorkersAndOtherSourcesInOrder() throws Exception {
    byte[] a = new byte[3 * 1024 * 1024 + 17];
    byte[] b = new byte[2 * 1024 * 1024 + 5];
    new java.util.Random(7).nextBytes(a);
    new java.util.Random(8).nextBytes(b);
    Path card = Files.createDirectories(dir.resolve("card"));
    Path fa = Files.write(card.resolve("DEVCAM7_20230601_141000_001.bin"), a);
    Path fb = Files.write(dir.resolve("DEVCAM7_20230601_142000_002.bin"), b);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED)
              .ingest(
                  IngestRequest.builder("DEVCAM7", "police-0042")
                      .add(fa)
                      .add(
                          RecordingSource.of(
                              fb.getFileName().toString(), () -> new BytesChannel(b)))
                      .build());
      assertEquals(2, r.count(IngestStatus.INGESTED), r.recordings().toString());
      for (IngestedRecording rec : r.recordings()) {
        ObjectKey key = ObjectKey.of(rec.key().orElseThrow());
        byte[] expected = rec.key().get().endsWith("_001.bin") ? a : b;
        try (var ch = store.openRead(key)) {
          assertEquals(expected.length, ch.size());
          ByteBuffer got = ByteBuffer.allocate(expected.length);
          while (got.hasRemaining() && ch.read(got) >= 0) {}
          assertTrue(java.util.Arrays.equals(expected, got.array()), key.value());
          ch.position(0);
          assertTrue(Verifier.create().verify(ch, rec.seal().orElseThrow()).isIntact());
        }
        assertEquals(
            expected == b,
            store.stat(key).sha256().isPresent(),
            key + ": a store digest only for the in-order copy");
      }
    }
  }

  /**
   * A run of many files is logged as one chain in one ledger append (plus one for its retention
   * decisions), not one per file; the chain is still one link per file, in recording order.
   */
  @Test
  void aRunOfManyFilesIsOneLedgerAppend() throws Exception {
    Path card = Files.createDirectories(dir.resolve("many"));
    java.util.Random rnd = new java.util.Random(9);
    int n = 12;
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[10_000 + rnd.nextInt(100_000)];
      rnd.nextBytes(b);
      Files.write(card.resolve(String.format("DEVCAM7_20230601_1410%02d_%03d.bin", i, i)), b);
    }
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      // an archive in use (on an empty one the run logs its first recording on its own at once)
      Path other = Files.createDirectories(dir.resolve("other"));
      Files.write(other.resolve("OTHERCAM_20230601_120000_001.bin"), new byte[] {1, 2, 3});
      station(store, DOCKED)
          .ingest(IngestRequest.builder("OTHERCAM", "police-0042").add(other).build());
      long before;
      try (var l = store.list("ledger/batches/")) {
        before = l.count();
      }
      IngestResult r =
          station(store, DOCKED)
              .ingest(IngestRequest.builder("DEVCAM7", "police-0042").add(card).build());
      assertEquals(n, r.count(IngestStatus.INGESTED), r.recordings().toString());
      long batches;
      try (var l = store.list("ledger/batches/")) {
        batches = l.count() - before;
      }
      assertEquals(2, batches, "one append for the seals, one for the retention decisions");
      List<LedgerEntry> sealed = new java.util.ArrayList<>(Fixtures.sealedEntries(store));
      sealed.removeIf(e -> e.subject().startsWith("OTHERCAM"));
      assertEquals(n, sealed.size());
      for (int i = 0; i < n; i++) {
        assertTrue(sealed.get(i).subject().endsWith(String.format("_%03d.bin", i)), "in order");
        if (i > 0) {
          assertEquals(
              sealed.get(i - 1).payloadDigest().orElseThrow(),
              sealed.get(i).details().get("previousSeal"));
        }
      }
      List<Seal> seals = new java.util.ArrayList<>(Fixtures.storedSeals(store));
      seals.removeIf(
          x -> !x.metadata().flatMap(m -> m.deviceId()).map("DEVCAM7"::equals).orElse(false));
      assertEquals(List.of(), DeviceChain.verify("DEVCAM7", seals));
    }
  }

  /**
   * A long run is logged in a few groups while later files are still hashed: every file
   * once, one chain in recording order across the groups, each group two appends (seals, retention
   * decisions), and at most eight groups of at least 32 recordings, not a batch object per file.
   */
  @Test
  void aLongRunIsLoggedInAFewGroupsAsOneChain() throws Exception {
    Path card = Files.createDirectories(dir.resolve("long"));
    java.util.Random rnd = new java.util.Random(11);
    int n = 150;
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[1 + rnd.nextInt(40_000)];
      rnd.nextBytes(b);
      Files.write(
          card.resolve(
              String.format("DEVCAM7_20230601_%02d%02d00_%03d.bin", 10 + i / 60, i % 60, i)),
          b);
    }
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED)
              .ingest(IngestRequest.builder("DEVCAM7", "police-0042").add(card).build());
      assertEquals(n, r.count(IngestStatus.INGESTED), r.recordings().toString());
      long batches;
      try (var l = store.list("ledger/batches/")) {
        batches = l.count();
      }
      // groups of at least 32 (5 for 150), and on this empty archive the first recording alone
      int groups = 1 + (n - 1 + 31) / 32;
      assertTrue(batches >= 2 && batches <= 2 * groups, batches + " batch objects for " + n);
      List<LedgerEntry> sealed = Fixtures.sealedEntries(store);
      assertEquals(n, sealed.size());
      for (int i = 0; i < n; i++) {
        assertTrue(sealed.get(i).subject().endsWith(String.format("_%03d.bin", i)), "in order");
        if (i > 0) {
          assertEquals(
              sealed.get(i - 1).payloadDigest().orElseThrow(),
              sealed.get(i).details().get("previousSeal"),
              "entry " + i + " links to the one before, across groups");
        }
      }
      assertEquals(List.of(), DeviceChain.verify("DEVCAM7", Fixtures.storedSeals(store)));
      for (IngestedRecording rec : r.recordings()) {
        ObjectKey key = ObjectKey.of(rec.key().orElseThrow());
        assertTrue(
            store.stat(key).retainUntil().isPresent(),
            key + ": retention pushed down in its group");
        assertTrue(store.exists(ObjectKey.of(key.value() + ".seal.json")), key + ": seal object");
      }
    }
  }

  @Test
  void aDeletedMiddleFileIsFoundAcrossTheRun() throws Exception {
    Path card = Fixtures.folder("f03_split3_missing_middle", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED)
              .ingest(IngestRequest.builder("DEVCAM7", "police-0042").add(card).build());
      assertEquals(2, r.count(IngestStatus.INGESTED));
      assertTrue(r.continuity().orElseThrow().has(ContinuityCode.MISSING_FILE));
    }
  }

  /**
   * A container whose creation time says 2001 (set here in the mvhd box) is kept two years from the
   * day it is ingested, not from 2001: nothing expires at ingest.
   */
  @Test
  void aContainerTimeFromTwentyYearsAgoDoesNotExpireTheRecording() throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("in/CAM.mp4"));
    Instant claimed = Instant.parse("2001-03-04T05:06:07Z");
    setMvhdCreationTime(f, claimed);
    Instant now = Instant.parse("2026-12-06T08:00:00Z");
    try (EvidenceStore store = open(Clock.fixed(now, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, now).ingest(IngestRequest.builder("CAM9", "police-1").add(f).build());
      IngestedRecording rec = r.recordings().get(0);
      assertEquals(IngestStatus.INGESTED, rec.status());
      assertEquals(claimed, rec.recordingStart().orElseThrow());
      assertEquals("CAM9/2001-03-04/CAM.mp4", rec.key().orElseThrow());
      RetentionOutcome ret = rec.retention().orElseThrow();
      assertEquals(now, ret.basis());
      assertTrue(
          ret.decision().retainUntil().orElseThrow().isAfter(now.plus(Duration.ofDays(2 * 365))),
          ret.decision().toString());
      assertTrue(
          ret.enforcement() == RetentionPushDown.Enforcement.LIBRARY
              || ret.enforcement() == RetentionPushDown.Enforcement.STORAGE,
          ret.toString());
      assertTrue(
          store.stat(ObjectKey.of(rec.key().get())).retainUntil().orElseThrow().isAfter(now));
      // late by the container's word: the analyzer says so (Art. 17), once
      assertTrue(r.continuity().orElseThrow().has(ContinuityCode.LATE_INGEST));
    }
  }

  /**
   * Each new recording is committed already retained until exactly what the engine decides for it
   * after the run: the object is never visible unprotected, and the push-down after the run
   * has nothing left to write. The filesystem store makes an object's lock file on its first
   * metadata change, so there is none. That needs an archive in use: the ledger's latest time is
   * the bound that makes the early decision safe against a racing station, and an empty archive has
   * none (its first run sets retention after the commit, as the push-down always did).
   */
  @Test
  void recordingsAreCommittedRetainedExactlyAsDecided() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Path other = Fixtures.folder("f03_split3_missing_middle", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult first =
          station(store, DOCKED).ingest(IngestRequest.builder("DEVCAM9", "p-9").add(other).build());
      for (IngestedRecording rec : first.recordings()) {
        assertTrue(Files.exists(objectDir(store, rec).resolve("lock")), "set after its commit");
      }
      IngestResult r =
          station(store, DOCKED)
              .ingest(
                  IngestRequest.builder("DEVCAM7", "police-0042")
                      .add(card)
                      .deviceClock(DOCKED.plusSeconds(4))
                      .build());
      assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
      for (IngestedRecording rec : r.recordings()) {
        RetentionOutcome ret = rec.retention().orElseThrow();
        Instant decided = ret.decision().retainUntil().orElseThrow();
        assertTrue(decided.isAfter(DOCKED.plus(Duration.ofDays(2 * 365))), ret.toString());
        ObjectKey key = ObjectKey.of(rec.key().orElseThrow());
        assertEquals(decided, store.stat(key).retainUntil().orElseThrow(), key.value());
        assertEquals(RetentionPushDown.Enforcement.LIBRARY, ret.enforcement(), ret.toString());
        Path object = objectDir(store, rec);
        assertTrue(Files.isRegularFile(object.resolve("content")), object.toString());
        assertFalse(Files.exists(object.resolve("lock")), "metadata changed after " + object);
      }
    }
  }

  private static Path objectDir(EvidenceStore store, IngestedRecording rec) {
    String key = rec.key().orElseThrow();
    return ((FileSystemEvidenceStore) store)
        .root()
        .resolve("objects/" + key.replace("/", ".d/") + ".o");
  }

  /**
   * A card with no recording on it has nothing to date: the trusted clock is not read, so the
   * initialisation or the jump named for the run is not recorded and the mark does not move.
   * The run read the clock before it listed the card, and an empty one initialised the clock.
   */
  @Test
  void aRunWithNothingToIngestLeavesTheTrustedClockAlone() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("unmounted"));
    Path hiddenOnly = Files.createDirectories(dir.resolve("debris-only"));
    Files.write(hiddenOnly.resolve(".DS_Store"), CardDebrisTest.dsStore());
    Path mark = dir.resolve("clock-mark");
    Clock wall = Clock.fixed(DOCKED, ZoneOffset.UTC);
    try (EvidenceStore store = open(wall)) {
      EvidenceLedger ledger = EvidenceLedger.open(store, wall);
      HighWaterMarkClock clock =
          HighWaterMarkClock.anchored(wall, ledger, mark, Duration.ofDays(31));
      clock.initialiseOnFirstReading("records-officer", "new station");
      IngestStation station = IngestStation.builder().store(store).trustedClock(clock).build();
      for (Path card : List.of(empty, hiddenOnly)) {
        IngestResult r = station.ingest(IngestRequest.builder("DEVCAM7", "p").add(card).build());
        assertTrue(r.recordings().isEmpty());
        assertEquals(Optional.empty(), r.ingestTime());
        assertEquals(card == empty ? 0 : 1, r.skipped().size(), r.skipped().toString());
      }
      assertEquals(0, EvidenceLedger.open(store, wall).size(), "no clock-initialised entry");
      assertFalse(Files.exists(mark), "no mark");
      // the vouching still waits for the first run that dates something
      Path card = Fixtures.folder("f02_split3", dir);
      IngestResult r = station.ingest(IngestRequest.builder("DEVCAM7", "p").add(card).build());
      assertEquals(Optional.of(DOCKED), r.ingestTime());
      assertEquals(EntryType.CLOCK_INITIALISED, EvidenceLedger.open(store, wall).entry(0).type());
    }
  }

  /** A clock that runs backwards is refused (one far ahead too: see below). */
  @Test
  void aClockBehindTheLedgerIsRefusedAndNothingIsStored() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Path more = Fixtures.folder("f03_split3_missing_middle", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      station(store, DOCKED).ingest(IngestRequest.builder("DEVCAM7", "p").add(card).build());
      List<String> before = Fixtures.keys(store);
      IngestStation behind = station(store, DOCKED.minus(Duration.ofDays(1)));
      IngestRequest next = IngestRequest.builder("DEVCAM7", "p").add(more).build();
      ClockRefusedException e =
          assertThrows(ClockRefusedException.class, () -> behind.ingest(next));
      assertTrue(e.getMessage().contains("1 d"), e.getMessage());
      assertEquals(before, Fixtures.keys(store));
      // a station 30 s behind another (within tolerance) takes the ledger's time, never earlier
      IngestResult close = station(store, DOCKED.minusSeconds(30)).ingest(next);
      assertEquals(Optional.of(DOCKED), close.ingestTime());
      assertEquals(
          DOCKED,
          close.recordings().get(0).seal().get().metadata().get().ingestTime().orElseThrow());
    }
  }

  /**
   * A station on the default (system) clock, which no one vouches for, wound 60 days past the
   * ledger's latest entry: its sealed entries would move the ledger's latest time 60 days on, and a
   * trusted clock measures its jump from that time, so a disposition on the same wound clock read
   * it with no named acceptance and two years ran out 60 days early for every recording (R-16,
   *
   */
  @Test
  void theSystemClockFarPastTheLedgersLatestEntryIsRefusedAndNothingIsLogged() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Instant honestNow = Instant.now().minus(Duration.ofDays(60));
    try (EvidenceStore store = open(Clock.systemUTC())) {
      EvidenceLedger.open(store, Clock.systemUTC())
          .append(
              LedgerEntry.builder()
                  .type(EntryType.VIEWED)
                  .time(honestNow)
                  .actor("legal-0007")
                  .subject("DEVCAM7/2023-06-01/earlier.mp4")
                  .build());
      List<String> before = Fixtures.keys(store);
      IngestStation wound = IngestStation.builder().store(store).build();
      IngestRequest run = IngestRequest.builder("DEVCAM7", "p").add(card).build();
      ClockRefusedException e = assertThrows(ClockRefusedException.class, () -> wound.ingest(run));
      assertTrue(e.getMessage().contains("60 d"), e.getMessage());
      assertTrue(e.getMessage().contains("accept"), e.getMessage());
      assertEquals(before, Fixtures.keys(store));
      EvidenceLedger after = EvidenceLedger.open(store, Clock.systemUTC());
      assertEquals(1, after.size(), "nothing logged past the honest entry");
      assertEquals(Optional.of(honestNow), after.view().latestTime());
    }
  }

  /**
   * A station built with a clock of its own ({@code clock(Clock)}) was unbounded forward: set 13
   * years ahead, its sealed entries moved the ledger's latest time on, from which the trusted clock
   * measures its jump and from which retention runs. It is held to the default clock's
   * bound, and the way past it is the same: a named person accepts the jump, which the ledger logs.
   */
  @Test
  void aStationsOwnClockFarPastTheLedgersLatestEntryIsRefusedUntilAJumpIsAccepted()
      throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Path more = Fixtures.folder("f03_split3_missing_middle", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      station(store, DOCKED).ingest(IngestRequest.builder("DEVCAM7", "p").add(card).build());
      List<String> before = Fixtures.keys(store);
      long logged = EvidenceLedger.open(store, Clock.systemUTC()).size();
      Instant ahead = DOCKED.plus(Duration.ofDays(13 * 365));
      IngestStation wound = station(store, ahead);
      IngestRequest next = IngestRequest.builder("DEVCAM7", "p").add(more).build();
      ClockRefusedException e = assertThrows(ClockRefusedException.class, () -> wound.ingest(next));
      assertTrue(e.getMessage().contains("after the latest time in the ledger"), e.getMessage());
      assertTrue(e.getMessage().contains("accept"), e.getMessage());
      assertEquals(before, Fixtures.keys(store), "nothing stored");
      assertEquals(logged, EvidenceLedger.open(store, Clock.systemUTC()).size(), "nothing logged");
      // nor does a trusted clock of the caller's own that vouches for that time with no acceptance
      // logged go further: refused before anything is stored, not once the ledger refuses it
      IngestStation vouched =
          IngestStation.builder().store(store).trustedClock(() -> ahead).build();
      ClockRefusedException v =
          assertThrows(ClockRefusedException.class, () -> vouched.ingest(next));
      assertTrue(v.getMessage().contains("no accepted jump"), v.getMessage());
      assertEquals(before, Fixtures.keys(store), "nothing stored");
      // 31 days on is an archive left idle, not a jump: taken
      Instant idle = DOCKED.plus(Duration.ofDays(31));
      assertEquals(
          Optional.of(idle),
          station(store, idle)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(card).build())
              .ingestTime());
      // a named person accepts the jump (as --accept-clock-jump-by does): then the station ingests
      Clock wall = Clock.fixed(ahead, ZoneOffset.UTC);
      EvidenceLedger ledger = EvidenceLedger.open(store, wall);
      HighWaterMarkClock.anchored(wall, ledger, dir.resolve("mark"), Duration.ofDays(31))
          .acceptJump("records-officer", "station restored from storage, clock checked");
      IngestResult r = wound.ingest(next);
      assertEquals(Optional.of(ahead), r.ingestTime());
      assertFalse(r.recordings().isEmpty());
    }
  }

  @Test
  void recordingThatEndsAfterTheDockingReadingIsAFindingWithTheNumbers() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      // the device claims 14:05 at docking, but its files say they were made at 14:10
      IngestResult r =
          station(store, DOCKED)
              .ingest(
                  IngestRequest.builder("DEVCAM7", "p")
                      .add(card)
                      .deviceClock(Instant.parse("2023-06-01T14:05:00Z"))
                      .build());
      IngestFinding f =
          r.recordings().get(0).findings().stream()
              .filter(x -> x.code().equals(IngestCodes.RECORDED_AFTER_INGEST))
              .findFirst()
              .orElseThrow(() -> new AssertionError(r.recordings().get(0).findings()));
      assertTrue(f.message().contains("5 min 3 s"), f.message());
    }
  }

  /**
   * A device clock offset that puts the recording's end after its ingest (the camera was said to be
   * ten days behind, a typo or a wrong reading) is a finding that says what retention counts from:
   * the later of the clock-corrected end and the ingest time, here the end. Before, it said "from
   * the ingest time", which the retention it decided contradicted (session 15, R-08, R-16).
   */
  @Test
  void aRecordingEndingAfterItsIngestSaysRetentionCountsFromThatEnd() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Duration behind = Duration.ofDays(10);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED)
              .ingest(
                  IngestRequest.builder("DEVCAM7", "p")
                      .add(card)
                      .clockOffset(behind.negated())
                      .build());
      IngestedRecording rec = r.recordings().get(0);
      assertEquals(IngestStatus.INGESTED, rec.status());
      // the first file's container says it ends at 14:10:03Z; ten days later in trusted time
      Instant correctedEnd = Instant.parse("2023-06-01T14:10:03Z").plus(behind);
      IngestFinding f =
          rec.findings().stream()
              .filter(x -> x.code().equals(IngestCodes.RECORDED_AFTER_INGEST))
              .findFirst()
              .orElseThrow(() -> new AssertionError(rec.findings()));
      assertTrue(f.message().contains("the recording ends 2023-06-11T14:10:03Z"), f.message());
      assertTrue(
          f.message()
              .endsWith("retention counts from this end, the later of it and the ingest time"),
          f.message());
      assertFalse(f.message().contains("counts from the ingest time"), f.message());
      RetentionOutcome ret = rec.retention().orElseThrow();
      assertEquals(correctedEnd, ret.basis());
      // two years from that end's local day (2023-06-11 in Shanghai), kept through 2025-06-11
      assertEquals(
          Instant.parse("2025-06-11T16:00:00Z"), ret.decision().retainUntil().orElseThrow());
    }
  }

  /**
   * A docking clock read to the nanosecond (a station's clock is) gives the offset the seals
   * record, in whole milliseconds, so the run's findings and a later analysis of the seals place
   * the recordings alike; before, the run's times carried nanoseconds no seal has.
   */
  @Test
  void theRunUsesTheClockOffsetItsSealsRecord() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED)
              .ingest(
                  IngestRequest.builder("DEVCAM7", "p")
                      .add(card)
                      .deviceClock(DOCKED.plusNanos(4_012_345_678L))
                      .build());
      assertEquals(Duration.ofMillis(4012), r.clockOffset().orElseThrow());
      for (IngestedRecording rec : r.recordings()) {
        assertEquals(
            4012L,
            rec.seal().orElseThrow().metadata().orElseThrow().clockOffsetMillis().orElseThrow(),
            rec.toString());
      }
    }
  }

  /**
   * A case class the policy does not know (a typo, `10Y`) is refused before anything is stored: the
   * engine would keep the recordings permanently, and retention never shortens.
   */
  @Test
  void anUnknownCaseClassIsRefusedBeforeAnythingIsStored() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestStation station = station(store, DOCKED);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  station.ingest(
                      IngestRequest.builder("DEVCAM7", "p")
                          .add(card)
                          .addCase("ZZ-1")
                          .caseClass("10Y")
                          .build()));
      assertTrue(
          e.getMessage().contains("'10Y'") && e.getMessage().contains("10y"), e.getMessage());
      try (Stream<ObjectKey> keys = store.keys("")) {
        assertEquals(0, keys.count(), "nothing stored");
      }
      IngestResult r =
          station.ingest(
              IngestRequest.builder("DEVCAM7", "p")
                  .add(card)
                  .addCase("ZZ-1")
                  .caseClass("30y")
                  .build());
      assertEquals(3, r.count(IngestStatus.INGESTED), "a known class goes in");
    }
  }

  /**
   * An offset no seal can record (its canonical JSON holds integers to 2^53 - 1) is refused by the
   * request, before anything is stored. Before, the run committed every recording's content and
   * then failed on the first seal's JSON, leaving content no seal or ledger entry names (session
   * 15, R-08).
   */
  @Test
  void aClockOffsetNoSealCanRecordIsRefusedByTheRequest() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    long max = (1L << 53) - 1;
    for (Duration d :
        List.of(
            Duration.ofMillis(Long.MAX_VALUE),
            Duration.ofMillis(max + 1),
            Duration.ofMillis(-max - 1),
            Duration.ofSeconds(Long.MIN_VALUE))) {
      IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p").add(card);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> b.clockOffset(d), d.toString());
      assertTrue(
          e.getMessage().endsWith("s is more than a seal records (9007199254740991 ms either way)"),
          e.getMessage());
    }
    assertEquals(
        Optional.of(Duration.ofMillis(-max)),
        IngestRequest.builder("DEVCAM7", "p")
            .add(card)
            .clockOffset(Duration.ofMillis(-max))
            .build()
            .clockOffset());
  }

  /**
   * A device clock reading no clock shows is refused by the request; read against a trusted time, a
   * reading further from it than a seal records is refused too (session 15, R-08, R-16).
   */
  @Test
  void aDeviceClockNoSealCanRecordIsRefusedByTheRequest() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    for (Instant shown :
        List.of(
            Instant.parse("+100000000-01-01T00:00:00Z"),
            Instant.parse("-0001-12-31T23:59:59Z"),
            Instant.parse("+10000-01-01T00:00:00Z"),
            Instant.MAX)) {
      IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p").add(card);
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> b.deviceClock(shown), shown.toString());
      assertTrue(e.getMessage().endsWith("no device's clock shows that"), e.getMessage());
    }
    Instant farAway = Instant.parse("+300000-01-01T00:00:00Z");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                IngestRequest.builder("DEVCAM7", "p")
                    .add(card)
                    .deviceClock(Instant.parse("2000-01-01T00:00:00Z"), farAway));
    assertTrue(e.getMessage().endsWith("(9007199254740991 ms either way)"), e.getMessage());
    Instant reset = Instant.parse("0001-01-01T00:00:00Z");
    assertEquals(
        Optional.of(reset),
        IngestRequest.builder("DEVCAM7", "p")
            .add(card)
            .deviceClock(reset)
            .build()
            .deviceClockShown());
  }

  /** A case named twice is refused: most often another case mistyped, left unlinked. */
  @Test
  void aCaseGivenTwiceIsRefused() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    IngestRequest.Builder b = IngestRequest.builder("DEVCAM7", "p").add(card).addCase("ZZ-1");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> b.addCase("ZZ-1"));
    assertEquals(
        "case ZZ-1 is given twice; name each case the recordings belong to once", e.getMessage());
    assertEquals(List.of("ZZ-1", "ZZ-2"), b.addCase("ZZ-2").build().caseIds());
  }

  @Test
  void foldersListWhatTheySkipAndPipesAreRefused() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Files.write(card.resolve("._DEVCAM7_20230601_141000_001.mp4"), CardDebrisTest.appleDouble());
    Files.writeString(card.resolve("old.mp4.seal.json"), "{}");
    Path fifo = card.resolve("pipe.mp4");
    boolean haveFifo = mkfifo(fifo);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED).ingest(IngestRequest.builder("DEVCAM7", "p").add(card).build());
      assertEquals(3, r.count(IngestStatus.INGESTED));
      Map<String, String> skipped =
          r.skipped().stream()
              .collect(
                  Collectors.toMap(s -> s.path().getFileName().toString(), SkippedInput::reason));
      assertTrue(
          skipped.get("._DEVCAM7_20230601_141000_001.mp4").contains("AppleDouble"),
          skipped.toString());
      assertTrue(skipped.get("old.mp4.seal.json").contains("seal"), skipped.toString());
      if (haveFifo) {
        assertTrue(skipped.get("pipe.mp4").contains("not a regular file"), skipped.toString());
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> IngestRequest.builder("DEVCAM7", "p").add(fifo));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
      }
    }
  }

  /**
   * A card named through a link (a mount point reached by one) was "nothing to ingest": the walk
   * took the link for all there was; a link to a folder inside a card was passed over without a
   * word, though what is skipped is listed (session 15's review). The linked card is now searched
   * where the link leads, its files named under the link, and a link to a folder inside is listed
   * as skipped, not followed.
   */
  @Test
  void aCardNamedThroughALinkIsSearchedAndALinkToAFolderInsideIsListed() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.write(elsewhere.resolve("OTHER_0001.mp4"), new byte[] {1, 2, 3});
    Files.createSymbolicLink(card.resolve("more"), elsewhere);
    Path mount = Files.createSymbolicLink(dir.resolve("mount"), card);
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(mount).build();

    assertEquals(Optional.empty(), IngestStation.withoutRecordings(request));
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r = station(store, DOCKED).ingest(request);
      assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
      assertTrue(
          r.recordings().stream().allMatch(x -> x.source().file().orElseThrow().startsWith(mount)),
          "named under the link as given: " + r.recordings());
      assertEquals(1, r.skipped().size(), r.skipped().toString());
      assertEquals(mount.resolve("more"), r.skipped().get(0).path());
      assertTrue(
          r.skipped().get(0).reason().startsWith("a link to a folder"), r.skipped().toString());
    }
  }

  /**
   * A subfolder that cannot be listed may hold recordings: the request is refused naming it (an
   * AccessDeniedException, which the CLI prints as one line) instead of an internal error
   * (UncheckedIOException) escaping. Skipped where permissions do not bind (run as root).
   */
  @Test
  void anUnreadableSubfolderRefusesTheRequestNamingIt() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    Path locked = Files.createDirectories(card.resolve("locked"));
    Files.setPosixFilePermissions(locked, java.util.Set.of());
    try {
      org.junit.jupiter.api.Assumptions.assumeFalse(
          Files.isReadable(locked), "permissions do not bind this user");
      IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(card).build();
      java.nio.file.AccessDeniedException e =
          assertThrows(
              java.nio.file.AccessDeniedException.class,
              () -> IngestStation.withoutRecordings(request));
      assertEquals(locked.toString(), e.getFile());
    } finally {
      Files.setPosixFilePermissions(
          locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  /**
   * A folder added and also excluded (the store's own folder given as the card, in a new user's
   * trial) is listed as skipped with the reason, not passed over with "0 ingested".
   */
  @Test
  void aFolderThatIsItselfExcludedIsListedAsSkipped() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(card).exclude(card).build());
      assertEquals(List.of(), r.recordings());
      assertEquals(1, r.skipped().size(), r.skipped().toString());
      assertEquals(card, r.skipped().get(0).path());
      assertTrue(r.skipped().get(0).reason().contains("excluded"), r.skipped().toString());
    }
  }

  /**
   * A card that holds no recording (empty, or only operating system debris) stores nothing, and an
   * embedding system that asks {@code hasProblems()} must hear that someone needs to look, as
   * {@code evidence ingest} refuses it with exit 2 (Art. 17, R-14): it used to say false, as for a
   * clean docking.
   */
  @Test
  void aCardWithNoRecordingHasProblems() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-card"));
    Path hiddenOnly = Files.createDirectories(dir.resolve("debris-card"));
    Files.write(
        hiddenOnly.resolve("._DEVCAM7_20230601_141000_001.mp4"), CardDebrisTest.appleDouble());
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult none =
          station(store, DOCKED).ingest(IngestRequest.builder("DEVCAM7", "p").add(empty).build());
      assertEquals(List.of(), none.recordings());
      assertEquals(List.of(), none.skipped());
      assertTrue(none.hasProblems(), "an empty card is not a docking that went well");

      IngestResult hidden =
          station(store, DOCKED)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(hiddenOnly).build());
      assertEquals(List.of(), hidden.recordings());
      assertEquals(
          List.of(hiddenOnly.resolve("._DEVCAM7_20230601_141000_001.mp4")),
          hidden.skipped().stream().map(SkippedInput::path).collect(Collectors.toList()));
      assertTrue(hidden.hasProblems(), "a card of only skipped files stored nothing");
      assertFalse(hidden.committedAnything());
    }
  }

  @Test
  void controlCharactersInIdentifiersAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> IngestRequest.builder("DEVCAM7", "police-0042\nINGESTED DEVCAM7/x.mp4"));
    assertThrows(IllegalArgumentException.class, () -> IngestRequest.builder("DEV\u202ECAM", "p"));
    assertThrows(
        IllegalArgumentException.class,
        () -> IngestRequest.builder("DEVCAM7", "p").addCase("ZZ-7\r"));
    assertThrows(IllegalArgumentException.class, () -> IngestRequest.builder(" ", "p"));
    // a repeated single setting is refused, not silently replaced
    IngestRequest.Builder b = IngestRequest.builder("D", "p").actor("a");
    assertThrows(IllegalStateException.class, () -> b.actor("b"));
    assertThrows(
        IllegalStateException.class,
        () -> IngestRequest.builder("D", "p").clockOffset(Duration.ZERO).deviceClock(DOCKED));
    IllegalStateException none =
        assertThrows(IllegalStateException.class, () -> IngestStation.builder().build());
    assertTrue(none.getMessage().contains("store"), none.getMessage());
  }

  /** Two names that differ only in bytes that are not UTF-8 are refused, not merged on one key. */
  @Test
  void namesThatAreNotUtf8AreReportedNotMerged() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
        "file names are not decoded as UTF-8 here");
    Path card = Files.createDirectories(dir.resolve("card"));
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                "printf a > \"$1\"/$'x\\xff.bin'; printf b > \"$1\"/$'x\\xfe.bin'",
                "-",
                card.toString())
            .start();
    org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "bash could not make the names");
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED).ingest(IngestRequest.builder("DEV", "p").add(card).build());
      assertEquals(2, r.recordings().size());
      for (IngestedRecording rec : r.recordings()) {
        assertEquals(IngestStatus.FAILED, rec.status());
        assertEquals(
            IngestCodes.BAD_NAME,
            rec.findings().stream()
                .filter(f -> f.severity() == IngestFinding.Severity.ERROR)
                .findFirst()
                .orElseThrow()
                .code());
      }
      assertTrue(Fixtures.keys(store).stream().noneMatch(k -> k.startsWith("DEV/")));
    }
  }

  /**
   * A layout of the bureau's own that puts a recording where the archive keeps its records (the
   * ledger, a tombstone, a plan) or where a seal goes: refused with BAD_NAME, nothing stored. A
   * recording there would never be swept, and could pass for a record of disposition.
   */
  @Test
  void aLayoutCannotPutARecordingAmongTheArchivesRecords() throws Exception {
    Path f = Fixtures.copy("fixtures/remuxed-no-creation-time.mp4", dir.resolve("in/clip.mp4"));
    List<String> keys =
        List.of(
            "ledger/batches/00000000000000000000.jsonl",
            "tombstones/" + "a".repeat(32) + "/00000000000000000001-intended.json",
            "disposition/plans/" + "b".repeat(64) + ".json",
            "CAM/clip.mp4.seal.json");
    for (int i = 0; i < keys.size(); i++) {
      String bad = keys.get(i);
      try (EvidenceStore store =
          FileSystemEvidenceStore.openOrCreate(
              dir.resolve("store-" + i), Clock.fixed(DOCKED, ZoneOffset.UTC))) {
        IngestStation station =
            IngestStation.builder()
                .store(store)
                .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
                .keyLayout((device, placement, name) -> ObjectKey.of(bad))
                .build();
        IngestedRecording rec =
            station.ingest(IngestRequest.builder("CAM", "p").add(f).build()).recordings().get(0);
        assertEquals(IngestStatus.FAILED, rec.status(), bad);
        IngestFinding error =
            rec.findings().stream()
                .filter(x -> x.severity() == IngestFinding.Severity.ERROR)
                .findFirst()
                .orElseThrow();
        assertEquals(IngestCodes.BAD_NAME, error.code(), bad);
        assertTrue(error.message().contains(bad), error.message());
        assertFalse(store.exists(ObjectKey.of(bad)), bad);
      }
    }
  }

  @Test
  void aFileWithNoTimeAnywhereIsStoredUndatedWithAFinding() throws Exception {
    Path f = Fixtures.copy("fixtures/remuxed-no-creation-time.mp4", dir.resolve("in/clip.mp4"));
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED).ingest(IngestRequest.builder("CAM", "p").add(f).build());
      IngestedRecording rec = r.recordings().get(0);
      assertEquals(IngestStatus.INGESTED, rec.status());
      assertEquals("CAM/undated/clip.mp4", rec.key().orElseThrow());
      assertTrue(rec.findings().stream().anyMatch(x -> x.code().equals(IngestCodes.NOT_PLACED)));
      // retention counts from the ingest
      assertEquals(DOCKED, rec.retention().orElseThrow().basis());
    }
  }

  /**
   * A GA/T 947 body camera's card (device J0012345, officer 010086, local times in the names): the
   * third file lost power before its index was written. It is still sealed and stored, placed by
   * its name, and reported truncated; the run's three files form one unbroken session.
   */
  @Test
  void aPowerLossFileFromAnotherCameraIsPlacedByItsNameAndKept() throws Exception {
    Path card = Files.createDirectories(dir.resolve("DCIM"));
    String[] names = {
      "J0012345_010086_20230601140000_0001.mp4",
      "J0012345_010086_20230601140003_0002.mp4",
      "J0012345_010086_20230601140006_0003.mp4"
    };
    for (String n : names) {
      Fixtures.copy("fixtures/gat947/" + n, card.resolve(n));
    }
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, Instant.parse("2023-06-01T07:00:00Z"))
              .ingest(IngestRequest.builder("J0012345", "010086").add(card).build());
      assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
      IngestedRecording lost = r.recordings().get(2);
      Placement p = lost.placement().orElseThrow();
      assertEquals(Placement.TimeSource.FILE_NAME, p.source());
      // 14:00:06 in Shanghai
      assertEquals(Instant.parse("2023-06-01T06:00:06Z"), p.start().orElseThrow());
      assertEquals(3, p.sequence().getAsInt());
      assertEquals("J0012345/2023-06-01/" + names[2], lost.key().orElseThrow());
      assertTrue(
          lost.findings().stream().anyMatch(f -> f.code().equals("MOOV_MISSING")),
          lost.findings().toString());
      assertTrue(p.durationSeconds() > 0, "an estimated duration from the recovered frames");
      assertFalse(r.continuity().orElseThrow().has(ContinuityCode.MISSING_FILE));
    }
  }

  /** Ingest decides with the archive's retention history and records its decisions in it. */
  @Test
  void retentionDecisionsAreRecordedInTheLedgerHistory() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      IngestResult r =
          station(store, DOCKED).ingest(IngestRequest.builder("DEVCAM7", "p").add(card).build());
      org.evidencekit.ledger.EvidenceLedger ledger =
          org.evidencekit.ledger.EvidenceLedger.open(store, Clock.systemUTC());
      org.evidencekit.retention.RetentionHistory h =
          org.evidencekit.retention.RetentionHistory.read(ledger);
      for (IngestedRecording rec : r.recordings()) {
        Instant until = rec.retention().orElseThrow().decision().retainUntil().orElseThrow();
        assertEquals(
            until,
            h.mark(rec.key().orElseThrow()).orElseThrow().until().orElseThrow(),
            rec.toString());
      }
      assertEquals(
          3,
          ledger.entries().stream()
              .filter(e -> e.type().equals(org.evidencekit.ledger.EntryType.RETENTION_DECIDED))
              .count());
    }
  }

  /** A byte-identical copy under another name is stored, and said to be one, naming both keys. */
  @Test
  void aRenamedCopyIsADuplicateNamingBothKeys() throws Exception {
    Path a =
        Fixtures.copy(
            "fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("a/" + Fixtures.SPLIT3[0]));
    Path b = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("b/COPY.mp4"));
    try (EvidenceStore store = open(Clock.fixed(DOCKED, ZoneOffset.UTC))) {
      station(store, DOCKED).ingest(IngestRequest.builder("DEVCAM7", "p").add(a).build());
      IngestResult r =
          station(store, DOCKED).ingest(IngestRequest.builder("DEVCAM7", "p").add(b).build());
      IngestedRecording copy = r.recordings().get(0);
      assertEquals(IngestStatus.INGESTED, copy.status());
      IngestFinding f =
          copy.findings().stream()
              .filter(x -> x.code().equals(IngestCodes.DUPLICATE_CONTENT))
              .findFirst()
              .orElseThrow(() -> new AssertionError(copy.findings()));
      assertTrue(f.message().contains("DEVCAM7/2023-06-01/" + Fixtures.SPLIT3[0]), f.message());
    }
  }

  static boolean mkfifo(Path p) {
    try {
      return new ProcessBuilder("mkfifo", p.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Overwrites the creation time of the first mvhd box (version 0 or 1). */
  static void setMvhdCreationTime(Path f, Instant t) throws IOException {
    byte[] b = Files.readAllBytes(f);
    int at = -1;
    for (int i = 4; i + 4 <= b.length; i++) {
      if (b[i] == 'm' && b[i + 1] == 'v' && b[i + 2] == 'h' && b[i + 3] == 'd') {
        at = i + 4;
        break;
      }
    }
    if (at < 0) {
      throw new IOException("no mvhd in " + f);
    }
    long secs = t.getEpochSecond() + 2_082_844_800L; // since 1904-01-01
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ByteBuffer v;
      if (b[at] == 1) {
        v = ByteBuffer.allocate(8).putLong(0, secs);
      } else {
        v = ByteBuffer.allocate(4).putInt(0, (int) secs);
      }
      ch.write(v, at + 4);
    }
  }

  /** A read-only seekable channel over bytes in memory: a source that is not a file. */
  static final class BytesChannel implements java.nio.channels.SeekableByteChannel {
    private final byte[] bytes;
    private long position;
    private boolean open = true;

    BytesChannel(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public int read(ByteBuffer dst) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = (int) Math.min(dst.remaining(), bytes.length - position);
      dst.put(bytes, (int) position, n);
      position += n;
      return n;
    }

    @Override
    public int write(ByteBuffer src) {
      throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public long position() {
      return position;
    }

    @Override
    public java.nio.channels.SeekableByteChannel position(long p) {
      position = p;
      return this;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public java.nio.channels.SeekableByteChannel truncate(long size) {
      throw new java.nio.channels.NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
