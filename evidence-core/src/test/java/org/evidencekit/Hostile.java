package org.evidencekit;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.statistics.Statistics;

/**
 * What an attacker holding a small hostile file does to a parser: random bytes, a valid document
 * with bytes flipped, cut, inserted or repeated, and values chosen to break arithmetic and
 * allocation (huge sizes, 64-bit edges, deep nesting, duplicate keys, bad UTF-8, NUL, lone
 * surrogates). {@link #check} holds the ground rule: a parser returns, or throws one of the
 * exception types it documents with a message that names what is wrong (not a bare JDK message),
 * within a time box; anything else fails with the input in hex so it can become a regression test.
 */
public final class Hostile {
  private Hostile() {}

  /** A parser under attack. */
  @FunctionalInterface
  public interface Parser {
    Object parse(byte[] input) throws Exception;
  }

  /** Generous for 2 shared cores; a parser that needs this long on a few KiB is hanging. */
  static final Duration TIME_BOX = Duration.ofSeconds(10);

  private static final String[] NASTY_VALUES = {
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "4294967296",
    "2147483648",
    "-2147483649",
    "-1",
    "0",
    "9007199254740993",
    "1e400",
    "-0",
    "0.5",
    "1E2",
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\udfff\\ud800\"",
    "\"..\\/..\\/etc\"",
    "\"+999999999-12-31T23:59:59Z\"",
    "\"-999999999-01-01T00:00:00Z\"",
    "\"2026-02-30T00:00:00Z\"",
    "\"ZZ\"",
    "\"" + "f".repeat(65) + "\"",
    "[" + "[".repeat(40) + "]".repeat(40) + "]",
    "{\"a\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41),
    "[" + "0,".repeat(3000) + "0]",
  };

