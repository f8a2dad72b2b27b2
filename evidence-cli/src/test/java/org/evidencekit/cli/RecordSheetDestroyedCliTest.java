package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ingest.IngestedRecording;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evidence record-sheet --case} for a case whose recordings were all destroyed under an
 * approved plan: the sheet lists them as destroyed and exits 0; "no sealed recording
 * names case" is kept for a case nothing ever named.
 */
class RecordSheetDestroyedCliTest {
  static final String CASE = "ZZ-2023-0042";

  @TempDir Path dir;

  /** The store's folder, the destroyed recordings' keys and the plan that destroyed them. */
  record Destroyed(Path store, List<String> keys, String plan) {}

  /**
   * Ingests the demo camera's three recordings for {@link #CASE} as docked in 2023 and destroys
   * them all under a plan approved by two approvers, through the command line.
   */
  private Destroyed destroyAll() throws Exception {
    Path cam = Files.createDirectories(dir.resolve("DCIM"));
    IngestRequest.Builder req = IngestRequest.builder("DEVCAM7", "police-0042").addCase(CASE);
    for (String f : DemoCommand.CAMERA_FILES) {
      try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + f)) {
        Files.copy(in, cam.resolve(f));
      }
      req.add(cam.resolve(f));
    }
    Path store = dir.resolve("store");
    List<String> keys = new ArrayList<>();
    // docked in 2023: the station's two years ran out in 2025, so today they may go
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      for (IngestedRecording r :
          IngestStation.builder()
              .store(st)
              .clock(Clock.fixed(Instant.parse("2023-06-01T16:00:00Z"), ZoneOffset.UTC))
              .build()
              .ingest(req.build())
              .recordings()) {
        keys.add(r.key().orElseThrow());
      }
    }
    List<String> rows = new ArrayList<>();
    for (String k : keys) {
      rows.add(
          "{\"id\":\""
              + k
              + "\",\"recordingEnd\":\"2023-06-01T14:10:09Z\",\"objectKey\":\""
              + k
              + "\",\"custodian\":\"police-0042\"}");
    }
    Path facts = dir.resolve("facts.json");
    Files.writeString(
        facts,
        "{\"format\":\"evidencekit.retention-facts/1\",\"recordings\":["
            + String.join(",", rows)
            + "]}");
    String mark = dir.resolve("clock-mark").toString();
    String s = store.toString();
    CliTest.Run r =
        run(
            "retention",
            "plan",
            "--store",
            s,
            "--clock-mark",
            mark,
            "--facts",
            facts.toString(),
            "--by",
            "planner",
            "--accept-clock-jump-by",
            "admin-1",
            "--clock-reason",
            "the archive was last written in 2023");
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("3 of 3 disposable"), r.out());
    String plan = RetentionCliTest.digest(r.out());
    List<String> trust = new ArrayList<>();
    for (String who : List.of("approver-alice", "approver-bob")) {
      String key = dir.resolve(who + ".pem").toString();
      assertEquals(0, run("keygen", "-o", key, "--suite", "ed25519").code());
      trust.add(RetentionCliTest.pub(key));
      r =
          run(
              "retention",
              "approve",
              "--store",
              s,
              "--clock-mark",
              mark,
              "--plan",
              plan,
              "--by",
              who,
              "--key",
              key,
              "--valid-days",
              "7");
      assertEquals(0, r.code(), r.err());
    }
    String exec = dir.resolve("executor.pem").toString();
    assertEquals(0, run("keygen", "-o", exec, "--suite", "ed25519").code());
    r =
        run(
            "retention",
            "execute",
            "--store",
            s,
            "--clock-mark",
            mark,
            "--plan",
            plan,
            "--facts",
            facts.toString(),
            "--approver-trust",
            trust.get(0),
            "--approver-trust",
            trust.get(1),
            "--key",
            exec,
            "--by",
            "executor-1");
    assertEquals(0, r.code(), r.out() + r.err());
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      for (String k : keys) {
        assertFalse(st.exists(ObjectKey.of(k)), k + " destroyed");
      }
    }
    return new Destroyed(store, keys, plan);
  }

  /**
   * {@code ledger checkpoint} signs a catalog snapshot with the ledger's key once a batch of
   * entries came after the last one; {@code record-sheet --ledger-trust} reads it instead of the
   * whole ledger, destroyed recordings included, and prints the same sheet (R-15, R-16, R-18,
   *
   */
  @Test
  void theCheckpointSignsASnapshotTheSheetReadsWithTheLedgerKey() throws Exception {
    Destroyed d = destroyAll();
    String s = d.store().toString();
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(d.store(), Clock.systemUTC())) {
      EvidenceLedger ledger = EvidenceLedger.open(st, Clock.systemUTC());
      for (int b = 0; b < CatalogIndex.DEFAULT_EVERY / 1024; b++) {
        List<LedgerEntry> batch = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
          batch.add(
              LedgerEntry.builder()
                  .type(EntryType.VIEWED)
                  .time(Instant.now())
                  .actor("officer-1")
                  .subject(d.keys().get(0))
                  .details(java.util.Map.of("reason", "review " + b + "/" + i))
                  .build());
        }
        ledger.appendAll(batch);
      }
    }
    CliTest.Run folded = run("record-sheet", "--store", s, "--case", CASE);
    assertEquals(0, folded.code(), folded.err());
    String key = dir.resolve("ledger.pem").toString();
    String pub = dir.resolve("ledger.pub.pem").toString();
    assertEquals(0, run("keygen", "-o", key, "--suite", "ed25519").code());

    CliTest.Run cp = run("ledger", "checkpoint", s, "--key", key);

    assertEquals(0, cp.code(), cp.err());
    assertTrue(cp.err().contains("catalog snapshot: catalog/"), cp.err());
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(d.store(), Clock.systemUTC())) {
      try (Stream<ObjectKey> snapshots = st.keys(CatalogIndex.PREFIX)) {
        assertEquals(1, snapshots.count());
      }
    }
    CliTest.Run fromSnapshot =
        run("record-sheet", "--store", s, "--case", CASE, "--ledger-trust", pub);
    assertEquals(0, fromSnapshot.code(), fromSnapshot.err());
    assertEquals(folded.out(), fromSnapshot.out());
    assertEquals("", fromSnapshot.err());
    // given another key, the snapshot is named as refused and the ledger read: the same sheet
    String other = dir.resolve("other.pem").toString();
    assertEquals(0, run("keygen", "-o", other, "--suite", "ed25519").code());
    CliTest.Run otherKey =
        run(
            "record-sheet",
            "--store",
            s,
            "--case",
            CASE,
            "--ledger-trust",
            dir.resolve("other.pub.pem").toString());
    assertEquals(0, otherKey.code(), otherKey.err());
    assertEquals(folded.out(), otherKey.out());
    assertTrue(
        otherKey
            .err()
            .startsWith("evidence: catalog snapshot refused, the ledger read instead: catalog/"),
        otherKey.err());
    assertTrue(otherKey.err().contains("not signed by a trusted ledger key"), otherKey.err());
    // a second checkpoint with nothing new writes no second snapshot
    CliTest.Run again = run("ledger", "checkpoint", s, "--key", key);
    assertEquals(0, again.code(), again.err());
    assertFalse(again.err().contains("catalog snapshot"), again.err());
  }

  @Test
  void aCaseWhoseRecordingsWereAllDestroyedListsThemAsDestroyed() throws Exception {
    Destroyed d = destroyAll();
    String s = d.store().toString();
    String plan = d.plan();
    CliTest.Run csv = run("record-sheet", "--store", s, "--case", CASE);
    assertEquals(0, csv.code(), csv.err());
    assertEquals("", csv.err());
    List<String> lines = csv.out().lines().toList();
    assertEquals(4, lines.size(), csv.out());
    for (int i = 1; i <= 3; i++) {
      String line = lines.get(i);
      assertTrue(line.startsWith(i + "," + DemoCommand.CAMERA_FILES[i - 1] + ","), line);
      assertTrue(line.contains(",destroyed,"), line);
      assertTrue(line.contains("," + plan + ",executor-1,"), line);
      assertTrue(line.contains("approver-alice"), line);
      assertTrue(line.contains("approver-bob"), line);
    }

    CliTest.Run js = run("record-sheet", "--store", s, "--case", CASE, "--format", "json");
    assertEquals(0, js.code(), js.err());
    assertTrue(js.out().contains("\"count\" : 3,"), js.out());
    assertTrue(js.out().contains("\"destroyed\" : 3,"), js.out());

    CliTest.Run html = run("record-sheet", "--store", s, "--case", CASE, "--format", "html");
    assertEquals(0, html.code(), html.err());
    assertTrue(html.out().contains("executor-1"), html.out());

    CliTest.Run report =
        run("report", "--store", s, "--case", CASE, "-o", dir.resolve("report.html").toString());
    assertEquals(0, report.code(), report.out() + report.err());
    assertTrue(report.out().contains("3 destroyed under an approved plan"), report.out());
    assertTrue(Files.readString(dir.resolve("report.html")).contains("executor-1"));

    // -o says what it wrote as report -o does (it said nothing)
    Path file = dir.resolve("sheet.csv");
    CliTest.Run written = run("record-sheet", "--store", s, "--case", CASE, "-o", file.toString());
    assertEquals(0, written.code(), written.err());
    assertEquals(
        List.of(
            "wrote "
                + file
                + ": 0 recording(s), 0 finding(s) (0 error(s)), 3 destroyed under an approved plan"),
        written.out().lines().toList());
    assertEquals(csv.out(), Files.readString(file));
    assertEquals(
        List.of(
            "wrote "
                + dir.resolve("report.html")
                + ": 0 recording(s), 0 finding(s) (0 error(s)), 3 destroyed under an approved plan"),
        report.out().lines().toList(),
        "the same words");

    CliTest.Run none = run("record-sheet", "--store", s, "--case", "NO-SUCH");
    assertEquals(1, none.code());
    assertTrue(none.err().contains("no sealed recording names case NO-SUCH"), none.err());
  }

  /**
   * A destruction register edited in the store after the execution is an error finding of the
   * case's selection ({@code DISPOSAL_REGISTER_DIFFERS}, R-16, R-18): {@code record-sheet} exits 1
   * and names it, as {@code report} does, and still prints the sheet with the ledger's disposal. It
   * exited 0 with the note on the rows only.
   */
  @Test
  void aRegisterEditedInTheStoreMakesTheSheetExitOneAsTheReportDoes() throws Exception {
    Destroyed d = destroyAll();
    String s = d.store().toString();
    List<Path> registers;
    try (Stream<Path> all =
        Files.walk(d.store().resolve("objects/disposition.d/registers.d/" + d.plan() + ".d"))) {
      registers = all.filter(p -> p.getFileName().toString().equals("content")).toList();
    }
    assertEquals(1, registers.size(), registers.toString());
    Path content = registers.get(0);
    content.getParent().toFile().setWritable(true);
    content.toFile().setWritable(true);
    Files.writeString(content, "{\"format\":\"not a register\"}");

    CliTest.Run csv = run("record-sheet", "--store", s, "--case", CASE);
    assertEquals(1, csv.code(), csv.out() + csv.err());
    List<String> lines = csv.out().lines().toList();
    assertEquals(4, lines.size(), csv.out());
    for (String line : lines.subList(1, 4)) {
      assertTrue(line.contains(",destroyed,"), line);
      assertTrue(line.contains("," + d.plan() + ",executor-1,"), line);
      assertTrue(line.contains("is not the one the ledger logged"), line);
    }
    List<String> err = csv.err().lines().toList();
    assertEquals(1, err.size(), csv.err());
    assertTrue(
        err.get(0)
            .startsWith(
                "evidence: DISPOSAL_REGISTER_DIFFERS (Art. 19, R-16, R-18): plan "
                    + d.plan()
                    + ": "),
        err.get(0));

    CliTest.Run report =
        run("report", "--store", s, "--case", CASE, "-o", dir.resolve("report.html").toString());
    assertEquals(1, report.code(), report.out() + report.err());
    assertEquals(csv.code(), report.code(), "the same rule");
    Path file = dir.resolve("sheet.html");
    CliTest.Run written =
        run(
            "record-sheet",
            "--store",
            s,
            "--case",
            CASE,
            "--format",
            "html",
            "-o",
            file.toString());
    assertEquals(1, written.code(), written.err());
    assertEquals(
        List.of(
            "wrote "
                + file
                + ": 0 recording(s), 1 finding(s) (1 error(s)), 3 destroyed under an approved plan"),
        written.out().lines().toList());
    assertEquals(err, written.err().lines().toList());
    assertTrue(Files.readString(file).contains("is not the one the ledger logged"));
  }

  /**
   * The seal kept for good of a destroyed recording, replaced in the store by an unsigned one
   * naming another device and officer: {@code record-sheet} exits 1 naming it ({@code
   * RECORDING_DAMAGED}, R-18, R-20) and the row still says what the ledger logged. It exited 0 and
   * printed the forged device and officer as the recording's.
   */
  @Test
  void aReplacedKeptSealMakesTheSheetExitOneAndIsNotPrinted() throws Exception {
    Destroyed d = destroyAll();
    String key = d.keys().get(1);
    Path any = dir.resolve("any.mp4");
    Files.writeString(any, "whatever the attacker has");
    Seal forged =
        Sealer.create()
            .seal(any)
            .withMetadata(
                RecordingMetadata.builder()
                    .deviceId("DEVCAM9")
                    .officerId("police-9999")
                    .addCaseId(CASE)
                    .recordingStart(Instant.parse("2023-06-01T14:10:03Z"))
                    .build());
    // the seal object's content, replaced outside the store as root or an attacker would
    String[] parts = (key + ".seal.json").split("/");
    Path content = d.store().resolve("objects");
    for (int i = 0; i < parts.length - 1; i++) {
      content = content.resolve(parts[i] + ".d");
    }
    content = content.resolve(parts[parts.length - 1] + ".o").resolve("content");
    assertTrue(Files.isRegularFile(content), content.toString());
    content.toFile().setWritable(true);
    Files.write(content, forged.toJson());

    CliTest.Run csv = run("record-sheet", "--store", d.store().toString(), "--case", CASE);
    assertEquals(1, csv.code(), csv.out() + csv.err());
    List<String> err = csv.err().lines().toList();
    assertEquals(1, err.size(), csv.err());
    assertTrue(
        err.get(0).startsWith("evidence: RECORDING_DAMAGED (Art. 21(2), R-20): " + key + ": "),
        err.get(0));
    assertTrue(err.get(0).contains("replaced"), err.get(0));
    List<String> lines = csv.out().lines().toList();
    assertEquals(4, lines.size(), csv.out());
    String row = lines.stream().filter(l -> l.contains("," + key + ",")).findFirst().orElseThrow();
    assertTrue(row.contains(",destroyed,"), row);
    assertTrue(row.contains(",DEVCAM7,police-0042,"), row);
    assertFalse(csv.out().contains("DEVCAM9"), csv.out());
    assertFalse(csv.out().contains("police-9999"), csv.out());
  }
}
