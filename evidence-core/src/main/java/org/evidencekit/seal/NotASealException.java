package org.evidencekit.seal;

/**
 * The bytes given as a seal are not JSON at all (a recording, a key, text, nothing): a caller mixed
 * up its files rather than holding a damaged seal. The message says what the bytes look like.
 */
public final class NotASealException extends SealFormatException {
  private static final long serialVersionUID = 1L;

  public NotASealException(String message) {
    super(message);
  }
}
