package org.evidencekit.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Strict reading of our stored JSON formats: duplicate keys, trailing content, floats where
 * integers belong, unknown members and missing members are all errors. Errors are reported through
 * a caller-supplied exception factory so each format keeps its own exception type.
 */
public final class StrictJson {
  /**
   * Whether {@code s} is exactly {@code length} lowercase hex digits: the check of every digest in
   * seals and ledger entries, without compiling a regular expression at each call.
   */
  public static boolean isLowerHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Created on first parse: building a mapper costs a few hundred classes at start-up. */
  private static final class Mapper {
    static final ObjectMapper INSTANCE = createMapper();
  }

  private final Function<String, IOException> error;

  public StrictJson(Function<String, IOException> error) {
    this.error = error;
  }

  private static ObjectMapper createMapper() {
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

  public JsonNode parse(byte[] json) throws IOException {
    try {
      JsonNode n = Mapper.INSTANCE.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw error.apply("empty document");
      }
      return n;
    } catch (java.io.CharConversionException e) {
      // Jackson guessed an encoding from the first bytes (an MP4's size field reads as UTF-32)
      throw error.apply(notJson(json).orElse("not valid JSON: not UTF-8 text"));
    } catch (JsonProcessingException e) {
      java.util.Optional<String> notJson = notJson(json);
      if (notJson.isPresent()) {
        throw error.apply(notJson.get());
      }
      String msg = e.getOriginalMessage();
      if (msg != null && msg.length() > 160) {
        msg = msg.substring(0, 160) + "...";
      }
      throw error.apply(
          "not valid JSON: "
              + msg
              + (e.getLocation() == null
                  ? ""
                  : " (line "
                      + e.getLocation().getLineNr()
                      + ", column "
                      + e.getLocation().getColumnNr()
                      + ")"));
    }
  }

  /**
   * "not JSON (it looks like an MP4 file)" when the bytes are plainly something else, so that the
   * user reads what they gave instead of the parser's complaint about one byte of it.
   */
  private static java.util.Optional<String> notJson(byte[] json) {
    String kind = org.evidencekit.internal.io.FileKind.describe(json).orElse("binary data");
    switch (kind) {
      case "a seal", "a JSON object", "a JSON array", "text":
        return java.util.Optional.empty();
      case "an empty file":
        return java.util.Optional.of("not JSON (it is empty)");
      default:
        return java.util.Optional.of("not JSON (it looks like " + kind + ")");
    }
  }

  public JsonNode object(JsonNode parent, String field, Set<String> allowed) throws IOException {
    JsonNode n = required(parent, field);
    return requireObject(n, field, allowed);
  }

  public JsonNode requireObject(JsonNode n, String what, Set<String> allowed) throws IOException {
    if (!n.isObject()) {
      throw error.apply("'" + what + "' must be an object");
    }
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw error.apply("unknown member '" + name + "' in '" + what + "'");
      }
    }
    return n;
  }

  public JsonNode required(JsonNode parent, String field) throws IOException {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      throw error.apply("missing required member '" + field + "'");
    }
    return n;
  }

  public String string(JsonNode parent, String field) throws IOException {
    JsonNode n = required(parent, field);
    if (!n.isTextual()) {
      throw error.apply("'" + field + "' must be a string");
    }
    return n.textValue();
  }

  public long integer(JsonNode parent, String field, long min, long max) throws IOException {
    JsonNode n = required(parent, field);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw error.apply("'" + field + "' must be an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw error.apply("'" + field + "' = " + v + " is outside [" + min + ", " + max + "]");
    }
    return v;
  }

  public List<JsonNode> array(JsonNode parent, String field, int maxSize) throws IOException {
    JsonNode n = required(parent, field);
    if (!n.isArray()) {
      throw error.apply("'" + field + "' must be an array");
    }
    if (n.size() > maxSize) {
      throw error.apply("'" + field + "' has " + n.size() + " entries, at most " + maxSize);
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  public byte[] hex(JsonNode parent, String field, int length) throws IOException {
    String s = string(parent, field);
    if (s.length() != length * 2 || !s.equals(s.toLowerCase(java.util.Locale.ROOT))) {
      throw error.apply("'" + field + "' must be " + (length * 2) + " lowercase hex digits");
    }
    try {
      return HexFormat.of().parseHex(s);
    } catch (IllegalArgumentException e) {
      throw error.apply("'" + field + "' is not hexadecimal");
    }
  }

  public byte[] base64(JsonNode parent, String field) throws IOException {
    String s = string(parent, field);
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw error.apply("'" + field + "' is not standard base64");
    }
  }

  public IOException error(String message) {
    return error.apply(message);
  }
}
