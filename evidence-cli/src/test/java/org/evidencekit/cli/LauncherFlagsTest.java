package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The launcher's JVM flags (scripts/jvm-flags.sh, sourced by ./evidence and compare.sh): the Vector
 * API module whenever SM3 may be hashed (issue 12), never for SHA-256 seals and the version and
 * help screens (it costs start-up), never with EVIDENCE_NO_VECTOR=1.
 */
class LauncherFlagsTest {
  private static final Path SCRIPT = Path.of("..", "scripts", "jvm-flags.sh");
  private static final String VECTOR = "--add-modules jdk.incubator.vector";

  private static String flags(boolean noVector, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c"));
    cmd.add(". \"$0\"; evidence_jvm_flags \"$@\"; printf '%s' \"${EVIDENCE_JVM_FLAGS[*]}\"");
    cmd.add(SCRIPT.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("EVIDENCE_NO_VECTOR");
    if (noVector) {
      pb.environment().put("EVIDENCE_NO_VECTOR", "1");
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void theScriptIsThere() {
    assertEquals(true, Files.isRegularFile(SCRIPT), SCRIPT.toAbsolutePath().toString());
  }

  @Test
  void sm3MayBeHashed() throws Exception {
    assertEquals(VECTOR, flags(false, "seal", "a.mp4", "--suite", "sm3"));
    assertEquals(VECTOR, flags(false, "seal", "a.mp4", "--suite=sha256+sm3", "-q"));
    assertEquals(VECTOR, flags(false, "verify", "a.mp4"));
    assertEquals(VECTOR, flags(false, "ingest", "dir", "--store", "s"));
    assertEquals(VECTOR, flags(false, "demo"));
    assertEquals(VECTOR, flags(false, "report", "--store", "s", "-o", "r.html"));
  }

  @Test
  void noSm3NoModule() throws Exception {
    assertEquals("", flags(false, "seal", "a.mp4"));
    assertEquals("", flags(false, "seal", "a.mp4", "--suite", "sha256", "--json"));
    assertEquals("", flags(false, "--version"));
    assertEquals("", flags(false, "--help"));
    assertEquals("", flags(false));
  }

  @Test
  void turnedOffEverywhere() throws Exception {
    assertEquals("", flags(true, "seal", "a.mp4", "--suite", "sm3"));
    assertEquals("", flags(true, "ingest", "dir"));
  }
}
