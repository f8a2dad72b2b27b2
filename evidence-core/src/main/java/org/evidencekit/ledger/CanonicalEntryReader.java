package org.evidencekit.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.TreeMap;
import org.evidencekit.internal.json.Instants;

/**
 * Reads a ledger entry straight from its canonical bytes, or says it cannot ({@code null}), in
 * which case {@link LedgerEntry#parse} reads it the general way, which also names what is wrong.
 *
 * <p>Why: every command on an archive in use reads the whole ledger, and an ingest read each entry
 * three times (checked at open, indexed, folded into the retention history), each time building a
 * JSON tree and writing the entry out again to compare it with its bytes: about 9 microseconds an
 * entry, seconds per command on a ledger of a few hundred thousand entries (issue 25, an officer
 * waiting at a station in use; BENCHMARKS.md).
 *
 * <p>It accepts exactly the bytes {@link LedgerEntry#canonical()} writes: members in code-unit
 * order ({@code actor}, {@code details}, the optional {@code payloadDigest}, {@code subject},
 * {@code time}, {@code type}), details an object of strings with strictly increasing names, no
 * whitespace, strings with RFC 8785's minimal escapes and otherwise literal, well-formed UTF-8, the
 * time in the one form {@link Instants#format} writes. Anything else, and any value the builder
 * refuses, is left to the general reader: what this reader accepts, that one accepts too, and reads
 * the same (a property test holds them to it).
 */
final class CanonicalEntryReader {
  private final byte[] b;
  private int at;

  private CanonicalEntryReader(byte[] b) {
    this.b = b;
  }

  /** The entry {@code json} is the canonical form of, or null where this reader cannot tell. */
  static LedgerEntry read(byte[] json) {
    try {
      return new CanonicalEntryReader(json).entry();
    } catch (RuntimeException e) {
      return null; // a time java.time cannot read: the general reader words it
    }
  }

  private LedgerEntry entry() {
    if (!take('{')) {
      return null;
    }
    String actor = member("actor");
    if (actor == null || !take(',') || !name("details") || !take('{')) {
      return null;
    }
    TreeMap<String, String> details = new TreeMap<>();
    String last = null;
    if (!take('}')) {
      do {
        String k = string();
        if (k == null || (last != null && last.compareTo(k) >= 0) || !take(':')) {
          return null;
        }
        String v = string();
        if (v == null) {
          return null;
        }
        details.put(k, v);
        last = k;
      } while (take(','));
      if (!take('}')) {
        return null;
      }
    }
    if (!take(',')) {
      return null;
    }
    String payloadDigest = null;
    if (peekName("payloadDigest")) {
      payloadDigest = member("payloadDigest");
      if (payloadDigest == null || !take(',')) {
        return null;
      }
    }
    String subject = member("subject");
    if (subject == null || !take(',')) {
      return null;
    }
    String timeText = member("time");
    if (timeText == null || !take(',')) {
      return null;
    }
    String type = member("type");
    if (type == null || !take('}') || at != b.length) {
      return null;
    }
    Instant time = Instants.parse(timeText);
    if (!Instants.format(time).equals(timeText)) {
      return null;
    }
    return LedgerEntry.read(type, time, actor, subject, payloadDigest, details);
  }

  /** {@code "name":"value"}: the value, or null. */
  private String member(String name) {
    return name(name) ? string() : null;
  }

  /** {@code "name":} of a plain ASCII member name. */
  private boolean name(String name) {
    if (!peekName(name)) {
      return false;
    }
    at += name.length() + 3;
    return true;
  }

  private boolean peekName(String name) {
    int n = name.length();
    if (at + n + 3 > b.length || b[at] != '"' || b[at + n + 1] != '"' || b[at + n + 2] != ':') {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[at + 1 + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private boolean take(char c) {
    if (at < b.length && b[at] == c) {
      at++;
      return true;
    }
    return false;
  }

  /** A string in canonical form, or null. */
  private String string() {
    if (!take('"')) {
      return null;
    }
    int start = at;
    boolean wide = false;
    while (at < b.length) {
      int c = b[at] & 0xff;
      if (c == '"') {
        String s = new String(b, start, at - start, StandardCharsets.UTF_8);
        // malformed UTF-8 decodes to U+FFFD, which encodes to other bytes
        if (wide && !sameBytes(s, start, at)) {
          return null;
        }
        at++;
        return s;
      }
      if (c == '\\') {
        return escaped(start);
      }
      if (c < 0x20) {
        return null;
      }
      wide |= c >= 0x80;
      at++;
    }
    return null;
  }

  private boolean sameBytes(String s, int from, int to) {
    byte[] again = s.getBytes(StandardCharsets.UTF_8);
    return Arrays.equals(again, 0, again.length, b, from, to);
  }

  /** The rest of a string that has escapes, from its start; null unless each is the minimal one. */
  private String escaped(int start) {
    StringBuilder sb = new StringBuilder();
    int run = start;
    while (at < b.length) {
      int c = b[at] & 0xff;
      if (c == '"') {
        if (!appendRun(sb, run, at)) {
          return null;
        }
        at++;
        return sb.toString();
      }
      if (c < 0x20) {
        return null;
      }
      if (c != '\\') {
        at++;
        continue;
      }
      if (!appendRun(sb, run, at) || at + 1 >= b.length) {
        return null;
      }
      int e = b[at + 1];
      at += 2;
      switch (e) {
        case '"':
          sb.append('"');
          break;
        case '\\':
          sb.append('\\');
          break;
        case 'b':
          sb.append('\b');
          break;
        case 'f':
          sb.append('\f');
          break;
        case 'n':
          sb.append('\n');
          break;
        case 'r':
          sb.append('\r');
          break;
        case 't':
          sb.append('\t');
          break;
        case 'u':
          {
            // only a control character without a short form, in lowercase hex
            if (at + 4 > b.length || b[at] != '0' || b[at + 1] != '0') {
              return null;
            }
            int hi = b[at + 2];
            int lo = hex(b[at + 3]);
            if ((hi != '0' && hi != '1') || lo < 0) {
              return null;
            }
            char ch = (char) ((hi - '0') * 16 + lo);
            if (ch == '\b' || ch == '\f' || ch == '\n' || ch == '\r' || ch == '\t') {
              return null;
            }
            sb.append(ch);
            at += 4;
            break;
          }
        default:
          return null;
      }
      run = at;
    }
    return null;
  }

  /** Appends the unescaped bytes {@code from} to {@code to}, if they are well-formed UTF-8. */
  private boolean appendRun(StringBuilder sb, int from, int to) {
    if (from == to) {
      return true;
    }
    String s = new String(b, from, to - from, StandardCharsets.UTF_8);
    boolean wide = false;
    for (int i = from; i < to; i++) {
      wide |= b[i] < 0;
    }
    if (wide && !sameBytes(s, from, to)) {
      return false;
    }
    sb.append(s);
    return true;
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }
}
