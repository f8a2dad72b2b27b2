package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.evidencekit.cli.CliTest.Run;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.s3.S3EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code evidence ingest}, {@code report} and {@code record-sheet} on real H.264 camera files
 * what they store, log and print, that re-ingesting stores nothing
 * twice, that an interrupted ingest is completed, and that the report is well-formed XHTML showing
 * the session.
 */
class IngestReportCliTest {
  static final String[] FILES = DemoCommand.CAMERA_FILES;
  static final String CASE = "ZZ-2023-0042";

  @TempDir Path dir;
  Path cam;
  Path store;
  Path key;
  Path actions;

  @BeforeEach
  void files() throws IOException {
    cam = Files.createDirectories(dir.resolve("DCIM"));
    for (String f : FILES) {
      try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + f)) {
        Files.copy(in, cam.resolve(f));
      }
    }
    store = dir.resolve("store");
    key = dir.resolve("station.pem");
    assertEquals(0, CliTest.run("keygen", "--suite", "sm2", "-o", key.toString()).code());
    actions = dir.resolve("actions.json");
    Files.writeString(
        actions,
        "{\"format\":\"evidencekit.actions/1\",\"actions\":[{\"id\":\"ZZ-2023-0042/inspection\","
            + "\"type\":\"on-site-inspection\",\"start\":\"2023-06-01T14:10:00Z\","
            + "\"end\":\"2023-06-01T14:10:12Z\",\"place\":\"Zaozhuang, Shizhong\","
            + "\"devices\":[\"DEVCAM7\"]}]}");
  }

  private Run ingest(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ingest",
                "--store",
                store.toString(),
                "--device",
                "DEVCAM7",
                "--officer",
                "police-0042",
                "--case",
                CASE,
                "--key",
                key.toString(),
                "--json"));
    args.addAll(List.of(extra));
    return CliTest.run(args.toArray(String[]::new));
  }

  /**
   * Every instant {@code ingest --json} prints is spelled as the seal spells it (docs/cli.md,
   * docs/seal-format.md): ISO-8601 UTC in Java's canonical form, whole seconds with no {@code
   * .000}, a fraction only when there is one, in 3, 6 or 9 digits. A recording's start and end and
   * the run's ingest time are the very strings its seal holds, so the two can be matched as text.
   */
  @Test
  void ingestJsonSpellsInstantsAsTheSealDoes() throws IOException {
    Run r = ingest(cam.resolve(FILES[0]).toString(), "--clock-offset-ms", "1500");
    JsonNode j = new ObjectMapper().readTree(r.out());
    JsonNode rec = j.get("recordings").get(0);
    assertEquals("INGESTED", rec.get("status").asText(), r.out() + r.err());
    assertEquals("2023-06-01T14:10:00Z", rec.get("recordingStart").asText(), rec.toString());
    assertEquals("2023-06-01T14:10:03Z", rec.get("recordingEnd").asText(), rec.toString());
    // 1.5 s ahead: the start on the station's clock has its fraction, to the millisecond
    assertEquals("2023-06-01T14:09:58.500Z", rec.get("correctedStart").asText(), rec.toString());
    String ingestTime = j.get("ingestTime").asText();
    try (FileSystemEvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      RecordingMetadata md =
          EvidenceArchive.open(st, Clock.systemUTC()).seal(k(FILES[0])).metadata().orElseThrow();
      // the seal refuses any spelling but the canonical one, so equal text is the same form
      assertEquals(md.ingestTime().orElseThrow().toString(), ingestTime);
      assertEquals(md.recordingEnd().orElseThrow().toString(), rec.get("recordingEnd").asText());
    }
    // and every other instant of the output, the continuity report's included
    List<String> instants = new ArrayList<>();
    collectInstants(j, instants);
    assertTrue(instants.size() >= 5, instants.toString());
    for (String t : instants) {
      assertTrue(
          t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{3}|\\.\\d{6}|\\.\\d{9})?Z"),
          t);
      assertEquals(Instant.parse(t).toString(), t, "canonical");
    }
  }

  private static void collectInstants(JsonNode n, List<String> out) {
    if (n.isTextual() && n.asText().matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
      out.add(n.asText());
    }
    n.forEach(c -> collectInstants(c, out));
  }

  /**
   * `ledger chain --store` checks the chain the archive holds: whole after an ingest, broken
   * where a seal object was removed behind the store; seal files and --store together are refused.
   */
  @Test
  void aDeviceChainIsCheckedInTheStore() throws IOException {
    ingest(cam.toString());
    Run r = CliTest.run("ledger", "chain", "--device", "DEVCAM7", "--store", store.toString());
    assertEquals(0, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("UNBROKEN: the seals the ledger logged for DEVCAM7"), r.out());
    // an insider removes the first recording's seal object (docs/storage-spi.md:
    // objects/<k1>.d/...)
    Path sealDir = store.resolve("objects/DEVCAM7.d/2023-06-01.d/" + FILES[0] + ".seal.json.o");
    assertTrue(Files.isDirectory(sealDir), sealDir.toString());
    try (var w = Files.walk(sealDir)) {
      for (Path p : (Iterable<Path>) w.sorted(Comparator.reverseOrder())::iterator) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    }
    r = CliTest.run("ledger", "chain", "--device", "DEVCAM7", "--store", store.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("BROKEN: 1 problem(s)"), r.out());
    assertTrue(r.out().contains("CHAIN_MISSING") || r.out().contains("MISSING"), r.out());
    r =
        CliTest.run(
            "ledger", "chain", "--device", "DEVCAM7", "--store", store.toString(), "x.seal.json");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("not both"), r.err());
  }

  /**
   * One seal object replaced behind the store by garbage: {@code report} and {@code
   * record-sheet} still account for the other two recordings and flag the damaged one, with the
   * exit code of the other error findings (1), instead of stopping with exit 2 and no report.
   */
  @Test
  void aDamagedSealObjectIsAFlaggedRowNotTheEndOfTheReport() throws Exception {
    Run in = ingest(cam.toString());
    assertEquals(3, json(in).get("recordings").size(), in.out() + in.err());
    Path content =
        store.resolve("objects/DEVCAM7.d/2023-06-01.d/" + FILES[1] + ".seal.json.o/content");
    assertTrue(Files.isRegularFile(content), content.toString());
    content.toFile().setWritable(true);
    Files.writeString(content, "garbage, not a seal");
    String damaged = k(FILES[1]);

    Path html = dir.resolve("report.html");
    Run r = CliTest.run("report", "--store", store.toString(), "-o", html.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("wrote " + html + ": 3 recording(s), "), r.out());
    assertTrue(r.out().strip().endsWith(", 1 damaged or missing"), r.out());
    String text = parse(html).getDocumentElement().getTextContent();
    for (String f : FILES) {
      assertTrue(text.contains(f), f + " in the report");
    }
    // the report re-verifies: the sweep's account of the damaged seal, the only error finding
    assertTrue(
        text.contains("RECORDING_DAMAGEDArt. 21(2), R-20" + damaged + ": seal cannot be read"),
        text);
    assertEquals(1, text.split("RECORDING_DAMAGED", -1).length - 1, text);

    r =
        CliTest.run(
            "record-sheet", "--store", store.toString(), "--case", CASE, "--format", "json");
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(
        r.err()
            .strip()
            .startsWith("evidence: RECORDING_DAMAGED (Art. 21(2), R-20): " + damaged + ": "),
        r.err());
    assertEquals(1, r.err().strip().lines().count(), "only the damaged one: " + r.err());
    JsonNode sheet = json(r);
    List<String> keys = new ArrayList<>();
    sheet.get("recordings").forEach(x -> keys.add(x.get("key").asText()));
    assertEquals(List.of(k(FILES[0]), k(FILES[1]), k(FILES[2])), keys);
    for (JsonNode x : sheet.get("recordings")) {
      // the two others as before, their roots from their seals; the damaged one has none to give
      assertEquals(
          x.get("key").asText().equals(damaged),
          x.get("sha256Root").asText().isEmpty(),
          x.toString());
    }
  }

  /**
   * A case-class typo is refused before anything is opened: one line, exit 2, and no store folder
   * left behind (a typo'd class would have made the recordings permanent for good, R-16).
   */
  @Test
  void anUnknownCaseClassLeavesNoStoreBehind() {
    Run r = ingest(cam.toString(), "--case-class", "10Y");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().contains("case class '10Y' is not one of the policy's"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(store), "no store created");
  }

  /** A case given twice is a caller's error: one line, exit 2, nothing stored. */
  @Test
  void aCaseGivenTwiceIsRefusedBeforeAnythingIsStored() {
    Run r = ingest(cam.toString(), "--case", CASE);
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(
        "evidence: case " + CASE + " is given twice; name each case the recordings belong to once",
        r.err().strip());
    assertFalse(Files.exists(store), "no store created");
  }

  /**
   * A case id holding a comma is a caller's error: the ledger logs case ids joined by commas, so
   * {@code A,B} would be read back as cases A and B. One line, exit 2, nothing stored.
   */
  @Test
  void aCaseIdWithACommaIsRefusedBeforeAnythingIsStored() {
    Run r = ingest(cam.toString(), "--case", "A,B");
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue(r.err().startsWith("evidence: caseId holds a comma at position 1"), r.err());
    assertEquals(1, r.err().strip().lines().count(), r.err());
    assertFalse(Files.exists(store), "no store created");
  }

  private static JsonNode json(Run r) throws IOException {
    return new ObjectMapper().readTree(r.out());
  }

  /** The ledger's sealed entries (it also holds the retention decisions ingest records). */
  private static long sealedEntries(EvidenceArchive a) throws IOException {
    return a.ledger().entries().stream()
        .filter(e -> e.type().equals(org.evidencekit.ledger.EntryType.SEALED))
        .count();
  }

  private static String k(String file) {
    return "DEVCAM7/2023-06-01/" + file;
  }

  @Test
  void ingestProbesSealsSignsStoresLogsChainsAndRetains() throws Exception {
    String clock = Instant.now().plusSeconds(3600).toString();
    Run r =
        ingest(
            cam.resolve(FILES[0]).toString(),
            cam.resolve(FILES[2]).toString(),
            "--device-clock",
            clock);
    assertEquals(1, r.code(), r.out() + r.err()); // late ingest and a missing middle file
    JsonNode j = json(r);
    long offset = j.get("clockOffsetMillis").asLong();
    assertTrue(Math.abs(offset - 3_600_000) < 120_000, "offset " + offset);
    assertEquals(2, j.get("recordings").size());
    for (JsonNode rec : j.get("recordings")) {
      assertEquals("INGESTED", rec.get("status").asText(), rec.toString());
      assertTrue(rec.get("held").asBoolean(), "an open case holds its recordings");
      assertEquals("LIBRARY", rec.get("enforcement").asText());
      assertEquals(0, rec.get("findings").size(), rec.toString());
      assertTrue(rec.get("notes").toString().contains("EDIT_LIST"), "benign edit lists noted");
    }
    assertEquals(k(FILES[0]), j.get("recordings").get(0).get("key").asText());
    String continuity = j.get("continuity").toString();
    assertTrue(continuity.contains("MISSING_FILE"), continuity);
    assertTrue(continuity.contains("LATE_INGEST"), continuity);

    try (FileSystemEvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      EvidenceArchive a = EvidenceArchive.open(st, Clock.systemUTC());
      Map<String, EvidenceArchive.Sealed> sealed = a.sealedRecordings();
      assertEquals(List.of(k(FILES[0]), k(FILES[2])), new ArrayList<>(sealed.keySet()));
      Seal s1 = a.seal(k(FILES[0]));
      Seal s3 = a.seal(k(FILES[2]));
      RecordingMetadata m1 = s1.metadata().orElseThrow();
      assertEquals("DEVCAM7", m1.deviceId().orElseThrow());
      assertEquals("police-0042", m1.officerId().orElseThrow());
      assertEquals(List.of(CASE), m1.caseIds());
      assertEquals(Instant.parse("2023-06-01T14:10:00Z"), m1.recordingStart().orElseThrow());
      assertEquals(offset, m1.clockOffsetMillis().orElseThrow());
      assertTrue(s1.signature().isPresent(), "signed with the station key");
      assertTrue(m1.previousSealDigest().isEmpty(), "the device's first seal");
      assertEquals(
          s1.digest().hex(),
          s3.metadata().orElseThrow().previousSealDigest().orElseThrow(),
          "003 chains to 001");
      assertArrayEquals(
          Files.readAllBytes(cam.resolve(FILES[0])), readAll(st, ObjectKey.of(k(FILES[0]))));
      ObjectInfo info = st.stat(ObjectKey.of(k(FILES[0])));
      assertTrue(info.legalHold(), "held while the case is open (Art. 19)");
    }
  }

  @Test
  void reIngestingStoresNothingTwiceAndTakesTheNewFile() throws Exception {
    assertEquals(
        1, ingest(cam.resolve(FILES[0]).toString(), cam.resolve(FILES[2]).toString()).code());
    long objectsBefore = countObjects();
    Run again = ingest(cam.toString());
    JsonNode j = json(again);
    assertEquals("ALREADY", j.get("recordings").get(0).get("status").asText());
    assertEquals("INGESTED", j.get("recordings").get(1).get("status").asText());
    assertEquals("ALREADY", j.get("recordings").get(2).get("status").asText());
    assertEquals(objectsBefore + 2, countObjects(), "only 002 and its seal were added");
    assertFalse(j.get("continuity").toString().contains("MISSING_FILE"), "the session is whole");
    Run third = ingest(cam.toString());
    for (JsonNode rec : json(third).get("recordings")) {
      assertEquals("ALREADY", rec.get("status").asText());
    }
    try (FileSystemEvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      assertEquals(3, sealedEntries(EvidenceArchive.open(st, Clock.systemUTC())));
    }
  }

  /**
   * With --clock-mark the ingest time comes from the trusted clock: an archive with no anchor yet
   * needs a named person to start it, and that person is in the ledger.
   */
  @Test
  void theTrustedClockOfAStationNeedsANamedPersonToStart() throws Exception {
    Path mark = dir.resolve("clock-mark");
    Run refused = ingest(cam.resolve(FILES[0]).toString(), "--clock-mark", mark.toString());
    assertEquals(2, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().contains("initialis"), refused.err());
    if (Files.exists(store)) {
      try (FileSystemEvidenceStore st =
              FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC());
          var keys = st.list("DEVCAM7/")) {
        assertEquals(0, keys.count(), "nothing stored");
      }
    }
    Run ok =
        ingest(
            cam.resolve(FILES[0]).toString(),
            "--clock-mark",
            mark.toString(),
            "--init-clock-by",
            "duty-officer-7",
            "--clock-reason",
            "new station, clock checked against the bureau's NTP server");
    assertEquals(
        "INGESTED", json(ok).get("recordings").get(0).get("status").asText(), ok.out() + ok.err());
    try (FileSystemEvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      assertTrue(
          EvidenceArchive.open(st, Clock.systemUTC()).ledger().entries().stream()
              .anyMatch(
                  e ->
                      e.type().equals(org.evidencekit.ledger.EntryType.CLOCK_INITIALISED)
                          && e.actor().equals("duty-officer-7")));
    }
  }

  @Test
  void theSameFileNamedTwiceIsIngestedOnce() throws Exception {
    Path f = cam.resolve(FILES[0]);
    Run r = ingest(f.toString(), f.toString());
    JsonNode recs = json(r).get("recordings");
    assertEquals(1, recs.size(), r.out());
    assertEquals("INGESTED", recs.get(0).get("status").asText(), r.out() + r.err());
    JsonNode skipped = json(r).get("skipped");
    assertEquals("named twice", skipped.get(0).get("reason").asText(), r.out());
    try (FileSystemEvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      assertEquals(1, sealedEntries(EvidenceArchive.open(st, Clock.systemUTC())));
    }
  }

  @Test
  void anIngestThatStoppedAfterTheContentIsCompleted() throws Exception {
    byte[] content = Files.readAllBytes(cam.resolve(FILES[0]));
    try (FileSystemEvidenceStore st =
            FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC());
        WritableObject w = st.create(ObjectKey.of(k(FILES[0])))) {
      w.write(ByteBuffer.wrap(content)); // the crash came after this commit, before seal and log
      w.commit();
    }
    Run r = ingest(cam.resolve(FILES[0]).toString());
    assertEquals("RESUMED", json(r).get("recordings").get(0).get("status").asText(), r.out());
    try (FileSystemEvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      EvidenceArchive a = EvidenceArchive.open(st, Clock.systemUTC());
      assertEquals(1, sealedEntries(a));
      assertTrue(a.sweep(null).clean(), "content, seal and log agree");
    }
  }

  /**
   * Other bytes at the recording's key: left alone, and the recording stored beside them under the
   * key derived from its content, never turned away, with the file and both keys named.
   */
  @Test
  void aKeyHoldingOtherBytesIsLeftAloneAndTheRecordingStoredBesideIt() throws Exception {
    byte[] other = "not the camera file".getBytes(StandardCharsets.UTF_8);
    try (FileSystemEvidenceStore st =
            FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC());
        WritableObject w = st.create(ObjectKey.of(k(FILES[0])))) {
      w.write(ByteBuffer.wrap(other));
      w.commit();
    }
    Path file = cam.resolve(FILES[0]);
    Run r = ingest(file.toString());
    JsonNode rec = json(r).get("recordings").get(0);
    assertEquals("INGESTED", rec.get("status").asText(), r.out());
    assertEquals(file.toString(), rec.get("file").asText());
    String hex =
        org.evidencekit.seal.Sealer.create()
            .seal(file)
            .root(org.evidencekit.hash.HashAlgorithm.SHA256)
            .hex()
            .substring(0, 16);
    String derived = k(FILES[0]).replace(".mp4", "~" + hex + ".mp4");
    assertEquals(derived, rec.get("key").asText(), r.out());
    assertTrue(rec.get("findings").get(0).asText().startsWith("NAME_TAKEN"), rec.toString());
    assertTrue(rec.get("findings").get(0).asText().contains(k(FILES[0])), rec.toString());
    try (FileSystemEvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      assertArrayEquals(other, readAll(st, ObjectKey.of(k(FILES[0]))));
      assertArrayEquals(Files.readAllBytes(file), readAll(st, ObjectKey.of(derived)));
    }
  }

  @Test
  void ingestBadInputsAreOneLineErrors() throws IOException {
    Path f = cam.resolve(FILES[0]);
    assertOneLine(
        CliTest.run("ingest", f.toString(), "--device", "D", "--officer", "o"), "--store");
    assertOneLine(ingest(dir.resolve("nope.mp4").toString()), "nope.mp4");
    assertOneLine(ingest(f.toString(), "--device-clock", "yesterday"), "--device-clock");
    assertOneLine(ingest(f.toString(), "--encrypt", "aes-256-gcm"), "--encrypt and --kek");
    assertOneLine(ingest(f.toString(), "--suite", "md5"), "unknown suite");
    assertOneLine(
        ingest(f.toString(), "--device-clock", Instant.now().toString(), "--clock-offset-ms", "5"),
        "not both");
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertOneLine(
        CliTest.run(
            "ingest", f.toString(), "--store", file.toString(), "--device", "D", "--officer", "o"),
        "not a folder");
    assertOneLine(
        CliTest.run(
            "ingest",
            f.toString(),
            "--store",
            "s3://b/p?colour=red",
            "--device",
            "D",
            "--officer",
            "o"),
        "colour");
    // a device id no key can hold: before, taken, and then every recording failed one by one
    assertOneLine(
        CliTest.run(
            "ingest",
            f.toString(),
            "--store",
            store.toString(),
            "--device",
            "D/E",
            "--officer",
            "o"),
        "device id 'D/E' holds '/' at position 1");
    assertOneLine(
        CliTest.run(
            "ingest",
            f.toString(),
            "--store",
            store.toString(),
            "--device",
            "..",
            "--officer",
            "o"),
        "device id '..' is '..'");
    assertOneLine(
        CliTest.run(
            "ingest",
            f.toString(),
            "--store",
            store.toString(),
            "--device",
            "CAM".repeat(100),
            "--officer",
            "o"),
        "is 300 UTF-8 bytes long: a device id names its key folder (DEVICE/yyyy-MM-dd/NAME): 1 to"
            + " 200 UTF-8 bytes");
    // a seal binds the same rule: the archive would refuse to log it
    assertOneLine(CliTest.run("seal", f.toString(), "--device", "CAM/7"), "device id 'CAM/7'");
    assertFalse(Files.exists(cam.resolve(FILES[0] + ".seal.json")), "no seal written");
    assertFalse(Files.exists(store), "nothing was created for a refused ingest");
  }

  /**
   * A mistyped {@code --clock-offset-ms} (a dozen digits too many) is refused before anything is
   * stored, with the one-year bound {@code analyze} applies (docs/continuity-report.md). Before,
   * {@code -9000000000000000} was signed into every seal and kept the recordings until the year
   * 287224 (retention never shortens), and {@code 9223372036854775807} committed the recordings'
   * content, then failed on writing the first seal ("integer outside the JCS exact range"), leaving
   * content no seal or ledger entry names (session 15, R-08, R-16).
   */
  @Test
  void aClockOffsetOfMoreThanAYearIsATypoRefusedBeforeAnythingIsStored() throws IOException {
    Path f = cam.resolve(FILES[0]);
    for (String typo : new String[] {"-9000000000000000", "9223372036854775807", "31622400001"}) {
      Run r = ingest(f.toString(), "--clock-offset-ms", typo);
      assertOneLine(
          r, "evidence: --clock-offset-ms: a clock offset of " + typo + " ms is more than a year");
      assertFalse(Files.exists(store), "nothing was created for " + typo);
    }
    // a year to the millisecond is still a measurement (a camera never set since new year)
    Run year = ingest(f.toString(), "--clock-offset-ms", "-31622400000");
    assertEquals(1, year.code(), year.err()); // LATE_INGEST and CLOCK_OFFSET, as any 2023 file
    assertEquals(
        "INGESTED", json(year).get("recordings").get(0).get("status").asText(), year.out());
  }

  /**
   * A {@code --device-clock} no clock shows ({@code +100000000-01-01T00:00:00Z}) gave an offset
   * beyond what a seal records: every recording's content was committed, then the first seal's JSON
   * failed ("integer outside the JCS exact range") and {@code sweep} reported the content
   * UNEXPECTED. It is refused before anything is stored; a camera reset to 2000 still ingests
   * (session 15, R-08, R-16).
   */
  @Test
  void aDeviceClockNoClockShowsIsRefusedBeforeAnythingIsStored() throws IOException {
    Path f = cam.resolve(FILES[0]);
    for (String typo : new String[] {"+100000000-01-01T00:00:00Z", "-10000-01-01T00:00:00Z"}) {
      Run r = ingest(f.toString(), "--device-clock", typo);
      assertOneLine(
          r,
          "evidence: --device-clock: a device clock showing "
              + typo
              + " lies outside the years 1 to 9999: no device's clock shows that");
      assertFalse(Files.exists(store), "nothing was created for " + typo);
    }
    // a camera whose clock reset to its factory date: years off, still a measurement
    Run reset = ingest(f.toString(), "--device-clock", "2000-01-01T00:00:00Z");
    assertEquals(1, reset.code(), reset.err()); // CLOCK_OFFSET
    assertEquals(
        "INGESTED", json(reset).get("recordings").get(0).get("status").asText(), reset.out());
  }

  /**
   * A file cut short (its index declares 8 s, 4.36 s of media is left) was 4.4 s at {@code ingest}
   * but 8.000 seconds on the record sheet, which took the length from the sealed span; the sheet
   * now reads the index and gives what the file holds, as ingest does (session 15, R-13, R-15).
   */
  @Test
  void aTruncatedRecordingHasTheSameLengthAtIngestAndOnTheRecordSheet() throws IOException {
    Path cut = dir.resolve("cut").resolve("DEVCAM7_20230601_140000_001.mp4");
    Files.createDirectories(cut.getParent());
    try (InputStream in =
        getClass()
            .getResourceAsStream(
                "/fixtures/f05b_truncated_faststart/DEVCAM7_20230601_140000_001.mp4")) {
      Files.copy(in, cut);
    }
    Run ingested = ingest(cut.toString());
    JsonNode row = json(ingested).get("recordings").get(0);
    assertEquals("INGESTED", row.get("status").asText(), ingested.out());
    double plays = row.get("seconds").asDouble();
    assertTrue(plays > 4 && plays < 5, "about 4.4 s of the 8 s declared: " + plays);
    Run sheet =
        CliTest.run(
            "record-sheet", "--store", store.toString(), "--case", CASE, "--format", "json");
    JsonNode rec = new ObjectMapper().readTree(sheet.out()).get("recordings").get(0);
    assertEquals(
        String.format(Locale.ROOT, "%.3f", plays), rec.get("seconds").asText(), sheet.out());
  }

  /**
   * A zero-byte file was {@code NOT_MEDIA only 0 bytes: not a media file} at ingest but {@code
   * EMPTY_RECORDING} at seal: ingest now calls it what sealing and verifying call it (session 15).
   */
  @Test
  void anEmptyFileIsAnEmptyRecordingAtIngestAsAtSeal() throws IOException {
    Path empty =
        Files.createDirectories(dir.resolve("e")).resolve("DEVCAM7_20230601_150000_001.mp4");
    Files.write(empty, new byte[0]);
    Run r = ingest(empty.toString());
    JsonNode row = json(r).get("recordings").get(0);
    assertEquals("INGESTED", row.get("status").asText(), r.out());
    List<String> codes = new ArrayList<>();
    row.get("codedFindings").forEach(f -> codes.add(f.get("code").asText()));
    assertTrue(codes.contains("EMPTY_RECORDING"), codes.toString());
    assertFalse(codes.contains("NOT_MEDIA"), codes.toString());
  }

  /**
   * The record sheet says why a length is not end minus start (session 15's review): a truncated
   * file's end is the end its index declares beside the shorter length it holds, and a recording
   * stored encrypted at rest cannot have its index read, so its length is the sealed span (8 s
   * where ingest reported about 4.4 s). Before, the printed sheet gave either without a word.
   */
  @Test
  void theRecordSheetSaysWhyATruncatedOrEncryptedRecordingsLengthIsWhatItIs() throws IOException {
    Path cut = dir.resolve("cut").resolve("DEVCAM7_20230601_140000_001.mp4");
    Files.createDirectories(cut.getParent());
    try (InputStream in =
        getClass()
            .getResourceAsStream(
                "/fixtures/f05b_truncated_faststart/DEVCAM7_20230601_140000_001.mp4")) {
      Files.copy(in, cut);
    }
    assertEquals(
        "INGESTED", json(ingest(cut.toString())).get("recordings").get(0).get("status").asText());
    Run plain =
        CliTest.run(
            "record-sheet", "--store", store.toString(), "--case", CASE, "--format", "html");
    assertEquals(0, plain.code(), plain.err());
    assertTrue(
        plain.out().contains("Its file was cut short: its length is the media left"), plain.out());
    assertFalse(plain.out().contains("Its index could not be read"), plain.out());

    Path kek = dir.resolve("kek-1.hex");
    assertEquals(0, CliTest.run("kek-gen", "-o", kek.toString()).code());
    Path encrypted = dir.resolve("encrypted-store");
    Run in =
        CliTest.run(
            "ingest",
            cut.toString(),
            "--store",
            encrypted.toString(),
            "--device",
            "DEVCAM7",
            "--officer",
            "police-0042",
            "--case",
            CASE,
            "--key",
            key.toString(),
            "--json",
            "--encrypt",
            "sm4-gcm",
            "--kek",
            kek.toString());
    assertEquals("INGESTED", json(in).get("recordings").get(0).get("status").asText(), in.out());
    Run sealed =
        CliTest.run(
            "record-sheet", "--store", encrypted.toString(), "--case", CASE, "--format", "json");
    assertEquals(
        "8.000",
        new ObjectMapper().readTree(sealed.out()).get("recordings").get(0).get("seconds").asText(),
        "the span its seal declares: " + sealed.out());
    Run html =
        CliTest.run(
            "record-sheet", "--store", encrypted.toString(), "--case", CASE, "--format", "html");
    assertTrue(
        html.out().contains("Its index could not be read (stored encrypted at rest"), html.out());
    assertFalse(html.out().contains("Its file was cut short"), html.out());
  }

  @Test
  void theReportIsWellFormedXhtmlWithTheSessionsTimeline() throws Exception {
    ingest(cam.resolve(FILES[0]).toString(), cam.resolve(FILES[2]).toString());
    Path html = dir.resolve("report.html");
    Run r =
        CliTest.run(
            "report",
            "--store",
            store.toString(),
            "--actions",
            actions.toString(),
            "-o",
            html.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.out().contains("2 recording(s)"), r.out());
    Document d = parse(html);
    NodeList svgs = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
    assertEquals(1, svgs.getLength());
    Element svg = (Element) svgs.item(0);
    assertEquals("DEVCAM7", svg.getAttribute("data-device"));
    assertEquals("police-0042", svg.getAttribute("data-officer"));
    assertEquals(2, rects(d, "recording").size());
    assertEquals(1, rects(d, "action").size());
    assertEquals(1, rects(d, "gap").size(), "the missing 002");
    assertEquals(2, rects(d, "uncovered").size(), "the hole and the early stop");
    assertEquals(k(FILES[0]), rects(d, "recording").get(0).getAttribute("data-ref"));
    String text = d.getDocumentElement().getTextContent();
    assertTrue(text.contains("MISSING_FILE"), "findings table");
    assertTrue(text.contains("Art. 21(2)"), "with articles");
    assertTrue(text.contains("2 intact, 0 damaged"), "re-verified");
    // two sealed entries and the two retention decisions recorded with them
    assertTrue(text.contains("4 entries, root "), "ledger state");
    assertTrue(text.contains("legal hold"), "retention status");
    assertFalse(new String(Files.readAllBytes(html), StandardCharsets.UTF_8).contains("<script"));

    // with the station's public key every seal's signature is checked; with another key none is
    Path trusted = dir.resolve("trusted.html");
    Run t =
        CliTest.run(
            "report",
            "--store",
            store.toString(),
            "--trust",
            dir.resolve("station.pub.pem").toString(),
            "-o",
            trusted.toString());
    assertEquals(1, t.code(), t.err()); // the session's findings remain
    String tt = parse(trusted).getDocumentElement().getTextContent();
    assertTrue(tt.contains("verified (sha256:"), "signatures verified");
    assertFalse(tt.contains("SEAL_NOT_TRUSTED"), tt);
    Path other = dir.resolve("other.pem");
    assertEquals(0, CliTest.run("keygen", "--suite", "ed25519", "-o", other.toString()).code());
    Path untrusted = dir.resolve("untrusted.html");
    CliTest.run(
        "report",
        "--store",
        store.toString(),
        "--trust",
        dir.resolve("other.pub.pem").toString(),
        "-o",
        untrusted.toString());
    assertTrue(
        parse(untrusted).getDocumentElement().getTextContent().contains("SEAL_NOT_TRUSTED"),
        "a seal signed by a key nobody trusts is a finding");

    // an existing report is not replaced without --force; a missing store is refused
    assertOneLine(
        CliTest.run("report", "--store", store.toString(), "-o", html.toString()),
        "already exists");
    assertOneLine(
        CliTest.run("report", "--store", dir.resolve("none").toString(), "-o", "x.html"),
        "store not found");
    assertOneLine(
        CliTest.run(
            "report",
            "--store",
            store.toString(),
            "--from",
            "2023-06-02T00:00:00Z",
            "--to",
            "2023-06-01T00:00:00Z",
            "-o",
            dir.resolve("y.html").toString()),
        "--from must be before --to");
    Run filtered =
        CliTest.run(
            "report",
            "--store",
            store.toString(),
            "--device",
            "OTHER",
            "-o",
            dir.resolve("other.html").toString());
    // nothing matches (a mistyped id?): the empty report is written, and said, as record-sheet does
    assertEquals(1, filtered.code(), filtered.err());
    assertEquals(
        "evidence: no sealed recording matches the selection; the report is empty",
        filtered.err().strip());
    assertEquals(0, rects(parse(dir.resolve("other.html")), "recording").size());
  }

  @Test
  void theReportShowsACutInsideAStoredFileFromItsIndex() throws Exception {
    Path cut = dir.resolve("DEVCAM7_20230601_143000_001.mp4");
    try (InputStream in = DemoCommand.class.getResourceAsStream("demo/" + cut.getFileName())) {
      Files.copy(in, cut);
    }
    Run r = ingest(cut.toString());
    assertTrue(
        json(r).get("recordings").get(0).get("findings").toString().contains("TIMESTAMP_GAP"),
        r.out());
    Path html = dir.resolve("cut.html");
    CliTest.run("report", "--store", store.toString(), "-o", html.toString());
    Document d = parse(html);
    List<Element> gaps = rects(d, "internal-gap");
    assertFalse(gaps.isEmpty(), "the hole inside the file is drawn");
    assertFalse(rects(d, "splice").isEmpty(), "and marked where the index says");
    String text = d.getDocumentElement().getTextContent();
    assertTrue(text.contains("INTERNAL_GAP"), "and reported as a finding");
  }

  @Test
  void hostileMetadataCannotBreakOrScriptTheReport() throws Exception {
    String evil = "<script>alert('x')</script>&\"]]>";
    // a control character could forge a line of output: refused, nothing stored
    Run refused =
        CliTest.run(
            "ingest",
            cam.resolve(FILES[0]).toString(),
            "--store",
            store.toString(),
            "--device",
            "CAM7",
            "--officer",
            "p\nINGESTED CAM7/x.mp4");
    assertEquals(2, refused.code(), refused.out() + refused.err());
    assertTrue(refused.err().contains("U+000A"), refused.err());
    if (Files.exists(store)) {
      try (FileSystemEvidenceStore st =
              FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC());
          var keys = st.list("CAM7/")) {
        assertEquals(0, keys.count(), "nothing stored");
      }
    }
    Run r =
        CliTest.run(
            "ingest",
            cam.resolve(FILES[0]).toString(),
            "--store",
            store.toString(),
            "--device",
            "CAM\"<7>",
            "--officer",
            evil,
            "--case",
            evil,
            "--json");
    assertEquals("INGESTED", json(r).get("recordings").get(0).get("status").asText(), r.err());
    Path html = dir.resolve("evil.html");
    CliTest.run("report", "--store", store.toString(), "-o", html.toString());
    String raw = Files.readString(html);
    assertFalse(raw.contains("<script"), "escaped");
    Document d = parse(html); // still well-formed XML
    assertTrue(d.getDocumentElement().getTextContent().contains("<script>alert('x')</script>"));
    Run sheet =
        CliTest.run(
            "record-sheet", "--store", store.toString(), "--case", evil, "--format", "html");
    assertFalse(sheet.out().contains("<script"), sheet.out());
  }

  @Test
  void theRecordSheetListsEveryRecordingOfTheCase() throws Exception {
    ingest(cam.toString());
    Run csv =
        CliTest.run(
            "record-sheet",
            "--store",
            store.toString(),
            "--case",
            CASE,
            "--actions",
            actions.toString());
    assertEquals(0, csv.code(), csv.err());
    List<String> lines = csv.out().lines().toList();
    assertEquals(4, lines.size(), csv.out());
    assertTrue(lines.get(0).startsWith("no,file,mediaType,seconds,bytes,sha256Root"));
    assertTrue(lines.get(1).startsWith("1,DEVCAM7_20230601_141000_001.mp4,video/mp4,3.000,"));
    assertTrue(lines.get(1).contains("\"Zaozhuang, Shizhong\""), "place from the action");
    assertTrue(lines.get(1).contains(",police-0042,"), "responsible person");
    assertTrue(lines.get(1).contains(store.toAbsolutePath().toString()), "storage location");
    assertTrue(lines.get(3).contains(k(FILES[2])));

    Run js =
        CliTest.run(
            "record-sheet", "--store", store.toString(), "--case", CASE, "--format", "json");
    JsonNode j = new ObjectMapper().readTree(js.out());
    assertEquals("evidencekit.record-sheet/1", j.get("format").asText());
    assertEquals(3, j.get("count").asInt());
    assertEquals("2023-06-01 22:10:03", j.get("recordings").get(1).get("startLocal").asText());

    Path html = dir.resolve("sheet.html");
    assertEquals(
        0,
        CliTest.run(
                "record-sheet",
                "--store",
                store.toString(),
                "--case",
                CASE,
                "--format",
                "html",
                "-o",
                html.toString())
            .code());
    Document d = parse(html);
    assertEquals(4, d.getElementsByTagName("tr").getLength());

    Run none = CliTest.run("record-sheet", "--store", store.toString(), "--case", "NO-SUCH");
    assertEquals(1, none.code());
    assertTrue(none.err().contains("no sealed recording names case NO-SUCH"), none.err());
    assertOneLine(CliTest.run("record-sheet", "--store", store.toString()), "--case");
    assertOneLine(
        CliTest.run("record-sheet", "--store", store.toString(), "--case", CASE, "--format", "pdf"),
        "--format");
  }

  /**
   * A recording of the case gone from the store (removed by hand: the store never deletes one) is
   * an error the sheet answers for: it is still listed, the error is named on stderr, and
   * the exit code is 1 as the report's. The unrecorded stretch and late ingest of {@code --actions}
   * are the report's findings and leave the sheet's exit code alone (exit 0 above).
   */
  @Test
  void aRecordingGoneFromTheStoreFailsTheRecordSheet() throws Exception {
    ingest(cam.resolve(FILES[0]).toString(), cam.resolve(FILES[1]).toString());
    Path object = store.resolve("objects").resolve(k(FILES[0]).replace("/", ".d/") + ".o");
    assertTrue(Files.isDirectory(object), object.toString());
    try (Stream<Path> all = Files.walk(object)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        p.getParent().toFile().setWritable(true);
        Files.delete(p);
      }
    }
    Path file = dir.resolve("gone.csv");
    Run r =
        CliTest.run(
            "record-sheet",
            "--store",
            store.toString(),
            "--case",
            CASE,
            "--actions",
            actions.toString(),
            "-o",
            file.toString());
    assertEquals(1, r.code(), r.out() + r.err());
    assertEquals(
        List.of(
            "wrote " + file + ": 2 recording(s), 1 finding(s) (1 error(s)), 1 damaged or missing"),
        r.out().lines().toList());
    assertEquals(
        List.of(
            "evidence: RECORDING_MISSING (Art. 21(2), R-20): "
                + k(FILES[0])
                + ": the recording is not in the store"),
        r.err().lines().toList());
    List<String> lines = Files.readAllLines(file);
    assertEquals(3, lines.size(), "both still on the sheet");
    // and the gone one's status says so, in the CSV and the JSON alike (it was "kept")
    List<String> head = List.of(lines.get(0).split(",", -1));
    for (String line : lines.subList(1, 3)) {
      // counted from the end: the place ("Zaozhuang, Shizhong") is a quoted cell with a comma
      String[] cells = line.split(",", -1);
      String key = cells[cells.length - (head.size() - head.indexOf("key"))];
      String status = cells[cells.length - (head.size() - head.indexOf("status"))];
      assertEquals(key.equals(k(FILES[0])) ? "missing" : "kept", status, line);
    }
    r =
        CliTest.run(
            "record-sheet", "--store", store.toString(), "--case", CASE, "--format", "json");
    assertEquals(1, r.code(), r.out() + r.err());
    JsonNode rows = new ObjectMapper().readTree(r.out()).get("recordings");
    assertEquals(2, rows.size(), r.out());
    for (JsonNode row : rows) {
      assertEquals(
          row.get("key").asText().equals(k(FILES[0])) ? "missing" : "kept",
          row.get("status").asText(),
          row.toString());
    }
  }

  @Test
  void anEncryptedIngestIsSweptWithItsKeyAndRecognisedAgain() throws Exception {
    Path kek = dir.resolve("kek-2026.hex");
    assertEquals(0, CliTest.run("kek-gen", "-o", kek.toString()).code());
    Run r =
        ingest(cam.resolve(FILES[0]).toString(), "--encrypt", "sm4-gcm", "--kek", kek.toString());
    assertEquals("INGESTED", json(r).get("recordings").get(0).get("status").asText(), r.err());
    try (FileSystemEvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC())) {
      byte[] stored = readAll(st, ObjectKey.of(k(FILES[0])));
      byte[] plain = Files.readAllBytes(cam.resolve(FILES[0]));
      assertFalse(
          new String(stored, StandardCharsets.ISO_8859_1)
              .contains(new String(plain, 4, 8, StandardCharsets.ISO_8859_1)),
          "stored bytes are not the plaintext");
    }
    Run sweep = CliTest.run("sweep", store.toString(), "--kek", kek.toString());
    assertEquals(0, sweep.code(), sweep.out() + sweep.err());
    // an authorised export decrypts (verified against the seal) and is logged
    Path out = dir.resolve("export.mp4");
    Run export =
        CliTest.run(
            "export",
            "--clock-mark",
            CliTest.mark(dir),
            store.toString(),
            k(FILES[0]),
            "--actor",
            "clerk-2",
            "--reason",
            "appeal",
            "--to",
            "court-7",
            "--key",
            key.toString(),
            "--decrypt-to",
            out.toString(),
            "--kek",
            kek.toString(),
            "-o",
            dir.resolve("export.bundle.json").toString());
    assertEquals(0, export.code(), export.out() + export.err());
    assertArrayEquals(Files.readAllBytes(cam.resolve(FILES[0])), Files.readAllBytes(out));
    Run again =
        ingest(cam.resolve(FILES[0]).toString(), "--encrypt", "sm4-gcm", "--kek", kek.toString());
    assertEquals("ALREADY", json(again).get("recordings").get(0).get("status").asText());
  }

  @Test
  void quietWorksForEverySubcommand() throws Exception {
    ingest(cam.resolve(FILES[0]).toString());
    Run loud = CliTest.run("sweep", store.toString());
    assertEquals(0, loud.code(), loud.err());
    assertTrue(loud.out().contains("CLEAN"), loud.out());
    Run quiet = CliTest.run("sweep", store.toString(), "-q");
    assertEquals(0, quiet.code(), quiet.err());
    assertEquals("", quiet.out());
    Run q2 = CliTest.run("record-sheet", "--store", store.toString(), "--case", CASE, "--quiet");
    assertEquals(0, q2.code());
    assertEquals("", q2.out());
    Run bad = CliTest.run("sweep", dir.resolve("none").toString(), "-q");
    assertOneLine(bad, "store not found"); // errors still reach stderr
  }

  /**
   * A card folder with no recording in it (not mounted yet, or only operating system debris) is
   * exit 2 with a line saying so, not "0 ingested" with exit 0, which a docking script would take
   * for success. It created the new store and printed the table's header first (session 15).
   */
  @Test
  void aFolderWithNoRecordingIsNothingToIngest() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("unmounted"));
    List<String> args =
        List.of("--store", store.toString(), "--device", "DEVCAM7", "--officer", "p");
    List<String> run = new ArrayList<>(List.of("ingest", empty.toString()));
    run.addAll(args);
    Run none = CliTest.run(run.toArray(String[]::new));
    assertOneLine(none, "nothing to ingest");
    // bad input: no table header before the refusal, and no new, empty store left behind
    assertEquals("", none.out());
    assertFalse(Files.exists(store), "no store was created for nothing to ingest");
    // what a Mac leaves on a card it mounted: the Finder's settings, 00 00 00 01 "Bud1"
    byte[] dsStore = new byte[6148];
    System.arraycopy(new byte[] {0, 0, 0, 1, 'B', 'u', 'd', '1'}, 0, dsStore, 0, 8);
    Path ds = Files.write(empty.resolve(".DS_Store"), dsStore);
    run.add("--json");
    Run json = CliTest.run(run.toArray(String[]::new));
    // the line names what it skipped and why, not only how many
    assertOneLine(
        json,
        "nothing to ingest: no recording found; 1 skipped: "
            + ds
            + " (operating system debris: the macOS Finder's folder settings (.DS_Store), not a"
            + " recording)");
    assertEquals("", json.out());
    assertFalse(Files.exists(store));
  }

  /**
   * What a Mac left on the card is listed, path and reason, in the table and in the JSON, and is
   * not stored: the officer sees every file that was not ingested.
   */
  @Test
  void operatingSystemDebrisIsListedAndNotStored() throws Exception {
    byte[] appleDouble = new byte[4096];
    System.arraycopy(new byte[] {0x00, 0x05, 0x16, 0x07, 0x00, 0x02}, 0, appleDouble, 0, 6);
    Path debris = Files.write(cam.resolve("._" + FILES[0]), appleDouble);
    List<String> args =
        new ArrayList<>(
            List.of(
                "ingest",
                cam.toString(),
                "--store",
                store.toString(),
                "--device",
                "DEVCAM7",
                "--officer",
                "p"));
    Run table = CliTest.run(args.toArray(String[]::new));
    assertTrue(table.code() < 2, table.out() + table.err());
    assertTrue(
        table
            .out()
            .contains("skipped " + debris + ": operating system debris: a macOS AppleDouble"),
        table.out());
    args.add("--json");
    Run json = CliTest.run(args.toArray(String[]::new));
    JsonNode skipped = new ObjectMapper().readTree(json.out()).get("skipped");
    assertEquals(1, skipped.size(), json.out());
    assertEquals(debris.toString(), skipped.get(0).get("path").asText());
    try (FileSystemEvidenceStore st = FileSystemEvidenceStore.open(store, Clock.systemUTC());
        Stream<ObjectInfo> s = st.list("DEVCAM7/")) {
      assertTrue(s.noneMatch(i -> i.key().value().contains("/._")), "no debris stored");
    }
  }

  /**
   * The table's RECORDED column is in the trusted clock's time, as the record sheet is: a
   * camera an hour ahead recorded 001 at 14:10:00 by its own clock, 13:10:00 in truth.
   */
  @Test
  void theIngestTableShowsTheCorrectedTimeTheRecordSheetShows() throws Exception {
    Run r =
        CliTest.run(
            "ingest",
            cam.resolve(FILES[0]).toString(),
            "--store",
            store.toString(),
            "--device",
            "DEVCAM7",
            "--officer",
            "police-0042",
            "--case",
            CASE,
            "--clock-offset-ms",
            "3600000");
    String row = r.out().lines().filter(l -> l.startsWith("INGESTED")).findFirst().orElseThrow();
    assertTrue(row.contains(" 2023-06-01 13:10:00 "), r.out());
    assertFalse(row.contains("14:10:00"), "not the camera's clock: " + row);
    JsonNode sheet =
        new ObjectMapper()
            .readTree(
                CliTest.run(
                        "record-sheet",
                        "--store",
                        store.toString(),
                        "--case",
                        CASE,
                        "--format",
                        "json")
                    .out());
    String start = sheet.get("recordings").get(0).get("start").asText();
    assertEquals(Instant.parse("2023-06-01T13:10:00Z"), Instant.parse(start), start);
    // and ingest --json gives both clocks, named
    Path other = Files.createTempDirectory(store.getParent(), "json-store");
    JsonNode j =
        new ObjectMapper()
            .readTree(
                CliTest.run(
                        "ingest",
                        cam.resolve(FILES[0]).toString(),
                        "--store",
                        other.toString(),
                        "--device",
                        "DEVCAM7",
                        "--officer",
                        "police-0042",
                        "--clock-offset-ms",
                        "3600000",
                        "--json")
                    .out());
    JsonNode rec = j.get("recordings").get(0);
    assertEquals(
        Instant.parse("2023-06-01T14:10:00Z"),
        Instant.parse(rec.get("recordingStart").asText()),
        rec.toString());
    assertEquals(
        Instant.parse("2023-06-01T13:10:00Z"),
        Instant.parse(rec.get("correctedStart").asText()),
        rec.toString());
  }

  /**
   * The table's columns line up whatever the names: a key longer than the column's old fixed width
   * (a phone's or another camera's naming) pushed the rest of its row to the right.
   */
  @Test
  void theIngestTableLinesUpForLongAndShortNames() throws Exception {
    Files.copy(cam.resolve(FILES[0]), cam.resolve("GH010123.MP4"));
    Files.copy(
        cam.resolve(FILES[1]),
        cam.resolve("J0012345_010086_20230601141003_0002_with_a_long_tail.mp4"));
    Run r =
        CliTest.run(
            "ingest",
            cam.toString(),
            "--store",
            store.toString(),
            "--device",
            "DEVCAM7",
            "--officer",
            "police-0042");
    List<String> lines = r.out().lines().toList();
    String header = lines.stream().filter(l -> l.startsWith("STATUS")).findFirst().orElseThrow();
    int recorded = header.indexOf("RECORDED (UTC)");
    List<String> rows = lines.stream().filter(l -> l.startsWith("INGESTED")).toList();
    assertEquals(FILES.length + 2, rows.size(), r.out());
    for (String row : rows) {
      assertEquals(recorded, row.indexOf(" 2023-06-01 ") + 1, "RECORDED lines up:\n" + r.out());
    }
  }

  /**
   * The camera's folder given where the store belongs: one line, exit 2, the folder left as it was.
   * Before, it was made a store (objects/, tmp/) and swept "CLEAN: 0 checked" with exit 0, and
   * ingested into itself as "0 ingested" with exit 0.
   */
  @Test
  void aCameraFolderGivenAsTheStoreIsRefusedAndLeftAlone() throws Exception {
    List<Path> before;
    try (Stream<Path> s = Files.list(cam)) {
      before = s.sorted().toList();
    }
    assertOneLine(CliTest.run("sweep", cam.toString()), "holds other files and no store");
    assertOneLine(
        CliTest.run("report", "--store", cam.toString(), "-o", dir.resolve("r.html").toString()),
        "no store");
    assertOneLine(
        CliTest.run(
            "ingest", cam.toString(), "--store", cam.toString(), "--device", "D", "--officer", "p"),
        "is the store's folder or inside it");
    try (Stream<Path> s = Files.list(cam)) {
      assertEquals(before, s.sorted().toList(), "nothing was added to the camera's folder");
    }
    // a home folder (files, no store) given as the store of a first ingest: before, ingest made
    // it a store, objects/ and tmp/ beside the officer's files
    Path home = Files.createDirectories(dir.resolve("home"));
    Files.writeString(home.resolve("notes.txt"), "shopping list");
    assertOneLine(
        CliTest.run(
            "ingest",
            cam.toString(),
            "--store",
            home.toString(),
            "--device",
            "D",
            "--officer",
            "p"),
        "holds other files and no store");
    try (Stream<Path> s = Files.list(home)) {
      assertEquals(List.of(home.resolve("notes.txt")), s.toList(), "the home folder is untouched");
    }
  }

  @Test
  void abandonedWritesAreAnS3MatterAndAgesAreChecked() throws Exception {
    ingest(cam.resolve(FILES[0]).toString());
    assertOneLine(
        CliTest.run("sweep", store.toString(), "--abandoned", "1d"), "--abandoned is for s3:");
    assertOneLine(CliTest.run("sweep", store.toString(), "--abandoned", "soon"), "not an age");
    assertEquals(java.time.Duration.ofHours(12), LedgerCommand.Sweep.age("12h"));
    assertEquals(java.time.Duration.ofMinutes(30), LedgerCommand.Sweep.age("PT30M"));
  }

  @Test
  void theDemoWritesTheReportAndTheRecordSheet() throws Exception {
    Path demo = dir.resolve("demo");
    Run d = CliTest.run("demo", "--dir", demo.toString());
    assertEquals(0, d.code(), d.err());
    assertTrue(d.out().contains("report.html: 3 recordings"), d.out());
    Document doc = parse(demo.resolve("report.html"));
    assertEquals(3, rects(doc, "recording").size());
    assertEquals(1, rects(doc, "recording tampered").size(), "the insider's edit of 003");
    assertTrue(
        doc.getDocumentElement().getTextContent().contains("verified (sha256:"),
        "the demo's report checks the seals against the station key");
    String demoText = doc.getDocumentElement().getTextContent();
    assertTrue(demoText.contains("TAMPERED [[0,"), "the damaged copy's changed bytes");
    assertFalse(demoText.contains("SIGNATURE_UNCHECKED"), "no informational noise as damage");
    assertFalse(rects(doc, "uncovered").isEmpty(), "the unrecorded end of the inspection");
    List<String> sheet = Files.readAllLines(demo.resolve("ZZ-2023-0042.record-sheet.csv"));
    assertEquals(3, sheet.size(), "header and the case's two recordings");
  }

  /** With a real S3 server: ingest into an Object Lock bucket, enforced by the storage. */
  @Test
  void ingestIntoS3IsEnforcedByTheStorage() throws Exception {
    String endpoint = System.getenv("S3_ENDPOINT");
    assumeTrue(endpoint != null && !endpoint.isBlank(), "S3_ENDPOINT is not set");
    System.setProperty("aws.accessKeyId", System.getenv("S3_ACCESS_KEY"));
    System.setProperty("aws.secretAccessKey", System.getenv("S3_SECRET_KEY"));
    String bucket = "evidencekit-cli-" + Long.toString(System.nanoTime() & 0xffffffffL, 36);
    S3EvidenceStore.Builder b =
        S3EvidenceStore.builder()
            .bucket(bucket)
            .endpoint(URI.create(endpoint))
            .credentials(System.getenv("S3_ACCESS_KEY"), System.getenv("S3_SECRET_KEY"));
    try (var client = b.buildClient()) {
      S3EvidenceStore.createLockedBucket(client, bucket);
    }
    String uri = "s3://" + bucket + "/bureau-7?endpoint=" + endpoint;
    Run r = ingestInto(uri, FILES[0]);
    JsonNode rec = new ObjectMapper().readTree(r.out()).get("recordings").get(0);
    assertEquals("INGESTED", rec.get("status").asText(), r.out() + r.err());
    // a 2023 recording ingested now is kept two years from its ingest, locked by the storage
    assertEquals("STORAGE", rec.get("enforcement").asText(), rec.toString());
    assertTrue(
        Instant.parse(rec.get("retainUntil").asText())
            .isAfter(Instant.now().plus(Duration.ofDays(700))),
        rec.toString());
    Run held = ingestInto(uri, FILES[1], "--case", CASE);
    JsonNode h = new ObjectMapper().readTree(held.out()).get("recordings").get(0);
    assertEquals("STORAGE", h.get("enforcement").asText(), held.out() + held.err());
    try (S3EvidenceStore s = b.prefix("bureau-7").open()) {
      ObjectInfo info = s.stat(ObjectKey.of(k(FILES[1])));
      assertTrue(info.legalHold() && info.storageEnforced(), info.toString());
    }
    Run swept = CliTest.run("sweep", uri, "--abandoned", "1d");
    assertEquals(0, swept.code(), swept.out() + swept.err());
    assertTrue(
        swept.out().contains("0 upload(s) aborted, 0 unreferenced data object(s) deleted"),
        swept.out());
    assertTrue(swept.out().contains("CLEAN"), swept.out());
    Path sheet = dir.resolve("s3.csv");
    assertEquals(
        0,
        CliTest.run("record-sheet", "--store", uri, "--case", CASE, "-o", sheet.toString()).code());
    assertTrue(Files.readString(sheet).contains(uri), "the storage location is the bucket");
  }

  // ------------------------------------------------------------------ helpers

  private Run ingestInto(String storeUri, String file, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "ingest",
                cam.resolve(file).toString(),
                "--store",
                storeUri,
                "--device",
                "DEVCAM7",
                "--officer",
                "police-0042",
                "--json"));
    args.addAll(List.of(extra));
    return CliTest.run(args.toArray(String[]::new));
  }

  private static void assertOneLine(Run r, String containing) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(containing), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
  }

  private long countObjects() throws IOException {
    try (FileSystemEvidenceStore st =
            FileSystemEvidenceStore.openOrCreate(store, Clock.systemUTC());
        Stream<ObjectInfo> s = st.list("DEVCAM7/")) {
      return s.count();
    }
  }

  private static byte[] readAll(FileSystemEvidenceStore st, ObjectKey k) throws IOException {
    try (InputStream in = java.nio.channels.Channels.newInputStream(st.openRead(k))) {
      return in.readAllBytes();
    }
  }

  static Document parse(Path html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setExpandEntityReferences(false);
    return f.newDocumentBuilder().parse(html.toFile());
  }

  static List<Element> rects(Document d, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList all = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (e.getAttribute("class").equals(cls)
          || (cls.equals("recording") && e.getAttribute("class").startsWith("recording"))) {
        out.add(e);
      }
    }
    return out;
  }
}
