package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.evidencekit.hash.HashAlgorithm;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects planted in {@code ledger/cosignatures/} by whoever can write the store (not the
 * witnesses' keys) must not keep an honest export from carrying the witness's cosignature (R-18,
 * the export told which witnesses count proves against the newest checkpoint they
 * cosigned, whatever else the folder holds.
 */
class PlantedCosignaturesExportTest {
  static final String ORIGIN = "ledger.bureau-7.example/evidence";
  static final String KEY = "CAM-7/2026-03-01/rec1.mp4";
  static final Instant COSIGNED_AT = Instant.parse("2026-03-01T03:00:00Z");

  @TempDir Path dir;
  final SigningKeys.LocalSigningKey ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
  TrustAnchors ledgerTrust;
  Witness w1;
  WitnessPolicy policy;
  EvidenceArchive archive;
  Path recording;
  LogCheckpoint cosigned;

  @BeforeEach
  void setUp() throws IOException {
    ledgerTrust = TrustAnchors.ofPublicKeys(List.of(ledgerKey.publicKeyDer()));
    w1 = Witness.create("legal.bureau-7.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    policy = WitnessPolicy.of(1, List.of(w1.verifierKey()));
    archive =
        EvidenceArchive.open(
            FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), EvidenceLedgerTest.CLOCK),
            EvidenceLedgerTest.CLOCK);
    byte[] b = new byte[100_000];
    new Random(1).nextBytes(b);
    recording = dir.resolve("rec1.mp4");
    Files.write(recording, b);
    Seal seal = Sealer.builder().segmentSize(Sealer.MIN_SEGMENT_SIZE).build().seal(recording);
    archive.ingest(KEY, recording, seal, "intake-1");
    // the witness cosigns the checkpoint of 1 entry, and the log keeps the cosignature
    cosigned =
        w1.cosign(
            archive.ledger().checkpoint(ORIGIN, ledgerKey),
            ledgerTrust,
            Optional.empty(),
            Optional.empty(),
            COSIGNED_AT);
    archive.ledger().keepCosignatures(cosigned);
  }

  private ProofBundle export() throws IOException {
    return ProofBundle.parse(
        archive.export(KEY, "clerk-2", "appeal", "court-7", ledgerKey, policy).toJson());
  }

  private List<Finding> checkWithTheWitness(ProofBundle b) throws IOException {
    try (FileChannel ch = FileChannel.open(recording)) {
      return b.verify(ledgerTrust, Optional.of(policy), Optional.of(ORIGIN), ch);
    }
  }

  private static String folder(long size) {
    return KeptCosignatures.PREFIX + String.format(Locale.ROOT, "%020d", size) + "/";
  }

  /** A line of a cosignature's form under a name no witness has, over this checkpoint's text. */
  private static byte[] decoy(LogCheckpoint stored, String name, long seed) {
    byte[] value = new byte[72];
    new Random(seed).nextBytes(value);
    ByteBuffer.wrap(value).putLong(COSIGNED_AT.getEpochSecond());
    return stored.with(new SignedNote.Signature(name, (int) seed, value)).encoded();
  }

  private static void put(EvidenceStore s, String key, byte[] bytes) throws IOException {
    try (WritableObject w = s.create(ObjectKey.of(key))) {
      w.write(ByteBuffer.wrap(bytes));
      w.commit();
    }
  }

  /** Exports (each logs an entry and stores a checkpoint), so the log has newer checkpoints. */
  private void exportsWithoutWitness(int n) throws IOException {
    for (int i = 0; i < n; i++) {
      archive.export(KEY, "clerk-" + i, "copy", "office", ledgerKey);
    }
  }

  @Test
  void aDecoyLineKeptForANewerCheckpointDoesNotTakeTheWitnessesPlace() throws IOException {
    exportsWithoutWitness(1);
    // the newest stored checkpoint (2 entries), with a line of no witness planted for it
    LogCheckpoint newer = archive.ledger().checkpoints().get(1);
    assertEquals(2, newer.size());
    put(archive.store(), folder(2) + "0000000000000000.note", decoy(newer, "evil.example/w9", 9));
    ProofBundle b = export();
    assertEquals(1, b.checkpoint().size(), "the checkpoint the witness cosigned");
    assertEquals(List.of(), checkWithTheWitness(b));
    assertEquals(2, b.checkpoint().note().signatures().size(), "the log's line and w1's");
  }

  @Test
  void junkInTheFoldersOfManyNewerCheckpointsDoesNotHideTheCosignedOne() throws IOException {
    exportsWithoutWitness(20);
    for (long size = 2; size <= 21; size++) {
      put(archive.store(), folder(size) + "junk.note", "junk".getBytes(StandardCharsets.UTF_8));
    }
    // and folders of sizes the log never had a checkpoint of, numbered past it
    put(archive.store(), folder(22) + "junk.note", "junk".getBytes(StandardCharsets.UTF_8));
    ProofBundle b = export();
    assertEquals(1, b.checkpoint().size());
    assertEquals(List.of(), checkWithTheWitness(b));
  }

  @Test
  void manyDecoyLinesForTheCosignedCheckpointDoNotCrowdOutTheWitness() throws IOException {
    // a hundred objects named to be listed before the witness's, each a line of no witness
    for (int i = 0; i < 120; i++) {
      put(
          archive.store(),
          folder(1) + String.format(Locale.ROOT, "%016d", i) + ".note",
          decoy(archive.ledger().checkpoints().get(0), "evil.example/w" + i, i));
    }
    ProofBundle b = export();
    assertEquals(1, b.checkpoint().size());
    assertEquals(List.of(), checkWithTheWitness(b));
    assertEquals(2, b.checkpoint().note().signatures().size(), "no decoy is carried");
  }

  /**
   * An object planted under the name of a witness of the policy that has not cosigned (its slot is
   * free), holding a made-up line under the name and key id of one that has: it must not stand in
   * for that witness's own line.
   */
  @Test
  void aLinePlantedInAnotherWitnesssObjectDoesNotStandInForTheRealOne() throws IOException {
    Witness idle =
        Witness.create("audit.bureau-7.example/a", SigningKeys.generate(SignatureSuite.ED25519));
    WitnessPolicy either = WitnessPolicy.of(1, List.of(idle.verifierKey(), w1.verifierKey()));
    LogCheckpoint stored = archive.ledger().checkpoints().get(0);
    int w1KeyId = cosigned.note().signatures().get(1).keyId();
    byte[] value = new byte[72];
    new Random(5).nextBytes(value);
    ByteBuffer.wrap(value).putLong(COSIGNED_AT.getEpochSecond());
    String idleId = idle.name() + "+" + idle.verifierKey().split("\\+")[1];
    put(
        archive.store(),
        folder(1)
            + HashAlgorithm.SHA256
                .hash(idleId.getBytes(StandardCharsets.UTF_8))
                .hex()
                .substring(0, 16)
            + ".note",
        stored.with(new SignedNote.Signature(w1.name(), w1KeyId, value)).encoded());
    ProofBundle b =
        ProofBundle.parse(
            archive.export(KEY, "clerk-2", "appeal", "court-7", ledgerKey, either).toJson());
    assertEquals(1, b.checkpoint().size());
    try (FileChannel ch = FileChannel.open(recording)) {
      assertEquals(List.of(), b.verify(ledgerTrust, Optional.of(either), Optional.of(ORIGIN), ch));
    }
    assertEquals(2, b.checkpoint().note().signatures().size(), "the log's line and w1's own");
  }

  /**
   * Junk planted in the object a witness's line will be kept in, before the witness cosigns: the
   * line cannot be kept (the object is kept for good), and keeping it says so, naming the object,
   * instead of counting it as kept already.
   */
  @Test
  void junkPlantedWhereAWitnesssLineWillBeKeptIsNamedWhenItCosigns() throws IOException {
    exportsWithoutWitness(1);
    LogCheckpoint next = archive.ledger().checkpoints().get(1);
    assertEquals(2, next.size());
    LogCheckpoint cosignedNext =
        w1.cosign(next, ledgerTrust, Optional.empty(), Optional.empty(), COSIGNED_AT);
    int keyId = cosignedNext.note().signatures().get(1).keyId();
    String id = w1.name() + "+" + String.format(Locale.ROOT, "%08x", keyId);
    String object =
        folder(2)
            + HashAlgorithm.SHA256.hash(id.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16)
            + ".note";
    put(archive.store(), object, "junk".getBytes(StandardCharsets.UTF_8));
    LedgerException e =
        assertThrows(LedgerException.class, () -> archive.ledger().keepCosignatures(cosignedNext));
    assertTrue(e.getMessage().contains(object), e.getMessage());
    assertTrue(e.getMessage().contains("holds no cosignature of that witness"), e.getMessage());
    // the witness's own line, kept already, is no such case
    assertEquals(0, archive.ledger().keepCosignatures(cosigned));
  }
}
