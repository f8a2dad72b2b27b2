package org.evidencekit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.evidencekit.continuity.DeviceFacts;
import org.evidencekit.seal.DeviceIds;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.trust.HttpTimestampAuthority;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.SealSigner;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.StationRegister;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.trust.TrustPolicy;
import org.evidencekit.verify.Verifier;

/** The CLI's side of the trust layer: metadata and signing for seal, anchors for verify. */
final class Trust {
  static final String PASSWORD_ENV = "EVIDENCE_KEY_PASSWORD";

  private Trust() {}

  static Seal bindAndSign(Seal seal, SealCommand c) throws IOException {
    RecordingMetadata.Builder m = RecordingMetadata.builder();
    try {
      m.ingestTime(Instant.now()).originalFileName(c.file.getFileName().toString());
      if (c.device != null) {
        m.deviceId(DeviceIds.check(c.device)); // as ingest: the archive keys by it
      }
      if (c.officer != null) {
        m.officerId(c.officer);
      }
      c.cases.forEach(m::addCaseId);
      if (c.recordingStart != null) {
        m.recordingStart(c.recordingStart);
      }
      if (c.recordingEnd != null) {
        m.recordingEnd(c.recordingEnd);
      }
      if (c.clockOffsetMs != null) {
        // the bound of ingest and analyze: a year off is a typo, and one past 2^53 ms would fail
        // only when the seal's JSON is written ("integer outside the JCS exact range")
        try {
          m.clockOffsetMillis(DeviceFacts.clockOffsetMillis(c.clockOffsetMs).toMillis());
        } catch (IllegalArgumentException e) {
          throw new EvidenceCommand.UsageException("--clock-offset-ms: " + e.getMessage());
        }
      }
      if (c.mediaType != null) {
        m.mediaType(c.mediaType);
      }
      if (c.previousSeal != null) {
        m.previousSealDigest(Cli.readSeal(c.previousSeal).digest().hex());
      }
    } catch (IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
    Seal bound = seal.withMetadata(m.build());
    if (c.key == null) {
      if (c.cert != null || c.tsa != null) {
        throw new EvidenceCommand.UsageException("--cert and --tsa need --key");
      }
      return bound;
    }
    SigningKeyProvider key = readKey(c.key, c.cert);
    return SealSigner.sign(bound, key, c.tsa == null ? null : HttpTimestampAuthority.create(c.tsa));
  }

  static SigningKeyProvider readKey(Path key, Path cert) throws IOException {
    if (!Files.exists(key)) {
      throw new EvidenceCommand.UsageException(
          "key not found: "
              + key
              + " (a new signing key is made with 'evidence keygen -o "
              + key
              + "')");
    }
    Cli.readableFile(key, "key");
    if (cert != null) {
      Cli.readableFile(cert, "certificate");
    }
    String name = key.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    try {
      if (name.endsWith(".p12") || name.endsWith(".pfx")) {
        String pw = System.getenv(PASSWORD_ENV);
        if (pw == null) {
          throw new EvidenceCommand.UsageException(
              "set " + PASSWORD_ENV + " to the password of " + key);
        }
        return SigningKeys.readPkcs12(key, pw.toCharArray());
      }
      return SigningKeys.readPem(key, cert);
    } catch (KeyFormatException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
  }

  /**
   * A verifier trusting the signers in {@code trust} (and TSAs in {@code tsaTrust}), if given;
   * {@code maxTimestampDelay}, if not null, bounds a token's time after a seal's claimed ingest;
   * {@code stationRegister}, if not null, binds each station to the devices it may seal for.
   */
  static Verifier verifier(
      java.util.List<Path> trust,
      java.util.List<Path> tsaTrust,
      java.util.List<Path> crls,
      Path stationRegister,
      java.time.Duration maxTimestampDelay,
      Verifier.Builder b)
      throws IOException {
    if (trust.isEmpty()) {
      if (!tsaTrust.isEmpty() || !crls.isEmpty() || stationRegister != null) {
        throw new EvidenceCommand.UsageException(
            "--tsa-trust, --crl and --station-register need --trust");
      }
      return b.build();
    }
    try {
      for (Path p : trust) {
        Cli.readableFile(p, "trust anchor");
      }
      for (Path p : tsaTrust) {
        Cli.readableFile(p, "TSA trust anchor");
      }
      for (Path p : crls) {
        Cli.readableFile(p, "CRL");
      }
      if (stationRegister != null) {
        Cli.readableFile(stationRegister, "station register");
      }
      TrustPolicy.Builder p =
          TrustPolicy.builder()
              .signers(TrustAnchors.fromPem(trust).withRevocationListsFromPem(crls));
      if (!tsaTrust.isEmpty()) {
        p.timestampAuthorities(TrustAnchors.fromPem(tsaTrust).withRevocationListsFromPem(crls));
      }
      if (maxTimestampDelay != null) {
        p.maxTimestampDelay(maxTimestampDelay);
      }
      if (stationRegister != null) {
        p.stationRegister(StationRegister.read(stationRegister));
      }
      return b.trust(p.build()).build();
    } catch (KeyFormatException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
  }
}
