package org.evidencekit.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.report.ArchiveCatalog;
import org.evidencekit.report.CatalogQuery;
import org.evidencekit.report.Presentation;
import org.evidencekit.report.RecordSheet;
import org.evidencekit.report.Selection;
import org.evidencekit.report.SupervisorReport;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.store.FileSystemEvidenceStore;

/**
 * The supervisor report of an archive of 10,000 sealed recordings (20 devices, a minute each, with
 * gaps): time to open the catalog (ledger and every seal), select, render the report and the record
 * sheet, and whether it fits the heap it is given. Not JMH: one report is what a supervisor waits
 * for. Run: {@code java -Xmx256m -cp benchmarks/target/benchmarks.jar
 * org.evidencekit.benchmarks.ReportHarness [recordings]}.
 */
public final class ReportHarness {
  private ReportHarness() {}

  public static void main(String[] a) throws Exception {
    int n = a.length > 0 ? Integer.parseInt(a[0]) : 10_000;
    Path d = Files.createTempDirectory("report-bench");
    Path file = d.resolve("rec.mp4");
    Random random = new Random(20);
    long t0 = System.nanoTime();
    try (FileSystemEvidenceStore s =
        FileSystemEvidenceStore.openOrCreate(d.resolve("store"), Clock.systemUTC())) {
      EvidenceArchive archive = EvidenceArchive.open(s, Clock.systemUTC());
      Instant day = Instant.parse("2023-06-01T00:00:00Z");
      for (int i = 0; i < n; i++) {
        byte[] content = new byte[1024];
        random.nextBytes(content);
        Files.write(file, content);
        String device = "CAM" + (i % 20);
        int slot = i / 20;
        Instant start = day.plusSeconds(slot * 75L + (slot % 7 == 0 ? 40 : 0));
        String name = device + "_" + String.format("%06d", slot) + ".mp4";
        RecordingMetadata md =
            RecordingMetadata.builder()
                .deviceId(device)
                .officerId("police-" + (i % 20))
                .addCaseId("ZZ-2023-" + (slot % 50))
                .recordingStart(start)
                .recordingEnd(start.plusSeconds(60))
                .mediaType("video/mp4")
                .originalFileName(name)
                .ingestTime(start.plusSeconds(3600))
                .build();
        Seal seal = Sealer.create().seal(file).withMetadata(md);
        archive.ingest(device + "/2023-06-01/" + name, file, seal, "bench");
        if ((i + 1) % 1000 == 0) {
          System.out.printf(
              "built %d recordings (%.0f s)%n", i + 1, (System.nanoTime() - t0) / 1e9);
        }
      }
    }
    for (int r = 0; r < 3; r++) {
      long s0 = System.nanoTime();
      try (FileSystemEvidenceStore s =
          FileSystemEvidenceStore.openOrCreate(d.resolve("store"), Clock.systemUTC())) {
        ArchiveCatalog catalog =
            ArchiveCatalog.open(
                EvidenceArchive.open(s, Clock.systemUTC()), d.toString(), Clock.systemUTC());
        long s1 = System.nanoTime();
        Selection sel = catalog.select(CatalogQuery.all());
        long s2 = System.nanoTime();
        byte[] html = SupervisorReport.html(sel, Presentation.defaults());
        byte[] csv = RecordSheet.csv(sel, Presentation.defaults());
        long s3 = System.nanoTime();
        catalog.refresh();
        Selection again = catalog.select(CatalogQuery.all());
        byte[] html2 = SupervisorReport.html(again, Presentation.defaults());
        long s4 = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        System.out.printf(
            "%d recordings, %d findings: open %.0f ms, select %.0f ms, render report (%d KiB) and"
                + " sheet (%d KiB) %.0f ms, total %.0f ms; refresh+select+render again (%d KiB)"
                + " %.0f ms;"
                + " heap used %d MiB of max %d MiB%n",
            sel.tally().recordings(),
            sel.tally().findings(),
            (s1 - s0) / 1e6,
            (s2 - s1) / 1e6,
            html.length >> 10,
            csv.length >> 10,
            (s3 - s2) / 1e6,
            (s3 - s0) / 1e6,
            html2.length >> 10,
            (s4 - s3) / 1e6,
            (rt.totalMemory() - rt.freeMemory()) >> 20,
            rt.maxMemory() >> 20);
      }
    }
    try (java.util.stream.Stream<Path> all = Files.walk(d)) {
      for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    }
  }
}
