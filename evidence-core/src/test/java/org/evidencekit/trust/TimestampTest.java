package org.evidencekit.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSignature;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 3161 against a real TSA: OpenSSL's {@code ts -reply} behind HTTP on 127.0.0.1. */
class TimestampTest {
  @TempDir static Path tsaDir;
  @TempDir Path dir;
  static OpenSsl.Tsa tsa;

  @BeforeAll
  static void startTsa() throws IOException {
    OpenSsl.assumeAvailable();
    tsa = OpenSsl.Tsa.start(tsaDir);
  }

  @AfterAll
  static void stopTsa() {
    if (tsa != null) {
      tsa.close();
    }
  }

  private static TrustPolicy policy(SigningKeys.LocalSigningKey key, Path tsaAnchor)
      throws IOException {
    return TrustPolicy.builder()
        .signers(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer())))
        .timestampAuthorities(TrustAnchors.fromPem(List.of(tsaAnchor)))
        .build();
  }

  @Test
  void aTimestampedSealVerifiesAndOpenSslAcceptsTheToken() throws IOException {
    for (SignatureSuite suite : SignatureSuite.all()) {
      SigningKeys.LocalSigningKey key = SigningKeys.generate(suite);
      Seal signed =
          SealSigner.sign(OpenSslInteropTest.seal(), key, HttpTimestampAuthority.create(tsa.uri));
      SealSignature sig = Seal.parse(signed.toJson()).signature().orElseThrow();
      assertEquals(suite.timestampHash(), sig.timestampHash().orElseThrow());

      VerificationReport r =
          Verifier.builder()
              .trust(policy(key, tsa.dir.resolve("tsa-ca.crt")))
              .build()
              .verifySeal(Seal.parse(signed.toJson()));
      assertEquals(Verdict.INTACT, r.verdict(), r.toString());
      assertTrue(r.has(FindingCode.TIMESTAMP_VERIFIED), r.toString());

      // OpenSSL, independently: the token is over exactly the signature value
      Files.write(dir.resolve("token.der"), sig.timestampToken().orElseThrow());
      Files.write(dir.resolve("sig.bin"), sig.value());
      String out =
          OpenSsl.ok(
              dir,
              "ts",
              "-verify",
              "-token_in",
              "-in",
              "token.der",
              "-data",
              "sig.bin",
              "-CAfile",
              tsa.dir.resolve("tsa-ca.crt").toString(),
              "-untrusted",
              tsa.dir.resolve("tsa.crt").toString());
      assertTrue(out.contains("Verification: OK"), out);
    }
  }

  /**
   * A thief of a station's key back-dates a seal: it claims an ingest a month before the station's
   * certificate was issued, and a real token attests the signature today, when the certificate is
   * valid. The chain was checked at the token's time only, so the seal verified INTACT with an
   * ingest time at which its signer could not have signed. Now a claimed ingest time
   * before the signer certificate's validity is refused; so is, as before, a seal whose station was
   * revoked before the attested time, whatever earlier ingest time it claims.
   */
  @Test
  void aSealBackDatedBeforeItsSignersCertificateOrRevocationIsNotTrusted() throws IOException {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    TestPki.Cert root =
        TestPki.root(
            TestPki.Spec.ca("Bureau Root CA")
                .valid(now.minus(Duration.ofDays(3650)).toString(), "2040-01-01T00:00:00Z"));
    TestPki.Cert station =
        TestPki.issue(
            root,
            TestPki.Spec.leaf("ingest-station-7")
                .valid(now.minus(Duration.ofDays(1)).toString(), "2040-01-01T00:00:00Z"));
    Path key = dir.resolve("station.pem");
    Path cert = dir.resolve("station.crt");
    Files.writeString(
        key,
        org.evidencekit.internal.trust.Crypto.pem(
            "PRIVATE KEY", station.keys.getPrivate().getEncoded()));
    Files.writeString(cert, station.pem());
    SigningKeys.LocalSigningKey stolen = SigningKeys.readPem(key, cert);
    TrustAnchors tsaAnchors = TrustAnchors.fromPem(List.of(tsa.dir.resolve("tsa-ca.crt")));

    Seal honest = SealSigner.sign(ingestedAt(now), stolen, HttpTimestampAuthority.create(tsa.uri));
    VerificationReport ok =
        underRoot(root, TrustAnchors.ofCertificates(List.of(root.der())), tsaAnchors, honest);
    assertEquals(Verdict.INTACT, ok.verdict(), ok::toString);

    Seal backDated =
        SealSigner.sign(
            ingestedAt(now.minus(Duration.ofDays(30))),
            stolen,
            HttpTimestampAuthority.create(tsa.uri));
    VerificationReport r =
        underRoot(root, TrustAnchors.ofCertificates(List.of(root.der())), tsaAnchors, backDated);
    assertTrue(r.has(FindingCode.TIMESTAMP_VERIFIED), r::toString);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.SIGNER_UNTRUSTED), r::toString);

    // revoked an hour ago: a seal claiming yesterday's ingest, timestamped now, is refused
    byte[] crl =
        TestPki.crl(
            root,
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(7)),
            List.of(station),
            now.minus(Duration.ofHours(1)));
    Seal afterRevocation =
        SealSigner.sign(
            ingestedAt(now.minus(Duration.ofHours(20))),
            stolen,
            HttpTimestampAuthority.create(tsa.uri));
    VerificationReport revoked =
        underRoot(
            root,
            TrustAnchors.ofCertificates(List.of(root.der())).withRevocationLists(List.of(crl)),
            tsaAnchors,
            afterRevocation);
    assertEquals(Verdict.INCONCLUSIVE, revoked.verdict(), revoked::toString);
    assertTrue(revoked.has(FindingCode.SIGNER_UNTRUSTED), revoked::toString);
  }

  /**
   * A signer holds its token's time to its own clock: within the tolerance it passes;
   * a clock a day off either way, a seal claiming an ingest after its token, and a seal without a
   * token are refused with a TimestampException that names both times.
   */
  @Test
  void aTokenIsHeldToTheSignersClock() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    Instant now = Instant.now();
    Seal signed = SealSigner.sign(ingestedAt(now), key, HttpTimestampAuthority.create(tsa.uri));
    Duration tolerance = Duration.ofMinutes(2);
    SealSigner.checkTimestampTime(signed, Instant.now(), tolerance);
    for (Duration off : List.of(Duration.ofDays(1), Duration.ofDays(-1))) {
      TimestampException e =
          assertThrows(
              TimestampException.class,
              () -> SealSigner.checkTimestampTime(signed, Instant.now().plus(off), tolerance));
      assertTrue(e.getMessage().contains("this clock reads"), e.getMessage());
    }
    Seal claimsLater =
        SealSigner.sign(
            ingestedAt(now.plus(Duration.ofHours(1))), key, HttpTimestampAuthority.create(tsa.uri));
    TimestampException later =
        assertThrows(
            TimestampException.class,
            () -> SealSigner.checkTimestampTime(claimsLater, Instant.now(), tolerance));
    assertTrue(later.getMessage().contains("before the seal's ingest time"), later.getMessage());
    Seal untimed = SealSigner.sign(ingestedAt(now), key, null);
    assertThrows(
        TimestampException.class,
        () -> SealSigner.checkTimestampTime(untimed, Instant.now(), tolerance));
  }

  private static Seal ingestedAt(Instant at) throws IOException {
    return OpenSslInteropTest.seal()
        .withMetadata(
            org.evidencekit.seal.RecordingMetadata.builder()
                .deviceId("DEVCAM7")
                .ingestTime(at)
                .build());
  }

  private static VerificationReport underRoot(
      TestPki.Cert root, TrustAnchors signers, TrustAnchors tsaAnchors, Seal seal) {
    return Verifier.builder()
        .trust(TrustPolicy.builder().signers(signers).timestampAuthorities(tsaAnchors).build())
        .build()
        .verifySeal(seal);
  }

  @Test
  void aTokenReplayedFromAnotherSealIsInvalid() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    TimestampAuthority t = HttpTimestampAuthority.create(tsa.uri);
    Seal a = SealSigner.sign(OpenSslInteropTest.seal(), key, t);
    Seal b =
        SealSigner.sign(
            OpenSslInteropTest.seal()
                .withMetadata(
                    org.evidencekit.seal.RecordingMetadata.builder().deviceId("OTHER").build()),
            key,
            null);
    SealSignature bs = b.signature().orElseThrow();
    Seal replayed =
        b.withSignature(
            bs.withTimestamp(
                a.signature().orElseThrow().timestampToken().orElseThrow(), HashAlgorithm.SHA256));
    VerificationReport r =
        Verifier.builder()
            .trust(policy(key, tsa.dir.resolve("tsa-ca.crt")))
            .build()
            .verifySeal(replayed);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertTrue(r.has(FindingCode.TIMESTAMP_INVALID), r.toString());
  }

  @Test
  void anUntrustedAuthorityIsReportedAsSuch() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    Seal signed =
        SealSigner.sign(OpenSslInteropTest.seal(), key, HttpTimestampAuthority.create(tsa.uri));
    OpenSsl.makeCa(dir, "someone-else");
    VerificationReport r =
        Verifier.builder()
            .trust(policy(key, dir.resolve("someone-else.crt")))
            .build()
            .verifySeal(signed);
    assertTrue(r.has(FindingCode.TIMESTAMP_UNTRUSTED), r.toString());
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
  }

  @Test
  void aCorruptedTokenIsInvalid() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ECDSA_P256_SHA256);
    Seal signed =
        SealSigner.sign(OpenSslInteropTest.seal(), key, HttpTimestampAuthority.create(tsa.uri));
    SealSignature s = signed.signature().orElseThrow();
    byte[] token = s.timestampToken().orElseThrow();
    token[token.length - 10] ^= 1;
    Seal bad =
        signed.withSignature(
            SealSignature.of(s.suite(), s.keyId(), s.publicKeyDer(), s.certificatesDer(), s.value())
                .withTimestamp(token, HashAlgorithm.SHA256));
    VerificationReport r =
        Verifier.builder()
            .trust(policy(key, tsa.dir.resolve("tsa-ca.crt")))
            .build()
            .verifySeal(bad);
    assertTrue(r.has(FindingCode.TIMESTAMP_INVALID), r.toString());
  }

  @Test
  void anUnreachableOrWrongTsaIsATimestampException() {
    TimestampAuthority down =
        HttpTimestampAuthority.create(URI.create("http://127.0.0.1:9/tsa"), Duration.ofSeconds(2));
    TimestampException refused =
        assertThrows(
            TimestampException.class, () -> down.timestamp(HashAlgorithm.SHA256, new byte[32]));
    // the JDK's ConnectException has no message: say what failed, not "unreachable: null"
    assertTrue(
        refused.getMessage().contains("could not connect to 127.0.0.1:9"), refused.getMessage());
    assertTrue(!refused.getMessage().contains("null"), refused.getMessage());
    TimestampAuthority unknown =
        HttpTimestampAuthority.create(URI.create("http://tsa.invalid/tsa"), Duration.ofSeconds(2));
    TimestampException noHost =
        assertThrows(
            TimestampException.class, () -> unknown.timestamp(HashAlgorithm.SHA256, new byte[32]));
    assertTrue(noHost.getMessage().contains("tsa.invalid"), noHost.getMessage());
    assertTrue(!noHost.getMessage().contains("null"), noHost.getMessage());
    TimestampAuthority wrong =
        HttpTimestampAuthority.create(
            URI.create("http://127.0.0.1:" + tsa.uri.getPort() + "/nothing-here"));
    assertThrows(
        TimestampException.class, () -> wrong.timestamp(HashAlgorithm.SHA256, new byte[32]));
    assertThrows(
        IllegalArgumentException.class,
        () -> HttpTimestampAuthority.create(URI.create("ftp://x/")));
  }
}
