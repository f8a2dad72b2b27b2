package org.evidencekit.cli;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.storage.EvidenceStore;
import picocli.CommandLine.Option;

/** {@code --store STORE} of an existing store, read into a {@link StoreCatalog}. */
final class StoreArgument {
  @Option(
      names = "--store",
      required = true,
      paramLabel = "STORE",
      description = "A folder or a URI (file:…, s3://bucket/prefix?endpoint=URL).")
  String spec;

  /** See {@link StoreCatalog#read} for {@code timelines} and {@code verify}. */
  StoreCatalog catalog(
      StoreCatalog.Filter filter,
      List<EnforcementAction> actions,
      boolean timelines,
      boolean verify)
      throws IOException {
    try (EvidenceStore st = Stores.open(spec, false)) {
      return StoreCatalog.read(
          EvidenceArchive.open(st, Clock.systemUTC()),
          Stores.location(spec),
          filter,
          actions,
          timelines,
          verify);
    }
  }
}
