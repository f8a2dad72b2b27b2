package org.evidencekit.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whoever holds one station's key could seal a recording claiming any camera of the bureau (another
 * district's, its officer, its case), and verification and the device chain accepted it: every
 * trusted key was trusted for every device. With the bureau's station register, a seal whose device
 * its signer is not bound to is {@code DEVICE_NOT_BOUND}, INCONCLUSIVE, and an untrusted link in
 * that device's chain.
 */
class StationRegisterTest {
  static final Instant AT = HostileInputProperties.AT;
  static final SigningKeys.LocalSigningKey DISTRICT3 = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey DISTRICT5 =
      SigningKeys.generate(SignatureSuite.ECDSA_P256_SHA256);

  @TempDir Path dir;

  static String register(String... stations) {
    return "{\"format\":\"evidencekit.station-register/1\",\"stations\":["
        + String.join(",", stations)
        + "]}";
  }

  static String station(String name, SigningKeyProvider key, String devices, String period) {
    return "{\"name\":\""
        + name
        + "\",\"keyId\":\""
        + key.keyId()
        + "\",\"devices\":["
        + devices
        + "]"
        + period
        + "}";
  }

  static StationRegister bureau() throws KeyFormatException {
    return StationRegister.parse(
        register(
                station("district-3/ingest-1", DISTRICT3, "\"D3-*\",\"DEVCAM7\"", ""),
                station("district-5/ingest-2", DISTRICT5, "\"D5-CAM1\"", ""))
            .getBytes(StandardCharsets.UTF_8));
  }

