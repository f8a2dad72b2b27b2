package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.evidencekit.storage.EvidenceStore;

/**
 * What one listing of a store settles before any recording is read, against what the ledger says
 * was sealed and disposed of (R-20, Art. 21(5)): a seal whose content is gone, content whose seal
 * is gone, a logged recording of which nothing is left, content nobody sealed, and a disposed
 * recording's seal, which is kept for good. What it does not settle, a recording with
 * both its content and its seal, is left {@linkplain #toCheck() to check}.
 *
 * <p>{@link EvidenceArchive#sweep} and the Spark sweep ({@code evidence-spark}) both classify
 * through this class, so that each key gets the same status and the same words whichever of them
 * swept it. Each key is reported once: a recording under its own key, never under its seal's.
 */
public final class SweepListing {
  private final List<String> toCheck;
  private final List<SweepReport.Item> settled;

  private SweepListing(List<String> toCheck, List<SweepReport.Item> settled) {
    this.toCheck = List.copyOf(toCheck);
    this.settled = List.copyOf(settled);
  }

  /**
   * Classifies a listing.
   *
   * @param objects every key the store listed; the ledger's and the archive's own bookkeeping
   *     objects among them are passed over
   * @param sealedAt for each recording logged as sealed and not disposed of since, the index of its
   *     latest {@code sealed} entry
   * @param disposedAt for each recording disposed of (and not sealed again since), the index of its
   *     latest {@code disposed} entry, keyed by the object it removed
   * @param ledgerComplete false when some of the ledger could not be read: a key the readable part
   *     does not log may be logged in the rest, and its finding says so
   */
  public static SweepListing classify(
      SortedSet<String> objects,
      Map<String, Long> sealedAt,
      Map<String, Long> disposedAt,
      boolean ledgerComplete) {
    requireNonNull(objects, "objects");
    requireNonNull(sealedAt, "sealedAt");
    requireNonNull(disposedAt, "disposedAt");
    String suffix = EvidenceArchive.SEAL_SUFFIX;
    // one item per key, sorted by key: the first problem found for a key is the one reported
    Map<String, SweepReport.Item> byKey = new TreeMap<>();
    SortedSet<String> toCheck = new TreeSet<>();
    for (String k : objects) {
      if (EvidenceArchive.isBookkeeping(k)) {
        continue;
      }
      if (k.endsWith(suffix)) {
        String rec = k.substring(0, k.length() - suffix.length());
        if (objects.contains(rec)) {
          continue; // the recording's own key decides
        }
        Long disposed = disposedAt.get(rec);
        Long sealed = sealedAt.get(rec);
        byKey.putIfAbsent(
            rec,
            disposed != null && sealed == null
                // its seal outlives it on purpose: what was destroyed stays provable
                ? item(SweepReport.Status.OK, rec, disposedText(disposed))
                : item(
                    SweepReport.Status.MISSING,
                    rec,
                    (sealed != null
                            ? "content missing: sealed at ledger entry "
                                + sealed
                                + " and never disposed (its seal is still stored)"
                            : "content missing: a seal is stored without its content")
                        + keptRotationCopy(objects, rec)));
        continue;
      }
      if (objects.contains(k + suffix)) {
        toCheck.add(k);
        continue;
      }
      Long sealed = sealedAt.get(k);
      byKey.putIfAbsent(
          k,
          sealed != null
              ? item(
                  SweepReport.Status.MISSING,
                  k,
                  "seal missing: sealed at ledger entry "
                      + sealed
                      + ", the content is stored but its seal is gone")
              : item(
                  SweepReport.Status.UNEXPECTED,
                  k,
                  "no seal and no sealed entry in the ledger"
                      + (ledgerComplete ? "" : " (or one in a damaged batch)")));
    }
    for (Map.Entry<String, Long> e : sealedAt.entrySet()) {
      String k = e.getKey();
      if (!objects.contains(k) && !objects.contains(k + suffix)) {
        byKey.putIfAbsent(
            k,
            item(
                SweepReport.Status.MISSING,
                k,
                "content and seal missing: sealed at ledger entry "
                    + e.getValue()
                    + " and never disposed"));
      }
    }
    for (Map.Entry<String, Long> e : disposedAt.entrySet()) {
      String k = e.getKey();
      if (!objects.contains(k) && !objects.contains(k + suffix)) {
        // its content went under the plan, its seal must not have
        byKey.putIfAbsent(
            k,
            item(
                SweepReport.Status.MISSING,
                k,
                "seal missing: disposed at ledger entry "
                    + e.getValue()
                    + ", its seal, kept for good, is gone"));
      }
    }
    return new SweepListing(new ArrayList<>(toCheck), new ArrayList<>(byKey.values()));
  }

  /**
   * Reads the seal kept for good of a recording disposed of whose content is gone,
   * which {@link #settled()} calls {@code OK} from the listing alone, and holds it to the seal its
   * {@code sealed} entry logged: {@code DAMAGED} if it is another seal (a substitute, signed
   * with a stolen station key or not), cannot be read as a seal, or is stored in other bytes than
   * the canonical form whose digest was logged; {@code MISSING} if it is gone; {@code UNLOGGED} if
   * no {@code sealed} entry logged it; else {@code OK}. Reads the seal object only (a few KiB, at
   * most 64 MiB), never a recording. {@link EvidenceArchive#sweep} and the Spark sweep both call
   * it, so each gives the same words.
   *
   * @param disposedAt the index of its latest {@code disposed} entry
   * @param sealedAt the index of its first {@code sealed} entry since its previous disposal, or -1
   *     when the ledger logs none
   * @param sealDigest the seal digest that entry logged (ignored when {@code sealedAt} is -1)
   */
  public static SweepReport.Item checkKeptSeal(
      EvidenceStore store, String key, long disposedAt, long sealedAt, String sealDigest) {
    requireNonNull(store, "store");
    requireNonNull(key, "key");
    requireNonNull(sealDigest, "sealDigest");
    return ArchiveSweep.checkKept(store, key, disposedAt, sealedAt, sealDigest);
  }

  /** The detail of a disposed recording whose seal is kept: the same in every sweep. */
  static String disposedText(long disposedAt) {
    return "disposed at ledger entry " + disposedAt + "; its seal is kept for good";
  }

  /** The recordings stored with their seals, in key order: their bytes must be verified. */
  public List<String> toCheck() {
    return toCheck;
  }

  /** What the listing alone settles, one item per key, in key order. */
  public List<SweepReport.Item> settled() {
    return settled;
  }

  private static SweepReport.Item item(SweepReport.Status status, String key, String detail) {
    return new SweepReport.Item(status, key, detail);
  }

  /**
   * Where a key rotation that stopped between deleting a recording's ciphertext and storing the
   * re-wrapped one kept its checked copy, for the records officer who finds the recording missing
   * empty if there is none.
   */
  private static String keptRotationCopy(SortedSet<String> objects, String key) {
    String prefix = KeyRotation.copies(key);
    SortedSet<String> kept = objects.tailSet(prefix);
    return kept.isEmpty() || !kept.first().startsWith(prefix)
        ? ""
        : "; a key rotation that stopped kept its re-wrapped copy at "
            + kept.first()
            + ": run the rotation again with the same keys to restore it";
  }
}
