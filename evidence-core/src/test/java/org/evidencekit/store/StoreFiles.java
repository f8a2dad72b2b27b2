package org.evidencekit.store;

import java.nio.file.Path;
import org.evidencekit.storage.ObjectKey;

/** Test access to where the filesystem store keeps an object's bytes, to tamper like an insider. */
public final class StoreFiles {
  private StoreFiles() {}

  public static Path content(FileSystemEvidenceStore store, ObjectKey key) {
    return store.objectDir(key).resolve("content");
  }
}
