package org.evidencekit.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bureau that trusts its stations by bare public key had no way to say "this key was stolen at
 * D": a CRL names certificates, and a {@code revoked-key} line in a trust file was ignored like any
 * text outside a PEM block, so the thief's seals, back-dated or not, verified INTACT. Now a revoked
 * key's seal is trusted only when a verified token attests it was signed before the revocation; a
 * time the seal claims for itself does not count.
 */
class RevokedKeyTest {
  /** The test TSA stamps {@link HostileInputProperties#AT}. */
  static final Instant AT = HostileInputProperties.AT;

  static final SigningKeys.LocalSigningKey STATION = SigningKeys.generate(SignatureSuite.ED25519);

  @TempDir Path dir;

  private static Seal seal(Instant claimedIngest, boolean timestamped) throws IOException {
    Seal unsigned;
    try (SealingChannel ch = Sealer.builder().build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(new byte[3000]));
      unsigned =
          ch.finish()
              .withMetadata(
                  RecordingMetadata.builder()
                      .deviceId("DEVCAM7")
                      .ingestTime(claimedIngest)
                      .build());
    }
    return SealSigner.sign(
        unsigned, STATION, timestamped ? new HostileInputProperties.TestAuthority() : null);
  }

  private static VerificationReport verify(Seal seal, TrustAnchors signers, boolean withTsa)
      throws KeyFormatException {
    TrustPolicy.Builder p =
        TrustPolicy.builder()
            .signers(signers)
            .clock(Clock.fixed(AT.plus(Duration.ofDays(30)), ZoneOffset.UTC));
    if (withTsa) {
      p.timestampAuthorities(
          TrustAnchors.ofCertificates(List.of(HostileInputProperties.TSA_ROOT.der())));
    }
    return Verifier.builder().trust(p.build()).build().verifySeal(seal);
  }

  private static TrustAnchors bare() throws KeyFormatException {
    return TrustAnchors.ofPublicKeys(List.of(STATION.publicKeyDer()));
  }

  private Path trustFile(String extra) throws IOException {
    Path f = dir.resolve("stations.pem");
    Files.writeString(f, Crypto.pem("PUBLIC KEY", STATION.publicKeyDer()) + extra);
    return f;
  }

  @Test
  void aRevocationLineInTheTrustFileWithdrawsTrustFromSealsTimestampedAfterIt() throws IOException {
    Seal stolen = seal(AT, true); // the thief's seal, timestamped at AT
    assertEquals(Verdict.INTACT, verify(stolen, bare(), true).verdict(), "before the fix too");

    Instant revokedAt = AT.minus(Duration.ofHours(1));
    TrustAnchors signers =
        TrustAnchors.fromPem(
            List.of(trustFile("revoked-key " + STATION.keyId() + " " + revokedAt + "\n")));
    VerificationReport r = verify(stolen, signers, true);

    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    String m = r.findings(FindingCode.SIGNER_UNTRUSTED).get(0).message();
    assertTrue(m.contains(STATION.keyId()), m);
    assertTrue(m.contains("revoked at " + revokedAt), m);
    assertFalse(r.has(FindingCode.SIGNATURE_VERIFIED), r::toString);
    // the same through the library
    assertEquals(
        Verdict.INCONCLUSIVE,
        verify(stolen, bare().withRevokedKey(STATION.keyId(), revokedAt), true).verdict());
  }

  @Test
  void aSealAttestedBeforeTheRevocationKeepsItsTrust() throws IOException {
    Seal honest = seal(AT, true);
    VerificationReport r =
        verify(honest, bare().withRevokedKey(STATION.keyId(), AT.plus(Duration.ofDays(1))), true);
    assertEquals(Verdict.INTACT, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.SIGNATURE_VERIFIED), r::toString);
    // at the very instant of the revocation the key is no longer trusted
    assertEquals(
        Verdict.INCONCLUSIVE,
        verify(honest, bare().withRevokedKey(STATION.keyId(), AT), true).verdict());
  }

  @Test
  void aClaimedTimeBeforeTheRevocationDoesNotKeepTrust() throws IOException {
    Instant revokedAt = AT;
    // the thief writes an ingest time ten days before the theft and asks no TSA
    Seal backDated = seal(AT.minus(Duration.ofDays(10)), false);
    assertEquals(Verdict.INTACT, verify(backDated, bare(), false).verdict(), "before the fix too");

    VerificationReport r =
        verify(backDated, bare().withRevokedKey(STATION.keyId(), revokedAt), false);

    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    String m = r.findings(FindingCode.SIGNER_UNTRUSTED).get(0).message();
    assertTrue(m.contains("no verified timestamp"), m);
  }

  @Test
  void aRevokedKeyIsRevokedWhateverVouchesForIt() throws IOException {
    TestPki.Cert root = TestPki.root(TestPki.Spec.ca("Bureau Root CA"));
    TestPki.Cert station = TestPki.issue(root, TestPki.Spec.leaf("ingest-station-3"));
    Path key = dir.resolve("station3.pem");
    Path cert = dir.resolve("station3.crt");
    Files.writeString(key, Crypto.pem("PRIVATE KEY", station.keys.getPrivate().getEncoded()));
    Files.writeString(cert, station.pem());
    SigningKeys.LocalSigningKey k = SigningKeys.readPem(key, cert);
    Seal unsigned;
    try (SealingChannel ch = Sealer.builder().build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(new byte[100]));
      unsigned = ch.finish().withMetadata(RecordingMetadata.builder().ingestTime(AT).build());
    }
    Seal s = SealSigner.sign(unsigned, k, new HostileInputProperties.TestAuthority());
    TrustAnchors ca = TrustAnchors.ofCertificates(List.of(root.der()));
    assertEquals(Verdict.INTACT, verify(s, ca, true).verdict());
    VerificationReport r = verify(s, ca.withRevokedKey(k.keyId(), AT.minusSeconds(1)), true);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.SIGNER_UNTRUSTED), r::toString);
  }

  /**
   * A revoked-key line naming a CA's key (the bureau's root, or an intermediate whose key was
   * stolen) was taken without a word and then ignored for seals: the thief issued a station
   * certificate under it and its seals, timestamped after the revocation, verified INTACT, while
   * the same key no longer counted for checkpoints. Now every certificate of the validated path is
   * held to the revocation as the signer's own key is.
   */
  @Test
  void aRevokedCaKeyNoLongerCertifiesSealsSignedAfterTheRevocation() throws IOException {
    TestPki.Cert root = TestPki.root(TestPki.Spec.ca("Bureau Root CA"));
    TestPki.Cert district = TestPki.issue(root, TestPki.Spec.ca("District 3 CA"));
    TestPki.Cert station = TestPki.issue(district, TestPki.Spec.leaf("ingest-station-3"));
    Path key = dir.resolve("station3.pem");
    Path cert = dir.resolve("station3.crt");
    Files.writeString(key, Crypto.pem("PRIVATE KEY", station.keys.getPrivate().getEncoded()));
    Files.writeString(cert, station.pem() + district.pem());
    SigningKeys.LocalSigningKey k = SigningKeys.readPem(key, cert);
    Seal unsigned;
    try (SealingChannel ch = Sealer.builder().build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(new byte[100]));
      unsigned = ch.finish().withMetadata(RecordingMetadata.builder().ingestTime(AT).build());
    }
    Seal s = SealSigner.sign(unsigned, k, new HostileInputProperties.TestAuthority());
    TrustAnchors ca = TrustAnchors.ofCertificates(List.of(root.der()));
    assertEquals(Verdict.INTACT, verify(s, ca, true).verdict());
    String rootId = KeyIds.of(root.keys.getPublic().getEncoded());
    String districtId = KeyIds.of(district.keys.getPublic().getEncoded());
    for (String revoked : List.of(rootId, districtId)) {
      VerificationReport r = verify(s, ca.withRevokedKey(revoked, AT.minusSeconds(1)), true);
      assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
      String m = r.findings(FindingCode.SIGNER_UNTRUSTED).get(0).message();
      assertTrue(m.contains(revoked) && m.contains("revoked at " + AT.minusSeconds(1)), m);
      // a token before the revocation keeps an honest seal
      assertEquals(
          Verdict.INTACT,
          verify(s, ca.withRevokedKey(revoked, AT.plusSeconds(1)), true).verdict(),
          revoked);
    }
    // the TSA's root, revoked by key id before the token, attests nothing either
    byte[] tsaRootKey = HostileInputProperties.TSA_ROOT.keys.getPublic().getEncoded();
    VerificationReport t =
        Verifier.builder()
            .trust(
                TrustPolicy.builder()
                    .signers(ca)
                    .timestampAuthorities(
                        TrustAnchors.ofCertificates(List.of(HostileInputProperties.TSA_ROOT.der()))
                            .withRevokedKey(KeyIds.of(tsaRootKey), AT.minusSeconds(1)))
                    .clock(Clock.fixed(AT.plus(Duration.ofDays(30)), ZoneOffset.UTC))
                    .build())
            .build()
            .verifySeal(s);
    assertTrue(t.has(FindingCode.TIMESTAMP_UNTRUSTED), t::toString);
  }

  /** A TSA key revoked before the time of its token attests nothing; one revoked later does. */
  @Test
  void aRevokedTimeStampingKeysLaterTokensAreUntrusted() throws IOException {
    byte[] tsaKey = HostileInputProperties.TSA.keys.getPublic().getEncoded();
    TrustAnchors tsaRoot =
        TrustAnchors.ofCertificates(List.of(HostileInputProperties.TSA_ROOT.der()));
    Seal s = seal(AT, true);
    for (Instant revokedAt : List.of(AT.minusSeconds(1), AT, AT.plusSeconds(1))) {
      VerificationReport r =
          Verifier.builder()
              .trust(
                  TrustPolicy.builder()
                      .signers(bare())
                      .timestampAuthorities(tsaRoot.withRevokedKey(KeyIds.of(tsaKey), revokedAt))
                      .clock(Clock.fixed(AT.plus(Duration.ofDays(30)), ZoneOffset.UTC))
                      .build())
              .build()
              .verifySeal(s);
      if (revokedAt.isAfter(AT)) {
        assertEquals(Verdict.INTACT, r.verdict(), r::toString);
      } else {
        assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
        String m = r.findings(FindingCode.TIMESTAMP_UNTRUSTED).get(0).message();
        assertTrue(m.contains("revoked at " + revokedAt), m);
      }
    }
  }

  /**
   * The docs say a {@code revoked-key} line in a trust file revokes a key, and that a revoked TSA
   * key's later tokens are untrusted; but a line naming the TSA's key in the signers' trust file
   * ({@code --trust}) was kept for the signers only, so the stolen TSA key's tokens still attested
   * times, silently. A revoked key is now withdrawn in both roles, whichever anchors name it.
   */
  @Test
  void aTsaKeyRevokedInTheSignersTrustFileIsRevokedForTokensToo() throws IOException {
    byte[] tsaKey = HostileInputProperties.TSA.keys.getPublic().getEncoded();
    Seal s = seal(AT, true);
    TrustAnchors signers =
        TrustAnchors.fromPem(
            List.of(
                trustFile("revoked-key " + KeyIds.of(tsaKey) + " " + AT.minusSeconds(1) + "\n")));
    VerificationReport r = verify(s, signers, true);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    String m = r.findings(FindingCode.TIMESTAMP_UNTRUSTED).get(0).message();
    assertTrue(m.contains("revoked at " + AT.minusSeconds(1)), m);
    // and a station key named in the TSAs' anchors is revoked as a signer
    Seal after = seal(AT, true);
    VerificationReport r2 =
        Verifier.builder()
            .trust(
                TrustPolicy.builder()
                    .signers(bare())
                    .timestampAuthorities(
                        TrustAnchors.ofCertificates(List.of(HostileInputProperties.TSA_ROOT.der()))
                            .withRevokedKey(STATION.keyId(), AT.minusSeconds(1)))
                    .clock(Clock.fixed(AT.plus(Duration.ofDays(30)), ZoneOffset.UTC))
                    .build())
            .build()
            .verifySeal(after);
    assertTrue(r2.has(FindingCode.SIGNER_UNTRUSTED), r2::toString);
    // revoked after the token, the TSA still attests
    assertEquals(
        Verdict.INTACT,
        verify(s, bare().withRevokedKey(KeyIds.of(tsaKey), AT.plusSeconds(1)), true).verdict());
  }

  /** Checkpoints, approvals and registers carry no attested time: a revoked key signs none. */
  @Test
  void aRevokedKeyIsNotTrustedForWhatCarriesNoAttestedTime() throws IOException {
    TrustAnchors revoked =
        bare().withRevokedKey(STATION.keyId(), Instant.parse("2030-01-01T00:00:00Z"));
    assertTrue(bare().trustsKey(STATION.publicKeyDer()));
    assertFalse(revoked.trustsKey(STATION.publicKeyDer()));
    assertTrue(revoked.keys().isEmpty());
    // still listed as given, so a seal's finding can say "a trusted key, but revoked"
    assertTrue(revoked.trustsBareKey(STATION.publicKeyDer()));
    assertTrue(revoked.isEmpty() == false);
  }

  @Test
  void aFileOfRevocationsAloneIsAcceptedBesideTheAnchors() throws IOException {
    Path crls = dir.resolve("revoked.txt");
    Files.writeString(
        crls,
        "# stolen from station 7 on the night of 31 May\nrevoked-key "
            + STATION.keyId()
            + "\t2026-05-31T22:00:00Z\n");
    TrustAnchors signers = bare().withRevocationListsFromPem(List.of(crls));
    assertFalse(signers.trustsKey(STATION.publicKeyDer()));
    assertEquals(Verdict.INCONCLUSIVE, verify(seal(AT, true), signers, true).verdict());
    TrustAnchors onlyRevocations = TrustAnchors.fromPem(List.of(crls));
    assertTrue(onlyRevocations.isEmpty(), "revocations alone trust nothing");
  }

  @Test
  void aMalformedRevocationIsRefusedNamingFileAndLine() throws IOException {
    String id = STATION.keyId();
    String[] bad = {
      "revoked-key " + id, // no time
      "revoked-key " + id + " 2026-05-31", // a date, not an instant
      "revoked-key " + id + " 2026-05-31T22:00:00+08:00", // not UTC
      "revoked-key " + id.toUpperCase(java.util.Locale.ROOT) + " 2026-05-31T22:00:00Z",
      "revoked-key sha256:abc 2026-05-31T22:00:00Z",
      "revoked-key " + id + " 2026-05-31T22:00:00Z extra",
      "revoked_key " + id + " 2026-05-31T22:00:00Z", // misspelt: never silently ignored
      "Revoked-Key " + id + " 2026-05-31T22:00:00Z",
      "revoked key " + id + " 2026-05-31T22:00:00Z",
      "revokedkeys: " + id + " 2026-05-31T22:00:00Z",
      "revoked-key " + id + " 2026-05-31T22:00:00Z\nrevoked-key " + id + " 2026-06-01T00:00:00Z",
    };
    for (String line : bad) {
      Path f = trustFile("\n" + line + "\n");
      KeyFormatException e =
          assertThrows(KeyFormatException.class, () -> TrustAnchors.fromPem(List.of(f)), line);
      assertTrue(e.getMessage().startsWith(f + ", line "), e.getMessage());
      assertThrows(
          KeyFormatException.class, () -> bare().withRevocationListsFromPem(List.of(f)), line);
    }
    // other text outside the blocks stays ignored, as OpenSSL's text dumps write it
    Path dump =
        trustFile(
            "Certificate Revocation List (CRL):\nRevoked Certificates:\n    Serial Number: 1001\n"
                + "No Revoked Certificates.\nrevoked by the bureau on 31 May, see below\n");
    assertTrue(TrustAnchors.fromPem(List.of(dump)).trustsKey(STATION.publicKeyDer()));
    assertThrows(IllegalArgumentException.class, () -> bare().withRevokedKey("DEVCAM7", AT));
    assertThrows(
        IllegalArgumentException.class,
        () -> bare().withRevokedKey(id, AT).withRevokedKey(id, AT.plusSeconds(1)));
    // the same revocation twice is one revocation
    assertFalse(
        bare().withRevokedKey(id, AT).withRevokedKey(id, AT).trustsKey(STATION.publicKeyDer()));
  }
}
