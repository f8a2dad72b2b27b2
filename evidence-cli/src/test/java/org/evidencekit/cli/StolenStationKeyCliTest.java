package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One station's key stolen: {@code revoked-key} lines in {@code --trust} (or {@code --crl}) files
 * withdraw trust from its unattested seals, and {@code --station-register} keeps it from sealing
 * for other stations' cameras, on {@code verify} and {@code ledger chain}. Bad lines
 * and bad registers are one-line errors, exit 2.
 */
class StolenStationKeyCliTest {
  @TempDir Path dir;

  private final SigningKeys.LocalSigningKey district3 =
      SigningKeys.generate(SignatureSuite.ED25519);
  private final SigningKeys.LocalSigningKey district5 =
      SigningKeys.generate(SignatureSuite.ED25519);

  /**
   * A recording of {@code device} and its seal beside it, signed by {@code key} without a token.
   */
  private Path recording(String name, String device, SigningKeys.LocalSigningKey key, Seal previous)
      throws IOException {
    Path rec = dir.resolve(name);
    byte[] b = new byte[20_000];
    new Random(name.hashCode()).nextBytes(b);
    Files.write(rec, b);
    RecordingMetadata.Builder m =
        RecordingMetadata.builder()
            .deviceId(device)
            .ingestTime(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    if (previous != null) {
      m.previousSealDigest(previous.digest().hex());
    }
    Seal s = SealSigner.sign(Sealer.create().seal(rec).withMetadata(m.build()), key, null);
    Files.write(seal(rec), s.toJson());
    return rec;
  }

  private static Path seal(Path rec) {
    return rec.resolveSibling(rec.getFileName() + ".seal.json");
  }

  private Path stations(String extra) throws IOException {
    Path f = dir.resolve("stations.pem");
    Files.writeString(f, district3.publicKeyPem() + district5.publicKeyPem() + extra);
    return f;
  }

  @Test
  void aRevokedBareKeysUnattestedSealIsInconclusive() throws IOException {
    Path rec = recording("D3-CAM7_001.mp4", "D3-CAM7", district3, null);
    CliTest.Run before = CliTest.run("verify", rec.toString(), "--trust", stations("").toString());
    assertEquals(0, before.code(), before.out() + before.err());

    String line = "revoked-key " + district3.keyId() + " 2026-01-01T00:00:00Z\n";
    CliTest.Run r = CliTest.run("verify", rec.toString(), "--trust", stations(line).toString());
    assertEquals(3, r.code(), r.out() + r.err());
    assertTrue(r.out().startsWith("INCONCLUSIVE "), r.out());
    String untrusted =
        r.out().lines().filter(l -> l.contains("SIGNER_UNTRUSTED")).findFirst().orElseThrow();
    assertTrue(untrusted.contains(district3.keyId()), untrusted);
    assertTrue(untrusted.contains("revoked at 2026-01-01T00:00:00Z"), untrusted);

    // the same line in a file of its own, given as --crl
    Path revoked = dir.resolve("revoked.txt");
    Files.writeString(revoked, line);
    CliTest.Run crl =
        CliTest.run(
            "verify",
            rec.toString(),
            "--trust",
            stations("").toString(),
            "--crl",
            revoked.toString());
    assertEquals(3, crl.code(), crl.out() + crl.err());

    Path bad = stations("revoked-key " + district3.keyId() + " yesterday\n");
    CliTest.Run malformed = CliTest.run("verify", rec.toString(), "--trust", bad.toString());
    assertOneLineError(malformed, bad + ", line ");
    assertTrue(malformed.err().contains("'yesterday' is not a UTC time"), malformed.err());
  }

  @Test
  void aStationSealingAnotherDistrictsCameraIsNotBound() throws IOException {
    Path first = recording("D3-CAM7_001.mp4", "D3-CAM7", district3, null);
    Seal firstSeal = Seal.parse(Files.readAllBytes(seal(first)));
    Path forged = recording("D3-CAM7_002.mp4", "D3-CAM7", district5, firstSeal);
    Path register = dir.resolve("register.json");
    Files.writeString(
        register,
        "{\"format\":\"evidencekit.station-register/1\",\"stations\":["
            + "{\"name\":\"district-3\",\"keyId\":\""
            + district3.keyId()
            + "\",\"devices\":[\"D3-*\"]},"
            + "{\"name\":\"district-5\",\"keyId\":\""
            + district5.keyId()
            + "\",\"devices\":[\"D5-*\"]}]}");
    String trust = stations("").toString();

    CliTest.Run without = CliTest.run("verify", forged.toString(), "--trust", trust);
    assertEquals(0, without.code(), "without a register: " + without.out() + without.err());

    String[] bound = {"--trust", trust, "--station-register", register.toString()};
    CliTest.Run r = CliTest.run(with(new String[] {"verify", forged.toString()}, bound));
    assertEquals(3, r.code(), r.out() + r.err());
    String line =
        r.out().lines().filter(l -> l.contains("DEVICE_NOT_BOUND")).findFirst().orElseThrow();
    assertTrue(line.contains("D3-CAM7") && line.contains("district-5"), line);
    assertTrue(line.contains(district5.keyId()), line);

    CliTest.Run own = CliTest.run(with(new String[] {"verify", first.toString()}, bound));
    assertEquals(0, own.code(), own.out() + own.err());

    String[] chain = {
      "ledger", "chain", "--device", "D3-CAM7", seal(first).toString(), seal(forged).toString()
    };
    CliTest.Run openChain = CliTest.run(with(chain, "--trust", trust));
    assertEquals(0, openChain.code(), "without a register: " + openChain.out() + openChain.err());
    CliTest.Run boundChain = CliTest.run(with(chain, bound));
    assertEquals(1, boundChain.code(), boundChain.out() + boundChain.err());
    assertTrue(boundChain.out().contains("CHAIN_UNTRUSTED_SEAL"), boundChain.out());
    assertTrue(boundChain.out().contains("DEVICE_NOT_BOUND"), boundChain.out());

    Files.writeString(register, "{\"format\":\"evidencekit.station-register/1\"}");
    assertOneLineError(
        CliTest.run(with(new String[] {"verify", first.toString()}, bound)),
        "missing required member 'stations'");
    assertOneLineError(
        CliTest.run("verify", first.toString(), "--station-register", register.toString()),
        "need --trust");
  }

  private static String[] with(String[] args, String... more) {
    String[] out = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, out, args.length, more.length);
    return out;
  }

  private static void assertOneLineError(CliTest.Run r, String containing) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    assertTrue(r.err().contains(containing), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace");
  }
}
