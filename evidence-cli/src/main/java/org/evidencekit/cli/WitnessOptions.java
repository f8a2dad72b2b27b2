package org.evidencekit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.evidencekit.ledger.LedgerException;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.WitnessPolicy;
import org.evidencekit.trust.TrustAnchors;
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

  /** The checkpoint and what was found about it. */
  record Checked(
      LogCheckpoint checkpoint,
      Map<String, java.time.Instant> cosigned,
      WitnessPolicy policy,
      List<String> problems) {
    String summary() {
      return "cosigned by "
          + cosigned.size()
          + " of "
          + policy.names().size()
          + " witnesses "
          + cosigned
          + ", "
          + policy.quorum()
          + " required";
    }
  }

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

  /**
   * Null without --checkpoint; otherwise the checkpoint checked against the log keys and policy.
   */
  Checked read(TrustAnchors logKeys) throws IOException {
    if (checkpoint == null) {
      if (!witnesses.isEmpty() || quorum != null) {
        throw new EvidenceCommand.UsageException("--witness and --quorum need --checkpoint");
      }
      return null;
    }
    WitnessPolicy p = policy();
    LogCheckpoint cp;
    try {
      cp = LogCheckpoint.parse(LedgerCommand.read(checkpoint, "checkpoint"));
    } catch (LedgerException e) {
      throw new EvidenceCommand.UsageException(checkpoint + ": " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    if (!cp.verify(logKeys)) {
      problems.add("checkpoint " + checkpoint + " is not signed by a trusted ledger key");
    }
    Map<String, java.time.Instant> cosigned = p.cosignatures(cp);
    if (cosigned.size() < p.quorum()) {
      problems.add(
          "checkpoint "
              + checkpoint
              + " is cosigned by "
              + cosigned.size()
              + " of the "
              + p.quorum()
              + " witnesses required");
    }
    return new Checked(cp, cosigned, p, problems);
  }
}
