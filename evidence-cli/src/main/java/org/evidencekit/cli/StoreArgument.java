package org.evidencekit.cli;

import java.io.IOException;
import java.time.Clock;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.report.ArchiveCatalog;
import org.evidencekit.report.CatalogQuery;
import org.evidencekit.report.Selection;
import org.evidencekit.storage.EvidenceStore;
import picocli.CommandLine.Option;

/** {@code --store STORE} of an existing store, read into a {@link Selection}. */
final class StoreArgument {
  @Option(
      names = "--store",
      required = true,
      paramLabel = "STORE",
      description = "A folder or a URI (file:…, s3://bucket/prefix?endpoint=URL).")
  String spec;

  Selection select(CatalogQuery query) throws IOException {
    try (EvidenceStore st = Stores.open(spec, false)) {
      return ArchiveCatalog.open(
              EvidenceArchive.openFromCheckpoint(st, Clock.systemUTC()),
              Stores.location(spec),
              Clock.systemUTC())
          .select(query);
    }
  }
}
