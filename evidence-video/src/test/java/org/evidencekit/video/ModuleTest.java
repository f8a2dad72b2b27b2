package org.evidencekit.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports exactly its API package; the box reader stays package-private. */
class ModuleTest {
  @Test
  void exportsOnlyTheApiPackage() throws Exception {
    Path classes =
        Path.of(MediaProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertEquals("org.evidencekit.video", d.name());
      assertEquals(
          Set.of("org.evidencekit.video"),
          d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    }
  }
}
