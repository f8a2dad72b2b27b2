package org.evidencekit.storage;

import java.io.IOException;

/**
 * There is no store where one was asked to be opened (a folder that does not exist). Opening never
 * creates a store by accident: a mistyped path would otherwise start an empty archive that later
 * verifies as "nothing missing". Create one on purpose with {@link EvidenceStores#openOrCreate}.
 */
public class NoSuchStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  public NoSuchStoreException(String message) {
    super(message);
  }
}
