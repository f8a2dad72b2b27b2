package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JVM flags (scripts/jvm-flags.sh, sourced by ./evidence and compare.sh): the Vector
 * API module whenever SM3 may be hashed and for --version, never for SHA-256 seals, commands that
 * hash no SM3 and help screens (it costs start-up and prints a WARNING line on stderr), never with
 * EVIDENCE_NO_VECTOR=1; the serial collector unless the user chose one; the class-data archive only
 * while it is newer than the jar; the JIT flags that keep C2 off the JDK's Java SHA-256 body only
 * on a Java that takes them.
 */
class LauncherFlagsTest {
  private static final Path SCRIPT = Path.of("..", "scripts", "jvm-flags.sh");
  private static final String VECTOR = "--add-modules jdk.incubator.vector";
  private static final String JIT =
      "-XX:CompileCommand=quiet"
          + " -XX:CompileCommand=MaxNodeLimit,sun.security.provider.SHA2::implCompress0,1";

  @TempDir Path root;

  /** As evidence_prepare notes it: this Java has the Vector API module and takes the JIT flags. */
  @BeforeEach
  void javaHasTheVectorModuleAndC2() throws IOException {
    Files.createDirectories(root.resolve("evidence-cli/target"));
    Files.writeString(root.resolve("evidence-cli/target/jvm-vector"), "yes\n");
    Files.writeString(root.resolve("evidence-cli/target/jvm-jit"), "yes\n");
  }

  /**
   * The flags for {@code args}, with {@code env} added to a clean environment, under the launcher's
   * {@code set -euo pipefail}.
   */
  private String flags(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", "-c"));
    cmd.add(
        "set -euo pipefail; . \"$0\"; EVIDENCE_ROOT=\"$1\"; shift; evidence_jvm_flags \"$@\";"
            + " printf '%s' \"${EVIDENCE_JVM_FLAGS[*]}\"");
    cmd.add(SCRIPT.toString());
    cmd.add(root.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeAll(Set.of("EVIDENCE_NO_VECTOR", "JAVA_OPTS", "JDK_JAVA_OPTIONS"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private String flags(String... args) throws IOException, InterruptedException {
    return flags(Map.of(), args);
  }

  @Test
  void theScriptIsThere() {
    assertTrue(Files.isRegularFile(SCRIPT), SCRIPT.toAbsolutePath().toString());
  }

  @Test
  void sm3MayBeHashed() throws Exception {
    assertTrue(flags("seal", "a.mp4", "--suite", "sm3").endsWith(VECTOR));
    assertTrue(flags("seal", "a.mp4", "--suite=sha256+sm3", "-q").endsWith(VECTOR));
    for (String cmd :
        List.of(
            "ingest", "demo", "report", "spot-check", "encrypt", "decrypt", "--version", "-V")) {
      assertTrue(flags(cmd, "x").endsWith(VECTOR), cmd);
    }
    for (String sub : List.of("ingest", "spot-check", "check-bundle")) {
      assertTrue(flags("ledger", sub, "x").endsWith(VECTOR), sub);
    }
    // the plaintext of a decrypting export is verified segment by segment
    assertTrue(flags("export", "s", "k", "--decrypt-to", "p.mp4").endsWith(VECTOR));
    assertTrue(flags("ledger", "export", "s", "k", "--decrypt-to=p.mp4").endsWith(VECTOR));
  }

  @Test
  void noSm3NoModule() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"seal", "a.mp4"},
            new String[] {"seal", "a.mp4", "--suite", "sha256", "--json"},
            new String[] {"--help"},
            new String[] {"help", "ingest"},
            new String[] {"ingest", "--help"},
            new String[] {"seal", "-h", "--suite", "sm3"},
            new String[] {"ledger", "ingest", "-h"},
            new String[] {"probe", "a.mp4"},
            new String[] {"analyze", "dir"},
            new String[] {"keygen", "-o", "k"},
            new String[] {"sweep", "store"},
            new String[] {"retention", "plan"},
            new String[] {"record-sheet", "--store", "s"},
            new String[] {"ledger", "append", "store"},
            new String[] {"ledger"},
            new String[] {"kek-gen"},
            // a proof is made from the seal's leaves; a plain export hashes no content
            new String[] {
              "prove", "a.seal.json", "--range", "0:10", "-o", "p", "--algorithm", "sm3"
            },
            new String[] {"export", "store", "KEY", "--key", "k.pem", "-o", "b.json"},
            new String[] {"ledger", "export", "store", "KEY", "-o", "b.json"},
            new String[] {"nonsense"},
            new String[] {})) {
      assertFalse(flags(args).contains(VECTOR), String.join(" ", args));
    }
  }

