package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.evidencekit.ledger.SweepReport.Status;
import org.junit.jupiter.api.Test;

/**
 * What a listing settles, for every combination of what is stored (content, seal) and what the
 * ledger says (sealed, disposed of, nothing): the expectations are what was done to the archive, in
 * the words of docs/ledger.md ("Sweeps").
 */
class SweepListingTest {
  private static final String SEAL = EvidenceArchive.SEAL_SUFFIX;

  private enum Logged {
    SEALED,
    DISPOSED,
    NOTHING
  }

  /** The verdict for one recording, from what was done to it; null: left to check its bytes. */
  private static Status expected(boolean content, boolean seal, Logged logged) {
    if (content && seal) {
      return null;
    }
    return switch (logged) {
      // a sealed recording that lost its content, its seal or both is missing: deleting the seal
      // does not turn sealed content into something nobody sealed
      case SEALED -> Status.MISSING;
      // a disposed recording's seal is kept for good, so one whose seal is gone too
      // is missing (whether a kept seal is the one logged takes reading it: ArchiveSweep); content
      // back under its key without a seal is something nobody sealed since
      case DISPOSED -> seal ? Status.OK : content ? Status.UNEXPECTED : Status.MISSING;
      case NOTHING -> seal ? Status.MISSING : content ? Status.UNEXPECTED : null;
    };
  }

  @Test
  void everyCombinationOfStoredObjectsAndLedger() {
    TreeSet<String> objects = new TreeSet<>();
    Map<String, Long> sealed = new TreeMap<>();
    Map<String, Long> disposed = new TreeMap<>();
    Map<String, Status> want = new TreeMap<>();
    List<String> toCheck = new ArrayList<>();
    long index = 0;
    for (boolean content : new boolean[] {true, false}) {
      for (boolean seal : new boolean[] {true, false}) {
        for (Logged logged : Logged.values()) {
          String key = "cam/" + content + "-" + seal + "-" + logged + ".mp4";
          if (content) {
            objects.add(key);
          }
          if (seal) {
            objects.add(key + SEAL);
          }
          switch (logged) {
            case SEALED -> sealed.put(key, index++);
            case DISPOSED -> disposed.put(key, index++);
            case NOTHING -> {}
          }
          Status s = expected(content, seal, logged);
          if (s != null) {
            want.put(key, s);
          } else if (content && seal) {
            toCheck.add(key);
          }
        }
      }
    }
    // bookkeeping is never a recording
    objects.add("ledger/batches/00000000000000000000.jsonl");
    objects.add("ledger/seals/ab.seals.jsonl");
    SweepListing listing = SweepListing.classify(objects, sealed, disposed, true);
    Map<String, Status> got = new TreeMap<>();
    for (SweepReport.Item i : listing.settled()) {
      assertEquals(null, got.put(i.key(), i.status()), "one item per key: " + i);
    }
    assertEquals(want, got);
    assertEquals(new TreeSet<>(toCheck), new TreeSet<>(listing.toCheck()));
    // the words name the ledger entry, so a records officer can find what was sealed
    SweepReport.Item sealGone = item(listing, "cam/true-false-SEALED.mp4");
    assertTrue(
        sealGone.detail().startsWith("seal missing: sealed at ledger entry "), sealGone.detail());
    SweepReport.Item kept = item(listing, "cam/false-true-DISPOSED.mp4");
    assertTrue(kept.detail().endsWith("; its seal is kept for good"), kept.detail());
    SweepReport.Item keptGone = item(listing, "cam/false-false-DISPOSED.mp4");
    assertTrue(
        keptGone.detail().startsWith("seal missing: disposed at ledger entry "), keptGone.detail());
  }

  /** With part of the ledger unreadable, what it does not log may be logged in that part. */
  @Test
  void anIncompleteLedgerQualifiesUnsealedContent() {
    TreeSet<String> objects = new TreeSet<>(List.of("cam/a.mp4"));
    SweepListing complete = SweepListing.classify(objects, Map.of(), Map.of(), true);
    SweepListing partial = SweepListing.classify(objects, Map.of(), Map.of(), false);
    assertEquals(Status.UNEXPECTED, item(complete, "cam/a.mp4").status());
    assertEquals(Status.UNEXPECTED, item(partial, "cam/a.mp4").status());
    assertTrue(item(partial, "cam/a.mp4").detail().endsWith("(or one in a damaged batch)"));
    assertTrue(!item(complete, "cam/a.mp4").detail().contains("damaged"));
  }

  private static SweepReport.Item item(SweepListing listing, String key) {
    return listing.settled().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
  }
}
