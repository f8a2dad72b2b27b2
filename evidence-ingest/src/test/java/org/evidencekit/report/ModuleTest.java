package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * evidence-ingest exports the station and the documents, nothing else; the report's renderers'
 * helpers (labels, ticks, durations, XHTML writing) stay package-private.
 */
class ModuleTest {
  @Test
  void exportsTheStationAndTheDocumentsOnly() throws Exception {
    Path classes =
        Path.of(SupervisorReport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertEquals("org.evidencekit.ingest", d.name());
      assertEquals(
          Set.of("org.evidencekit.ingest", "org.evidencekit.report"),
          d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    }
    for (Class<?> c : Set.of(Labels.class, TimeAxis.class, HumanDurations.class, Xhtml.class)) {
      assertFalse(Modifier.isPublic(c.getModifiers()), c + " is not API");
    }
  }
}
