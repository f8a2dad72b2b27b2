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
import java.time.Instant;
import java.util.List;
import org.evidencekit.seal.GeoPosition;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealFormatException;
import org.evidencekit.seal.SealSignature;
import org.evidencekit.seal.SealSuite;
import org.evidencekit.seal.Sealer;
import org.evidencekit.seal.SealingChannel;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.Verdict;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Signed seals and the tamper matrix on the manifest. */
class TrustTest {
  @TempDir Path dir;

  static List<SignatureSuite> suites() {
    return SignatureSuite.all();
  }

  static final byte[] CONTENT = new byte[300_000];

  static {
    new java.util.Random(1).nextBytes(CONTENT);
  }

  static RecordingMetadata metadata() {
    return RecordingMetadata.builder()
        .deviceId("DEVCAM7")
        .officerId("police-0042")
        .addCaseId("ZZ-2026-0001")
        .recordingStart(Instant.parse("2023-06-01T14:10:00Z"))
        .recordingEnd(Instant.parse("2023-06-01T14:10:09Z"))
        .clockOffsetMillis(-1250)
        .addPosition(
            GeoPosition.of("34.810000", "117.320000", Instant.parse("2023-06-01T14:10:00Z")))
        .mediaType("video/mp4")
        .originalFileName("DEVCAM7_20230601_141000_001.mp4")
        .ingestTime(Instant.parse("2023-06-01T15:00:00Z"))
        .previousSealDigest("00".repeat(32))
        .build();
  }

  static Seal unsigned() throws IOException {
    try (SealingChannel ch =
        Sealer.builder()
            .suite(SealSuite.SHA256_SM3)
            .segmentSize(65536)
            .build()
            .newSealingChannel()) {
      ch.write(ByteBuffer.wrap(CONTENT));
      return ch.finish().withMetadata(metadata());
    }
  }

  private VerificationReport verify(Seal seal, TrustPolicy policy) throws IOException {
    Path f = dir.resolve("content-" + System.nanoTime());
    Files.write(f, CONTENT);
    // through the stored form, as a verifier meets it
    Seal stored = Seal.parse(seal.toJson());
    return Verifier.builder().trust(policy).build().verify(f, stored);
  }

