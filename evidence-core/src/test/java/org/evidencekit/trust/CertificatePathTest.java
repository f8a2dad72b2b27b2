package org.evidencekit.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.trust.TestPki.Alg;
import org.evidencekit.trust.TestPki.Cert;
import org.evidencekit.trust.TestPki.Spec;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 5280 path validation: one test PKI per rule, our verdict asserted from how each chain
 * was made, and OpenSSL ({@code openssl verify -partial_chain} at a fixed {@code -attime}) asked
 * the same question about the same chain: it must agree on every one.
 */
class CertificatePathTest {
  /** The trusted time of every check: the token time of a seal signed mid-2026. */
  static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");

  @TempDir Path dir;

  /** One chain to judge. */
  static final class Case {
    final String name;
    final List<Cert> anchors;
    final List<Cert> chain;
    final List<byte[]> crls;
    final TrustAnchors.CertificateUse use;
    final boolean trusted;

    Case(
        String name,
        List<Cert> anchors,
        List<Cert> chain,
        List<byte[]> crls,
        TrustAnchors.CertificateUse use,
        boolean trusted) {
      this.name = name;
      this.anchors = anchors;
      this.chain = chain;
      this.crls = crls;
      this.use = use;
      this.trusted = trusted;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static Case signer(String name, List<Cert> anchors, List<Cert> chain, boolean ok) {
    return new Case(name, anchors, chain, List.of(), TrustAnchors.CertificateUse.SIGNING, ok);
  }

  static Stream<Case> cases() {
    List<Case> out = new ArrayList<>();
    Cert root = TestPki.root(Spec.ca("Bureau Root CA"));
    Cert inter = TestPki.issue(root, Spec.ca("Bureau Issuing CA").pathLen(0));
    Cert leaf = TestPki.issue(inter, Spec.leaf("ingest-station-1"));
    out.add(
        signer("root, intermediate, station: trusted", List.of(root), List.of(leaf, inter), true));
    Cert direct = TestPki.issue(root, Spec.leaf("ingest-station-2"));
    out.add(signer("station issued by the root: trusted", List.of(root), List.of(direct), true));
    out.add(
        signer(
            "anchored at the intermediate (partial chain): trusted",
            List.of(inter),
            List.of(leaf),
            true));

    // the attack from the issue: another station's ordinary certificate used as a CA
    Cert station = TestPki.issue(root, Spec.leaf("ingest-station-3"));
    Cert rogue = TestPki.issue(station, Spec.leaf("rogue"));
    out.add(
        signer(
            "issued by an ordinary station certificate: refused",
            List.of(root),
            List.of(rogue, station),
            false));
    Spec noBc = Spec.ca("No BasicConstraints CA");
    noBc.ca = null;
    Cert notCa = TestPki.issue(root, noBc);
    out.add(
        signer(
            "issuer without basicConstraints: refused",
            List.of(root),
            List.of(TestPki.issue(notCa, Spec.leaf("x")), notCa),
            false));
    Spec caNoSign = Spec.ca("CA without keyCertSign");
    caNoSign.keyUsage = KeyUsage.digitalSignature;
    Cert noCertSign = TestPki.issue(root, caNoSign);
    out.add(
        signer(
            "issuer CA without keyCertSign: refused",
            List.of(root),
            List.of(TestPki.issue(noCertSign, Spec.leaf("y")), noCertSign),
            false));

    Cert shortRoot = TestPki.root(Spec.ca("Root pathLen 0").pathLen(0));
    Cert underShort = TestPki.issue(shortRoot, Spec.ca("Sub CA"));
    out.add(
        signer(
            "root pathLen 0 with an intermediate: refused",
            List.of(shortRoot),
            List.of(TestPki.issue(underShort, Spec.leaf("z")), underShort),
            false));
    Cert inter2 = TestPki.issue(inter, Spec.ca("Sub-sub CA"));
    out.add(
        signer(
            "intermediate pathLen 0 with another CA below: refused",
            List.of(root),
            List.of(TestPki.issue(inter2, Spec.leaf("w")), inter2, inter),
            false));

    out.add(
        signer(
            "station valid 2020-2021 signing in 2026: refused",
            List.of(root),
            List.of(
                TestPki.issue(
                    root, Spec.leaf("old").valid("2020-01-01T00:00:00Z", "2021-12-31T00:00:00Z"))),
            false));
    out.add(
        signer(
            "station not yet valid: refused",
            List.of(root),
            List.of(
                TestPki.issue(
                    root,
                    Spec.leaf("early").valid("2027-01-01T00:00:00Z", "2029-01-01T00:00:00Z"))),
            false));
    Cert oldInter =
        TestPki.issue(
            root, Spec.ca("Old CA").valid("2020-01-01T00:00:00Z", "2025-01-01T00:00:00Z"));
    out.add(
        signer(
            "expired intermediate: refused",
            List.of(root),
            List.of(TestPki.issue(oldInter, Spec.leaf("v")), oldInter),
            false));
    Cert oldRoot =
        TestPki.root(Spec.ca("Old Root").valid("2020-01-01T00:00:00Z", "2025-01-01T00:00:00Z"));
    out.add(
        signer(
            "expired root: refused",
            List.of(oldRoot),
            List.of(TestPki.issue(oldRoot, Spec.leaf("u"))),
            false));
    Spec enc = Spec.leaf("encryption only");
    enc.keyUsage = KeyUsage.keyEncipherment;
    out.add(
        signer(
            "station key usage keyEncipherment only: refused",
            List.of(root),
            List.of(TestPki.issue(root, enc)),
            false));
    out.add(
        signer(
            "forged issuer signature: refused",
            List.of(root),
            List.of(TestPki.forge(root, Spec.leaf("forged"))),
            false));
    Cert otherRoot = TestPki.root(Spec.ca("Other Bureau Root"));
    out.add(
        signer(
            "another bureau's root: refused",
            List.of(root),
            List.of(TestPki.issue(otherRoot, Spec.leaf("t"))),
            false));

    Cert edRoot = TestPki.root(Spec.ca("Ed25519 Root").alg(Alg.ED25519));
    out.add(
        signer(
            "Ed25519 root and station: trusted",
            List.of(edRoot),
            List.of(TestPki.issue(edRoot, Spec.leaf("ed-station").alg(Alg.ED25519))),
            true));
    Cert gmRoot = TestPki.root(Spec.ca("SM2 Root").alg(Alg.SM2));
    Cert gmInter = TestPki.issue(gmRoot, Spec.ca("SM2 Issuing CA").alg(Alg.SM2));
    out.add(
        signer(
            "SM2 root, intermediate and station: trusted",
            List.of(gmRoot),
            List.of(TestPki.issue(gmInter, Spec.leaf("sm2-station").alg(Alg.SM2)), gmInter),
            true));
    out.add(
        signer(
            "SM2 station issued by the SM2 root: trusted",
            List.of(gmRoot),
            List.of(TestPki.issue(gmRoot, Spec.leaf("sm2-station-1").alg(Alg.SM2))),
            true));
    out.add(
        signer(
            "SM2 station valid 2020-2021 signing in 2026: refused",
            List.of(gmRoot),
            List.of(
                TestPki.issue(
                    gmRoot,
                    Spec.leaf("sm2-old")
                        .alg(Alg.SM2)
                        .valid("2020-01-01T00:00:00Z", "2021-12-31T00:00:00Z"))),
            false));
    Cert gmStation = TestPki.issue(gmRoot, Spec.leaf("sm2-station-2").alg(Alg.SM2));
    out.add(
        signer(
            "SM2 ordinary certificate used as a CA: refused",
            List.of(gmRoot),
            List.of(TestPki.issue(gmStation, Spec.leaf("sm2-rogue").alg(Alg.SM2)), gmStation),
            false));

    TrustAnchors.CertificateUse tsa = TrustAnchors.CertificateUse.TIME_STAMPING;
    out.add(
        new Case(
            "TSA with critical timeStamping: trusted",
            List.of(root),
            List.of(TestPki.issue(root, Spec.tsa("tsa"))),
            List.of(),
            tsa,
            true));
    Spec nonCritical = Spec.tsa("tsa non-critical");
    nonCritical.ekuCritical = false;
    out.add(
        new Case(
            "TSA with non-critical extended key usage: refused",
            List.of(root),
            List.of(TestPki.issue(root, nonCritical)),
            List.of(),
            tsa,
            false));
    Spec twoUses = Spec.tsa("tsa two uses");
    twoUses.eku =
        new KeyPurposeId[] {KeyPurposeId.id_kp_timeStamping, KeyPurposeId.id_kp_serverAuth};
    out.add(
        new Case(
            "TSA with timeStamping and serverAuth: refused",
            List.of(root),
            List.of(TestPki.issue(root, twoUses)),
            List.of(),
            tsa,
            false));
    out.add(
        new Case(
            "TSA without extended key usage (a station certificate): refused",
            List.of(root),
            List.of(direct),
            List.of(),
            tsa,
            false));

    Cert revoked = TestPki.issue(root, Spec.leaf("revoked station"));
    Cert kept = TestPki.issue(root, Spec.leaf("kept station"));
    byte[] crl =
        TestPki.crl(
            root,
            Instant.parse("2026-05-01T00:00:00Z"),
            Instant.parse("2026-07-01T00:00:00Z"),
            List.of(revoked),
            Instant.parse("2026-04-01T00:00:00Z"));
    out.add(
        new Case(
            "station revoked before the signing time: refused",
            List.of(root),
            List.of(revoked),
            List.of(crl),
            TrustAnchors.CertificateUse.SIGNING,
            false));
    out.add(
        new Case(
            "station not on the CRL: trusted",
            List.of(root),
            List.of(kept),
            List.of(crl),
            TrustAnchors.CertificateUse.SIGNING,
            true));
    // the trust file lists the station certificates themselves beside their CA; its CRL revokes
    // the station whose key was stolen, which must not stay trusted because it is an anchor
    out.add(
        new Case(
            "station trusted directly, revoked by its CA's CRL: refused",
            List.of(root, revoked, kept),
            List.of(revoked),
            List.of(crl),
            TrustAnchors.CertificateUse.SIGNING,
            false));
    out.add(
        new Case(
            "station trusted directly, not on its CA's CRL: trusted",
            List.of(root, revoked, kept),
            List.of(kept),
            List.of(crl),
            TrustAnchors.CertificateUse.SIGNING,
            true));
    out.add(
        new Case(
            "station trusted directly without its CA, CRLs given: refused (no CRL can speak of it)",
            List.of(kept),
            List.of(kept),
            List.of(crl),
            TrustAnchors.CertificateUse.SIGNING,
            false));
    return out.stream();
  }

  private static TrustAnchors anchors(Case c) throws KeyFormatException {
    List<byte[]> ders = new ArrayList<>();
    c.anchors.forEach(a -> ders.add(a.der()));
    return TrustAnchors.ofCertificates(ders).withRevocationLists(c.crls);
  }

  private static List<byte[]> chain(Case c) {
    List<byte[]> ders = new ArrayList<>();
    c.chain.forEach(x -> ders.add(x.der()));
    return ders;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void ourVerdictFollowsHowTheChainWasMade(Case c) throws IOException {
    Optional<String> problem = anchors(c).chainProblem(chain(c), AT, c.use, true);
    assertEquals(c.trusted, problem.isEmpty(), () -> c.name + ": " + problem);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void openSslAgrees(Case c) throws IOException {
    OpenSsl.assumeAvailable();
    Files.writeString(dir.resolve("anchors.pem"), pems(c.anchors), StandardCharsets.US_ASCII);
    Files.writeString(dir.resolve("leaf.pem"), c.chain.get(0).pem(), StandardCharsets.US_ASCII);
    List<String> args = new ArrayList<>();
    args.add("verify");
    args.add("-partial_chain");
    args.add("-attime");
    args.add(Long.toString(AT.getEpochSecond()));
    args.add("-purpose");
    args.add(c.use == TrustAnchors.CertificateUse.TIME_STAMPING ? "timestampsign" : "smimesign");
    assumeFalse(
        c.chain.get(0).alg == Alg.SM2 && c.chain.size() > 1,
        "openssl verify gives the SM2 user id (-vfyopt) to the target certificate only, so it"
            + " cannot check an SM2 intermediate made with the GM/T 0009 default id");
    if (c.chain.get(0).alg == Alg.SM2) {
      // certificates signed by BouncyCastle's SM2 carry the GM/T 0009 default user id
      args.add("-vfyopt");
      args.add("distid:1234567812345678");
    }
    args.add("-CAfile");
    args.add("anchors.pem");
    if (c.chain.size() > 1) {
      Files.writeString(
          dir.resolve("untrusted.pem"),
          pems(c.chain.subList(1, c.chain.size())),
          StandardCharsets.US_ASCII);
      args.add("-untrusted");
      args.add("untrusted.pem");
    }
    if (!c.crls.isEmpty()) {
      StringBuilder b = new StringBuilder();
      c.crls.forEach(x -> b.append(Crypto.pem("X509 CRL", x)));
      Files.writeString(dir.resolve("crl.pem"), b.toString(), StandardCharsets.US_ASCII);
      args.add("-crl_check");
      args.add("-CRLfile");
      args.add("crl.pem");
    }
    args.add("leaf.pem");
    OpenSsl.Result r = OpenSsl.run(dir, args.toArray(new String[0]));
    assertEquals(c.trusted, r.exit == 0, () -> c.name + ": openssl says\n" + r.output);
  }

  private static String pems(List<Cert> certs) {
    StringBuilder b = new StringBuilder();
    certs.forEach(x -> b.append(x.pem()));
    return b.toString();
  }

  @Test
  void aRevocationAfterAnAttestedTimeLeavesTheSignatureValidButNotAnUnattestedOne()
      throws IOException {
    Cert root = TestPki.root(Spec.ca("Root"));
    Cert later = TestPki.issue(root, Spec.leaf("revoked later"));
    byte[] crl =
        TestPki.crl(
            root,
            Instant.parse("2026-08-01T00:00:00Z"),
            Instant.parse("2026-09-01T00:00:00Z"),
            List.of(later),
            Instant.parse("2026-07-15T00:00:00Z"));
    TrustAnchors a =
        TrustAnchors.ofCertificates(List.of(root.der())).withRevocationLists(List.of(crl));
    List<byte[]> chain = List.of(later.der());
    assertTrue(a.chainProblem(chain, AT, TrustAnchors.CertificateUse.SIGNING, true).isEmpty());
    // a claimed time is what the key holder says: a revoked key could claim any earlier date
    assertFalse(a.chainProblem(chain, AT, TrustAnchors.CertificateUse.SIGNING, false).isEmpty());
  }

  @Test
  void withCrlsAPathCertificateWithoutItsIssuersCrlIsRefused() throws IOException {
    Cert root = TestPki.root(Spec.ca("Root"));
    Cert other = TestPki.root(Spec.ca("Other"));
    byte[] otherCrl =
        TestPki.crl(other, AT.minusSeconds(86400), AT.plusSeconds(86400), List.of(), AT);
    TrustAnchors a =
        TrustAnchors.ofCertificates(List.of(root.der())).withRevocationLists(List.of(otherCrl));
    Optional<String> p =
        a.chainProblem(
            List.of(TestPki.issue(root, Spec.leaf("s")).der()),
            AT,
            TrustAnchors.CertificateUse.SIGNING,
            true);
    assertTrue(p.orElse("").contains("no CRL"), p::toString);
  }

  @Test
  void aCrlSignedByAnotherKeyCountsForNothing() throws IOException {
    Cert root = TestPki.root(Spec.ca("Root"));
    Cert impostor = TestPki.root(Spec.ca("Root"));
    Cert leaf = TestPki.issue(root, Spec.leaf("s"));
    byte[] fake =
        TestPki.crl(impostor, AT.minusSeconds(86400), AT.plusSeconds(86400), List.of(leaf), AT);
    TrustAnchors a =
        TrustAnchors.ofCertificates(List.of(root.der())).withRevocationLists(List.of(fake));
    Optional<String> p =
        a.chainProblem(List.of(leaf.der()), AT, TrustAnchors.CertificateUse.SIGNING, true);
    assertTrue(p.orElse("").contains("no CRL"), p::toString);
  }

  /**
   * The station whose key was stolen also signed the ledger's checkpoints (as the README's station
   * does). Checkpoint and disposition signatures carry no certificate: their key is trusted as an
   * anchor certificate's key, and a CRL in the trust file that revokes that certificate was
   * ignored, so the thief's checkpoints of a forged log still verified. Now a key
   * whose anchor certificate a given CRL of a trusted issuer revokes is not trusted; the other
   * station's is.
   */
  @Test
  void aCheckpointSignedWithARevokedStationKeyIsNotTrusted() throws IOException {
    Cert root = TestPki.root(Spec.ca("Bureau Root CA"));
    Cert stolen = TestPki.issue(root, Spec.leaf("ingest-station-7"));
    Cert kept = TestPki.issue(root, Spec.leaf("ingest-station-8"));
    byte[] crl =
        TestPki.crl(root, AT.minusSeconds(86400), AT.plusSeconds(86400), List.of(stolen), AT);
    TrustAnchors stations = TrustAnchors.ofCertificates(TestPki.ders(root, stolen, kept));
    TrustAnchors revoking = stations.withRevocationLists(List.of(crl));
    java.time.Clock clock = java.time.Clock.fixed(AT.plusSeconds(3600), java.time.ZoneOffset.UTC);
    try (org.evidencekit.store.FileSystemEvidenceStore store =
        org.evidencekit.store.FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), clock)) {
      org.evidencekit.ledger.EvidenceLedger ledger =
          org.evidencekit.ledger.EvidenceLedger.open(store, clock);
      ledger.append(viewed(clock));
      org.evidencekit.ledger.LogCheckpoint forged =
          ledger.checkpoint("ledger.bureau-7.example/evidence", keyOf(stolen));
      ledger.append(viewed(clock));
      org.evidencekit.ledger.LogCheckpoint honest =
          ledger.checkpoint("ledger.bureau-7.example/evidence", keyOf(kept));
      assertTrue(forged.verify(stations), "without the CRL its certificate's key is trusted");
      assertFalse(forged.verify(revoking), "revoked by the CRL the trust file gives");
      assertFalse(revoking.trustsKey(stolen.holder.getSubjectPublicKeyInfo().getEncoded("DER")));
      assertTrue(honest.verify(revoking), "the other station's key stays trusted");
      // the ledger's own check names the forged checkpoint as untrusted
      org.evidencekit.ledger.LedgerReport r = ledger.verify(revoking);
      assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
      assertEquals(Verdict.INTACT, ledger.verify(stations).verdict());
    }
  }

  private static org.evidencekit.ledger.LedgerEntry viewed(java.time.Clock clock) {
    return org.evidencekit.ledger.LedgerEntry.builder()
        .type(org.evidencekit.ledger.EntryType.VIEWED)
        .time(clock.instant())
        .actor("officer-17")
        .subject("DEVCAM7/rec.mp4")
        .build();
  }

  private SigningKeys.LocalSigningKey keyOf(Cert c) throws IOException {
    Path key = dir.resolve("k" + System.nanoTime() + ".pem");
    Files.writeString(key, Crypto.pem("PRIVATE KEY", c.keys.getPrivate().getEncoded()));
    return SigningKeys.readPem(key, null);
  }

  private Seal signedBy(Cert leaf, Cert... rest) throws IOException {
    Path key = dir.resolve("k" + System.nanoTime() + ".pem");
    Path certs = dir.resolve("c" + System.nanoTime() + ".pem");
    Files.writeString(key, Crypto.pem("PRIVATE KEY", leaf.keys.getPrivate().getEncoded()));
    StringBuilder b = new StringBuilder(leaf.pem());
    for (Cert c : rest) {
      b.append(c.pem());
    }
    Files.writeString(certs, b.toString());
    Seal unsigned;
    try (SealingChannel ch = Sealer.builder().build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(new byte[1000]));
      unsigned =
          ch.finish()
              .withMetadata(RecordingMetadata.builder().ingestTime(AT).deviceId("DEVCAM7").build());
    }
    return Seal.parse(SealSigner.sign(unsigned, SigningKeys.readPem(key, certs), null).toJson());
  }

