package org.evidencekit.video;

import java.io.IOException;

/**
 * The bytes are not a media file this library reads, or are damaged or hostile beyond what a
 * timeline can be built from: random bytes, impossible box sizes, entry counts larger than the
 * bytes that hold them, nesting too deep, limits exceeded. The message says which box and why.
 */
public final class MediaFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public MediaFormatException(String message) {
    super(message);
  }
}
