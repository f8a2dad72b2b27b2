package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.Hostile;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;

/**
 * The ledger's parsers under attack (R-17, R-18: a ledger artefact handed to a court or a witness
 * may come from anyone): entries, inclusion and consistency proofs, checkpoints in both the C2SP
 * note and JSON forms, and proof bundles. Each returns a value whose checks answer with a verdict,
 * or throws {@link LedgerException} (an {@link IOException} for bundles), quickly.
 */
class HostileInputProperties {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T02:00:00Z"), ZoneOffset.UTC);
  static final SigningKeys.LocalSigningKey KEY = SigningKeys.generate(SignatureSuite.ED25519);
  static final Valid VALID = Valid.build();

  /** Valid artefacts of every kind, from a small archive. */
  record Valid(
      List<byte[]> entries,
      List<byte[]> inclusions,
      List<byte[]> consistencies,
      List<byte[]> checkpoints,
      List<byte[]> bundles,
      TrustAnchors trust,
      LedgerEntry anEntry,
      String witnessKey) {
    static Valid build() {
      try {
        InMemoryEvidenceStore store = new InMemoryEvidenceStore(CLOCK);
        EvidenceArchive archive = EvidenceArchive.open(store, CLOCK);
        Path f = Files.createTempFile("hostile", ".mp4");
        List<byte[]> bundles = new ArrayList<>();
        try {
          for (int i = 0; i < 3; i++) {
            byte[] content = new byte[Sealer.MIN_SEGMENT_SIZE * 2 + 17 * i];
            new Random(i).nextBytes(content);
            Files.write(f, content);
            Seal seal =
                Sealer.builder()
                    .segmentSize(Sealer.MIN_SEGMENT_SIZE)
                    .build()
                    .seal(f)
                    .withMetadata(
                        RecordingMetadata.builder()
                            .deviceId("CAM-" + i)
                            .officerId("officer-" + i)
                            .recordingStart(Instant.parse("2026-03-01T01:00:00Z").plusSeconds(i))
                            .build());
            archive.ingest("CAM-" + i + "/rec" + i + ".mp4", f, seal, "intake-1");
          }
          bundles.add(archive.export("CAM-1/rec1.mp4", "clerk", "appeal", "court-7", KEY).toJson());
        } finally {
          Files.deleteIfExists(f);
        }
        EvidenceLedger l = archive.ledger();
        for (int i = 0; i < 9; i++) {
          l.append(
              LedgerEntry.builder()
                  .type(EntryType.VIEWED)
                  // viewed after the ingest (the clock's time): an hour before it, the ledger
                  // refuses them now
                  .time(CLOCK.instant().plusSeconds(i))
                  .actor("officer-" + i)
                  .subject("cam/rec-" + i + ".mp4")
                  .details(Map.of("reason", "review " + i, "to", "court"))
                  .build());
        }
        List<byte[]> entries = new ArrayList<>();
        List<byte[]> inclusions = new ArrayList<>();
        List<byte[]> consistencies = new ArrayList<>();
        long n = l.size();
        for (long i = 0; i < n; i += 3) {
          entries.add(l.entry(i).canonical());
          inclusions.add(l.proveInclusion(i, n).toJson());
          inclusions.add(l.proveInclusion(i, i + 1).toJson());
        }
        for (long m = 1; m < n; m += 4) {
          consistencies.add(l.proveConsistency(m, n).toJson());
        }
        LogCheckpoint cp = l.checkpoint(KEY);
        Witness w = Witness.create("witness.example/w1", KEY);
        LogCheckpoint cosigned =
            w.cosign(
                cp,
                TrustAnchors.ofPublicKeys(List.of(KEY.publicKeyDer())),
                Optional.empty(),
                Optional.empty(),
                Instant.parse("2026-03-01T03:00:00Z"));
        // a bundle carrying the witness's cosignature, kept with the log
        l.keepCosignatures(cosigned);
        bundles.add(archive.export("CAM-2/rec2.mp4", "clerk", "appeal", "court-7", KEY).toJson());
        List<byte[]> checkpoints =
            List.of(cp.encoded(), cp.toJson(), cosigned.encoded(), cosigned.toJson());
        return new Valid(
            entries,
            inclusions,
            consistencies,
            checkpoints,
            bundles,
            TrustAnchors.ofPublicKeys(List.of(KEY.publicKeyDer())),
            l.entry(0),
            w.verifierKey());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Provide
  Arbitrary<byte[]> entries() {
    return hostile(VALID.entries());
  }

  @Provide
  Arbitrary<byte[]> inclusions() {
    return hostile(VALID.inclusions());
  }

  @Provide
  Arbitrary<byte[]> consistencies() {
    return hostile(VALID.consistencies());
  }

  @Provide
  Arbitrary<byte[]> checkpoints() {
    return hostile(VALID.checkpoints());
  }

  @Provide
  Arbitrary<byte[]> bundles() {
    return hostile(VALID.bundles());
  }

  private static Arbitrary<byte[]> hostile(List<byte[]> valid) {
    return Arbitraries.oneOf(
        Hostile.randomBytes(700), Hostile.mutationsOf(valid), Hostile.nastyValuesIn(valid));
  }

  /**
   * Found by the property below: an entry whose type is an escaped lone surrogate passed the JSON
   * parser and then failed in the canonical encoder with an IllegalArgumentException.
   */
  @Example
  void anEntryWithALoneSurrogateIsALedgerError() {
    byte[] input =
        HexFormat.of()
            .parseHex(
                "7b226163746f72223a226f6666696365722d38222c2264657461696c73223a7b22726561736f6e223a"
                    + "227265766965772038222c22746f223a22636f757274227d2c227375626a656374223a2263616d"
                    + "2f7265632d382e6d7034222c2274696d65223a22323032362d30332d30315430313a30303a3038"
                    + "5a222c2274797065223a225c7564383030227d");
    LedgerException e = assertThrows(LedgerException.class, () -> LedgerEntry.parse(input));
    assertTrue(e.getMessage().contains("lone surrogate \\ud800"), e.getMessage());
  }

  @Property(tries = 1000)
  void anEntryParsesOrIsRefusedAsALedgerError(@ForAll("entries") byte[] input) {
    Hostile.check(
        "LedgerEntry.parse",
        input,
        b -> {
          LedgerEntry e = LedgerEntry.parse(b);
          e.leafHash();
          return e.toString() + e.details() + e.payloadDigest();
        },
        LedgerException.class);
  }

  @Property(tries = 1000)
  void anInclusionProofParsesOrIsRefusedAndItsChecksAreVerdicts(
      @ForAll("inclusions") byte[] input) {
    Hostile.check(
        "InclusionProof.parse",
        input,
        b -> {
          InclusionProof p = InclusionProof.parse(b);
          p.verifyPath();
          p.verify(VALID.anEntry());
          p.toJson();
          return p.toString();
        },
        LedgerException.class);
  }

  @Property(tries = 1000)
  void aConsistencyProofParsesOrIsRefusedAndItsCheckIsAVerdict(
      @ForAll("consistencies") byte[] input) {
    Hostile.check(
        "ConsistencyProof.parse",
        input,
        b -> {
          ConsistencyProof p = ConsistencyProof.parse(b);
          p.verify();
          p.toJson();
          return p.toString();
        },
        LedgerException.class);
  }

  /**
   * Found by the property below: a checkpoint note of size 2^63 - 1 parsed, and then its JSON view
   * threw IllegalArgumentException (canonical JSON holds integers up to 2^53 - 1 exactly).
   */
  @Example
  void aCheckpointNoteOfASizePastTwoToThe53IsALedgerError() {
    String note = new String(VALID.checkpoints().get(0), StandardCharsets.UTF_8);
    String[] lines = note.split("\n", 3);
    byte[] input =
        (lines[0] + "\n9223372036854775807\n" + lines[2]).getBytes(StandardCharsets.UTF_8);
    LedgerException e = assertThrows(LedgerException.class, () -> LogCheckpoint.parse(input));
    assertTrue(e.getMessage().contains("past 2^53 - 1"), e.getMessage());
  }

  @Property(tries = 1000)
  void aCheckpointParsesOrIsRefusedAndItsSignatureCheckIsAVerdict(
      @ForAll("checkpoints") byte[] input) {
    Hostile.check(
        "LogCheckpoint.parse",
        input,
        b -> {
          LogCheckpoint c = LogCheckpoint.parse(b);
          c.verify(VALID.trust());
          WitnessPolicy.of(1, List.of(VALID.witnessKey())).cosignatures(c);
          c.encoded();
          c.toJson();
          c.time();
          return c.toString();
        },
        LedgerException.class);
  }

  @Property(tries = 1000)
  void aProofBundleParsesOrIsRefusedAndItsVerificationGivesFindings(
      @ForAll("bundles") byte[] input) {
    Hostile.check(
        "ProofBundle.parse",
        input,
        b -> {
          ProofBundle p = ProofBundle.parse(b);
          List<Finding> alone =
              p.verify(
                  VALID.trust(),
                  Channels.newChannel(
                      new ByteArrayInputStream("x".getBytes(StandardCharsets.UTF_8))));
          List<Finding> witnessed =
              p.verify(
                  VALID.trust(),
                  Optional.of(WitnessPolicy.of(1, List.of(VALID.witnessKey()))),
                  Optional.of("ledger.example/evidence"),
                  null);
          return alone.toString() + witnessed;
        },
        IOException.class);
  }

  @Provide
  Arbitrary<byte[]> witnessKeys() {
    return hostile(List.of(VALID.witnessKey().getBytes(StandardCharsets.UTF_8)));
  }

  @Property(tries = 500)
  void aWitnessKeyIsReadOrRefusedAsAnArgumentError(@ForAll("witnessKeys") byte[] input) {
    Hostile.check(
        "WitnessPolicy.of",
        input,
        b -> WitnessPolicy.of(1, List.of(new String(b, StandardCharsets.UTF_8))).names(),
        IllegalArgumentException.class);
  }
}
