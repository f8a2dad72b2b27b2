package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.evidencekit.continuity.ContinuityCode;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.storage.InsufficientStorageException;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Honest outcomes when the store fills up: what was committed is reported as committed, what
 * was not is not visible, and running the same ingest again completes it.
 */
class FullDiskTest {
  static final Instant NOW = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  private IngestStation station(FullDiskStore store) {
    return IngestStation.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  @Test
  void diskFullDuringTheSecondCopyKeepsTheFirstAndShowsNothingHalfWritten() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(card).build();
    try (FullDiskStore store =
        new FullDiskStore(
            FileSystemEvidenceStore.openOrCreate(
                dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC)),
            k -> k.endsWith("_002.mp4") || k.endsWith("_003.mp4"))) {
      IngestResult r = station(store).ingest(request);
      List<IngestStatus> s = r.recordings().stream().map(IngestedRecording::status).toList();
      assertEquals(List.of(IngestStatus.INGESTED, IngestStatus.FAILED, IngestStatus.FAILED), s);
      assertTrue(r.committedAnything());
      assertTrue(r.hasProblems());
      IngestedRecording second = r.recordings().get(1);
      assertTrue(
          second.findings().stream()
              .anyMatch(
                  f ->
                      f.code().equals(IngestCodes.STORE_FAILED)
                          && f.message().contains("nothing stored")
                          && f.message().contains("No space left")),
          second.findings().toString());
      assertFalse(store.exists(ObjectKey.of(second.key().orElseThrow())), "nothing half-written");
      assertEquals(1, Fixtures.sealedEntries(store).size());

      store.heal();
      IngestResult again = station(store).ingest(request);
      assertEquals(
          List.of(IngestStatus.ALREADY, IngestStatus.INGESTED, IngestStatus.INGESTED),
          again.recordings().stream().map(IngestedRecording::status).toList());
      assertEquals(List.of(), DeviceChain.verify("DEVCAM7", Fixtures.storedSeals(store)));
    }
  }

  /**
   * A file the station has but could not store is not a file deleted or withheld: the continuity
   * analysis of the run counts it as recorded (its row says it failed), so no MISSING_FILE for it.
   */
  @Test
  void aFileThatFailedToStoreIsNotReportedAsMissingFromTheSequence() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(card).build();
    try (FullDiskStore store =
        new FullDiskStore(
            FileSystemEvidenceStore.openOrCreate(
                dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC)),
            k -> k.endsWith("_002.mp4"))) {
      IngestResult r = station(store).ingest(request);
      assertEquals(
          List.of(IngestStatus.INGESTED, IngestStatus.FAILED, IngestStatus.INGESTED),
          r.recordings().stream().map(IngestedRecording::status).toList());
      List<String> codes =
          r.continuity().orElseThrow().findings().stream().map(f -> f.code()).toList();
      assertFalse(codes.contains(ContinuityCode.MISSING_FILE), codes.toString());
      assertFalse(codes.contains(ContinuityCode.STOP_START), codes.toString());
    }
  }

  @Test
  void diskFullAfterTheContentIsIncompleteAndARerunResumesIt() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(card).build();
    try (FullDiskStore store =
        new FullDiskStore(
            FileSystemEvidenceStore.openOrCreate(
                dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC)),
            k -> k.startsWith("ledger/"))) {
      IngestResult r = station(store).ingest(request);
      for (IngestedRecording rec : r.recordings()) {
        assertEquals(IngestStatus.INCOMPLETE, rec.status(), rec.findings().toString());
        assertTrue(store.exists(ObjectKey.of(rec.key().orElseThrow())));
        assertTrue(
            rec.findings().stream().anyMatch(f -> f.message().contains("run the same ingest")));
      }
      assertTrue(r.committedAnything());
      store.heal();
      IngestResult again = station(store).ingest(request);
      assertEquals(3, again.count(IngestStatus.RESUMED), again.recordings().toString());
      assertEquals(3, Fixtures.sealedEntries(store).size());
      assertEquals(List.of(), DeviceChain.verify("DEVCAM7", Fixtures.storedSeals(store)));
    }
  }

  /**
   * Encrypted ingest where the hash workers encrypt and store (positional writes, R-05): the disk
   * fills up in the middle of the second and third ciphertexts, written by the workers of the run;
   * the first is kept and decrypts to its file, the others are not visible, and a re-run completes
   * them, both cipher suites.
   */
  @Test
  void diskFullInTheMiddleOfEncryptedCopiesShowsNothingHalfWritten() throws Exception {
    for (AeadSuite aead : AeadSuite.values()) {
      Path card = Fixtures.folder("f02_split3", dir.resolve(aead.id()));
      IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(card).build();
      AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("kek-full");
      try (FullDiskStore store =
          new FullDiskStore(
              FileSystemEvidenceStore.openOrCreate(
                  dir.resolve(aead.id()).resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC)),
              k -> k.endsWith("_002.mp4") || k.endsWith("_003.mp4"),
              true)) {
        IngestStation station =
            IngestStation.builder()
                .store(store)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .encryption(aead, kek)
                .build();
        IngestResult r = station.ingest(request);
        List<IngestStatus> s = r.recordings().stream().map(IngestedRecording::status).toList();
        assertEquals(List.of(IngestStatus.INGESTED, IngestStatus.FAILED, IngestStatus.FAILED), s);
        for (IngestedRecording failed : r.recordings().subList(1, 3)) {
          assertTrue(
              failed.findings().stream()
                  .anyMatch(
                      f ->
                          f.code().equals(IngestCodes.STORE_FAILED)
                              && f.message().contains("nothing stored")),
              failed.findings().toString());
          assertFalse(
              store.exists(ObjectKey.of(failed.key().orElseThrow())), "nothing half-written");
        }
        assertDecrypts(store, card, r.recordings().get(0), kek);
        String first = r.recordings().get(0).key().orElseThrow();
        assertTrue(store.writtenAtPositions.contains(first), "the hash workers wrote it");
        assertFalse(store.writtenInOrder.contains(first), "not copied in order");

        store.heal();
        IngestResult again = station.ingest(request);
        assertEquals(
            List.of(IngestStatus.ALREADY, IngestStatus.INGESTED, IngestStatus.INGESTED),
            again.recordings().stream().map(IngestedRecording::status).toList());
        for (IngestedRecording rec : again.recordings()) {
          assertDecrypts(store, card, rec, kek);
        }
        assertEquals(List.of(), DeviceChain.verify("DEVCAM7", Fixtures.storedSeals(store)));
      }
    }
  }

  private static void assertDecrypts(
      FullDiskStore store, Path card, IngestedRecording rec, AesKeyEncryptionKey kek)
      throws Exception {
    ObjectKey key = ObjectKey.of(rec.key().orElseThrow());
    try (SeekableByteChannel ch = store.openRead(key)) {
      EncryptedRecording e = EncryptedRecording.open(ch, rec.seal().orElseThrow(), List.of(kek));
      byte[] plain = Channels.newInputStream(e.newPlaintextChannel()).readAllBytes();
      assertArrayEquals(Files.readAllBytes(card.resolve(rec.source().name())), plain, key.value());
    }
  }

  /**
   * A commit that made the content visible and then failed (its folder could not be synced) is not
   * "nothing stored": the content is there, its durability unconfirmed, so it is not logged (a
   * crash could still lose it and leave the ledger naming a missing object) and the row says so; a
   * re-run logs it.
   */
  @Test
  void aCommitThatFailsAfterTheContentIsVisibleIsIncompleteNotNothingStored() throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(card).build();
    try (FullDiskStore store =
        new FullDiskStore(
            FileSystemEvidenceStore.openOrCreate(
                dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC)),
            k -> false,
            true)) {
      store.failAfterCommit(k -> k.endsWith("_002.mp4"));
      IngestResult r = station(store).ingest(request);
      List<IngestStatus> s = r.recordings().stream().map(IngestedRecording::status).toList();
      assertEquals(
          List.of(IngestStatus.INGESTED, IngestStatus.INCOMPLETE, IngestStatus.INGESTED), s);
      IngestedRecording second = r.recordings().get(1);
      assertTrue(second.seal().isEmpty(), "not logged");
      assertTrue(
          second.findings().stream()
              .anyMatch(
                  f ->
                      f.code().equals(IngestCodes.STORE_FAILED)
                          && !f.message().contains("nothing stored")
                          && f.message().contains("not logged")
                          && f.message().contains("run the same ingest")),
          second.findings().toString());
      assertTrue(store.exists(ObjectKey.of(second.key().orElseThrow())), "the content is there");
      assertEquals(2, Fixtures.sealedEntries(store).size());

      store.heal();
      IngestResult again = station(store).ingest(request);
      assertEquals(
          List.of(IngestStatus.ALREADY, IngestStatus.RESUMED, IngestStatus.ALREADY),
          again.recordings().stream().map(IngestedRecording::status).toList());
      assertEquals(3, Fixtures.sealedEntries(store).size());
    }
  }

  /**
   * A hash worker that loses the race to a full disk gets a closed object, whose exception has no
   * message, only the full disk as its cause: the row names the cause, never "nothing stored: null"
   * (found in a new user's trial on a 20 MiB tmpfs).
   */
  @Test
  void aStoreFailureWithoutAMessageIsToldByItsCause() {
    String full = "cannot write k: storage is full (No space left on device)";
    ClosedChannelException closed = new ClosedChannelException();
    closed.initCause(new InsufficientStorageException(full, null));
    assertEquals(full, ArchiveWriter.reason(closed));
    assertEquals("ClosedChannelException", ArchiveWriter.reason(new ClosedChannelException()));
  }
}
