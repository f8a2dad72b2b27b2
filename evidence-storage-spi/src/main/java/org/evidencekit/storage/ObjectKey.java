package org.evidencekit.storage;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The name of a stored object: {@code /}-separated segments such as {@code
 * recordings/DEVCAM7/2023-06-01/DEVCAM7_20230601_141000_001.mp4}. Validated on construction so that
 * every store can map it safely: 1 to 1024 UTF-8 bytes, segments of 1 to 200 UTF-8 bytes, no empty,
 * {@code .} or {@code ..} segment, no leading or trailing {@code /}, no backslash, no control
 * character, no unpaired surrogate.
 *
 * <p>Keys order by their UTF-8 bytes ({@link #ORDER}), which is the order {@link
 * EvidenceStore#list} returns and S3 lists in.
 */
public final class ObjectKey implements Comparable<ObjectKey> {
  /** Longest key in UTF-8 bytes. */
  public static final int MAX_BYTES = 1024;

  /** Longest segment in UTF-8 bytes (file systems allow 255 bytes a name; stores add suffixes). */
  public static final int MAX_SEGMENT_BYTES = 200;

  /** Ascending by UTF-8 bytes, unsigned. */
  public static final Comparator<ObjectKey> ORDER = ObjectKey::compareTo;

  private final String value;
  private final byte[] utf8;

  private ObjectKey(String value, byte[] utf8) {
    this.value = value;
    this.utf8 = utf8;
  }

  /**
   * Validates and wraps a key.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static ObjectKey of(String key) {
    requireNonNull(key, "key");
    String problem = problem(key);
    if (problem != null) {
      throw new IllegalArgumentException("invalid object key '" + printable(key) + "': " + problem);
    }
    return new ObjectKey(key, key.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code key} is a valid object key. */
  public static boolean isValid(String key) {
    return key != null && problem(key) == null;
  }

  private static String problem(String key) {
    if (key.isEmpty()) {
      return "empty";
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        return "control character at index " + i;
      }
      if (c == '\\') {
        return "backslash at index " + i;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
          return "unpaired surrogate at index " + i;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return "unpaired surrogate at index " + i;
      }
    }
    if (key.startsWith("/") || key.endsWith("/")) {
      return "leading or trailing '/'";
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      return bytes + " UTF-8 bytes, at most " + MAX_BYTES;
    }
    for (String segment : key.split("/", -1)) {
      if (segment.isEmpty()) {
        return "empty segment ('//')";
      }
      if (segment.equals(".") || segment.equals("..")) {
        return "'" + segment + "' segment";
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
        return "a segment longer than " + MAX_SEGMENT_BYTES + " UTF-8 bytes";
      }
    }
    return null;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && sb.length() < 80; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return s.length() > 80 ? sb + "..." : sb.toString();
  }

  /** The key as a string. */
  public String value() {
    return value;
  }

  /** Whether this key starts with {@code prefix} (a plain string prefix, not a folder). */
  public boolean startsWith(String prefix) {
    return value.startsWith(prefix);
  }

  /** A key under this one: {@code this + "/" + child}. */
  public ObjectKey resolve(String child) {
    return of(value + "/" + child);
  }

  @Override
  public int compareTo(ObjectKey o) {
    return Arrays.compareUnsigned(utf8, o.utf8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectKey && value.equals(((ObjectKey) o).value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return value;
  }
}
