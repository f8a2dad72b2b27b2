package org.evidencekit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The public surface is exactly the API packages; internals stay unexported. */
class ModuleTest {
  @Test
  void exportsOnlyTheApiPackages() throws Exception {
    java.nio.file.Path classes =
        java.nio.file.Path.of(
            org.evidencekit.seal.Seal.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    try (InputStream in =
        java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertEquals("org.evidencekit.core", d.name());
      Set<String> exported = new TreeSet<>();
      for (ModuleDescriptor.Exports e : d.exports()) {
        assertEquals(Set.of(), e.targets(), "no qualified exports");
        exported.add(e.source());
      }
      assertEquals(
          Set.of(
              "org.evidencekit.continuity",
              "org.evidencekit.crypt",
              "org.evidencekit.hash",
              "org.evidencekit.ledger",
              "org.evidencekit.merkle",
              "org.evidencekit.seal",
              "org.evidencekit.retention",
              "org.evidencekit.store",
              "org.evidencekit.trust",
              "org.evidencekit.verify"),
          exported);
    }
  }
}
