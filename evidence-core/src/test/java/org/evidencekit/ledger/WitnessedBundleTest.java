package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.evidencekit.internal.note.SignedNote;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proof bundle checked against witnesses: the ledger's key alone can sign a
 * log of its holder's making; a quorum of witnesses' cosignatures, carried in the bundle, cannot be
 * made with it.
 */
class WitnessedBundleTest {
  static final String ORIGIN = "ledger.bureau-7.example/evidence";
  static final String KEY = "CAM-7/2026-03-01/rec1.mp4";
  static final Instant COSIGNED_AT = Instant.parse("2026-03-01T03:00:00Z");

  @TempDir Path dir;
  final SigningKeys.LocalSigningKey ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
  TrustAnchors ledgerTrust;
  Witness w1;
  Witness w2;
  EvidenceArchive archive;
  Path recording;

  @BeforeEach
  void setUp() throws IOException {
    ledgerTrust = TrustAnchors.ofPublicKeys(List.of(ledgerKey.publicKeyDer()));
    w1 = Witness.create("legal.bureau-7.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    w2 = Witness.create("audit.bureau-7.example/w2", SigningKeys.generate(SignatureSuite.ED25519));
    archive = archive("real");
    recording = recording("rec1.mp4", 1);
    archive.ingest(KEY, recording, seal(recording), "intake-1");
  }

  private EvidenceArchive archive(String name) throws IOException {
    return EvidenceArchive.open(
        FileSystemEvidenceStore.openOrCreate(dir.resolve(name), EvidenceLedgerTest.CLOCK),
        EvidenceLedgerTest.CLOCK);
  }

  private Path recording(String name, long seed) throws IOException {
    byte[] b = new byte[100_000];
    new Random(seed).nextBytes(b);
    Path f = dir.resolve(name);
    Files.write(f, b);
    return f;
  }

  private static Seal seal(Path f) throws IOException {
    return Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(f);
  }

  /** The log's checkpoint, cosigned by these witnesses and kept with the log. */
  private LogCheckpoint cosign(EvidenceArchive a, Witness... witnesses) throws IOException {
    LogCheckpoint cp = a.ledger().checkpoint(ORIGIN, ledgerKey);
    for (Witness w : witnesses) {
      cp = w.cosign(cp, ledgerTrust, Optional.empty(), Optional.empty(), COSIGNED_AT);
    }
    a.ledger().keepCosignatures(cp);
    return cp;
  }

  private ProofBundle export(EvidenceArchive a) throws IOException {
    // through its bytes, as the court receives it
    return ProofBundle.parse(a.export(KEY, "clerk-2", "appeal", "court-7", ledgerKey).toJson());
  }

  private static WitnessPolicy policy(int quorum, Witness... ws) {
    return WitnessPolicy.of(quorum, java.util.Arrays.stream(ws).map(Witness::verifierKey).toList());
  }

  private List<Finding> check(ProofBundle b, Optional<WitnessPolicy> p, Optional<String> origin)
      throws IOException {
    try (FileChannel ch = FileChannel.open(recording)) {
      return b.verify(ledgerTrust, p, origin, ch);
    }
  }

  private static Finding only(List<Finding> findings, String code) {
    assertEquals(1, findings.size(), findings.toString());
    assertEquals(code, findings.get(0).code(), findings.toString());
    return findings.get(0);
  }

  @Test
  void aBundleExportedAfterAWitnessCosignedCarriesItsCosignatureAndVerifiesWithIt()
      throws IOException {
    cosign(archive, w1);
    ProofBundle b = export(archive);
    // proved against the cosigned checkpoint of 1 entry, not the one the export just signed
    assertEquals(1, b.checkpoint().size());
    assertEquals(2, archive.ledger().size(), "the export is logged");
    assertEquals(
        List.of(w1.name()), List.copyOf(policy(1, w1).cosignatures(b.checkpoint()).keySet()));
    assertEquals(List.of(), check(b, Optional.of(policy(1, w1)), Optional.of(ORIGIN)));
    assertEquals(List.of(), check(b, Optional.empty(), Optional.empty()));
    // one of two witnesses is enough for a quorum of 1, not of 2
    assertEquals(List.of(), check(b, Optional.of(policy(1, w1, w2)), Optional.empty()));
    Finding f =
        only(
            check(b, Optional.of(policy(2, w1, w2)), Optional.empty()),
            LedgerFindingCode.WITNESS_QUORUM_MISSED);
    assertTrue(f.message().contains("cosigned by 1 of the 2 witnesses required"), f.message());
  }

  @Test
  void bothWitnessesCosigningMeetAQuorumOfTwo() throws IOException {
    cosign(archive, w1, w2);
    ProofBundle b = export(archive);
    assertEquals(List.of(), check(b, Optional.of(policy(2, w1, w2)), Optional.of(ORIGIN)));
  }

  /**
   * The attack: whoever stole the ledger's key makes a log of their own holding one forged
   * recording under the real key and origin, signs its checkpoint and exports a bundle. With the
   * ledger key alone the bundle verifies; with the witnesses it does not, even carrying the real
   * witness's line from the real log's checkpoint.
   */
  @Test
  void aLogFabricatedWithTheStolenLedgerKeyPassesTheKeyAloneButNotTheWitnesses()
      throws IOException {
    LogCheckpoint real = cosign(archive, w1);
    EvidenceArchive forged = archive("forged");
    Path substitute = recording("substitute.mp4", 99);
    forged.ingest(KEY, substitute, seal(substitute), "intake-1");
    forged.ledger().checkpoint(ORIGIN, ledgerKey);
    ProofBundle fake = export(forged);
    try (FileChannel ch = FileChannel.open(substitute)) {
      assertEquals(List.of(), fake.verify(ledgerTrust, ch), "the ledger key alone is fooled");
    }
    List<Finding> withWitness;
    try (FileChannel ch = FileChannel.open(substitute)) {
      withWitness = fake.verify(ledgerTrust, Optional.of(policy(1, w1)), Optional.of(ORIGIN), ch);
    }
    Finding f = only(withWitness, LedgerFindingCode.WITNESS_QUORUM_MISSED);
    assertTrue(f.message().contains("carries no witness cosignature"), f.message());

    // the real witness's line pasted in: it signs the real checkpoint's text, not this one
    byte[] realLine = real.note().signatures().get(1).line();
    ProofBundle pasted = withCheckpointBytes(fake, concat(fake.checkpoint().encoded(), realLine));
    assertEquals(2, pasted.checkpoint().note().signatures().size());
    List<Finding> p;
    try (FileChannel ch = FileChannel.open(substitute)) {
      p = pasted.verify(ledgerTrust, Optional.of(policy(1, w1)), Optional.empty(), ch);
    }
    f = only(p, LedgerFindingCode.WITNESS_QUORUM_MISSED);
    assertTrue(f.message().contains("valid from none of them"), f.message());
  }

  @Test
  void aCosignatureOfAWitnessNotGivenCountsForNothing() throws IOException {
    cosign(archive, w2);
    ProofBundle b = export(archive);
    Finding f =
        only(
            check(b, Optional.of(policy(1, w1)), Optional.empty()),
            LedgerFindingCode.WITNESS_QUORUM_MISSED);
    assertTrue(f.message().contains("1 witness line(s) in the bundle"), f.message());
    // nor a witness of the trusted one's name with another key
    Witness impostor = Witness.create(w1.name(), SigningKeys.generate(SignatureSuite.ED25519));
    LogCheckpoint cp =
        impostor.cosign(
            b.checkpoint(), ledgerTrust, Optional.empty(), Optional.empty(), COSIGNED_AT);
    ProofBundle withImpostor = withCheckpointBytes(b, cp.encoded());
    only(
        check(withImpostor, Optional.of(policy(1, w1)), Optional.empty()),
        LedgerFindingCode.WITNESS_QUORUM_MISSED);
  }

  @Test
  void theSameWitnessTwiceIsCountedOnce() throws IOException {
    LogCheckpoint cp = cosign(archive, w1);
    ProofBundle b = export(archive);
    LogCheckpoint later =
        w1.cosign(
            archive.ledger().checkpoints().get(0),
            ledgerTrust,
            Optional.empty(),
            Optional.empty(),
            COSIGNED_AT.plusSeconds(60));
    byte[] second = later.note().signatures().get(1).line();
    assertFalse(java.util.Arrays.equals(second, cp.note().signatures().get(1).line()));
    ProofBundle twice = withCheckpointBytes(b, concat(b.checkpoint().encoded(), second));
    assertEquals(3, twice.checkpoint().note().signatures().size(), "two lines of w1");
    Finding f =
        only(
            check(twice, Optional.of(policy(2, w1, w2)), Optional.empty()),
            LedgerFindingCode.WITNESS_QUORUM_MISSED);
    assertTrue(f.message().contains("cosigned by 1 of the 2"), f.message());
    assertEquals(List.of(), check(twice, Optional.of(policy(1, w1, w2)), Optional.empty()));
  }

  @Test
  void aCheckpointOfAnotherLogIsNamed() throws IOException {
    cosign(archive, w1);
    ProofBundle b = export(archive);
    Finding f =
        only(
            check(b, Optional.of(policy(1, w1)), Optional.of("ledger.other.example/evidence")),
            LedgerFindingCode.CHECKPOINT_OTHER_ORIGIN);
    assertTrue(
        f.message().contains("'" + ORIGIN + "', not of 'ledger.other.example/evidence'"),
        f.message());
    assertThrows(
        IllegalArgumentException.class,
        () -> check(b, Optional.empty(), Optional.of("not a name")));
  }

  /**
   * A bundle made before any witness cosigned (or by an earlier version): same format, no lines.
   */
  @Test
  void aBundleWithoutCosignaturesStillVerifiesAloneAndFailsClearlyWithWitnesses()
      throws IOException {
    archive.ledger().checkpoint(ORIGIN, ledgerKey);
    ProofBundle b = export(archive);
    assertEquals(2, b.checkpoint().size(), "no cosigned checkpoint: the export's own");
    assertEquals(1, b.checkpoint().note().signatures().size());
    assertEquals(List.of(), check(b, Optional.empty(), Optional.of(ORIGIN)));
    Finding f =
        only(
            check(b, Optional.of(policy(1, w1)), Optional.empty()),
            LedgerFindingCode.WITNESS_QUORUM_MISSED);
    assertTrue(
        f.message().contains("cosigned by 0 of the 1 witnesses required (" + w1.name() + ")")
            && f.message().contains("carries no witness cosignature"),
        f.message());
  }

  /** A recording ingested after the cosigned checkpoint is not in it: the fresh one is used. */
  @Test
  void aRecordingNewerThanTheCosignedCheckpointIsProvedAgainstTheExportsOwn() throws IOException {
    cosign(archive, w1);
    Path later = recording("rec2.mp4", 2);
    archive.ingest("CAM-7/2026-03-01/rec2.mp4", later, seal(later), "intake-1");
    ProofBundle b =
        ProofBundle.parse(
            archive
                .export("CAM-7/2026-03-01/rec2.mp4", "clerk-2", "appeal", "court-7", ledgerKey)
                .toJson());
    assertEquals(3, b.checkpoint().size());
    try (FileChannel ch = FileChannel.open(later)) {
      assertEquals(List.of(), b.verify(ledgerTrust, ch));
    }
  }

  @Test
  void onlyAStoredCheckpointsCosignaturesAreKeptAndEachOnce() throws IOException {
    LogCheckpoint cp = archive.ledger().checkpoint(ORIGIN, ledgerKey);
    LogCheckpoint cosigned =
        w1.cosign(cp, ledgerTrust, Optional.empty(), Optional.empty(), COSIGNED_AT);
    assertEquals(1, archive.ledger().keepCosignatures(cosigned));
    assertEquals(0, archive.ledger().keepCosignatures(cosigned), "kept already");
    // a checkpoint this log never stored (another log's of the same size)
    EvidenceArchive other = archive("other");
    Path f = recording("x.mp4", 7);
    other.ingest(KEY, f, seal(f), "intake-1");
    LogCheckpoint foreign =
        w1.cosign(
            other.ledger().checkpoint(ORIGIN, ledgerKey),
            ledgerTrust,
            Optional.empty(),
            Optional.empty(),
            COSIGNED_AT);
    LedgerException e =
        assertThrows(LedgerException.class, () -> archive.ledger().keepCosignatures(foreign));
    assertTrue(e.getMessage().contains("not a checkpoint note this log stores"), e.getMessage());
  }

  /** Damaged or foreign objects among the kept cosignatures add nothing and stop nothing. */
  @Test
  void aDamagedKeptCosignatureIsPassedOver() throws IOException {
    cosign(archive, w1);
    EvidenceStore s = archive.store();
    put(
        s,
        KeptCosignatures.PREFIX + "00000000000000000001/0000000000000000.note",
        "junk".getBytes(StandardCharsets.UTF_8));
    put(
        s,
        KeptCosignatures.PREFIX + "99999999999999999999/0000000000000000.note",
        "junk".getBytes(StandardCharsets.UTF_8));
    // a line planted under the log's own name, and one of a witness's name not a cosignature's
    LogCheckpoint stored = archive.ledger().checkpoints().get(0);
    put(
        s,
        KeptCosignatures.PREFIX + "00000000000000000001/1111111111111111.note",
        stored.with(new SignedNote.Signature(ORIGIN, 12345, new byte[72])).encoded());
    put(
        s,
        KeptCosignatures.PREFIX + "00000000000000000001/2222222222222222.note",
        stored.with(new SignedNote.Signature(w2.name(), 6789, new byte[10])).encoded());
    ProofBundle b = export(archive);
    assertEquals(1, b.checkpoint().size());
    assertEquals(2, b.checkpoint().note().signatures().size(), "the log's line and w1's only");
    assertEquals(List.of(), check(b, Optional.of(policy(1, w1)), Optional.of(ORIGIN)));
  }

  /**
   * The ledger's own check names every object in its folder it does not write: the
   * cosignatures the log keeps are its own, so a log whose witness cosigned stays intact, while an
   * object of another name in their folder is still named.
   */
  @Test
  void keptCosignaturesAreTheLedgersOwnObjectsToItsCheck() throws IOException {
    cosign(archive, w1, w2);
    export(archive);
    LedgerReport report = archive.ledger().verify(ledgerTrust);
    assertTrue(report.intact(), report.toString());
    put(archive.store(), "ledger/cosignatures/00000000000000000001/planted.txt", new byte[] {1});
    LedgerReport planted = archive.ledger().verify(ledgerTrust);
    assertEquals(
        1, planted.findings(LedgerFindingCode.UNEXPECTED_OBJECT).size(), planted.toString());
    assertTrue(
        planted
            .findings(LedgerFindingCode.UNEXPECTED_OBJECT)
            .get(0)
            .message()
            .contains("ledger/cosignatures/00000000000000000001/planted.txt"),
        planted.toString());
  }

  private static void put(EvidenceStore s, String key, byte[] bytes) throws IOException {
    try (WritableObject w = s.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(bytes));
      w.commit();
    }
  }