  @Test
  void turnedOffEverywhere() throws Exception {
    Map<String, String> off = Map.of("EVIDENCE_NO_VECTOR", "1");
    assertFalse(flags(off, "seal", "a.mp4", "--suite", "sm3").contains(VECTOR));
    assertFalse(flags(off, "ingest", "dir").contains(VECTOR));
  }

  @Test
  void notOnAJavaWithoutTheModule() throws Exception {
    // a jlink image without jdk.incubator.vector would refuse to start with the flag
    Files.writeString(root.resolve("evidence-cli/target/jvm-vector"), "no\n");
    assertFalse(flags("seal", "a.mp4", "--suite", "sm3").contains(VECTOR));
    Files.delete(root.resolve("evidence-cli/target/jvm-vector"));
    assertFalse(flags("ingest", "dir").contains(VECTOR), "not known yet: left out");
  }

  @Test
  void serialCollectorUnlessTheUserChoseOne() throws Exception {
    assertTrue(flags("seal", "a").contains("-XX:+UseSerialGC"));
    assertFalse(flags(Map.of("JAVA_OPTS", "-XX:+UseG1GC"), "seal", "a").contains("SerialGC"));
    assertFalse(flags(Map.of("JDK_JAVA_OPTIONS", "-XX:+UseZGC"), "seal", "a").contains("SerialGC"));
  }

  @Test
  void classDataArchiveOnlyWhileNewerThanTheJar() throws Exception {
    Path target = root.resolve("evidence-cli/target");
    Path jar = Files.write(target.resolve("evidence.jar"), new byte[] {1});
    assertFalse(flags("seal", "a").contains("SharedArchiveFile"), "no archive");
    Path jsa = Files.write(target.resolve("evidence.jsa"), new byte[] {2});
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
    String fresh = flags("seal", "a");
    assertTrue(fresh.contains("-XX:SharedArchiveFile=" + jsa), fresh);
    assertTrue(fresh.contains("-Xlog:cds*=off"), "a rejected archive must not print on stdout");
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
    assertFalse(flags("seal", "a").contains("SharedArchiveFile"), "jar rebuilt since");
  }

  @Test
  void jitFlagsForEveryCommandOnAJavaThatTakesThem() throws Exception {
    for (String cmd : List.of("seal", "verify", "ingest", "--help")) {
      assertTrue(flags(cmd, "x").contains(JIT), cmd);
    }
    assertTrue(flags(Map.of("EVIDENCE_NO_VECTOR", "1"), "seal", "x").contains(JIT));
    Files.writeString(root.resolve("evidence-cli/target/jvm-jit"), "no\n");
    assertFalse(flags("seal", "x").contains("CompileCommand"), "a JVM without C2's option");
    Files.delete(root.resolve("evidence-cli/target/jvm-jit"));
    assertFalse(flags("seal", "x").contains("CompileCommand"), "not known yet: left out");
  }

  /** The flags really start this JVM without a word on stdout (a --json command's output). */
  @Test
  void theJitFlagsAreSilentOnThisJava() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java));
    cmd.addAll(List.of(JIT.split(" ")));
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    assertEquals("", out);
  }

  /** verify adds the module unless the seal it reads is known to be SHA-256 alone. */
  @Test
  void verifyOfASha256SealGoesWithoutTheModule() throws Exception {
    Path rec = Files.write(root.resolve("rec.mp4"), new byte[] {1});
    Path sha = Files.writeString(root.resolve("a.json"), "{\"leaves\":{},\"suite\":\"sha256\"}");
    Path dual = Files.writeString(root.resolve("b.json"), "{ \"suite\" : \"sha256+sm3\" }");
    Path sm3 = Files.writeString(root.resolve("c.json"), "{\"suite\":\"sm3\"}");
    Path junk = Files.writeString(root.resolve("d.json"), "not a seal");
    String r = rec.toString();
    assertFalse(flags("verify", r, sha.toString()).contains(VECTOR));
    assertFalse(flags("verify", "--json", r, sha.toString(), "-q").contains(VECTOR));
    assertTrue(flags("verify", r, dual.toString()).contains(VECTOR));
    assertTrue(flags("verify", r, sm3.toString(), "--json").contains(VECTOR));
    assertTrue(flags("verify", r, junk.toString()).contains(VECTOR), "not a seal: as usual");
    assertTrue(flags("verify", r).contains(VECTOR), "no seal next to it: as usual");
    Files.copy(sha, root.resolve("rec.mp4.seal.json"));
    assertFalse(flags("verify", r).contains(VECTOR), "the default seal is FILE.seal.json");
    assertFalse(flags("verify", r, "--range", "0:1").contains(VECTOR));
    assertTrue(flags("verify", r, sm3.toString()).contains(VECTOR), "a named seal wins");
  }
}
