package org.evidencekit.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/** The digest check agrees with the regular expression it replaced, on strings near and far. */
class StrictJsonHexTest {
  @Property(tries = 2000)
  void agreesWithTheRegularExpression(
      @ForAll @StringLength(min = 0, max = 70) @Chars({'0', '9', 'a', 'f', 'g', 'A', 'F', ' '})
          String s,
      @ForAll @IntRange(min = 0, max = 70) int length) {
    assertEquals(s.matches("[0-9a-f]{" + length + "}"), StrictJson.isLowerHex(s, length), s);
  }

  @Property(tries = 500)
  void anyDigestOfTheRightLengthPasses(
      @ForAll
          @StringLength(64)
          @Chars({'0', '1', '2', '3', '4', '5', '6', '7', '8', '9'})
          @Chars({'a', 'b', 'c', 'd', 'e', 'f'})
          String s) {
    assertEquals(true, StrictJson.isLowerHex(s, 64));
    assertEquals(false, StrictJson.isLowerHex(s + "0", 64));
    String upper = s.toUpperCase(java.util.Locale.ROOT);
    assertEquals(upper.equals(s), StrictJson.isLowerHex(upper, 64), "capitals are refused");
  }
}
