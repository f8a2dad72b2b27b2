package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.storage.Capability;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectInfo;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.tck.ForwardingEvidenceStore;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.junit.jupiter.api.Test;

/**
 * A policy may keep recordings longer than a store can count: S3 on Ceph RGW keeps retain-until
 * dates only up to 2106-02-07T06:28:15Z and its store refuses a later one with {@code
 * IllegalArgumentException}. A recording decided to be kept a century must not end up unprotected
 * behind a result that does not say so: it is retained as late as every store keeps and held (R-16:
 * a hold is lifted only by a disposition under an approved plan), or, on a store without holds,
 * reported FAILED with what protects it until when.
 */
class RetentionBeyondTheStoreTest {
  static final Instant NOW = Instant.parse("2026-07-01T00:00:00Z");
  static final Instant S3_LATEST = Instant.ofEpochSecond(0xFFFF_FFFFL);

  /** Like the S3 store on Ceph RGW: refuses a retain-until after 2106-02-07T06:28:15Z. */
  static final class CountsTo2106 extends ForwardingEvidenceStore {
    final Set<Capability> caps;

    CountsTo2106(boolean holds) {
      super(new InMemoryEvidenceStore(Clock.fixed(NOW, ZoneOffset.UTC)));
      EvidenceStore real = delegate;
      Set<Capability> c = new java.util.HashSet<>(real.capabilities());
      if (!holds) {
        c.remove(Capability.LEGAL_HOLD);
      }
      caps = Set.copyOf(c);
    }

    @Override
    public Set<Capability> capabilities() {
      return caps;
    }

    @Override
    public void setRetention(ObjectKey key, Instant retainUntil) throws IOException {
      if (retainUntil.isAfter(S3_LATEST)) {
        throw new IllegalArgumentException(
            "retain-until " + retainUntil + " is after " + S3_LATEST);
      }
      super.setRetention(key, retainUntil);
    }

    @Override
    public void setLegalHold(ObjectKey key, boolean hold) throws IOException {
      if (!caps.contains(Capability.LEGAL_HOLD)) {
        throw new UnsupportedOperationException("no legal hold");
      }
      super.setLegalHold(key, hold);
    }
  }

  static final RetentionPolicy CENTURY =
      RetentionPolicy.of(
          "century",
          1,
          RetentionPolicy.State.ACTIVE,
          RetentionPolicy.DEFAULT_ZONE,
          List.of(
              RetentionRule.of(
                  "century",
                  "kept a hundred years",
                  Map.of(),
                  RetentionRule.Anchor.RECORDING_END,
                  Period.ofYears(100))),
          RetentionPolicy.defaultCaseTerms());

  static final RetentionFacts FACTS =
      RetentionFacts.of(
          List.of(
              RetentionFacts.Recording.builder("A")
                  .recordingEnd(Instant.parse("2026-06-01T00:00:00Z"))
                  .objectKey("rec/A.mp4")
                  .sealRoot("aa".repeat(32))
                  .build()),
          List.of());

  private static RetentionPushDown.Result pushDown(EvidenceStore store) throws IOException {
    DispositionTest.put(store, "rec/A.mp4");
    List<RetentionDecision> ds =
        RetentionEngine.decideAll(CENTURY, FACTS, RetentionHistory.empty(), NOW);
    assertTrue(ds.get(0).latestFixedEnd().orElseThrow().isAfter(S3_LATEST), ds.toString());
    List<RetentionPushDown.Result> rs = RetentionPushDown.apply(store, FACTS, ds);
    assertEquals(1, rs.size());
    return rs.get(0);
  }

  @Test
  void aCenturyOnAStoreThatCountsTo2106IsRetainedAsLateAsItCanAndHeld() throws Exception {
    CountsTo2106 store = new CountsTo2106(true);
    RetentionPushDown.Result r = pushDown(store);
    ObjectInfo info = store.stat(ObjectKey.of("rec/A.mp4"));
    assertEquals(PermanentRecords.FOREVER, info.retainUntil().orElse(null), info.toString());
    assertTrue(info.legalHold(), "held beyond what the store can count: " + info);
    assertEquals(RetentionPushDown.Enforcement.LIBRARY, r.enforcement(), r.toString());
    assertTrue(r.message().contains("legal hold") && r.message().contains("2126"), r.message());
    assertThrows(RetentionLockedException.class, () -> store.delete(ObjectKey.of("rec/A.mp4")));
  }

  @Test
  void withoutHoldsItIsReportedFailedNamingTheDateItIsProtectedUntil() throws Exception {
    CountsTo2106 store = new CountsTo2106(false);
    RetentionPushDown.Result r = pushDown(store);
    ObjectInfo info = store.stat(ObjectKey.of("rec/A.mp4"));
    assertEquals(PermanentRecords.FOREVER, info.retainUntil().orElse(null), info.toString());
    assertFalse(info.legalHold());
    assertEquals(RetentionPushDown.Enforcement.FAILED, r.enforcement(), r.toString());
    assertTrue(r.message().contains(PermanentRecords.FOREVER.toString()), r.message());
  }
}
