package org.evidencekit.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

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

  /**
   * The parser factory, created on first parse. Trees are built from its tokens here rather than by
   * an {@code ObjectMapper}: a mapper's first use initialises databind (a date format, calendars, a
   * walk over every installed locale, deserializer caches), some 40 ms of one core at the start of
   * every short-lived command, for trees this class builds in a few lines (issue 25).
   */
  private static final class Factory {
    static final JsonFactory INSTANCE = createFactory();
  }

  private final Function<String, IOException> error;

  /** What a tree may take, estimated as it is built; 0 for {@link #treeBudget} at each parse. */
  private final long maxTreeBytes;

  public StrictJson(Function<String, IOException> error) {
    this(error, 0);
  }

  /** With a fixed budget for the tree instead of {@link #treeBudget} (tests). */
  StrictJson(Function<String, IOException> error, long maxTreeBytes) {
    this.error = error;
    this.maxTreeBytes = maxTreeBytes;
  }

  /**
   * Three quarters of the heap. A document's tree takes about 25 times its text (a 256 MiB array of
   * small integers needed more than 6 GB), so the byte bounds of the formats alone do not keep a
   * hostile document from exhausting the heap, and a format's legitimate large documents (plans of
   * millions of entries, seals of a million checkpoints) rule out a small fixed bound: 100,000
   * recordings' facts, about 70 MB as a tree, are planned in a 128 MiB heap. The whole heap, not
   * what is free now: what looks used may be garbage a collection would free (that test's document
   * was built in a StringBuilder just before). A quarter is left for the document's bytes and for
   * what the caller does next; a tree past its budget is a precise error.
   */
  private static long treeBudget() {
    return Runtime.getRuntime().maxMemory() / 4 * 3;
  }

  /**
   * The longest string a document may hold: an eighth of the heap, at most 512 Mi characters. The
   * parser gathers a string's characters in {@code char} segments and copies them twice on the way
   * to a {@code String}, some five bytes per character with the document's own, all before the
   * tree's budget can see the string: a 14 MB string in a 64 MiB heap was an {@code
   * OutOfMemoryError} inside the parser. The longest genuine strings are a seal's leaves, 43
   * characters per segment (4.3 million for 100 GB in 1 MiB segments), read in a heap of 35 MiB or
   * more. The heap's size is fixed for the life of the JVM, so the factory is built with it once.
   */
  static long maxStringChars() {
    return Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 8);
  }

  /**
   * The longest member name: 1 Mi characters, the most a ledger entry the ledger parses can hold
   * (some names are the caller's, a ledger entry's detail names), so that every reader of an entry
   * reads what the others read; Jackson's own bound (50,000) refused entries the builder builds.
   * Not a share of the heap as for strings: the parser keeps the names it has seen, across
   * documents, in a table its factory shares.
   */
  static int maxNameChars() {
    return (int) Math.min(1 << 20, maxStringChars());
  }

  /*
   * Heap per value, from the JDK 17 object layouts (compressed references): its node and the
   * reference to it (24); a string's String and bytes (40 + its length, twice that beyond Latin-1);
   * an integer's BigInteger and its array (64); an object's map (80) and each member's entry with
   * its slot in the map's table (48); an array's list (40). A member name is a string too, counted
   * once per distinct name: the parser shares one String among a name's uses. Measured
   * (2026-12-06, 2 million values): 86 bytes per small integer in an array (model 88), 70 per
   * 8-letter string (model 72).
   */
  private static final long VALUE_BYTES = 24;
  private static final long STRING_BYTES = 40;
  private static final long INTEGER_BYTES = 64;
  private static final long OBJECT_BYTES = 80;
  private static final long MEMBER_BYTES = 48;
  private static final long ARRAY_BYTES = 40;

  private static JsonFactory createFactory() {
    StreamReadConstraints.Builder limits =
        StreamReadConstraints.builder()
            .maxNestingDepth(32)
            .maxNumberLength(20)
            .maxStringLength((int) maxStringChars());
    try {
      limits.maxNameLength(maxNameChars());
    } catch (NoSuchMethodError olderJackson) {
      // Jackson before 2.16 (the one Spark 3.5 puts first on a job's class path) has no limit on
      // member names at all: nothing to raise, and the general reader agrees with the direct one
    }
    JsonFactory f = JsonFactory.builder().streamReadConstraints(limits.build()).build();
    f.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return f;
  }

  /**
   * The document's one value as a tree: integers as {@link java.math.BigInteger} nodes (so that no
   * size is lost before {@link #integer} checks the range), other numbers as doubles. A duplicate
   * member, anything after the value, nesting deeper than 32 and numbers longer than 20 digits are
   * errors.
   */
  public JsonNode parse(byte[] json) throws IOException {
    try (JsonParser p = Factory.INSTANCE.createParser(json)) {
      if (p instanceof com.fasterxml.jackson.core.json.UTF8StreamJsonParser) {
        requireShortestForms(json);
      }
      JsonToken t = p.nextToken();
      if (t == null) {
        throw error.apply("empty document");
      }
      // the document's bytes stay in the heap while its tree is built
      long budget = maxTreeBytes > 0 ? maxTreeBytes : Math.max(0, treeBudget() - json.length);
      JsonNode n = value(p, t, new Budget(budget));
      if (p.nextToken() != null) {
        throw error.apply(
            "not valid JSON: more content after the end of the value"
                + at(p.currentTokenLocation()));
      }
      return n;
    } catch (TreeTooLarge e) {
      throw error.apply(
          "document too large to read into memory: its tree would take more than "
              + (e.budget >> 20)
              + " MiB, three quarters of this JVM's heap less the document's own bytes (give it"
              + " more with -Xmx if the document is genuine)");
    } catch (java.io.CharConversionException e) {
      // Jackson guessed an encoding from the first bytes (an MP4's size field reads as UTF-32)
      throw error.apply(notJson(json).orElse("not valid JSON: not UTF-8 text"));
    } catch (JsonProcessingException e) {
      throw refused(e, json);
    }
  }

  /** Receives the elements of an array {@link #parseObject} streams, one at a time. */
  @FunctionalInterface
  public interface Elements {
    void accept(JsonNode element) throws IOException;
  }

  /**
   * The object document in {@code in}, read as it streams, with one array member that is never
   * built whole: each element of {@code streamed} is built alone, handed to {@code each} and
   * dropped, so the tree holds the other members and one element at a time. The same strictness as
   * {@link #parse}; the document's bytes are not kept, and at most {@code maxBytes} of them are
   * read: the byte after them refuses the document, naming {@code name}, without reading on (a
   * planted object of gigabytes costs the bound, not its size). Nothing past the value is allowed.
   *
   * @param maxElements the most elements {@code streamed} may have
   * @return the object, with an empty array in place of {@code streamed} when it was an array
   */
  public JsonNode parseObject(
      InputStream in, String name, long maxBytes, String streamed, long maxElements, Elements each)
      throws IOException {
    BoundedUtf8 bytes = new BoundedUtf8(in, maxBytes);
    try (JsonParser p = Factory.INSTANCE.createParser(bytes)) {
      if (!(p instanceof com.fasterxml.jackson.core.json.UTF8StreamJsonParser)) {
        throw error.apply(notJson(bytes.head()).orElse("not valid JSON: not UTF-8 text"));
      }
      JsonToken t = p.nextToken();
      if (t == null) {
        throw error.apply(notJson(bytes.head()).orElse("empty document"));
      }
      if (t != JsonToken.START_OBJECT) {
        throw error.apply("not a JSON object");
      }
      long budget = maxTreeBytes > 0 ? maxTreeBytes : treeBudget();
      Budget tree = new Budget(budget);
      tree.spend(VALUE_BYTES + OBJECT_BYTES);
      ObjectNode o = JsonNodeFactory.instance.objectNode();
      for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
        String member = p.currentName();
        requireWholeCharacters(p, member);
        tree.member(member);
        JsonToken v = p.nextToken();
        if (member.equals(streamed) && v == JsonToken.START_ARRAY) {
          long n = 0;
          for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            if (++n > maxElements) {
              throw error.apply("'" + streamed + "' has more than " + maxElements + " entries");
            }
            each.accept(value(p, e, new Budget(budget)));
          }
          o.set(member, JsonNodeFactory.instance.arrayNode());
        } else {
          o.set(member, value(p, v, tree));
        }
      }
      if (p.nextToken() != null) {
        throw error.apply(
            "not valid JSON: more content after the end of the value"
                + at(p.currentTokenLocation()));
      }
      return o;
    } catch (TooManyBytes e) {
      throw error.apply(name + " is larger than " + maxBytes + " bytes");
    } catch (OverlongForm e) {
      throw error.apply(
          "not valid JSON: "
              + e.what
              + " at byte "
              + e.at
              + " (not UTF-8 as RFC 3629 defines it; I-JSON, RFC 7493)");
    } catch (TreeTooLarge e) {
      throw error.apply(
          "document too large to read into memory: one of its values would take more than "
              + (e.budget >> 20)
              + " MiB, three quarters of this JVM's heap (give it more with -Xmx if the document is"
              + " genuine)");
    } catch (java.io.CharConversionException e) {
      throw error.apply(notJson(bytes.head()).orElse("not valid JSON: not UTF-8 text"));
    } catch (JsonProcessingException e) {
      throw refused(e, bytes.head());
    }
  }

  /**
   * What Jackson's refusal of a document means to the caller, from the document's first bytes
   * {@code head}: a string past the heap's share, something that is not JSON at all, or the
   * parser's own words (cut to 160 characters) and where.
   */
  private IOException refused(JsonProcessingException e, byte[] head) {
    if (e instanceof StreamConstraintsException
        && String.valueOf(e.getOriginalMessage()).startsWith("Name length")) {
      return error.apply(
          "not valid JSON: a member name of more than "
              + maxNameChars()
              + " characters"
              + at(e.getLocation()));
    }
    if (e instanceof StreamConstraintsException
        && String.valueOf(e.getOriginalMessage()).startsWith("String value length")) {
      return error.apply(
          "document too large to read into memory: a string of more than "
              + maxStringChars()
              + " characters, an eighth of this JVM's heap (give it more with -Xmx if the"
              + " document is genuine)"
              + at(e.getLocation()));
    }
    java.util.Optional<String> notJson = notJson(head);
    if (notJson.isPresent()) {
      return error.apply(notJson.get());
    }
    String msg = e.getOriginalMessage();
    if (msg != null && msg.length() > 160) {
      msg = msg.substring(0, 160) + "...";
    }
    return error.apply("not valid JSON: " + msg + at(e.getLocation()));
  }

  /** Thrown by {@link BoundedUtf8} at the byte past its bound. */
  private static final class TooManyBytes extends IOException {
    private static final long serialVersionUID = 1L;

    TooManyBytes() {
      super("past the bound");
    }
  }

  /** Thrown by {@link BoundedUtf8} at an overlong UTF-8 form or a byte UTF-8 never holds. */
  private static final class OverlongForm extends IOException {
    private static final long serialVersionUID = 1L;

    final long at;
    final String what;

    OverlongForm(long at, String what) {
      super(what);
      this.at = at;
      this.what = what;
    }
  }

  /**
   * What a byte from F5 to FF is: never part of UTF-8 (RFC 3629 section 3). The parser looks a
   * member name up by its bytes, in a table shared across documents, before decoding them, and pads
   * a name's last four bytes with FF: once "length" was read, the bytes {@code "leng\xFFth"} were
   * taken for it unchecked, so a seal spelled with a byte that is no character read as the seal it
   * would spell. Refusing these bytes wherever they are closes that.
   */
  private static String neverUtf8(int b) {
    return String.format(java.util.Locale.ROOT, "a byte 0x%02X, which UTF-8 never holds,", b);
  }

  /**
   * The document's bytes as the parser pulls them: at most the bound (the byte after it is {@link
   * TooManyBytes}), each checked for the overlong forms {@link #requireShortestForms} refuses, the
   * first few kept to say what the input is when it is not JSON.
   */
  private static final class BoundedUtf8 extends InputStream {
    private static final int HEAD = 512;

    private final InputStream in;
    private final long max;
    private final byte[] head = new byte[HEAD];
    private long count;
    private int previous = -1;

    BoundedUtf8(InputStream in, long max) {
      this.in = in;
      this.max = max;
    }

    byte[] head() {
      return Arrays.copyOf(head, (int) Math.min(count, HEAD));
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      // one byte past the bound is asked for at most, so a larger input is known without more
      int n = in.read(b, off, (int) Math.min(len, max + 1 - count));
      if (n <= 0) {
        return n;
      }
      for (int i = off; i < off + n; i++) {
        int c = b[i] & 0xff;
        long at = count + i - off;
        if (c == 0xc0
            || c == 0xc1
            || (previous == 0xe0 && c >= 0x80 && c < 0xa0)
            || (previous == 0xf0 && c >= 0x80 && c < 0x90)) {
          throw new OverlongForm(c >= 0xc0 ? at : at - 1, "an overlong UTF-8 form");
        }
        if (c >= 0xf5) {
          throw new OverlongForm(at, neverUtf8(c));
        }
        if (at < HEAD) {
          head[(int) at] = (byte) c;
        }
        previous = c;
      }
      count += n;
      if (count > max) {
        throw new TooManyBytes();
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      // the caller owns the stream it gave
    }
  }

  /**
   * Refuses an overlong UTF-8 form (RFC 3629 section 3), which the parser decodes to the character
   * it spells the long way: the same document under other bytes, so a signed one would verify under
   * bytes that other readers refuse. In UTF-8 the bytes C0 and C1 are never valid, E0 must be
   * followed by A0 or more and F0 by 90 or more; none of them is ever a continuation byte, so a
   * scan for them is exact. Nor are F5 to FF ever valid ({@link #neverUtf8}); the parser refuses
   * every other malformed sequence itself.
   */
  private void requireShortestForms(byte[] json) throws IOException {
    for (int i = 0; i < json.length; i++) {
      int b = json[i] & 0xff;
      if (b < 0xc0) {
        continue;
      }
      if (b >= 0xf5) {
        throw error.apply(
            "not valid JSON: "
                + neverUtf8(b)
                + " at byte "
                + i
                + " (not UTF-8 as RFC 3629 defines it; I-JSON, RFC 7493)");
      }
      int next = i + 1 < json.length ? json[i + 1] & 0xff : 0;
      boolean overlong =
          b == 0xc0
              || b == 0xc1
              || (b == 0xe0 && next >= 0x80 && next < 0xa0)
              || (b == 0xf0 && next >= 0x80 && next < 0x90);
      if (overlong) {
        throw error.apply(
            "not valid JSON: an overlong UTF-8 form at byte "
                + i
                + " (not UTF-8 as RFC 3629 defines it; I-JSON, RFC 7493)");
      }
    }
  }

  private static String at(com.fasterxml.jackson.core.@Nullable JsonLocation where) {
    return where == null
        ? ""
        : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
  }

  /** Thrown where the tree outgrows its budget; {@link #parse} turns it into the caller's error. */
  private static final class TreeTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    final long budget;

    TreeTooLarge(long budget) {
      super("the tree's budget is spent");
      this.budget = budget;
    }
  }

  /** A string's characters in the heap: one byte each, two if any is beyond Latin-1. */
  private static long stringBytes(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0xFF) {
        return 2L * text.length();
      }
    }
    return text.length();
  }

  /** What the tree being built may still take, and the member names already counted. */
  private static final class Budget {
    final long total;
    long left;
    final java.util.HashSet<String> names = new java.util.HashSet<>();

    Budget(long total) {
      this.total = total;
      this.left = total;
    }

    /** Takes {@code bytes}, or throws once the budget is spent. */
    void spend(long bytes) throws TreeTooLarge {
      left -= bytes;
      if (left < 0) {
        throw new TreeTooLarge(total);
      }
    }

    /** A member's entry, and its name the first time it appears (names are shared after). */
    void member(String name) throws TreeTooLarge {
      spend(MEMBER_BYTES);
      if (names.add(name)) {
        // the set's own entry (about 40 bytes) lives as long as the parse: counted with the name
        spend(STRING_BYTES + stringBytes(name) + 40);
      }
    }
  }

  /**
   * The value that starts at token {@code t}; the parser's constraints bound the depth (32), and
   * {@code left} what the tree may still take.
   */
  private static JsonNode value(JsonParser p, JsonToken t, Budget left) throws IOException {
    left.spend(VALUE_BYTES);
    switch (t) {
      case START_OBJECT:
        {
          left.spend(OBJECT_BYTES);
          ObjectNode o = JsonNodeFactory.instance.objectNode();
          for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
            String name = p.currentName(); // FIELD_NAME; duplicates were refused by the parser
            requireWholeCharacters(p, name);
            left.member(name);
            o.set(name, value(p, p.nextToken(), left));
          }
          return o;
        }
      case START_ARRAY:
        {
          left.spend(ARRAY_BYTES);
          ArrayNode a = JsonNodeFactory.instance.arrayNode();
          for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
            a.add(value(p, e, left));
          }
          return a;
        }
      case VALUE_STRING:
        {
          String text = p.getText();
          requireWholeCharacters(p, text);
          left.spend(STRING_BYTES + stringBytes(text));
          return JsonNodeFactory.instance.textNode(text);
        }
      case VALUE_NUMBER_INT:
        left.spend(INTEGER_BYTES);
        return JsonNodeFactory.instance.numberNode(p.getBigIntegerValue());
      case VALUE_NUMBER_FLOAT:
        return JsonNodeFactory.instance.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return JsonNodeFactory.instance.booleanNode(true);
      case VALUE_FALSE:
        return JsonNodeFactory.instance.booleanNode(false);
      case VALUE_NULL:
        return JsonNodeFactory.instance.nullNode();
      default:
        // a text parser yields no other token where a value starts (an embedded object, say)
        throw new JsonParseException(p, "unexpected token " + t);
    }
  }

  /**
   * Refuses a string holding half of a surrogate pair (an escape such as {@code \ud800} alone):
   * I-JSON (RFC 7493, section 2.1) forbids it, no stored form can be re-encoded with it, and
   * refusing it here keeps every parser's error its own instead of an encoder's unchecked one.
   */
  private static void requireWholeCharacters(JsonParser p, String text) throws JsonParseException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
        continue;
      }
      throw new JsonParseException(
          p,
          String.format("a string holds a lone surrogate \\u%04x (not I-JSON, RFC 7493)", (int) c));
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
