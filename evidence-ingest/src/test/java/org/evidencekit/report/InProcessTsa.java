package org.evidencekit.report;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.trust.TimestampAuthority;

/**
 * An RFC 3161 authority in the test's own process (BouncyCastle's token generator), stamping the
 * real time: its certificate is valid around now, with a critical extended key usage of exactly
 * timeStamping. SHA-256 imprints only (Ed25519 and ECDSA stations).
 */
final class InProcessTsa implements TimestampAuthority {
  private final KeyPair keys;
  private final X509CertificateHolder cert;
  private final Duration skew;
  private long serial;

  InProcessTsa() throws Exception {
    this(Duration.ZERO);
  }

  /** An authority whose clock is {@code skew} off the real time (a TSA set wrong). */
  InProcessTsa(Duration skew) throws Exception {
    this.skew = skew;
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    keys = g.generateKeyPair();
    Instant now = Instant.now();
    X500Name name = new X500Name("CN=In-Process Test TSA");
    cert =
        new JcaX509v3CertificateBuilder(
                name,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(1))),
                name,
                keys.getPublic())
            .addExtension(
                Extension.extendedKeyUsage,
                true,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
  }

  /** The authority's public key (DER), to trust as a bare key. */
  byte[] publicKeyDer() {
    return keys.getPublic().getEncoded();
  }

  @Override
  public synchronized byte[] timestamp(HashAlgorithm algorithm, byte[] digest) throws IOException {
    if (algorithm != HashAlgorithm.SHA256) {
      throw new IOException("this test TSA stamps SHA-256 imprints only");
    }
    try {
      var digests = new JcaDigestCalculatorProviderBuilder().build();
      TimeStampTokenGenerator gen =
          new TimeStampTokenGenerator(
              new JcaSignerInfoGeneratorBuilder(digests)
                  .build(
                      new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()),
                      cert),
              digests.get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
              new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"));
      gen.addCertificates(new JcaCertStore(List.of(cert)));
      TimeStampRequestGenerator req = new TimeStampRequestGenerator();
      req.setCertReq(true);
      TimeStampRequest r = req.generate(NISTObjectIdentifiers.id_sha256, digest);
      return gen.generate(r, BigInteger.valueOf(++serial), Date.from(Instant.now().plus(skew)))
          .getEncoded();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("test TSA: " + e.getMessage(), e);
    }
  }
}
