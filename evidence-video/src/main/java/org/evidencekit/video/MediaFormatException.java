package org.evidencekit.video;

import java.io.IOException;

/**
 * The bytes are not a media file this library reads (random bytes, an unknown first box, an audio
 * header cut short), or exceed what a probe reads at all (a top-level box flood, a movie box over
 * {@link ParseLimits#maxIndexBytes}). The message says which box and why. A media file whose index
 * is damaged is not refused: its timeline is {@link RecordingTimeline#truncated()} with an {@code
 * INDEX_DAMAGED} finding. Inside the probe the same exception marks the box that could not be read.
 */
public final class MediaFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  public MediaFormatException(String message) {
    super(message);
  }
}
