package org.evidencekit.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepReport.Status;
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
      s.map(ObjectKey::value).filter(k -> !EvidenceArchive.isBookkeeping(k)).forEach(objects::add);
    }
    List<WorkItem> work = new ArrayList<>();
    List<RecordingResult> settled = new ArrayList<>();
    String suffix = EvidenceArchive.SEAL_SUFFIX;
    for (String k : objects) {
      if (k.endsWith(suffix)) {
        String rec = k.substring(0, k.length() - suffix.length());
        Long disposedAt = disposed.get(rec);
        if (!objects.contains(rec) && disposedAt != null) {
          // its seal outlives it on purpose: what was destroyed stays provable
          settled.add(
              new RecordingResult(
                  rec,
                  Status.OK,
                  "disposed at ledger entry " + disposedAt + "; its seal is kept for good"));
        } else if (!objects.contains(rec)) {
          settled.add(new RecordingResult(rec, Status.MISSING, missing(logged, rec)));
        }
      } else if (!objects.contains(k + suffix)) {
        settled.add(new RecordingResult(k, Status.UNEXPECTED, "no seal"));
      } else {
        CatalogIndex.Row s = logged.get(k);
        work.add(s == null ? new WorkItem(k, -1, null) : item(k, s));
      }
    }
    for (Map.Entry<String, CatalogIndex.Row> e : logged.entrySet()) {
      String k = e.getKey();
      if (!objects.contains(k) && !objects.contains(k + suffix)) {
        settled.add(new RecordingResult(k, Status.MISSING, missing(logged, k)));
      }
    }
    return new WorkList(work, settled);
  }

  private static String missing(SortedMap<String, CatalogIndex.Row> logged, String k) {
    CatalogIndex.Row s = logged.get(k);
    return s == null
        ? "seal without content"
        : "sealed at ledger entry " + s.index() + " and never disposed";
  }

  private static WorkItem item(String k, CatalogIndex.Row s) {
    return new WorkItem(k, s.index(), s.sealDigest());
  }
}
