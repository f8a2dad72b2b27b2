package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An ingest that stopped after it committed a recording's ciphertext, before it logged it: the next
 * run decrypts what it finds, sees it is the recording and logs it (RESUMED). Its {@code sealed}
 * entry must bind that ciphertext as a normal ingest's does (suite, key id, nonce prefix), or
 * another encryption of the recording, or its plaintext, put in its place later passes the sweep
 * (R-05, R-19, R-20).
 */
class ResumedCiphertextTest {
  static final Instant T1 = Instant.parse("2023-06-01T16:00:00Z");

  @org.junit.jupiter.api.io.TempDir Path dir;

  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aResumedCiphertextIsLoggedAndBoundAsAnIngestedOne(AeadSuite aead) throws Exception {
    Path f = Fixtures.copy("fixtures/f02_split3/" + Fixtures.SPLIT3[0], dir.resolve("card/a.mp4"));
    IngestRequest request = IngestRequest.builder("DEVCAM7", "police-0042").add(f).build();
    AesKeyEncryptionKey kek = AesKeyEncryptionKey.generate("kek-7");
    Clock clock = Clock.fixed(T1, ZoneOffset.UTC);
    // the stopped run's leftover: the ciphertext it committed, nothing else (no seal, no entry)
    byte[] leftover;
    String key;
    try (EvidenceStore elsewhere = FileSystemEvidenceStore.openOrCreate(dir.resolve("a"), clock)) {
      IngestResult r = station(elsewhere, clock, aead, kek).ingest(request);
      key = r.recordings().get(0).key().orElseThrow();
      try (SeekableByteChannel ch = elsewhere.openRead(ObjectKey.of(key))) {
        leftover = Channels.newInputStream(ch).readAllBytes();
      }
    }
    Path root = dir.resolve("store");
    try (EvidenceStore store = FileSystemEvidenceStore.openOrCreate(root, clock)) {
      try (WritableObject w = store.create(ObjectKey.of(key))) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(leftover);
        while (b.hasRemaining()) {
          w.write(b);
        }
        w.commit();
      }
      IngestResult again = station(store, clock, aead, kek).ingest(request);
      IngestedRecording rec = again.recordings().get(0);
      assertEquals(IngestStatus.RESUMED, rec.status(), rec.toString());
      List<LedgerEntry> sealed = Fixtures.sealedEntries(store);
      assertEquals(1, sealed.size());
      Map<String, String> details = sealed.get(0).details();
      assertEquals(aead.id(), details.get("encryption"), details.toString());
      assertEquals("kek-7", details.get("kek"), details.toString());
      // the 7 bytes after "EVKENC", version, suite and segment size of what the first run stored
      assertEquals(
          HexFormat.of().formatHex(leftover, 12, 19),
          details.get("noncePrefix"),
          details.toString());

      EvidenceArchive archive = EvidenceArchive.open(store, clock);
      assertEquals(SweepReport.Status.OK, swept(archive, key, kek).status());

      // an insider with the key encrypts the recording again and puts it in place
      Seal seal = rec.seal().orElseThrow();
      ByteArrayOutputStream again2 = new ByteArrayOutputStream();
      try (FileChannel in = FileChannel.open(f);
          EncryptingChannel enc =
              EncryptingChannel.create(
                  Channels.newChannel(again2),
                  Sealer.builder().suite(seal.suite()).segmentSize(seal.segmentSize()).build(),
                  aead,
                  1 << 20,
                  kek)) {
        in.transferTo(0, in.size(), enc);
        assertEquals(seal.roots(), enc.finish().roots(), "bound to the same seal");
      }
      Path content = content(root, key);
      assertTrue(content.toFile().setWritable(true));
      Files.write(content, again2.toByteArray());
      for (AesKeyEncryptionKey given : new AesKeyEncryptionKey[] {kek, null}) {
        SweepReport.Item item = swept(archive, key, given);
        assertEquals(SweepReport.Status.DAMAGED, item.status(), item.toString());
        assertTrue(item.detail().contains("not the one stored at ingest"), item.detail());
      }
      // and then its plaintext
      Files.copy(f, content, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      SweepReport.Item item = swept(archive, key, kek);
      assertEquals(SweepReport.Status.DAMAGED, item.status(), item.toString());
      assertTrue(item.detail().contains("stored unencrypted"), item.detail());
    }
  }

  private static IngestStation station(
      EvidenceStore store, Clock clock, AeadSuite aead, AesKeyEncryptionKey kek) {
    return IngestStation.builder().store(store).clock(clock).encryption(aead, kek).build();
  }

  private static SweepReport.Item swept(
      EvidenceArchive archive, String key, AesKeyEncryptionKey kek) throws java.io.IOException {
    SweepReport r = archive.sweep(null, kek == null ? List.of() : List.of(kek));
    return r.items().stream().filter(i -> i.key().equals(key)).findFirst().orElseThrow();
  }

  /** Where the filesystem store keeps an object's bytes, to tamper as an insider would. */
  private static Path content(Path root, String key) {
    String[] parts = key.split("/");
    Path c = root.resolve("objects");
    for (int i = 0; i < parts.length; i++) {
      c = c.resolve(parts[i] + (i < parts.length - 1 ? ".d" : ".o"));
    }
    return c.resolve("content");
  }
}
