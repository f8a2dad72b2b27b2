package org.evidencekit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ObjectInfoBuilderTest {
  private static final ObjectKey K = ObjectKey.of("cam/a.mp4");
  private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

  @Test
  void aSettingIsMadeOnceAndAMissingFieldIsNamed() {
    List<UnaryOperator<ObjectInfo.Builder>> settings =
        List.of(
            b -> b.size(1),
            b -> b.createdAt(T),
            b -> b.sha256(new byte[32]),
            b -> b.retainUntil(T),
            b -> b.legalHold(true),
            b -> b.storageEnforced(true));
    ObjectInfo.Builder b = ObjectInfo.builder(K);
    for (UnaryOperator<ObjectInfo.Builder> s : settings) {
      s.apply(b);
      assertThrows(IllegalStateException.class, () -> s.apply(b));
    }
    assertEquals(1, b.build().size());

    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ObjectInfo.builder(K).createdAt(T).sha256(new byte[32]).build());
    assertTrue(e.getMessage().endsWith("needs size"), e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> ObjectInfo.builder(K).size(0).sha256(new byte[32]).build());
    assertTrue(e.getMessage().endsWith("needs createdAt"), e.getMessage());
    // a store without a digest of the whole object (positional writes) gives none
    assertTrue(ObjectInfo.builder(K).size(0).createdAt(T).sha256(null).build().sha256().isEmpty());
  }

  @Test
  void aCopyMayChangeEachValueOnce() {
    ObjectInfo info = ObjectInfo.builder(K).size(3).createdAt(T).sha256(new byte[32]).build();
    ObjectInfo held = info.toBuilder().legalHold(true).retainUntil(T.plusSeconds(60)).build();
    assertTrue(held.legalHold());
    assertEquals(T.plusSeconds(60), held.retainUntil().orElseThrow());
    assertEquals(3, held.size());
  }
}
