package org.evidencekit.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
