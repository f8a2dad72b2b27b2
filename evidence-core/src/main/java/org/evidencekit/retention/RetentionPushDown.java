package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;

/**
 * Applies decisions to a store through the SPI (extend only), reads them back, and reports per
 * recording whether retention is enforced by the storage itself or by the library only. Permanent
 * and event-held recordings get a legal hold, as do recordings with holds in force.
 */
public final class RetentionPushDown {
  private RetentionPushDown() {}

  /** How one recording's retention ended up enforced. */
  public enum Enforcement {
    /** The storage itself (WORM) enforces it. */
    STORAGE,
    /** The store enforces it in the library, not the storage (e.g. the filesystem store). */
    LIBRARY,
    /** The store has no retention capability: only the engine's decisions protect it. */
    ENGINE_ONLY,
    /**
     * The retention had already ended when it was decided and nothing holds the recording: there is
     * nothing to push down (it may be disposed of under an approved plan).
     */
    EXPIRED,
    /** Applying failed; see the message. */
    FAILED
  }

  /** The outcome for one recording. */
  public static final class Result {
    private final String recordingId;
    private final Enforcement enforcement;
    private final String message;

    Result(String recordingId, Enforcement enforcement, String message) {
      this.recordingId = recordingId;
      this.enforcement = enforcement;
      this.message = message;
    }

    public String recordingId() {
      return recordingId;
    }

    public Enforcement enforcement() {
      return enforcement;
    }

    public String message() {
      return message;
    }

    @Override
    public String toString() {
      return recordingId + " " + enforcement + ": " + message;
    }
  }

  /**
   * Sets each decision on its recording's object and reads it back. Objects are independent, so a
   * run of many is set several at once: on a filesystem store each setting is a durable metadata
   * write whose fsyncs then overlap instead of queueing one behind the other.
   *
   * @return one result per decision, in the decisions' order
   */
  public static List<Result> apply(
      EvidenceStore store, RetentionFacts facts, List<RetentionDecision> decisions) {
    requireNonNull(store, "store");
    requireNonNull(facts, "facts");
    requireNonNull(decisions, "decisions");
    if (decisions.size() < 2) {
      List<Result> out = new ArrayList<>();
      for (RetentionDecision d : decisions) {
        out.add(applyFor(store, facts, d));
      }
      return out;
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(
            Math.min(decisions.size(), PARALLEL_OBJECTS),
            r -> {
              Thread t = new Thread(r, "evidencekit-retention");
              t.setDaemon(true);
              return t;
            });
    try {
      List<java.util.concurrent.Future<Result>> futures = new ArrayList<>();
      for (RetentionDecision d : decisions) {
        futures.add(pool.submit(() -> applyFor(store, facts, d)));
      }
      List<Result> out = new ArrayList<>(futures.size());
      for (int i = 0; i < futures.size(); i++) {
        try {
          out.add(futures.get(i).get());
        } catch (java.util.concurrent.ExecutionException e) {
          out.add(
              new Result(
                  decisions.get(i).recordingId(),
                  Enforcement.FAILED,
                  "could not be set: " + e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          out.add(
              new Result(
                  decisions.get(i).recordingId(),
                  Enforcement.FAILED,
                  "interrupted before it was set"));
        }
      }
      return out;
    } finally {
      pool.shutdown();
    }
  }

  /** Objects set at once by {@link #apply}. */
  private static final int PARALLEL_OBJECTS = 8;

  private static Result applyFor(EvidenceStore store, RetentionFacts facts, RetentionDecision d) {
    String key = facts.recording(d.recordingId()).flatMap(r -> r.objectKey()).orElse(null);
    if (key == null) {
      return new Result(d.recordingId(), Enforcement.FAILED, "no object key in the facts");
    }
    return applyOne(store, ObjectKey.of(key), d);
  }

  private static Result applyOne(EvidenceStore store, ObjectKey key, RetentionDecision d) {
    boolean canRetain = store.capabilities().contains(Capability.RETENTION);
    boolean canHold = store.capabilities().contains(Capability.LEGAL_HOLD);
    boolean needHold = d.permanent() || !d.openEvents().isEmpty() || !d.holdsInForce().isEmpty();
    try {
      Instant until = d.latestFixedEnd().orElse(null);
      boolean expired = until != null && !until.isAfter(d.evaluatedAt());
      if (expired && !needHold) {
        return new Result(
            d.recordingId(),
            Enforcement.EXPIRED,
            "retention ended " + until + ", before this decision (" + d.evaluatedAt() + ")");
      }
      String beyondReach = null;
      if (canRetain && until != null && !expired) {
        try {
          store.setRetention(key, until);
        } catch (RetentionLockedException longer) {
          // the store already keeps it longer: extension only, nothing to do
        } catch (IllegalArgumentException refused) {
          if (!until.isAfter(PermanentRecords.FOREVER)) {
            throw refused;
          }
          // The store keeps no retention that late (S3 on Ceph RGW counts to 2106): retained as
          // late as every store keeps, and held, since a hold lasts until it is lifted, which only
          // a disposition under an approved plan does.
          beyondReach = refused.getMessage();
          PermanentRecords.lock(store, key);
        }
      }
      boolean hold = needHold || beyondReach != null;
      if (canHold && hold) {
        store.setLegalHold(key, true);
      }
      ObjectInfo info = store.stat(key);
      Instant want = beyondReach != null ? PermanentRecords.FOREVER : until;
      boolean retained =
          until == null
              || expired // only the hold keeps it now
              || info.retainUntil().map(u -> !u.isBefore(want)).orElse(false);
      boolean held = !hold || info.legalHold();
      if (!canRetain || (needHold && !canHold)) {
        return new Result(
            d.recordingId(), Enforcement.ENGINE_ONLY, "the store cannot hold retention or holds");
      }
      if (beyondReach != null && !canHold) {
        return new Result(
            d.recordingId(),
            Enforcement.FAILED,
            "retention until "
                + until
                + " is later than the store keeps ("
                + beyondReach
                + ") and it has no legal hold: the store protects it only until "
                + info.retainUntil().map(Instant::toString).orElse("-")
                + ", the engine's decisions after that");
      }
      if (!retained || !held) {
        return new Result(
            d.recordingId(), Enforcement.FAILED, "read back does not show what was set: " + info);
      }
      return new Result(
          d.recordingId(),
          info.storageEnforced() ? Enforcement.STORAGE : Enforcement.LIBRARY,
          "retain until "
              + info.retainUntil().map(Instant::toString).orElse("-")
              + (info.legalHold() ? ", legal hold" : "")
              + (beyondReach == null
                  ? ""
                  : " (the decision's "
                      + until
                      + " is later than the store keeps a retention, so the legal hold keeps it"
                      + " until a disposition under an approved plan lifts it)"));
    } catch (IOException e) {
      return new Result(d.recordingId(), Enforcement.FAILED, e.getMessage());
    } catch (IllegalArgumentException e) {
      // a store on a server clock refuses an instant already past (S3 Object Lock)
      return new Result(
          d.recordingId(), Enforcement.FAILED, "the store refused: " + e.getMessage());
    }
  }
}
