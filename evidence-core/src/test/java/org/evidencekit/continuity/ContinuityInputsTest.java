package org.evidencekit.continuity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input files of an analysis (docs/continuity-report.md, "Input files"), read strictly: each
 * refusal below is an input that, read leniently, would change the verdict without a word (R-02,
 *
 */
class ContinuityInputsTest {
  @TempDir Path dir;

  static byte[] resource(String name) {
    try (InputStream in = ContinuityInputsTest.class.getResourceAsStream("/continuity/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("test resource /continuity/" + name, e);
    }
  }

  private static InputStream in(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String action(String id, String type, String more) {
    return "{\"id\":\""
        + id
        + "\",\"type\":\""
        + type
        + "\",\"start\":\"2023-06-01T14:10:00Z\",\"end\":\"2023-06-01T14:10:09Z\""
        + more
        + "}";
  }

  private static String actions(String... entries) {
    return "{\"format\":\"evidencekit.actions/1\",\"actions\":[" + String.join(",", entries) + "]}";
  }

  private static String refusal(ThrowingRead read) {
    return assertThrows(ContinuityFormatException.class, read::run).getMessage();
  }

  @FunctionalInterface
  private interface ThrowingRead {
    void run() throws IOException;
  }

  @Test
  void theDocumentedExamplesReadAsWritten() throws IOException {
    List<EnforcementAction> actions =
        ContinuityInputs.readActions(new ByteArrayInputStream(resource("actions.json")));
    assertEquals(1, actions.size());
    EnforcementAction a = actions.get(0);
    assertEquals("ZZ-2023-0042/inspection", a.id());
    assertEquals(EnforcementAction.ON_SITE_INSPECTION, a.type());
    assertEquals(Instant.parse("2023-06-01T14:10:00Z"), a.span().start());
    assertEquals(Instant.parse("2023-06-01T14:10:09Z"), a.span().end());
    assertEquals(Optional.of("Zaozhuang"), a.place());
    assertEquals(List.of("DEVCAM7"), a.deviceIds());
    assertEquals(List.of("police-0042"), a.officerIds());
    assertEquals(List.of(), a.recordingIds());
    assertEquals(List.of("premises", "records"), a.stages().stream().map(s -> s.name()).toList());
    assertEquals(Instant.parse("2023-06-01T14:10:06Z"), a.stages().get(1).span().start());

    List<WrittenDocument> docs =
        ContinuityInputs.readDocuments(new ByteArrayInputStream(resource("documents.json")));
    assertEquals(
        List.of(
            new WrittenDocument(
                "D1",
                "inspection record",
                new Interval(
                    Instant.parse("2023-06-01T14:10:00Z"), Instant.parse("2023-06-01T14:10:09Z")),
                List.of("DEVCAM7_20230601_141000_001.mp4"),
                List.of("ZZ-2023-0042/inspection"))),
        docs);

    Map<String, DeviceFacts> devices =
        ContinuityInputs.readDevices(new ByteArrayInputStream(resource("devices.json")));
    assertEquals(List.of("DEVCAM7", "DEVCAM8", "DEVCAM9"), List.copyOf(devices.keySet()));
    assertEquals(
        new DeviceFacts(
            "DEVCAM7",
            Optional.of("police-0042"),
            Optional.of(Duration.ofMillis(1200)),
            Optional.of(Instant.parse("2023-06-01T18:00:00Z"))),
        devices.get("DEVCAM7"));
    assertEquals(Optional.of(Duration.ofDays(-1)), devices.get("DEVCAM8").clockOffset());
    assertEquals(Optional.empty(), devices.get("DEVCAM8").officer());
    // an offset is a time zone's way of writing the same instant
    assertEquals(
        Optional.of(Instant.parse("2023-06-01T18:00:00Z")), devices.get("DEVCAM9").ingested());

    Map<String, RecordingMarkers> marks =
        ContinuityInputs.readRecordings(new ByteArrayInputStream(resource("recordings.json")));
    assertEquals(
        new RecordingMarkers(
            "DEVCAM7_20230601_141000_001.mp4",
            Optional.of(Instant.parse("2023-06-01T14:10:01Z")),
            Optional.of("police-0042"),
            false),
        marks.get("DEVCAM7_20230601_141000_001.mp4"));
    assertTrue(marks.get("DEVCAM7_20230601_141006_002.mp4").locked());

    ContinuityPolicy policy =
        ContinuityInputs.readPolicy(new ByteArrayInputStream(resource("policy.json")));
    // Art. 13(5): the bureau's types are added to the regulation's, which stay
    assertEquals(Optional.of("13(5)"), policy.clause("sealing-up"));
    assertEquals(Optional.of("13(5)"), policy.clause("seizure"));
    assertEquals(Optional.of("13(2)"), policy.clause(EnforcementAction.HEARING));
    assertEquals(
        ContinuityPolicy.defaults().withMandatoryTypes(Set.of("sealing-up", "seizure")), policy);
  }

  @Test
  void whatIsReadIsUnmodifiable() throws IOException {
    List<EnforcementAction> actions =
        ContinuityInputs.readActions(new ByteArrayInputStream(resource("actions.json")));
    assertThrows(UnsupportedOperationException.class, () -> actions.remove(0));
    Map<String, DeviceFacts> devices =
        ContinuityInputs.readDevices(new ByteArrayInputStream(resource("devices.json")));
    assertThrows(UnsupportedOperationException.class, () -> devices.remove("DEVCAM7"));
  }

  /** Each of these, read leniently, would change which recordings cover which action. */
  @Test
  void anActionThatWouldChangeTheVerdictSilentlyIsRefusedByMemberAndEntry() {
    String[][] bad = {
      // a misspelled member would drop the device filter
      {
        actions(action("A", "hearing", ",\"devcies\":[\"DEVCAM7\"]")),
        "actions: action #1: unknown member 'devcies' (allowed: devices, end, id, officers, place,"
            + " recordings, stages, start, type)"
      },
      {
        actions(
            "{\"id\":\"A\",\"type\":null,\"start\":\"2023-06-01T14:10:00Z\","
                + "\"end\":\"2023-06-01T14:10:09Z\"}"),
        "actions: action A: 'type' must be a non-empty string, not null"
      },
      {actions(action("A", "", "")), "actions: action A: 'type' must be a non-empty string"},
      {actions(action("A", " ", "")), "actions: action A: 'type' must be a non-empty string"},
      {actions(action("", "hearing", "")), "actions: action #1: 'id' must be a non-empty string"},
      {
        actions("{\"type\":\"hearing\"}"), "actions: action #1: missing 'id'",
      },
      {
        actions(action("A", "hearing", ""), action("A", "hearing", "")),
        "actions: action #2: action A appears twice"
      },
      {
        actions(action("A", "hearing", ",\"devices\":\"DEVCAM7\"")),
        "actions: action A: 'devices' must be a list"
      },
      {
        actions(action("A", "hearing", ",\"devices\":[\"DEVCAM7\",\"DEVCAM7\"]")),
        "actions: action A: 'devices' names DEVCAM7 twice"
      },
      {
        actions(action("A", "hearing", ",\"officers\":[\"\"]")),
        "actions: action A: 'officers' must hold non-empty strings, not \"\""
      },
      {actions(action("A", "hearing", ",\"type\":\"hearing\"")), "Duplicate field 'type'"},
      {
        actions(action("A", "hearing", ",\"stages\":[{\"name\":\"x\",\"begin\":\"t\"}]")),
        "actions: action A stage: unknown member 'begin'"
      },
      {
        actions(action("A", "hearing", ",\"stages\":{}")),
        "actions: action A: 'stages' must be a list"
      },
      {
        actions(
            action(
                "A",
                "hearing",
                ",\"stages\":[{\"name\":\"x\",\"start\":\"2023-06-01T14:00:00Z\","
                    + "\"end\":\"2023-06-01T14:10:01Z\"}]")),
        "actions: action A: stage x lies outside action A"
      },
      {
        actions(
            "{\"id\":\"A\",\"type\":\"hearing\",\"start\":\"2023-06-01T14:10:00Z\","
                + "\"end\":\"+100000-01-01T00:00:00Z\"}"),
        "actions: action A: 'end' = '+100000-01-01T00:00:00Z' lies outside 1970 to 2199"
      },
      {
        actions(
            "{\"id\":\"A\",\"type\":\"hearing\",\"start\":\"then\","
                + "\"end\":\"2023-06-01T14:30:10Z\"}"),
        "actions: action A: 'start' = 'then' is not an ISO-8601 instant"
      },
      {
        actions(
            "{\"id\":\"A\",\"type\":\"hearing\",\"start\":\"2023-06-01T14:10:09Z\","
                + "\"end\":\"2023-06-01T14:10:00Z\"}"),
        "actions: action A: ends before it starts"
      },
      {actions("[]"), "actions: action #1: must be a JSON object, not []"},
      {"{\"format\":\"evidencekit.actions/2\",\"actions\":[]}", "format must be"},
      {"{\"format\":\"evidencekit.documents/1\",\"documents\":[]}", "format must be"},
      {"[]", "actions: format must be evidencekit.actions/1"},
      {"{\"format\":\"evidencekit.actions/1\"}", "actions: 'actions' must be a list"},
      {"{\"format\":\"evidencekit.actions/1\",\"actions\":{}}", "'actions' must be a list"},
      {
        "{\"format\":\"evidencekit.actions/1\",\"actions\":[],\"action\":[]}",
        "actions: the document: unknown member 'action'"
      },
      {actions() + " {}", "more content after the end of the value"},
      {"", "actions: empty document"},
    };
    for (String[] b : bad) {
      String m = refusal(() -> ContinuityInputs.readActions(in(b[0])));
      assertTrue(m.contains(b[1]), b[0] + " -> " + m);
      assertEquals(1, m.lines().count(), m);
    }
  }

  @Test
  void documentsDevicesRecordingsAndPoliciesAreAsStrict() {
    String t = "\"start\":\"2023-06-01T14:10:00Z\",\"end\":\"2023-06-01T14:10:09Z\"";
    String[][] documents = {
      {"{\"id\":\"D\"," + t + ",\"recordigns\":[]}", "document #1: unknown member 'recordigns'"},
      {"{\"id\":\"D\",\"kind\":\"\"," + t + "}", "document D: 'kind' must be a non-empty string"},
      {"{\"id\":\"D\"," + t + "},{\"id\":\"D\"," + t + "}", "document D appears twice"},
      {"{\"id\":\"D\",\"start\":\"2023-06-01T14:10:00Z\"}", "document D: missing 'end'"},
      {"{\"id\":\"D\"," + t + ",\"actions\":[1]}", "'actions' must hold non-empty strings, not 1"},
    };
    for (String[] b : documents) {
      String m =
          refusal(
              () ->
                  ContinuityInputs.readDocuments(
                      in("{\"format\":\"evidencekit.documents/1\",\"documents\":[" + b[0] + "]}")));
      assertTrue(m.startsWith("documents: ") && m.contains(b[1]), b[0] + " -> " + m);
    }
    String[][] devices = {
      {"{\"id\":\"DEVCAM7\",\"clockOffsetMs\":\"5\"}", "'clockOffsetMs' must be an integer"},
      {"{\"id\":\"DEVCAM7\",\"clockOffsetMs\":5.5}", "'clockOffsetMs' must be an integer"},
      {"{\"id\":\"DEVCAM7\",\"clockOffsetMs\":1e3}", "'clockOffsetMs' must be an integer"},
      // hostile offsets that would overflow the analysis's durations
      {"{\"id\":\"DEVCAM7\",\"clockOffsetMs\":9223372036854775807}", "more than a year"},
      {"{\"id\":\"DEVCAM7\",\"clockOffsetMs\":-9223372036854775808}", "more than a year"},
      {"{\"id\":\"DEVCAM7\",\"clockOffsetMs\":9223372036854775808}", "must be an integer"},
      {"{\"id\":\"DEVCAM7\",\"clockOffsetMs\":31708800001}", "more than a year"},
      {"{\"id\":\"DEVCAM7\",\"officer\":\"\"}", "device DEVCAM7: 'officer' must be a non-empty"},
      {"{\"id\":\"DEVCAM7\",\"ingested\":\"1969-12-31T23:59:59Z\"}", "lies outside 1970 to 2199"},
      {"{\"id\":\"DEVCAM7\"},{\"id\":\"DEVCAM7\"}", "device DEVCAM7 appears twice"},
      {"{\"id\":\"DEVCAM7\",\"clock\":1}", "device #1: unknown member 'clock'"},
    };
    for (String[] b : devices) {
      String m =
          refusal(
              () ->
                  ContinuityInputs.readDevices(
                      in("{\"format\":\"evidencekit.devices/1\",\"devices\":[" + b[0] + "]}")));
      assertTrue(m.startsWith("devices: ") && m.contains(b[1]), b[0] + " -> " + m);
    }
    String[][] recordings = {
      {"{\"id\":\"x.mp4\",\"locked\":\"yes\"}", "recording x.mp4: 'locked' must be true or false"},
      {"{\"id\":\"x.mp4\",\"locked\":1}", "'locked' must be true or false, not 1"},
      {"{\"id\":\"x.mp4\",\"partyInformedBy\":\"O1\"}", "'partyInformedBy' needs 'partyInformed'"},
      {"{\"id\":\"x.mp4\",\"partyInformed\":\"2023-06-01\"}", "is not an ISO-8601 instant"},
      {"{\"id\":\"x.mp4\"},{\"id\":\"x.mp4\"}", "recording x.mp4 appears twice"},
    };
    for (String[] b : recordings) {
      String m =
          refusal(
              () ->
                  ContinuityInputs.readRecordings(
                      in(
                          "{\"format\":\"evidencekit.recordings/1\",\"recordings\":["
                              + b[0]
                              + "]}")));
      assertTrue(m.startsWith("recordings: ") && m.contains(b[1]), b[0] + " -> " + m);
    }
    String[][] policies = {
      {"[\"\"]", "'mandatoryTypes' must hold non-empty strings, not \"\""},
      {"[null]", "'mandatoryTypes' must hold non-empty strings, not null"},
      {"\"sealing-up\"", "'mandatoryTypes' must be a list"},
    };
    for (String[] b : policies) {
      String m =
          refusal(
              () ->
                  ContinuityInputs.readPolicy(
                      in(
                          "{\"format\":\"evidencekit.continuity-policy/1\",\"mandatoryTypes\":"
                              + b[0]
                              + "}")));
      assertTrue(m.startsWith("policy: ") && m.contains(b[1]), b[0] + " -> " + m);
    }
  }

  /** A value a message repeats cannot add lines to it (a report, a log, a terminal). */
  @Test
  void aHostileValueCannotForgeFurtherLinesOfTheMessage() {
    String m =
        refusal(
            () ->
                ContinuityInputs.readActions(in(actions(action("A\\nINTACT\\u001b[2J", "", "")))));
    assertEquals(1, m.lines().count(), m);
    assertFalse(m.contains("\u001b"), m);
    m =
        refusal(
            () ->
                ContinuityInputs.readDevices(
                    in(
                        "{\"format\":\"evidencekit.devices/1\",\"devices\":[{\"id\":\"D\","
                            + "\"ingested\":\"2023\\r\\nverdict: INTACT\"}]}")));
    assertEquals(1, m.lines().count(), m);
    assertTrue(m.contains("'ingested' = '2023??verdict: INTACT' is not an ISO-8601 instant"), m);
    m =
        refusal(
            () ->
                ContinuityInputs.readActions(
                    in(actions(action("A", "hearing", ",\"x\\n\\u0007evidence: ok\":1")))));
    assertEquals(1, m.lines().count(), m);
    assertTrue(m.contains("unknown member 'x??evidence: ok'"), m);
    String longId = "x".repeat(10_000);
    m = refusal(() -> ContinuityInputs.readActions(in(actions(action(longId, "", "")))));
    assertTrue(m.length() < 300, m);
  }

  @Test
  void aFileIsNamedInEveryMessage() throws IOException {
    Path p = dir.resolve("actions.json");
    Files.writeString(p, actions(action("A", "hearing", ",\"devcies\":[]")));
    String m = refusal(() -> ContinuityInputs.readActions(p));
    assertTrue(m.startsWith("actions " + p + ": action #1: unknown member 'devcies'"), m);
    Files.write(p, resource("actions.json"));
    assertEquals(1, ContinuityInputs.readActions(p).size());
    Path link = dir.resolve("link.json");
    Files.createSymbolicLink(link, p);
    assertEquals(1, ContinuityInputs.readActions(link).size(), "a link to a file is that file");
  }

  @Test
  void aFileOrStreamOverTheBoundIsRefusedUnparsed() throws IOException {
    Path big = dir.resolve("devices.json");
    try (var f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(ContinuityInputs.MAX_INPUT_BYTES + 1);
    }
    assertEquals(
        "devices " + big + " is larger than 64 MiB",
        refusal(() -> ContinuityInputs.readDevices(big)));
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return ' ';
          }

          @Override
          public int read(byte[] b, int off, int len) {
            Arrays.fill(b, off, off + len, (byte) ' ');
            return len;
          }
        };
    assertEquals(
        "devices is larger than 64 MiB", refusal(() -> ContinuityInputs.readDevices(endless)));
  }

  /**
   * A regular file that reports 0 bytes and holds gigabytes (Linux's page map of the reading
   * process), and whose reads must be whole multiples of 8 bytes: refused at the bound.
   */
  @Test
  void aFileHoldingMoreThanItReportsIsRefusedAtTheBound() throws IOException {
    Path pagemap = Path.of("/proc/self/pagemap");
    assumeTrue(
        Files.isRegularFile(pagemap) && Files.isReadable(pagemap) && Files.size(pagemap) == 0,
        "a procfs file that reports no size");
    assertEquals(
        "devices " + pagemap + " is larger than 64 MiB",
        refusal(() -> ContinuityInputs.readDevices(pagemap)));
  }

  @Test
  void aMissingFileAFolderAndAPipeAreRefusedWithoutWaiting() throws Exception {
    assertThrows(
        NoSuchFileException.class, () -> ContinuityInputs.readActions(dir.resolve("none.json")));
    FileSystemException folder =
        assertThrows(FileSystemException.class, () -> ContinuityInputs.readActions(dir));
    assertTrue(folder.getMessage().contains("a directory"), folder.getMessage());
    Path fifo = dir.resolve("actions.fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
    // a pipe nobody writes to would block an open for reading for ever
    FileSystemException pipe =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                assertThrows(FileSystemException.class, () -> ContinuityInputs.readActions(fifo)));
    assertTrue(pipe.getMessage().contains("not a regular file"), pipe.getMessage());
  }

  @Test
  void valueTypesRefuseWhatTheFilesRefuse() {
    assertThrows(
        IllegalArgumentException.class,
        () -> DeviceFacts.clockOffsetMillis(DeviceFacts.MAX_CLOCK_OFFSET.toMillis() + 1));
    assertEquals(
        DeviceFacts.MAX_CLOCK_OFFSET.negated(),
        DeviceFacts.clockOffsetMillis(-DeviceFacts.MAX_CLOCK_OFFSET.toMillis()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new DeviceFacts(
                "D", Optional.empty(), Optional.of(Duration.ofDays(400)), Optional.empty()));
    // a Duration can hold more seconds than a long holds milliseconds: refused, not overflowed
    IllegalArgumentException huge =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DeviceFacts(
                    "D",
                    Optional.empty(),
                    Optional.of(Duration.ofSeconds(Long.MIN_VALUE)),
                    Optional.empty()));
    assertTrue(huge.getMessage().contains("more than a year"), huge.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new DeviceFacts(" ", Optional.empty(), Optional.empty(), Optional.empty()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new RecordingMarkers("r", Optional.empty(), Optional.of("O1"), false));
    assertThrows(
        NullPointerException.class, () -> new RecordingMarkers("r", null, Optional.empty(), false));
    assertThrows(NullPointerException.class, () -> ContinuityInputs.readActions((Path) null));
  }

  /**
   * Markers for the recordings of one analysis name only those recordings: a mistyped name would
   * mark nothing and a party informed or a locked EVENT file would go unseen (Art. 12, R-02).
   */
  @Test
  void markersNameOnlyTheRecordingsAnalysed() throws IOException {
    Path marks = Files.write(dir.resolve("marks.json"), resource("recordings.json"));
    List<String> both =
        List.of("DEVCAM7_20230601_141000_001.mp4", "DEVCAM7_20230601_141006_002.mp4");
    Map<String, RecordingMarkers> read = ContinuityInputs.readRecordings(marks, both);
    assertEquals(ContinuityInputs.readRecordings(marks), read, "all named: read as without ids");

    List<String> one = List.of("DEVCAM7_20230601_141000_001.mp4", "other.mp4");
    String m = refusal(() -> ContinuityInputs.readRecordings(marks, one));
    assertEquals(
        "recordings "
            + marks
            + ": recording \"DEVCAM7_20230601_141006_002.mp4\": marks"
            + " DEVCAM7_20230601_141006_002.mp4, which is not one of the 2 recording(s) analysed",
        m);
    m =
        refusal(
            () ->
                ContinuityInputs.readRecordings(
                    in(new String(resource("recordings.json"), StandardCharsets.UTF_8)), one));
    assertTrue(m.startsWith("recordings: recording \"DEVCAM7_20230601_141006_002.mp4\""), m);
    assertTrue(
        ContinuityInputs.readRecordings(
                in("{\"format\":\"evidencekit.recordings/1\",\"recordings\":[]}"), List.of())
            .isEmpty());
  }

  /** The example of docs/continuity-report.md, "Reading the input files from Java", as written. */
  @Test
  void theJavaExampleOfTheDocsRuns() throws IOException {
    for (String f : List.of("actions", "documents", "devices", "recordings", "policy")) {
      Files.write(dir.resolve(f + ".json"), resource(f + ".json"));
    }
    Files.move(dir.resolve("recordings.json"), dir.resolve("marks.json"));
    Instant start = Instant.parse("2023-06-01T14:10:00Z");
    Instant end = Instant.parse("2023-06-01T14:10:09Z");

    List<EnforcementAction> actions = ContinuityInputs.readActions(dir.resolve("actions.json"));
    List<WrittenDocument> documents = ContinuityInputs.readDocuments(dir.resolve("documents.json"));
    Map<String, DeviceFacts> devices = ContinuityInputs.readDevices(dir.resolve("devices.json"));
    Map<String, RecordingMarkers> marks =
        ContinuityInputs.readRecordings(dir.resolve("marks.json"));
    ContinuityPolicy policy = ContinuityInputs.readPolicy(dir.resolve("policy.json"));

    DeviceFacts d = devices.get("DEVCAM7");
    String file = "DEVCAM7_20230601_141000_001.mp4";
    RecordingSpan.Builder b = RecordingSpan.builder(file).deviceId("DEVCAM7").start(start).end(end);
    d.officer().ifPresent(b::officerId);
    d.clockOffset().ifPresent(b::clockOffset);
    d.ingested().ifPresent(b::ingestTime);
    RecordingMarkers m = marks.get(file);
    if (m != null) {
      m.partyInformed().ifPresent(b::partyInformedAt);
      m.partyInformedBy().ifPresent(b::partyInformedBy);
      b.locked(m.locked());
    }
    ContinuityReport report =
        ContinuityAnalyzer.create(policy).analyze(List.of(b.build()), actions, documents);

    RecordingSpan span = b.build();
    assertEquals(Optional.of("police-0042"), span.officerId());
    assertEquals(Optional.of(Duration.ofMillis(1200)), span.clockOffset());
    assertEquals(Set.of("ZZ-2023-0042/inspection"), report.summary().actions().keySet());
  }
}
