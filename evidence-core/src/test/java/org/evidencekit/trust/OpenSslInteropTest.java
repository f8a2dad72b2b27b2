package org.evidencekit.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSL, an independent implementation, checks our signatures over the canonical payload, and
 * keys and certificates OpenSSL made work here. This is how a stranger verifies a seal.
 */
class OpenSslInteropTest {
  @TempDir Path dir;

  @BeforeAll
  static void openssl() {
    OpenSsl.assumeAvailable();
  }

  static Seal seal() throws IOException {
    try (SealingChannel ch =
        Sealer.builder().suite(SealSuite.SHA256_SM3).build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(new byte[5000]));
      // ingested now: the certificates OpenSSL makes below are valid from now on, and without
      // a timestamp the signer's chain is checked at the seal's ingest time
      return ch.finish()
          .withMetadata(
              RecordingMetadata.builder()
                  .deviceId("DEVCAM7")
                  .ingestTime(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                  .build());
    }
  }

  /** Writes the signed bytes and signature, and has OpenSSL verify them with the public key. */
  private void assertOpenSslVerifies(Seal signed, String pubPem) throws IOException {
    Files.write(dir.resolve("payload.json"), signed.signedPayload());
    Files.write(dir.resolve("sig.bin"), signed.signature().orElseThrow().value());
    Files.writeString(dir.resolve("pub.pem"), pubPem);
    String suite = signed.signature().orElseThrow().suite();
    String out;
    if (suite.equals("ed25519")) {
      out =
          OpenSsl.ok(
              dir,
              "pkeyutl",
              "-verify",
              "-pubin",
              "-inkey",
              "pub.pem",
              "-rawin",
              "-in",
              "payload.json",
              "-sigfile",
              "sig.bin");
    } else if (suite.equals("ecdsa-p256-sha256")) {
      out =
          OpenSsl.ok(
              dir,
              "dgst",
              "-sha256",
              "-verify",
              "pub.pem",
              "-signature",
              "sig.bin",
              "payload.json");
    } else {
      out =
          OpenSsl.ok(
              dir,
              "pkeyutl",
              "-verify",
              "-pubin",
              "-inkey",
              "pub.pem",
              "-rawin",
              "-in",
              "payload.json",
              "-sigfile",
              "sig.bin",
              "-digest",
              "sm3",
              "-pkeyopt",
              "distid:" + SignatureSuite.SM2_DEFAULT_USER_ID);
    }
    assertTrue(out.contains("Verified"), out);
    // and a flipped payload byte fails in OpenSSL too
    byte[] p = signed.signedPayload();
    p[p.length / 2] ^= 1;
    Files.write(dir.resolve("payload.json"), p);
    OpenSsl.Result bad =
        suite.equals("ecdsa-p256-sha256")
            ? OpenSsl.run(
                dir,
                "dgst",
                "-sha256",
                "-verify",
                "pub.pem",
                "-signature",
                "sig.bin",
                "payload.json")
            : OpenSsl.run(
                dir,
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                "pub.pem",
                "-rawin",
                "-in",
                "payload.json",
                "-sigfile",
                "sig.bin",
                "-digest",
                suite.equals("sm2-sm3") ? "sm3" : "sha512",
                "-pkeyopt",
                "distid:" + SignatureSuite.SM2_DEFAULT_USER_ID);
    assertTrue(bad.exit != 0 || !bad.output.contains("Verified Successfully"), bad.output);
  }

  @Test
  void openSslVerifiesOurEd25519EcdsaAndSm2Signatures() throws IOException {
    for (SignatureSuite s : SignatureSuite.all()) {
      SigningKeys.LocalSigningKey key = SigningKeys.generate(s);
      assertOpenSslVerifies(SealSigner.sign(seal(), key, null), key.publicKeyPem());
    }
  }

