package org.evidencekit.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.EvidenceStores;

/**
 * How an executor opens the archive's store. It travels to the executors serialized, so it holds no
 * open store and no secret it should not carry: credentials come from the executor's own
 * environment (for S3, the standard AWS chain: environment variables, instance or pod roles).
 */
@FunctionalInterface
public interface StoreOpener extends Serializable {
  /** Opens the store; the caller closes it. */
  EvidenceStore open() throws IOException;

  /**
   * Opens {@code uri} with the store providers found by {@link java.util.ServiceLoader} in the
   * executor's context class loader (the job's jars): {@code file:} from evidence-core, {@code s3:}
   * from evidence-storage-s3. A store that does not exist is refused ({@link
   * org.evidencekit.storage.NoSuchStoreException}), never created: a job reads an archive.
   */
  static StoreOpener uri(URI uri) {
    requireNonNull(uri, "uri");
    if (uri.getScheme() == null) {
      throw new IllegalArgumentException("store URI has no scheme: " + uri);
    }
    return () -> {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader == null) {
        loader = StoreOpener.class.getClassLoader();
      }
      return EvidenceStores.builder().discover(loader).build().open(uri);
    };
  }
}
