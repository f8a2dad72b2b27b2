package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plan, approve, execute; the trusted clock; push-down to stores. */
class DispositionTest {
  @TempDir Path dir;
  static final Instant END = Instant.parse("2024-06-01T06:10:00Z");
  static final Instant LATER = Instant.parse("2026-07-01T00:00:00Z");
  static final RetentionPolicy REG = RetentionPolicy.regulationDefault();

  static void put(EvidenceStore s, String key) throws IOException {
    try (WritableObject w = s.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)));
      w.commit();
    }
  }

  static RetentionFacts facts(RetentionFacts.Hold... holdsOnB) {
    RetentionFacts.Recording.Builder b =
        RetentionFacts.Recording.builder("B")
            .recordingEnd(END)
            .objectKey("rec/B.mp4")
            .sealRoot("bb".repeat(32));
    for (RetentionFacts.Hold h : holdsOnB) {
      b.addHold(h);
    }
    return RetentionFacts.of(
        List.of(
            RetentionFacts.Recording.builder("A")
                .recordingEnd(END)
                .objectKey("rec/A.mp4")
                .sealRoot("aa".repeat(32))
                .build(),
            b.build(),
            RetentionFacts.Recording.builder("C")
                .recordingEnd(Instant.parse("2025-06-01T00:00:00Z"))
                .objectKey("rec/C.mp4")
                .build()),
        List.of());
  }

  @Test
  void planApproveExecuteLeavesTombstones() throws Exception {
    MutableClock storeClock = new MutableClock(LATER);
    try (EvidenceStore store = new InMemoryEvidenceStore(storeClock)) {
      for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4")) {
        put(store, k);
      }
      Disposition.Plan plan = Disposition.plan(REG, facts(), RetentionHistory.empty(), LATER);
      assertEquals(
          List.of("A", "B"),
          plan.disposable().stream().map(RetentionDecision::recordingId).toList());
      assertTrue(
          plan.toCsv().startsWith("recording,status,retain_until,policy,reasons\r\nA,DISPOSABLE,"));
      Disposition.Approval ok = plan.approve("records-officer-3", LATER);
      assertEquals(64, ok.planDigest().length());

      // between approval and execution a hold is placed on B: re-checked, kept
      RetentionFacts now =
          facts(
              new RetentionFacts.Hold(
                  "h", "legal", "new appeal", "legal", LATER.plusSeconds(60), null));
      TrustedClock clock = () -> LATER.plus(Duration.ofHours(1));
      List<Disposition.Outcome> out =
          Disposition.execute(ok, REG, now, RetentionHistory.empty(), clock, store);
      assertEquals(Disposition.Outcome.Kind.DISPOSED, out.get(0).kind());
      assertEquals(Disposition.Outcome.Kind.KEPT, out.get(1).kind(), out.get(1).toString());
      assertFalse(store.exists(ObjectKey.of("rec/A.mp4")));
      assertTrue(store.exists(ObjectKey.of("rec/B.mp4")));
      assertTrue(store.exists(ObjectKey.of("rec/C.mp4")));
      String tomb =
          new String(
              store.openRead(ObjectKey.of("tombstones/A.json")).size() > 0
                  ? readAll(store, "tombstones/A.json")
                  : new byte[0],
              StandardCharsets.UTF_8);
      assertTrue(tomb.contains("\"sealRoot\":\"" + "aa".repeat(32) + "\""), tomb);
      assertTrue(tomb.contains("records-officer-3"), tomb);
    }
  }

  static byte[] readAll(EvidenceStore s, String key) throws IOException {
    try (var ch = s.openRead(ObjectKey.of(key))) {
      ByteBuffer b = ByteBuffer.allocate((int) ch.size());
      while (b.hasRemaining() && ch.read(b) >= 0) {
        // fill
      }
      return b.array();
    }
  }

  @Test
  void aClockThatRefusesStopsEverythingBeforeAnyDeletion() throws Exception {
    try (EvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(LATER, ZoneOffset.UTC))) {
      put(store, "rec/A.mp4");
      Disposition.Approval ok =
          Disposition.plan(REG, facts(), RetentionHistory.empty(), LATER).approve("x", LATER);
      TrustedClock refusing =
          () -> {
            throw new ClockRefusedException("ran backwards");
          };
      assertThrows(
          ClockRefusedException.class,
          () -> Disposition.execute(ok, REG, facts(), RetentionHistory.empty(), refusing, store));
      assertTrue(store.exists(ObjectKey.of("rec/A.mp4")));
    }
  }

  @Test
  void aClockWoundBackBeforeTheEndKeepsEverything() throws Exception {
    try (EvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(LATER, ZoneOffset.UTC))) {
      put(store, "rec/A.mp4");
      Disposition.Approval ok =
          Disposition.plan(REG, facts(), RetentionHistory.empty(), LATER).approve("x", LATER);
      TrustedClock early = () -> Instant.parse("2025-01-01T00:00:00Z");
      List<Disposition.Outcome> out =
          Disposition.execute(ok, REG, facts(), RetentionHistory.empty(), early, store);
      assertTrue(out.stream().allMatch(o -> o.kind() == Disposition.Outcome.Kind.KEPT));
    }
  }

  @Test
  void theStoreHasTheLastWord() throws Exception {
    MutableClock c = new MutableClock(LATER);
    try (EvidenceStore store = new InMemoryEvidenceStore(c)) {
      put(store, "rec/A.mp4");
      store.setRetention(ObjectKey.of("rec/A.mp4"), LATER.plus(Duration.ofDays(3650)));
      Disposition.Approval ok =
          Disposition.plan(REG, facts(), RetentionHistory.empty(), LATER).approve("x", LATER);
      List<Disposition.Outcome> out =
          Disposition.execute(ok, REG, facts(), RetentionHistory.empty(), () -> LATER, store);
      assertEquals(Disposition.Outcome.Kind.KEPT, out.get(0).kind());
      assertTrue(out.get(0).reason().contains("store refused"), out.get(0).reason());
      assertTrue(store.exists(ObjectKey.of("rec/A.mp4")));
    }
  }

  @Test
  void pushDownSetsRetentionAndHoldsAndReportsEnforcement() throws Exception {
    MutableClock c = new MutableClock(Instant.parse("2024-07-01T00:00:00Z"));
    try (EvidenceStore store = FileSystemEvidenceStore.open(dir.resolve("store"), c)) {
      for (String k : List.of("rec/A.mp4", "rec/B.mp4", "rec/C.mp4")) {
        put(store, k);
      }
      RetentionFacts f =
          facts(
              new RetentionFacts.Hold(
                  "h", "legal", "appeal", "legal", Instant.parse("2024-06-15T00:00:00Z"), null));
      List<RetentionDecision> ds =
          RetentionEngine.decideAll(REG, f, RetentionHistory.empty(), c.instant());
      List<RetentionPushDown.Result> rs = RetentionPushDown.apply(store, f, ds);
      assertTrue(
          rs.stream().allMatch(r -> r.enforcement() == RetentionPushDown.Enforcement.LIBRARY),
          rs.toString());
      assertEquals(
          Instant.parse("2026-06-01T16:00:00Z"),
          store.stat(ObjectKey.of("rec/A.mp4")).retainUntil().orElseThrow());
      assertTrue(store.stat(ObjectKey.of("rec/B.mp4")).legalHold());
      assertFalse(store.stat(ObjectKey.of("rec/A.mp4")).legalHold());
      // the store now refuses deletion by itself, engine or not
      assertThrows(
          org.evidencekit.storage.RetentionLockedException.class,
          () -> store.delete(ObjectKey.of("rec/A.mp4")));
    }
  }
}
