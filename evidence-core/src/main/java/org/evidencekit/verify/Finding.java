package org.evidencekit.verify;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.evidencekit.seal.ByteRange;

/** One coded observation of a verification, with the byte range it concerns where there is one. */
public final class Finding {
  private final String code;
  private final String message;
  private final ByteRange range;

  private Finding(String code, String message, ByteRange range) {
    this.code = requireNonNull(code, "code");
    this.message = requireNonNull(message, "message");
    this.range = range;
  }

  public static Finding of(String code, String message) {
    return new Finding(code, message, null);
  }

  public static Finding of(String code, String message, ByteRange range) {
    return new Finding(code, message, requireNonNull(range, "range"));
  }

  /** A stable code from {@link FindingCode}. */
  public String code() {
    return code;
  }

  /** One sentence for people, with the numbers. */
  public String message() {
    return message;
  }

  public Optional<ByteRange> range() {
    return Optional.ofNullable(range);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Finding)) {
      return false;
    }
    Finding f = (Finding) o;
    return code.equals(f.code)
        && message.equals(f.message)
        && java.util.Objects.equals(range, f.range);
  }

  @Override
  public int hashCode() {
    return code.hashCode() * 31 + message.hashCode();
  }

  @Override
  public String toString() {
    return code + ": " + message;
  }
}