  @Test
  void keysMadeByOpenSslSignSealsOpenSslVerifies() throws IOException {
    String[][] gens = {
      {"ed25519", "genpkey", "-algorithm", "ed25519", "-out", "k.pem"},
      {
        "ecdsa-p256-sha256",
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        "k.pem"
      },
      {"ecdsa-p256-sha256", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem"},
      {"sm2-sm3", "genpkey", "-algorithm", "SM2", "-out", "k.pem"},
    };
    for (String[] g : gens) {
      OpenSsl.ok(dir, java.util.Arrays.copyOfRange(g, 1, g.length));
      OpenSsl.ok(dir, "pkey", "-in", "k.pem", "-pubout", "-out", "k.pub.pem");
      SigningKeys.LocalSigningKey key = SigningKeys.readPem(dir.resolve("k.pem"), null);
      assertEquals(g[0], key.suite().name(), String.join(" ", g));
      Seal signed = SealSigner.sign(seal(), key, null);
      assertOpenSslVerifies(signed, Files.readString(dir.resolve("k.pub.pem")));
      // and OpenSSL's public key PEM is a trust anchor here
      TrustPolicy p =
          TrustPolicy.builder()
              .signers(TrustAnchors.fromPem(List.of(dir.resolve("k.pub.pem"))))
              .build();
      VerificationReport r = Verifier.builder().trust(p).build().verifySeal(signed);
      assertTrue(r.has(FindingCode.SIGNATURE_VERIFIED), r.toString());
    }
  }

  @Test
  void aSignerCertifiedByATrustedCaIsTrustedAndOthersAreNot() throws IOException {
    OpenSsl.makeCa(dir, "bureau-ca");
    OpenSsl.ok(
        dir,
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-out",
        "station.key");
    OpenSsl.issue(
        dir,
        "bureau-ca",
        "station.key",
        "station.crt",
        "ingest-station-1",
        "keyUsage=critical,digitalSignature");
    SigningKeys.LocalSigningKey key =
        SigningKeys.readPem(dir.resolve("station.key"), dir.resolve("station.crt"));
    Seal signed = SealSigner.sign(seal(), key, null);
    assertEquals(1, Seal.parse(signed.toJson()).signature().orElseThrow().certificatesDer().size());

    TrustPolicy byCa =
        TrustPolicy.builder()
            .signers(TrustAnchors.fromPem(List.of(dir.resolve("bureau-ca.crt"))))
            .build();
    assertTrue(
        Verifier.builder()
            .trust(byCa)
            .build()
            .verifySeal(Seal.parse(signed.toJson()))
            .has(FindingCode.SIGNATURE_VERIFIED),
        "trusted through the CA");

    OpenSsl.makeCa(dir, "other-ca");
    TrustPolicy byOther =
        TrustPolicy.builder()
            .signers(TrustAnchors.fromPem(List.of(dir.resolve("other-ca.crt"))))
            .build();
    assertTrue(
        Verifier.builder()
            .trust(byOther)
            .build()
            .verifySeal(signed)
            .has(FindingCode.SIGNER_UNTRUSTED));
  }

  @Test
  void anSm2SignerCertifiedByACaWorks() throws IOException {
    OpenSsl.makeCa(dir, "gm-ca");
    OpenSsl.ok(dir, "genpkey", "-algorithm", "SM2", "-out", "sm2.key");
    OpenSsl.issue(
        dir, "gm-ca", "sm2.key", "sm2.crt", "sm2-station", "keyUsage=critical,digitalSignature");
    SigningKeys.LocalSigningKey key =
        SigningKeys.readPem(dir.resolve("sm2.key"), dir.resolve("sm2.crt"));
    assertEquals(SignatureSuite.SM2_SM3, key.suite());
    Seal signed = SealSigner.sign(seal(), key, null);
    TrustPolicy byCa =
        TrustPolicy.builder()
            .signers(TrustAnchors.fromPem(List.of(dir.resolve("gm-ca.crt"))))
            .build();
    assertTrue(
        Verifier.builder()
            .trust(byCa)
            .build()
            .verifySeal(signed)
            .has(FindingCode.SIGNATURE_VERIFIED),
        "trusted through the CA");
  }

  @Test
  void pkcs12KeystoresFromOpenSslLoad() throws IOException {
    OpenSsl.makeCa(dir, "p12-ca");
    OpenSsl.ok(
        dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "p.key");
    OpenSsl.issue(
        dir, "p12-ca", "p.key", "p.crt", "p12-signer", "keyUsage=critical,digitalSignature");
    OpenSsl.ok(
        dir,
        "pkcs12",
        "-export",
        "-inkey",
        "p.key",
        "-in",
        "p.crt",
        "-certfile",
        "p12-ca.crt",
        "-out",
        "k.p12",
        "-passout",
        "pass:secret");
    SigningKeys.LocalSigningKey key =
        SigningKeys.readPkcs12(dir.resolve("k.p12"), "secret".toCharArray());
    assertEquals(SignatureSuite.ECDSA_P256_SHA256, key.suite());
    assertTrue(key.certificateChainDer().size() >= 1);
    Seal signed = SealSigner.sign(seal(), key, null);
    TrustPolicy byCa =
        TrustPolicy.builder()
            .signers(TrustAnchors.fromPem(List.of(dir.resolve("p12-ca.crt"))))
            .build();
    assertTrue(
        Verifier.builder()
            .trust(byCa)
            .build()
            .verifySeal(signed)
            .has(FindingCode.SIGNATURE_VERIFIED),
        "trusted through the CA");
    org.junit.jupiter.api.Assertions.assertThrows(
        KeyFormatException.class,
        () -> SigningKeys.readPkcs12(dir.resolve("k.p12"), "wrong".toCharArray()));
  }
}
