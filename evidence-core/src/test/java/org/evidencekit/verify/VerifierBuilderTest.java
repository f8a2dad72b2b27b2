package org.evidencekit.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** A setting made twice fails at once, naming it, instead of silently keeping the last value. */
class VerifierBuilderTest {
  @Test
  void eachSettingOnce() {
    Executor direct = Runnable::run;
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> Verifier.builder().parallelism(2).parallelism(4));
    assertEquals("parallelism is already set on this Verifier.Builder", e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> Verifier.builder().executor(direct).executor(direct));
    assertEquals("executor is already set on this Verifier.Builder", e.getMessage());
    e =
        assertThrows(
            IllegalStateException.class,
            () -> Verifier.builder().progress(n -> {}).progress(n -> {}));
    assertEquals("progress is already set on this Verifier.Builder", e.getMessage());
    // one of each is fine
    Verifier.builder().parallelism(2).executor(direct).progress(n -> {}).build();
  }
}
