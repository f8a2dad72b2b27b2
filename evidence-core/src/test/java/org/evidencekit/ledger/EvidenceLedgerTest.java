package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.evidencekit.hash.Digest;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.store.StoreFiles;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EvidenceLedgerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T02:00:00Z"), ZoneOffset.UTC);
  @TempDir Path dir;

  static LedgerEntry entry(int i) {
    return LedgerEntry.builder()
        .type(EntryType.VIEWED)
        .time(Instant.parse("2026-03-01T01:00:00Z").plusSeconds(i))
        .actor("officer-" + (i % 7))
        .subject("cam/rec-" + i + ".mp4")
        .details(Map.of("reason", "case review " + i))
        .build();
  }

  /** A report and a proof count one entry as "1 entry" (they said "1 entries"). */
  @Test
  void oneEntryIsOneEntryAndTwoAreEntries() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      l.append(entry(0));
      assertEquals(
          "intact: 1 entry, root " + l.root(1).hex() + ", 0 checkpoint(s) verified",
          l.verify(TrustAnchors.none()).toString());
      assertEquals("inclusion of entry 0 in 1 entry (0 hashes)", l.proveInclusion(0, 1).toString());
      l.append(entry(1));
      assertEquals(
          "intact: 2 entries, root " + l.root(2).hex() + ", 0 checkpoint(s) verified",
          l.verify(TrustAnchors.none()).toString());
      assertEquals("inclusion of entry 1 in 2 entries (1 hash)", l.proveInclusion(1, 2).toString());
    }
  }

  @Test
  void appendsPersistAndReopenToTheSameRoot() throws IOException {
    Digest root;
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      assertEquals(0, l.size());
      for (int i = 0; i < 50; i++) {
        assertEquals(i, l.append(entry(i)));
      }
      root = l.root();
      assertEquals(entry(17), l.entry(17));
    }
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      assertEquals(50, l.size());
      assertEquals(root, l.root());
      InclusionProof p = l.proveInclusion(17, 50);
      assertTrue(p.verify(entry(17)));
      assertFalse(p.verify(entry(18)));
      assertTrue(InclusionProof.parse(p.toJson()).verify(entry(17)), "survives JSON");
      assertEquals(50, l.entries().size());
    }
  }

  @Test
  void checkpointsAreSignedAndProveTheLogOnlyGrew() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.SM2_SM3);
    TrustAnchors trust = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      for (int i = 0; i < 10; i++) {
        l.append(entry(i));
      }
      LogCheckpoint c10 = l.checkpoint(key);
      for (int i = 10; i < 33; i++) {
        l.append(entry(i));
      }
      LogCheckpoint c33 = l.checkpoint(key);
      assertTrue(c10.verify(trust));
      assertFalse(c10.verify(TrustAnchors.none()));
      assertTrue(LogCheckpoint.parse(c33.toJson()).verify(trust));
      ConsistencyProof cp = l.proveConsistency(10, 33);
      assertTrue(cp.verifyBetween(c10, c33));
      assertTrue(ConsistencyProof.parse(cp.toJson()).verifyBetween(c10, c33));
      assertFalse(cp.verifyBetween(c33, c10));
      assertTrue(l.proveInclusion(5, 10).verifyAgainst(entry(5), c10));
      assertThrows(IllegalArgumentException.class, () -> l.proveConsistency(0, 33));
      assertEquals(List.of(c10.size(), c33.size()), sizes(l.checkpoints()));
      LedgerReport r = l.verify(trust);
      assertTrue(r.intact(), r.findings().toString());
      assertEquals(Verdict.INTACT, r.verdict());
      assertEquals(2, r.checkpointsVerified());
      LedgerReport untrusted = l.verify(TrustAnchors.none());
      assertFalse(untrusted.intact(), "untrusted checkpoint keys are reported");
      // a checkpoint nobody trusted says nothing about the entries either way
      assertEquals(Verdict.INCONCLUSIVE, untrusted.verdict(), untrusted.findings().toString());
      assertEquals(2, untrusted.findings(LedgerFindingCode.CHECKPOINT_UNTRUSTED).size());
    }
  }

  @Test
  void aLedgerWhoseCheckpointsWereDeletedIsNotIntactAgainstATrustedKey() throws IOException {
    // an insider deletes every signed checkpoint (and could then rewrite the entries
    // at will); verified against the ledger's key, nothing signed attests the entries any more.
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    TrustAnchors trust = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    Path cp;
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      l.append(entry(0));
      l.append(entry(1));
      l.append(entry(2));
      assertEquals(3, l.checkpoint(key).size());
      assertTrue(l.verify(trust).intact());
      cp = StoreFiles.content(store, EvidenceLedger.checkpointKey(3));
    }
    deleteRecursively(cp.getParent());
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      assertTrue(l.checkpoints().isEmpty(), "the checkpoint is gone");
      LedgerReport r = l.verify(trust);
      assertFalse(r.intact(), r.toString());
      assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r.toString());
      assertEquals(1, r.findings(LedgerFindingCode.CHECKPOINT_MISSING).size(), r.toString());
      assertEquals(0, r.checkpointsVerified());
      // without a key the caller asked for the hashes alone (a log not yet checkpointed)
      assertEquals(Verdict.INTACT, l.verify(TrustAnchors.none()).verdict());
    }
  }

  @Test
  void anEmptiedLedgerIsNotIntactAgainstATrustedKey() throws IOException {
    // everything deleted, batches and checkpoints: a key was given, nothing it signed is left
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    TrustAnchors trust = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      LedgerReport r = EvidenceLedger.open(store, CLOCK).verify(trust);
      assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r.toString());
      assertEquals(1, r.findings(LedgerFindingCode.CHECKPOINT_MISSING).size(), r.toString());
    }
  }

  private static List<Long> sizes(List<LogCheckpoint> cps) {
    List<Long> out = new ArrayList<>();
    cps.forEach(c -> out.add(c.size()));
    return out;
  }

  @Test
  void alteredOrRemovedBatchesAreFound() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    TrustAnchors trust = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    Path batch;
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      l.append(entry(0));
      l.append(entry(1));
      l.append(entry(2));
      l.checkpoint(key);
      batch = org.evidencekit.store.StoreFiles.content(store, EvidenceLedger.batchKey(1));
    }
    // An insider with root rewrites entry 1 on disk (bypassing the store).
    batch.toFile().setWritable(true);
    String altered = Files.readString(batch).replace("officer-1", "officer-9");
    Files.writeString(batch, altered);
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      LedgerReport r = l.verify(trust);
      assertFalse(r.intact());
      assertEquals(Verdict.TAMPERED, r.verdict());
      assertEquals(LedgerFindingCode.ROOT_MISMATCH, r.findings().get(0).code(), r.toString());
      assertTrue(
          r.findings().get(0).message().contains("do not hash to the published root"),
          r.toString());
    }
    // Deleting a batch in the middle leaves a gap that refuses to open.
    deleteRecursively(batch.getParent());
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      LedgerException e =
          assertThrows(LedgerException.class, () -> EvidenceLedger.open(store, CLOCK));
      assertTrue(e.getMessage().contains("a batch is missing"), e.getMessage());
    }
  }

  @Test
  void aNonCanonicalEntryWrittenBehindTheLedgersBackIsRefused() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      String spaced = new String(entry(0).canonical(), StandardCharsets.UTF_8).replace(",", ", ");
      try (WritableObject w = store.create(EvidenceLedger.batchKey(0))) {
        w.write(ByteBuffer.wrap((spaced + "\n").getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }
      LedgerException e =
          assertThrows(LedgerException.class, () -> EvidenceLedger.open(store, CLOCK));
      assertTrue(e.getMessage().contains("canonical"), e.getMessage());
    }
  }

  @Test
  void aBatchWithoutItsFinalNewlineIsRefused() throws IOException {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      try (WritableObject w = store.create(EvidenceLedger.batchKey(0))) {
        w.write(ByteBuffer.wrap(entry(0).canonical()));
        w.commit();
      }
      LedgerException e =
          assertThrows(LedgerException.class, () -> EvidenceLedger.open(store, CLOCK));
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder())
          .forEach(
              x -> {
                x.toFile().setWritable(true);
                x.toFile().delete();
              });
    }
  }

  @Test
  void concurrentAppendersGetDistinctIndexesAndAreGroupCommitted() throws Exception {
    int threads = 8;
    int each = 300;
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<List<Long>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * each;
        results.add(
            pool.submit(
                () -> {
                  List<Long> idx = new ArrayList<>();
                  for (int i = 0; i < each; i++) {
                    // stations' clocks: times within the two minutes the ledger lets entries
                    // trail its latest one (entry(i)'s spread over 40 minutes, racing, ran back)
                    LedgerEntry e = entry(base + i);
                    idx.add(
                        l.append(
                            LedgerEntry.builder()
                                .type(e.type())
                                .time(Instant.parse("2026-03-01T01:00:00Z").plusSeconds(i % 100))
                                .actor(e.actor())
                                .subject(e.subject())
                                .details(e.details())
                                .build()));
                  }
                  return idx;
                }));
      }
      Set<Long> seen = new HashSet<>();
      for (Future<List<Long>> f : results) {
        seen.addAll(f.get());
      }
      pool.shutdown();
      assertEquals(threads * each, seen.size());
      assertEquals(threads * each, l.size());
      long batches;
      try (Stream<?> s = store.list(EvidenceLedger.BATCHES)) {
        batches = s.count();
      }
      assertTrue(batches < threads * each, "entries shared batches: " + batches);
      // Every entry is where its index says.
      List<LedgerEntry> all = l.entries();
      Set<LedgerEntry> distinct = new HashSet<>(all);
      assertEquals(threads * each, distinct.size());
      Digest root = l.root();
      assertEquals(root, EvidenceLedger.open(store, CLOCK).root());
    }
  }

  @Test
  void asyncAppendsCompleteWithTheirIndexOnceDurable() throws Exception {
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      List<java.util.concurrent.CompletableFuture<Long>> f = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        f.add(l.appendAsync(entry(i)));
      }
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < f.size(); i++) {
        long index = f.get(i).get(60, TimeUnit.SECONDS);
        seen.add(index);
        assertEquals(index, i, "one queue, one order");
      }
      assertEquals(2000, seen.size());
      long batches;
      try (Stream<?> s = store.list(EvidenceLedger.BATCHES)) {
        batches = s.count();
      }
      assertTrue(batches < 2000, "group committed into " + batches + " batches");
      // A fresh reader sees every entry the futures reported.
      EvidenceLedger reopened = EvidenceLedger.open(store, CLOCK);
      assertEquals(2000, reopened.size());
      assertEquals(entry(1234), reopened.entry(1234));
      assertEquals(l.root(), reopened.root());
      // (entries within the clock's two minutes: entry(5000) would be after the ledger's clock)
      assertEquals(2000, l.appendAll(List.of(entry(3000), entry(3001))));
      assertEquals(entry(3001), l.entry(2001));
    }
  }

  @Test
  void tilesAreStoredAndALostOrDamagedTileNeverChangesAProof() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    TrustAnchors trust = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    List<LedgerEntry> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      all.add(entry(i));
    }
    InclusionProof before;
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      l.appendAll(all);
      l.checkpoint(key);
      try (Stream<?> s = store.list(EvidenceLedger.TILES)) {
        assertEquals(3, s.count(), "1000 entries make 3 complete tiles of 256");
      }
      before = l.proveInclusion(300, 1000);
      assertTrue(before.verify(entry(300)));
      // Damage tile 1 on disk and lose tile 2 (as if a crash came before it was written).
      Path t1 = StoreFiles.content(store, EvidenceLedger.tileKey(1));
      t1.toFile().setWritable(true);
      byte[] b = Files.readAllBytes(t1);
      b[40] ^= 1;
      Files.write(t1, b);
      store.delete(EvidenceLedger.tileKey(2));
    }
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger l = EvidenceLedger.open(store, CLOCK);
      assertTrue(store.exists(EvidenceLedger.tileKey(2)), "open rewrote the lost tile");
      InclusionProof after = l.proveInclusion(300, 1000);
      assertEquals(before.path(), after.path(), "the damaged tile was rebuilt from the batches");
      assertTrue(l.proveInclusion(600, 1000).verify(entry(600)));
      assertTrue(l.proveConsistency(300, 1000).verify());
      LedgerReport r = l.verify(trust);
      assertEquals(1, r.findings().size(), r.findings().toString());
      assertEquals(LedgerFindingCode.TILE_MISMATCH, r.findings().get(0).code());
      assertTrue(
          r.findings().get(0).message().startsWith("tile 1 does not match"),
          r.findings().toString());
      assertEquals(1, r.checkpointsVerified(), "the log itself is intact");
    }
  }

  @Test
  void twoLedgersOnOneStoreNeverCollide() throws IOException {
    // Two processes appending to one store: each catches up when the other took its key.
    try (FileSystemEvidenceStore store = FileSystemEvidenceStore.openOrCreate(dir, CLOCK)) {
      EvidenceLedger a = EvidenceLedger.open(store, CLOCK);
      EvidenceLedger b = EvidenceLedger.open(store, CLOCK);
      assertEquals(0, a.append(entry(0)));
      assertEquals(1, b.append(entry(1)));
      assertEquals(2, a.append(entry(2)));
      assertEquals(b.root(), EvidenceLedger.open(store, CLOCK).root(2));
      assertEquals(a.root(), EvidenceLedger.open(store, CLOCK).root());
    }
  }

  @Test
  void hostileEntriesAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> LedgerEntry.builder().type(" ").time(Instant.EPOCH).actor("a").subject("s").build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LedgerEntry.builder()
                .type("viewed")
                .time(Instant.EPOCH)
                .actor("a")
                .subject("s")
                .payloadDigest("ABC")
                .build());
    assertThrows(LedgerException.class, () -> LedgerEntry.parse("{".getBytes()));
    assertThrows(
        LedgerException.class,
        () ->
            LedgerEntry.parse(
                "{\"actor\":\"a\",\"details\":{\"x\":1},\"subject\":\"s\",\"time\":\"1970-01-01T00:00:00Z\",\"type\":\"t\"}"
                    .getBytes()));
    assertThrows(LedgerException.class, () -> InclusionProof.parse("{\"format\":1}".getBytes()));
    assertThrows(LedgerException.class, () -> ConsistencyProof.parse(new byte[0]));
  }

  /**
   * A proof or entry handed in as bytes (the CLI reads files of up to 256 MiB) over its bound is
   * refused before it is parsed: a JSON tree costs some 25 times its text, so one of 256 MiB was an
   * OutOfMemoryError. Just past the bound: valid JSON padded with spaces.
   */
  @Test
  void oversizedProofsAndEntriesAreRefusedUnparsed() {
    byte[] over = ("{}" + " ".repeat(LedgerEntry.MAX_PARSE_BYTES - 1)).getBytes();
    String bound = "larger than " + LedgerEntry.MAX_PARSE_BYTES + " bytes";
    LedgerException e = assertThrows(LedgerException.class, () -> LedgerEntry.parse(over));
    assertTrue(e.getMessage().contains("ledger entry " + bound), e.getMessage());
    e = assertThrows(LedgerException.class, () -> InclusionProof.parse(over));
    assertTrue(e.getMessage().contains("inclusion proof " + bound), e.getMessage());
    e = assertThrows(LedgerException.class, () -> ConsistencyProof.parse(over));
    assertTrue(e.getMessage().contains("consistency proof " + bound), e.getMessage());
    // at the bound each is parsed, and refused for what it says
    byte[] at = java.util.Arrays.copyOf(over, over.length - 1);
    for (org.junit.jupiter.api.function.Executable x :
        List.<org.junit.jupiter.api.function.Executable>of(
            () -> LedgerEntry.parse(at),
            () -> InclusionProof.parse(at),
            () -> ConsistencyProof.parse(at))) {
      e = assertThrows(LedgerException.class, x);
      assertFalse(e.getMessage().contains("larger than"), e.getMessage());
    }
  }
}
