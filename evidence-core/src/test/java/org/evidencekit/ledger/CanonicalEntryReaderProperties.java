package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The direct reader of canonical entry bytes against the general one (a JSON tree, the entry
 * written out again and compared), which is the model: on every entry the library can write the
 * direct reader reads the same entry; on bytes changed at random it either leaves them to the
 * general reader or reads exactly what the general reader reads. It may never accept what the
 * general reader refuses: the log commits to the bytes, so two spellings of one entry must not
 * exist.
 */
class CanonicalEntryReaderProperties {

  @Property(tries = 800)
  void readsEveryEntryTheLibraryWrites(@ForAll("entries") LedgerEntry e) throws Exception {
    byte[] c = e.canonical();
    LedgerEntry direct = CanonicalEntryReader.read(c);
    assertNotNull(
        direct, () -> "left to the general reader: " + new String(c, StandardCharsets.UTF_8));
    assertEquals(e, direct);
    assertEquals(e.type(), direct.type());
    assertEquals(e.time(), direct.time());
    assertEquals(e.actor(), direct.actor());
    assertEquals(e.subject(), direct.subject());
    assertEquals(e.payloadDigest(), direct.payloadDigest());
    assertEquals(e.details(), direct.details());
    assertEquals(LedgerEntry.parseGenerally(c), direct);
    assertArrayEquals(c, LedgerEntry.parse(c).canonical());
  }

  @Property(tries = 2500)
  void acceptsOnlyWhatTheGeneralReaderReadsTheSame(
      @ForAll("entries") LedgerEntry e,
      @ForAll @IntRange(min = 0, max = 1 << 20) int where,
      @ForAll @IntRange(min = 0, max = 7) int how,
      @ForAll("bytes") byte with) {
    byte[] c = mutate(e.canonical(), where, how, with);
    LedgerEntry direct = CanonicalEntryReader.read(c);
    LedgerEntry general;
    try {
      general = LedgerEntry.parseGenerally(c);
    } catch (LedgerException refused) {
      assertNull(
          direct,
          () -> "read what the general reader refuses (" + refused.getMessage() + "): " + show(c));
      return;
    }
    if (direct != null) {
      assertEquals(general, direct, () -> show(c));
      assertArrayEquals(c, direct.canonical());
    }
  }

  @Test
  void leavesEveryOtherSpellingToTheGeneralReader() throws Exception {
    String ok =
        "{\"actor\":\"a\",\"details\":{\"k\":\"v\\u001f\\n\"},\"subject\":\"s\","
            + "\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"t\"}";
    assertNotNull(CanonicalEntryReader.read(ok.getBytes(StandardCharsets.UTF_8)));
    for (String other :
        List.of(
            ok.replace("\\u001f", "\\u001F"), // uppercase hex
            ok.replace("\\u001f", "\\u0041"), // an escape JCS does not write
            ok.replace("\\n", "\\u000a"), // a long form where there is a short one
            ok.replace("\"v", "\"\\/v"), // an escaped solidus
            ok.replace(",\"subject\"", ", \"subject\""), // whitespace
            ok.replace("{\"k\":\"v", "{\"k\":\"x\",\"k\":\"v"), // a name twice
            ok.replace("{\"k\":\"v", "{\"z\":\"x\",\"k\":\"v"), // names out of order
            ok.replace("00:00:00Z", "00:00:00.000Z"), // a time not in its one form
            ok.replace("\"type\":\"t\"}", "\"type\":\"t\",\"x\":\"y\"}"), // an unknown member
            ok.replace("\"actor\":\"a\"", "\"actor\":\" \""), // blank: the builder refuses
            ok + " ")) {
      byte[] b = other.getBytes(StandardCharsets.UTF_8);
      assertNull(CanonicalEntryReader.read(b), other);
      assertThrows(LedgerException.class, () -> LedgerEntry.parse(b), other);
    }
    // a lone surrogate spelled in UTF-8 (CESU) is not well-formed UTF-8
    byte[] cesu = ok.replace("\"v", "\"\u0001v").getBytes(StandardCharsets.UTF_8);
    int at = indexOf(cesu, (byte) 1);
    byte[] bad = new byte[cesu.length + 2];
    System.arraycopy(cesu, 0, bad, 0, at);
    bad[at] = (byte) 0xED;
    bad[at + 1] = (byte) 0xA0;
    bad[at + 2] = (byte) 0x80;
    System.arraycopy(cesu, at + 1, bad, at + 3, cesu.length - at - 1);
    assertNull(CanonicalEntryReader.read(bad));
  }

