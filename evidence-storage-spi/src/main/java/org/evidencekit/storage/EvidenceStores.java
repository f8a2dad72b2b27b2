package org.evidencekit.storage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * A registry of store providers by URI scheme. Nothing is global: build one, register providers
 * explicitly, and opt in to {@link ServiceLoader} discovery with an explicit class loader.
 *
 * <pre>{@code
 * EvidenceStores stores = EvidenceStores.builder()
 *     .register(new FileSystemEvidenceStoreProvider(Clock.systemUTC()))
 *     .build();
 * try (EvidenceStore store = stores.open(URI.create("file:///srv/evidence"))) { ... }
 * }</pre>
 *
 * <p>{@link #open} refuses a store that does not exist; the first use of an archive says so with
 * {@link #openOrCreate}.
 */
public final class EvidenceStores {
  private final Map<String, EvidenceStoreProvider> providers;

  private EvidenceStores(Map<String, EvidenceStoreProvider> providers) {
    this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The schemes that can be opened. */
  public Set<String> schemes() {
    return providers.keySet();
  }

  /**
   * Opens an existing store.
   *
   * @throws NoSuchStoreException if there is no store at {@code uri}
   * @throws IllegalArgumentException if no provider handles the URI's scheme
   */
  public EvidenceStore open(URI uri) throws IOException {
    return provider(uri).open(uri);
  }

  /**
   * Opens a store, creating it first where its provider can (a {@code file:} folder); a provider
   * that cannot create stores opens an existing one as {@link #open} does.
   *
   * @throws IllegalArgumentException if no provider handles the URI's scheme
   */
  public EvidenceStore openOrCreate(URI uri) throws IOException {
    return provider(uri).openOrCreate(uri);
  }

  private EvidenceStoreProvider provider(URI uri) {
    requireNonNull(uri, "uri");
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    EvidenceStoreProvider p = providers.get(scheme);
    if (p == null) {
      throw new IllegalArgumentException(
          "no store provider for scheme '" + scheme + "' (have: " + providers.keySet() + ")");
    }
    return p;
  }

  /** Collects providers; a scheme may be registered once. */
  public static final class Builder {
    private final Map<String, EvidenceStoreProvider> providers = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Registers a provider.
     *
     * @throws IllegalStateException if its scheme is already registered
     */
    public Builder register(EvidenceStoreProvider provider) {
      requireNonNull(provider, "provider");
      String scheme = provider.scheme().toLowerCase(Locale.ROOT);
      if (providers.putIfAbsent(scheme, provider) != null) {
        throw new IllegalStateException("scheme '" + scheme + "' is already registered");
      }
      return this;
    }

    /**
     * Adds every provider {@link ServiceLoader} finds through {@code loader} whose scheme is not
     * registered yet (explicit registrations win).
     */
    public Builder discover(ClassLoader loader) {
      requireNonNull(loader, "loader");
      for (EvidenceStoreProvider p : ServiceLoader.load(EvidenceStoreProvider.class, loader)) {
        providers.putIfAbsent(p.scheme().toLowerCase(Locale.ROOT), p);
      }
      return this;
    }

    public EvidenceStores build() {
      return new EvidenceStores(providers);
    }
  }
}
