package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One recording's seal object replaced behind the store by bytes that are no seal: the
 * supervisor report and the record sheet still account for every other recording, and the damaged
 * one is a flagged row described from its ledger entry. It used to stop the whole selection with
 * the seal's parse error, so nothing of the case was reported.
 */
class DamagedSealReportTest {
  static final Instant DOCKED = SealGoneSheetTest.DOCKED;
  static final String CASE = SealGoneSheetTest.CASE;

  @TempDir Path dir;

  /** Replaces the stored bytes of DEVCAM7's {@code file}'s seal object with {@code bytes}. */
  static void plantSeal(Path root, String file, byte[] bytes) throws Exception {
    Path content = root.resolve("objects/DEVCAM7.d/2023-06-01.d/" + file + ".seal.json.o/content");
    assertTrue(Files.isRegularFile(content), content.toString());
    content.toFile().setWritable(true);
    Files.write(content, bytes);
  }

  @Test
  void aSealObjectOfGarbageIsAFlaggedRowAndTheOthersAreReported() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    String damaged = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[1];
    plantSeal(root, ReportTest.SPLIT3[1], "{\"format\": not json".getBytes(StandardCharsets.UTF_8));
    Clock later = Clock.fixed(DOCKED.plusSeconds(3600), ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      Selection s =
          ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
              .select(CatalogQuery.builder().caseId(CASE).build());
      List<CatalogedRecording> rows = s.recordings();
      assertEquals(3, rows.size(), "the case's three recordings, the damaged one too");
      for (CatalogedRecording r : rows) {
        if (r.key().equals(damaged)) {
          assertFalse(r.seal().isPresent());
          assertTrue(r.damaged(), "flagged");
          assertEquals(SweepReport.Status.DAMAGED, r.verification().orElseThrow());
          assertTrue(
              r.verificationDetail()
                  .startsWith("its seal object cannot be read (seal " + damaged + ".seal.json"),
              r.verificationDetail());
          // what it recorded, from its ledger entry: it stays on its case's sheet
          assertEquals(List.of(CASE), r.metadata().caseIds());
          assertEquals("DEVCAM7", r.metadata().deviceId().orElseThrow());
        } else {
          // the other two as before: their seals read, nothing said against them
          assertTrue(r.seal().isPresent(), r.key());
          assertFalse(r.damaged(), r.key());
          assertTrue(r.verification().isEmpty(), r.key());
        }
      }
      List<ReportFinding> errors =
          RecordSheet.findings(s).stream()
              .filter(f -> f.severity() == ReportFinding.Severity.ERROR)
              .toList();
      assertEquals(1, errors.size(), errors.toString());
      assertEquals("RECORDING_DAMAGED", errors.get(0).code());
      assertEquals(List.of(damaged), errors.get(0).recordings());

      String html =
          new String(
              RecordSheet.html(s, Presentation.of(Presentation.DEFAULT_ZONE, Locale.ENGLISH)),
              StandardCharsets.UTF_8);
      assertTrue(html.contains("Its seal in the store cannot be read"), html);
      assertFalse(html.contains("(replaced)"), html);
      String zh =
          new String(
              RecordSheet.html(
                  s, Presentation.of(Presentation.DEFAULT_ZONE, Locale.SIMPLIFIED_CHINESE)),
              StandardCharsets.UTF_8);
      assertTrue(zh.contains("存储中的封存文件无法读取"), zh);
      String csv = new String(RecordSheet.csv(s, Presentation.defaults()), StandardCharsets.UTF_8);
      for (String name : ReportTest.SPLIT3) {
        assertTrue(csv.contains("DEVCAM7/2023-06-01/" + name), csv);
      }
      String report =
          new String(SupervisorReport.html(s, Presentation.defaults()), StandardCharsets.UTF_8)
              .replace("<wbr/>", "");
      assertTrue(report.contains("RECORDING_DAMAGED"), report);
      assertTrue(report.contains("its seal object cannot be read"), report);
    }
  }

  /** In a small heap: prints each recording of {@link #CASE} in the store at {@code args[0]}. */
  public static void main(String[] args) {
    Clock later = Clock.fixed(DOCKED.plusSeconds(3600), ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(args[0]), Clock.systemUTC())) {
      Selection s =
          ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
              .select(CatalogQuery.builder().caseId(CASE).build());
      for (CatalogedRecording r : s.recordings()) {
        System.out.println(
            r.key()
                + " "
                + r.verification().map(Enum::name).orElse("-")
                + " "
                + r.verificationDetail());
      }
    } catch (Throwable t) {
      System.out.println(t.getClass().getSimpleName() + ": " + t.getMessage());
    }
  }

  /**
   * 50 MiB of "[" planted as a seal (within the 64 MiB a seal may take, past what a 64 MiB heap can
   * hold) is refused naming it, and that refusal is one flagged row, not the selection's end.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aSealObjectPastTheHeapIsAFlaggedRowToo() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    String damaged = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[0];
    byte[] brackets = new byte[50 << 20];
    Arrays.fill(brackets, (byte) '[');
    plantSeal(root, ReportTest.SPLIT3[0], brackets);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                DamagedSealReportTest.class.getName(),
                root.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> lines = out.lines().filter(l -> l.startsWith("DEVCAM7/")).toList();
    assertEquals(3, lines.size(), out);
    for (String name : ReportTest.SPLIT3) {
      String key = "DEVCAM7/2023-06-01/" + name;
      String line = lines.stream().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow();
      if (key.equals(damaged)) {
        assertTrue(
            line.startsWith(
                key
                    + " DAMAGED its seal object cannot be read (seal "
                    + key
                    + ".seal.json has more than "),
            line);
        assertTrue(line.contains("too many to read into memory"), line);
      } else {
        assertEquals(key + " - ", line, "read as before");
      }
    }
  }
}
