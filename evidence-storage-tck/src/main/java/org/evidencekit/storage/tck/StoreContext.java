package org.evidencekit.storage.tck;

import java.nio.file.Path;

/**
 * What the conformance kit hands an adapter's factory: a clock to use (stores with {@link
 * org.evidencekit.storage.Capability#INJECTED_CLOCK}), a fresh empty directory and a unique id per
 * test (a bucket prefix, a database schema). Called twice with the same context, the factory must
 * open the same store again (for {@link org.evidencekit.storage.Capability#PERSISTENT} stores).
 */
public final class StoreContext {
  private final MutableClock clock;
  private final Path directory;
  private final String id;

  public StoreContext(MutableClock clock, Path directory, String id) {
    this.clock = clock;
    this.directory = directory;
    this.id = id;
  }

  public MutableClock clock() {
    return clock;
  }

  public Path directory() {
    return directory;
  }

  /** Unique per test, safe in object keys and bucket prefixes: {@code [a-z0-9-]+}. */
  public String id() {
    return id;
  }
}
