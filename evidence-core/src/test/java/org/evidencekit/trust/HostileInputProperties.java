package org.evidencekit.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;
import org.evidencekit.Hostile;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.seal.SealSignature;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;

/**
 * Keys, certificates, CRLs and signed, timestamped seals under attack (R-07, R-08: the signer's
 * certificates and the RFC 3161 token travel inside the seal, so whoever hands over a seal chooses
 * every byte the verifier's ASN.1 and CMS parsing reads). PEM and DER readers refuse with {@link
 * KeyFormatException} (an {@link IOException}); a seal carrying damaged certificates or a damaged
 * token still gets a verification report, never an exception.
 */
class HostileInputProperties {
  static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
  static final TestPki.Cert ROOT = TestPki.root(TestPki.Spec.ca("Bureau Root CA"));
  static final TestPki.Cert STATION = TestPki.issue(ROOT, TestPki.Spec.leaf("ingest-station-1"));
  static final TestPki.Cert TSA_ROOT = TestPki.root(TestPki.Spec.ca("TSA Root"));
  static final TestPki.Cert TSA = TestPki.issue(TSA_ROOT, TestPki.Spec.tsa("tsa-1"));
  static final byte[] CRL = TestPki.crl(ROOT, AT, AT.plusSeconds(86_400), List.of(), AT);
  static final Seal SIGNED = signed();

