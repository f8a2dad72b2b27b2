package org.evidencekit.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.evidencekit.ledger.LedgerException;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.WitnessPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --checkpoint NOTE --witness VKEY… --quorum K}: a published, cosigned checkpoint. */
final class WitnessOptions {
  @Option(
      names = "--checkpoint",
      paramLabel = "NOTE",
      description = "A published checkpoint (C2SP note, with its witnesses' cosignatures).")
  Path checkpoint;

  @Mixin WitnessPolicyOptions witnesses = new WitnessPolicyOptions();

  WitnessPolicy policy() {
    return witnesses
        .policy()
        .orElseThrow(
            () -> new EvidenceCommand.UsageException("--witness is required with --checkpoint"));
  }

  /** Null without --checkpoint; otherwise the published checkpoint it names. */
  LogCheckpoint read() throws IOException {
    if (checkpoint == null) {
      if (witnesses.given()) {
        throw new EvidenceCommand.UsageException("--witness and --quorum need --checkpoint");
      }
      return null;
    }
    try {
      return LogCheckpoint.parse(LedgerCommand.read(checkpoint, "checkpoint"));
    } catch (LedgerException e) {
      throw new EvidenceCommand.UsageException(checkpoint + ": " + e.getMessage());
    }
  }
}
