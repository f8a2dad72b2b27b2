package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.evidencekit.internal.io.ChannelIo;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's time has anchors, not just neighbours: the clock the ledger is
 * given bounds every entry (the first one set the time unchecked: one stamped in 3026 locked the
 * archive), an acceptance of a jump names the jump it accepts (any reason let any time through), a
 * record logged at its own time is not dated before what it concerns, and {@code verify} judges
 * stored entries by the same rules (a ledger file written around the library was intact).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EntryTimeAnchorsTest {
  static final Instant NOW = Instant.parse("2026-03-01T01:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  @TempDir Path dir;

  static LedgerEntry viewed(Instant time, String subject) {
    return EntryTimeBoundsTest.viewed(time, subject);
  }

  static LedgerEntry jumpAccepted(Instant from, Instant to) {
    return EntryTimeBoundsTest.jumpAccepted(from, to, "station restored, clock checked");
  }

  static LedgerEntry sealed(Instant time, String key) {
    return LedgerEntry.builder()
        .type(EntryType.SEALED)
        .time(time)
        .actor("station-1")
        .subject(key)
        .build();
  }

  static LedgerEntry disposed(Instant time, String key) {
    return LedgerEntry.builder()
        .type(EntryType.DISPOSED)
        .time(time)
        .actor("executor-1")
        .subject("recording-1")
        .details(Map.of("plan", "p", "objectKey", key))
        .build();
  }

  @Test
  void theFirstEntryIsBoundedByTheClock() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      Instant year3026 = Instant.parse("3026-01-01T00:00:00Z");
      EntryTimeRefusedException e =
          assertThrows(
              EntryTimeRefusedException.class, () -> l.append(viewed(year3026, "cam/a.mp4")));
      assertTrue(e.getMessage().contains("after the clock's reading " + NOW), e.getMessage());
      assertEquals(0, l.size());
      // another station's time up to two minutes ahead is taken, as the trusted clock answers it
      assertEquals(0, l.append(viewed(NOW.plus(Duration.ofMinutes(2)), "cam/b.mp4")));
    }
  }

  @Test
  void noAcceptanceTakesAnEntryIntoTheClocksFuture() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      Instant start = NOW.minus(Duration.ofDays(100));
      l.append(viewed(start, "cam/a.mp4"));
      Instant future = NOW.plus(Duration.ofDays(400));
      assertThrows(EntryTimeRefusedException.class, () -> l.append(jumpAccepted(start, future)));
      assertThrows(
          EntryTimeRefusedException.class,
          () -> l.appendAll(List.of(jumpAccepted(start, NOW), viewed(future, "cam/c.mp4"))));
      assertEquals(1, l.size());
      // a jump to the clock's time, named, is the honest one
      assertEquals(1, l.append(jumpAccepted(start, NOW)));
    }
  }

  /**
   * An acceptance every 31 days, each with an entry at its end, walked the ledger to any date; now
   * the walk stops at the clock.
   */
  @Test
  void aWalkOfAcceptedJumpsStopsAtTheClock() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      Instant t = NOW.minus(Duration.ofDays(100));
      l.append(viewed(t, "cam/a.mp4"));
      int steps = 0;
      while (true) {
        Instant to = t.plus(Duration.ofDays(32));
        try {
          l.append(jumpAccepted(t, to));
        } catch (EntryTimeRefusedException e) {
          break;
        }
        l.append(viewed(to, "cam/" + steps));
        t = to;
        steps++;
        assertTrue(steps < 10, "the walk passed the clock");
      }
      assertEquals(3, steps); // 100 days before the clock: three steps of 32 days, not a fourth
      assertFalse(l.view().latestTime().orElseThrow().isAfter(NOW));
    }
  }

  @Test
  void anAcceptanceMustNameTheJumpItAccepts() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      Instant start = NOW.minus(Duration.ofDays(100));
      l.append(viewed(start, "cam/a.mp4"));
      Instant to = NOW.minus(Duration.ofDays(1));
      // from a time the ledger never held
      EntryTimeRefusedException e =
          assertThrows(
              EntryTimeRefusedException.class,
              () -> l.append(jumpAccepted(start.minus(Duration.ofDays(30)), to)));
      assertTrue(e.getMessage().contains("does not name the jump"), e.getMessage());
      assertTrue(e.getMessage().contains("latest entry is at " + start), e.getMessage());
      // to another time than its own
      assertThrows(
          EntryTimeRefusedException.class,
          () ->
              l.append(
                  LedgerEntry.builder()
                      .type(EntryType.CLOCK_JUMP_ACCEPTED)
                      .time(to)
                      .actor("admin-1")
                      .subject("trusted-clock")
                      .details(
                          Map.of("from", start.toString(), "to", NOW.toString(), "reason", "idle"))
                      .build()));
      // naming no times at all, a reason only (what was enough before)
      assertThrows(
          EntryTimeRefusedException.class,
          () ->
              l.append(
                  LedgerEntry.builder()
                      .type(EntryType.CLOCK_JUMP_ACCEPTED)
                      .time(to)
                      .actor("admin-1")
                      .subject("trusted-clock")
                      .details(Map.of("reason", "idle"))
                      .build()));
      assertEquals(1, l.size());
      // named, it lets through the entries at about its time, and only those
      assertEquals(1, l.append(jumpAccepted(start, to)));
      assertEquals(2, l.append(viewed(to.plusSeconds(5), "cam/b.mp4")));
      assertThrows(
          EntryTimeRefusedException.class,
          () -> l.append(viewed(to.minus(Duration.ofDays(50)), "cam/c.mp4")));
    }
  }

  @Test
  void aRecordIsNotDatedBeforeTheSealOfWhatItConcerns() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      Instant opened = NOW.minus(Duration.ofDays(230));
      l.append(viewed(opened, "cam/first.mp4"));
      Instant sealedAt = NOW.minus(Duration.ofDays(200));
      l.append(sealed(sealedAt, "cam/rec.mp4"));
      l.append(viewed(NOW.minus(Duration.ofDays(175)), "cam/meanwhile.mp4"));
      // a disposal dated before the recording was sealed: backdated
      EntryTimeRefusedException e =
          assertThrows(
              EntryTimeRefusedException.class,
              () -> l.append(disposed(sealedAt.minus(Duration.ofDays(1)), "cam/rec.mp4")));
      assertTrue(e.getMessage().contains("sealed entry of cam/rec.mp4"), e.getMessage());
      // a record of a recording the ledger never sealed, dated before the ledger's first entry
      assertThrows(
          EntryTimeRefusedException.class,
          () -> l.append(disposed(opened.minus(Duration.ofDays(1)), "cam/unknown.mp4")));
      assertEquals(3, l.size());
      // completed late by another run, at its own time after the seal: taken, as before
      assertEquals(3, l.append(disposed(sealedAt.plus(Duration.ofDays(20)), "cam/rec.mp4")));
    }
  }

  /** Entries written as a batch object around the library, as an attacker with the store would. */
  private static void writeRaw(FileSystemEvidenceStore store, long first, LedgerEntry... entries)
      throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    for (LedgerEntry e : entries) {
      buf.write(e.canonical());
      buf.write('\n');
    }
    ChannelIo.put(store, EvidenceLedger.batchKey(first), buf.toByteArray());
  }

  @Test
  void verifyNamesAnEntryWrittenAroundTheLibrary() throws IOException {
    Instant t = NOW.minus(Duration.ofDays(100));
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      writeRaw(
          store,
          0,
          viewed(t, "cam/a.mp4"),
          viewed(t.plusSeconds(60), "cam/b.mp4"),
          // backdated a year
          viewed(t.minus(Duration.ofDays(365)), "cam/c.mp4"),
          // a jump of 60 days accepted with a reason only
          LedgerEntry.builder()
              .type(EntryType.CLOCK_JUMP_ACCEPTED)
              .time(t.plus(Duration.ofDays(60)))
              .actor("admin-1")
              .subject("trusted-clock")
              .details(Map.of("reason", "because"))
              .build(),
          viewed(t.plus(Duration.ofDays(60)).plusSeconds(1), "cam/d.mp4"),
          // stamped in 3026
          viewed(Instant.parse("3026-01-01T00:00:00Z"), "cam/e.mp4"),
          viewed(t.plus(Duration.ofDays(60)).plusSeconds(2), "cam/f.mp4"));
      LedgerReport r = EvidenceLedger.open(store, CLOCK).verify(TrustAnchors.none());
      List<Finding> f = r.findings(LedgerFindingCode.ENTRY_TIME_REFUSED);
      assertEquals(3, f.size(), f.toString());
      assertTrue(f.get(0).message().startsWith("entry 2: "), f.toString());
      assertTrue(f.get(1).message().startsWith("entry 3: "), f.toString());
      assertTrue(f.get(1).message().contains("does not name the jump"), f.toString());
      // the entry in 3026 is named alone: the ones after it are judged as if it were not there
      assertTrue(f.get(2).message().startsWith("entry 5: "), f.toString());
      assertTrue(f.get(2).message().contains("after the clock's reading"), f.toString());
      assertEquals(Verdict.INCONCLUSIVE, r.verdict());
      assertEquals(7, r.size());
    }
  }

  @Test
  void verifyFindsNothingInALedgerTheLibraryWrote() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      Instant t = NOW.minus(Duration.ofDays(100));
      l.append(viewed(t, "cam/a.mp4"));
      l.append(sealed(t.plusSeconds(10), "cam/rec.mp4"));
      l.append(jumpAccepted(t.plusSeconds(10), t.plus(Duration.ofDays(50))));
      l.append(viewed(t.plus(Duration.ofDays(50)).minusSeconds(100), "cam/b.mp4"));
      l.append(disposed(t.plus(Duration.ofDays(1)), "cam/rec.mp4"));
      LedgerReport r = l.verify(TrustAnchors.none());
      assertTrue(r.intact(), r.findings().toString());
    }
  }

  @Test
  void verifyNamesTwentyAndCountsTheRest() throws IOException {
    Instant t = NOW.minus(Duration.ofDays(1000));
    LedgerEntry[] entries = new LedgerEntry[31];
    entries[0] = viewed(t.plus(Duration.ofDays(900)), "cam/late.mp4");
    for (int i = 1; i < entries.length; i++) {
      entries[i] = viewed(t.plusSeconds(i), "cam/" + i);
    }
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      writeRaw(store, 0, entries);
      List<Finding> f =
          EvidenceLedger.open(store, CLOCK)
              .verify(TrustAnchors.none())
              .findings(LedgerFindingCode.ENTRY_TIME_REFUSED);
      assertEquals(EntryTimeRules.Audit.NAMED + 1, f.size());
      assertTrue(f.get(f.size() - 1).message().startsWith("10 more entries"), f.toString());
    }
  }
}
