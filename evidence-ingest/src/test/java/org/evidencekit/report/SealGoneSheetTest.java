package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SigningKeys;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording whose seal object was removed from under the store (by hand, by root, by an attacker:
 * the store itself never deletes a seal) stays on its case's record sheet: described
 * from its {@code sealed} ledger entry, which names device, officer, start and cases, and flagged.
 * It used to drop off the sheet without a word, its metadata gone with the seal.
 */
class SealGoneSheetTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");
  static final String CASE = "ZZ-2023-0042";

  @TempDir Path dir;

  /**
   * Ingests the f02 split recording (three files of DEVCAM7, officer police-0042, case {@link
   * #CASE}) from a card under {@code dir} into a filesystem store at {@code root}, docked at {@link
   * #DOCKED}.
   */
  static void ingestSplit3(Path dir, Path root) throws Exception {
    ingestSplit3(dir, root, null);
  }

  /** As {@link #ingestSplit3(Path, Path)}, the seals signed by {@code signer} when given. */
  static void ingestSplit3(Path dir, Path root, SigningKeys.@Nullable LocalSigningKey signer)
      throws Exception {
    IngestRequest.Builder r = IngestRequest.builder("DEVCAM7", "police-0042").addCase(CASE);
    for (String name : ReportTest.SPLIT3) {
      Path to = dir.resolve("card").resolve(name);
      Files.createDirectories(to.getParent());
      try (InputStream in =
          SealGoneSheetTest.class
              .getClassLoader()
              .getResourceAsStream("fixtures/f02_split3/" + name)) {
        Files.copy(in, to);
      }
      r.add(to);
    }
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      IngestStation.Builder b =
          IngestStation.builder().store(st).clock(Clock.fixed(DOCKED, ZoneOffset.UTC));
      if (signer != null) {
        b.signer(signer);
      }
      b.build().ingest(r.build());
    }
  }

  /**
   * Removes the seal object of DEVCAM7's {@code file} of 2023-06-01 outside the store, as root or
   * an attacker would (its read-only folder made writable first): the store never deletes one.
   */
  static void removeSeal(Path root, String file) throws Exception {
    Path sealDir = root.resolve("objects/DEVCAM7.d/2023-06-01.d/" + file + ".seal.json.o");
    assertTrue(Files.isDirectory(sealDir), sealDir.toString());
    try (Stream<Path> all = Files.walk(sealDir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    }
  }

  @Test
  void aRecordingWhoseSealIsGoneStaysOnItsCaseSheetFlagged() throws Exception {
    Path root = dir.resolve("store");
    ingestSplit3(dir, root);
    String gone = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[1];
    removeSeal(root, ReportTest.SPLIT3[1]);
    Clock later = Clock.fixed(DOCKED.plusSeconds(3600), ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      Selection s =
          ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
              .select(CatalogQuery.builder().caseId(CASE).build());
      List<CatalogedRecording> rows = s.recordings();
      assertEquals(
          3, rows.size(), "all three recordings of the case, the one without its seal too");
      CatalogedRecording row =
          rows.stream().filter(x -> x.key().equals(gone)).findFirst().orElseThrow();
      assertFalse(row.seal().isPresent());
      assertTrue(row.damaged(), "flagged");
      assertEquals(SweepReport.Status.MISSING, row.verification().orElseThrow());
      assertTrue(row.verificationDetail().contains("seal"), row.verificationDetail());
      assertTrue(
          s.findings().stream()
              .anyMatch(f -> f.code().equals("RECORDING_MISSING") && f.recordings().contains(gone)),
          s.findings().toString());
      // what it recorded, from its ledger entry
      assertEquals(List.of(CASE), row.metadata().caseIds());
      assertEquals("DEVCAM7", row.metadata().deviceId().orElseThrow());
      assertEquals("police-0042", row.metadata().officerId().orElseThrow());
      assertTrue(row.metadata().recordingStart().isPresent());
      // the printed sheet says why its roots are blank; the CSV keeps the row
      String html =
          new String(
              RecordSheet.html(
                  s, Presentation.of(Presentation.DEFAULT_ZONE, java.util.Locale.ENGLISH)),
              java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(html.contains("Its seal is not in the store"), html);
      String csv =
          new String(
              RecordSheet.csv(s, Presentation.defaults()), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(csv.contains(gone), csv);
      // another case's sheet does not take it
      assertEquals(
          0,
          ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
              .select(CatalogQuery.builder().caseId("ZZ-OTHER").build())
              .recordings()
              .size());
    }
  }

  /**
   * A recording removed from under the store (its seal kept) is {@code missing} on every form of
   * the sheet: its {@code status} was {@code kept} in the CSV and JSON, and the printed
   * sheet's retention column was blank, so only a finding said it was gone.
   */
  @Test
  void aRecordingGoneFromTheStoreIsMissingOnTheSheetNotKept() throws Exception {
    Path root = dir.resolve("store");
    ingestSplit3(dir, root);
    String gone = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[1];
    Path object = root.resolve("objects/DEVCAM7.d/2023-06-01.d/" + ReportTest.SPLIT3[1] + ".o");
    assertTrue(Files.isDirectory(object), object.toString());
    try (Stream<Path> all = Files.walk(object)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        p.getParent().toFile().setWritable(true);
        Files.delete(p);
      }
    }
    Clock later = Clock.fixed(DOCKED.plusSeconds(3600), ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      Selection s =
          ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
              .select(CatalogQuery.builder().caseId(CASE).build());
      assertTrue(
          s.findings().stream()
              .anyMatch(f -> f.code().equals("RECORDING_MISSING") && f.recordings().contains(gone)),
          s.findings().toString());

      // CSV: the status column of each row, by key
      List<String> lines =
          new String(RecordSheet.csv(s, Presentation.defaults()), StandardCharsets.UTF_8)
              .lines()
              .toList();
      List<String> head = List.of(lines.get(0).split(",", -1));
      Map<String, String> csvStatus = new TreeMap<>();
      Map<String, String> csvHold = new TreeMap<>();
      for (String line : lines.subList(1, lines.size())) {
        // counted from the end: no cell after the place is quoted
        String[] cells = line.split(",", -1);
        String key = cells[cells.length - (head.size() - head.indexOf("key"))];
        csvStatus.put(key, cells[cells.length - (head.size() - head.indexOf("status"))]);
        csvHold.put(key, cells[cells.length - (head.size() - head.indexOf("legalHold"))]);
      }
      assertEquals(3, csvStatus.size(), lines.toString());
      for (String name : ReportTest.SPLIT3) {
        String key = "DEVCAM7/2023-06-01/" + name;
        assertEquals(key.equals(gone) ? "missing" : "kept", csvStatus.get(key), key);
        // the case is open: the two kept are held; of the one gone nothing is known (it said "no")
        assertEquals(key.equals(gone) ? "" : "yes", csvHold.get(key), key);
      }

      // JSON: the same
      JsonNode json = new ObjectMapper().readTree(RecordSheet.json(s, Presentation.defaults()));
      Map<String, String> jsonStatus = new TreeMap<>();
      Map<String, String> jsonHold = new TreeMap<>();
      for (JsonNode r : json.get("recordings")) {
        jsonStatus.put(r.get("key").asText(), r.get("status").asText());
        jsonHold.put(r.get("key").asText(), r.get("legalHold").asText());
      }
      assertEquals(csvStatus, jsonStatus);
      assertEquals(csvHold, jsonHold);

      // the printed sheet: "Not in the store" in its retention column, no hold, in both languages
      for (Locale lang : List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE)) {
        String html =
            new String(
                RecordSheet.html(s, Presentation.of(Presentation.DEFAULT_ZONE, lang)),
                StandardCharsets.UTF_8);
        String words = lang.getLanguage().equals("zh") ? "存储中缺失" : "Not in the store";
        assertEquals(1, html.split(words, -1).length - 1, html);
        String row = html.substring(html.lastIndexOf("<tr>", html.indexOf(words)));
        row = row.substring(0, row.indexOf("</tr>"));
        assertTrue(row.replace("<wbr/>", "").contains(gone), "the gone one's row: " + row);
        assertTrue(row.endsWith("<td>" + words + "</td><td></td>"), row);
      }
    }
  }
}
