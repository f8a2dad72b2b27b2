package org.evidencekit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeyTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "a/b",
        "recordings/DEVCAM7/2023-06-01/DEVCAM7_20230601_141000_001.mp4",
        "案件/录像.mp4",
        "with space",
        "a.b",
        "...",
        ".hidden",
        "😀",
        "a:b",
        "x/.y/z"
      })
  void validKeys(String k) {
    assertEquals(k, ObjectKey.of(k).value());
    assertTrue(ObjectKey.isValid(k));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/a",
        "a/",
        "a//b",
        ".",
        "..",
        "a/../b",
        "a/./b",
        "a\\b",
        "a\u0000b",
        "a\nb",
        "\u007f",
        "a\u0085",
        "\ud800",
        "x\ude00y"
      })
  void invalidKeysAreRefusedWithAReason(String k) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ObjectKey.of(k));
    assertTrue(e.getMessage().startsWith("invalid object key"), e.getMessage());
    assertFalse(ObjectKey.isValid(k));
  }

  @Test
  void lengthLimits() {
    assertTrue(ObjectKey.isValid("a".repeat(200)));
    assertFalse(ObjectKey.isValid("a".repeat(201)));
    String longKey = ("b".repeat(100) + "/").repeat(10) + "c".repeat(13);
    assertEquals(1023, longKey.length());
    assertTrue(ObjectKey.isValid(longKey));
    assertFalse(ObjectKey.isValid(longKey + "cc"));
    assertFalse(ObjectKey.isValid("é".repeat(101)), "202 UTF-8 bytes in one segment");
  }

  @Test
  void orderIsByUtf8Bytes() {
    List<ObjectKey> keys = new ArrayList<>();
    for (String s : new String[] {"\uff5e", "😀", "a/b", "a!", "a", "é", "Z", "a0"}) {
      keys.add(ObjectKey.of(s));
    }
    keys.sort(ObjectKey.ORDER);
    List<String> values = new ArrayList<>();
    keys.forEach(k -> values.add(k.value()));
    // U+FF5E (EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16
    assertEquals(List.of("Z", "a", "a!", "a/b", "a0", "é", "\uff5e", "😀"), values);
  }

  @Test
  void equalityAndResolve() {
    assertEquals(ObjectKey.of("a/b"), ObjectKey.of("a").resolve("b"));
    assertEquals(ObjectKey.of("a/b").hashCode(), ObjectKey.of("a/b").hashCode());
    assertThrows(IllegalArgumentException.class, () -> ObjectKey.of("a").resolve(".."));
  }
}
