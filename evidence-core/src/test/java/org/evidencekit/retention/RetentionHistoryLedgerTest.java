package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.store.StoreFiles;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention history lives in the ledger: only raises are written, and reading gives them. */
class RetentionHistoryLedgerTest {
  @TempDir Path dir;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static RetentionDecision decision(String id, Instant until, boolean permanent) {
    return new RetentionDecision(
        id, until, permanent, List.of(), List.of(), T0, "p", 1, List.of(), false);
  }

  /** Against a naive model: a map of the latest end and a permanent flag per recording. */
  @Property(tries = 80)
  void theLedgerHistoryIsTheRunningMaximumAndOnlyRaisesAreWritten(
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 50) Integer> steps) throws Exception {
    EvidenceLedger ledger =
        EvidenceLedger.open(
            new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC)), Clock.systemUTC());
    RetentionHistory h = RetentionHistory.empty();
    Map<String, Instant> until = new HashMap<>();
    Map<String, Boolean> perm = new HashMap<>();
    long raises = 0;
    for (int s : steps) {
      String id = "R" + (s % 3);
      boolean p = s == 50;
      Instant u = T0.plus(Duration.ofDays(s * 10L));
      Instant before = until.get(id);
      boolean permBefore = perm.getOrDefault(id, false);
      Instant after = before == null || u.isAfter(before) ? u : before;
      boolean permAfter = permBefore || p;
      if (!after.equals(before) || permAfter != permBefore) {
        raises++;
      }
      until.put(id, after);
      perm.put(id, permAfter);
      h = h.recordAll(ledger, "station", List.of(decision(id, u, p)));
    }
    RetentionHistory read = RetentionHistory.read(ledger);
    for (String id : until.keySet()) {
      assertEquals(Optional.of(until.get(id)), read.mark(id).orElseThrow().until(), id);
      assertEquals(perm.get(id), read.mark(id).orElseThrow().permanent(), id);
      assertEquals(Optional.of(until.get(id)), h.mark(id).orElseThrow().until(), id);
    }
    assertEquals(
        raises,
        ledger.entries().stream()
            .filter(e -> e.type().equals(EntryType.RETENTION_DECIDED))
            .count());
  }

  /**
   * A reader of a ledger instance, read again and again (each read folds only what was appended
   * since), gives what a fresh instance's first read of the whole log gives, whoever appended: this
   * instance or another writer on the same store; and the history of some recordings is the whole
   * history's for those recordings.
   */
  @Property(tries = 60)
  void readingAgainFoldsOnlyNewEntriesAndAgreesWithAFreshRead(
      @ForAll @Size(max = 30) List<@IntRange(min = 0, max = 99) Integer> steps) throws Exception {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC));
    EvidenceLedger ledger = EvidenceLedger.open(store, Clock.systemUTC());
    EvidenceLedger other = EvidenceLedger.open(store, Clock.systemUTC());
    RetentionHistory.Reader reader = RetentionHistory.reader(ledger);
    java.util.Deque<String> openHolds = new java.util.ArrayDeque<>();
    for (int s : steps) {
      String id = "R" + (s % 4);
      Instant u = T0.plus(Duration.ofDays(s * 7L));
      switch (s % 5) {
        case 0, 1 ->
            RetentionHistory.read(ledger)
                .recordAll(ledger, "station", List.of(decision(id, u, s == 95)));
        case 2 -> {
          other.refresh();
          RetentionHistory.read(other)
              .recordAll(other, "other-station", List.of(decision(id, u, false)));
        }
        case 3 ->
            openHolds.push(
                RetentionHolds.place(
                        ledger, store, () -> T0, id, Optional.empty(), "legal", "appeal", "l-1")
                    .id());
        default -> {
          if (!openHolds.isEmpty()) {
            RetentionHolds.release(ledger, () -> T0, openHolds.pop(), "withdrawn", "l-1");
          }
        }
      }
      ledger.refresh();
      RetentionHistory again = reader.read();
      RetentionHistory fresh = RetentionHistory.read(EvidenceLedger.open(store, Clock.systemUTC()));
      assertEquals(new String(fresh.toJson()), new String(again.toJson()), "marks");
      assertEquals(holds(fresh.allHolds()), holds(again.allHolds()), "holds");
      RetentionHistory some = reader.read(List.of(id, "R-none"));
      assertEquals(
          fresh.mark(id).map(m -> m.until() + "/" + m.permanent()),
          some.mark(id).map(m -> m.until() + "/" + m.permanent()));
      assertEquals(holds(Map.of(id, fresh.holds(id))), holds(Map.of(id, some.holds(id))));
      assertTrue(some.mark("R" + ((s + 1) % 4)).isEmpty(), "only the recordings asked for");
    }
  }

  /**
   * A history once read stays what it was: later reads of the same ledger fold new marks and holds
   * into what the ledger's reads share, never into a history already handed out.
   */
  @Test
  void aHistoryReadEarlierDoesNotChangeWhenTheLedgerMovesOn() throws Exception {
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC));
    EvidenceLedger ledger = EvidenceLedger.open(store, Clock.systemUTC());
    RetentionHistory.read(ledger)
        .recordAll(ledger, "station", List.of(decision("R", T0.plus(Duration.ofDays(9)), false)));
    RetentionFacts.Hold h =
        RetentionHolds.place(ledger, store, () -> T0, "R", Optional.empty(), "legal", "a", "l-1");
    RetentionHistory.Reader reader = RetentionHistory.reader(ledger);
    RetentionHistory whole = reader.read();
    RetentionHistory some = reader.read(List.of("R"));
    String wholeBefore = new String(whole.toJson()) + holds(whole.allHolds());
    String someBefore = new String(some.toJson()) + holds(some.allHolds());

    RetentionHistory.read(ledger)
        .recordAll(ledger, "station", List.of(decision("R", T0.plus(Duration.ofDays(99)), true)));
    RetentionHolds.release(ledger, () -> T0, h.id(), "withdrawn", "l-1");
    RetentionHolds.place(ledger, store, () -> T0, "R", Optional.empty(), "legal", "b", "l-1");
    RetentionHistory now = reader.read(List.of("R"));
    assertTrue(now.mark("R").orElseThrow().permanent());
    assertEquals(2, now.holds("R").size());
    assertTrue(now.holds("R").get(0).releasedAt().isPresent());

    assertEquals(wholeBefore, new String(whole.toJson()) + holds(whole.allHolds()));
    assertEquals(someBefore, new String(some.toJson()) + holds(some.allHolds()));
    assertFalse(some.mark("R").orElseThrow().permanent());
    assertEquals(1, some.holds("R").size());
    assertTrue(some.holds("R").get(0).releasedAt().isEmpty());
  }

  private static String holds(Map<String, List<RetentionFacts.Hold>> holds) {
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(holds)
        .forEach(
            (id, hs) ->
                hs.forEach(
                    h ->
                        b.append(id)
                            .append(' ')
                            .append(h.id())
                            .append(' ')
                            .append(h.placedAt())
                            .append(' ')
                            .append(h.releasedAt())
                            .append('\n')));
    return b.toString();
  }

  /** A range of entries read from the batches that hold it is that range of the whole log. */
  @Property(tries = 40)
  void entriesOfARangeAreThatRangeOfTheLog(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 9) Integer> batches,
      @ForAll @IntRange(min = 0, max = 200) int a,
      @ForAll @IntRange(min = 0, max = 200) int b)
      throws Exception {
    EvidenceLedger ledger =
        EvidenceLedger.open(
            new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC)), Clock.systemUTC());
    int n = 0;
    for (int size : batches) {
      List<org.evidencekit.ledger.LedgerEntry> group = new java.util.ArrayList<>();
      for (int i = 0; i < size; i++) {
        group.add(RetentionEvents.decided(decision("R" + n++, T0, false), "s", T0, false));
      }
      ledger.appendAll(group); // one batch object each
    }
    int from = Math.min(a, b) % (n + 1);
    int to = Math.max(from, Math.max(a, b) % (n + 1));
    List<String> expected =
        ledger.entries().subList(from, to).stream().map(e -> new String(e.canonical())).toList();
    assertEquals(
        expected, ledger.entries(from, to).stream().map(e -> new String(e.canonical())).toList());
    assertThrows(IllegalArgumentException.class, () -> ledger.entries(0, ledger.size() + 1));
  }

  @Test
  void aDecisionAfterAShorterPolicyStillHonoursTheLedgerMark() throws Exception {
    EvidenceLedger ledger =
        EvidenceLedger.open(
            new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC)), Clock.systemUTC());
    Instant far = Instant.parse("2040-01-01T00:00:00Z");
    RetentionHistory.empty().recordAll(ledger, "station", List.of(decision("R", far, false)));
    RetentionFacts f =
        RetentionFacts.of(
            List.of(
                RetentionFacts.Recording.builder("R")
                    .recordingEnd(Instant.parse("2024-01-01T00:00:00Z"))
                    .build()),
            List.of());
    RetentionDecision d =
        RetentionEngine.decide(
            RetentionPolicy.regulationDefault(),
            f,
            RetentionHistory.read(ledger),
            "R",
            Instant.parse("2030-01-01T00:00:00Z"));
    assertFalse(d.disposable());
    assertEquals(far, d.retainUntil().orElseThrow());
    assertTrue(d.shorteningRefused());
  }

  @Test
  void ledgerHoldsBlockDisposalUntilReleased() throws Exception {
    EvidenceLedger ledger =
        EvidenceLedger.open(
            new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC)), Clock.systemUTC());
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC));
    RetentionFacts f =
        RetentionFacts.of(
            List.of(
                RetentionFacts.Recording.builder("R")
                    .recordingEnd(Instant.parse("2020-01-01T00:00:00Z"))
                    .build()),
            List.of());
    RetentionFacts.Hold h =
        RetentionHolds.place(
            ledger, store, () -> T0, "R", Optional.empty(), "legal", "appeal", "legal-1");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            RetentionHolds.place(
                ledger, store, () -> T0, "R", Optional.empty(), "legal", " ", "legal-1"));
    RetentionPolicy reg = RetentionPolicy.regulationDefault();
    Instant later = T0.plus(Duration.ofDays(1));
    assertEquals(
        RetentionStatus.HELD,
        RetentionEngine.decide(reg, f, RetentionHistory.read(ledger), "R", later).status());
    RetentionHolds.release(ledger, () -> later, h.id(), "appeal withdrawn", "legal-1");
    assertTrue(
        RetentionEngine.decide(
                reg, f, RetentionHistory.read(ledger), "R", later.plus(Duration.ofSeconds(1)))
            .disposable());
    assertThrows(
        IllegalArgumentException.class,
        () -> RetentionHolds.release(ledger, () -> later, "hold-nope", "x", "y"));
  }

  @Test
  void aHoldPlacedOnTheObjectKeyHoldsTheRecordingTheFactsNameOtherwise() throws Exception {
    EvidenceLedger ledger =
        EvidenceLedger.open(
            new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC)), Clock.systemUTC());
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(T0, ZoneOffset.UTC));
    String key = "DEVCAM8/2020-01-01/DEVCAM8_20200101_080000_001.mp4";
    RetentionFacts f =
        RetentionFacts.of(
            List.of(
                RetentionFacts.Recording.builder("DEVCAM8-0001")
                    .recordingEnd(Instant.parse("2020-01-01T00:00:00Z"))
                    .objectKey(key)
                    .build()),
            List.of());
    RetentionFacts.Hold h =
        RetentionHolds.place(
            ledger, store, () -> T0, key, Optional.empty(), "legal", "appeal", "legal-1");
    RetentionPolicy reg = RetentionPolicy.regulationDefault();
    Instant later = T0.plus(Duration.ofDays(1));
    assertEquals(
        RetentionStatus.HELD,
        RetentionEngine.decide(reg, f, RetentionHistory.read(ledger), "DEVCAM8-0001", later)
            .status());
    RetentionHolds.release(ledger, () -> later, h.id(), "appeal withdrawn", "legal-1");
    assertTrue(
        RetentionEngine.decide(
                reg,
                f,
                RetentionHistory.read(ledger),
                "DEVCAM8-0001",
                later.plus(Duration.ofSeconds(1)))
            .disposable());
  }

  @Test
  void anAlteredStoredPlanIsRefused() throws Exception {
    Clock c = Clock.fixed(T0, ZoneOffset.UTC);
    FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("s"), c);
    EvidenceLedger ledger = EvidenceLedger.open(store, c);
    RetentionFacts f =
        RetentionFacts.of(
            List.of(
                RetentionFacts.Recording.builder("R")
                    .recordingEnd(Instant.parse("2020-01-01T00:00:00Z"))
                    .objectKey("rec/R")
                    .build()),
            List.of());
    String digest =
        Disposition.record(
            Disposition.plan(RetentionPolicy.regulationDefault(), f, RetentionHistory.empty(), T0)
                .plannedBy("planner"),
            store,
            ledger);
    assertEquals(1, Disposition.readPlan(store, digest).disposable().size());
    assertEquals(
        RetentionStatus.DISPOSABLE, Disposition.readPlan(store, digest).items().get(0).status());
    Path file = StoreFiles.content(store, ObjectKey.of(Disposition.PLANS + digest + ".json"));
    // the stored form keeps the status's name as it always was, so older plans still read
    assertTrue(
        Files.readString(file).contains("\"status\":\"DISPOSABLE\""), Files.readString(file));
    file.toFile().setWritable(true);
    byte[] b = Files.readAllBytes(file);
    b[b.length / 2] ^= 1;
    Files.write(file, b);
    DispositionRefusedException x =
        assertThrows(DispositionRefusedException.class, () -> Disposition.readPlan(store, digest));
    assertTrue(x.getMessage().contains("altered"), x.getMessage());
    assertThrows(
        DispositionRefusedException.class,
        () ->
            Disposition.approve(
                DispositionApproval.builder()
                    .planDigest(digest)
                    .approver("a")
                    .key(SigningKeys.generate(SignatureSuite.ED25519))
                    .expiresAt(T0.plus(Duration.ofDays(1))),
                store,
                ledger,
                () -> T0));
  }

  @Test
  void buildersRefuseRepeatsAndNameWhatIsMissing() {
    assertThrows(
        IllegalStateException.class,
        () -> DispositionApproval.builder().approver("a").approver("b"));
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> DispositionExecution.builder().executedBy("x").build());
    assertTrue(missing.getMessage().contains("planDigest"), missing.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> DispositionExecution.builder().executedBy(" "));
  }
}
