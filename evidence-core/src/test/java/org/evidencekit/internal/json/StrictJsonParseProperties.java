package org.evidencekit.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * {@link StrictJson#parse} builds its trees from the parser's tokens (no ObjectMapper). The
 * reference model is what it replaced: an ObjectMapper over the same parser factory with trailing
 * tokens refused and integers read as BigInteger, and strings (values or member names) holding a
 * lone surrogate refused (I-JSON, RFC 7493), and a document read as UTF-8 whose bytes are not UTF-8
 * by RFC 3629 (an overlong form) refused. Both must accept the same documents with equal trees and
 * refuse the same ones.
 */
class StrictJsonParseProperties {
  /** The caller's exception: a refusal must come through the factory, as this type and no other. */
  private static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private static final StrictJson STRICT = new StrictJson(Refused::new);

  private static final ObjectMapper REFERENCE = reference();

  private static ObjectMapper reference() {
    JsonFactory f =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxNumberLength(20)
                    .maxStringLength(512 * 1024 * 1024)
                    .maxNameLength(1 << 20) // the longest name a ledger entry can hold
                    .build())
            .build();
    f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    ObjectMapper m = new ObjectMapper(f);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    m.enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
    return m;
  }

  /** The reference's tree, or null where it refuses (or finds no value) the document. */
  private static JsonNode referenceTree(byte[] doc) {
    try {
      JsonNode n = REFERENCE.readTree(doc);
      return n == null || n.isMissingNode() || holdsALoneSurrogate(n) || notStrictUtf8(doc)
          ? null
          : n;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Whether the parser reads the document as UTF-8 and the JDK's decoder, which follows RFC 3629
   * (no overlong forms), refuses its bytes.
   */
  private static boolean notStrictUtf8(byte[] doc) throws IOException {
    try (JsonParser p = REFERENCE.getFactory().createParser(doc)) {
      if (!(p instanceof com.fasterxml.jackson.core.json.UTF8StreamJsonParser)) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(doc));
      return false;
    } catch (java.nio.charset.CharacterCodingException e) {
      return true;
    }
  }

  /** Whether a string of the tree has a code point in D800-DFFF, which only half a pair yields. */
  private static boolean holdsALoneSurrogate(JsonNode n) {
    if (n.isTextual()) {
      return n.textValue().codePoints().anyMatch(c -> c >= 0xD800 && c <= 0xDFFF);
    }
    var names = n.fieldNames();
    while (names.hasNext()) {
      if (names.next().codePoints().anyMatch(c -> c >= 0xD800 && c <= 0xDFFF)) {
        return true;
      }
    }
    for (JsonNode c : n) {
      if (holdsALoneSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** The node classes of a tree (BigIntegerNode, DoubleNode...), which callers' checks rely on. */
  private static String shape(JsonNode n) {
    StringBuilder b = new StringBuilder(n.getClass().getSimpleName());
    if (n.isContainerNode()) {
      b.append('(');
      n.forEach(c -> b.append(shape(c)).append(','));
      b.append(')');
    }
    return b.toString();
  }

  private static void agreesWithTheReference(byte[] doc) {
    JsonNode expected = referenceTree(doc);
    String shown =
        HexFormat.of().formatHex(doc, 0, Math.min(doc.length, 64))
            + " "
            + new String(doc, StandardCharsets.UTF_8);
    if (expected == null) {
      Refused e = assertThrows(Refused.class, () -> STRICT.parse(doc), shown);
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), shown);
    } else {
      try {
        JsonNode got = STRICT.parse(doc);
        assertEquals(expected, got, shown);
        assertEquals(expected.toString(), got.toString(), shown);
        assertEquals(shape(expected), shape(got), shown);
      } catch (IOException e) {
        throw new AssertionError("refused what the reference accepts: " + shown, e);
      }
    }
  }

  @Property(tries = 400)
  void acceptsWhatTheReferenceAcceptsWithTheSameTree(@ForAll("documents") String doc) {
    agreesWithTheReference(doc.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 600)
  void refusesWhatTheReferenceRefuses(
      @ForAll("documents") String doc,
      @ForAll("edits") String edit,
      @ForAll("positions") double where) {
    int at = (int) (where * doc.length());
    String edited;
    switch (edit.charAt(0)) {
      case 'T': // truncated
        edited = doc.substring(0, at);
        break;
      case 'A': // something appended
        edited = doc + edit.substring(1);
        break;
      default: // something inserted
        edited = doc.substring(0, at) + edit.substring(1) + doc.substring(at);
    }
    agreesWithTheReference(edited.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void hostileDocumentsAreRefusedAsTheReferenceRefusesThem() {
    for (String doc :
        List.of(
            "",
            "   \n",
            "{}{}",
            "{} x",
            "[1] 2",
            "{\"a\":1,\"a\":2}",
            "{\"a\":{\"b\":1,\"b\":1}}",
            "[".repeat(33) + "]".repeat(33),
            "[".repeat(32) + "]".repeat(32),
            "123456789012345678901",
            "12345678901234567890",
            "-12345678901234567890",
            "1.5e400",
            "{\"a\":NaN}",
            "{'a':1}",
            "{\"a\":1,}",
            "[1,]",
            "\"\\ud800\"",
            "nul",
            "null",
            "true false",
            "\u0000\u0000\u0000\u0018ftypmp42")) {
      agreesWithTheReference(doc.getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * Bytes rather than text: the encodings the parser detects (UTF-16 and UTF-32 with and without a
   * byte-order mark), byte-order marks where no text may be, bytes that are no UTF-8, numbers at
   * the edges of a double, the extensions JSON does not have, and the depth and name limits.
   */
  @Test
  void hostileBytesAreReadAsTheReferenceReadsThem() {
    List<byte[]> docs = new ArrayList<>();
    String doc = "{\"a\":[1,-0,2.5e-3,\"\u00e9\\ud83d\\ude00\"],\"b\":null}";
    for (String cs : List.of("UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
      Charset c = Charset.forName(cs);
      docs.add(doc.getBytes(c));
      docs.add(("\uFEFF" + doc).getBytes(c));
      docs.add((doc + "\uFEFF").getBytes(c));
      docs.add(("  " + doc + "\n ").getBytes(c));
      docs.add("7".getBytes(c));
      byte[] odd = doc.getBytes(c);
      docs.add(java.util.Arrays.copyOf(odd, odd.length - 1));
    }
    docs.add(bytes(0xEF, 0xBB, 0xBF)); // a byte-order mark and nothing else
    docs.add(bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, '1')); // two of them
    docs.add(bytes(0, 0, 0xFE, 0xFF, 0, 0x11, 0, 0)); // UTF-32 beyond U+10FFFF
    docs.add(bytes(0, 0, 0xFF, 0xFE, 0, 0, 0, '1')); // UCS-4 in an order no one uses
    docs.add(bytes(0xFE, 0xFF, 0xD8, 0x00, 0, '"')); // UTF-16 lone high surrogate
    docs.add(bytes('"', 0xC3, 0x28, '"')); // a lead byte without its continuation
    docs.add(bytes('"', 0xC0, 0xAF, '"')); // an overlong '/'
    docs.add(bytes('"', 0xC1, 0xA1, '"')); // an overlong 'a'
    docs.add(bytes('"', 0xE0, 0x81, 0xA5, '"')); // an overlong 'e', three bytes
    docs.add(bytes('"', 0xE0, 0x9F, 0xBF, '"')); // an overlong U+07FF
    docs.add(bytes('"', 0xE0, 0xA0, 0x80, '"')); // U+0800, the shortest form: read
    docs.add(bytes('"', 0xF0, 0x80, 0x81, 0xAC, '"')); // an overlong 'l', four bytes
    docs.add(bytes('"', 0xF0, 0x8F, 0xBF, 0xBF, '"')); // an overlong U+FFFF
    docs.add(bytes('"', 0xF0, 0x90, 0x80, 0x80, '"')); // U+10000, the shortest form: read
    docs.add(bytes('{', '"', 0xC1, 0x81, '"', ':', '1', '}')); // an overlong 'A' in a name
    docs.add(bytes('"', 0xED, 0xA0, 0x80, '"')); // a surrogate written as UTF-8
    docs.add(bytes('"', 0xF4, 0x90, 0x80, 0x80, '"')); // beyond U+10FFFF
    docs.add(bytes('"', 0xFF, '"'));
    docs.add(bytes('"', 0x01, '"')); // a control character unescaped
    docs.add(bytes('"', '\n', '"'));
    docs.add(bytes('1', 0));
    docs.add(bytes(0));
    for (String text :
        List.of(
            "-0",
            "-0.0",
            "0.0",
            "1E400",
            "-1e400",
            "4.9e-325",
            "1.7976931348623157e309",
            "1e99999999999999999",
            "-9223372036854775809",
            "18446744073709551616",
            "99999999999999999999.5",
            "[9223372036854775807, 2147483648, 1, 0.1]",
            "01",
            "-01",
            "+1",
            ".5",
            "1.",
            "1e",
            "0x10",
            "Infinity",
            "-Infinity",
            "{\"a\":1} // note",
            "/* note */ 1",
            "# note\n1",
            "{a:1}",
            "[\"a\" \"b\"]",
            "\"\\x41\"",
            "\"\\u12\"",
            "\"\\udc00\\ud800\"",
            "\"" + "x".repeat(1 << 20) + "\"",
            "{\"" + "k".repeat(60_000) + "\":1}",
            "{\"" + "k".repeat(1 << 20) + "\":1}",
            "{\"" + "k".repeat((1 << 20) + 1) + "\":1}",
            "[" + "1,".repeat(100_000) + "1]",
            "{\"a\":".repeat(32) + "1" + "}".repeat(32),
            "{\"a\":".repeat(33) + "1" + "}".repeat(33),
            "{\"a\":[".repeat(16) + "{}" + "]}".repeat(16),
            "{\"a\":[".repeat(16) + "[]" + "]}".repeat(16),
            "[".repeat(31) + "{\"a\":1,\"a\":1}" + "]".repeat(31),
            "[".repeat(100_000),
            "{\"a\":1,\"A\":2,\"\\u0061\":3}",
            "{\"\":1,\"\":2}",
            " null ",
            "\"\"",
            "true",
            "[] ]",
            "{} }")) {
      docs.add(text.getBytes(StandardCharsets.UTF_8));
    }
    for (byte[] d : docs) {
      agreesWithTheReference(d);
    }
  }

  /** Bytes near JSON in every encoding the parser detects, one byte of them replaced at random. */
  @Property(tries = 1000)
  void anyBytesAreReadAsTheReferenceReadsThem(
      @ForAll("documents") String doc,
      @ForAll("encodings") String encoding,
      @ForAll("prefixes") byte[] prefix,
      @ForAll("positions") double where,
      @ForAll byte replacement,
      @ForAll boolean replace) {
    byte[] body = doc.getBytes(Charset.forName(encoding));
    byte[] d = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, d, 0, prefix.length);
    System.arraycopy(body, 0, d, prefix.length, body.length);
    if (replace && d.length > 0) {
      d[(int) (where * (d.length - 1))] = replacement;
    }
    agreesWithTheReference(d);
  }

  @Provide
  Arbitrary<String> encodings() {
    return Arbitraries.of(
        "UTF-8", "UTF-8", "UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE", "ISO-8859-1");
  }

  @Provide
  Arbitrary<byte[]> prefixes() {
    return Arbitraries.of(
        bytes(),
        bytes(),
        bytes(0xEF, 0xBB, 0xBF),
        bytes(0xFE, 0xFF),
        bytes(0xFF, 0xFE),
        bytes(0, 0, 0xFE, 0xFF),
        bytes(0xFF, 0xFE, 0, 0),
        bytes(0, 0, 0xFF, 0xFE),
        bytes(0xFE, 0xFF, 0, 0));
  }

  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  @Test
  void aTreeLargerThanItsBudgetIsAPreciseErrorNotAnOutOfMemoryError() throws IOException {
    // 200,000 small integers: about 600 KB of text, some 17 MB as a tree; the budget is 1 MiB
    StringBuilder doc = new StringBuilder("{\"a\":[");
    for (int i = 0; i < 200_000; i++) {
      doc.append(i == 0 ? "" : ",").append(17);
    }
    byte[] big = doc.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    StrictJson tight = new StrictJson(IOException::new, 1 << 20);
    IOException e = assertThrows(IOException.class, () -> tight.parse(big));
    assertEquals(
        "document too large to read into memory: its tree would take more than 1 MiB, three"
            + " quarters of this JVM's heap less the document's own bytes (give it more with -Xmx"
            + " if the document is genuine)",
        e.getMessage());
    // long strings count by their length, not only as nodes: twice beyond Latin-1
    byte[] longText = ("[\"" + "x".repeat(1_100_000) + "\"]").getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> tight.parse(longText));
    byte[] fitsAsLatin1 = ("[\"" + "x".repeat(600_000) + "\"]").getBytes(StandardCharsets.UTF_8);
    assertEquals(600_000, tight.parse(fitsAsLatin1).get(0).textValue().length());
    byte[] notAsChinese = ("[\"" + "证".repeat(600_000) + "\"]").getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> tight.parse(notAsChinese));
    // each distinct member name is a string of its own: 5,000 of 100 characters (null values)
    StringBuilder names = new StringBuilder("{");
    for (int i = 0; i < 5_000; i++) {
      names
          .append(i == 0 ? "" : ",")
          .append('"')
          .append(String.format("%0100d", i))
          .append("\":null");
    }
    byte[] manyNames = names.append('}').toString().getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> tight.parse(manyNames));
    byte[] manyNulls = ("[" + "null,".repeat(4_999) + "null]").getBytes(StandardCharsets.UTF_8);
    assertEquals(5_000, tight.parse(manyNulls).size());
    // within the budget the same reader gives the reference's tree
    byte[] small = "{\"a\":[17,17],\"b\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    assertEquals(REFERENCE.readTree(small), tight.parse(small));
    // the default budget (three quarters of the heap) reads the big document
    assertEquals(200_000, STRICT.parse(big).get("a").size());
  }

  @Test
  void contentAfterTheValueIsNamedWithItsPlace() {
    IOException e =
        assertThrows(IOException.class, () -> STRICT.parse("{\"a\":1}\n {}".getBytes()));
    assertEquals(
        "not valid JSON: more content after the end of the value (line 2, column 2)",
        e.getMessage());
  }

  @Provide
  Arbitrary<String> documents() {
    return value(4);
  }

  @Provide
  Arbitrary<String> edits() {
    Arbitrary<String> kind = Arbitraries.of("T", "A", "I");
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.of(
                "", "}", "]", "{", "[", ",", ":", "\"", "x", "{}", "1", " 1", "\"a\":1", "null"),
            Arbitraries.strings().withChars("{}[],:\"\\ 0123456789-.eEtrufalsn").ofMaxLength(6));
    return Combinators.combine(kind, text).as((k, t) -> k + t);
  }

  @Provide
  Arbitrary<Double> positions() {
    return Arbitraries.doubles().between(0, 1);
  }

  private static Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar =
        Arbitraries.oneOf(
            Arbitraries.longs().map(l -> Long.toString(l)),
            Arbitraries.bigIntegers()
                .between(
                    new java.math.BigInteger("-99999999999999999999"),
                    new java.math.BigInteger("99999999999999999999"))
                .map(Object::toString),
            Arbitraries.doubles().between(-1e9, 1e9).map(d -> Double.toString(d)),
            Arbitraries.of("true", "false", "null", "0", "-0", "1e3", "2.50"),
            string());
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> ws = Arbitraries.of("", " ", "\n", "\t ");
    Arbitrary<String> array =
        value(depth - 1)
            .list()
            .ofMaxSize(4)
            .flatMap(xs -> ws.map(w -> "[" + w + String.join("," + w, xs) + w + "]"));
    Arbitrary<String> object =
        Combinators.combine(string(), value(depth - 1))
            .as((k, v) -> k + ":" + v)
            .list()
            .ofMaxSize(4)
            .flatMap(ms -> ws.map(w -> "{" + w + String.join("," + w, ms) + w + "}"));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, scalar),
        net.jqwik.api.Tuple.of(2, array),
        net.jqwik.api.Tuple.of(2, object));
  }

  private static Arbitrary<String> string() {
    return Arbitraries.oneOf(
            Arbitraries.strings().alpha().ofMaxLength(6),
            Arbitraries.of("a", "b", "\\u00e9", "\\n", "\\\"", "中文", "\\ud83d\\ude00"))
        .map(s -> "\"" + s + "\"");
  }
}
