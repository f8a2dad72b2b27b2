package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.SigningKeys;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logged recording stored encrypted whose content is gone (lost, or removed once its retention
 * ended) and restored from the card by a later ingest: the run stores a new ciphertext (a new nonce
 * prefix) and logs no new {@code sealed} entry, so the entry names the first ciphertext's prefix.
 * The restored copy is the recording's content as the station stored it, with the key the entry
 * names: the sweep must find it intact and a plain export must go ahead.
 */
class RestoredCiphertextTest {
  static final Instant T1 = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  private static IngestResult ingest(
      EvidenceStore store, Instant now, AesKeyEncryptionKey kek, IngestRequest request)
      throws Exception {
    return IngestStation.builder()
        .store(store)
        .clock(Clock.fixed(now, ZoneOffset.UTC))
        .encryption(AeadSuite.AES_256_GCM, kek)
        .build()
        .ingest(request);
  }

  private static EvidenceStore open(Path root, Instant now) throws IOException {
    return FileSystemEvidenceStore.openOrCreate(root, Clock.fixed(now, ZoneOffset.UTC));
  }

  /**
   * Through an object that takes positional writes (the hash workers encrypt) and through one that
   * does not (the ciphertext is streamed).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
  void contentRestoredEncryptedSweepsOkAndExports(boolean positional) throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("card/a.mp4"));
    IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(f).build();
    AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("kek-1");
    Path root = dir.resolve("store");
    String key;
    try (EvidenceStore store = open(root, T1)) {
      IngestResult first = ingest(store, T1, kek, request);
      assertEquals(IngestStatus.INGESTED, first.recordings().get(0).status(), first.toString());
      key = first.recordings().get(0).key().orElseThrow();
    }
    Instant later = Instant.parse("2026-12-06T08:00:00Z"); // after the first decision's end
    try (EvidenceStore store = open(root, later)) {
      Fixtures.acceptClockJump(store, later, dir.resolve("clock-mark")); // 3 years idle
      store.delete(ObjectKey.of(key)); // its retention ended: allowed
      IngestResult again =
          ingest(new FullDiskStore(store, k -> false, positional), later, kek, request);
      IngestedRecording rec = again.recordings().get(0);
      assertEquals(IngestStatus.RESUMED, rec.status(), rec.toString());
      try (SeekableByteChannel ch = store.openRead(ObjectKey.of(key))) {
        assertTrue(EncryptedRecording.looksEncrypted(ch), "restored encrypted");
      }
      EvidenceArchive archive = EvidenceArchive.open(store, Clock.fixed(later, ZoneOffset.UTC));
      for (List<AesKeyEncryptionKey> keks : List.of(List.of(kek), List.<AesKeyEncryptionKey>of())) {
        SweepReport swept = archive.sweep(null, keks);
        SweepReport.Item item =
            swept.items().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
        assertEquals(
            keks.isEmpty() ? SweepReport.Status.NOT_CHECKED : SweepReport.Status.OK,
            item.status(),
            item.toString());
      }
      SigningKeyProvider checkpointKey = SigningKeys.generate(SignatureSuite.ED25519);
      archive.export(key, "clerk-1", "court request 7", "court", checkpointKey);
    }
  }
}
