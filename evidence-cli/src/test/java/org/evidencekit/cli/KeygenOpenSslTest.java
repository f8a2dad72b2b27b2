package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys that {@code evidence keygen} writes are loaded by OpenSSL, an implementation we did not
 * write.
 */
class KeygenOpenSslTest {
  @TempDir Path dir;

  private String openssl(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "openssl";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "openssl is not on the PATH");
      throw e;
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assumeTrue(p.waitFor(60, TimeUnit.SECONDS), "openssl hung");
    assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + ":\n" + out);
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "p256", "sm2"})
  void openSslLoadsThePrivateKeyAndDerivesTheSamePublicKey(String suite) throws Exception {
    Path key = dir.resolve("k.pem");
    CliTest.Run r = run("keygen", "--suite", suite, "-o", key.toString());
    assertEquals(0, r.code(), r.err());
    String derived = openssl("pkey", "-in", "k.pem", "-pubout");
    assertEquals(Files.readString(dir.resolve("k.pub.pem")).trim(), derived.trim());
  }
}