  static Seal seal(
      SigningKeyProvider key, String device, String previousDigest, boolean timestamped)
      throws IOException {
    Seal unsigned;
    try (SealingChannel ch = Sealer.builder().build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(device.getBytes(StandardCharsets.UTF_8)));
      RecordingMetadata.Builder m = RecordingMetadata.builder().ingestTime(AT);
      if (device != null) {
        m.deviceId(device);
      }
      if (previousDigest != null) {
        m.previousSealDigest(previousDigest);
      }
      unsigned = ch.finish().withMetadata(m.build());
    }
    return SealSigner.sign(
        unsigned, key, timestamped ? new HostileInputProperties.TestAuthority() : null);
  }

  static Verifier verifier(StationRegister register) throws KeyFormatException {
    TrustPolicy.Builder p =
        TrustPolicy.builder()
            .signers(
                TrustAnchors.ofPublicKeys(
                    List.of(DISTRICT3.publicKeyDer(), DISTRICT5.publicKeyDer())))
            .timestampAuthorities(
                TrustAnchors.ofCertificates(List.of(HostileInputProperties.TSA_ROOT.der())))
            .clock(Clock.fixed(AT.plus(Duration.ofDays(1)), ZoneOffset.UTC));
    if (register != null) {
      p.stationRegister(register);
    }
    return Verifier.builder().trust(p.build()).build();
  }

  @Test
  void anotherDistrictsStationSealingThisCameraIsNotBound() throws IOException {
    Seal forged = seal(DISTRICT5, "D3-CAM7", null, true);
    assertEquals(Verdict.INTACT, verifier(null).verifySeal(forged).verdict(), "without a register");

    VerificationReport r = verifier(bureau()).verifySeal(forged);

    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    List<Finding> f = r.findings(FindingCode.DEVICE_NOT_BOUND);
    assertEquals(1, f.size(), r::toString);
    String m = f.get(0).message();
    assertTrue(m.contains("D3-CAM7"), m);
    assertTrue(m.contains("district-5/ingest-2"), m);
    assertTrue(m.contains(DISTRICT5.keyId()), m);
    assertTrue(m.contains("D5-CAM1"), m);
    assertFalse(FindingCode.isInformational(FindingCode.DEVICE_NOT_BOUND));

    // the district's own station, by prefix and by exact id
    for (String device : List.of("D3-CAM7", "DEVCAM7", "D3-")) {
      VerificationReport own = verifier(bureau()).verifySeal(seal(DISTRICT3, device, null, true));
      assertEquals(Verdict.INTACT, own.verdict(), device + ": " + own);
    }
    // a prefix is a prefix of the id, not of its first characters only
    for (String device : List.of("D31-CAM7", "DEVCAM70", "d3-CAM7")) {
      VerificationReport other = verifier(bureau()).verifySeal(seal(DISTRICT3, device, null, true));
      assertTrue(other.has(FindingCode.DEVICE_NOT_BOUND), device + ": " + other);
    }
  }

  @Test
  void aTrustedSignerMissingFromTheRegisterSealsForNoDevice() throws IOException {
    StationRegister onlyDistrict3 =
        StationRegister.parse(
            register(station("district-3/ingest-1", DISTRICT3, "\"*\"", ""))
                .getBytes(StandardCharsets.UTF_8));
    VerificationReport r =
        verifier(onlyDistrict3).verifySeal(seal(DISTRICT5, "D5-CAM1", null, true));
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    String m = r.findings(FindingCode.DEVICE_NOT_BOUND).get(0).message();
    assertTrue(m.contains(DISTRICT5.keyId() + " is not in the station register"), m);
    // '*' alone binds a station to every device
    assertEquals(
        Verdict.INTACT,
        verifier(onlyDistrict3).verifySeal(seal(DISTRICT3, "D5-CAM1", null, true)).verdict());
  }

  /**
   * A seal naming no device was not judged by the register (session 15's review): district 5's
   * station, bound to D5-CAM1 only, sealed a recording with no device id claiming a district-3
   * officer and case, and it was INTACT. With a register it is now {@code DEVICE_NOT_BOUND}, even
   * for a station bound to every device; without one nothing changes.
   */
  @Test
  void aSealNamingNoDeviceIsNotBoundWhenARegisterIsGiven() throws IOException {
    Seal s =
        signed(
            DISTRICT5,
            RecordingMetadata.builder().officerId("d3-officer-7").addCaseId("D3-2026-0001"));
    assertEquals(Verdict.INTACT, verifier(null).verifySeal(s).verdict(), "without a register");

    VerificationReport r = verifier(bureau()).verifySeal(s);

    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    String m = r.findings(FindingCode.DEVICE_NOT_BOUND).get(0).message();
    assertTrue(m.contains("names no device"), m);
    assertTrue(m.contains(DISTRICT5.keyId()), m);
    StationRegister anyDevice =
        StationRegister.parse(
            register(station("district-5/ingest-2", DISTRICT5, "\"*\"", ""))
                .getBytes(StandardCharsets.UTF_8));
    assertTrue(
        verifier(anyDevice).verifySeal(s).has(FindingCode.DEVICE_NOT_BOUND),
        "a station bound to every device still names the one it sealed for");
  }

  /**
   * A hand-made seal's device or officer id holding a zero-width or bidirectional-override
   * character reads as another id in a report; ingest refuses such ids, the verifier did not
   * (session 15's review). It is now {@code UNPRINTABLE_IDENTIFIER}, INCONCLUSIVE, with the id
   * escaped, with or without a register; the register still compares the id exactly as written.
   */
  @Test
  void anIdHidingACharacterIsNamedAndTheRegisterComparesItExactly() throws IOException {
    Seal zeroWidth = signed(DISTRICT3, RecordingMetadata.builder().deviceId("DEVCAM7\u200B"));
    VerificationReport plain = verifier(null).verifySeal(zeroWidth);
    assertEquals(Verdict.INCONCLUSIVE, plain.verdict(), plain::toString);
    String m = plain.findings(FindingCode.UNPRINTABLE_IDENTIFIER).get(0).message();
    assertTrue(m.contains("deviceId DEVCAM7\\u200B"), m);
    assertTrue(m.contains("U+200B at position 7"), m);
    assertFalse(m.contains("\u200B"), "the message hides nothing itself: " + m);

    // DEVCAM7 is bound by its exact id: DEVCAM7 and a zero-width space is another device
    VerificationReport registered = verifier(bureau()).verifySeal(zeroWidth);
    assertTrue(registered.has(FindingCode.UNPRINTABLE_IDENTIFIER), registered::toString);
    String unbound = registered.findings(FindingCode.DEVICE_NOT_BOUND).get(0).message();
    assertTrue(unbound.contains("device DEVCAM7\\u200B,"), unbound);
    assertFalse(unbound.contains("\u200B"), unbound);

    // D3-* covers what starts with D3-, as written; the right-to-left override is still named
    Seal override =
        signed(
            DISTRICT3,
            RecordingMetadata.builder().deviceId("D3-\u202E1MAC").officerId("police\u00000042"));
    VerificationReport r = verifier(bureau()).verifySeal(override);
    assertFalse(r.has(FindingCode.DEVICE_NOT_BOUND), r::toString);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    String both = r.findings(FindingCode.UNPRINTABLE_IDENTIFIER).get(0).message();
    assertTrue(both.contains("deviceId D3-\\u202E1MAC holds"), both);
    assertTrue(both.contains("officerId police\\u00000042 holds"), both);
    assertTrue(both.contains("U+0000 at position 6"), both);

    // an honest station's ids are untouched
    assertEquals(
        Verdict.INTACT,
        verifier(bureau()).verifySeal(seal(DISTRICT3, "D3-CAM1", null, true)).verdict());
  }

  private static Seal signed(SigningKeyProvider key, RecordingMetadata.Builder m)
      throws IOException {
    Seal unsigned;
    try (SealingChannel ch = Sealer.builder().build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(new byte[10]));
      unsigned = ch.finish().withMetadata(m.ingestTime(AT).build());
    }
    return SealSigner.sign(unsigned, key, new HostileInputProperties.TestAuthority());
  }

  /** A camera moved from district 5 to district 3 at the start of June. */
  @Test
  void aBindingHoldsOnlyForItsPeriodAtTheSealsTrustedTime() throws IOException {
    Instant moved = AT; // the token of every test seal says AT
    StationRegister moves =
        StationRegister.parse(
            register(
                    station(
                        "district-5/ingest-2",
                        DISTRICT5,
                        "\"CAM-42\"",
                        ",\"until\":\"" + moved + "\""),
                    station(
                        "district-3/ingest-1",
                        DISTRICT3,
                        "\"CAM-42\"",
                        ",\"from\":\"" + moved + "\""))
                .getBytes(StandardCharsets.UTF_8));
    assertEquals(
        Verdict.INTACT,
        verifier(moves).verifySeal(seal(DISTRICT3, "CAM-42", null, true)).verdict());
    VerificationReport old = verifier(moves).verifySeal(seal(DISTRICT5, "CAM-42", null, true));
    assertEquals(Verdict.INCONCLUSIVE, old.verdict(), old::toString);
    String m = old.findings(FindingCode.DEVICE_NOT_BOUND).get(0).message();
    assertTrue(m.contains("until " + moved), m);
    assertTrue(m.contains("at " + AT), m);
  }

  /**
   * A binding's end is a revocation of the station's right to seal for the camera, and a time the
   * seal claims for itself attests nothing: district 5's key, stolen after the camera moved, sealed
   * a recording of it without a token, claimed an ingest time a day before the move, and verified
   * INTACT. Without a verified token the binding must hold at the verifier's own time too, the
   * latest the seal can have been signed.
   */
  @Test
  void aClaimedTimeBeforeABindingsEndDoesNotKeepIt() throws IOException {
    Instant moved = AT;
    StationRegister moves =
        StationRegister.parse(
            register(
                    station(
                        "district-5/ingest-2",
                        DISTRICT5,
                        "\"CAM-42\"",
                        ",\"until\":\"" + moved + "\""),
                    station("district-3/ingest-1", DISTRICT3, "\"D3-*\"", ""))
                .getBytes(StandardCharsets.UTF_8));
    Seal backDated;
    try (SealingChannel ch = Sealer.builder().build().newSealingChannel()) {
      ch.write(ByteBuffer.wrap(new byte[10]));
      backDated =
          SealSigner.sign(
              ch.finish()
                  .withMetadata(
                      RecordingMetadata.builder()
                          .deviceId("CAM-42")
                          .ingestTime(moved.minus(Duration.ofDays(1)))
                          .build()),
              DISTRICT5,
              null);
    }
    TrustPolicy.Builder noTsa =
        TrustPolicy.builder()
            .signers(
                TrustAnchors.ofPublicKeys(
                    List.of(DISTRICT3.publicKeyDer(), DISTRICT5.publicKeyDer())))
            .stationRegister(moves);
    // verified the day before the move, the binding still holds: the seal was signed by then
    VerificationReport before =
        Verifier.builder()
            .trust(noTsa.clock(Clock.fixed(moved.minusSeconds(60), ZoneOffset.UTC)).build())
            .build()
            .verifySeal(backDated);
    assertEquals(Verdict.INTACT, before.verdict(), before::toString);

    VerificationReport after =
        Verifier.builder()
            .trust(
                TrustPolicy.builder()
                    .signers(
                        TrustAnchors.ofPublicKeys(
                            List.of(DISTRICT3.publicKeyDer(), DISTRICT5.publicKeyDer())))
                    .stationRegister(moves)
                    .clock(Clock.fixed(moved.plus(Duration.ofDays(10)), ZoneOffset.UTC))
                    .build())
            .build()
            .verifySeal(backDated);

    assertEquals(Verdict.INCONCLUSIVE, after.verdict(), after::toString);
    String m = after.findings(FindingCode.DEVICE_NOT_BOUND).get(0).message();
    assertTrue(m.contains("until " + moved) && m.contains("no verified timestamp"), m);
    // with a token before the move the same station's seal stands after it
    VerificationReport attested =
        verifier(
                StationRegister.parse(
                    register(
                            station(
                                "district-5/ingest-2",
                                DISTRICT5,
                                "\"CAM-42\"",
                                ",\"until\":\"" + moved.plusSeconds(1) + "\""))
                        .getBytes(StandardCharsets.UTF_8)))
            .verifySeal(seal(DISTRICT5, "CAM-42", null, true));
    assertEquals(Verdict.INTACT, attested.verdict(), attested::toString);
  }

  @Test
  void anUnboundSealIsAnUntrustedLinkInTheDevicesChain() throws IOException {
    Seal first = seal(DISTRICT3, "D3-CAM7", null, true);
    Seal forged = seal(DISTRICT5, "D3-CAM7", first.digest().hex(), true);
    List<Seal> chain = List.of(first, forged);
    assertTrue(
        DeviceChain.verify("D3-CAM7", chain, verifier(null)).isEmpty(),
        "without a register the forged seal is in order");

    List<DeviceChain.Finding> found = DeviceChain.verify("D3-CAM7", chain, verifier(bureau()));

    assertEquals(1, found.size(), found::toString);
    DeviceChain.Finding f = found.get(0);
    assertEquals(DeviceChain.Problem.UNTRUSTED, f.problem());
    assertEquals(forged.digest().hex(), f.sealDigest());
    assertTrue(f.message().contains(FindingCode.DEVICE_NOT_BOUND), f.message());
  }

  /**
   * A bureau that certifies its stations binds them by certificate subject: a renewed certificate
   * with a new key keeps the binding, and another station's certificate from the same CA does not
   * get it.
   */
  @Test
  void aCertifiedStationIsBoundByItsCertificatesSubject() throws IOException {
    TestPki.Cert root = TestPki.root(TestPki.Spec.ca("Bureau Root CA"));
    TrustAnchors ca = TrustAnchors.ofCertificates(List.of(root.der()));
    StationRegister bySubject =
        StationRegister.parse(
            register(
                    "{\"name\":\"district-5/ingest-2\",\"subject\":"
                        + "\"cn=ingest-2, OU=District 5\",\"devices\":[\"D5-*\"]}")
                .getBytes(StandardCharsets.UTF_8));
    Verifier verifier =
        Verifier.builder()
            .trust(
                TrustPolicy.builder()
                    .signers(ca)
                    .timestampAuthorities(
                        TrustAnchors.ofCertificates(List.of(HostileInputProperties.TSA_ROOT.der())))
                    .clock(Clock.fixed(AT.plus(Duration.ofDays(1)), ZoneOffset.UTC))
                    .stationRegister(bySubject)
                    .build())
            .build();
    SigningKeyProvider first = certified(root, "ingest-2,OU=District 5");
    SigningKeyProvider renewed = certified(root, "ingest-2,OU=District 5");
    SigningKeyProvider other = certified(root, "ingest-9,OU=District 3");

    for (SigningKeyProvider k : List.of(first, renewed)) {
      VerificationReport r = verifier.verifySeal(seal(k, "D5-CAM1", null, true));
      assertEquals(Verdict.INTACT, r.verdict(), r::toString);
      VerificationReport foreign = verifier.verifySeal(seal(k, "D3-CAM7", null, true));
      assertTrue(foreign.has(FindingCode.DEVICE_NOT_BOUND), foreign::toString);
      String m = foreign.findings(FindingCode.DEVICE_NOT_BOUND).get(0).message();
      assertTrue(m.contains("district-5/ingest-2") && m.contains("D3-CAM7"), m);
    }
    VerificationReport r = verifier.verifySeal(seal(other, "D5-CAM1", null, true));
    assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    String m = r.findings(FindingCode.DEVICE_NOT_BOUND).get(0).message();
    assertTrue(m.contains("not in the station register") && m.contains("ingest-9"), m);
    // a bare key is named by no subject
    assertTrue(
        bySubject.problem(DISTRICT5.keyId(), List.of(), "D5-CAM1", AT).isPresent(),
        "a bare key is not bound by a subject");
  }

  private SigningKeyProvider certified(TestPki.Cert root, String cn) throws IOException {
    TestPki.Cert station = TestPki.issue(root, TestPki.Spec.leaf(cn));
    Path key = Files.createTempFile(dir, "station", ".pem");
    Path cert = Files.createTempFile(dir, "station", ".crt");
    Files.writeString(
        key,
        org.evidencekit.internal.trust.Crypto.pem(
            "PRIVATE KEY", station.keys.getPrivate().getEncoded()));
    Files.writeString(cert, station.pem());
    return SigningKeys.readPem(key, cert);
  }

  @Test
  void aMalformedRegisterIsRefusedPrecisely() throws IOException {
    String ok = "\"name\":\"s\",\"keyId\":\"" + DISTRICT3.keyId() + "\",\"devices\":[\"D3-*\"]";
    String[][] bad = {
      {"[]", "must be an object"},
      {"{\"format\":\"evidencekit.station-register/2\",\"stations\":[]}", "is not"},
      {register("{" + ok + ",\"extra\":1}"), "unknown member 'extra'"},
      {register("{\"name\":\"s\",\"keyId\":\"sha256:ab\",\"devices\":[\"x\"]}"), "not a key id"},
      {
        register("{\"name\":\"s\",\"keyId\":\"" + DISTRICT3.keyId() + "\",\"devices\":[]}"),
        "'devices' is empty"
      },
      {
        register("{\"name\":\"s\",\"keyId\":\"" + DISTRICT3.keyId() + "\",\"devices\":[\"D*3\"]}"),
        "'*' may only end it"
      },
      {
        register("{\"name\":\"s\",\"keyId\":\"" + DISTRICT3.keyId() + "\",\"devices\":[7]}"),
        "not a device id"
      },
      {register("{" + ok + ",\"from\":\"2026-06-01\"}"), "'from' '2026-06-01' is not a UTC time"},
      {register("{" + ok + ",\"until\":\"2026-06-01T00:00:00+08:00\"}"), "is not a UTC time"},
      {
        register(
            "{" + ok + ",\"from\":\"2026-06-01T00:00:00Z\",\"until\":\"2026-06-01T00:00:00Z\"}"),
        "is not after"
      },
      {
        register("{\"keyId\":\"" + DISTRICT3.keyId() + "\",\"devices\":[\"x\"]}"),
        "missing required member 'name'"
      },
      {"not json", "not valid JSON"},
      {register("{\"name\":\"s\",\"devices\":[\"x\"]}"), "exactly one of 'keyId' and 'subject'"},
      {register("{" + ok + ",\"subject\":\"CN=x\"}"), "exactly one of 'keyId' and 'subject'"},
      {
        register("{\"name\":\"s\",\"subject\":\"no name\",\"devices\":[\"x\"]}"),
        "is not an X.500 name"
      },
    };
    for (String[] b : bad) {
      KeyFormatException e =
          assertThrows(
              KeyFormatException.class,
              () -> StationRegister.parse(b[0].getBytes(StandardCharsets.UTF_8)),
              b[0]);
      assertTrue(e.getMessage().contains(b[1]), b[0] + " -> " + e.getMessage());
    }
    Path f = dir.resolve("register.json");
    Files.writeString(f, register("{" + ok + ",\"from\":\"soon\"}"));
    KeyFormatException e = assertThrows(KeyFormatException.class, () -> StationRegister.read(f));
    assertTrue(e.getMessage().startsWith(f + ": stations[0]: 'from'"), e.getMessage());
    Files.writeString(f, register("{" + ok + "}"));
    StationRegister read = StationRegister.read(f);
    assertTrue(read.problem(DISTRICT3.keyId(), List.of(), "D3-CAM7", AT).isEmpty());
    assertThrows(
        IllegalStateException.class,
        () -> TrustPolicy.builder().stationRegister(read).stationRegister(read));
  }
}
