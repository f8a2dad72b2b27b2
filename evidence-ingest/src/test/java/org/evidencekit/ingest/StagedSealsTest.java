package org.evidencekit.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerFindingCode;
import org.evidencekit.ledger.LedgerReport;
import org.evidencekit.seal.Seal;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a seal waits between being signed and being stored at {@code KEY.seal.json}: a run's group
 * stages its seals together, one object per group (a seal per line), and each {@code sealed} entry
 * names that object; a crash after the append loses no logged seal either way, and entries logged
 * before this layout (each seal staged under its own digest) are still completed.
 */
class StagedSealsTest {
  static final Instant NOW = Instant.parse("2023-06-01T16:00:00Z");

  @TempDir Path dir;

  private static IngestStation station(EvidenceStore store) {
    return IngestStation.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  private EvidenceStore openStore(String name) throws IOException {
    return FileSystemEvidenceStore.openOrCreate(
        dir.resolve(name), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static List<String> stagedKeys(EvidenceStore store) throws IOException {
    List<String> out = new ArrayList<>();
    for (String k : Fixtures.keys(store)) {
      if (k.startsWith(ArchiveWriter.STAGED)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * {@code n} files of random bytes on "card", of {@code first} bytes and {@code step} more each.
   */
  private Map<String, Path> card(int n, int first, int step, long seed) throws IOException {
    int[] sizes = new int[n];
    for (int i = 0; i < n; i++) {
      sizes[i] = first + step * i;
    }
    return ArchiveChecks.randomFiles(dir.resolve("card"), seed, sizes);
  }

  @Test
  void aRunStagesItsSealsInAFewObjectsThatItsEntriesName() throws Exception {
    int n = 70;
    Map<String, Path> files = card(n, 1_000, 97, 11);
    try (EvidenceStore store = openStore("store")) {
      IngestResult r =
          station(store)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build());
      for (IngestedRecording rec : r.recordings()) {
        assertEquals(IngestStatus.INGESTED, rec.status(), rec.findings().toString());
      }
      List<String> staged = stagedKeys(store);
      // 70 recordings are logged in groups of at least 32 (at most three staging objects), but
      // for the first, which a first run on an empty archive logs at once: at most four
      assertTrue(!staged.isEmpty() && staged.size() <= 4, staged.toString());
      Set<String> named = new HashSet<>();
      List<LedgerEntry> sealed = Fixtures.sealedEntries(store);
      assertEquals(n, sealed.size());
      Set<String> singles = new HashSet<>();
      for (LedgerEntry e : sealed) {
        String in = e.details().get(ArchiveWriter.STAGED_IN);
        if (in == null) {
          // a recording logged alone (a first run on an empty archive logs its first durable
          // recording at once) is staged on its own, under its digest, as the one-by-one
          // protocol stages
          String digest = e.payloadDigest().orElseThrow();
          String single = ArchiveWriter.staged(digest).value();
          singles.add(single);
          assertArrayEquals(
              ArchiveChecks.read(store, ObjectKey.of(e.subject() + EvidenceArchive.SEAL_SUFFIX)),
              ArchiveChecks.read(store, ObjectKey.of(single)));
          assertEquals(digest, ArchiveWriter.stagedSeal(store, e).digest().hex());
          continue;
        }
        assertNotNull(in, "entry of " + e.subject() + " names no staging object");
        assertTrue(staged.contains(in), in);
        named.add(in);
        // the line of that object whose SHA-256 is the entry's digest is the seal at KEY.seal.json
        byte[] atKey =
            ArchiveChecks.read(store, ObjectKey.of(e.subject() + EvidenceArchive.SEAL_SUFFIX));
        String digest = e.payloadDigest().orElseThrow();
        int found = 0;
        for (String line :
            new String(ArchiveChecks.read(store, ObjectKey.of(in)), StandardCharsets.UTF_8)
                .split("\n")) {
          byte[] b = line.getBytes(StandardCharsets.UTF_8);
          if (HashAlgorithm.SHA256.hash(b).hex().equals(digest)) {
            found++;
            assertArrayEquals(atKey, b, e.subject());
          }
        }
        assertEquals(1, found, e.subject());
        assertEquals(digest, ArchiveWriter.stagedSeal(store, e).digest().hex());
      }
      assertTrue(singles.size() <= 2, singles.toString());
      named.addAll(singles);
      assertEquals(new HashSet<>(staged), named, "a staging object no entry names");
      // every group's staged object holds whole lines, each a seal some entry logs
      int lines = singles.size();
      for (String k : staged) {
        if (singles.contains(k)) {
          continue;
        }
        byte[] all = ArchiveChecks.read(store, ObjectKey.of(k));
        assertEquals('\n', all[all.length - 1], k);
        assertEquals(
            HashAlgorithm.SHA256.hash(all).hex() + ArchiveWriter.STAGED_GROUP_SUFFIX,
            k.substring(ArchiveWriter.STAGED.length()),
            "named by its bytes: " + k);
        for (String line : new String(all, StandardCharsets.UTF_8).split("\n")) {
          Seal.parse(line.getBytes(StandardCharsets.UTF_8));
          lines++;
        }
      }
      assertEquals(n, lines);
      ArchiveChecks.assertArchiveHolds(store, ArchiveChecks.contents(files));
    }
  }

  /**
   * The ledger's verification checks what is staged: a run's staging objects (a
   * group's, and a seal logged on its own under its digest) verify; one altered on disk, and
   * objects planted under {@code ledger/}, are findings. Before, nothing under {@code
   * ledger/seals/} or beside the ledger's own folders was looked at, and sweeps skip {@code
   * ledger/}: both went unreported.
   */
  @Test
  void theLedgersVerificationChecksStagedSealsAndReportsPlantedObjects() throws Exception {
    card(5, 2_000, 101, 31);
    try (EvidenceStore store = openStore("store")) {
      station(store).ingest(IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build());
      List<String> staged = stagedKeys(store);
      // one group, or (a first run on an empty archive logs its first durable recording at once,
      // with those durable by then) a group and a recording logged alone, under its digest
      assertTrue(staged.size() <= 2, staged.toString());
      String group =
          staged.stream()
              .filter(k -> k.endsWith(ArchiveWriter.STAGED_GROUP_SUFFIX))
              .findFirst()
              .orElseThrow();
      // as a build before groups left it: a seal staged under its own digest (of a recording
      // logged in the group)
      LedgerEntry first =
          Fixtures.sealedEntries(store).stream()
              .filter(e -> group.equals(e.details().get(ArchiveWriter.STAGED_IN)))
              .findFirst()
              .orElseThrow();
      Seal seal =
          Seal.parse(
              ArchiveChecks.read(
                  store, ObjectKey.of(first.subject() + EvidenceArchive.SEAL_SUFFIX)));
      put(store, ArchiveWriter.staged(seal.digest().hex()), seal.toJson());
      EvidenceLedger ledger = EvidenceLedger.open(store, Clock.fixed(NOW, ZoneOffset.UTC));
      LedgerReport clean = ledger.verify(TrustAnchors.none());
      assertTrue(clean.intact(), clean.findings().toString());

      // an insider flips a byte of the group's staging object on disk
      Path content =
          dir.resolve("store")
              .resolve("objects/ledger.d/seals.d")
              .resolve(group.substring(ArchiveWriter.STAGED.length()) + ".o")
              .resolve("content");
      content.toFile().setWritable(true);
      byte[] bytes = java.nio.file.Files.readAllBytes(content);
      bytes[40] ^= 1;
      java.nio.file.Files.write(content, bytes);
      // and plants objects where no check looked
      put(store, ObjectKey.of(ArchiveWriter.STAGED + "hidden.mp4"), new byte[] {1, 2, 3});
      put(store, ObjectKey.of("ledger/notes.txt"), new byte[] {4});

      LedgerReport r = ledger.verify(TrustAnchors.none());
      assertEquals(Verdict.TAMPERED, r.verdict(), r.findings().toString());
      List<Finding> damaged = r.findings(LedgerFindingCode.STAGED_SEAL_DAMAGED);
      assertEquals(1, damaged.size(), r.findings().toString());
      assertTrue(damaged.get(0).message().contains(group), damaged.get(0).message());
      List<Finding> planted = r.findings(LedgerFindingCode.UNEXPECTED_OBJECT);
      assertEquals(2, planted.size(), r.findings().toString());
      assertTrue(planted.get(0).message().contains("ledger/notes.txt"), planted.toString());
      assertTrue(planted.get(1).message().contains("hidden.mp4"), planted.toString());
      assertEquals(3, r.findings().size(), r.findings().toString());
    }
  }

  /**
   * A crash after a group's append left every entry without {@code KEY.seal.json}: the re-run
   * completes them all from the group's staging object, reading that object once, not once per
   * recording (a group of n would otherwise cost n reads of up to 8 MiB, n&sup2; lines hashed).
   */
  @Test
  void aReRunReadsAGroupsStagingObjectOnceNotOncePerRecording() throws Exception {
    int n = 40;
    Map<String, Path> files = card(n, 500, 31, 23);
    IngestRequest request = IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build();
    try (FullDiskStore full =
        new FullDiskStore(
            openStore("store"), k -> !k.startsWith("ledger/") && k.endsWith(".seal.json"))) {
      station(full).ingest(request);
      assertEquals(n, Fixtures.sealedEntries(full).size());
      full.heal();
      Map<String, Integer> reads = new java.util.concurrent.ConcurrentHashMap<>();
      EvidenceStore counting =
          new ForwardingStore(full) {
            @Override
            public java.nio.channels.SeekableByteChannel openRead(ObjectKey key)
                throws IOException {
              if (key.value().endsWith(ArchiveWriter.STAGED_GROUP_SUFFIX)) {
                reads.merge(key.value(), 1, Integer::sum);
              }
              return super.openRead(key);
            }
          };
      IngestResult again = station(counting).ingest(request);
      ArchiveChecks.assertEachSealObjectCompletedNow(again);
      Set<String> groups = new HashSet<>(stagedKeys(full));
      // a first run on an empty archive logs its first recording on its own, under its digest
      groups.removeIf(k -> !k.endsWith(ArchiveWriter.STAGED_GROUP_SUFFIX));
      assertEquals(groups, reads.keySet());
      for (Map.Entry<String, Integer> e : reads.entrySet()) {
        assertEquals(1, e.getValue(), e.getKey() + " read again for each of its seals");
      }
      ArchiveChecks.assertArchiveHolds(full, ArchiveChecks.contents(files));
    }
  }

  /**
   * An archive logged before groups were staged together: its entry names no staging object and its
   * seal waits under its own digest. A crash left the entry without {@code KEY.seal.json}; a re-run
   * completes it from that copy, byte for byte.
   */
  @Test
  void anEntryStagedUnderItsDigestIsCompletedFromThatCopy() throws Exception {
    assertAReRunCompletes(legacyArchive(true));
  }

  /**
   * Ingests the card again into store "old": the recording is ALREADY logged and its seal object is
   * written now, byte for byte the logged seal, from wherever it was staged.
   */
  private void assertAReRunCompletes(Legacy legacy) throws Exception {
    try (EvidenceStore store = openStore("old")) {
      IngestResult again =
          station(store)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build());
      assertEquals(1, again.recordings().size());
      ArchiveChecks.assertEachSealObjectCompletedNow(again);
      assertArrayEquals(
          legacy.seal.toJson(),
          ArchiveChecks.read(store, ObjectKey.of(legacy.key + EvidenceArchive.SEAL_SUFFIX)));
    }
  }

  /** The same, with the staged copy gone too: the run says where the logged seal is missing. */
  @Test
  void anEntryWhoseSealIsStagedNowhereIsReportedIncomplete() throws Exception {
    Legacy legacy = legacyArchive(false);
    try (EvidenceStore store = openStore("old")) {
      IngestResult again =
          station(store)
              .ingest(IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build());
      IngestedRecording rec = again.recordings().get(0);
      assertEquals(IngestStatus.INCOMPLETE, rec.status(), rec.findings().toString());
      assertTrue(
          rec.findings().stream()
              .anyMatch(
                  f ->
                      f.code().equals(IngestCodes.STORE_FAILED)
                          && f.message().contains(legacy.seal.digest().hex())),
          rec.findings().toString());
      assertTrue(!store.exists(ObjectKey.of(legacy.key + EvidenceArchive.SEAL_SUFFIX)));
    }
  }

  private record Legacy(String key, Seal seal) {}

  /**
   * Ingests one file into a scratch store, then builds by hand, in store "old", what an earlier
   * build left after a crash between its append and its seal object: the content, the seal staged
   * at {@code ledger/seals/DIGEST.seal.json} (if {@code stagedCopy}), and a {@code sealed} entry
   * with the same details but no {@value ArchiveWriter#STAGED_IN}.
   */
  private Legacy legacyArchive(boolean stagedCopy) throws Exception {
    return legacyArchive(stagedCopy, null);
  }

  /**
   * The same; with {@code groupLines}, the seal is also staged in a group object after those lines,
   * which the entry names in its {@value ArchiveWriter#STAGED_IN} detail.
   */
  private Legacy legacyArchive(boolean stagedCopy, String groupLines) throws Exception {
    Map<String, Path> files = ArchiveChecks.randomFiles(dir.resolve("card"), 5, 300_000);
    byte[] content = java.nio.file.Files.readAllBytes(files.values().iterator().next());
    LedgerEntry first;
    Seal seal;
    try (EvidenceStore scratch = openStore("scratch")) {
      station(scratch)
          .ingest(IngestRequest.builder("DEVCAM7", "p").add(dir.resolve("card")).build());
      first = Fixtures.sealedEntries(scratch).get(0);
      seal =
          Seal.parse(
              ArchiveChecks.read(
                  scratch, ObjectKey.of(first.subject() + EvidenceArchive.SEAL_SUFFIX)));
    }
    Map<String, String> details = new TreeMap<>(first.details());
    details.remove(ArchiveWriter.STAGED_IN); // (a run of one file logs it on its own: none)
    try (EvidenceStore old = openStore("old")) {
      put(old, ObjectKey.of(first.subject()), content);
      if (stagedCopy) {
        put(old, ArchiveWriter.staged(seal.digest().hex()), seal.toJson());
      }
      if (groupLines != null) {
        byte[] staging =
            (groupLines + new String(seal.toJson(), StandardCharsets.UTF_8) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        ObjectKey in =
            ObjectKey.of(
                ArchiveWriter.STAGED
                    + HashAlgorithm.SHA256.hash(staging).hex()
                    + ArchiveWriter.STAGED_GROUP_SUFFIX);
        put(old, in, staging);
        details.put(ArchiveWriter.STAGED_IN, in.value());
      }
      EvidenceLedger.open(old, Clock.fixed(NOW, ZoneOffset.UTC))
          .append(
              LedgerEntry.builder()
                  .type(first.type())
                  .time(first.time())
                  .actor(first.actor())
                  .subject(first.subject())
                  .payloadDigest(seal.digest().hex())
                  .details(details)
                  .build());
    }
    return new Legacy(first.subject(), seal);
  }

  private static void put(EvidenceStore store, ObjectKey key, byte[] bytes) throws IOException {
    try (WritableObject w = store.create(key)) {
      w.write(ByteBuffer.wrap(bytes));
      w.commit();
    }
  }

  /** A hostile entry: its staging object is not a staging object, or does not hold its seal. */
  @Test
  void aStagingObjectIsReadOnlyUnderTheStagingPrefixAndOnlyForItsDigest() throws Exception {
    try (EvidenceStore store = openStore("store")) {
      byte[] seal = "{\"not\":\"a seal\"}".getBytes(StandardCharsets.UTF_8);
      String digest = HashAlgorithm.SHA256.hash(seal).hex();
      ObjectKey outside = ObjectKey.of("DEVCAM7/x.seals.jsonl");
      put(store, outside, (new String(seal, StandardCharsets.UTF_8) + "\n").getBytes());
      assertNull(ArchiveWriter.stagedSeal(store, entry(digest, outside.value())));
      ObjectKey other =
          ObjectKey.of(ArchiveWriter.STAGED + "other" + ArchiveWriter.STAGED_GROUP_SUFFIX);
      put(store, other, "a\nb\n".getBytes(StandardCharsets.UTF_8));
      assertNull(ArchiveWriter.stagedSeal(store, entry(digest, other.value())));
      assertNull(
          ArchiveWriter.stagedSeal(
              store,
              entry(digest, ArchiveWriter.STAGED + "gone" + ArchiveWriter.STAGED_GROUP_SUFFIX)));
      assertNull(ArchiveWriter.stagedSeal(store, entry(digest, null)));
    }
  }

  /**
   * A staging object with more lines than a group has seals is not one this writer made: it is
   * searched for the logged digest, never indexed whole (millions of short lines would take
   * gigabytes), and a re-run still completes the seal object from the line that is the seal.
   */
  @Test
  void aStagingObjectOfMoreLinesThanAGroupIsSearchedNotIndexed() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < EvidenceLedger.MAX_BATCH; i++) {
      lines.append(i).append('\n');
    }
    byte[] full = lines.toString().getBytes(StandardCharsets.UTF_8);
    assertEquals(EvidenceLedger.MAX_BATCH, ArchiveWriter.index(full).size());
    assertArrayEquals(
        "4095".getBytes(StandardCharsets.UTF_8),
        ArchiveWriter.index(full).get(HashAlgorithm.SHA256.hash("4095".getBytes()).hex()));
    byte[] over = (lines + "x\n").getBytes(StandardCharsets.UTF_8);
    assertNull(ArchiveWriter.index(over), "indexed more lines than a group has seals");

    // and a re-run still finds the seal in such an object (here after 4,096 lines of junk)
    assertAReRunCompletes(legacyArchive(false, lines.toString()));
  }

  private static LedgerEntry entry(String digest, String stagedIn) {
    Map<String, String> details = new TreeMap<>();
    if (stagedIn != null) {
      details.put(ArchiveWriter.STAGED_IN, stagedIn);
    }
    return LedgerEntry.builder()
        .type("sealed")
        .time(NOW)
        .actor("p")
        .subject("DEVCAM7/x")
        .payloadDigest(digest)
        .details(details)
        .build();
  }

  /** Packing against a naive model: every line once, in order, whole, objects within the limit. */
  @Property(tries = 300)
  void packingKeepsEveryLineInOrderWithinTheLimit(
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 300) Integer> lengths,
      @ForAll @IntRange(min = 1, max = 600) int max) {
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < lengths.size(); i++) {
      byte[] b = new byte[lengths.get(i)];
      java.util.Arrays.fill(b, (byte) ('a' + i % 26));
      lines.add(b);
    }
    ArchiveWriter.Packed p = ArchiveWriter.pack(lines, max);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    int previous = 0;
    for (int i = 0; i < lines.size(); i++) {
      all.writeBytes(lines.get(i));
      all.write('\n');
      assertTrue(p.objectOf()[i] >= previous, "lines out of order");
      previous = p.objectOf()[i];
    }
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int k = 0; k < p.objects().size(); k++) {
      byte[] o = p.objects().get(k);
      joined.writeBytes(o);
      assertTrue(o.length > 0);
      assertEquals('\n', o[o.length - 1]);
      // over the limit only as a single line
      if (o.length > max) {
        int breaks = 0;
        for (byte b : o) {
          breaks += b == '\n' ? 1 : 0;
        }
        assertEquals(1, breaks, "an object over the limit holds more than one line");
      }
      // and a line that fit was not split off needlessly: the next object's first line did not fit
      if (k + 1 < p.objects().size()) {
        byte[] nextObject = p.objects().get(k + 1);
        int firstLine = 0;
        while (nextObject[firstLine] != '\n') {
          firstLine++;
        }
        assertTrue(o.length + firstLine + 1 > max, "object " + k + " closed early");
      }
    }
    assertArrayEquals(all.toByteArray(), joined.toByteArray());
    // each line's object holds it
    for (int i = 0; i < lines.size(); i++) {
      String o = new String(p.objects().get(p.objectOf()[i]), StandardCharsets.ISO_8859_1);
      assertTrue(o.contains(new String(lines.get(i), StandardCharsets.ISO_8859_1) + "\n"));
    }
  }

  @Test
  void aLineWithALineBreakIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ArchiveWriter.pack(List.of("a\nb".getBytes(StandardCharsets.UTF_8)), 100));
  }
}
