package org.evidencekit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.evidencekit.ledger.WitnessPolicy;
import picocli.CommandLine.Option;

/** {@code --witness VKEY… --quorum K}: the witnesses a checkpoint must be cosigned by. */
final class WitnessPolicyOptions {
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

  boolean given() {
    return !witnesses.isEmpty() || quorum != null;
  }

  /** Empty without --witness; --quorum alone is bad input. */
  Optional<WitnessPolicy> policy() {
    if (witnesses.isEmpty()) {
      if (quorum != null) {
        throw new EvidenceCommand.UsageException("--quorum needs --witness");
      }
      return Optional.empty();
    }
    try {
      return Optional.of(WitnessPolicy.of(quorum == null ? witnesses.size() : quorum, witnesses));
    } catch (IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
  }
}
