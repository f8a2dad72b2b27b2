package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer killed with SIGKILL while four threads append: every append is in the log entirely or
 * not at all, the log verifies, and it is consistent with the checkpoint published before.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LedgerCrashTest {
  @TempDir Path dir;

  @Test
  void aWriterKilledMidAppendLeavesAVerifiableConsistentLog() throws Exception {
    Path root = dir.resolve("store");
    Path pub = dir.resolve("key.der");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                CrashingAppender.class.getName(),
                root.toString(),
                pub.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null && !line.equals("CHECKPOINTED")) {
        // skip JVM noise
      }
      assertEquals("CHECKPOINTED", line, "the writer published a checkpoint");
      Thread.sleep(400); // let the four appenders run
      p.destroyForcibly();
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }
    TrustAnchors trust = TrustAnchors.ofPublicKeys(List.of(Files.readAllBytes(pub)));
    try (FileSystemEvidenceStore store =
        FileSystemEvidenceStore.openOrCreate(root, Clock.systemUTC())) {
      EvidenceLedger l = EvidenceLedger.open(store, Clock.systemUTC());
      assertTrue(l.size() > 300, "appends continued after the checkpoint: " + l.size());
      LedgerReport report = l.verify(trust);
      assertTrue(report.intact(), report.findings().toString());
      assertEquals(1, report.checkpointsVerified());
      LogCheckpoint before = l.latestCheckpoint().orElseThrow();
      assertEquals(300, before.size());
      ConsistencyProof c = l.proveConsistency(300, l.size());
      assertTrue(c.verify());
      assertEquals(before.root(), c.oldRoot());
      // Every entry that is there parses, and the log accepts new appends at the right index.
      long n = l.size();
      assertEquals(n, l.entries().size());
      assertEquals(n, l.append(EvidenceLedgerTest.entry(1_000_000)));
    }
  }
}
