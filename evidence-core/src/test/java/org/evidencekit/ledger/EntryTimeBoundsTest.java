package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger itself bounds the times of the entries it takes: an entry stamped years
 * ahead moved the ledger's latest time, from which the trusted clock measures its jump and from
 * which retention runs, and one stamped far behind logged a custody event, or an ingest, earlier
 * than it happened. Only the command line checked; a library caller could write either.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EntryTimeBoundsTest {
  static final Instant LATEST = Instant.parse("2026-03-01T01:00:00Z");
  static final Clock CLOCK = Clock.fixed(LATEST, ZoneOffset.UTC);

  /**
   * The ledger's own clock, years on: these tests bound entries by their neighbours, which the
   * clock bound (EntryTimeAnchorsTest) would otherwise answer first.
   */
  static final Clock YEARS_ON = Clock.offset(CLOCK, Duration.ofDays(365 * 20));

  @TempDir Path dir;

  static LedgerEntry viewed(Instant time, String subject) {
    return LedgerEntry.builder()
        .type(EntryType.VIEWED)
        .time(time)
        .actor("officer-7")
        .subject(subject)
        .details(Map.of("reason", "case review"))
        .build();
  }

  static LedgerEntry jumpAccepted(Instant from, Instant to, String reason) {
    return LedgerEntry.builder()
        .type(EntryType.CLOCK_JUMP_ACCEPTED)
        .time(to)
        .actor("admin-1")
        .subject("trusted-clock")
        .details(Map.of("from", from.toString(), "to", to.toString(), "reason", reason))
        .build();
  }

  private EvidenceLedger ledgerWithOneEntry(FileSystemEvidenceStore store) throws IOException {
    EvidenceLedger l = EvidenceLedger.open(store, YEARS_ON);
    l.append(viewed(LATEST, "cam/first.mp4"));
    return l;
  }

  @Test
  void anEntryYearsAheadIsRefusedAndTheLatestTimeStays() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = ledgerWithOneEntry(store);
      Instant ahead = LATEST.plus(Duration.ofDays(365 * 13));
      EntryTimeRefusedException e =
          assertThrows(EntryTimeRefusedException.class, () -> l.append(viewed(ahead, "cam/x.mp4")));
      assertTrue(e.getMessage().contains("31 days"), e.getMessage());
      assertTrue(e.getMessage().contains(EntryType.CLOCK_JUMP_ACCEPTED), e.getMessage());
      assertEquals(1, l.size());
      assertEquals(LATEST, l.view().latestTime().orElseThrow());
      // nothing of it reached the store either: a ledger opened afresh holds one entry
      assertEquals(1, EvidenceLedger.open(store, YEARS_ON).size());
    }
  }

  @Test
  void anEntryFarBehindIsRefused() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = ledgerWithOneEntry(store);
      Instant behind = LATEST.minus(Duration.ofDays(400));
      EntryTimeRefusedException e =
          assertThrows(
              EntryTimeRefusedException.class, () -> l.append(viewed(behind, "cam/x.mp4")));
      assertTrue(e.getMessage().contains("before the ledger's latest entry"), e.getMessage());
      assertEquals(1, l.size());
    }
  }

  @Test
  void justPastTheBoundsIsRefusedJustWithinIsTaken() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = ledgerWithOneEntry(store);
      Instant tooEarly = LATEST.minus(Duration.ofMinutes(2)).minusSeconds(1);
      assertThrows(EntryTimeRefusedException.class, () -> l.append(viewed(tooEarly, "cam/a")));
      Instant tooLate = LATEST.plus(Duration.ofDays(31)).plusSeconds(1);
      assertThrows(EntryTimeRefusedException.class, () -> l.append(viewed(tooLate, "cam/b")));
      // another station's clock two minutes behind, and an archive idle 31 days: both honest
      l.append(viewed(LATEST.minus(Duration.ofMinutes(2)), "cam/c"));
      Instant idle = LATEST.plus(Duration.ofDays(31));
      l.append(viewed(idle, "cam/d"));
      assertEquals(3, l.size());
      assertEquals(idle, l.view().latestTime().orElseThrow());
    }
  }

  @Test
  void twoStationsTwoMinutesApartBothAppend() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      ledgerWithOneEntry(store);
      EvidenceLedger ahead = EvidenceLedger.open(store, YEARS_ON);
      EvidenceLedger behind = EvidenceLedger.open(store, YEARS_ON);
      ahead.append(viewed(LATEST.plus(Duration.ofMinutes(10)), "cam/ahead"));
      // the other station has not read that entry yet; its clock reads 2 minutes behind it
      behind.append(viewed(LATEST.plus(Duration.ofMinutes(8)), "cam/behind"));
      assertEquals(3, behind.size());
      // 3 minutes behind is another matter, from either writer
      Instant late = LATEST.plus(Duration.ofMinutes(7));
      assertThrows(EntryTimeRefusedException.class, () -> ahead.append(viewed(late, "cam/late")));
      assertThrows(EntryTimeRefusedException.class, () -> behind.append(viewed(late, "cam/late")));
      assertEquals(3, EvidenceLedger.open(store, YEARS_ON).size());
    }
  }

  @Test
  void aJumpIsTakenOnlyAfterANamedAcceptanceWithAReasonIsLogged() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = ledgerWithOneEntry(store);
      Instant later = LATEST.plus(Duration.ofDays(60));
      assertThrows(EntryTimeRefusedException.class, () -> l.append(viewed(later, "cam/x")));
      assertThrows(
          EntryTimeRefusedException.class, () -> l.append(jumpAccepted(LATEST, later, " ")));
      long i = l.append(jumpAccepted(LATEST, later, "archive idle over the holidays"));
      assertEquals(1, i);
      assertEquals(2, l.append(viewed(later.plusSeconds(5), "cam/x")));
      // the acceptance is in the log for an auditor, named and with its reason
      LedgerEntry logged = l.entry(1);
      assertEquals("admin-1", logged.actor());
      assertEquals("archive idle over the holidays", logged.details().get("reason"));
    }
  }

  @Test
  void conditionalBulkAndAsyncAppendsAreBoundedToo() throws Exception {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = ledgerWithOneEntry(store);
      Instant ahead = LATEST.plus(Duration.ofDays(400));
      assertThrows(
          EntryTimeRefusedException.class, () -> l.appendIf(viewed(ahead, "cam/a"), v -> true));
      // a bulk append is refused whole: the honest entry before the bad one is not logged either
      assertThrows(
          EntryTimeRefusedException.class,
          () -> l.appendAll(List.of(viewed(LATEST, "cam/b"), viewed(ahead, "cam/c"))));
      assertThrows(
          EntryTimeRefusedException.class,
          () ->
              l.appendAllIf(
                  List.of(viewed(LATEST, "cam/d"), viewed(ahead, "cam/e")),
                  List.of(v -> true, v -> true)));
      CompletableFuture<Long> f = l.appendAsync(viewed(ahead, "cam/f"));
      ExecutionException e = assertThrows(ExecutionException.class, f::get);
      assertTrue(e.getCause() instanceof EntryTimeRefusedException, e.getCause().toString());
      assertEquals(1, l.size());
      // an entry refused beside honest ones in one group commit fails alone
      CompletableFuture<Long> bad = l.appendAsync(viewed(ahead, "cam/g"));
      CompletableFuture<Long> good = l.appendAsync(viewed(LATEST.plusSeconds(1), "cam/h"));
      assertEquals(1L, good.get());
      assertThrows(ExecutionException.class, bad::get);
      // a rejected condition is still empty, not a refusal
      OptionalLong none = l.appendIf(viewed(LATEST, "cam/i"), v -> false);
      assertTrue(none.isEmpty());
    }
  }

  @Test
  void aLedgerOpenedFromACheckpointBoundsByItsLatestEntry() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = ledgerWithOneEntry(store);
      l.append(viewed(LATEST.plus(Duration.ofDays(20)), "cam/later"));
      l.checkpoint(
          org.evidencekit.trust.SigningKeys.generate(org.evidencekit.trust.SignatureSuite.ED25519));
      EvidenceLedger fromCheckpoint = EvidenceLedger.openFromCheckpoint(store, YEARS_ON);
      Instant behind = LATEST.plus(Duration.ofDays(19));
      assertThrows(
          EntryTimeRefusedException.class,
          () -> fromCheckpoint.append(viewed(behind, "cam/behind")));
      fromCheckpoint.append(viewed(LATEST.plus(Duration.ofDays(50)), "cam/within"));
      assertEquals(3, fromCheckpoint.size());
    }
  }

  /** A writer that had not read another's acceptance of a jump is not refused for it. */
  @Test
  void aJumpAcceptedByAnotherWriterIsTakenByOneThatHadNotLookedYet() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger stale = ledgerWithOneEntry(store);
      EvidenceLedger other = EvidenceLedger.open(store, YEARS_ON);
      Instant later = LATEST.plus(Duration.ofDays(60));
      other.append(jumpAccepted(LATEST, later, "station restored, clock checked"));
      assertEquals(2, stale.append(viewed(later, "cam/x")));
      assertEquals(
          List.of(OptionalLong.of(3)),
          stale.appendAllIf(List.of(viewed(later, "cam/y")), List.of(v -> true)));
    }
  }

  /**
   * A disposition stopped between its tombstone and its entry is completed by a later run, which
   * logs the tombstone at its own time, hours behind what was logged meanwhile: taken. Ahead, such
   * records are bounded as every entry is.
   */
  @Test
  void aRecordLoggedAtItsOwnTimeMayTrailButNotJump() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = ledgerWithOneEntry(store);
      l.append(viewed(LATEST.plus(Duration.ofHours(5)), "cam/meanwhile"));
      java.util.function.Function<Instant, LedgerEntry> disposed =
          at ->
              LedgerEntry.builder()
                  .type(EntryType.DISPOSED)
                  .time(at)
                  .actor("executor-1")
                  .subject("recording-1")
                  .details(Map.of("plan", "p", "objectKey", "cam/first.mp4"))
                  .build();
      assertEquals(2, l.append(disposed.apply(LATEST)));
      Instant ahead = LATEST.plus(Duration.ofDays(400));
      assertThrows(EntryTimeRefusedException.class, () -> l.append(disposed.apply(ahead)));
      // a custody event so far behind is not a record's completion: refused
      assertThrows(EntryTimeRefusedException.class, () -> l.append(viewed(LATEST, "cam/late")));
    }
  }

  @Test
  void anEmptyLedgerTakesAFirstTimeLongPast() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, YEARS_ON);
      assertEquals(0, l.append(viewed(Instant.parse("2019-01-01T00:00:00Z"), "cam/old")));
    }
  }
}
