package org.evidencekit.ingest;

import java.nio.file.Path;
import java.time.Clock;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;

/**
 * One station process for {@link ManyStationsTest}: {@code RaceMain STORE DEVICE FILE...} ingests
 * the files into the filesystem store and prints one line per recording: STATUS KEY.
 */
public final class RaceMain {
  private RaceMain() {}

  public static void main(String[] args) throws Exception {
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(Path.of(args[0]), Clock.systemUTC())) {
      IngestRequest.Builder b = IngestRequest.builder(args[1], "police-race");
      for (int i = 2; i < args.length; i++) {
        b.add(Path.of(args[i]));
      }
      IngestResult r = IngestStation.builder().store(store).build().ingest(b.build());
      for (IngestedRecording rec : r.recordings()) {
        System.out.println(rec.status() + " " + rec.key().orElse("-") + " " + rec.findings());
      }
    }
  }
}
