package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The trusted clock (R-16, Art. 19): anchored, never backwards, jumps named and ledgered. */
class HighWaterMarkClockTest {
  @TempDir Path dir;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration BOUND = Duration.ofDays(31);

  /**
   * A named pipe where the mark file belongs is refused at the first reading, naming the file:
   * `evidence ingest --clock-mark PIPE` waited for a writer until killed.
   */
  @Test
  // a thread blocked opening a pipe cannot be interrupted: the test's own thread times out
  @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPipeGivenAsTheMarkFileIsRefusedWithoutWaiting() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    Path mark = dir.resolve("mark");
    Process mk = new ProcessBuilder("mkfifo", mark.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    ClockRefusedException e = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(e.getMessage().contains(mark.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  /**
   * A symbolic link where the mark file belongs is refused like a pipe, and left as it is: one
   * whose target is missing read as "no mark yet" and the first mark replaced the link with a
   * regular file.
   */
  @Test
  void aSymbolicLinkGivenAsTheMarkFileIsRefusedAndLeftAsItIs() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    Path mark = dir.resolve("mark");
    Path target = dir.resolve("elsewhere/mark");
    Files.createSymbolicLink(mark, target);
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    ClockRefusedException e =
        assertThrows(
            ClockRefusedException.class,
            () -> c.initialiseOnFirstReading("records-officer", "new station"));
    assertTrue(e.getMessage().contains(mark.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertTrue(Files.isSymbolicLink(mark), "the link is left as it is");
    assertFalse(Files.exists(target));
    assertThrows(ClockRefusedException.class, () -> c.initialise("records-officer", "new"));
    assertThrows(ClockRefusedException.class, c::now);
    assertTrue(Files.isSymbolicLink(mark));
    assertFalse(Files.exists(target));
    assertEquals(0, ledger.size(), "nothing vouched for");
    // a link to a mark that is there is refused too: its target would be left behind, stale
    Files.createDirectories(target.getParent());
    Files.writeString(target, T0 + "\n");
    ClockRefusedException linked =
        assertThrows(
            ClockRefusedException.class,
            () -> HighWaterMarkClock.anchored(wall, ledger, mark, BOUND).now());
    assertTrue(linked.getMessage().contains("symbolic link"), linked.getMessage());
    assertTrue(Files.isSymbolicLink(mark));
  }

  @Test
  void withoutAnAnchorItRefusesUntilANamedPersonInitialisesIt() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    Path mark = dir.resolve("mark");
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    ClockRefusedException none = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(none.getMessage().contains("no anchor"), none.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.initialise(" ", "new station"));
    assertThrows(IllegalArgumentException.class, () -> c.initialise("records-officer", ""));
    assertEquals(T0, c.initialise("records-officer", "new station, time checked by phone"));
    LedgerEntry e = ledger.entry(0);
    assertEquals(EntryType.CLOCK_INITIALISED, e.type());
    assertEquals("records-officer", e.actor());
    assertEquals(T0, c.now());
    assertThrows(IllegalStateException.class, () -> c.initialise("someone", "again"));
  }

  /**
   * A vouching named up front is checked at once and recorded at the first reading only: a command
   * refused before it reads the time leaves neither a ledger entry nor a mark. The CLI's
   * {@code --init-clock-by} initialised the clock before the command it served was refused.
   */
  @Test
  void aVouchingNamedUpFrontIsRecordedAtTheFirstReadingOnly() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    Path mark = dir.resolve("mark");
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    assertThrows(IllegalArgumentException.class, () -> c.initialiseOnFirstReading(" ", "r"));
    assertThrows(
        ClockRefusedException.class, () -> c.acceptJumpOnFirstReading("admin-1", "no anchor"));
    c.initialiseOnFirstReading("records-officer", "new station");
    assertEquals(0, ledger.size(), "nothing recorded before the time is read");
    assertFalse(Files.exists(mark));
    assertEquals(Optional.empty(), c.anchor());
    // a clock made again (the next command) still has no anchor: the vouching died with the first
    HighWaterMarkClock next = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    assertThrows(ClockRefusedException.class, next::now);
    assertEquals(0, ledger.size());

    wall.advance(Duration.ofSeconds(5));
    assertEquals(T0.plusSeconds(5), c.now());
    assertEquals(1, ledger.size());
    LedgerEntry e = ledger.entry(0);
    assertEquals(EntryType.CLOCK_INITIALISED, e.type());
    assertEquals("records-officer", e.actor());
    assertEquals(T0.plusSeconds(5), e.time());
    wall.advance(Duration.ofSeconds(1));
    assertEquals(T0.plusSeconds(6), c.now());
    assertEquals(1, ledger.size(), "recorded once");
    assertThrows(IllegalStateException.class, () -> c.initialiseOnFirstReading("someone", "again"));

    // a jump accepted up front: recorded with the reading that needs it, not before
    wall.advance(Duration.ofDays(40));
    assertThrows(ClockRefusedException.class, c::now);
    c.acceptJumpOnFirstReading("admin-1", "archive idle over the holidays");
    assertEquals(1, ledger.size());
    Instant jumped = wall.instant();
    assertEquals(jumped, c.now());
    assertEquals(2, ledger.size());
    assertEquals(EntryType.CLOCK_JUMP_ACCEPTED, ledger.entry(1).type());
    assertEquals("admin-1", ledger.entry(1).actor());
    assertEquals(jumped, ledger.entry(1).time());
  }

  /**
   * An acceptance with no jump to accept logs nothing and says why: named up front it is not
   * pending, one whose jump is gone by the reading is dropped, and a direct one is refused. It was
   * logged as {@code clock-jump-accepted} whatever the clock read.
   */
  @Test
  void anAcceptanceWithNoJumpToAcceptLogsNothing() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(T0)
            .actor("station")
            .subject("rec/A.mp4")
            .build());
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, dir.resolve("mark"), BOUND);
    wall.advance(Duration.ofDays(3));
    Optional<String> why = c.acceptJumpOnFirstReading("admin-1", "just in case");
    assertTrue(why.isPresent());
    assertTrue(why.get().contains("no clock jump to accept"), why.get());
    assertTrue(why.get().contains("within 31 days"), why.get());
    assertEquals(wall.instant(), c.now());
    assertEquals(1, ledger.size(), "no clock-jump-accepted entry");
    IllegalStateException direct =
        assertThrows(IllegalStateException.class, () -> c.acceptJump("admin-1", "just in case"));
    assertTrue(direct.getMessage().contains("nothing is logged"), direct.getMessage());
    assertEquals(1, ledger.size());
    // pending while there was a jump, gone by the reading (another station's person accepted the
    // same jump first, which moved the anchor): dropped, not logged. (The other station's entry
    // was an ingest 40 days ahead, which the ledger itself now refuses without an acceptance.)
    wall.advance(Duration.ofDays(40));
    assertEquals(Optional.empty(), c.acceptJumpOnFirstReading("admin-1", "station was off"));
    HighWaterMarkClock.anchored(wall, ledger, dir.resolve("mark-2"), BOUND)
        .acceptJump("admin-2", "station 2 checked against NTP");
    assertEquals(wall.instant(), c.now());
    assertEquals(2, ledger.size(), "the acceptance of a jump no longer there is not logged");
    assertEquals("admin-2", ledger.entry(1).actor());
  }

  /**
   * A bound over the ledger's own (31 days) vouched for times the ledger refuses to log, and saw no
   * jump for anyone to accept: refused when the clock is made.
   */
  @Test
  void aBoundOverTheLedgersOwnIsRefused() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> HighWaterMarkClock.anchored(wall, ledger, dir.resolve("m"), BOUND.plusDays(1)));
    assertTrue(e.getMessage().contains("at most"), e.getMessage());
    HighWaterMarkClock.anchored(wall, ledger, dir.resolve("m"), BOUND); // 31 days: taken
  }

  @Test
  void deletingTheMarkDoesNotForgetTheLedgerSoA13YearJumpIsRefused() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(T0)
            .actor("station")
            .subject("rec/A.mp4")
            .build());
    Path mark = dir.resolve("mark");
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    wall.advance(Duration.ofDays(1));
    assertEquals(wall.instant(), c.now());
    Files.delete(mark);
    wall.set(T0.plus(Duration.ofDays(13 * 366)));
    HighWaterMarkClock fresh = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    ClockRefusedException jump = assertThrows(ClockRefusedException.class, fresh::now);
    assertTrue(jump.getMessage().contains("accept the jump"), jump.getMessage());
    assertTrue(jump.getMessage().contains("(bound 31 days)"), jump.getMessage()); // not PT744H
  }

  /**
   * The mark is a local file anyone who can write it could set: written two years ahead of the
   * ledger's latest entry, with the station's clock wound to match, it made a two-year jump a
   * reading within the bound of the "last trusted time", vouched for without a named acceptance, so
   * a plan made then found two years' recordings disposable. A jump is measured from the
   * ledger's latest entry; the mark only keeps the clock from running backwards.
   */
  @Test
  void aMarkWrittenAheadOfTheLedgerDoesNotCarryAJumpPastTheBound() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(T0)
            .actor("station")
            .subject("rec/A.mp4")
            .build());
    Path mark = dir.resolve("mark");
    Instant twoYears = T0.plus(Duration.ofDays(731));
    Files.writeString(mark, twoYears.minus(Duration.ofDays(1)) + "\n", StandardCharsets.US_ASCII);
    wall.set(twoYears);
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    ClockRefusedException jump = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(jump.getMessage().contains("accept the jump"), jump.getMessage());
    assertTrue(jump.getMessage().contains(T0.toString()), jump.getMessage());
    assertEquals(1, ledger.size(), "nothing vouched, nothing logged");
    // the mark still keeps the clock from going below it
    wall.set(twoYears.minus(Duration.ofDays(2)));
    ClockRefusedException back = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(back.getMessage().contains("backwards"), back.getMessage());
    // a named acceptance is the way forward, and the ledger says who jumped from where
    wall.set(twoYears);
    c.acceptJump("admin-1", "station clock checked against NTP after a long shutdown");
    LedgerEntry e = ledger.entry(ledger.size() - 1);
    assertEquals(EntryType.CLOCK_JUMP_ACCEPTED, e.type());
    assertEquals(T0.toString(), e.details().get("from"));
  }

  /**
   * Readings that log nothing raise the mark, and each was measured from the mark: a clock wound
   * forward 30 days at a time, one reading after each, walked past any bound without a named
   * acceptance. Measured from the ledger's latest entry, the second step is refused.
   */
  @Test
  void readingsThatLogNothingDoNotWalkTheClockPastTheBound() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(T0)
            .actor("station")
            .subject("rec/A.mp4")
            .build());
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, dir.resolve("m"), BOUND);
    wall.advance(Duration.ofDays(30));
    assertEquals(wall.instant(), c.now());
    wall.advance(Duration.ofDays(30));
    ClockRefusedException jump = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(jump.getMessage().contains("accept the jump"), jump.getMessage());
    // what the ledger logs moves the base: a station at work is never asked (its entries follow
    // one another within the bound, which the ledger itself holds them to: the entry here was
    // 59 days after the latest one, an unaccepted jump the ledger now refuses)
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(T0.plus(Duration.ofDays(29)))
            .actor("station")
            .subject("rec/B.mp4")
            .build());
    assertEquals(wall.instant(), c.now());
  }

  @Test
  void backwardsIsRefusedAndAJumpNeedsANamedPersonAndAReasonRecordedInTheLedger() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(T0)
            .actor("station")
            .subject("rec/A.mp4")
            .build());
    Path mark = dir.resolve("mark");
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    // (up to two minutes behind is another station's clock: the anchor's time is answered)
    wall.set(T0.minus(Duration.ofMinutes(2)).minusSeconds(1));
    ClockRefusedException back = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(back.getMessage().contains("backwards"), back.getMessage());
    assertThrows(ClockRefusedException.class, () -> c.acceptJump("op", "trust me"));
    wall.set(T0.plus(Duration.ofDays(200)));
    assertThrows(ClockRefusedException.class, c::now);
    assertThrows(IllegalArgumentException.class, () -> c.acceptJump("", "station was off"));
    assertThrows(IllegalArgumentException.class, () -> c.acceptJump("op-7", " "));
    c.acceptJump("op-7", "station was switched off for the summer");
    assertEquals(wall.instant(), c.now());
    LedgerEntry e = ledger.entry(ledger.size() - 1);
    assertEquals(EntryType.CLOCK_JUMP_ACCEPTED, e.type());
    assertEquals("op-7", e.actor());
    assertEquals(T0.toString(), e.details().get("from"));
    assertEquals(wall.instant().toString(), e.details().get("to"));
    assertEquals("station was switched off for the summer", e.details().get("reason"));
  }

  @Test
  void itNeverAnswersBelowALedgerTimeItSawLater() throws Exception {
    MutableClock wall = new MutableClock(T0);
    InMemoryEvidenceStore store = new InMemoryEvidenceStore(wall);
    EvidenceLedger ledger = EvidenceLedger.open(store, wall);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(T0)
            .actor("station")
            .subject("rec/A.mp4")
            .build());
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, dir.resolve("m"), BOUND);
    assertEquals(T0, c.now());
    // another station, its clock an hour ahead of this one, appends an entry at its time (this
    // station's ledger would refuse an entry an hour past its own clock); this one reads it
    Instant ahead = T0.plus(Duration.ofHours(1));
    EvidenceLedger.open(store, java.time.Clock.fixed(ahead, java.time.ZoneOffset.UTC))
        .append(
            LedgerEntry.builder()
                .type(EntryType.INGESTED)
                .time(ahead)
                .actor("st2")
                .subject("rec/B.mp4")
                .build());
    ledger.refresh();
    wall.advance(Duration.ofMinutes(5));
    assertThrows(ClockRefusedException.class, c::now);
    wall.set(ahead);
    assertEquals(ahead, c.now());
  }

  /**
   * Two honest stations whose clocks are 90 seconds apart: once the one ahead logged, every reading
   * of the one behind was refused as a clock that ran backwards until its own clock caught up, now
   * that appends, exports and spot-checks read the trusted clock too. Within two minutes (the
   * ingest station's tolerance) the ledger's time is taken, never an earlier one; further behind is
   * still refused.
   */
  @Test
  void aStationTwoMinutesBehindAnotherTakesTheLedgersTimeNotARefusal() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(T0)
            .actor("station")
            .subject("rec/A.mp4")
            .build());
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, dir.resolve("m"), BOUND);
    assertEquals(T0, c.now());
    Instant other = T0.plus(Duration.ofSeconds(90));
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.INGESTED)
            .time(other)
            .actor("st2")
            .subject("rec/B.mp4")
            .build());
    wall.advance(Duration.ofSeconds(10));
    assertEquals(other, c.now(), "80 s behind the other station: the ledger's time");
    wall.advance(Duration.ofSeconds(30));
    assertEquals(other, c.now(), "behind its own mark by less than two minutes too");
    wall.set(other.plus(Duration.ofSeconds(5)));
    assertEquals(other.plus(Duration.ofSeconds(5)), c.now(), "its own time once it caught up");
    wall.set(other.plus(Duration.ofSeconds(5)).minus(Duration.ofMinutes(3)));
    ClockRefusedException e = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(e.getMessage().contains("ran backwards"), e.getMessage());
    assertEquals(2, ledger.size(), "nothing logged");
  }

  @Test
  void aDamagedMarkIsRefusedNotIgnored() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    Path mark = dir.resolve("mark");
    Files.write(mark, "yesterday".getBytes(StandardCharsets.US_ASCII));
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    assertTrue(assertThrows(ClockRefusedException.class, c::now).getMessage().contains("damaged"));
    assertEquals(List.of(), ledger.entries());
  }

  @Test
  void anOversizedMarkIsRefusedUnreadNotLoadedWhole() throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceLedger ledger = EvidenceLedger.open(new InMemoryEvidenceStore(wall), wall);
    Path mark = dir.resolve("mark");
    // a valid mark padded past the bound with spaces (which a read would trim) is still refused
    String good = T0 + "\n";
    Files.writeString(
        mark, good + " ".repeat(HighWaterMarkClock.MAX_MARK_BYTES + 1 - good.length()));
    HighWaterMarkClock c = HighWaterMarkClock.anchored(wall, ledger, mark, BOUND);
    ClockRefusedException e = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(
        e.getMessage().contains(mark.toString())
            && e.getMessage().contains(String.valueOf(HighWaterMarkClock.MAX_MARK_BYTES)),
        e.getMessage());
    // 4 GiB (sparse): read whole, it was an OutOfMemoryError
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(mark.toFile(), "rw")) {
      f.setLength(4L << 30);
    }
    e = assertThrows(ClockRefusedException.class, c::now);
    assertTrue(e.getMessage().contains(mark.toString()), e.getMessage());
    assertEquals(List.of(), ledger.entries());
    // at the bound it is read as before
    Files.writeString(mark, good + " ".repeat(HighWaterMarkClock.MAX_MARK_BYTES - good.length()));
    assertEquals(T0, c.now());
  }
}
