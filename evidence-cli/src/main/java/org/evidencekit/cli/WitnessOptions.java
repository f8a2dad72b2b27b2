package org.evidencekit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.evidencekit.ledger.LedgerException;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.WitnessPolicy;
import picocli.CommandLine.Option;

/** {@code --checkpoint NOTE --witness VKEY… --quorum K}: a published, cosigned checkpoint. */
final class WitnessOptions {
  @Option(
      names = "--checkpoint",
      paramLabel = "NOTE",
      description = "A published checkpoint (C2SP note, with its witnesses' cosignatures).")
  Path checkpoint;

  @Option(
      names = "--witness",
      paramLabel = "VKEY",
      description =
          "A witness verifier key, name+keyid+base64 (repeatable), as 'evidence ledger witness'"
              + " prints it.")
  List<String> witnesses = new ArrayList<>();

  @Option(
      names = "--quorum",
      paramLabel = "K",
      description = "How many of the --witness keys must have cosigned (default: all of them).")
  Integer quorum;

  WitnessPolicy policy() {
    if (witnesses.isEmpty()) {
      throw new EvidenceCommand.UsageException("--witness is required with --checkpoint");
    }
    try {
      return WitnessPolicy.of(quorum == null ? witnesses.size() : quorum, witnesses);
    } catch (IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
  }

  /** Null without --checkpoint; otherwise the published checkpoint it names. */
  LogCheckpoint read() throws IOException {
    if (checkpoint == null) {
      if (!witnesses.isEmpty() || quorum != null) {
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