  @Provide
  Arbitrary<LedgerEntry> entries() {
    Arbitrary<String> text = text();
    Arbitrary<Map<String, String>> details =
        Arbitraries.maps(text, text).ofMaxSize(6).map(m -> new TreeMap<>(m));
    Arbitrary<Instant> times =
        Arbitraries.longs()
            .between(0, 4_102_444_800L)
            .flatMap(
                s ->
                    Arbitraries.of(0, 1, 2)
                        .flatMap(
                            k ->
                                Arbitraries.integers()
                                    .between(0, 999_999_999)
                                    .map(
                                        n ->
                                            Instant.ofEpochSecond(
                                                s,
                                                k == 0
                                                    ? 0
                                                    : k == 1 ? (n / 1_000_000) * 1_000_000 : n))));
    Arbitrary<String> digest =
        Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).injectNull(0.5);
    return Combinators.combine(text, times, text, text, digest, details)
        .as(
            (type, time, actor, subject, d, det) -> {
              LedgerEntry.Builder b =
                  LedgerEntry.builder()
                      .type("x" + type)
                      .time(time)
                      .actor("a" + actor)
                      .subject("s" + subject)
                      .details(det);
              if (d != null) {
                b.payloadDigest(d);
              }
              return b.build();
            });
  }

  /** Strings of what entries hold: ASCII, escapes, DEL, Chinese, and pairs beyond the BMP. */
  private static Arbitrary<String> text() {
    return Arbitraries.oneOf(
            Arbitraries.strings().withChars("abcXYZ019-_./: ").ofMaxLength(12),
            Arbitraries.strings()
                .withChars("a\"\\\b\f\n\r\t\u0000\u001f\u0007\u007f\u00e9\u4e2d\u6848/")
                .ofMaxLength(8),
            Arbitraries.of("\ud83d\ude00", "移交法院", "案件审查", "CAM-1/2026-03-01/rec.mp4"))
        .list()
        .ofMaxSize(3)
        .map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<Byte> bytes() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            (byte) '"',
            (byte) '\\',
            (byte) '{',
            (byte) '}',
            (byte) ',',
            (byte) ':',
            (byte) ' ',
            (byte) 'u',
            (byte) '0',
            (byte) 'a',
            (byte) 0x80,
            (byte) 0xC3,
            (byte) 0xED,
            (byte) 0xFF,
            (byte) 0x1F,
            (byte) 0x7F),
        Arbitraries.bytes());
  }

  private static byte[] mutate(byte[] c, int where, int how, byte with) {
    int at = where % (c.length + 1);
    switch (how) {
      case 0: // replace a byte
      case 1:
        if (at == c.length) {
          at--;
        }
        byte[] r = c.clone();
        r[at] = with;
        return r;
      case 2: // insert a byte
      case 3:
        byte[] i = new byte[c.length + 1];
        System.arraycopy(c, 0, i, 0, at);
        i[at] = with;
        System.arraycopy(c, at, i, at + 1, c.length - at);
        return i;
      case 4: // delete a byte
        if (at == c.length) {
          at--;
        }
        byte[] d = new byte[c.length - 1];
        System.arraycopy(c, 0, d, 0, at);
        System.arraycopy(c, at + 1, d, at, c.length - at - 1);
        return d;
      case 5: // cut the end
        return java.util.Arrays.copyOf(c, at);
      default: // swap two neighbours
        if (at >= c.length - 1) {
          at = c.length - 2;
        }
        byte[] s = c.clone();
        byte t = s[at];
        s[at] = s[at + 1];
        s[at + 1] = t;
        return s;
    }
  }

  private static int indexOf(byte[] b, byte v) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static String show(byte[] c) {
    return new String(c, StandardCharsets.ISO_8859_1);
  }
}
