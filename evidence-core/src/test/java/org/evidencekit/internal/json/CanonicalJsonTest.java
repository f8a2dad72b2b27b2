package org.evidencekit.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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

  /**
   * Any string, plain prefix or not, is written exactly as the character-by-character rules say
   * (the bulk-append fast path must not change a byte), and a lone surrogate is refused wherever it
   * sits.
   */
  /**
   * Members come out in {@link String#compareTo} order whatever the map's own order, for maps
   * sorted by insertion (up to 32 keys) and by the library sort (more): the model is a TreeMap's
   * iteration, written member by member.
   */
  @Property(tries = 300)
  void membersComeOutInCodeUnitOrderForAnyMapSize(
      @ForAll("keySets") List<String> keys, @ForAll boolean reversed) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> order = new java.util.ArrayList<>(keys);
    if (reversed) {
      java.util.Collections.reverse(order);
    }
    for (int i = 0; i < order.size(); i++) {
      m.put(order.get(i), (long) i);
    }
    StringBuilder expected = new StringBuilder("{");
    for (Map.Entry<String, Object> e : new java.util.TreeMap<>(m).entrySet()) {
      if (expected.length() > 1) {
        expected.append(',');
      }
      expected.append(jcs(e.getKey())).append(':').append(e.getValue());
    }
    assertEquals(expected.append('}').toString(), jcs(m));
  }

  @Provide
  Arbitrary<List<String>> keySets() {
    return Arbitraries.strings()
        .withChars("ab\u00e9\u20ac\uff5e 1")
        .ofMaxLength(4)
        .list()
        .uniqueElements()
        .ofMaxSize(80);
  }

  @Property(tries = 500)
  void everyStringMatchesTheCharByCharRules(@ForAll("mixed") String s) {
    String expected = naive(s);
    if (expected == null) {
      assertThrows(IllegalArgumentException.class, () -> jcs(s));
    } else {
      assertEquals(expected, jcs(s));
    }
  }

  @Provide
  Arbitrary<String> mixed() {
    return Arbitraries.strings()
        .withCharRange('\u0000', '\u007f')
        .withChars('\u00e9', '\u20ac', '\ud83d', '\ude00')
        .ofMaxLength(40);
  }

  /** The reference: JSON.stringify's minimal escaping, one char at a time; null if refused. */
  private static String naive(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        return null;
      } else if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
        sb.append('\\').append("bfnrt".charAt("\b\f\n\r\t".indexOf(c)));
      } else if (c < 0x20) {
        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
