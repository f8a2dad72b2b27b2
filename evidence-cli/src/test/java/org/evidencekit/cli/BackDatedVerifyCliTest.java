package org.evidencekit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Sealer;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TimestampAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evidence verify} of a seal that claims an ingest four months ago and was timestamped
 * today: {@code TIMESTAMP_DELAYED}, exit 3; {@code --max-timestamp-delay} sets the
 * bound, and is refused without a trusted timestamp or with a value that is no age.
 */
class BackDatedVerifyCliTest {
  @TempDir Path dir;

  @Test
  void aBackDatedSealIsInconclusiveAndTheBoundCanBeSet() throws Exception {
    Path rec = dir.resolve("DEVCAM7_20260801_101500_001.mp4");
    byte[] b = new byte[70_000];
    new Random(7).nextBytes(b);
    Files.write(rec, b);
    SigningKeys.LocalSigningKey station = SigningKeys.generate(SignatureSuite.ED25519);
    Tsa tsa = new Tsa();
    Instant claimed = Instant.now().minus(Duration.ofDays(120)).truncatedTo(ChronoUnit.SECONDS);
    Files.write(
        dir.resolve(rec.getFileName() + ".seal.json"),
        SealSigner.sign(
                Sealer.create()
                    .seal(rec)
                    .withMetadata(
                        RecordingMetadata.builder()
                            .deviceId("DEVCAM7")
                            .ingestTime(claimed)
                            .build()),
                station,
                tsa)
            .toJson());
    Path stationPem = dir.resolve("station.pub.pem");
    Files.writeString(stationPem, station.publicKeyPem());
    Path tsaPem = dir.resolve("tsa.pub.pem");
    Files.writeString(tsaPem, pem(tsa.keys.getPublic().getEncoded()));
    String[] trusted = {
      "verify", rec.toString(), "--trust", stationPem.toString(), "--tsa-trust", tsaPem.toString()
    };

    CliTest.Run byDefault = CliTest.run(trusted);
    assertEquals(3, byDefault.code(), byDefault.out() + byDefault.err());
    assertTrue(byDefault.out().startsWith("INCONCLUSIVE "), byDefault.out());
    String delayed =
        byDefault
            .out()
            .lines()
            .filter(l -> l.contains("TIMESTAMP_DELAYED"))
            .findFirst()
            .orElseThrow();
    assertTrue(delayed.contains(claimed.toString()), delayed);
    assertTrue(delayed.contains("the policy allows 6 h"), delayed);
    assertTrue(byDefault.out().contains("SIGNATURE_VERIFIED"), byDefault.out());
    assertTrue(byDefault.out().contains("TIMESTAMP_VERIFIED"), byDefault.out());

    CliTest.Run wider = CliTest.run(with(trusted, "--max-timestamp-delay", "200d"));
    assertEquals(0, wider.code(), wider.out() + wider.err());
    assertFalse(wider.out().contains("TIMESTAMP_DELAYED"), wider.out());

    CliTest.Run iso = CliTest.run(with(trusted, "--max-timestamp-delay", "PT1H"));
    assertEquals(3, iso.code(), iso.out() + iso.err());
    assertTrue(iso.out().contains("the policy allows 1 h"), iso.out());

    CliTest.Run noAge = CliTest.run(with(trusted, "--max-timestamp-delay", "soon"));
    assertOneLineError(noAge, "--max-timestamp-delay 'soon' is not an age");
    CliTest.Run negative = CliTest.run(with(trusted, "--max-timestamp-delay", "-PT1H"));
    assertOneLineError(negative, "--max-timestamp-delay '-PT1H' is not an age");
    CliTest.Run noTsa =
        CliTest.run(
            "verify",
            rec.toString(),
            "--trust",
            stationPem.toString(),
            "--max-timestamp-delay",
            "2h");
    assertOneLineError(noTsa, "--max-timestamp-delay needs --tsa-trust");
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

  private static String pem(byte[] der) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
  }

  /**
   * An RFC 3161 authority in this process (BouncyCastle's token generator) stamping the real time,
   * its certificate valid around now with a critical extended key usage of exactly timeStamping.
   */
  private static final class Tsa implements TimestampAuthority {
    final KeyPair keys;
    private final X509CertificateHolder cert;
    private long serial;

    Tsa() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      keys = g.generateKeyPair();
      Instant now = Instant.now();
      X500Name name = new X500Name("CN=CLI Test TSA");
      cert =
          new JcaX509v3CertificateBuilder(
                  name,
                  BigInteger.ONE,
                  Date.from(now.minus(Duration.ofDays(1))),
                  Date.from(now.plus(Duration.ofDays(1))),
                  name,
                  keys.getPublic())
              .addExtension(
                  Extension.extendedKeyUsage,
                  true,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    }

    @Override
    public synchronized byte[] timestamp(HashAlgorithm algorithm, byte[] digest)
        throws IOException {
      try {
        DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
        TimeStampTokenGenerator gen =
            new TimeStampTokenGenerator(
                new JcaSignerInfoGeneratorBuilder(digests)
                    .build(
                        new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()),
                        cert),
                digests.get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.2"));
        gen.addCertificates(new JcaCertStore(List.of(cert)));
        TimeStampRequestGenerator req = new TimeStampRequestGenerator();
        req.setCertReq(true);
        return gen.generate(
                req.generate(NISTObjectIdentifiers.id_sha256, digest),
                BigInteger.valueOf(++serial),
                new Date())
            .getEncoded();
      } catch (Exception e) {
        throw new IOException("test TSA: " + e.getMessage(), e);
      }
    }
  }
}