  private static VerificationReport underRoot(Cert root, Seal seal) throws IOException {
    TrustPolicy p =
        TrustPolicy.builder()
            .signers(TrustAnchors.ofCertificates(List.of(root.der())))
            .clock(java.time.Clock.fixed(AT.plusSeconds(3600), java.time.ZoneOffset.UTC))
            .build();
    return Verifier.builder().trust(p).build().verifySeal(seal);
  }

  @Test
  void aSealSignedThroughAnOrdinaryStationCertificateIsUntrusted() throws IOException {
    Cert root = TestPki.root(Spec.ca("Bureau Root CA"));
    Cert station = TestPki.issue(root, Spec.leaf("ingest-station-1"));
    Cert rogue = TestPki.issue(station, Spec.leaf("rogue"));
    VerificationReport honest = underRoot(root, signedBy(station));
    assertTrue(honest.has(FindingCode.SIGNATURE_VERIFIED), honest::toString);
    assertTrue(honest.has(FindingCode.SIGNING_TIME_UNATTESTED), honest::toString);
    assertEquals(Verdict.INTACT, honest.verdict(), honest::toString);
    VerificationReport r = underRoot(root, signedBy(rogue, station));
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.SIGNER_UNTRUSTED), r::toString);
    assertFalse(r.has(FindingCode.SIGNATURE_VERIFIED), r::toString);
  }

  @Test
  void aCertificateValidIn2020To2021DoesNotVerifyASealSignedIn2026() throws IOException {
    Cert root =
        TestPki.root(
            Spec.ca("Bureau Root CA").valid("2019-01-01T00:00:00Z", "2035-01-01T00:00:00Z"));
    Cert old =
        TestPki.issue(
            root,
            Spec.leaf("retired station").valid("2020-01-01T00:00:00Z", "2021-12-31T00:00:00Z"));
    VerificationReport r = underRoot(root, signedBy(old));
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    assertTrue(
        r.findings(FindingCode.SIGNER_UNTRUSTED).get(0).message().contains("2026-06-01"),
        r::toString);
  }
}
