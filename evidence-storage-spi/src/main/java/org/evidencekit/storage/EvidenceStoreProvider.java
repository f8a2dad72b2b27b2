package org.evidencekit.storage;

import java.io.IOException;
import java.net.URI;

/**
 * Opens stores of one URI scheme ({@code file}, {@code s3}, …). Registered explicitly with {@link
 * EvidenceStores.Builder#register}, or found through {@link java.util.ServiceLoader} when asked for
 * with an explicit class loader.
 */
public interface EvidenceStoreProvider {
  /** The URI scheme this provider opens, lowercase. */
  String scheme();

  /**
   * Opens the existing store the URI names; the caller closes it.
   *
   * @throws NoSuchStoreException if there is no store there (never creates one)
   */
  EvidenceStore open(URI uri) throws IOException;

  /**
   * Opens the store the URI names, first creating it if this provider can and it does not exist.
   * The default only opens: for stores made by an administrator (an S3 bucket with Object Lock) a
   * library should not create them.
   */
  default EvidenceStore openOrCreate(URI uri) throws IOException {
    return open(uri);
  }
}
