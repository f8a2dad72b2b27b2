package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A media segment (an HLS fMP4 segment, fragments without a movie box) on a card is sealed and
 * stored like any recording, byte for byte, and its record says what it is: a segment without its
 * initialization segment, not a recording that lost power.
 */
class MediaSegmentIngestTest {
  @TempDir Path dir;

  @Test
  void aMediaSegmentIsSealedStoredAndNamedForWhatItIs() throws Exception {
    // evidence-video made/make.sh 26: ffmpeg's second HLS segment of a 6 s stream
    Path card = Files.createDirectories(dir.resolve("card"));
    Path segment = Fixtures.copy("fixtures/made/hls-segment-2.m4s", card.resolve("seg-2.m4s"));
    Instant now = Instant.parse("2023-06-01T16:00:00Z");
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(
            dir.resolve("store"), Clock.fixed(now, ZoneOffset.UTC))) {
      IngestResult r =
          IngestStation.builder()
              .store(store)
              .clock(Clock.fixed(now, ZoneOffset.UTC))
              .build()
              .ingest(IngestRequest.builder("CAM9", "p-1").add(card).build());
      assertEquals(1, r.count(IngestStatus.INGESTED), r.recordings().toString());
      IngestedRecording rec = r.recordings().get(0);
      assertTrue(
          rec.findings().stream().anyMatch(f -> f.code().equals("MEDIA_SEGMENT")),
          rec.findings().toString());
      assertFalse(
          rec.findings().stream().anyMatch(f -> f.code().equals("MOOV_MISSING")),
          rec.findings().toString());
      byte[] stored;
      try (java.io.InputStream in =
          java.nio.channels.Channels.newInputStream(
              store.openRead(ObjectKey.of(rec.key().orElseThrow())))) {
        stored = in.readAllBytes();
      }
      assertEquals(Files.size(segment), stored.length);
      assertTrue(java.util.Arrays.equals(Files.readAllBytes(segment), stored));
    }
  }
}
