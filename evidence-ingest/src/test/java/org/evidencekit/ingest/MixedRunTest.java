package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.evidencekit.crypt.AeadSuite;
import org.evidencekit.crypt.AesKeyEncryptionKey;
import org.evidencekit.crypt.EncryptedRecording;
import org.evidencekit.crypt.EncryptingChannel;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One run mixing what a card and a share hold: real MP4s, a renamed copy of one, files that
 * are not MP4, empty files, and sources that are not files (so not sealed in the run's shared
 * pipeline), one of them byte for byte a file of the same run. Plain and encrypted. Every recording
 * is logged once, in one chain; each copy is said to be one, naming the key of the other; a re-run
 * finds everything (ALREADY).
 */
class MixedRunTest {
  static final Instant NOW = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  /** A source read through a channel that is not a {@link FileChannel}. */
  private static RecordingSource notAFile(String name, Path file) {
    return RecordingSource.of(
        name,
        () -> {
          FileChannel f = FileChannel.open(file);
          return new SeekableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
              return f.read(dst);
            }

            @Override
            public int write(ByteBuffer src) {
              throw new java.nio.channels.NonWritableChannelException();
            }

            @Override
            public long position() throws IOException {
              return f.position();
            }

            @Override
            public SeekableByteChannel position(long p) throws IOException {
              f.position(p);
              return this;
            }

            @Override
            public long size() throws IOException {
              return f.size();
            }

            @Override
            public SeekableByteChannel truncate(long size) {
              throw new java.nio.channels.NonWritableChannelException();
            }

            @Override
            public boolean isOpen() {
              return f.isOpen();
            }

            @Override
            public void close() throws IOException {
              f.close();
            }
          };
        });
  }

  @Test
  void aMixedRunPlain() throws Exception {
    mixedRun(null);
  }

  /**
   * Files are encrypted by the run's hash workers, sources that are not files through the
   * in-order channel: each ciphertext decrypts to its source, with either suite.
   */
  @ParameterizedTest
  @EnumSource(AeadSuite.class)
  void aMixedRunEncrypted(AeadSuite aead) throws Exception {
    mixedRun(AesKeyEncryptionKey.generate("kek-25"), aead);
  }

  private void mixedRun(AesKeyEncryptionKey kek) throws Exception {
    mixedRun(kek, AeadSuite.AES_256_GCM);
  }

  private void mixedRun(AesKeyEncryptionKey kek, AeadSuite aead) throws Exception {
    Path card = Fixtures.folder("f02_split3", dir);
    String mp4 = Fixtures.SPLIT3[0];
    Files.copy(card.resolve(mp4), card.resolve("COPY.mp4"));
    Random rnd = new Random(5);
    byte[] big = new byte[2 * (1 << 20) + 12_345];
    rnd.nextBytes(big);
    Files.write(card.resolve("DEVCAM7_20230601_150000_001.bin"), big);
    Files.write(card.resolve("DEVCAM7_20230601_150001_002.bin"), new byte[0]);
    Files.write(card.resolve("DEVCAM7_20230601_150002_003.txt"), "not a video".getBytes());
    Path share = Files.createDirectories(dir.resolve("share"));
    byte[] other = new byte[(1 << 20) + 1];
    rnd.nextBytes(other);
    Path otherFile = Files.write(share.resolve("other"), other);
    Path sameAsBig = Files.write(share.resolve("same"), big);
    IngestRequest request =
        IngestRequest.builder("DEVCAM7", "p")
            .add(card)
            .add(notAFile("DEVCAM7_20230601_150003_004.bin", otherFile))
            .add(notAFile("DEVCAM7_20230601_150004_005.bin", sameAsBig))
            .build();
    Map<String, byte[]> bytes = new HashMap<>();
    try (var s = Files.list(card)) {
      for (Path p : s.toList()) {
        bytes.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    bytes.put("DEVCAM7_20230601_150003_004.bin", other);
    bytes.put("DEVCAM7_20230601_150004_005.bin", big);

    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(
            dir.resolve("store"), Clock.fixed(NOW, ZoneOffset.UTC))) {
      IngestStation.Builder sb =
          IngestStation.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC));
      if (kek != null) {
        sb.encryption(aead, kek);
      }
      IngestStation station = sb.build();
      IngestResult r = station.ingest(request);
      assertEquals(bytes.size(), r.recordings().size(), r.recordings().toString());
      Map<String, IngestedRecording> byName = new HashMap<>();
      for (IngestedRecording rec : r.recordings()) {
        assertEquals(
            IngestStatus.INGESTED, rec.status(), rec.source().name() + " " + rec.findings());
        byName.put(rec.source().name(), rec);
      }
      assertDuplicateOf(byName, "COPY.mp4", mp4);
      assertDuplicateOf(
          byName, "DEVCAM7_20230601_150004_005.bin", "DEVCAM7_20230601_150000_001.bin");

      if (kek == null) {
        assertEquals(bytes.size(), ArchiveChecks.assertArchiveHolds(store, bytes).size());
      } else {
        for (IngestedRecording rec : r.recordings()) {
          ObjectKey key = ObjectKey.of(rec.key().orElseThrow());
          try (SeekableByteChannel ch = store.openRead(key)) {
            assertTrue(EncryptedRecording.looksEncrypted(ch), key.value());
            ch.position(0);
            EncryptedRecording e =
                EncryptedRecording.open(ch, rec.seal().orElseThrow(), List.of(kek));
            assertEquals(aead, e.suite());
            byte[] plain = Channels.newInputStream(e.newPlaintextChannel()).readAllBytes();
            assertArrayEquals(bytes.get(rec.source().name()), plain, key.value());
          }
        }
        assertEquals(bytes.size(), Fixtures.sealedEntries(store).size());
        assertEquals(List.of(), DeviceChain.verify("DEVCAM7", Fixtures.storedSeals(store)));
      }

      IngestResult again = station.ingest(request);
      assertEquals(bytes.size(), again.count(IngestStatus.ALREADY), again.recordings().toString());
      assertEquals(bytes.size(), Fixtures.sealedEntries(store).size());

      if (kek != null) {
        // each entry names the suite and key, so a ciphertext replaced by its own
        // plaintext (an insider with the key) is DAMAGED, not OK: one stored by the hash workers,
        // one through a channel
        // and the nonce prefix of the ciphertext stored, as its header holds it (the 7
        // bytes after "EVKENC", version, suite and segment size), so that another encryption of
        // the recording put in its place is DAMAGED too, even without the key
        for (LedgerEntry e : Fixtures.sealedEntries(store)) {
          assertEquals(aead.id(), e.details().get("encryption"), e.subject());
          assertEquals("kek-25", e.details().get("kek"), e.subject());
          byte[] stored = Files.readAllBytes(content(e.subject()));
          assertEquals(
              HexFormat.of().formatHex(stored, 12, 19),
              e.details().get("noncePrefix"),
              e.subject());
        }
        Map<String, String> keyOf = new HashMap<>();
        Map<String, IngestedRecording> recOf = new HashMap<>();
        r.recordings()
            .forEach(
                rec -> {
                  keyOf.put(rec.source().name(), rec.key().orElseThrow());
                  recOf.put(rec.source().name(), rec);
                });
        List<String> replaced =
            List.of("DEVCAM7_20230601_150000_001.bin", "DEVCAM7_20230601_150003_004.bin");
        for (String name : replaced) {
          Path c = content(keyOf.get(name));
          assertTrue(c.toFile().setWritable(true));
          Files.write(c, bytes.get(name));
        }
        // an insider with the key encrypts a recording again (a fresh data key and nonce prefix):
        // one the hash workers stored, one stored through a channel
        List<String> reEncrypted = List.of(Fixtures.SPLIT3[1], "DEVCAM7_20230601_150004_005.bin");
        for (String name : reEncrypted) {
          Seal seal = recOf.get(name).seal().orElseThrow();
          java.io.ByteArrayOutputStream reCt = new java.io.ByteArrayOutputStream();
          try (EncryptingChannel enc =
              EncryptingChannel.create(
                  Channels.newChannel(reCt),
                  Sealer.builder().suite(seal.suite()).segmentSize(seal.segmentSize()).build(),
                  aead,
                  1 << 20,
                  kek)) {
            enc.write(ByteBuffer.wrap(bytes.get(name)));
            assertEquals(seal.roots(), enc.finish().roots(), name);
          }
          Path c = content(keyOf.get(name));
          assertTrue(c.toFile().setWritable(true));
          Files.write(c, reCt.toByteArray());
        }
        for (List<AesKeyEncryptionKey> keks :
            List.of(List.of(kek), List.<AesKeyEncryptionKey>of())) {
          SweepReport swept =
              EvidenceArchive.open(store, Clock.fixed(NOW, ZoneOffset.UTC)).sweep(null, keks);
          for (SweepReport.Item i : swept.items()) {
            if (replaced.stream().anyMatch(n -> keyOf.get(n).equals(i.key()))) {
              assertEquals(SweepReport.Status.DAMAGED, i.status(), i.toString());
              assertTrue(i.detail().contains("stored unencrypted"), i.detail());
            } else if (reEncrypted.stream().anyMatch(n -> keyOf.get(n).equals(i.key()))) {
              assertEquals(SweepReport.Status.DAMAGED, i.status(), i.toString());
              assertTrue(i.detail().contains("not the one stored at ingest"), i.detail());
            } else if (keyOf.containsValue(i.key())) {
              assertEquals(
                  keks.isEmpty() ? SweepReport.Status.NOT_CHECKED : SweepReport.Status.OK,
                  i.status(),
                  i.toString());
            }
          }
        }
      }
    }
  }

  /** The filesystem store's layout (docs/storage-spi.md): objects/<k1>.d/.../<kn>.o/content. */
  private Path content(String key) {
    String[] parts = key.split("/");
    Path c = dir.resolve("store").resolve("objects");
    for (int i = 0; i < parts.length; i++) {
      c = c.resolve(parts[i] + (i < parts.length - 1 ? ".d" : ".o"));
    }
    return c.resolve("content");
  }

  /** One of the two, whichever the chain logs second, is said to be a copy of the other. */
  private static void assertDuplicateOf(Map<String, IngestedRecording> byName, String a, String b) {
    IngestedRecording ra = byName.get(a);
    IngestedRecording rb = byName.get(b);
    assertTrue(
        names(ra, rb.key().orElseThrow()) ^ names(rb, ra.key().orElseThrow()),
        "exactly one of "
            + a
            + " and "
            + b
            + " is said to be a copy of the other: "
            + ra.findings()
            + " / "
            + rb.findings());
  }

  private static boolean names(IngestedRecording r, String otherKey) {
    return r.findings().stream()
        .anyMatch(
            f -> f.code().equals(IngestCodes.DUPLICATE_CONTENT) && f.message().contains(otherKey));
  }
}
