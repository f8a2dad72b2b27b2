package org.evidencekit.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampToken;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token attests only that a seal was signed no later than its time; the seal's ingest time is
 * whatever the signer wrote. Whoever holds a station's key (its certificate valid for years) signs
 * today a seal claiming an ingest months ago and has it timestamped today: it verified INTACT, and
 * readers took the claimed time for the ingest time (in time for Art. 17, in order in its device's
 * history). Now a token later than the claimed ingest time by more than the policy's bound is
 * {@code TIMESTAMP_DELAYED}. Against a real TSA: OpenSSL's {@code ts -reply}.
 */
class BackDatedTimestampTest {
  @TempDir static Path tsaDir;
  @TempDir Path dir;
  static OpenSsl.Tsa tsa;

  private TestPki.Cert root;
  private SigningKeys.LocalSigningKey stationKey;
  private TrustAnchors stations;
  private TrustAnchors tsaAnchors;

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

  /** A station certified for ten years, five of them gone: any date this test claims is inside. */
  @BeforeEach
  void station() throws IOException {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    root =
        TestPki.root(
            TestPki.Spec.ca("Bureau Root CA")
                .valid(now.minus(Duration.ofDays(3650)).toString(), "2045-01-01T00:00:00Z"));
    TestPki.Cert station =
        TestPki.issue(
            root,
            TestPki.Spec.leaf("ingest-station-7")
                .valid(now.minus(Duration.ofDays(1826)).toString(), "2040-01-01T00:00:00Z"));
    Path key = dir.resolve("station.pem");
    Path cert = dir.resolve("station.crt");
    Files.writeString(key, Crypto.pem("PRIVATE KEY", station.keys.getPrivate().getEncoded()));
    Files.writeString(cert, station.pem());
    stationKey = SigningKeys.readPem(key, cert);
    stations = TrustAnchors.ofCertificates(List.of(root.der()));
    tsaAnchors = TrustAnchors.fromPem(List.of(tsa.dir.resolve("tsa-ca.crt")));
  }

  private Seal signedNow(Instant claimedIngest) throws IOException {
    return SealSigner.sign(
        OpenSslInteropTest.seal()
            .withMetadata(
                RecordingMetadata.builder().deviceId("DEVCAM7").ingestTime(claimedIngest).build()),
        stationKey,
        HttpTimestampAuthority.create(tsa.uri));
  }

  private TrustPolicy.Builder policy() {
    return TrustPolicy.builder().signers(stations).timestampAuthorities(tsaAnchors);
  }

  private static VerificationReport verify(Seal seal, TrustPolicy policy) {
    return Verifier.builder().trust(policy).build().verifySeal(seal);
  }

  /** The time the TSA put into the seal's token, read from the token itself. */
  private static Instant tokenTime(Seal seal) {
    byte[] der = seal.signature().orElseThrow().timestampToken().orElseThrow();
    try {
      return new TimeStampToken(new CMSSignedData(der)).getTimeStampInfo().getGenTime().toInstant();
    } catch (CMSException | TSPException | IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aSealBackDatedByMonthsAndTimestampedTodayIsNotBelieved() throws IOException {
    Instant claimed = Instant.now().minus(Duration.ofDays(120)).truncatedTo(ChronoUnit.SECONDS);
    Seal backDated = signedNow(claimed);
    Instant stamped = tokenTime(backDated);

    VerificationReport r = verify(backDated, policy().build());

    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    List<Finding> delayed = r.findings(FindingCode.TIMESTAMP_DELAYED);
    assertEquals(1, delayed.size(), r::toString);
    String m = delayed.get(0).message();
    assertTrue(m.contains(claimed.toString()), m);
    assertTrue(m.contains(stamped.toString()), m);
    // the signature and the token are genuine; the claimed ingest time is what is not believed
    assertTrue(r.has(FindingCode.SIGNATURE_VERIFIED), r::toString);
    assertTrue(r.has(FindingCode.TIMESTAMP_VERIFIED), r::toString);
    assertFalse(r.has(FindingCode.SIGNER_UNTRUSTED), r::toString);
    assertFalse(FindingCode.isInformational(FindingCode.TIMESTAMP_DELAYED));
    // what a reader may take as the latest the ingest can have been: the token's time
    assertEquals(stamped, r.attestedTime().orElseThrow());
  }

  @Test
  void anHonestSealTimestampedSecondsAfterItsIngestIsIntact() throws IOException {
    Seal honest = signedNow(Instant.now());

    VerificationReport r = verify(honest, policy().build());

    assertEquals(Verdict.INTACT, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.TIMESTAMP_VERIFIED), r::toString);
    assertFalse(r.has(FindingCode.TIMESTAMP_DELAYED), r::toString);
    assertEquals(tokenTime(honest), r.attestedTime().orElseThrow());
  }

  /**
   * A station's run stamps its start on every seal and timestamps each as it logs it: two hours
   * into a large card is within the default bound. At the bound exactly the seal is believed; a
   * millisecond past it, not.
   */
  @Test
  void theBoundHoldsToTheMillisecond() throws IOException {
    Instant claimed = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MILLIS);
    Seal seal = signedNow(claimed);
    Duration delay = Duration.between(claimed, tokenTime(seal));

    VerificationReport byDefault = verify(seal, policy().build());
    assertEquals(Verdict.INTACT, byDefault.verdict(), byDefault::toString);

    VerificationReport atTheBound = verify(seal, policy().maxTimestampDelay(delay).build());
    assertEquals(Verdict.INTACT, atTheBound.verdict(), atTheBound::toString);
    assertFalse(atTheBound.has(FindingCode.TIMESTAMP_DELAYED), atTheBound::toString);

    VerificationReport past =
        verify(seal, policy().maxTimestampDelay(delay.minusMillis(1)).build());
    assertEquals(Verdict.INCONCLUSIVE, past.verdict(), past::toString);
    assertTrue(past.has(FindingCode.TIMESTAMP_DELAYED), past::toString);

    // a seven-hour run's last seal is past the default six hours
    Seal late = signedNow(Instant.now().minus(Duration.ofHours(7)));
    assertTrue(verify(late, policy().build()).has(FindingCode.TIMESTAMP_DELAYED));
  }

