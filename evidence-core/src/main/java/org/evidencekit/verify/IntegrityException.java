package org.evidencekit.verify;

import java.io.IOException;
import org.evidencekit.seal.ByteRange;
import org.jspecify.annotations.Nullable;

/**
 * Thrown by a verifying channel when content fails its seal, or the seal fails itself. No byte of
 * the failing segment has been released, and the channel stays failed.
 */
public final class IntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final transient @Nullable ByteRange range;

  IntegrityException(String code, String message, @Nullable ByteRange range) {
    super(message);
    this.code = code;
    this.range = range;
  }

  /** A code from {@link FindingCode}. */
  public String code() {
    return code;
  }

  /** The bytes that failed, where the failure concerns bytes. */
  public java.util.Optional<ByteRange> range() {
    return java.util.Optional.ofNullable(range);
  }
}
