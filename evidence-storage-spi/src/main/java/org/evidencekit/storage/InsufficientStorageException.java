package org.evidencekit.storage;

/** The storage is full; nothing of the failed write remains. */
public final class InsufficientStorageException extends StoreUnavailableException {
  private static final long serialVersionUID = 1L;

  public InsufficientStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
