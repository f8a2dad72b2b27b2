package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.retention.DestructionRegister;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** evidence retention plan/approve/execute/register/hold/release/upcoming as officers use them. */
class RetentionCliTest {
  @TempDir Path dir;

  String store;
  String mark;

  void objects(String... keys) throws IOException {
    try (EvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(Path.of(store), Clock.systemUTC())) {
      for (String k : keys) {
        try (WritableObject w = st.create(ObjectKey.of(k))) {
          w.write(ByteBuffer.wrap(k.getBytes(StandardCharsets.UTF_8)));
          w.commit();
        }
      }
    }
  }

  /** What the library's lenient reader says of an object under a plan's registers. */
  static String problem(String store, String plan, String key) throws IOException {
    List<String> found = new ArrayList<>();
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      DestructionRegister.scan(
          st,
          plan,
          f -> {
            if (f.key().value().equals(key)) {
              found.add(f.problem());
            }
          });
    }
    assertEquals(1, found.size(), found.toString());
    assertFalse(found.get(0).isEmpty(), "not a register");
    return found.get(0);
  }

  boolean exists(String key) throws IOException {
    try (EvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(Path.of(store), Clock.systemUTC())) {
      return st.exists(ObjectKey.of(key));
    }
  }

  Path facts(String... recordings) throws IOException {
    List<String> rows = new ArrayList<>();
    for (String r : recordings) {
      String[] f = r.split("\\|");
      rows.add(
          "{\"id\":\""
              + f[0]
              + "\",\"recordingEnd\":\""
              + f[1]
              + "\",\"objectKey\":\"rec/"
              + f[0]
              + ".mp4\",\"custodian\":\""
              + f[2]
              + "\"}");
    }
    Path p = dir.resolve("facts-" + recordings.length + ".json");
    Files.writeString(
        p,
        "{\"format\":\"evidencekit.retention-facts/1\",\"recordings\":["
            + String.join(",", rows)
            + "]}");
    return p;
  }

  String key(String name) {
    String k = dir.resolve(name + ".pem").toString();
    assertEquals(0, run("keygen", "-o", k, "--suite", "ed25519").code());
    return k;
  }

  static String pub(String key) {
    return key.replace(".pem", ".pub.pem");
  }

  static String digest(String out) {
    int i = out.indexOf("plan ");
    while (i >= 0) {
      String rest = out.substring(i + 5);
      if (rest.length() >= 64 && rest.substring(0, 64).matches("[0-9a-f]{64}")) {
        return rest.substring(0, 64);
      }
      i = out.indexOf("plan ", i + 1);
    }
    throw new AssertionError("no plan digest in " + out);
  }

  @Test
  void planApproveTwiceExecuteRegisterHoldRelease() throws IOException {
    Files.createDirectories(dir.resolve("store"));
    store = dir.resolve("store").toString();
    mark = dir.resolve("clock-mark").toString();
    objects("rec/A.mp4", "rec/B.mp4", "rec/C.mp4");
    Path f =
        facts(
            "A|2020-03-01T00:00:00Z|officer-1",
            "B|2020-03-02T00:00:00Z|officer-1",
            "C|2020-03-03T00:00:00Z|officer-2");
    String alice = key("alice");
    String bob = key("bob");
    String exec = key("executor");

    // a new store has no time to anchor the clock on: a named person initialises it
    CliTest.Run r =
        run(
            "retention",
            "plan",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--facts",
            f.toString(),
            "--by",
            "planner");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no anchor"), r.err());
    // and the one line says how, so a new user is not left guessing
    assertTrue(r.err().contains("--init-clock-by NAME --clock-reason TEXT"), r.err());
    r =
        run(
            "retention",
            "plan",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--facts",
            f.toString(),
            "--by",
            "planner",
            "--init-clock-by",
            "admin-1",
            "--clock-reason",
            "new archive, time checked against the bureau's NTP");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("3 of 3 disposable"), r.out());
    String plan = digest(r.out());
    // the hint names what approve needs, not only the plan
    assertTrue(
        r.out()
            .contains(
                "evidence retention approve --store "
                    + store
                    + " --plan "
                    + plan
                    + " --by NAME --key KEY.pem"),
        r.out());

    // a hold placed after planning keeps C
    r =
        run(
            "retention",
            "hold",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--recording",
            "C",
            "--object",
            "rec/C.mp4",
            "--kind",
            "legal",
            "--reason",
            "appeal 2026-17",
            "--by",
            "legal-1");
    assertEquals(0, r.code(), r.err());
    String holdId = r.out().substring(0, r.out().indexOf(' '));

    r =
        run(
            "retention",
            "approve",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--plan",
            plan,
            "--by",
            "Planner",
            "--key",
            alice,
            "--valid-days",
            "7");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("four eyes"), r.err());
    r =
        run(
            "retention",
            "approve",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--plan",
            plan,
            "--by",
            "approver-alice",
            "--key",
            alice,
            "--valid-days",
            "7",
            "--exclude",
            "Z=not in the plan");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("cannot exclude Z"), r.err());
    // an approval lapsing in the year 5,477,840 could be stored but never read back
    r =
        run(
            "retention",
            "approve",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--plan",
            plan,
            "--by",
            "approver-alice",
            "--key",
            alice,
            "--valid-days",
            "2000000000");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("past the year 9999"), r.err());
    for (String[] who : new String[][] {{"approver-alice", alice}, {"approver-bob", bob}}) {
      r =
          run(
              "retention",
              "approve",
              "--store",
              store,
              "--clock-mark",
              mark,
              "--plan",
              plan,
              "--by",
              who[0],
              "--key",
              who[1],
              "--valid-days",
              "7");
      assertEquals(0, r.code(), r.err());
    }
    // alice's key under another name is not a third person (R-16, four eyes)
    r =
        run(
            "retention",
            "approve",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--plan",
            plan,
            "--by",
            "approver-carol",
            "--key",
            alice,
            "--valid-days",
            "7");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("as approver-alice; approver-carol needs a key"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());

    String[] execute = {
      "retention",
      "execute",
      "--store",
      store,
      "--clock-mark",
      mark,
      "--plan",
      plan,
      "--facts",
      f.toString(),
      "--approver-trust",
      pub(alice),
      "--approver-trust",
      pub(bob),
      "--key",
      exec,
      "--by",
      "executor-1"
    };
    r = run(execute);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("销毁清册"), r.out());
    assertTrue(r.out().contains("DISPOSED"), r.out());
    assertFalse(exists("rec/A.mp4"));
    assertFalse(exists("rec/B.mp4"));
    assertTrue(exists("rec/C.mp4"), "held");

    r = run(execute);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("ALREADY_DISPOSED"), r.out());
    assertFalse(r.out().contains("FAILED"), r.out());
    // other executors' keys are read up front: a missing one is a usage error, nothing run
    List<String> withOther = new ArrayList<>(List.of(execute));
    withOther.addAll(List.of("--executor-trust", dir.resolve("nobody.pub.pem").toString()));
    r = run(withOther.toArray(String[]::new));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("executor key not found"), r.err());

    r = run("retention", "register", "--store", store, "--plan", plan, "--trust", pub(exec));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("batch 1: signature verified"), r.err());
    assertTrue(r.err().contains("batch 2: signature verified"), r.err());
    String printed = r.out();
    r = run("retention", "register", "--store", store, "--plan", plan, "--trust", pub(alice));
    assertEquals(1, r.code(), r.err());
    CliTest.Run js = run("retention", "register", "--store", store, "--plan", plan, "--json");
    assertEquals(0, js.code(), js.err());
    assertEquals(2, js.out().lines().count(), js.out());

    // an object planted beside the registers hides none of them: each register is printed and
    // checked as before, the planted object named with what it is, and the exit code is 1 (it was
    // 2, "bad destruction register", with no register printed)
    String planted = "disposition/registers/" + plan + "/planted.json";
    objects(planted);
    r = run("retention", "register", "--store", store, "--plan", plan, "--trust", pub(exec));
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(printed, r.out(), "the registers, printed as before");
    List<String> err = r.err().lines().toList();
    assertEquals(3, err.size(), r.err());
    assertTrue(err.contains("batch 1: signature verified"), r.err());
    assertTrue(err.contains("batch 2: signature verified"), r.err());
    assertTrue(
        err.contains(
            planted + ": not a destruction register of the plan: " + problem(store, plan, planted)),
        r.err());
    r = run("retention", "register", "--store", store, "--plan", plan, "--json");
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(js.out(), r.out(), "stdout holds the registers' JSON lines only");
    assertTrue(r.err().startsWith(planted + ": not a destruction register"), r.err());
    r = run("retention", "register", "--store", store, "--plan", plan, "--batch", "2");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith(planted + ": not a destruction register"), r.err());
    // a plan with no register but a planted object: the object named, then that there is none
    String other = "0".repeat(64);
    objects("disposition/registers/" + other + "/1.json");
    r = run("retention", "register", "--store", store, "--plan", other);
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals("", r.out());
    List<String> lines = r.err().lines().toList();
    assertEquals(2, lines.size(), r.err());
    assertTrue(
        lines.get(0).startsWith("disposition/registers/" + other + "/1.json: not a destruction"),
        lines.get(0));
    assertEquals("evidence: no destruction register for plan " + other, lines.get(1));
    // and one with nothing at all is still bad input
    r = run("retention", "register", "--store", store, "--plan", "1".repeat(64));
    assertEquals(2, r.code(), r.out() + r.err());

    r = run("retention", "explain", "--store", store, "--facts", f.toString(), "--recording", "C");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("C: HELD"), r.out());
    assertTrue(r.out().contains("hold " + holdId + " (legal, appeal 2026-17, by legal-1"), r.out());
    r = run("retention", "plan", "--store", store, "--facts", f.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("0 of 1 disposable, 2 disposed of before"), r.out());
    r =
        run(
            "retention",
            "release",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--hold",
            holdId,
            "--reason",
            "appeal withdrawn",
            "--by",
            "legal-1");
    assertEquals(0, r.code(), r.err());
    r = run("retention", "plan", "--store", store, "--facts", f.toString());
    assertTrue(r.out().contains("1 of 1 disposable, 2 disposed of before"), r.out());
    r =
        run(
            "retention",
            "release",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--hold",
            holdId,
            "--reason",
            "again",
            "--by",
            "legal-1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("already released"), r.err());

    assertEquals(0, run("ledger", "checkpoint", store, "--key", exec).code());
    r = run("ledger", "verify", store, "--trust", pub(exec));
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("INTACT"), r.out());
  }

  @Test
  void factsNamingAnIngestedRecordingByItsOwnIdKeepItsIngestDecision() throws IOException {
    // a camera clip recorded on 2024-01-01 and ingested today: kept two years from today
    Path dcim = Files.createDirectories(dir.resolve("dcim"));
    Files.write(dcim.resolve("DEVCAM8_20240101_100001_001.mp4"), new byte[4096]);
    Files.createDirectories(dir.resolve("store"));
    store = dir.resolve("store").toString();
    CliTest.Run r =
        run("ingest", dcim.toString(), "--store", store, "--device", "DEVCAM8", "--officer", "p-1");
    // exit 1: it is stored, with a late-ingest finding (recorded years before today)
    assertEquals(1, r.code(), r.out() + r.err());
    String key = "DEVCAM8/2024-01-01/DEVCAM8_20240101_100001_001.mp4";
    assertTrue(r.out().contains("INGESTED   " + key), r.out());
    Path f = dir.resolve("officer-facts.json");
    Files.writeString(
        f,
        "{\"format\":\"evidencekit.retention-facts/1\",\"recordings\":[{\"id\":\"DEVCAM8-0001\","
            + "\"recordingEnd\":\"2024-01-01T02:00:01Z\",\"objectKey\":\""
            + key
            + "\"}]}");
    r = run("retention", "plan", "--store", store, "--facts", f.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("0 of 1 disposable"), r.out());
    assertTrue(r.out().contains("history (shortening refused)"), r.out());
    r =
        run(
            "retention",
            "explain",
            "--store",
            store,
            "--facts",
            f.toString(),
            "--recording",
            "DEVCAM8-0001");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("an earlier decision of its object " + key), r.out());
  }

  /**
   * The plan's table stays in columns when ids are object keys, as the ingest station's are
   * (docs/retention.md): a fixed 24-character column pushed STATUS and the dates out of line on
   * every longer id (session 15, R-16).
   */
  @Test
  void thePlanTableKeepsItsColumnsForIdsLongerThanTwentyFourCharacters() throws IOException {
    String longId = "DEVCAM7/2019-11-18/max-heromode.mp4";
    Path f = facts(longId + "|2020-03-01T00:00:00Z|o", "A|2020-03-01T00:00:00Z|o");
    CliTest.Run r =
        run("retention", "plan", "--facts", f.toString(), "--at", "2026-07-01T00:00:00Z");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    int status = lines.get(1).indexOf("STATUS");
    int ends = lines.get(1).indexOf("RETENTION ENDS");
    assertEquals(longId.length() + 1, status, r.out());
    for (String row : List.of(lines.get(2), lines.get(3))) {
      assertEquals("DISPOSABLE", row.substring(status, status + 10), r.out());
      assertEquals("2022-03-02 00:00", row.substring(ends, ends + 16), r.out());
    }
    assertTrue(
        lines
            .subList(2, 4)
            .containsAll(
                List.of(
                    longId + " DISPOSABLE  2022-03-02 00:00   art19-minimum-2y",
                    "A"
                        + " ".repeat(longId.length())
                        + "DISPOSABLE  2022-03-02 00:00   art19-minimum-2y")),
        r.out());
  }

  @Test
  void upcomingListsWhatBecomesDisposableSoonPerCustodian() throws IOException {
    Instant now = Instant.now();
    String soon = now.minus(Duration.ofDays(2 * 365 - 10)).toString();
    String later = now.minus(Duration.ofDays(365)).toString();
    Path f = facts("S|" + soon + "|officer-9", "L|" + later + "|officer-9");
    CliTest.Run r = run("retention", "upcoming", "--facts", f.toString(), "--days", "30");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("custodian officer-9"), r.out());
    assertTrue(r.out().contains("S "), r.out());
    assertFalse(r.out().contains("L "), r.out());
  }

  /**
   * {@code retention upcoming} keeps its column as wide as the longest id, as {@code retention
   * plan} does: a fixed 24 characters let an object key run into "disposable from" (session 15).
   */
  @Test
  void upcomingKeepsItsColumnForIdsLongerThanTwentyFourCharacters() throws IOException {
    Instant now = Instant.now();
    String soon = now.minus(Duration.ofDays(2 * 365 - 10)).toString();
    String longId = "DEVCAM7/2019-11-18/max-heromode.mp4";
    Path f = facts(longId + "|" + soon + "|officer-9", "S|" + soon + "|officer-9");
    CliTest.Run r = run("retention", "upcoming", "--facts", f.toString(), "--days", "30");
    assertEquals(0, r.code(), r.err());
    List<String> rows = r.out().lines().filter(l -> l.startsWith("    ")).toList();
    assertEquals(2, rows.size(), r.out());
    for (String row : rows) {
      assertEquals(4 + longId.length() + 1, row.indexOf("disposable from"), r.out());
    }
  }

  /**
   * Given facts and history, a damaged one is named in the error: the facts' and the history's
   * format errors were printed without their file ("evidence: not valid JSON: …"), while the
   * policy's named it.
   */
  @Test
  void aDamagedFactsOrHistoryFileIsNamedInTheError() throws IOException {
    Path good = facts("A|2020-03-01T00:00:00Z|o");
    Path damaged = dir.resolve("damaged.json");
    Files.writeString(damaged, "{\"format\":");
    CliTest.Run r = run("retention", "plan", "--facts", damaged.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("evidence: " + damaged + ": "), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    r = run("retention", "plan", "--facts", good.toString(), "--history", damaged.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("evidence: " + damaged + ": "), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void aPolicyShorteningTheRegulationIsRefused() throws IOException {
    Path p = dir.resolve("short.json");
    Files.writeString(
        p,
        "{\"format\":\"evidencekit.retention-policy/1\",\"id\":\"b\",\"version\":1,"
            + "\"state\":\"active\",\"caseClasses\":{\"10y\":\"P1D\"}}");
    Path f = facts("A|2020-03-01T00:00:00Z|o");
    CliTest.Run r = run("retention", "plan", "--policy", p.toString(), "--facts", f.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("shorter than the regulation"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    Files.writeString(
        p,
        "{\"format\":\"evidencekit.retention-policy/1\",\"id\":\"b\",\"version\":1,"
            + "\"state\":\"active\",\"rules\":[{\"id\":\"r\",\"anchor\":\"recordingEnd\","
            + "\"period\":\"P999999999Y\"}]}");
    r = run("retention", "plan", "--policy", p.toString(), "--facts", f.toString());
    assertEquals(2, r.code(), r.err());
    assertFalse(r.err().contains("internal error"), r.err());
    assertTrue(r.err().contains("rule r"), r.err());
  }

  /**
   * A hold asked for an object key the store does not hold is refused in words that say so (it was
   * the bare key), and nothing is logged.
   */
  @Test
  void aHoldOnAnObjectTheStoreDoesNotHoldSaysSo() throws IOException {
    Files.createDirectories(dir.resolve("store"));
    store = dir.resolve("store").toString();
    mark = dir.resolve("clock-mark").toString();
    objects("rec/A.mp4");
    String[] hold = {
      "retention",
      "hold",
      "--store",
      store,
      "--clock-mark",
      mark,
      "--recording",
      "A",
      "--object",
      "recordings/A.mp4",
      "--kind",
      "legal",
      "--reason",
      "appeal",
      "--by",
      "legal-1",
      "--init-clock-by",
      "admin-1",
      "--clock-reason",
      "new archive"
    };
    CliTest.Run r = run(hold);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(
        "evidence: no such object in the store: recordings/A.mp4",
        r.err().strip(),
        "one line naming it");
    // the refused hold left nothing: no clock initialisation in the ledger, no mark
    assertEquals(0, ledgerSize(store), "the clock is initialised only for a hold that is placed");
    assertFalse(Files.exists(Path.of(mark)), "no mark either");
    // a bad option, too, leaves the clock as it was
    String[] blank = hold.clone();
    blank[Arrays.asList(hold).indexOf("--kind") + 1] = " ";
    r = run(blank);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals("evidence: kind must not be blank", r.err().strip());
    assertEquals(0, ledgerSize(store));
    // so a later hold still needs a named person to initialise the clock
    String[] stored = hold.clone();
    stored[Arrays.asList(hold).indexOf("--object") + 1] = "rec/A.mp4";
    r = run(Arrays.copyOf(stored, stored.length - 4));
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--init-clock-by"), r.err());
    assertEquals(0, ledgerSize(store));
    // the object as stored and the clock initialised with it: both in the ledger, in that order
    r = run(stored);
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("placed on A"), r.out());
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      EvidenceLedger l = EvidenceLedger.open(st, Clock.systemUTC());
      assertEquals(2, l.size());
      assertEquals(EntryType.CLOCK_INITIALISED, l.entry(0).type());
      assertEquals("admin-1", l.entry(0).actor());
      assertEquals(EntryType.HOLD_PLACED, l.entry(1).type());
    }
  }

  /**
   * plan, approve and execute record a clock vouched for on their behalf only for work that goes
   * ahead: a blank --by, an unknown plan, a missing key, a bad --valid-days, a second
   * approval or too few approvals each left the clock's initialisation (or an accepted jump) in the
   * ledger and the mark, because the commands read the time before their own checks.
   */
  @Test
  void refusedPlanApproveAndExecuteLeaveTheClockAsItWas() throws IOException {
    Files.createDirectories(dir.resolve("store"));
    store = dir.resolve("store").toString();
    mark = dir.resolve("clock-mark").toString();
    objects("rec/A.mp4", "rec/B.mp4");
    String f =
        facts("A|2020-03-01T00:00:00Z|officer-1", "B|2020-03-02T00:00:00Z|officer-1").toString();
    String alice = key("alice");
    String unknown = "0".repeat(64);
    String[] init = {"--clock-mark", mark, "--init-clock-by", "admin-1", "--clock-reason", "new"};
    String[][] refused = {
      {"retention", "plan", "--store", store, "--facts", f, "--by", " "},
      {
        "retention",
        "plan",
        "--store",
        store,
        "--facts",
        dir.resolve("none.json").toString(),
        "--by",
        "p"
      },
      {
        "retention",
        "approve",
        "--store",
        store,
        "--plan",
        unknown,
        "--by",
        "a",
        "--key",
        alice,
        "--valid-days",
        "7"
      },
      {
        "retention",
        "approve",
        "--store",
        store,
        "--plan",
        unknown,
        "--by",
        "a",
        "--key",
        dir.resolve("none.pem").toString(),
        "--valid-days",
        "7"
      },
      {
        "retention",
        "approve",
        "--store",
        store,
        "--plan",
        unknown,
        "--by",
        "a",
        "--key",
        alice,
        "--valid-days",
        "0"
      },
      {
        "retention",
        "approve",
        "--store",
        store,
        "--plan",
        unknown,
        "--by",
        "a",
        "--key",
        alice,
        "--valid-days",
        "2000000000"
      },
      {
        "retention",
        "execute",
        "--store",
        store,
        "--plan",
        unknown,
        "--facts",
        f,
        "--approver-trust",
        pub(alice),
        "--key",
        alice,
        "--by",
        "x"
      },
      {"retention", "release", "--store", store, "--hold", "hold-0", "--reason", "r", "--by", "x"}
    };
    for (String[] cmd : refused) {
      CliTest.Run r = run(with(cmd, init));
      assertEquals(2, r.code(), String.join(" ", cmd) + ": " + r.out() + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertEquals(0, ledgerSize(store), String.join(" ", cmd) + ": the clock left as it was");
      assertFalse(Files.exists(Path.of(mark)), String.join(" ", cmd) + ": no mark");
    }
    // so the next command still needs a named person to initialise the clock
    String[] plan = {"retention", "plan", "--store", store, "--facts", f, "--by", "planner"};
    CliTest.Run r = run(with(plan, "--clock-mark", mark));
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("--init-clock-by"), r.err());
    r = run(with(plan, init));
    assertEquals(0, r.code(), r.out() + r.err());
    String digest = digest(r.out());
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      EvidenceLedger l = EvidenceLedger.open(st, Clock.systemUTC());
      assertEquals(EntryType.CLOCK_INITIALISED, l.entry(0).type());
      assertEquals("admin-1", l.entry(0).actor());
      assertEquals(EntryType.DISPOSITION_PLANNED, l.entry(l.size() - 1).type());
    }
    String[] approve = {
      "retention",
      "approve",
      "--store",
      store,
      "--clock-mark",
      mark,
      "--plan",
      digest,
      "--by",
      "approver-alice",
      "--key",
      alice,
      "--valid-days",
      "7"
    };
    r = run(approve);
    assertEquals(0, r.code(), r.out() + r.err());
    // with the clock anchored, a jump accepted for a second approval or an execution with one
    // approval is not recorded either: the ledger and the mark as they were
    String[] jump = {"--accept-clock-jump-by", "admin-1", "--clock-reason", "checked"};
    long size = ledgerSize(store);
    byte[] before = Files.readAllBytes(Path.of(mark));
    r = run(with(approve, jump));
    assertEquals(2, r.code(), r.out() + r.err());
    // (the clock has not jumped, which is said first: nothing to accept, nothing pending)
    assertEquals(
        List.of(
            "evidence: --accept-clock-jump-by: no clock jump to accept",
            "evidence: approver-alice has already approved plan " + digest),
        r.err().strip().lines().map(l -> l.replaceAll(": the clock reads .*", "")).toList());
    r =
        run(
            with(
                new String[] {
                  "retention",
                  "execute",
                  "--store",
                  store,
                  "--clock-mark",
                  mark,
                  "--plan",
                  digest,
                  "--facts",
                  f,
                  "--approver-trust",
                  pub(alice),
                  "--key",
                  alice,
                  "--by",
                  "x"
                },
                jump));
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("has 1 valid approval(s)"), r.err());
    assertEquals(size, ledgerSize(store));
    assertArrayEquals(before, Files.readAllBytes(Path.of(mark)));
  }

  /**
   * A plan copied into another archive's store was approved there (only its execution refused it),
   * putting approvals of a plan that archive never made into its store and ledger.
   * approve refuses it before anything is written, as execute does.
   */
  @Test
  void aPlanCopiedFromAnotherArchiveIsNotApprovedThere() throws IOException {
    Files.createDirectories(dir.resolve("store"));
    store = dir.resolve("store").toString();
    mark = dir.resolve("clock-mark").toString();
    objects("rec/A.mp4");
    String f = facts("A|2020-03-01T00:00:00Z|officer-1").toString();
    CliTest.Run r =
        run(
            "retention",
            "plan",
            "--store",
            store,
            "--clock-mark",
            mark,
            "--facts",
            f,
            "--by",
            "planner",
            "--init-clock-by",
            "admin-1",
            "--clock-reason",
            "new");
    assertEquals(0, r.code(), r.out() + r.err());
    String digest = digest(r.out());
    String alice = key("alice");

    String other = dir.resolve("other").toString();
    Files.createDirectories(Path.of(other));
    ObjectKey planKey = ObjectKey.of("disposition/plans/" + digest + ".json");
    try (EvidenceStore from = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC());
        EvidenceStore to = FileSystemEvidenceStore.open(Path.of(other), Clock.systemUTC())) {
      byte[] plan;
      try (var in = from.openRead(planKey)) {
        plan = java.nio.channels.Channels.newInputStream(in).readAllBytes();
      }
      try (WritableObject w = to.create(planKey)) {
        w.write(ByteBuffer.wrap(plan));
        w.commit();
      }
    }
    String[] approve = {
      "retention",
      "approve",
      "--store",
      other,
      "--clock-mark",
      mark,
      "--plan",
      digest,
      "--by",
      "approver-alice",
      "--key",
      alice,
      "--valid-days",
      "7"
    };
    r = run(approve);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertTrue(r.err().contains("not recorded in this archive's ledger"), r.err());
    assertEquals(0, ledgerSize(other), "nothing logged there");
    try (EvidenceStore to = FileSystemEvidenceStore.open(Path.of(other), Clock.systemUTC());
        java.util.stream.Stream<org.evidencekit.storage.ObjectInfo> l = to.list("disposition/")) {
      assertEquals(List.of(planKey), l.map(i -> i.key()).toList(), "no approval stored there");
    }
    // in its own archive the same approval goes ahead
    approve[3] = store;
    assertEquals(0, run(approve).code());
  }

  private static String[] with(String[] cmd, String... more) {
    String[] out = Arrays.copyOf(cmd, cmd.length + more.length);
    System.arraycopy(more, 0, out, cmd.length, more.length);
    return out;
  }

  private static long ledgerSize(String store) throws IOException {
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      return EvidenceLedger.open(st, Clock.systemUTC()).size();
    }
  }
}