  /** An RFC 3161 authority made with BouncyCastle's token generator, answering at {@link #AT}. */
  static final class TestAuthority implements TimestampAuthority {
    @Override
    public byte[] timestamp(HashAlgorithm algorithm, byte[] digest) throws IOException {
      try {
        TimeStampTokenGenerator g =
            new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder()
                    .setProvider(Crypto.bouncyCastle())
                    .build(TestPki.Alg.P256.signature, TSA.keys.getPrivate(), TSA.holder),
                new JcaDigestCalculatorProviderBuilder()
                    .build()
                    .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                new ASN1ObjectIdentifier("1.2.3.4.1"));
        g.addCertificates(new JcaCertStore(List.of(TSA.holder)));
        TimeStampRequestGenerator request = new TimeStampRequestGenerator();
        request.setCertReq(true);
        return g.generate(
                request.generate(TSPAlgorithms.SHA256, digest),
                BigInteger.valueOf(7),
                Date.from(AT))
            .getEncoded();
      } catch (Exception e) {
        throw new TimestampException("test authority: " + e);
      }
    }
  }

  static Seal signed() {
    try {
      Path dir = Files.createTempDirectory("hostile-trust");
      try {
        Path key = dir.resolve("key.pem");
        Path certs = dir.resolve("certs.pem");
        Files.writeString(key, Crypto.pem("PRIVATE KEY", STATION.keys.getPrivate().getEncoded()));
        Files.writeString(certs, STATION.pem() + ROOT.pem());
        Seal unsigned;
        try (SealingChannel ch = Sealer.builder().build().newSealingChannel()) {
          ch.write(ByteBuffer.wrap(new byte[1000]));
          unsigned =
              ch.finish()
                  .withMetadata(
                      RecordingMetadata.builder().ingestTime(AT).deviceId("DEVCAM7").build());
        }
        return SealSigner.sign(unsigned, SigningKeys.readPem(key, certs), new TestAuthority());
      } finally {
        try (var files = Files.list(dir)) {
          for (Path f : (Iterable<Path>) files::iterator) {
            Files.delete(f);
          }
        }
        Files.delete(dir);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Verifier verifier() throws IOException {
    return Verifier.builder()
        .trust(
            TrustPolicy.builder()
                .signers(TrustAnchors.ofCertificates(List.of(ROOT.der())))
                .timestampAuthorities(TrustAnchors.ofCertificates(List.of(TSA_ROOT.der())))
                .clock(Clock.fixed(AT.plusSeconds(3600), ZoneOffset.UTC))
                .build())
        .build();
  }

  /** The starting point is sound, so the damaged variants reach every check. */
  @Example
  void theUndamagedSealVerifiesWithItsTimestamp() throws IOException {
    VerificationReport r = verifier().verifySeal(Seal.parse(SIGNED.toJson()));
    assertEquals(Verdict.INTACT, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.SIGNATURE_VERIFIED), r::toString);
    assertTrue(r.has(FindingCode.TIMESTAMP_VERIFIED), r::toString);
  }

  /**
   * Found by the property below: two bytes, an indefinite length with nothing after it, made
   * BouncyCastle throw an EOFException without a message, and the CRL's refusal read "not a
   * readable X.509 CRL: null".
   */
  @Example
  void aCrlCutInsideItsFirstLengthIsRefusedWithAReason() {
    KeyFormatException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            KeyFormatException.class,
            () ->
                TrustAnchors.ofCertificates(List.of(ROOT.der()))
                    .withRevocationLists(List.of(new byte[] {(byte) 0xfe, (byte) 0x80})));
    assertEquals(
        "not a readable X.509 CRL: its DER encoding ends before its last element", e.getMessage());
  }

  /**
   * Found by the property below: BouncyCastle decodes a token's certificates only when they are
   * asked for, so a certificate in the token whose issuer name holds a context tag where an RDN's
   * SET belongs passed the token's reading and then threw IllegalArgumentException out of {@code
   * verifySeal}. The name's SET tag (0x31) is turned into [1] (0xA1), the lengths are unchanged.
   */
  @Example
  void aTokenCertificateWithADamagedNameMakesTheTimestampInvalidNotAnException()
      throws IOException {
    SealSignature s = SIGNED.signature().orElseThrow();
    byte[] token = s.timestampToken().orElseThrow();
    byte[] name = TSA.holder.getIssuer().getEncoded(); // 30 len 31 len 30 ... "TSA Root"
    int at = indexOf(token, name);
    assertTrue(at > 0, "the token carries the authority's certificate");
    token[at + 2] = (byte) 0xA1;
    Seal damaged =
        SIGNED.withSignature(
            SealSignature.of(s.suite(), s.keyId(), s.publicKeyDer(), s.certificatesDer(), s.value())
                .withTimestamp(token, s.timestampHash().orElseThrow()));
    VerificationReport r = verifier().verifySeal(Seal.parse(damaged.toJson()));
    assertTrue(r.has(FindingCode.TIMESTAMP_INVALID), r::toString);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
  }

  /**
   * Found by the property below: a signer certificate whose issuer name holds a UTF8String that is
   * not UTF-8 parsed (names are decoded lazily), and the chain check's message, which names the
   * issuer, threw IllegalArgumentException ("Invalid UTF-8 input") out of {@code verifySeal}.
   */
  @Example
  void aSignerCertificateWithAnUndecodableIssuerNameIsUntrustedNotAnException() throws IOException {
    SealSignature s = SIGNED.signature().orElseThrow();
    List<byte[]> certs = new ArrayList<>(s.certificatesDer());
    byte[] leaf = certs.get(0).clone();
    int at = indexOf(leaf, "Bureau Root CA".getBytes(StandardCharsets.US_ASCII));
    assertTrue(at > 0, "the leaf names its issuer");
    leaf[at] = (byte) 0xFF; // the issuer's name, the first of the two names, is no longer UTF-8
    certs.set(0, leaf);
    Seal damaged =
        SIGNED.withSignature(
            SealSignature.of(s.suite(), s.keyId(), s.publicKeyDer(), certs, s.value())
                .withTimestamp(s.timestampToken().orElseThrow(), s.timestampHash().orElseThrow()));
    VerificationReport r = verifier().verifySeal(Seal.parse(damaged.toJson()));
    assertTrue(r.has(FindingCode.SIGNER_UNTRUSTED), r::toString);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
  }

  private static int indexOf(byte[] in, byte[] part) {
    for (int i = 0; i + part.length <= in.length; i++) {
      if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) {
        return i;
      }
    }
    return -1;
  }

  /** A DER part of the signature to damage: 0 public key, 1 value, 2 token, 3.. certificates. */
  record Damage(int part, long seed) {}

  @Provide
  Arbitrary<Damage> damages() {
    int parts = 3 + SIGNED.signature().orElseThrow().certificatesDer().size();
    return Arbitraries.integers()
        .between(0, parts - 1)
        .flatMap(p -> Arbitraries.longs().map(s -> new Damage(p, s)));
  }

  static byte[] damaged(byte[] der, long seed) {
    Random r = new Random(seed);
    byte[] b = der.clone();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      b = Hostile.mutate(b, r);
    }
    return b;
  }

  @Property(tries = 600)
  void aSealWithADamagedKeyCertificateOrTokenGetsAReport(@ForAll("damages") Damage d)
      throws IOException {
    SealSignature s = SIGNED.signature().orElseThrow();
    byte[] key = s.publicKeyDer();
    byte[] value = s.value();
    byte[] token = s.timestampToken().orElseThrow();
    List<byte[]> certs = new ArrayList<>(s.certificatesDer());
    switch (d.part()) {
      case 0 -> key = damaged(key, d.seed());
      case 1 -> value = damaged(value, d.seed());
      case 2 -> token = damaged(token, d.seed());
      default -> certs.set(d.part() - 3, damaged(certs.get(d.part() - 3), d.seed()));
    }
    byte[] json =
        SIGNED
            .withSignature(
                SealSignature.of(s.suite(), s.keyId(), key, certs, value)
                    .withTimestamp(token, s.timestampHash().orElseThrow()))
            .toJson();
    Verifier v = verifier();
    Hostile.check(
        "Verifier.verifySeal",
        json,
        b -> v.verifySeal(Seal.parse(b)).verdict(),
        SealFormatException.class);
  }

  @Provide
  Arbitrary<byte[]> ders() {
    return Arbitraries.oneOf(
        Hostile.randomBytes(700),
        Hostile.mutationsOf(
            List.of(
                ROOT.der(),
                STATION.der(),
                TSA.der(),
                CRL,
                STATION.keys.getPublic().getEncoded(),
                TSA.keys.getPublic().getEncoded(),
                SigningKeys.generate(SignatureSuite.SM2_SM3).publicKeyDer(),
                SigningKeys.generate(SignatureSuite.ED25519).publicKeyDer())));
  }

  @Property(tries = 600)
  void derKeysCertificatesAndCrlsAreReadOrRefused(@ForAll("ders") byte[] input) {
    Hostile.check(
        "TrustAnchors.ofPublicKeys",
        input,
        b -> TrustAnchors.ofPublicKeys(List.of(b)),
        KeyFormatException.class);
    Hostile.check(
        "TrustAnchors.ofCertificates",
        input,
        b -> TrustAnchors.ofCertificates(List.of(b)),
        KeyFormatException.class);
    Hostile.check(
        "TrustAnchors.withRevocationLists",
        input,
        b -> TrustAnchors.ofCertificates(List.of(ROOT.der())).withRevocationLists(List.of(b)),
        KeyFormatException.class);
  }

  @Provide
  Arbitrary<byte[]> pems() {
    String privateKey = Crypto.pem("PRIVATE KEY", STATION.keys.getPrivate().getEncoded());
    return Arbitraries.oneOf(
        Hostile.randomBytes(700),
        Hostile.mutationsOf(
            List.of(
                (STATION.pem() + ROOT.pem()).getBytes(StandardCharsets.US_ASCII),
                Crypto.pem("PUBLIC KEY", STATION.keys.getPublic().getEncoded())
                    .getBytes(StandardCharsets.US_ASCII),
                Crypto.pem("X509 CRL", CRL).getBytes(StandardCharsets.US_ASCII),
                privateKey.getBytes(StandardCharsets.US_ASCII))));
  }

  @Property(tries = 300)
  void pemFilesAreReadOrRefused(@ForAll("pems") byte[] input) throws IOException {
    Path f = Files.createTempFile("hostile", ".pem");
    try {
      Files.write(f, input);
      Hostile.check(
          "TrustAnchors.fromPem", input, b -> TrustAnchors.fromPem(List.of(f)), IOException.class);
      Hostile.check(
          "SigningKeys.readPem", input, b -> SigningKeys.readPem(f, null), IOException.class);
      Hostile.check(
          "TrustAnchors.withRevocationListsFromPem",
          input,
          b -> TrustAnchors.none().withRevocationListsFromPem(List.of(f)),
          IOException.class);
    } finally {
      Files.delete(f);
    }
  }
}
