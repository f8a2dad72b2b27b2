package org.evidencekit.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the library (STYLE 1, 13): no package depends on itself through others, and only
 * evidence-core reaches into {@code org.evidencekit.internal}, which its module does not export.
 * Runs over every module's main classes (this module depends on all of them).
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.evidencekit");
  }

  /**
   * No cycle between capabilities. A public package and its own implementation package ({@code
   * trust} and {@code internal.trust}, {@code hash} and {@code internal.hash}) are one slice: the
   * API and the code behind it naturally know each other. Every other pair counts, so a cycle that
   * runs through an implementation package ({@code verify -> internal.trust -> verify}) is found.
   */
  @Test
  void capabilitiesHaveNoCycles() {
    slices()
        .assignedFrom(
            new SliceAssignment() {
              @Override
              public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!p.startsWith("org.evidencekit.")) {
                  return SliceIdentifier.ignore();
                }
                String rest = p.substring("org.evidencekit.".length());
                if (rest.startsWith("internal.")) {
                  rest = rest.substring("internal.".length());
                }
                return SliceIdentifier.of(rest);
              }

              @Override
              public String getDescription() {
                return "capabilities (a package with its internal.* implementation)";
              }
            })
        .should()
        .beFreeOfCycles()
        .check(classes);
  }

  @Test
  void onlyCoreUsesItsInternals() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.evidencekit.cli..",
            "org.evidencekit.ingest..",
            "org.evidencekit.video..",
            "org.evidencekit.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.evidencekit.internal..")
        .check(classes);
  }

  @Test
  void theCommandLineHoldsNoStoreOrLedgerWrites() {
    // the CLI parses and prints: ingest's protocol (conditional appends) lives in the library
    noClasses()
        .that()
        .resideInAPackage("org.evidencekit.cli..")
        .should()
        .callMethod(
            org.evidencekit.ledger.EvidenceLedger.class,
            "appendIf",
            org.evidencekit.ledger.LedgerEntry.class,
            java.util.function.Predicate.class)
        .check(classes);
  }
}
