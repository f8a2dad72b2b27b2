package org.evidencekit.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
  static WorkList fromLedger(SortedMap<String, CatalogIndex.Row> logged) {
    List<WorkItem> work = new ArrayList<>();
    logged.forEach((k, s) -> work.add(item(k, s)));
    return new WorkList(work, List.of());
  }

  /**
   * The ledger and one listing of the store, classified as {@link EvidenceArchive#sweep} does: each
   * key is reported once.
   */
  static WorkList withListing(
      SortedMap<String, CatalogIndex.Row> logged,
      SortedMap<String, Long> disposed,
      EvidenceStore store)
      throws IOException {
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
      work.add(s == null ? new WorkItem(k, -1, null) : item(k, s));
    }
    List<RecordingResult> settled = new ArrayList<>();
    for (SweepReport.Item i : listing.settled()) {
      settled.add(new RecordingResult(i.key(), i.status(), i.detail()));
    }
    return new WorkList(work, settled);
  }

  private static WorkItem item(String k, CatalogIndex.Row s) {
    return new WorkItem(k, s.index(), s.sealDigest());
  }
}
