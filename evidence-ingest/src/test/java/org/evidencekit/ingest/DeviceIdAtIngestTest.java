package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.report.CatalogQuery;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device id that can never name the device's folder of keys is refused where it is given, naming
 * the id and the rule, before any store is opened. Before, {@code IngestRequest} took
 * {@code D/E}, {@code ..} or a 300-character id, and then every recording of the run failed on its
 * key, one by one.
 */
class DeviceIdAtIngestTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  static final List<String> NEVER_KEYS =
      List.of("D/E", "..", ".", "x".repeat(300), "DEV\\CAM", "ledger");

  @Test
  void theRequestRefusesADeviceIdNoKeyCanHold() {
    for (String id : NEVER_KEYS) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> IngestRequest.builder(id, "police-0042"), id);
      // the id as given, a long one cut short so that the rule fits the CLI's one line
      String shown = id.length() > 32 ? id.substring(0, 24) + "..." : id;
      assertTrue(
          e.getMessage().startsWith("device id '" + shown.replace("\\", "\\u005C") + "'"),
          e.getMessage());
      assertTrue(e.getMessage().length() < 300, e.getMessage());
      assertTrue(e.getMessage().contains("DEVICE/yyyy-MM-dd/NAME"), e.getMessage());
    }
  }

  /** The key layout and a report's filter apply the same rule, with the same words. */
  @Test
  void theLayoutAndTheReportFilterAgree() {
    for (String id : NEVER_KEYS) {
      String atRequest =
          assertThrows(IllegalArgumentException.class, () -> IngestRequest.builder(id, "p"))
              .getMessage();
      String atLayout =
          assertThrows(
                  IllegalArgumentException.class,
                  () ->
                      ObjectKeyLayout.byDeviceAndDay()
                          .keyFor(
                              id,
                              TimelineMapping.create().place("CLIP0001.MP4", null),
                              "CLIP0001.MP4"))
              .getMessage();
      String atReport =
          assertThrows(IllegalArgumentException.class, () -> CatalogQuery.builder().device(id))
              .getMessage();
      assertEquals(atRequest, atLayout, id);
      assertEquals(atRequest, atReport, id);
    }
  }

  /** The longest id the rule takes (200 UTF-8 bytes) is ingested and keyed under itself. */
  @Test
  void theLongestIdIsIngestedUnderItsOwnFolder() throws Exception {
    String id = "摄像机".repeat(22) + "07"; // 66 three-byte characters and two: 200 bytes
    Path card = Fixtures.folder("f02_split3", dir);
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
              .build()
              .ingest(IngestRequest.builder(id, "police-0042").add(card).build());
      assertEquals(3, r.count(IngestStatus.INGESTED), r.recordings().toString());
      for (IngestedRecording rec : r.recordings()) {
        assertTrue(rec.key().orElseThrow().startsWith(id + "/2023-06-01/"), rec.toString());
      }
    }
  }
}