  private static final byte[][] NASTY_BYTES = {
    {(byte) 0xC3, 0x28},
    {(byte) 0xFF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {0},
    {'\r'},
    {'\n', '\n'},
    {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
    {(byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
    {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF},
    {(byte) 0x80, 0, 0, 0},
  };

  /**
   * A refusal that is a JDK exception's message, bare or behind a name that says only which format:
   * it tells the reader neither the field nor the line ("For input string: \"1e3\"", "Illegal
   * base64 character 3f", "Index 3 out of bounds for length 3"). Behind a phrase naming the field
   * it is a detail.
   */
  static final Pattern BARE_JDK_MESSAGE =
      Pattern.compile(
          "^(?:[^:]*: )?(?:For input string|Illegal base64|Index -?[0-9]+ out of bounds|Cannot"
              + " invoke|Input byte\\[\\] should|Last unit does not have|Unexpected end of|null$)");

  /** Up to {@code maxLength} random bytes. */
  public static Arbitrary<byte[]> randomBytes(int maxLength) {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
  }

  /** Valid documents, each damaged by one to four byte-level or value-level mutations. */
  public static Arbitrary<byte[]> mutationsOf(List<byte[]> valid) {
    return Arbitraries.randoms()
        .map(
            r -> {
              byte[] b = valid.get(r.nextInt(valid.size())).clone();
              int n = 1 + r.nextInt(4);
              for (int i = 0; i < n; i++) {
                b = mutate(b, r);
              }
              return b;
            });
  }

  /** Valid documents with one value (a number, string or structure) replaced by a nasty one. */
  public static Arbitrary<byte[]> nastyValuesIn(List<byte[]> valid) {
    return Arbitraries.randoms()
        .map(
            r -> {
              byte[] b = valid.get(r.nextInt(valid.size())).clone();
              int n = 1 + r.nextInt(2);
              for (int i = 0; i < n; i++) {
                b = r.nextBoolean() ? replaceValue(b, r) : replaceNumber(b, r);
              }
              return b;
            });
  }

  public static byte[] mutate(byte[] b, Random r) {
    if (b.length == 0) {
      return NASTY_BYTES[r.nextInt(NASTY_BYTES.length)].clone();
    }
    int at = r.nextInt(b.length);
    switch (r.nextInt(9)) {
      case 0:
        b[at] ^= (byte) (1 << r.nextInt(8));
        return b;
      case 1:
        b[at] = (byte) r.nextInt(256);
        return b;
      case 2:
        return Arrays.copyOf(b, at);
      case 3:
        {
          byte[] ins = new byte[1 + r.nextInt(16)];
          r.nextBytes(ins);
          return splice(b, at, 0, ins);
        }
      case 4:
        return splice(b, at, 0, NASTY_BYTES[r.nextInt(NASTY_BYTES.length)]);
      case 5:
        {
          int len = 1 + r.nextInt(Math.min(b.length - at, 256));
          return splice(b, at + len, 0, Arrays.copyOfRange(b, at, at + len));
        }
      case 6:
        {
          int len = 1 + r.nextInt(Math.min(b.length - at, 64));
          return splice(b, at, len, new byte[0]);
        }
      case 7:
        return replaceValue(b, r);
      default:
        return replaceNumber(b, r);
    }
  }

  /** Replaces the JSON value after a random ':' or '[' or ',' with a nasty value. */
  static byte[] replaceValue(byte[] b, Random r) {
    int start = -1;
    for (int tries = 0; tries < 8 && start < 0; tries++) {
      int at = b.length == 0 ? 0 : r.nextInt(b.length);
      for (int i = at; i < b.length; i++) {
        if (b[i] == ':' || b[i] == '[' || b[i] == ',') {
          start = i + 1;
          break;
        }
      }
    }
    if (start < 0) {
      return replaceNumber(b, r);
    }
    int end = valueEnd(b, start);
    byte[] v = NASTY_VALUES[r.nextInt(NASTY_VALUES.length)].getBytes(StandardCharsets.UTF_8);
    if (r.nextInt(4) == 0 && end > start) {
      // a duplicate of the member or element just before, which strict parsers must refuse
      return splice(b, end, 0, concat(new byte[] {','}, Arrays.copyOfRange(b, start, end)));
    }
    return splice(b, start, end - start, v);
  }

  /** Replaces a run of decimal digits with a number at an arithmetic edge. */
  static byte[] replaceNumber(byte[] b, Random r) {
    int at = b.length == 0 ? 0 : r.nextInt(b.length);
    for (int k = 0; k < b.length; k++) {
      int i = (at + k) % b.length;
      if (b[i] >= '0' && b[i] <= '9') {
        int s = i;
        while (s > 0 && b[s - 1] >= '0' && b[s - 1] <= '9') {
          s--;
        }
        int e = i;
        while (e < b.length && b[e] >= '0' && b[e] <= '9') {
          e++;
        }
        String[] edges = {
          "9223372036854775807",
          "9223372036854775808",
          "18446744073709551615",
          "4294967295",
          "2147483647",
          "2147483648",
          "0",
          "00",
          "99999999999999999999999999",
        };
        byte[] v = edges[r.nextInt(edges.length)].getBytes(StandardCharsets.US_ASCII);
        return splice(b, s, e - s, v);
      }
    }
    return b;
  }

  private static int valueEnd(byte[] b, int start) {
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < b.length; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
          if (depth == 0) {
            return i + 1;
          }
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          return i;
        }
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return b.length;
  }

  static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
    byte[] out = new byte[b.length - remove + insert.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(insert, 0, out, at, insert.length);
    System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Feeds {@code input} to {@code parser}: it must return or throw one of {@code allowed} (or a
   * subclass) within {@link #TIME_BOX}.
   */
  @SafeVarargs
  public static void check(
      String what, byte[] input, Parser parser, Class<? extends Throwable>... allowed) {
    String outcome =
        assertTimeoutPreemptively(
            TIME_BOX,
            () -> outcome(what, input, parser, allowed),
            () -> what + " did not finish within " + TIME_BOX + " for " + input.length + " bytes");
    // the share of inputs that got past the parser shows whether the mutations reach the checks
    Statistics.label(what).collect(outcome);
  }

  @SafeVarargs
  private static String outcome(
      String what, byte[] input, Parser parser, Class<? extends Throwable>... allowed) {
    try {
      parser.parse(input.clone());
      return "accepted";
    } catch (Throwable t) {
      for (Class<? extends Throwable> c : allowed) {
        if (c.isInstance(t)) {
          if (t.getMessage() == null || BARE_JDK_MESSAGE.matcher(t.getMessage()).find()) {
            fail(
                what
                    + " refused with a message that names no field: "
                    + t
                    + " for input (hex, "
                    + input.length
                    + " bytes, the first 1,024 shown): "
                    + HexFormat.of().formatHex(input, 0, Math.min(input.length, 1024)),
                t);
          }
          return "refused";
        }
      }
      fail(
          what
              + " threw "
              + t
              + " for input (hex, "
              + input.length
              + " bytes, the first 1,024 shown): "
              + HexFormat.of().formatHex(input, 0, Math.min(input.length, 1024)),
          t);
      throw new AssertionError("unreachable");
    }
  }
}
