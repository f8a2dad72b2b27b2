package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's and docs/ingest.md's embedding example, compiled and run; both must quote it
 * verbatim. What it writes is exactly the layout the archive, the sweep and the reports read.
 */
class IngestReadmeExampleTest {
  @TempDir Path dir;

  private final List<String> printed = new ArrayList<>();

  @Test
  void theEmbeddingExampleWorksAndIsQuotedVerbatim() throws Exception {
    Path dcim = Fixtures.folder("f02_split3", dir);
    Path storeRoot = dir.resolve("store");
    Path keyFile = dir.resolve("station.pem");
    Files.writeString(keyFile, SigningKeys.generate(SignatureSuite.SM2_SM3).privateKeyPem());
    example(storeRoot, keyFile, dcim);
    assertEquals(3, printed.size(), printed.toString());
    assertTrue(printed.get(0).startsWith("INGESTED DEVCAM7/2023-06-01/"), printed.toString());
    try (EvidenceStore store = FileSystemEvidenceStore.open(storeRoot, Clock.systemUTC())) {
      SweepReport sweep = EvidenceArchive.open(store, Clock.systemUTC()).sweep(null);
      assertTrue(sweep.clean(), sweep.toString());
      assertEquals(3, sweep.items().size(), sweep.toString());
    }
    String source =
        Files.readString(
            Path.of("src/test/java/org/evidencekit/ingest/IngestReadmeExampleTest.java"));
    String snippet = snippet(source);
    assertTrue(snippet.lines().count() <= 15, "an integrator's ingest in 15 lines or fewer");
    assertTrue(Files.readString(Path.of("..", "README.md")).contains(snippet), "README quotes it");
    assertTrue(
        Files.readString(Path.of("..", "docs", "ingest.md")).contains(snippet),
        "docs/ingest.md quotes it");
  }

  private static String snippet(String source) {
    String begin = "// README-INGEST-BEGIN";
    int start = source.indexOf('\n', source.lastIndexOf(begin)) + 1;
    int end = source.lastIndexOf("    // README-INGEST-END");
    StringBuilder sb = new StringBuilder();
    for (String line : source.substring(start, end).split("\n", -1)) {
      sb.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
    }
    return sb.toString().strip();
  }

  private void example(Path storeRoot, Path keyFile, Path dcim) throws Exception {
    // README-INGEST-BEGIN
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(storeRoot, Clock.systemUTC())) {
      IngestStation station =
          IngestStation.builder().store(store).signer(SigningKeys.readPem(keyFile, null)).build();
      IngestRequest request =
          IngestRequest.builder("DEVCAM7", "police-0042").add(dcim).addCase("ZZ-2023-0042").build();
      IngestResult result = station.ingest(request);
      for (IngestedRecording r : result.recordings()) {
        println(r.status() + " " + r.key().orElse(r.source().toString()) + " " + r.findings());
      }
    }
    // README-INGEST-END
  }

  private void println(String s) {
    printed.add(s);
  }
}
