package org.evidencekit.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.EvidenceStoreProvider;

/**
 * Opens {@code file:} URIs as {@link FileSystemEvidenceStore}s. Found by {@link
 * java.util.ServiceLoader} (with the system UTC clock), or registered explicitly with a clock.
 */
public final class FileSystemEvidenceStoreProvider implements EvidenceStoreProvider {
  private final Clock clock;

  /** A provider using the system UTC clock (the form {@link java.util.ServiceLoader} needs). */
  public FileSystemEvidenceStoreProvider() {
    this(Clock.systemUTC());
  }

  public FileSystemEvidenceStoreProvider(Clock clock) {
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public String scheme() {
    return "file";
  }

  /**
   * Opens the store in the folder the URI names.
   *
   * @throws org.evidencekit.storage.NoSuchStoreException if the folder does not exist
   */
  @Override
  public EvidenceStore open(URI uri) throws IOException {
    return FileSystemEvidenceStore.open(path(uri), clock);
  }

  /** Opens the store in the folder the URI names, creating the folder if it does not exist. */
  @Override
  public EvidenceStore openOrCreate(URI uri) throws IOException {
    return FileSystemEvidenceStore.openOrCreate(path(uri), clock);
  }

  private static Path path(URI uri) {
    requireNonNull(uri, "uri");
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not a file: URI: " + uri);
    }
    return Path.of(uri);
  }
}
