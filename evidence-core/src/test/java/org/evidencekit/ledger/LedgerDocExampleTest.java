package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/ledger.md's appending and proof examples, compiled and run one after the other as a reader
 * pastes them; the doc must quote them verbatim. The proof example verified the entry appended
 * first against another one and said {@code false}.
 */
class LedgerDocExampleTest {
  private static final String ORIGIN = "ledger.bureau-7.example/evidence";

  @TempDir Path dir;

  @Test
  void theLedgerExamplesWorkAndAreQuotedVerbatim() throws IOException {
    SigningKeys.LocalSigningKey key = SigningKeys.generate(SignatureSuite.ED25519);
    TrustAnchors anchors = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    LedgerEntry other =
        LedgerEntry.builder()
            .type(EntryType.VIEWED)
            .time(Instant.now()) // appended after the example's own: a fixed day ran back
            .actor("clerk-2")
            .subject("CAM-7/2026-03-01/rec2.mp4")
            .build();
    try (EvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), Clock.systemUTC())) {
      boolean[] results = example(store, other, List.of(other, other), key, anchors);
      assertTrue(results[0], "the entry appended first is proven included, under a trusted key");
      assertTrue(results[1], "the newer checkpoint extends the older one");
    }
    String source =
        Files.readString(Path.of("src/test/java/org/evidencekit/ledger/LedgerDocExampleTest.java"));
    String doc = Files.readString(Path.of("..", "docs", "ledger.md"));
    assertTrue(doc.contains(snippet(source, "APPEND")), "docs/ledger.md quotes the append example");
    assertTrue(doc.contains(snippet(source, "PROOF")), "docs/ledger.md quotes the proof example");
  }

  private static String snippet(String source, String name) {
    // the markers' last occurrences are the comments in example(), not the literals here
    String begin = "// LEDGER-" + name + "-BEGIN";
    int start = source.indexOf('\n', source.lastIndexOf(begin)) + 1;
    int end = source.lastIndexOf("    // LEDGER-" + name + "-END");
    StringBuilder sb = new StringBuilder();
    for (String line : source.substring(start, end).split("\n", -1)) {
      sb.append(line.length() >= 4 ? line.substring(4) : line.strip()).append('\n');
    }
    return sb.toString().strip();
  }

  private static boolean[] example(
      EvidenceStore store,
      LedgerEntry entry,
      List<LedgerEntry> entries,
      SigningKeyProvider signingKey,
      TrustAnchors trustAnchors)
      throws IOException {
    // LEDGER-APPEND-BEGIN
    EvidenceLedger ledger = EvidenceLedger.open(store, Clock.systemUTC());
    LedgerEntry viewed =
        LedgerEntry.builder()
            .type(EntryType.VIEWED)
            .time(Instant.now())
            .actor("officer-17")
            .subject("CAM-7/2026-03-01/rec1.mp4")
            .details(Map.of("reason", "case review")) // payloadDigest(hex) when it concerns a seal
            .build(); // names a missing type, time, actor or subject
    long index = ledger.append(viewed);
    CompletableFuture<Long> f = ledger.appendAsync(entry); // many in flight from one thread
    ledger.appendAll(entries); // bulk import
    // LEDGER-APPEND-END
    assertEquals(0, index);
    long async = f.join(); // its place among the bulk import's is the group commit's to decide
    assertTrue(async >= 1 && async <= 3, "appended after viewed: " + async);
    LogCheckpoint older = ledger.checkpoint(ORIGIN, signingKey);
    ledger.append(entry);
    LogCheckpoint newer = ledger.checkpoint(ORIGIN, signingKey);
    ledger.append(entry);
    // LEDGER-PROOF-BEGIN
    LogCheckpoint cp = ledger.checkpoint("ledger.bureau-7.example/evidence", signingKey);
    InclusionProof p = ledger.proveInclusion(index, cp.size());
    boolean ok = p.verifyAgainst(viewed, cp) && cp.verify(trustAnchors); // the entry at index
    // older, newer: two checkpoints of this ledger (same origin and key), older first
    ConsistencyProof c = ledger.proveConsistency(older.size(), newer.size());
    boolean grew = c.verifyBetween(older, newer);
    // LEDGER-PROOF-END
    return new boolean[] {ok, grew};
  }
}
