package org.evidencekit.internal.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes RFC 8785 (JCS) canonical JSON for the subset our stored formats use: objects, arrays,
 * strings, integers within +/-2^53 and booleans. Object members are sorted by UTF-16 code units
 * (which is {@link String#compareTo}), there is no whitespace, and strings use the minimal escaping
 * of ECMAScript's {@code JSON.stringify}. Floating-point numbers are refused rather than
 * approximated.
 */
public final class CanonicalJson {
  /** Largest integer JCS represents exactly (2^53 - 1). */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private CanonicalJson() {}

  public static byte[] encode(Object value) {
    StringBuilder sb = new StringBuilder(256);
    write(sb, value);
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(StringBuilder sb, Object value) {
    if (value == null) {
      sb.append("null");
    } else if (value instanceof String) {
      writeString(sb, (String) value);
    } else if (value instanceof Boolean) {
      sb.append(((Boolean) value) ? "true" : "false");
    } else if (value instanceof Long || value instanceof Integer) {
      long v = ((Number) value).longValue();
      if (v > MAX_SAFE_INTEGER || v < -MAX_SAFE_INTEGER) {
        throw new IllegalArgumentException("integer outside the JCS exact range: " + v);
      }
      sb.append(v);
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      List<String> keys = new ArrayList<>(map.size());
      for (Object k : map.keySet()) {
        keys.add((String) k);
      }
      keys.sort(null);
      sb.append('{');
      boolean first = true;
      for (String k : keys) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        writeString(sb, k);
        sb.append(':');
        write(sb, map.get(k));
      }
      sb.append('}');
    } else if (value instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object e : (List<?>) value) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, e);
      }
      sb.append(']');
    } else {
      throw new IllegalArgumentException("not a canonical JSON value: " + value.getClass());
    }
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    int plain = plainPrefix(s);
    if (plain == s.length()) {
      // the common case (hex digests, names): one bulk append; a seal's thousands of leaf hashes
      // are written before the JIT has compiled this method, where a per-char loop costs ms
      sb.append(s).append('"');
      return;
    }
    sb.append(s, 0, plain);
    for (int i = plain; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          sb.append(c).append(s.charAt(++i));
          continue;
        }
        throw new IllegalArgumentException("lone surrogate in string: not I-JSON (RFC 7493)");
      }
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /** Length of the leading run of characters written as they are (no escape, no surrogate). */
  private static int plainPrefix(String s) {
    int i = 0;
    for (int n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
        break;
      }
    }
    return i;
  }
}
