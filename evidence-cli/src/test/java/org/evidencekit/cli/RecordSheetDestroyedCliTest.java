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
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ingest.IngestedRecording;
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

  @Test
  void aCaseWhoseRecordingsWereAllDestroyedListsThemAsDestroyed() throws Exception {
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

    CliTest.Run none = run("record-sheet", "--store", s, "--case", "NO-SUCH");
    assertEquals(1, none.code());
    assertTrue(none.err().contains("no sealed recording names case NO-SUCH"), none.err());
  }
}