  @Test
  void withoutAVerifiedTokenNothingChanges() throws IOException {
    Instant claimed = Instant.now().minus(Duration.ofDays(120)).truncatedTo(ChronoUnit.SECONDS);
    Seal unstamped =
        SealSigner.sign(
            OpenSslInteropTest.seal()
                .withMetadata(
                    RecordingMetadata.builder().deviceId("DEVCAM7").ingestTime(claimed).build()),
            stationKey,
            null);
    VerificationReport noToken = verify(unstamped, TrustPolicy.builder().signers(stations).build());
    assertEquals(Verdict.INTACT, noToken.verdict(), noToken::toString);
    assertTrue(noToken.has(FindingCode.SIGNING_TIME_UNATTESTED), noToken::toString);
    assertTrue(
        noToken
            .findings(FindingCode.SIGNING_TIME_UNATTESTED)
            .get(0)
            .message()
            .contains(claimed.toString()),
        noToken::toString);
    assertFalse(noToken.has(FindingCode.TIMESTAMP_DELAYED), noToken::toString);
    assertTrue(noToken.attestedTime().isEmpty(), noToken::toString);

    // a token no authority is trusted for attests nothing, so it delays nothing either
    VerificationReport unchecked =
        verify(signedNow(claimed), TrustPolicy.builder().signers(stations).build());
    assertTrue(unchecked.has(FindingCode.TIMESTAMP_UNCHECKED), unchecked::toString);
    assertTrue(unchecked.has(FindingCode.SIGNING_TIME_UNATTESTED), unchecked::toString);
    assertFalse(unchecked.has(FindingCode.TIMESTAMP_DELAYED), unchecked::toString);
    assertTrue(unchecked.attestedTime().isEmpty(), unchecked::toString);
  }

  @Test
  void aTokenBeforeTheClaimedIngestIsInvalidAsBefore() throws IOException {
    Seal forwardDated = signedNow(Instant.now().plus(Duration.ofDays(1)));

    VerificationReport r = verify(forwardDated, policy().build());

    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    assertTrue(r.has(FindingCode.TIMESTAMP_INVALID), r::toString);
    assertFalse(r.has(FindingCode.TIMESTAMP_DELAYED), r::toString);
    assertTrue(r.has(FindingCode.SIGNING_TIME_UNATTESTED), r::toString);
    assertTrue(r.attestedTime().isEmpty(), r::toString);
  }

  @Test
  void aNegativeBoundIsRefused() {
    TrustPolicy.Builder b = TrustPolicy.builder();
    assertThrows(IllegalArgumentException.class, () -> b.maxTimestampDelay(Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> b.maxTimestampDelay(null));
    // a refused value is not a setting: the right one can follow
    assertEquals(
        Duration.ZERO,
        b.signers(stations).maxTimestampDelay(Duration.ZERO).build().maxTimestampDelay());
    assertEquals(Duration.ofHours(6), policy().build().maxTimestampDelay());
  }
}
