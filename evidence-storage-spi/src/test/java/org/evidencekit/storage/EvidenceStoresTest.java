package org.evidencekit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceStoresTest {
  static EvidenceStore dummy() {
    return (EvidenceStore)
        Proxy.newProxyInstance(
            EvidenceStoresTest.class.getClassLoader(),
            new Class<?>[] {EvidenceStore.class},
            (p, m, a) -> {
              throw new UnsupportedOperationException(m.getName());
            });
  }

  /** A provider found by the ServiceLoader test. */
  public static final class MemProvider implements EvidenceStoreProvider {
    static final EvidenceStore STORE = dummy();

    @Override
    public String scheme() {
      return "mem";
    }

    @Override
    public EvidenceStore open(URI uri) {
      return STORE;
    }
  }

  @Test
  void explicitRegistrationOpensByScheme() throws IOException {
    EvidenceStores stores = EvidenceStores.builder().register(new MemProvider()).build();
    assertSame(MemProvider.STORE, stores.open(URI.create("MEM://x")));
    assertEquals(java.util.Set.of("mem"), stores.schemes());
  }

  @Test
  void aProviderThatCannotCreateStoresOpensForOpenOrCreate() throws IOException {
    EvidenceStores stores = EvidenceStores.builder().register(new MemProvider()).build();
    assertSame(MemProvider.STORE, stores.openOrCreate(URI.create("mem://x")));
    assertThrows(IllegalArgumentException.class, () -> stores.openOrCreate(URI.create("s3://b")));
  }

  @Test
  void anUnknownSchemeIsAClearError() {
    EvidenceStores stores = EvidenceStores.builder().register(new MemProvider()).build();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> stores.open(URI.create("s3://b/p")));
    assertTrue(e.getMessage().contains("s3") && e.getMessage().contains("mem"), e.getMessage());
  }

  @Test
  void aSchemeRegistersOnce() {
    EvidenceStores.Builder b = EvidenceStores.builder().register(new MemProvider());
    assertThrows(IllegalStateException.class, () -> b.register(new MemProvider()));
  }

  @Test
  void nothingIsDiscoveredUnlessAsked() {
    assertTrue(EvidenceStores.builder().build().schemes().isEmpty());
  }

  @Test
  void serviceLoaderDiscoveryUsesTheGivenClassLoader(@TempDir Path dir) throws Exception {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(EvidenceStoreProvider.class.getName()),
        MemProvider.class.getName() + "\n",
        StandardCharsets.UTF_8);
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      EvidenceStores stores = EvidenceStores.builder().discover(loader).build();
      assertEquals(java.util.Set.of("mem"), stores.schemes());
    }
  }
}
