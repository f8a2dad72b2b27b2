package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.cli.CliTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evidence analyze}: strict inputs, per-device facts, markers, policy, languages. */
class AnalyzeCliTest {
  @TempDir Path dir;

  private Path fixture(String rel, String as) throws IOException {
    Path p = dir.resolve(as);
    try (var in = getClass().getResourceAsStream("/fixtures/" + rel)) {
      Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
    }
    return p;
  }

  private Path fixture(String rel) throws IOException {
    return fixture(rel, Path.of(rel).getFileName().toString());
  }

  private List<String> split() throws IOException {
    List<String> out = new ArrayList<>();
    for (String n :
        new String[] {
          "DEVCAM7_20230601_141000_001.mp4",
          "DEVCAM7_20230601_141003_002.mp4",
          "DEVCAM7_20230601_141006_003.mp4"
        }) {
      out.add(fixture("f02_split3/" + n).toString());
    }
    return out;
  }

  private Path write(String name, String json) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, json);
    return p;
  }

  private static Path actions(Path dir, String body) throws IOException {
    Path p = dir.resolve("actions-" + Integer.toHexString(body.hashCode()) + ".json");
    Files.writeString(p, "{\"format\":\"evidencekit.actions/1\",\"actions\":[" + body + "]}");
    return p;
  }

  private static String action(String id, String type, String extra) {
    return "{\"id\":\""
        + id
        + "\",\"type\":\""
        + type
        + "\",\"start\":\"2023-06-01T14:10:00Z\",\"end\":\"2023-06-01T14:10:09Z\""
        + extra
        + "}";
  }

  private static Run analyze(List<String> files, String... more) {
    List<String> args = new ArrayList<>();
    args.add("analyze");
    args.addAll(files);
    args.addAll(List.of(more));
    return CliTest.run(args.toArray(String[]::new));
  }

  private static JsonNode json(Run r) throws IOException {
    return new ObjectMapper().readTree(r.out());
  }

  private static List<String> codes(JsonNode report) {
    List<String> out = new ArrayList<>();
    report.get("findings").forEach(f -> out.add(f.get("code").asText()));
    return out;
  }

  private static void assertOneLineError(Run r, String containing) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(containing), r.err());
  }

  @Test
  void inputThatWouldChangeTheVerdictSilentlyIsAClearError() throws IOException {
    List<String> f = split();
    String[][] bad = {
      // a misspelled member would drop the device filter
      {action("A", "hearing", ",\"devcies\":[\"DEVCAM7\"]"), "unknown member 'devcies'"},
      {
        "{\"id\":\"A\",\"type\":null,\"start\":\"2023-06-01T14:10:00Z\",\"end\":\"2023-06-01T14:10:09Z\"}",
        "'type' must be a non-empty string"
      },
      {action("A", "", ""), "'type' must be a non-empty string"},
      {action("A", "hearing", "") + "," + action("A", "hearing", ""), "action A appears twice"},
      {action("A", "hearing", ",\"devices\":\"DEVCAM7\""), "'devices' must be a list"},
      {action("A", "hearing", ",\"devices\":[\"DEVCAM7\",\"DEVCAM7\"]"), "names DEVCAM7 twice"},
      {action("A", "hearing", ",\"type\":\"hearing\""), "Duplicate field 'type'"},
      {action("A", "hearing", ",\"stages\":[{\"name\":\"x\",\"begin\":\"t\"}]"), "'begin'"},
    };
    for (String[] b : bad) {
      assertOneLineError(analyze(f, "--actions", actions(dir, b[0]).toString()), b[1]);
    }
    // the library's message names the file, the entry and the member; the command prints it as is
    Path misspelled = actions(dir, bad[0][0]);
    assertOneLineError(
        analyze(f, "--actions", misspelled.toString()),
        "evidence: actions " + misspelled + ": action #1: unknown member 'devcies'");
    Path docs =
        write(
            "docs.json",
            "{\"format\":\"evidencekit.documents/1\",\"documents\":[{\"id\":\"D\",\"start\":"
                + "\"2023-06-01T14:10:00Z\",\"end\":\"2023-06-01T14:10:09Z\",\"recordigns\":[]}]}");
    assertOneLineError(analyze(f, "--documents", docs.toString()), "unknown member 'recordigns'");
    Path devices =
        write(
            "devices.json",
            "{\"format\":\"evidencekit.devices/1\",\"devices\":[{\"id\":\"DEVCAM7\",\"clockOffsetMs\":\"5\"}]}");
    assertOneLineError(analyze(f, "--devices", devices.toString()), "must be an integer");
    Path marks =
        write(
            "marks.json",
            "{\"format\":\"evidencekit.recordings/1\",\"recordings\":[{\"id\":\"x.mp4\",\"locked\":true}]}");
    assertOneLineError(
        analyze(f, "--recordings", marks.toString()), "marks x.mp4, which is not one of the");
    assertOneLineError(analyze(f, "--devices", devices.toString(), "--officer", "O1"), "use one");
    assertOneLineError(analyze(f, "--lang", "fr"), "--lang must be en or zh, not fr");
    // a language tag's case does not matter, as --format HTML's does not (session 15)
    Run upper = analyze(f, "--lang", "ZH");
    assertEquals(analyze(f, "--lang", "zh").out(), upper.out(), upper.err());
    assertEquals(analyze(f, "--lang", "en").out(), analyze(f, "--lang", "EN-us").out());
    // hostile values that would overflow durations are refused, not crashes
    assertOneLineError(analyze(f, "--clock-offset-ms", "9000000000000000000"), "more than a year");
    Path far =
        actions(
            dir,
            "{\"id\":\"A\",\"type\":\"hearing\",\"start\":\"2023-06-01T14:10:00Z\","
                + "\"end\":\"+100000-01-01T00:00:00Z\"}");
    assertOneLineError(analyze(f, "--actions", far.toString()), "outside 1970 to 2199");
    // Art. 17: an ingest time before the recording ended is refused
    assertOneLineError(analyze(f, "--ingested", "2023-06-01T14:10:02Z"), "before it ended");
  }

  @Test
  void bureausDeclareFurtherMandatoryTypesAndNearMissesAreNoticed() throws IOException {
    List<String> f = split();
    Path sealing = actions(dir, action("S", "sealing-up", ""));
    Path longer =
        actions(
            dir,
            "{\"id\":\"S\",\"type\":\"sealing-up\",\"start\":\"2023-06-01T14:10:00Z\","
                + "\"end\":\"2023-06-01T14:10:20Z\",\"devices\":[\"DEVCAM7\"]}");
    assertEquals(0, analyze(f, "--actions", longer.toString()).code());
    Run m = analyze(f, "--actions", longer.toString(), "--mandatory", "sealing-up", "--json");
    assertEquals(1, m.code(), m.out() + m.err());
    JsonNode early = json(m).get("findings").get(0);
    assertEquals("EARLY_STOP", early.get("code").asText());
    assertEquals("Art. 13(5), 21(1)", early.get("article").asText());
    Path policy =
        write(
            "policy.json",
            "{\"format\":\"evidencekit.continuity-policy/1\",\"mandatoryTypes\":[\"sealing-up\"]}");
    assertEquals(
        1, analyze(f, "--actions", longer.toString(), "--policy", policy.toString()).code());
    assertEquals(0, analyze(f, "--actions", sealing.toString()).code());

    Path near =
        actions(
            dir,
            "{\"id\":\"I\",\"type\":\"on-site inspection\",\"start\":\"2023-06-01T14:10:00Z\","
                + "\"end\":\"2023-06-01T14:10:20Z\",\"devices\":[\"DEVCAM7\"]}");
    Run n = analyze(f, "--actions", near.toString(), "--json");
    assertEquals(0, n.code(), n.out());
    assertTrue(codes(json(n)).contains("UNKNOWN_ACTION_TYPE"), n.out());
  }

  @Test
  void aTruncatedFileCountsOnlyTheMediaItHolds() throws IOException {
    Path cut = fixture("f05b_truncated_faststart/DEVCAM7_20230601_140000_001.mp4");
    Path a =
        actions(
            dir,
            "{\"id\":\"I\",\"type\":\"on-site-inspection\",\"start\":\"2023-06-01T14:00:00Z\","
                + "\"end\":\"2023-06-01T14:00:08Z\",\"devices\":[\"DEVCAM7\"]}");
    Run r = analyze(List.of(cut.toString()), "--actions", a.toString(), "--json");
    assertEquals(1, r.code(), r.out() + r.err());
    JsonNode j = json(r);
    double ratio = j.get("coverage").get(0).get("coverage").asDouble();
    assertTrue(ratio > 0.5 && ratio < 0.6, "4.3 s of 8 s, not 100 %: " + ratio);
    assertEquals(List.of("TRUNCATED_RECORDING"), codes(j));
    assertEquals("error", j.get("findings").get(0).get("severity").asText());
  }

  @Test
  void perDeviceOfficersOffsetsAndIngestTimes() throws IOException {
    List<String> f = new ArrayList<>(split());
    // the same footage from a second camera, whose clock ran 2 min ahead
    f.add(
        fixture("f02_split3/DEVCAM7_20230601_141000_001.mp4", "DEVCAM8_20230601_141200_001.mp4")
            .toString());
    Path devices =
        write(
            "devices.json",
            "{\"format\":\"evidencekit.devices/1\",\"devices\":["
                + "{\"id\":\"DEVCAM7\",\"officer\":\"O7\",\"ingested\":\"2023-06-01T18:00:00Z\"},"
                + "{\"id\":\"DEVCAM8\",\"officer\":\"O8\",\"clockOffsetMs\":120000,"
                + "\"ingested\":\"2023-06-03T09:00:00Z\"}]}");
    Run r = analyze(f, "--devices", devices.toString(), "--json");
    assertEquals(1, r.code(), r.out() + r.err());
    JsonNode j = json(r);
    List<String> codes = codes(j);
    assertTrue(codes.contains("CLOCK_OFFSET"), codes.toString());
    assertTrue(codes.contains("LATE_INGEST"), codes.toString());
    for (JsonNode x : j.get("findings")) {
      // only the second camera is late and off
      assertEquals("DEVCAM8", x.get("devices").get(0).asText(), x.toString());
      assertEquals("O8", x.get("officers").get(0).asText(), x.toString());
    }
    assertEquals("NON_COMPLIANT", j.get("summary").get("officers").get("O8").asText());
    assertEquals("COMPLIANT", j.get("summary").get("officers").get("O7").asText());
  }

  @Test
  void markersSayThePartyWasInformedAndWhichFilesWereLocked() throws IOException {
    List<String> f = split();
    Path inquiry = actions(dir, action("Q", "inquiry", ",\"devices\":[\"DEVCAM7\"]"));
    Run without = analyze(f, "--actions", inquiry.toString(), "--json");
    assertEquals(List.of("PARTY_NOT_INFORMED"), codes(json(without)));
    Path marks =
        write(
            "marks.json",
            "{\"format\":\"evidencekit.recordings/1\",\"recordings\":[{\"id\":"
                + "\"DEVCAM7_20230601_141000_001.mp4\",\"partyInformed\":\"2023-06-01T22:10:01+08:00\","
                + "\"partyInformedBy\":\"O7\"}]}");
    Run with =
        analyze(f, "--actions", inquiry.toString(), "--recordings", marks.toString(), "--json");
    assertEquals(0, with.code(), with.out());
    assertEquals(List.of(), codes(json(with)));

    List<String> gap =
        List.of(
            fixture("f03_split3_missing_middle/DEVCAM7_20230601_142000_001.mp4").toString(),
            fixture("f03_split3_missing_middle/DEVCAM7_20230601_142006_003.mp4").toString());
    Path locked =
        write(
            "locked.json",
            "{\"format\":\"evidencekit.recordings/1\",\"recordings\":[{\"id\":"
                + "\"DEVCAM7_20230601_142006_003.mp4\",\"locked\":true}]}");
    Run loop = analyze(gap, "--recordings", locked.toString(), "--json");
    assertEquals(List.of("LOOP_OVERWRITE"), codes(json(loop)));
    assertEquals(0, loop.code(), "an overwrite outside enforcement is a warning");
  }

  @Test
  void theReportInChineseWithBeijingTimeAndAMissingFileAsAFinding() throws IOException {
    List<String> f = new ArrayList<>(split());
    f.add(dir.resolve("DEVCAM7_20230601_141009_004.mp4").toString());
    Run r = analyze(f, "--lang", "zh");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("时间为 Asia/Shanghai (UTC+08:00)"), r.out());
    assertTrue(r.out().contains("汇总：错误 1 项"), r.out());
    assertTrue(r.out().contains("第二十一条第（二）项"), r.out());
    assertTrue(r.out().contains("后续："), r.out());
    // contiguous split files are not listed
    assertFalse(r.out().contains("CONTIGUOUS"), r.out());
    Run en = analyze(split(), "--zone", "UTC");
    assertEquals(0, en.code());
    assertTrue(en.out().contains("times are UTC"), en.out());
    assertTrue(en.out().contains("no findings"), en.out());
  }

  /**
   * A whole card as a folder, from a GA/T 947 camera (device and officer in the names, local
   * times): the file that lost power is placed by its name and analysed, one with no time anywhere
   * is listed as not placed, and the run does not fail.
   */
  @Test
  void aCardFolderIsAnalysedAndAnUnplaceableFileIsListed() throws IOException {
    Path card = Files.createDirectories(dir.resolve("card/DCIM/100MEDIA"));
    for (String n :
        new String[] {
          "J0012345_010086_20230601140000_0001.mp4",
          "J0012345_010086_20230601140003_0002.mp4",
          "J0012345_010086_20230601140006_0003.mp4"
        }) {
      Files.move(fixture("gat947/" + n), card.resolve(n));
    }
    Files.move(fixture("remuxed-no-creation-time.mp4", "clip.mp4"), card.resolve("clip.mp4"));
    CliTest.Run r = CliTest.run("analyze", dir.resolve("card").toString(), "--lang", "en");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("NOT_PLACED clip.mp4"), r.out());
    assertTrue(r.out().contains("J0012345"), "the device comes from the names: " + r.out());
    assertTrue(!r.out().contains("MISSING_FILE"), "files 1-3 are one unbroken card: " + r.out());
  }

  /**
   * A folder holding no file (an emptied card) is a usage error saying so: it was analysed as
   * nothing, "no findings" with exit 0, as if its recordings had been checked and were complete.
   */
  @Test
  void anEmptyFolderIsNothingToAnalyzeNotACleanReport() throws IOException {
    Path card = Files.createDirectories(dir.resolve("empty-card/DCIM"));
    CliTest.Run r = CliTest.run("analyze", card.getParent().toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(
        "evidence: nothing to analyze: no file found in " + card.getParent() + "\n", r.err());
    assertFalse(r.out().contains("no findings"), r.out());
  }
}