  private static TrustPolicy trusting(SigningKeys.LocalSigningKey key) throws IOException {
    return TrustPolicy.builder()
        .signers(TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer())))
        .build();
  }

  private static Seal edit(Seal seal, String from, String to) throws SealFormatException {
    String json = new String(seal.toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains(from), "test edit target present: " + from);
    return Seal.parse(json.replace(from, to).getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void aSignedSealVerifies(SignatureSuite suite) throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(suite);
    Seal signed = SealSigner.sign(unsigned(), key, null);
    VerificationReport r = verify(signed, trusting(key));
    assertEquals(Verdict.INTACT, r.verdict(), r.toString());
    assertTrue(r.has(FindingCode.SIGNATURE_VERIFIED));
    assertEquals(metadata(), Seal.parse(signed.toJson()).metadata().orElseThrow());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void anyChangedMetadataFieldBreaksTheSignature(SignatureSuite suite) throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(suite);
    Seal signed = SealSigner.sign(unsigned(), key, null);
    String[][] edits = {
      {"DEVCAM7\"", "DEVCAM8\""},
      {"police-0042", "police-0043"},
      {"ZZ-2026-0001", "ZZ-2026-0002"},
      {"2023-06-01T14:10:09Z", "2023-06-01T14:10:19Z"},
      {"-1250", "0"},
      {"34.810000", "34.810001"},
      {"video/mp4", "video/quicktime"},
      {"2023-06-01T15:00:00Z", "2023-06-01T15:00:01Z"},
    };
    for (String[] e : edits) {
      VerificationReport r = verify(edit(signed, e[0], e[1]), trusting(key));
      assertEquals(Verdict.INCONCLUSIVE, r.verdict(), e[0]);
      assertTrue(r.has(FindingCode.SIGNATURE_INVALID), e[0] + ": " + r);
    }
  }

  @Test
  void aRemovedSignatureIsMissing() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    VerificationReport r = verify(unsigned(), trusting(key));
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertTrue(r.has(FindingCode.SIGNATURE_MISSING));
  }

  @Test
  void aSealSignedByAnotherKeyIsUntrusted() throws IOException {
    SigningKeys.LocalSigningKey trusted = SigningKeys.generate(SignatureSuite.SM2_SM3);
    SigningKeys.LocalSigningKey other = SigningKeys.generate(SignatureSuite.SM2_SM3);
    VerificationReport r = verify(SealSigner.sign(unsigned(), other, null), trusting(trusted));
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertTrue(r.has(FindingCode.SIGNER_UNTRUSTED));
    assertFalse(r.has(FindingCode.SIGNATURE_INVALID));
  }

  @Test
  void aSwappedPublicKeyIsInvalidNotUntrusted() throws IOException {
    SigningKeys.LocalSigningKey a = SigningKeys.generate(SignatureSuite.ED25519);
    SigningKeys.LocalSigningKey b = SigningKeys.generate(SignatureSuite.ED25519);
    Seal signed = SealSigner.sign(unsigned(), a, null);
    SealSignature s = signed.signature().orElseThrow();
    // claim the trusted key b made a's signature
    Seal swapped =
        signed.withSignature(
            SealSignature.of(s.suite(), b.keyId(), b.publicKeyDer(), List.of(), s.value()));
    VerificationReport r = verify(swapped, trusting(b));
    assertTrue(r.has(FindingCode.SIGNATURE_INVALID), r.toString());
  }

  @Test
  void aWrongKeyIdIsInvalid() throws IOException {
    SigningKeys.LocalSigningKey a = SigningKeys.generate(SignatureSuite.ECDSA_P256_SHA256);
    Seal signed = SealSigner.sign(unsigned(), a, null);
    Seal bad = edit(signed, a.keyId(), "sha256:" + "ab".repeat(32));
    assertTrue(verify(bad, trusting(a)).has(FindingCode.SIGNATURE_INVALID));
  }

  @Test
  void aChangedRootIsCaughtTwice() throws IOException {
    SigningKeys.LocalSigningKey a = SigningKeys.generate(SignatureSuite.ED25519);
    Seal signed = SealSigner.sign(unsigned(), a, null);
    String root = signed.root(org.evidencekit.hash.HashAlgorithm.SHA256).hex();
    VerificationReport r = verify(edit(signed, root, "11".repeat(32)), trusting(a));
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertTrue(r.has(FindingCode.SEAL_ROOT_MISMATCH));
    assertTrue(r.has(FindingCode.SIGNATURE_INVALID));
  }

  @Test
  void tamperedContentUnderAValidSignatureIsTamperedNotASignatureProblem() throws IOException {
    SigningKeys.LocalSigningKey a = SigningKeys.generate(SignatureSuite.SM2_SM3);
    Seal signed = SealSigner.sign(unsigned(), a, null);
    Path f = dir.resolve("tampered");
    byte[] t = CONTENT.clone();
    t[100_000] ^= 1;
    Files.write(f, t);
    VerificationReport r = Verifier.builder().trust(trusting(a)).build().verify(f, signed);
    assertEquals(Verdict.TAMPERED, r.verdict());
    assertTrue(r.has(FindingCode.SIGNATURE_VERIFIED));
    assertTrue(r.has(FindingCode.SEGMENT_MODIFIED));
  }

  @Test
  void withoutATrustPolicyASignatureIsReportedUnchecked() throws IOException {
    Seal signed = SealSigner.sign(unsigned(), SigningKeys.generate(SignatureSuite.ED25519), null);
    Path f = dir.resolve("c");
    Files.write(f, CONTENT);
    VerificationReport r = Verifier.create().verify(f, signed);
    assertEquals(Verdict.INTACT, r.verdict());
    assertTrue(r.has(FindingCode.SIGNATURE_UNCHECKED));
  }

  @Test
  void aRequiredTimestampThatIsMissingFails() throws IOException {
    SigningKeys.LocalSigningKey a = SigningKeys.generate(SignatureSuite.ED25519);
    TrustPolicy p =
        TrustPolicy.builder()
            .signers(TrustAnchors.ofPublicKeys(List.of(a.publicKeyDer())))
            .requireTimestamp(true)
            .build();
    VerificationReport r = verify(SealSigner.sign(unsigned(), a, null), p);
    assertEquals(Verdict.INCONCLUSIVE, r.verdict());
    assertTrue(r.has(FindingCode.TIMESTAMP_MISSING));
  }

  @Test
  void keysRoundTripThroughPem() throws IOException {
    for (SignatureSuite s : SignatureSuite.all()) {
      SigningKeys.LocalSigningKey k = SigningKeys.generate(s);
      Path pem = dir.resolve(s.name() + ".pem");
      Path pub = dir.resolve(s.name() + ".pub.pem");
      Files.writeString(pem, k.privateKeyPem());
      Files.writeString(pub, k.publicKeyPem());
      SigningKeys.LocalSigningKey back = SigningKeys.readPem(pem, null);
      assertEquals(s, back.suite());
      assertEquals(k.keyId(), back.keyId());
      TrustAnchors anchors = TrustAnchors.fromPem(List.of(pub));
      assertTrue(anchors.trustsKey(k.publicKeyDer()));
    }
  }

  @Test
  void badKeyFilesAreClearErrors() throws IOException {
    Path junk = dir.resolve("junk.pem");
    Files.writeString(junk, "not a key");
    assertThrows(KeyFormatException.class, () -> SigningKeys.readPem(junk, null));
    Files.writeString(junk, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertThrows(KeyFormatException.class, () -> SigningKeys.readPem(junk, null));
    Files.writeString(junk, "-----BEGIN PRIVATE KEY-----\nAAAA\n");
    assertThrows(KeyFormatException.class, () -> SigningKeys.readPem(junk, null));
    assertThrows(KeyFormatException.class, () -> TrustAnchors.fromPem(List.of(junk)));
    assertThrows(KeyFormatException.class, () -> SigningKeys.readPkcs12(junk, new char[0]));
    assertThrows(IllegalStateException.class, () -> TrustPolicy.builder().build());
  }

  /**
   * A key file, certificate or keystore over the bound is refused having read at most one byte past
   * it: a sparse 4 GiB PKCS#12 file whose DER header declares 2 GiB made the keystore parser read
   * that much, and a device reporting size 0 (/dev/zero) was read until memory ran out.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 20, unit = java.util.concurrent.TimeUnit.SECONDS)
  void oversizedKeyFilesAreRefusedUnreadNotLoadedWhole() throws IOException {
    Path huge = dir.resolve("huge.p12");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      f.write(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, 0x00});
      f.setLength(4L << 30);
    }
    KeyFormatException e =
        assertThrows(KeyFormatException.class, () -> SigningKeys.readPkcs12(huge, new char[0]));
    assertTrue(
        e.getMessage().contains(huge.toString()) && e.getMessage().contains("1048576 bytes"),
        e.getMessage());
    e = assertThrows(KeyFormatException.class, () -> SigningKeys.readPem(huge, null));
    assertTrue(e.getMessage().contains("1048576 bytes"), e.getMessage());
    e = assertThrows(KeyFormatException.class, () -> TrustAnchors.fromPem(List.of(huge)));
    assertTrue(e.getMessage().contains("1048576 bytes"), e.getMessage());
    Path zero = Path.of("/dev/zero");
    if (Files.isReadable(zero)) {
      // a device that never ends is no key file: refused before a byte is read
      java.nio.file.FileSystemException d =
          assertThrows(
              java.nio.file.FileSystemException.class, () -> SigningKeys.readPem(zero, null));
      assertTrue(
          d.getMessage().contains("/dev/zero") && d.getMessage().contains("not a regular file"),
          d.getMessage());
    }
  }

  @Test
  void malformedSignatureMembersAreFormatErrors() throws IOException {
    Seal signed = SealSigner.sign(unsigned(), SigningKeys.generate(SignatureSuite.ED25519), null);
    String json = new String(signed.toJson(), StandardCharsets.UTF_8);
    for (String[] e :
        new String[][] {
          {"\"value\":\"", "\"value\":\"!!"},
          {"\"keyId\":", "\"keyIdX\":"},
          {"\"deviceId\":\"DEVCAM7\"", "\"deviceId\":7"},
          {"\"ingestTime\":\"2023-06-01T15:00:00Z\"", "\"ingestTime\":\"yesterday\""},
          {"\"latitude\":\"34.810000\"", "\"latitude\":\"134.8\""},
        }) {
      assertThrows(
          SealFormatException.class,
          () -> Seal.parse(json.replace(e[0], e[1]).getBytes(StandardCharsets.UTF_8)),
          e[0]);
    }
  }
}
