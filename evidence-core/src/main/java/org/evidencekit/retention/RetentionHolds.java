package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;

/**
 * Places and releases holds (legal, investigation, appeal, spot check, …) through the ledger, where
 * {@link RetentionHistory#read} finds them and every decision honours them. A hold
 * blocks disposal until it is released; each placement and release names who and why.
 */
public final class RetentionHolds {
  private RetentionHolds() {}

  /**
   * Places a hold on a recording at the trusted clock's time, recorded as a {@code hold-placed}
   * entry. When {@code objectKey} is given and the store has legal holds, the object is put under a
   * legal hold too, so the storage refuses its deletion as well.
   *
   * @return the hold, with its new id
   * @throws org.evidencekit.storage.NoSuchObjectException if the store has legal holds and does not
   *     hold {@code objectKey}: before the clock is read, with nothing recorded
   */
  public static RetentionFacts.Hold place(
      EvidenceLedger ledger,
      EvidenceStore store,
      TrustedClock clock,
      String recordingId,
      Optional<String> objectKey,
      String kind,
      String reason,
      String by)
      throws IOException, ClockRefusedException {
    requireNonNull(ledger, "ledger");
    requireNonNull(store, "store");
    requireNonNull(clock, "clock");
    requireNonNull(recordingId, "recordingId");
    requireNonNull(objectKey, "objectKey");
    named("recording", recordingId);
    named("kind", kind);
    named("reason", reason);
    named("by", by);
    ObjectKey key = objectKey.map(ObjectKey::of).orElse(null);
    boolean storageHold = key != null && store.capabilities().contains(Capability.LEGAL_HOLD);
    if (storageHold) {
      // an object the store does not hold is refused before the clock is read, so a clock
      // vouched for on this hold's behalf is not recorded for a hold never placed
      store.stat(key);
    }
    Instant at = clock.now();
    String id =
        "hold-"
            + HashAlgorithm.SHA256
                .hash(
                    String.join(
                            "\n", recordingId, kind, reason, by, at.toString(), "" + ledger.size())
                        .getBytes(StandardCharsets.UTF_8))
                .hex()
                .substring(0, 16)
                .toLowerCase(Locale.ROOT);
    RetentionFacts.Hold h = new RetentionFacts.Hold(id, kind, reason, by, at, null);
    if (storageHold) {
      store.setLegalHold(key, true);
    }
    ledger.append(RetentionEvents.holdPlaced(recordingId, h));
    return h;
  }

  /**
   * Releases a hold placed through the ledger, recorded as a {@code hold-released} entry. The
   * storage's legal hold stays: an approved disposition lifts it when nothing else holds the
   * recording any more.
   *
   * @throws IllegalArgumentException if no hold in force has that id
   */
  public static RetentionFacts.Hold release(
      EvidenceLedger ledger, TrustedClock clock, String holdId, String reason, String by)
      throws IOException, ClockRefusedException {
    requireNonNull(ledger, "ledger");
    requireNonNull(clock, "clock");
    named("hold", holdId);
    named("reason", reason);
    named("by", by);
    RetentionHistory history = RetentionHistory.read(ledger);
    for (var e : history.allHolds().entrySet()) {
      for (RetentionFacts.Hold h : e.getValue()) {
        if (h.id().equals(holdId)) {
          if (h.releasedAt().isPresent()) {
            throw new IllegalArgumentException(
                "hold " + holdId + " was already released at " + h.releasedAt().get());
          }
          Instant at = clock.now();
          ledger.append(RetentionEvents.holdReleased(e.getKey(), holdId, by, reason, at));
          return RetentionEvents.released(h, at);
        }
      }
    }
    throw new IllegalArgumentException("the ledger has no hold " + holdId);
  }

  private static void named(String what, String v) {
    requireNonNull(v, what);
    if (v.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
