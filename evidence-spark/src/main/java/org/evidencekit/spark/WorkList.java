package org.evidencekit.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepListing;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;

/**
 * What the driver decides before any executor reads a byte: the recordings to check (from the
 * ledger, plus unlogged ones the listing found) and the findings the listing alone settles (a seal
 * without content, content without a seal, a logged recording that is gone).
 */
final class WorkList {
  final List<WorkItem> work;
  final List<RecordingResult> settled;

  private WorkList(List<WorkItem> work, List<RecordingResult> settled) {
    this.work = work;
    this.settled = settled;
  }

  /** Only what the ledger names; a missing one is found when an executor fails to open it. */
  static WorkList fromLedger(CatalogIndex catalog) {
    List<WorkItem> work = new ArrayList<>();
    catalog.recordings().forEach((k, s) -> work.add(WorkItem.logged(k, s, catalog)));
    return new WorkList(work, List.of());
  }

  /**
   * The ledger and one listing of the store, classified as {@link EvidenceArchive#sweep} does: each
   * key is reported once.
   */
  static WorkList withListing(CatalogIndex catalog, EvidenceStore store) throws IOException {
    SortedMap<String, CatalogIndex.Row> logged = catalog.recordings();
    SortedMap<String, Long> disposed = catalog.disposed();
    TreeSet<String> objects = new TreeSet<>();
    // keys only: describing each object would cost S3 a request per object
    try (Stream<ObjectKey> s = store.keys("")) {
      s.map(ObjectKey::value).forEach(objects::add);
    }
    Map<String, Long> sealedAt = new TreeMap<>();
    logged.forEach((k, row) -> sealedAt.put(k, row.index()));
    // the catalog refuses a ledger it cannot read whole, so what it does not log is not logged
    SweepListing listing = SweepListing.classify(objects, sealedAt, disposed, true);
    List<WorkItem> work = new ArrayList<>();
    for (String k : listing.toCheck()) {
      CatalogIndex.Row s = logged.get(k);
      work.add(s == null ? new WorkItem(k, -1, null) : WorkItem.logged(k, s, catalog));
    }
    // a seal kept for good is OK by the listing alone; read on the driver (a few KiB each) and held
    // to its sealed entry, which the catalog index keeps for each disposed recording, as the
    // single-process sweep does
    SortedSet<String> kept = new TreeSet<>();
    for (String k : disposed.keySet()) {
      if (!objects.contains(k) && objects.contains(k + EvidenceArchive.SEAL_SUFFIX)) {
        kept.add(k);
      }
    }
    Map<String, CatalogIndex.Row> keptLogged = catalog.disposedSeals();
    List<RecordingResult> settled = new ArrayList<>();
    for (SweepReport.Item i : listing.settled()) {
      SweepReport.Item item = i;
      if (kept.contains(i.key())) {
        CatalogIndex.Row s = keptLogged.get(i.key());
        item =
            s == null
                ? SweepListing.checkKeptSeal(store, i.key(), disposed.get(i.key()), -1, "")
                : SweepListing.checkKeptSeal(
                    store, i.key(), disposed.get(i.key()), s.index(), s.sealDigest());
      }
      settled.add(new RecordingResult(item.key(), item.status(), item.detail()));
    }
    return new WorkList(work, settled);
  }
}
