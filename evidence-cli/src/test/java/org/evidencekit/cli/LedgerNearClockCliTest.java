package org.evidencekit.cli;

import static org.evidencekit.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An archive whose latest entry another station wrote with its clock a little ahead of this
 * machine's (within the two minutes stations may differ) or a little behind: the commands that
 * append go ahead, and the ledger still verifies.
 */
class LedgerNearClockCliTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(longs = {90, -60})
  void appendsGoAheadNearTheMachinesClock(long secondsAhead) throws Exception {
    String store = dir.resolve("store").toString();
    String mark = dir.resolve("clock-mark").toString();
    Files.createDirectories(Path.of(store));
    try (EvidenceStore st = FileSystemEvidenceStore.open(Path.of(store), Clock.systemUTC())) {
      // the other station's clock is the machine's shifted: its ledger is judged by that clock
      Clock other = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(secondsAhead));
      EvidenceLedger.open(st, other)
          .append(
              LedgerEntry.builder()
                  .type(EntryType.VIEWED)
                  .time(Instant.now(other))
                  .actor("o-1")
                  .subject("CAM-7/a.mp4")
                  .build());
    }
    CliTest.Run r =
        run(
            "ledger",
            "append",
            store,
            "--clock-mark",
            mark,
            "--type",
            EntryType.VIEWED,
            "--actor",
            "o-9",
            "--subject",
            "CAM-7/a.mp4");
    assertEquals(0, r.code(), r.out() + r.err());
    String key = dir.resolve("log.pem").toString();
    assertEquals(0, run("keygen", "-o", key, "--suite", "ed25519").code());
    r = run("ledger", "checkpoint", store, "--key", key, "-o", dir.resolve("cp").toString());
    assertEquals(0, r.code(), r.out() + r.err());
    r = run("ledger", "verify", store, "--trust", dir.resolve("log.pub.pem").toString());
    assertEquals(0, r.code(), r.out() + r.err());
  }
}
