package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ledger append} and {@code ledger ingest} time their entries by the trusted clock (R-14,
 * they stamped the wall clock, so one append with the clock wound forward moved the
 * ledger's latest time ahead and the next ingest or disposition measured its jump from that forged
 * time, undoing the clock's check.
 */
class LedgerClockCliTest {
  @TempDir Path dir;

  String store;
  String mark;

  /** A store whose ledger's latest entry is 60 days old: as if the wall clock was wound 60 days. */
  @BeforeEach
  void aLedgerLastWritten60DaysAgo() throws IOException {
    store = dir.resolve("store").toString();
    mark = dir.resolve("clock-mark").toString();
    Files.createDirectories(Path.of(store));
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      EvidenceLedger.open(st, Clock.systemUTC())
          .append(
              LedgerEntry.builder()
                  .type(EntryType.VIEWED)
                  .time(Instant.now().minus(Duration.ofDays(60)))
                  .actor("o-1")
                  .subject("CAM-7/old.mp4")
                  .build());
    }
  }

  private List<LedgerEntry> entries() throws IOException {
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      EvidenceLedger l = EvidenceLedger.open(st, Clock.systemUTC());
      List<LedgerEntry> out = new ArrayList<>();
      for (long i = 0; i < l.size(); i++) {
        out.add(l.entry(i));
      }
      return out;
    }
  }

  private String[] append(String type, String... more) {
    String[] base = {
      "ledger",
      "append",
      store,
      "--clock-mark",
      mark,
      "--type",
      type,
      "--actor",
      "o-9",
      "--subject",
      "CAM-7/old.mp4"
    };
    String[] out = Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, out, base.length, more.length);
    return out;
  }

  /**
   * {@code evidence ingest} without {@code --clock-mark} stamped its sealed entries with the wall
   * clock however far past the ledger's latest entry, so a station wound forward moved that time on
   * and the next disposition's trusted clock, measured from it, needed no acceptance.
   */
  @Test
  void ingestOnTheWallClockFarPastTheLedgerIsRefusedUntilAJumpIsAccepted() throws IOException {
    List<LedgerEntry> before = entries();
    Path dcim = Files.createDirectories(dir.resolve("dcim"));
    Files.write(dcim.resolve("DEVCAM8_20240101_100001_001.mp4"), new byte[4096]);
    String[] ingest = {"ingest", dcim.toString(), "--store", store, "--device", "DEVCAM8"};
    String[] officer = {"--officer", "p-1"};
    String[] plain = Arrays.copyOf(ingest, ingest.length + 2);
    System.arraycopy(officer, 0, plain, ingest.length, 2);
    CliTest.Run r = run(plain);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("after the latest time in the ledger"), r.err());
    assertTrue(r.err().contains("no trusted clock vouches for it"), r.err());
    assertTrue(r.err().contains("--accept-clock-jump-by NAME --clock-reason TEXT"), r.err());
    assertEquals(before, entries(), "nothing logged");

    // the honest station idle 60 days: a named person accepts the jump, which the ledger records
    String[] vouched = Arrays.copyOf(plain, plain.length + 6);
    String[] accept = {
      "--clock-mark", mark, "--accept-clock-jump-by", "admin-1", "--clock-reason", "idle 60 days"
    };
    System.arraycopy(accept, 0, vouched, plain.length, accept.length);
    r = run(vouched);
    assertTrue(r.code() == 0 || r.code() == 1, r.out() + r.err());
    List<LedgerEntry> after = entries();
    assertEquals(EntryType.CLOCK_JUMP_ACCEPTED, after.get(1).type(), after.toString());
    assertEquals("admin-1", after.get(1).actor());
    assertTrue(after.stream().anyMatch(e -> e.type().equals(EntryType.SEALED)), after.toString());
  }

  /**
   * A station's clock an hour behind the ledger (another station's entry, stamped ahead) was
   * refused with the advice to have the jump accepted; {@code --accept-clock-jump-by} then said "no
   * clock jump to accept" and the run was refused again: no acceptance moves a ledger's time back
   * . The one line now says only to set the clock right.
   */
  @Test
  void aClockBehindTheLedgerIsToldToBeSetRightNotToHaveAJumpAccepted() throws IOException {
    Path ahead = Files.createDirectories(dir.resolve("ahead"));
    try (EvidenceStore st = FileSystemEvidenceStore.open(ahead, Clock.systemUTC())) {
      // logged by a station whose clock is an hour ahead (the ledger takes no entry past its clock)
      EvidenceLedger.open(st, Clock.offset(Clock.systemUTC(), Duration.ofHours(1)))
          .append(
              LedgerEntry.builder()
                  .type(EntryType.VIEWED)
                  .time(Instant.now().plus(Duration.ofHours(1)))
                  .actor("o-1")
                  .subject("CAM-7/old.mp4")
                  .build());
    }
    Path dcim = Files.createDirectories(dir.resolve("dcim"));
    Files.write(dcim.resolve("DEVCAM8_20240101_100001_001.mp4"), new byte[4096]);
    CliTest.Run r =
        run(
            "ingest",
            dcim.toString(),
            "--store",
            ahead.toString(),
            "--device",
            "DEVCAM8",
            "--officer",
            "p-1");
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("before the latest time in the ledger"), r.err());
    assertTrue(r.err().contains("set the clock right"), r.err());
    assertFalse(r.err().contains("--accept-clock-jump-by"), r.err());
    try (EvidenceStore st = FileSystemEvidenceStore.open(ahead, Clock.systemUTC())) {
      assertEquals(1, EvidenceLedger.open(st, Clock.systemUTC()).size(), "nothing logged");
    }
  }

  @Test
  void aClockWoundForwardIsRefusedUntilANamedPersonAcceptsTheJump() throws IOException {
    List<LedgerEntry> before = entries();
    CliTest.Run r = run(append(EntryType.VIEWED));
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("60 days after the ledger's latest entry"), r.err());
    assertTrue(r.err().contains("a named person must accept the jump"), r.err());
    assertEquals(before, entries(), "nothing appended");
    assertFalse(Files.exists(Path.of(mark)), "the mark did not move");

    // ledger ingest: refused before anything is stored
    byte[] b = new byte[5000];
    new Random(5).nextBytes(b);
    Path rec = dir.resolve("a.mp4");
    Files.write(rec, b);
    assertEquals(0, run("seal", rec.toString(), "--device", "CAM-7").code());
    String[] ingest = {
      "ledger",
      "ingest",
      store,
      rec.toString(),
      "--as",
      "CAM-7/a.mp4",
      "--actor",
      "in",
      "--clock-mark",
      mark
    };
    r = run(ingest);
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("a named person must accept the jump"), r.err());
    assertEquals(before, entries(), "nothing appended");
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      assertFalse(st.exists(ObjectKey.of("CAM-7/a.mp4")), "nothing stored");
      assertFalse(st.exists(ObjectKey.of("CAM-7/a.mp4.seal.json")), "no seal stored");
    }

    // accepted by a named person: the acceptance and the entry, at the one vouched time
    r =
        run(
            append(
                EntryType.VIEWED,
                "--accept-clock-jump-by",
                "admin-1",
                "--clock-reason",
                "clock checked against NTP"));
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals("2", r.out().strip());
    List<LedgerEntry> after = entries();
    assertEquals(3, after.size());
    LedgerEntry accepted = after.get(1);
    assertEquals(EntryType.CLOCK_JUMP_ACCEPTED, accepted.type());
    assertEquals("admin-1", accepted.actor());
    assertEquals("clock checked against NTP", accepted.details().get("reason"));
    assertEquals(EntryType.VIEWED, after.get(2).type());
    assertEquals(accepted.time(), after.get(2).time());

    // from there on the clock is within its bound: ingest goes ahead without anyone vouching
    r = run(ingest);
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals(EntryType.SEALED, entries().get(3).type());
  }

  /**
   * A bound over the ledger's own 31 days let the clock vouch for a time 60 days on that the ledger
   * refuses to log, and, within that bound, see no jump anyone could accept: a dead end. Refused as
   * an argument, nothing logged.
   */
  @Test
  void aBoundOverTheLedgersOwnIsRefused() throws IOException {
    List<LedgerEntry> before = entries();
    CliTest.Run r = run(append(EntryType.VIEWED, "--max-clock-jump-days", "90"));
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("--max-clock-jump-days must be 1 to 31"), r.err());
    assertEquals(before, entries(), "nothing appended");
    assertFalse(Files.exists(Path.of(mark)), "the mark did not move");
  }

  @Test
  void aStoreWithNoAnchorNeedsANamedInitialisation() throws IOException {
    String empty = dir.resolve("empty").toString();
    Files.createDirectories(Path.of(empty));
    String[] cmd = {
      "ledger",
      "append",
      empty,
      "--clock-mark",
      mark,
      "--type",
      "viewed",
      "--actor",
      "o-9",
      "--subject",
      "s"
    };
    CliTest.Run r = run(cmd);
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--init-clock-by NAME --clock-reason TEXT"), r.err());
    String[] init = Arrays.copyOf(cmd, cmd.length + 4);
    System.arraycopy(
        new String[] {"--init-clock-by", "admin-1", "--clock-reason", "new archive"},
        0,
        init,
        cmd.length,
        4);
    r = run(init);
    assertEquals(0, r.code(), r.out() + r.err());
    assertEquals("1", r.out().strip(), "entry 0 is the clock's initialisation");
  }

  /**
   * Entries with rules of their own (a reason and a named person, a recorded plan and two
   * approvals, a seal checked against its content) were appended with none of them: a {@code
   * hold-released} without a reason lifted a hold, a {@code clock-jump-accepted} moved the clock's
   * anchor. docs/ledger.md lists them as written by retention and the clock.
   */
  @Test
  void entriesWithRulesOfTheirOwnAreLeftToTheirCommands() throws IOException {
    List<LedgerEntry> before = entries();
    String[][] refused = {
      {EntryType.HOLD_RELEASED, "retention release"},
      {EntryType.HOLD_PLACED, "retention hold"},
      {EntryType.RETENTION_DECIDED, "evidence ingest"},
      {EntryType.DISPOSITION_PLANNED, "retention plan"},
      {EntryType.DISPOSITION_APPROVED, "retention plan"},
      {EntryType.DISPOSED, "retention plan"},
      {EntryType.DESTRUCTION_REGISTERED, "retention plan"},
      {EntryType.CLOCK_JUMP_ACCEPTED, "--accept-clock-jump-by"},
      {EntryType.CLOCK_INITIALISED, "--init-clock-by"},
      {EntryType.SEALED, "ledger ingest"}
    };
    for (String[] t : refused) {
      CliTest.Run r = run(append(t[0], "--detail", "reason=because", "--detail", "hold=hold-1"));
      assertEquals(2, r.code(), t[0] + ": " + r.out() + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().contains("'" + t[0] + "' entries"), r.err());
      assertTrue(r.err().contains(t[1]), t[0] + " names its command: " + r.err());
      assertEquals(before, entries(), t[0] + ": nothing appended");
    }
    assertFalse(Files.exists(Path.of(mark)), "refused before the clock was read");
  }

  /**
   * ledger export and spot-check log entries too (exported, spot-checked): timed by the trusted
   * clock as well, refused with the clock wound forward before anything is logged or written.
   */
  @Test
  void exportAndSpotCheckAreRefusedWithTheClockWoundForward() throws Exception {
    byte[] b = new byte[5000];
    new Random(7).nextBytes(b);
    Path rec = dir.resolve("b.mp4");
    Files.write(rec, b);
    assertEquals(0, run("seal", rec.toString(), "--device", "CAM-7").code());
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      EvidenceArchive.open(
              st, Clock.fixed(Instant.now().minus(Duration.ofDays(59)), ZoneOffset.UTC))
          .ingest("CAM-7/b.mp4", rec, Seal.read(dir.resolve("b.mp4.seal.json")), "in");
    }
    String key = dir.resolve("ledger.pem").toString();
    assertEquals(0, run("keygen", "-o", key, "--suite", "ed25519").code());
    List<LedgerEntry> before = entries();
    Path bundle = dir.resolve("b.bundle.json");
    CliTest.Run r =
        run(
            "ledger",
            "export",
            store,
            "CAM-7/b.mp4",
            "--clock-mark",
            mark,
            "--actor",
            "clerk",
            "--reason",
            "appeal",
            "--to",
            "court",
            "--key",
            key,
            "-o",
            bundle.toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("a named person must accept the jump"), r.err());
    assertFalse(Files.exists(bundle), "no bundle written");
    assertEquals(before, entries(), "nothing logged");

    String cp = dir.resolve("cp.note").toString();
    assertEquals(0, run("ledger", "checkpoint", store, "--key", key, "-o", cp).code());
    r =
        run(
            "spot-check",
            store,
            "--clock-mark",
            mark,
            "--count",
            "1",
            "--actor",
            "audit",
            "--checkpoint",
            cp);
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("a named person must accept the jump"), r.err());
    assertEquals(before, entries(), "nothing logged");
  }

  private Path sealed(String name) throws IOException {
    byte[] b = new byte[3000];
    new Random(name.hashCode()).nextBytes(b);
    Path rec = dir.resolve(name);
    Files.write(rec, b);
    assertEquals(0, run("seal", rec.toString(), "--device", "CAM-7").code());
    return rec;
  }

  private static List<LedgerEntry> entriesOf(Path store) throws IOException {
    try (EvidenceStore st = FileSystemEvidenceStore.open(store, Clock.systemUTC())) {
      EvidenceLedger l = EvidenceLedger.open(st, Clock.systemUTC());
      List<LedgerEntry> out = new ArrayList<>();
      for (long i = 0; i < l.size(); i++) {
        out.add(l.entry(i));
      }
      return out;
    }
  }

  /**
   * docs/cli.md's first ledger command, on a station whose mark an earlier archive's first run
   * wrote: the clock is anchored by that mark, so there is nothing to vouch for. It was refused ("a
   * jump is accepted instead"), which told a user following the docs neither what was wrong nor
   * what to do; now it goes ahead on the anchored clock, says so in one line and logs no vouching
   * (R-14, R-16).
   */
  @Test
  void initialisingAClockTheMarkAlreadyAnchorsGoesAheadAndLogsNoVouching() throws IOException {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    Files.createDirectories(first);
    Files.createDirectories(second);
    Path a = sealed("a.mp4");
    String[] vouch = {"--init-clock-by", "admin-1", "--clock-reason", "new archive, NTP checked"};
    CliTest.Run r1 =
        run(
            args(
                concat("ledger", "ingest", first.toString(), a.toString(), "--as", "CAM-7/a.mp4"),
                concat("--actor", "intake", "--clock-mark", mark),
                vouch));
    assertEquals(0, r1.code(), r1.out() + r1.err());
    assertTrue(Files.exists(Path.of(mark)), "the first archive's run wrote the mark");

    CliTest.Run r2 =
        run(
            args(
                concat("ledger", "ingest", second.toString(), a.toString(), "--as", "CAM-7/a.mp4"),
                concat("--actor", "intake", "--clock-mark", mark),
                vouch));
    assertEquals(0, r2.code(), r2.out() + r2.err());
    assertEquals("ingested CAM-7/a.mp4 as ledger entry 0", r2.out().strip());
    assertEquals(1, r2.err().strip().lines().count(), r2.err());
    assertTrue(r2.err().contains("--init-clock-by: nothing to initialise"), r2.err());
    assertTrue(r2.err().contains(mark), "names the mark that anchors the clock: " + r2.err());
    List<LedgerEntry> logged = entriesOf(second);
    assertEquals(1, logged.size(), "only the recording's sealed entry: " + logged);
    assertEquals(EntryType.SEALED, logged.get(0).type());
  }

  /**
   * The default mark is {@code ~/.evidencekit/clock-mark} with {@code ~} as the shell reads it: the
   * JVM's user.home ignores HOME, so a fresh HOME (a service account's, a new archive's) found and
   * moved the login's mark instead of starting a mark of its own. Run in a JVM of its own
   * with HOME set, as a user runs it.
   */
  @Test
  void theDefaultMarkIsUnderHome() throws Exception {
    Path home = dir.resolve("home");
    Path fresh = dir.resolve("fresh");
    Files.createDirectories(home);
    Files.createDirectories(fresh);
    Path a = sealed("b.mp4");
    CliTest.Run r =
        CliTest.runMain(
            dir,
            java.util.Map.of("HOME", home.toString()),
            "ledger",
            "ingest",
            fresh.toString(),
            a.toString(),
            "--as",
            "CAM-7/b.mp4",
            "--actor",
            "intake",
            "--init-clock-by",
            "admin-1",
            "--clock-reason",
            "new archive");
    assertEquals(0, r.code(), r.out() + r.err());
    Path expected = home.resolve(".evidencekit").resolve("clock-mark");
    assertTrue(Files.exists(expected), "the mark is under HOME: " + r.err());
    assertEquals(EntryType.CLOCK_INITIALISED, entriesOf(fresh).get(0).type());
    assertEquals(
        Path.of("/srv/station", ".evidencekit", "clock-mark"),
        ClockOptions.defaultMark("/srv/station", "/root"));
    assertEquals(
        Path.of("/root", ".evidencekit", "clock-mark"), ClockOptions.defaultMark(null, "/root"));
    assertEquals(
        Path.of("/root", ".evidencekit", "clock-mark"), ClockOptions.defaultMark(" ", "/root"));
  }

  /**
   * {@code ledger verify} judged no entry's time: an entry backdated a year, written into the store
   * as a batch object around the library, left the ledger INTACT. It is named now,
   * with the ledger's verdict INCONCLUSIVE (exit 3): an older build may have written such an entry
   * honestly.
   */
  @Test
  void ledgerVerifyNamesAnEntryWhoseTimeTheLedgerRefuses() throws IOException {
    Instant latest = entries().get(0).time();
    LedgerEntry backdated =
        LedgerEntry.builder()
            .type(EntryType.VIEWED)
            .time(latest.minus(Duration.ofDays(365)))
            .actor("o-1")
            .subject("CAM-7/old.mp4")
            .build();
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC());
        org.evidencekit.storage.WritableObject w =
            st.create(ObjectKey.of("ledger/batches/00000000000000000001.jsonl"))) {
      byte[] line =
          (new String(backdated.canonical(), StandardCharsets.UTF_8) + "\n")
              .getBytes(StandardCharsets.UTF_8);
      w.write(java.nio.ByteBuffer.wrap(line));
      w.commit();
    }
    CliTest.Run r = run("ledger", "verify", store);
    assertEquals(3, r.code(), r.out() + r.err());
    List<String> out = r.out().lines().toList();
    assertTrue(out.get(0).startsWith("INCONCLUSIVE: 1 finding(s): 2 entries"), r.out());
    assertTrue(
        out.get(1).startsWith("  LEDGER_ENTRY_TIME_REFUSED: entry 1: the viewed entry's time"),
        r.out());
    assertTrue(out.get(1).contains("before the ledger's latest entry (" + latest + ")"), r.out());
  }

  private static String[] concat(String... parts) {
    return parts;
  }

  private static String[] args(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }
}
