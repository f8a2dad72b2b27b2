package org.evidencekit.ingest;

import java.io.IOException;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.storage.EvidenceStore;

/**
 * The last step of an ingest run: a new catalog snapshot once {@link CatalogIndex#DEFAULT_EVERY}
 * entries have come after the newest one, so sweeps and reports read only what came since.
 */
final class CatalogStep {
  private CatalogStep() {}

  static void afterRun(EvidenceStore store, EvidenceLedger ledger) {
    try {
      CatalogIndex.write(store, ledger, CatalogIndex.DEFAULT_EVERY);
    } catch (IOException | RuntimeException e) {
      // a snapshot is derived data: without it readers read more of the ledger, never something
      // else; the run's recordings are stored and logged, and the next run writes it
    }
  }
}
