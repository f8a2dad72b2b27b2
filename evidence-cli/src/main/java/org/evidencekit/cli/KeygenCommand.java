package org.evidencekit.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = {
      "Generate a seal-signing key: writes the private key (PKCS#8 PEM, mode 0600: readable by"
          + " its owner only) and KEY.pub.pem (mode 0644), the public key to give verifiers as a"
          + " trust anchor."
    },
    footer = {
      "",
      "Examples:",
      "  evidence keygen --suite sm2 -o station.pem",
      "  evidence seal rec.mp4 --key station.pem",
      "  evidence verify rec.mp4 --trust station.pub.pem"
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--suite",
      paramLabel = "SUITE",
      defaultValue = "ed25519",
      description =
          "ed25519, p256 (ECDSA P-256/SHA-256) or sm2 (SM2/SM3). Default: ${DEFAULT-VALUE}.")
  String suite;

  @Option(
      names = {"-o", "--output"},
      required = true,
      paramLabel = "KEY.pem",
      description = "Where to write the private key.")
  Path output;

  @Option(names = "--force", description = "Replace existing key files.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    SignatureSuite s;
    switch (suite) {
      case "ed25519":
        s = SignatureSuite.ED25519;
        break;
      case "p256":
      case "ecdsa-p256-sha256":
        s = SignatureSuite.ECDSA_P256_SHA256;
        break;
      case "sm2":
      case "sm2-sm3":
        s = SignatureSuite.SM2_SM3;
        break;
      default:
        throw new EvidenceCommand.UsageException(
            "unknown suite '" + suite + "': use ed25519, p256 or sm2");
    }
    String name = output.getFileName().toString();
    String base = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
    Path pub = output.resolveSibling(base + ".pub.pem");
    if (!force && (Files.exists(output) || Files.exists(pub))) {
      throw new EvidenceCommand.UsageException(
          (Files.exists(output) ? output : pub) + " already exists (use --force to replace it)");
    }
    SigningKeys.LocalSigningKey key = SigningKeys.generate(s);
    // the private key is its owner's alone; the public key is meant to be handed out
    Cli.writeAtomically(
        output, key.privateKeyPem().getBytes(StandardCharsets.US_ASCII), force, "rw-------");
    Cli.writeAtomically(
        pub, key.publicKeyPem().getBytes(StandardCharsets.US_ASCII), force, "rw-r--r--");
    var out = spec.commandLine().getOut();
    out.printf("%s key %s%n", s, key.keyId());
    out.printf("private key: %s (keep it secret; readable by you only)%n", output);
    out.printf("public key:  %s (give it to verifiers: --trust %s)%n", pub, pub);
    return EvidenceCommand.OK;
  }
}
