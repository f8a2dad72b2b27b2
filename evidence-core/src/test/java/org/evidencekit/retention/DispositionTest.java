package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.MutableClock;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push-down of decisions to stores (disposition itself: FourEyesDispositionTest). */
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
  void pushDownSetsRetentionAndHoldsAndReportsEnforcement() throws Exception {
    MutableClock c = new MutableClock(Instant.parse("2024-07-01T00:00:00Z"));
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), c)) {
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
