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

  /** Opens the store the URI names; the caller closes it. */
  EvidenceStore open(URI uri) throws IOException;
}
