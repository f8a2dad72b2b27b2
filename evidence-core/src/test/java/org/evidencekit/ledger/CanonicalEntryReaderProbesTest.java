package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Hand-made attacks on the direct reader of entry bytes ({@link CanonicalEntryReader}), each held
 * to the general reader ({@link LedgerEntry#parseGenerally}): the log commits to the exact bytes of
 * an entry, so the direct reader must never accept a spelling the general reader
 * refuses nor read other values, and every canonical spelling must be read directly (its point is
 * speed). The random half of this is {@link CanonicalEntryReaderProperties}; these are the edges a
 * mutation seldom reaches: UTF-8 forms, escapes, key order, blanks, times, sizes.
 */
class CanonicalEntryReaderProbesTest {
  private static final String TIME = "2026-01-01T00:00:00Z";
  private static final String SHA = "0123456789abcdef".repeat(4);

  /** The bytes of an entry whose actor, details (inside the braces) and time are given as is. */
  private static byte[] entry(String actor, String details, String time) {
    return ("{\"actor\":\""
            + actor
            + "\",\"details\":{"
            + details
            + "},\"subject\":\"s\",\"time\":\""
            + time
            + "\",\"type\":\"t\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(String v) {
    return entry("a", "\"k\":\"" + v + "\"", TIME);
  }

  /** {@code base} with the first {@code marker} (ASCII) replaced by raw bytes. */
  private static byte[] splice(byte[] base, String marker, int... raw) {
    byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + m.length <= base.length; i++) {
      if (Arrays.equals(base, i, i + m.length, m, 0, m.length)) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(base, 0, i);
        for (int r : raw) {
          out.write(r);
        }
        out.write(base, i + m.length, base.length - i - m.length);
        return out.toByteArray();
      }
    }
    throw new AssertionError("no " + marker);
  }

  /** Both readers accept {@code b} and read the same entry, whose canonical bytes are {@code b}. */
  private static LedgerEntry accepted(byte[] b) throws LedgerException {
    LedgerEntry direct = CanonicalEntryReader.read(b);
    LedgerEntry general = LedgerEntry.parseGenerally(b);
    assertNotNull(direct, () -> "left to the general reader: " + show(b));
    assertEquals(general.type(), direct.type());
    assertEquals(general.time(), direct.time());
    assertEquals(general.actor(), direct.actor());
    assertEquals(general.subject(), direct.subject());
    assertEquals(general.payloadDigest(), direct.payloadDigest());
    assertEquals(general.details(), direct.details());
    assertEquals(
        List.copyOf(general.details().keySet()), List.copyOf(direct.details().keySet()), "order");
    LedgerEntry parsed = LedgerEntry.parse(b);
    assertArrayEquals(b, parsed.canonical());
    // the same entry built from its fields writes, hashes and compares the same bytes
    LedgerEntry.Builder built =
        LedgerEntry.builder()
            .type(general.type())
            .time(general.time())
            .actor(general.actor())
            .subject(general.subject())
            .details(general.details());
    general.payloadDigest().ifPresent(built::payloadDigest);
    LedgerEntry rebuilt = built.build();
    assertArrayEquals(b, rebuilt.canonical());
    assertEquals(rebuilt, parsed);
    assertEquals(parsed, rebuilt);
    assertEquals(rebuilt.hashCode(), parsed.hashCode());
    assertEquals(rebuilt.leafHash(), parsed.leafHash());
    return parsed;
  }

  /** Neither reader accepts {@code b}, and the refusal is a precise {@link LedgerException}. */
  private static void refused(byte[] b) {
    assertNull(CanonicalEntryReader.read(b), () -> "read directly: " + show(b));
    assertThrows(LedgerException.class, () -> LedgerEntry.parse(b), () -> show(b));
  }

  private static String show(byte[] b) {
    String s = new String(b, StandardCharsets.ISO_8859_1);
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  @Test
  void charactersJsonLeavesLiteralAreReadAsTheyAre() throws Exception {
    // U+2028/U+2029 (literal in JCS, unlike JavaScript source), a BOM inside a string, DEL, a C1
    // control, noncharacters in both planes, the last code point, Chinese and a pair
    for (String v :
        List.of(
            "\u2028\u2029",
            "\ufeffx",
            "\u007f\u0085",
            "\ufffe\uffff\ufdd0",
            "\udbff\udfff",
            "\ud83f\udffe",
            "\ufffd",
            "移交法院\ud83d\ude00")) {
      LedgerEntry e = accepted(value(v));
      assertEquals(v, e.details().get("k"));
    }
  }

  @Test
  void escapesAreTheMinimalOnesAndReadAsThemselves() throws Exception {
    LedgerEntry e = accepted(value("a\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u0001\\u001f中\\n😀"));
    assertEquals("a\"\\\b\f\n\r\t\u0000\u0001\u001f中\n😀", e.details().get("k"));
    for (String other :
        List.of(
            "\\u2028", // JCS writes U+2028 literally
            "\\ufeff",
            "\\u007f",
            "\\u0041",
            "\\u001F",
            "\\u000a",
            "\\u0022",
            "\\u005c",
            "\\/",
            "\\ud83d\\ude00", // a pair escaped: JCS writes it as UTF-8
            "\\ud800", // a lone surrogate: not I-JSON
            "\\udc00x",
            "\\u00",
            "\\x",
            "\\")) {
      refused(value(other));
    }
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    for (int[] raw :
        List.of(
            new int[] {0xC0, 0xAF}, // '/' overlong
            new int[] {0xC1, 0xBF},
            new int[] {0xC0, 0x80}, // NUL overlong (modified UTF-8)
            new int[] {0xE0, 0x80, 0xAF},
            new int[] {0xE0, 0x9F, 0xBF},
            new int[] {0xF0, 0x80, 0x80, 0xAF},
            new int[] {0xF0, 0x8F, 0xBF, 0xBF},
            new int[] {0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80}, // a pair as CESU-8
            new int[] {0xED, 0xB0, 0x80}, // a lone low surrogate
            new int[] {0xF4, 0x90, 0x80, 0x80}, // past U+10FFFF
            new int[] {0xF5, 0x80, 0x80, 0x80},
            new int[] {0xFF},
            new int[] {0xFE},
            new int[] {0x80}, // a stray continuation byte
            new int[] {0xE4, 0xB8}, // cut short
            new int[] {0xE4, 'x', 0xB8, 0xAD},
            new int[] {0x00}, // raw control characters
            new int[] {0x1F},
            new int[] {0x09},
            new int[] {0x0A})) {
      refused(splice(value("X"), "X", raw));
      refused(splice(entry("X", "", TIME), "X", raw));
      refused(splice(entry("a", "\"X\":\"v\"", TIME), "X", raw));
    }
    // a character cut in two by an escape
    refused(splice(value("X\\nY"), "X", 0xE4));
    refused(splice(splice(value("X\\nY"), "X", 0xE4), "Y", 0xB8, 0xAD));
    // a byte order mark before the entry, a NUL or a newline after it
    byte[] ok = value("v");
    refused(splice(ok, "{", 0xEF, 0xBB, 0xBF, '{'));
    refused(Arrays.copyOf(ok, ok.length + 1));
    byte[] nl = Arrays.copyOf(ok, ok.length + 1);
    nl[ok.length] = '\n';
    refused(nl);
    refused(("\n" + new String(ok, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void detailNamesAreInUtf16OrderNotByteOrder() throws Exception {
    // U+1F600 is D83D DE00 in UTF-16, below U+FF21, but F0.. in UTF-8, above EF..: RFC 8785 sorts
    // by UTF-16 code units, so the supplementary character comes first
    for (String[] pair :
        List.of(
            new String[] {"😀", "Ａ"},
            new String[] {"\ud800\udc00", "\ue000"},
            new String[] {"\udbff\udfff", "\uffff"},
            new String[] {"", "a"},
            new String[] {"A", "a"},
            new String[] {"a", "a\u0000"},
            new String[] {"z", "é"})) {
      String lo = pair[0];
      String hi = pair[1];
      LedgerEntry e =
          accepted(entry("a", "\"" + esc(lo) + "\":\"1\",\"" + esc(hi) + "\":\"2\"", TIME));
      assertEquals(List.of(lo, hi), List.copyOf(e.details().keySet()));
      refused(entry("a", "\"" + esc(hi) + "\":\"2\",\"" + esc(lo) + "\":\"1\"", TIME));
    }
    refused(entry("a", "\"k\":\"1\",\"k\":\"1\"", TIME));
    refused(entry("a", "\"k\":\"1\",\"k\\u0000\":\"1\",\"k\":\"2\"", TIME));
  }

  private static String esc(String s) {
    return s.replace("\u0000", "\\u0000");
  }

  @Test
  void emptyAndBlankStringsAreJudgedAsTheBuilderJudgesThem() throws Exception {
    LedgerEntry e = accepted(entry("a", "\"\":\"\"", TIME));
    assertEquals(Map.of("", ""), e.details());
    assertEquals("\u00a0", accepted(entry("\u00a0", "", TIME)).actor()); // NBSP: not blank
    for (String blank :
        List.of("", " ", "\\t", "\\n\\r", "\u3000", "\u2028", "\\u001f", "\u2003")) {
      refused(entry(blank, "", TIME));
    }
    String ok = new String(entry("a", "", TIME), StandardCharsets.UTF_8);
    refused(ok.replace("\"subject\":\"s\"", "\"subject\":\"\"").getBytes(StandardCharsets.UTF_8));
    refused(ok.replace("\"type\":\"t\"", "\"type\":\" \"").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theStructureIsTheOneCanonicalOne() {
    String ok = new String(entry("a", "\"k\":\"v\"", TIME), StandardCharsets.UTF_8);
    for (String other :
        List.of(
            ok.replace("\"details\":{\"k\":\"v\"}", "\"details\":null"),
            ok.replace("\"details\":{\"k\":\"v\"}", "\"details\":[]"),
            ok.replace("\"details\":{\"k\":\"v\"},", ""),
            ok.replace("{\"k\":\"v\"}", "{\"k\":1}"),
            ok.replace("{\"k\":\"v\"}", "{\"k\":null}"),
            ok.replace("{\"k\":\"v\"}", "{\"k\":{}}"),
            ok.replace("{\"k\":\"v\"}", "{\"k\":\"v\",}"),
            ok.replace("{\"k\":\"v\"}", "{,}"),
            ok.replace("\"actor\":\"a\",", "\"actor\":\"a\",\"actor\":\"a\","),
            ok.replace("\"actor\":\"a\",", "\"actor\":\"b\",\"actor\":\"a\","),
            ok.replace("\"type\":\"t\"}", "\"type\":\"t\",\"type\":\"t\"}"),
            ok.replace("\"type\":\"t\"", "\"type\":\"t\",\"actor\":\"a\""),
            ok.replace("\"actor\":\"a\"", "\"actor\":1"),
            ok.replace("\"actor\"", "\"act\\u006fr\""),
            ok.replace("\"subject\":\"s\",", ""),
            ok.replace("\"subject\":\"s\",", "\"payloadDigest\":null,\"subject\":\"s\","),
            ok.replace("\"time\":", "\"time\" :"),
            ok.replace("\"v\"},", "\"v\"} ,"),
            "[" + ok + "]",
            ok + ok,
            ok.substring(0, ok.length() - 1))) {
      assertTrue(!other.equals(ok), other);
      refused(other.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aPayloadDigestIsSixtyFourLowercaseHexDigitsInItsPlace() throws Exception {
    String ok = new String(entry("a", "", TIME), StandardCharsets.UTF_8);
    String with = ok.replace(",\"subject\"", ",\"payloadDigest\":\"" + SHA + "\",\"subject\"");
    assertEquals(SHA, accepted(with.getBytes(StandardCharsets.UTF_8)).payloadDigest().get());
    for (String d :
        List.of(
            SHA.toUpperCase(java.util.Locale.ROOT), SHA.substring(1), SHA + "0", "", "g" + SHA)) {
      refused(with.replace(SHA, d).getBytes(StandardCharsets.UTF_8));
    }
    // after the subject, where the code-unit order does not put it
    refused(
        ok.replace(",\"time\"", ",\"payloadDigest\":\"" + SHA + "\",\"time\"")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void timesAreReadInTheirOneFormOnly() throws Exception {
    for (String t :
        List.of(
            "0000-01-01T00:00:00Z",
            "-0001-12-31T23:59:59Z",
            "1969-12-31T23:59:59.100Z",
            "1970-01-01T00:00:00.000000001Z",
            "2024-02-29T12:00:00.120Z",
            "2026-01-01T00:00:00.000100Z",
            "2026-01-01T00:00:00.123456789Z",
            "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z")) {
      assertEquals(Instant.parse(t), accepted(entry("a", "", t)).time(), t);
    }
    for (String t :
        List.of(
            "2026-12-31T23:59:60Z", // a leap second: java.time reads it as :59
            "2026-02-29T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01T00:00:00.1Z", // fractions come in threes
            "2026-01-01T00:00:00.100000Z",
            "2026-01-01T00:00:00.000Z",
            "2026-01-01T00:00:00.1000000000Z",
            "2026-01-01T00:00:00z",
            "2026-01-01t00:00:00Z",
            "2026-01-01T00:00:00+00:00",
            "2026-01-01T00:00Z",
            "+2026-01-01T00:00:00Z",
            "10000-01-01T00:00:00Z",
            "+9999-12-31T23:59:59Z",
            "２０２６-01-01T00:00:00Z",
            "")) {
      refused(entry("a", "", t));
    }
  }

  /**
   * A detail name is a string like any other: one of 50,001 characters (past Jackson's default
   * bound for names) is an entry the builder builds and the ledger appends (64 KiB), so both
   * readers must read it back, or the readers disagree and a ledger holding it cannot be opened.
   */
  @Test
  void aLongDetailNameIsReadByBothReaders() throws Exception {
    String name = "n".repeat(50_001);
    LedgerEntry e = accepted(entry("a", "\"" + name + "\":\"v\"", TIME));
    assertEquals(Map.of(name, "v"), e.details());
    String wide = "名".repeat(20_000); // 60,000 bytes
    assertEquals("v", accepted(entry("a", "\"" + wide + "\":\"v\"", TIME)).details().get(wide));
  }

  @Test
  void theLargestEntryParsedIsReadAndOneByteMoreIsRefusedBeforeReading() throws Exception {
    byte[] empty = value("");
    int room = LedgerEntry.MAX_PARSE_BYTES - empty.length;
    byte[] largest = value("\\n".repeat(room / 4) + "x".repeat(room - room / 4 * 2));
    assertEquals(LedgerEntry.MAX_PARSE_BYTES, largest.length);
    accepted(largest);
    byte[] more = value("\\n".repeat(room / 4) + "x".repeat(room - room / 4 * 2 + 1));
    LedgerException x = assertThrows(LedgerException.class, () -> LedgerEntry.parse(more));
    assertTrue(x.getMessage().contains("larger than"), x.getMessage());
  }

  @Test
  void theBytesAnEntryKeepsAreItsOwn() throws Exception {
    byte[] b = value("v");
    LedgerEntry e = LedgerEntry.parse(b);
    org.evidencekit.hash.Digest leaf = e.leafHash();
    int hash = e.hashCode();
    Arrays.fill(b, (byte) 'x'); // the caller's array, after the parse
    byte[] out = e.canonical();
    Arrays.fill(out, (byte) 'y'); // the copy handed out
    assertArrayEquals(value("v"), e.canonical());
    assertEquals(leaf, e.leafHash());
    assertEquals(hash, e.hashCode());
    assertEquals(LedgerEntry.parse(value("v")), e);
  }

  /**
   * The caller's array, changed by another thread while it is parsed, never yields an entry whose
   * fields say one thing and whose bytes (hashed into the log, compared, stored) another: the entry
   * is read from a copy and keeps that copy. Read from the caller's array with a copy kept after, a
   * change in between leaves an entry whose actor is "a" and whose leaf hash is that of an entry by
   * "b". The test can only pass by chance when that race is open, never fail when closed.
   */
  @Test
  void anArrayChangedDuringTheParseNeverSplitsAnEntryFromItsBytes() throws Exception {
    byte[] shared = entry("a", "\"k\":\"" + "v".repeat(200) + "\"", TIME);
    int at = "{\"actor\":\"".length();
    AtomicBoolean stop = new AtomicBoolean();
    Thread flipper =
        new Thread(
            () -> {
              while (!stop.get()) {
                for (int i = 0; i < 64; i++) {
                  shared[at] = (byte) ((i & 1) == 0 ? 'a' : 'b');
                }
              }
            });
    flipper.setDaemon(true);
    flipper.start();
    try {
      for (int i = 0; i < 200_000; i++) {
        LedgerEntry e;
        try {
          e = LedgerEntry.parse(shared);
        } catch (LedgerException changedMidway) {
          continue; // the general reader saw the bytes change under it: refused, which is fine
        }
        byte[] kept = e.canonical();
        byte[] fromFields = entry(e.actor(), "\"k\":\"" + "v".repeat(200) + "\"", TIME);
        if (!Arrays.equals(kept, fromFields)) {
          fail("parse " + i + ": actor " + e.actor() + " but bytes " + show(kept));
        }
      }
    } finally {
      stop.set(true);
      flipper.join();
    }
  }

  @Test
  void anEntryReadDirectlyHasItsDetailsInTheBuildersOrder() throws Exception {
    LedgerEntry e = accepted(entry("a", "\"a\":\"1\",\"b\":\"2\",\"é\":\"3\",\"😀\":\"4\"", TIME));
    assertEquals(new TreeMap<>(e.details()), e.details());
    assertThrows(UnsupportedOperationException.class, () -> e.details().put("c", "3"));
  }
}