  /** Hostile bundles: the cosignatures are note lines, read within the note's bounds. */
  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void hostileCosignatureLinesAreRefusedOrCountForNothing() throws IOException {
    cosign(archive, w1);
    ProofBundle b = export(archive);
    byte[] note = b.checkpoint().encoded();
    byte[] line = b.checkpoint().note().signatures().get(1).line();

    // too many: 101 lines
    byte[] many = concat(note, line);
    for (int i = 0; i < 98; i++) {
      many = concat(many, line);
    }
    byte[] tooMany = many;
    LedgerException e = assertThrows(LedgerException.class, () -> withCheckpointBytes(b, tooMany));
    assertTrue(e.getMessage().contains("more than 100 signatures"), e.getMessage());
    // 100 lines are read, and w1 counts once
    byte[] hundred = note;
    for (int i = 0; i < 98; i++) {
      hundred = concat(hundred, line);
    }
    ProofBundle copies = withCheckpointBytes(b, hundred);
    only(
        check(copies, Optional.of(policy(2, w1, w2)), Optional.empty()),
        LedgerFindingCode.WITNESS_QUORUM_MISSED);

    // a huge line: past the note's 64 KiB
    byte[] big = new byte[70_000];
    String hugeLine = "\u2014 " + w2.name() + " " + Base64.getEncoder().encodeToString(big) + "\n";
    e =
        assertThrows(
            LedgerException.class,
            () -> withCheckpointBytes(b, concat(note, hugeLine.getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    // a line of a trusted witness's name and key id whose value is not a cosignature's length
    byte[] w2Line =
        w2.cosign(b.checkpoint(), ledgerTrust, Optional.empty(), Optional.empty(), COSIGNED_AT)
            .note()
            .signatures()
            .get(2)
            .line();
    String truncated = new String(w2Line, StandardCharsets.UTF_8);
    String[] parts = truncated.trim().split(" ");
    byte[] raw = Base64.getDecoder().decode(parts[2]);
    String shortLine =
        parts[0]
            + " "
            + parts[1]
            + " "
            + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, 12))
            + "\n";
    ProofBundle odd =
        withCheckpointBytes(b, concat(note, shortLine.getBytes(StandardCharsets.UTF_8)));
    only(
        check(odd, Optional.of(policy(2, w1, w2)), Optional.empty()),
        LedgerFindingCode.WITNESS_QUORUM_MISSED);
    assertEquals(List.of(), check(odd, Optional.of(policy(1, w1, w2)), Optional.empty()));
  }

  /** The bundle with its checkpoint field replaced by these note bytes, parsed from its JSON. */
  private static ProofBundle withCheckpointBytes(ProofBundle b, byte[] note) throws IOException {
    String json = new String(b.toJson(), StandardCharsets.UTF_8);
    String was = Base64.getEncoder().encodeToString(b.checkpoint().encoded());
    assertTrue(json.contains(was));
    return ProofBundle.parse(
        json.replace(was, Base64.getEncoder().encodeToString(note))
            .getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
