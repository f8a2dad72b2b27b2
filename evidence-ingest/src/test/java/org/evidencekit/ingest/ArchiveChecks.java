package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.evidencekit.ledger.DeviceChain;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.verify.Verifier;

/**
 * What must hold of an archive whatever happened to the ingests that wrote it: every
 * {@code sealed} entry names content that is there, whole, and verifies against the logged seal,
 * which is both staged and at {@code KEY.seal.json}; nothing half-written is visible; one entry per
 * key and one unbroken chain for the device.
 */
final class ArchiveChecks {
  private ArchiveChecks() {}

  /** Random bytes of the given sizes, as files named {@code DEVCAM7_20230601_15MMSS_NNN.bin}. */
  static Map<String, Path> randomFiles(Path dir, long seed, int... sizes) throws IOException {
    Files.createDirectories(dir);
    Random rnd = new Random(seed);
    Map<String, Path> out = new java.util.LinkedHashMap<>();
    for (int i = 0; i < sizes.length; i++) {
      byte[] b = new byte[sizes[i]];
      rnd.nextBytes(b);
      String name = String.format("DEVCAM7_20230601_15%02d%02d_%03d.bin", i / 60, i % 60, i);
      out.put(name, Files.write(dir.resolve(name), b));
    }
    return out;
  }

  /**
   * A re-run after a crash between the ledger append and the seal objects: every recording is
   * ALREADY logged and had its seal object written now, from the staged copy.
   */
  static void assertEachSealObjectCompletedNow(IngestResult again) {
    for (IngestedRecording rec : again.recordings()) {
      assertEquals(IngestStatus.ALREADY, rec.status(), rec.findings().toString());
      assertTrue(
          rec.findings().stream().anyMatch(f -> f.code().equals(IngestCodes.SEAL_OBJECT_COMPLETED)),
          rec.findings().toString());
    }
  }

  static String name(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }

  static byte[] read(EvidenceStore store, ObjectKey key) throws IOException {
    try (SeekableByteChannel ch = store.openRead(key)) {
      return Channels.newInputStream(ch).readAllBytes();
    }
  }

  /**
   * Checks the archive against the sources by file name. {@code expected} gives each name's bytes;
   * names it lacks (a file that changed while it was read) need only verify against their seal.
   *
   * @return the keys logged
   */
  static Set<String> assertArchiveHolds(EvidenceStore store, Map<String, byte[]> expected)
      throws IOException {
    List<LedgerEntry> sealed = Fixtures.sealedEntries(store);
    Set<String> keys = new HashSet<>();
    for (LedgerEntry e : sealed) {
      assertTrue(keys.add(e.subject()), "two sealed entries for " + e.subject());
      ObjectKey content = ObjectKey.of(e.subject());
      assertTrue(store.exists(content), "logged but not stored: " + e.subject());
      String digest = e.payloadDigest().orElseThrow();
      Seal staged = ArchiveWriter.stagedSeal(store, e);
      assertNotNull(staged, "no staged seal of " + e.subject());
      assertEquals(digest, staged.digest().hex(), "staged seal of " + e.subject());
      Seal atKey = Seal.parse(read(store, ObjectKey.of(e.subject() + EvidenceArchive.SEAL_SUFFIX)));
      assertEquals(digest, atKey.digest().hex(), "seal object of " + e.subject());
      try (SeekableByteChannel ch = store.openRead(content)) {
        assertTrue(
            Verifier.create().verify(ch, atKey).isIntact(),
            e.subject() + " does not verify against its logged seal");
      }
    }
    for (String k : Fixtures.keys(store)) {
      if (k.startsWith("ledger/") || k.endsWith(EvidenceArchive.SEAL_SUFFIX)) {
        continue;
      }
      byte[] want = expected.get(name(k));
      if (want != null) {
        assertArrayEquals(want, read(store, ObjectKey.of(k)), "visible and not whole: " + k);
      }
    }
    List<Seal> seals = new ArrayList<>(Fixtures.storedSeals(store));
    assertEquals(sealed.size(), seals.size(), "one seal object per sealed entry");
    assertEquals(List.of(), DeviceChain.verify("DEVCAM7", seals));
    for (int i = 1; i < sealed.size(); i++) {
      assertEquals(
          sealed.get(i - 1).payloadDigest().orElseThrow(),
          sealed.get(i).details().get("previousSeal"),
          "entry " + i + " does not name the one before");
    }
    return keys;
  }

  static Map<String, byte[]> contents(Map<String, Path> files) throws IOException {
    Map<String, byte[]> out = new java.util.HashMap<>();
    for (Map.Entry<String, Path> f : files.entrySet()) {
      out.put(f.getKey(), Files.readAllBytes(f.getValue()));
    }
    return out;
  }
}
