package org.evidencekit.ingest;

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
import java.util.concurrent.TimeUnit;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording ingested again over a store where its seal object was replaced, behind the store, by
 * 50 MiB of "[" (within the 64 MiB a seal may take, past what a 64 MiB heap holds): the run says
 * the seal is too large to read into memory, naming it, instead of dying with an {@code
 * OutOfMemoryError}. The second ingest runs in a JVM of its own with that heap and the
 * launcher's serial collector.
 */
class PlantedSealPastTheHeapTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");
  static final String NAME = "DEVCAM7_20230601_141000_001.mp4";

  @TempDir Path dir;

  private static IngestRequest request(Path file) {
    return IngestRequest.builder("DEVCAM7", "police-0042").add(file).build();
  }

  /** In the small heap: ingests {@code args[1]} into the store at {@code args[0]}. */
  public static void main(String[] args) {
    try (EvidenceStore store = FileSystemEvidenceStore.open(Path.of(args[0]), Clock.systemUTC())) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(DOCKED.plusSeconds(60), ZoneOffset.UTC))
              .build()
              .ingest(request(Path.of(args[1])));
      for (IngestedRecording rec : r.recordings()) {
        System.out.println(rec + " " + rec.findings());
      }
    } catch (Throwable t) {
      System.out.println(t.getClass().getSimpleName() + ": " + t.getMessage());
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aSealPlantedPastTheHeapIsNamedNotAnOutOfMemoryError() throws Exception {
    Path file = Fixtures.copy("fixtures/f02_split3/" + NAME, dir.resolve("card").resolve(NAME));
    Path root = dir.resolve("store");
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      IngestResult first =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
              .build()
              .ingest(request(file));
      assertEquals(1, first.count(IngestStatus.INGESTED), first.recordings().toString());
    }
    Path sealContent =
        root.resolve("objects/DEVCAM7.d/2023-06-01.d/" + NAME + ".seal.json.o/content");
    assertTrue(Files.isRegularFile(sealContent), sealContent.toString());
    sealContent.toFile().setWritable(true);
    byte[] brackets = new byte[50 << 20];
    Arrays.fill(brackets, (byte) '[');
    Files.write(sealContent, brackets);

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                PlantedSealPastTheHeapTest.class.getName(),
                root.toString(),
                file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertFalse(out.contains("OutOfMemoryError"), out);
    // the recording is not taken as ingested: its run is incomplete, and the finding says why,
    // and what is true: it is logged (entry 0), its seal object is what cannot be read
    assertTrue(out.startsWith("INCOMPLETE DEVCAM7/2023-06-01/" + NAME), out);
    assertTrue(
        out.contains(
            "the recording is logged at entry 0, but its seal object cannot be read: DEVCAM7/"
                + "2023-06-01/"
                + NAME
                + ".seal.json has more than "),
        out);
    assertTrue(out.contains("too many to read into memory"), out);
    assertTrue(out.contains("; a re-run does not replace it"), out);
    assertFalse(out.contains("not logged"), out);
  }

  /**
   * The same over a seal object replaced by a few bytes of garbage: the finding names the object
   * and says the recording is logged, not "not logged yet".
   */
  @Test
  void aGarbageSealObjectOfALoggedRecordingIsNamedAndTheRecordingSaidLogged() throws Exception {
    Path file = Fixtures.copy("fixtures/f02_split3/" + NAME, dir.resolve("card").resolve(NAME));
    Path root = dir.resolve("store");
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      IngestStation.builder()
          .store(store)
          .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
          .build()
          .ingest(request(file));
    }
    Path sealContent =
        root.resolve("objects/DEVCAM7.d/2023-06-01.d/" + NAME + ".seal.json.o/content");
    sealContent.toFile().setWritable(true);
    Files.writeString(sealContent, "{\"format\": garbage");
    try (EvidenceStore store = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      IngestResult again =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(DOCKED.plusSeconds(60), ZoneOffset.UTC))
              .build()
              .ingest(request(file));
      IngestedRecording rec = again.recordings().get(0);
      assertEquals(IngestStatus.INCOMPLETE, rec.status(), rec.toString());
      String said =
          rec.findings().stream()
              .filter(f -> f.code().equals(IngestCodes.STORE_FAILED))
              .findFirst()
              .orElseThrow()
              .message();
      assertTrue(
          said.startsWith(
              "the recording is logged at entry 0, but its seal object cannot be read: DEVCAM7/"
                  + "2023-06-01/"
                  + NAME
                  + ".seal.json: not valid JSON"),
          said);
      assertTrue(said.endsWith("; a re-run does not replace it"), said);
    }
  }
}
