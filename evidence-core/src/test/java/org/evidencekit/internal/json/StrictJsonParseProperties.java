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
import java.nio.charset.StandardCharsets;
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
 * tokens refused and integers read as BigInteger. Both must accept the same documents with equal
 * trees and refuse the same ones.
 */
class StrictJsonParseProperties {
  private static final StrictJson STRICT = new StrictJson(IOException::new);

  private static final ObjectMapper REFERENCE = reference();

  private static ObjectMapper reference() {
    JsonFactory f =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(32)
                    .maxNumberLength(20)
                    .maxStringLength(512 * 1024 * 1024)
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
      return n == null || n.isMissingNode() ? null : n;
    } catch (IOException e) {
      return null;
    }
  }

  private static void agreesWithTheReference(byte[] doc) {
    JsonNode expected = referenceTree(doc);
    String shown = new String(doc, StandardCharsets.UTF_8);
    if (expected == null) {
      IOException e = assertThrows(IOException.class, () -> STRICT.parse(doc), shown);
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), shown);
    } else {
      try {
        JsonNode got = STRICT.parse(doc);
        assertEquals(expected, got, shown);
        assertEquals(expected.toString(), got.toString(), shown);
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
