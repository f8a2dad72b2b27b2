package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.continuity.Interval;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The catalog, the supervisor report and the record sheet over archives built by the real ingest
 * station from the real camera fixtures (f02: a three-file split recording of 2023-06-01 14:10:00Z
 * to 14:10:09Z; f03: the same with the middle file missing).
 */
class ReportTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");
  static final String CASE = "ZZ-2023-0042";
  static final String[] SPLIT3 = {
    "DEVCAM7_20230601_141000_001.mp4",
    "DEVCAM7_20230601_141003_002.mp4",
    "DEVCAM7_20230601_141006_003.mp4"
  };
  static final Pattern UTC_ISO = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z");
  static final Clock MADE = Clock.fixed(Instant.parse("2026-12-06T06:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private Path store() {
    return dir.resolve("store");
  }

  private Path fixture(String folder, String name) throws IOException {
    Path to = dir.resolve(folder).resolve(name);
    Files.createDirectories(to.getParent());
    try (InputStream in =
        ReportTest.class.getClassLoader().getResourceAsStream("fixtures/" + folder + "/" + name)) {
      Files.copy(in, to);
    }
    return to;
  }

  private void ingest(String device, Path... files) throws Exception {
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(store(), Clock.systemUTC())) {
      IngestRequest.Builder r = IngestRequest.builder(device, "police-0042").addCase(CASE);
      for (Path f : files) {
        r.add(f);
      }
      IngestStation.builder()
          .store(st)
          .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
          .build()
          .ingest(r.build());
    }
  }

  private static EnforcementAction inspection(Instant from, Instant to) {
    return EnforcementAction.builder()
        .id("ZZ-2023-0042/inspection")
        .type(EnforcementAction.ON_SITE_INSPECTION)
        .span(new Interval(from, to))
        .place("Zaozhuang")
        .deviceIds(List.of("DEVCAM7"))
        .build();
  }

  @Test
  void theCatalogTakesInOnlyWhatOtherWritersAppendedSinceItLooked() throws Exception {
    ingest("DEVCAM7", fixture("f02_split3", SPLIT3[0]));
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(store(), Clock.systemUTC())) {
      ArchiveCatalog catalog =
          ArchiveCatalog.open(EvidenceArchive.open(st, Clock.systemUTC()), "here", MADE);
      assertEquals(1, catalog.select(CatalogQuery.all()).tally().recordings());
      long before = catalog.ledgerSize();
      // another station appends two recordings through its own store instance
      ingest("DEVCAM7", fixture("f02_split3", SPLIT3[1]), fixture("f02_split3", SPLIT3[2]));
      assertEquals(
          1,
          catalog.select(CatalogQuery.all()).tally().recordings(),
          "nothing is re-read until asked");
      catalog.refresh();
      Selection s = catalog.select(CatalogQuery.all());
      assertEquals(3, s.tally().recordings());
      assertTrue(catalog.ledgerSize() > before);
      assertEquals(catalog.ledgerSize(), s.ledgerSize());
      assertEquals(List.of(1, 2, 3), s.recordings().stream().map(r -> r.number()).toList());
      assertEquals(
          List.of(SPLIT3[0], SPLIT3[1], SPLIT3[2]),
          s.recordings().stream().map(CatalogedRecording::fileName).toList(),
          "time order");
      catalog.refresh(); // nothing new: still the same
      assertEquals(3, catalog.select(CatalogQuery.all()).tally().recordings());
      assertEquals(
          0, catalog.select(CatalogQuery.builder().device("OTHER").build()).tally().recordings());
      assertEquals(
          3, catalog.select(CatalogQuery.builder().caseId(CASE).build()).tally().recordings());
    }
  }

  /** Past a few hundred new entries refresh reads the log in one pass; disposal is taken in. */
  @Test
  void aLongCatchUpAndADisposalAreTakenIn() throws Exception {
    ingest("DEVCAM7", fixture("f02_split3", SPLIT3[0]), fixture("f02_split3", SPLIT3[1]));
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(store(), Clock.systemUTC())) {
      ArchiveCatalog catalog =
          ArchiveCatalog.open(EvidenceArchive.open(st, Clock.systemUTC()), "here", MADE);
      Selection before = catalog.select(CatalogQuery.all());
      assertEquals(2, before.tally().recordings());
      String gone = before.recordings().get(0).key();
      try (EvidenceStore other = FileSystemEvidenceStore.openOrCreate(store(), Clock.systemUTC())) {
        EvidenceLedger writer = EvidenceLedger.open(other, Clock.systemUTC());
        List<LedgerEntry> views = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
          views.add(
              LedgerEntry.builder()
                  .type("viewed")
                  .time(DOCKED.plusSeconds(i))
                  .actor("clerk")
                  .subject(gone)
                  .details(Map.of("why", "review"))
                  .build());
        }
        views.add(
            LedgerEntry.builder()
                .type(EntryType.DISPOSED)
                .time(DOCKED)
                .actor("clerk")
                .subject(gone)
                .build());
        writer.appendAll(views);
      }
      catalog.refresh();
      Selection after = catalog.select(CatalogQuery.all());
      assertEquals(before.ledgerSize() + 301, after.ledgerSize());
      assertEquals(
          List.of(before.recordings().get(1).key()),
          after.recordings().stream().map(CatalogedRecording::key).toList(),
          "the disposed recording left the catalog");
      assertEquals(1, after.recordings().get(0).number());
    }
  }

  @Test
  void queriesRefuseRepeatedAndContradictorySettings() {
    CatalogQuery.Builder b = CatalogQuery.builder().caseId("A");
    assertThrows(IllegalStateException.class, () -> b.caseId("B"));
    assertThrows(IllegalArgumentException.class, () -> CatalogQuery.builder().device(" "));
    Instant t = Instant.parse("2023-06-01T00:00:00Z");
    assertThrows(
        IllegalArgumentException.class, () -> CatalogQuery.builder().from(t).to(t).build());
    assertThrows(NullPointerException.class, () -> CatalogQuery.builder().officer(null));
  }

  /** A damaged copy, a missing file and an unrecorded stretch: every count agrees with its rows. */
  @Test
  void everyCountOnTheReportIsACountOfItsRows() throws Exception {
    ingest(
        "DEVCAM7",
        fixture("f03_split3_missing_middle", "DEVCAM7_20230601_142000_001.mp4"),
        fixture("f03_split3_missing_middle", "DEVCAM7_20230601_142006_003.mp4"));
    Path content = storedContent("DEVCAM7_20230601_142006_003.mp4");
    content.toFile().setWritable(true);
    byte[] b = Files.readAllBytes(content);
    b[b.length / 2] ^= 1;
    Files.write(content, b);
    Selection s =
        select(
            CatalogQuery.builder()
                .actions(
                    List.of(
                        inspection(
                            Instant.parse("2023-06-01T14:20:00Z"),
                            Instant.parse("2023-06-01T14:20:20Z"))))
                .readTimelines()
                .reverify()
                .build());
    Tally t = s.tally();
    assertEquals(2, t.recordings());
    assertEquals(1, t.damaged());
    assertEquals(1, t.intact());
    assertTrue(s.hasErrors());
    assertTrue(s.findings().stream().anyMatch(f -> f.code().equals("RECORDING_DAMAGED")));
    assertTrue(s.findings().stream().anyMatch(f -> f.code().equals("MISSING_FILE")));

    Document d = parse(SupervisorReport.html(s, Presentation.defaults()));
    List<Element> findingRows = rows(d, "findings");
    assertEquals(t.findings(), findingRows.size(), "the table lists what the summary counts");
    String summary = factsRow(d, "Findings");
    assertTrue(
        summary.startsWith(t.findings() + " (" + t.errors() + " errors, "), summary + " vs " + t);
    assertEquals(
        t.errors(),
        findingRows.stream().filter(r -> r.getAttribute("class").equals("error")).count());
    assertEquals(t.recordings(), rows(d, "recordings").size());
    assertTrue(factsRow(d, "Verification").startsWith("1 intact, 1 damaged or missing"));
    // the damaged recording is hatched, the unrecorded time dotted: told apart without colour
    List<Element> bad = rects(d, "recording tampered");
    assertEquals(1, bad.size());
    assertTrue(bad.get(0).getAttribute("style").contains("url(#ek-damaged-"));
    List<Element> unrec = rects(d, "uncovered");
    assertFalse(unrec.isEmpty());
    unrec.forEach(u -> assertTrue(u.getAttribute("style").contains("url(#ek-unrec-")));
    // bars carry labels: each recording's number or name is drawn as text
    String svgText = d.getElementsByTagNameNS(SVG, "svg").item(0).getTextContent();
    assertTrue(svgText.contains("ZZ-2023-0042/inspection"), "the action is labelled");
  }

  @Test
  void anObjectTheArchiveCannotAccountForIsAnErrorFindingNotSilence() throws Exception {
    ingest("DEVCAM7", fixture("f02_split3", SPLIT3[0]));
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(store(), Clock.systemUTC());
        WritableObject w = st.create(ObjectKey.of("DEVCAM7/2023-06-01/stray.mp4"))) {
      w.write(java.nio.ByteBuffer.wrap("not sealed".getBytes(StandardCharsets.UTF_8)));
      w.commit();
    }
    Selection s = select(CatalogQuery.builder().reverify().build());
    assertTrue(
        s.findings().stream()
            .anyMatch(
                f ->
                    f.code().equals("ARCHIVE_UNEXPECTED")
                        && f.recordings().equals(List.of("DEVCAM7/2023-06-01/stray.mp4"))),
        s.findings().toString());
    assertTrue(s.hasErrors());
    assertEquals(1, s.tally().errors());
    // a narrowed selection is about its recordings only
    assertFalse(select(CatalogQuery.builder().caseId(CASE).reverify().build()).hasErrors());
  }

  @Test
  void everyTimeOnAPageIsInItsOneStatedZone() throws Exception {
    ingest("DEVCAM7", fixture("f02_split3", SPLIT3[0]), fixture("f02_split3", SPLIT3[1]));
    Selection s =
        select(
            CatalogQuery.builder()
                .actions(
                    List.of(
                        inspection(
                            Instant.parse("2023-06-01T14:10:00Z"),
                            Instant.parse("2023-06-01T14:10:12Z"))))
                .readTimelines()
                .reverify()
                .build());
    String shanghai = text(SupervisorReport.html(s, Presentation.defaults()));
    assertTrue(shanghai.contains("Asia/Shanghai (UTC+08:00)"), "the zone is stated");
    assertTrue(shanghai.contains("2023-06-01 22:10:00"), "14:10:00Z in Shanghai");
    assertFalse(UTC_ISO.matcher(shanghai).find(), "no UTC instant left: " + shanghai);
    String utc = text(SupervisorReport.html(s, Presentation.of(ZoneId.of("UTC"), Locale.ENGLISH)));
    assertTrue(utc.contains("2023-06-01 14:10:00"));
    assertFalse(utc.contains("22:10:00"));

    String sheet = text(RecordSheet.html(s, Presentation.defaults()));
    assertTrue(sheet.contains("Asia/Shanghai (UTC+08:00)"));
    assertFalse(UTC_ISO.matcher(sheet).find(), sheet);
    String csv = new String(RecordSheet.csv(s, Presentation.defaults()), StandardCharsets.UTF_8);
    assertFalse(UTC_ISO.matcher(csv).find(), "CSV times carry the zone's offset: " + csv);
    assertTrue(csv.contains("2023-06-01T22:10:00+08:00"), csv);
    String json = new String(RecordSheet.json(s, Presentation.defaults()), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"zone\" : \"Asia/Shanghai\""), json);
    assertFalse(UTC_ISO.matcher(json).find(), json);
  }

  @Test
  void chineseLabelsOnBothDocuments() throws Exception {
    ingest(
        "DEVCAM7",
        fixture("f03_split3_missing_middle", "DEVCAM7_20230601_142000_001.mp4"),
        fixture("f03_split3_missing_middle", "DEVCAM7_20230601_142006_003.mp4"));
    Selection s = select(CatalogQuery.builder().caseId(CASE).reverify().build());
    ReportFinding missing =
        s.findings().stream()
            .filter(f -> f.code().equals("MISSING_FILE"))
            .findFirst()
            .orElseThrow();
    Presentation zh = Presentation.of(Presentation.DEFAULT_ZONE, Locale.SIMPLIFIED_CHINESE);
    Document report = parse(SupervisorReport.html(s, zh));
    assertEquals("zh-CN", report.getDocumentElement().getAttribute("lang"));
    String r = report.getDocumentElement().getTextContent();
    assertTrue(r.contains("发现的问题"), r);
    assertTrue(r.contains("时区"), r);
    // the analysis's own Chinese sentence and article, not the English one
    assertFalse(r.contains(missing.message()), "the English sentence");
    assertTrue(r.contains(s.message(missing, zh)) && s.message(missing, zh).matches(".*[一-龥].*"));
    assertTrue(r.contains(s.article(missing, zh)) && s.article(missing, zh).startsWith("第"));
    for (String english : List.of("Findings", "Timelines", "Recordings", "Verification")) {
      assertFalse(r.contains(english), english + " left in English");
    }
    Document sheet = parse(RecordSheet.html(s, zh));
    NodeList th = sheet.getElementsByTagName("th");
    assertEquals(RecordSheet.SHEET_HEADS.size(), th.getLength());
    for (int i = 0; i < th.getLength(); i++) {
      String head = th.item(i).getTextContent();
      assertFalse(head.matches(".*[A-Za-z]{3,}.*") && !head.contains("SHA"), head);
    }
    assertTrue(sheet.getDocumentElement().getTextContent().contains("音视频资料记录表"));
  }

  @Test
  void theRecordSheetKeepsEveryColumnAndItsCsvDefusesFormulas() throws Exception {
    ingest("DEVCAM7", fixture("f02_split3", SPLIT3[0]));
    Selection s = select(CatalogQuery.builder().caseId(CASE).build());
    List<String> lines =
        new String(RecordSheet.csv(s, Presentation.defaults()), StandardCharsets.UTF_8)
            .lines()
            .toList();
    assertEquals(String.join(",", RecordSheet.COLUMNS), lines.get(0));
    assertEquals(2, lines.size());
    String key = s.recordings().get(0).key();
    String root =
        s.recordings()
            .get(0)
            .seal()
            .orElseThrow()
            .root(org.evidencekit.hash.HashAlgorithm.SHA256)
            .hex();
    assertTrue(lines.get(1).contains(key) && lines.get(1).contains(root), lines.get(1));
    Document d = parse(RecordSheet.html(s, Presentation.defaults()));
    String text = d.getDocumentElement().getTextContent();
    assertTrue(text.contains(root), "the root is on the printed sheet");
    assertEquals(
        RecordSheet.SHEET_HEADS.size(),
        d.getElementsByTagName("col").getLength(),
        "every column has a width: the printed table keeps all of them");
  }

  // ------------------------------------------------------------------ helpers

  static final String SVG = "http://www.w3.org/2000/svg";

  private Selection select(CatalogQuery q) throws IOException {
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(store(), Clock.systemUTC())) {
      return ArchiveCatalog.open(EvidenceArchive.open(st, Clock.systemUTC()), "here", MADE)
          .select(q);
    }
  }

  private Path storedContent(String name) throws IOException {
    byte[] want = Files.readAllBytes(dir.resolve("f03_split3_missing_middle").resolve(name));
    try (Stream<Path> s = Files.walk(store())) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(p)
            && Files.size(p) == want.length
            && java.util.Arrays.equals(Files.readAllBytes(p), want)) {
          return p;
        }
      }
    }
    throw new IOException("stored copy of " + name + " not found");
  }

  static Document parse(byte[] xhtml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xhtml));
  }

  static String text(byte[] xhtml) throws Exception {
    return parse(xhtml).getDocumentElement().getTextContent();
  }

  static List<Element> rows(Document d, String tableClass) {
    List<Element> out = new ArrayList<>();
    NodeList tables = d.getElementsByTagName("table");
    for (int i = 0; i < tables.getLength(); i++) {
      Element t = (Element) tables.item(i);
      if (t.getAttribute("class").equals(tableClass)) {
        NodeList bodies = t.getElementsByTagName("tbody");
        NodeList trs = ((Element) bodies.item(0)).getElementsByTagName("tr");
        for (int j = 0; j < trs.getLength(); j++) {
          out.add((Element) trs.item(j));
        }
      }
    }
    return out;
  }

  static String factsRow(Document d, String head) {
    for (Element r : rows(d, "facts")) {
      if (r.getElementsByTagName("th").item(0).getTextContent().equals(head)) {
        return r.getElementsByTagName("td").item(0).getTextContent();
      }
    }
    throw new AssertionError("no facts row " + head);
  }

  static List<Element> rects(Document d, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList all = d.getElementsByTagNameNS(SVG, "rect");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (e.getAttribute("class").equals(cls)) {
        out.add(e);
      }
    }
    return out;
  }
}
