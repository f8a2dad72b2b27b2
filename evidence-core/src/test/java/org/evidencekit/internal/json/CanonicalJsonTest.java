package org.evidencekit.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-written RFC 8785 vectors for the subset we write. */
class CanonicalJsonTest {
  private static String jcs(Object o) {
    return new String(CanonicalJson.encode(o), StandardCharsets.UTF_8);
  }

  @Test
  void membersSortByUtf16CodeUnitsNotByCodePoints() {
    Map<String, Object> m = new LinkedHashMap<>();
    // RFC 8785 section 3.2.3 example keys: U+20AC, U+1F600 (surrogates D83D DE00), CR, 1, U+00F6
    m.put("\u20ac", "Euro Sign");
    m.put("\r", "Carriage Return");
    m.put("\ud83d\ude00", "Emoji: Grinning Face");
    m.put("1", "One");
    m.put("\u00f6", "Latin Small Letter O With Diaeresis");
    m.put("\u0080", "Control");
    assertEquals(
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
            + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
            + "\"\ud83d\ude00\":\"Emoji: Grinning Face\"}",
        jcs(m));
  }

  @Test
  void stringsUseMinimalEscaping() {
    assertEquals(
        "\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\u007f\u00e9\"",
        jcs("\u0000\u001f\b\t\n\f\r\"\\/\u007f\u00e9"));
  }

  @Test
  void integersBooleansNullsAndNesting() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", List.of(1L, -2, 0, true, false));
    m.put("a", Map.of());
    m.put("c", 9007199254740991L);
    assertEquals("{\"a\":{},\"b\":[1,-2,0,true,false],\"c\":9007199254740991}", jcs(m));
  }

  @Test
  void refusesWhatJcsCannotRepresentExactly() {
    assertThrows(IllegalArgumentException.class, () -> jcs(9007199254740992L));
    assertThrows(IllegalArgumentException.class, () -> jcs(1.5));
    assertThrows(IllegalArgumentException.class, () -> jcs("\ud800"));
    assertThrows(IllegalArgumentException.class, () -> jcs("\ude00x"));
  }
}
