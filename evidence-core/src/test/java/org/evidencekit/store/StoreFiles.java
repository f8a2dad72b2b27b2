package org.evidencekit.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.evidencekit.storage.ObjectKey;

/** Test access to where the filesystem store keeps an object's bytes, to tamper like an insider. */
public final class StoreFiles {
  private StoreFiles() {}

  public static Path content(FileSystemEvidenceStore store, ObjectKey key) {
    return store.objectDir(key).resolve("content");
  }

  /**
   * Removes an object's folder behind the store's back, as an insider with access to the disk can
   * whatever the object's retention (the store's API refuses to delete a retained object).
   */
  public static void removeBehindTheStore(FileSystemEvidenceStore store, ObjectKey key) {
    Path dir = store.objectDir(key);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no object folder for " + key);
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  p.toFile().setWritable(true);
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
