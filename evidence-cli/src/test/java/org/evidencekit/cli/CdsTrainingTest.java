package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive's training run does its whole job (a failing step would exit non-zero and
 * the launcher would keep no archive): the seal it leaves covers its training file in both suites.
 */
class CdsTrainingTest {
  @TempDir Path dir;

  @Test
  void sealsAndVerifiesItsTrainingFile() throws Exception {
    CdsTraining.main(new String[] {dir.toString()});
    Seal seal = Seal.read(dir.resolve("training.seal.json"));
    assertEquals(2_500_000, seal.length());
    assertEquals(3, seal.segmentCount());
    assertEquals(SealSuite.SHA256_SM3, seal.suite());
  }
}
