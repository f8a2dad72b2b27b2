package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.ingest.IngestRequest;
import org.evidencekit.ingest.IngestStation;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.StationRegister;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.trust.TrustPolicy;
import org.evidencekit.verify.Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A station of another district ingests a card as camera DEVCAM7's: its key is trusted, so the
 * supervisor report showed the recordings as verified. With the bureau's station register, which
 * binds that station to its own district's cameras only, each is {@code SEAL_NOT_TRUSTED} saying
 * {@code DEVICE_NOT_BOUND}.
 */
class UnboundStationReportTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");
  static final String CASE = "ZZ-2023-0042";

  @TempDir Path dir;

  @Test
  void aStationSealingAnotherDistrictsCameraIsReportedUntrusted() throws Exception {
    SigningKeys.LocalSigningKey district5 = SigningKeys.generate(SignatureSuite.ED25519);
    Path root = dir.resolve("store");
    IngestRequest.Builder r = IngestRequest.builder("DEVCAM7", "police-0042").addCase(CASE);
    for (String name : ReportTest.SPLIT3) {
      Path to = dir.resolve("card").resolve(name);
      Files.createDirectories(to.getParent());
      try (InputStream in =
          UnboundStationReportTest.class
              .getClassLoader()
              .getResourceAsStream("fixtures/f02_split3/" + name)) {
        Files.copy(in, to);
      }
      r.add(to);
    }
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      IngestStation.builder()
          .store(st)
          .signer(district5)
          .clock(Clock.fixed(DOCKED, ZoneOffset.UTC))
          .build()
          .ingest(r.build());
    }

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      Selection open = select(st, district5, null);
      assertEquals(3, open.recordings().size());
      for (CatalogedRecording row : open.recordings()) {
        assertFalse(row.signatureProblem(), "without a register: " + row.signature());
      }

      Selection bound = select(st, district5, register(district5, "D5-*"));
      assertEquals(3, bound.recordings().size());
      for (CatalogedRecording row : bound.recordings()) {
        assertTrue(row.signatureProblem(), row.signature());
        assertTrue(row.signature().contains("DEVICE_NOT_BOUND"), row.signature());
        assertTrue(row.signature().contains("DEVCAM7"), row.signature());
      }
      assertTrue(
          bound.findings().stream().anyMatch(f -> f.code().equals("SEAL_NOT_TRUSTED")),
          bound.findings().toString());

      Selection own = select(st, district5, register(district5, "DEVCAM*"));
      for (CatalogedRecording row : own.recordings()) {
        assertFalse(row.signatureProblem(), row.signature());
      }
    }
  }

  private static StationRegister register(SigningKeys.LocalSigningKey key, String devices)
      throws Exception {
    return StationRegister.parse(
        ("{\"format\":\"evidencekit.station-register/1\",\"stations\":[{\"name\":\"district-5\","
                + "\"keyId\":\""
                + key.keyId()
                + "\",\"devices\":[\""
                + devices
                + "\"]}]}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static Selection select(
      EvidenceStore st, SigningKeys.LocalSigningKey stationKey, StationRegister register)
      throws Exception {
    TrustPolicy.Builder p =
        TrustPolicy.builder()
            .signers(TrustAnchors.ofPublicKeys(List.of(stationKey.publicKeyDer())));
    if (register != null) {
      p.stationRegister(register);
    }
    Verifier stations = Verifier.builder().trust(p.build()).build();
    Clock now = Clock.systemUTC();
    return ArchiveCatalog.open(EvidenceArchive.open(st, now), "here", now)
        .select(CatalogQuery.builder().caseId(CASE).signatures(stations).build());
  }
}
