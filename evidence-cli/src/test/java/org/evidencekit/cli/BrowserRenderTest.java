package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The demo's supervisor report and record sheet as a newcomer sees them: printed to PDF by a real
 * headless Chromium, read back with poppler's {@code pdftotext}. Every column heading, every
 * recording's key and every seal root must be in the printed text (nothing cut off the page), on A4
 * pages of a sane count. Screenshots and PDFs are kept under {@code target/browser/} for people to
 * look at. Skipped only when Chromium is absent ({@code .ci/run} installs it).
 */
class BrowserRenderTest {
  private static final Path KEEP = Path.of("target", "browser");
  private static final Pattern PAGES = Pattern.compile("(?m)^Pages:\\s+(\\d+)$");
  private static final Pattern PAGE_SIZE =
      Pattern.compile("(?m)^Page\\s+\\d+ size:\\s+([0-9.]+) x ([0-9.]+) pts");

  @TempDir Path dir;

  @Test
  void theDemosReportAndRecordSheetPrintWhole() throws Exception {
    Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
    assumeTrue(chromium.isPresent(), "chromium is not installed");
    assertTrue(
        onPath("pdftotext").isPresent(), "poppler-utils (pdftotext) must come with chromium");
    Files.createDirectories(KEEP);
    Path demo = dir.resolve("demo");
    CliTest.Run d = CliTest.run("demo", "--dir", demo.toString());
    assertEquals(0, d.code(), d.err());

    Path report = demo.resolve("report.html");
    Path sheet = demo.resolve("ZZ-2023-0042.record-sheet.html");
    Path reportPdf = print(chromium.get(), report, KEEP.resolve("report.pdf"));
    Path sheetPdf = print(chromium.get(), sheet, KEEP.resolve("record-sheet.pdf"));
    screenshot(chromium.get(), report, KEEP.resolve("report.png"));
    screenshot(chromium.get(), sheet, KEEP.resolve("record-sheet.png"));

    // the report: every heading of every table, every recording of the archive
    String reportText = squeeze(run("pdftotext", reportPdf.toString(), "-"));
    for (String head : headings(report)) {
      assertTrue(reportText.contains(squeeze(head)), "heading '" + head + "' printed");
    }
    List<String> keys = new ArrayList<>();
    try (EvidenceStore st =
        FileSystemEvidenceStore.openOrCreate(demo.resolve("store"), Clock.systemUTC())) {
      keys.addAll(EvidenceArchive.open(st, Clock.systemUTC()).sealedRecordings().keySet());
    }
    assertEquals(3, keys.size());
    for (String key : keys) {
      assertTrue(reportText.contains(squeeze(key)), key + " printed on the report");
    }
    int reportPages = pages(reportPdf);
    assertTrue(reportPages >= 1 && reportPages <= 6, reportPages + " report pages");
    assertA4(reportPdf, reportPages);

    // the record sheet: every column, and each recording's key and seal roots, as the CSV has them
    String sheetText = squeeze(run("pdftotext", sheetPdf.toString(), "-"));
    List<String> sheetHeads = headings(sheet);
    assertEquals(13, sheetHeads.size(), sheetHeads.toString());
    for (String head : sheetHeads) {
      assertTrue(sheetText.contains(squeeze(head)), "column '" + head + "' printed");
    }
    List<String> csv = Files.readAllLines(demo.resolve("ZZ-2023-0042.record-sheet.csv"));
    List<String> columns = List.of(csv.get(0).split(","));
    assertEquals(3, csv.size(), "the case's two recordings");
    for (String line : csv.subList(1, csv.size())) {
      String[] cells = line.split(",", -1);
      for (String col : List.of("key", "sha256Root", "sm3Root")) {
        String v = cells[columns.indexOf(col)];
        assertTrue(sheetText.contains(squeeze(v)), col + " " + v + " printed on the sheet");
      }
      assertTrue(cells[columns.indexOf("sha256Root")].matches("[0-9a-f]{64}"));
    }
    int sheetPages = pages(sheetPdf);
    assertEquals(1, sheetPages, "two recordings fit one landscape page");
    Matcher m = PAGE_SIZE.matcher(run("pdfinfo", "-f", "1", "-l", "1", sheetPdf.toString()));
    assertTrue(m.find());
    assertTrue(
        Double.parseDouble(m.group(1)) > Double.parseDouble(m.group(2)), "the sheet is landscape");
    assertTrue(Files.size(KEEP.resolve("report.png")) > 10_000, "a screenshot was kept");
  }

  /** Text compared without white space or hyphens: line breaks inside a cell do not count. */
  private static String squeeze(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC).replaceAll("[\\s\\u00AD\\-‐]", "");
  }

  private static List<String> headings(Path xhtml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder().parse(xhtml.toFile());
    NodeList th = doc.getElementsByTagName("th");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < th.getLength(); i++) {
      out.add(th.item(i).getTextContent());
    }
    return out;
  }

  private Path print(Path chromium, Path html, Path pdf) throws Exception {
    Files.deleteIfExists(pdf);
    chrome(chromium, "--print-to-pdf=" + pdf.toAbsolutePath(), "--no-pdf-header-footer", html);
    assertTrue(Files.size(pdf) > 1000, pdf + " written");
    return pdf;
  }

  private void screenshot(Path chromium, Path html, Path png) throws Exception {
    Files.deleteIfExists(png);
    chrome(chromium, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,1800", html);
  }

  private void chrome(Path chromium, String what, String option, Path html) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chromium");
    run(
        chromium.toString(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--user-data-dir=" + profile.toAbsolutePath(),
        what,
        option,
        html.toUri().toString());
  }

  private static int pages(Path pdf) throws Exception {
    Matcher m = PAGES.matcher(run("pdfinfo", pdf.toString()));
    assertTrue(m.find());
    return Integer.parseInt(m.group(1));
  }

  private static void assertA4(Path pdf, int pages) throws Exception {
    Matcher m = PAGE_SIZE.matcher(run("pdfinfo", "-f", "1", "-l", "" + pages, pdf.toString()));
    while (m.find()) {
      double w = Double.parseDouble(m.group(1));
      double h = Double.parseDouble(m.group(2));
      double lo = Math.min(w, h);
      double hi = Math.max(w, h);
      assertTrue(Math.abs(lo - 595) < 2 && Math.abs(hi - 842) < 2, w + " x " + h + " is not A4");
    }
  }

  /** Runs a tool for at most two minutes; its standard output, or a failure with its output. */
  private static String run(String... cmd) throws Exception {
    File out = File.createTempFile("tool", ".out");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(out)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        fail(String.join(" ", cmd) + " did not finish in two minutes");
      }
      String text = Files.readString(out.toPath(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        fail(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(out.toPath());
    }
  }

  private static Optional<Path> onPath(String... names) throws IOException {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String name : names) {
      for (String d : path.split(File.pathSeparator)) {
        Path p = Path.of(d, name);
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }
}
