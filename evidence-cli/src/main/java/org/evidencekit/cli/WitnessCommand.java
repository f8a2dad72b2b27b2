package org.evidencekit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.evidencekit.ledger.ConsistencyProof;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerException;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.Witness;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.trust.TrustAnchors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "witness",
    mixinStandardHelpOptions = true,
    description = {
      "Cosign the log's checkpoint as a witness (C2SP tlog-cosignature), e.g. the legal section"
          + " that spot-checks (Art. 20): only after checking the log's signature and that it"
          + " extends the last checkpoint this witness cosigned (kept in --state).",
      "Prints the cosigned checkpoint and keeps the cosignature with the log, so that proof"
          + " bundles exported from it carry it; the witness's verifier key goes to standard"
          + " error.",
      "Exit 0 cosigned, 1 refused (rollback, fork, bad proof or signature), 2 bad input."
    },
    footer = {
      "",
      "Example:",
      "  evidence ledger witness store --key legal.pem --name legal.bureau-7.example/w1 \\",
      "      --trust ledger.pub.pem --state legal-w1.state.note -o cosigned.note"
    })
final class WitnessCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "STORE",
      description =
          "Store holding the log: a folder, or a URI (file:, s3://bucket/prefix?endpoint=URL).")
  String store;

  @Option(names = "--key", required = true, description = "The witness's Ed25519 key (PEM).")
  Path key;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "NAME",
      description = "The witness's name, e.g. legal.bureau-7.example/w1.")
  String name;

  @Option(names = "--trust", description = "The log's public key (PEM, repeatable).")
  List<Path> trust = new ArrayList<>();

  @Option(
      names = "--state",
      required = true,
      paramLabel = "FILE",
      description =
          "The last checkpoint this witness cosigned; read if present, replaced after cosigning.")
  Path state;

  @Option(
      names = "--checkpoint",
      paramLabel = "NOTE",
      description = "The checkpoint to cosign (default: the newest one stored with the log).")
  Path checkpoint;

  @Option(
      names = {"-o", "--output"},
      description = "Write the cosigned checkpoint here instead of printing it.")
  Path output;

  @Override
  public Integer call() throws Exception {
    TrustAnchors logKeys = LedgerCommand.trust(trust);
    Witness w;
    try {
      w = Witness.create(name, Trust.readKey(key, null));
    } catch (IllegalArgumentException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
    Optional<LogCheckpoint> last = Optional.empty();
    if (Files.exists(state)) {
      last = Optional.of(parse(LedgerCommand.read(state, "witness state"), state));
    }
    PrintWriter err = spec.commandLine().getErr();
    LogCheckpoint cosigned;
    try (EvidenceStore s = LedgerCommand.store(store)) {
      EvidenceLedger ledger = EvidenceLedger.open(s, Clock.systemUTC());
      LogCheckpoint cp;
      if (checkpoint != null) {
        cp = parse(LedgerCommand.read(checkpoint, "checkpoint"), checkpoint);
      } else {
        cp =
            ledger
                .latestCheckpoint()
                .orElseThrow(
                    () ->
                        new EvidenceCommand.UsageException(
                            "no checkpoint stored yet: run 'evidence ledger checkpoint' first"));
      }
      Optional<ConsistencyProof> proof = Optional.empty();
      if (last.isPresent()
          && last.get().size() > 0
          && cp.size() > last.get().size()
          && cp.size() <= ledger.size()) {
        // from the log, which the witness does not trust: the proof is checked, not believed
        proof = Optional.of(ledger.proveConsistency(last.get().size(), cp.size()));
      }
      try {
        cosigned = w.cosign(cp, logKeys, last, proof, Instant.now());
      } catch (LedgerException e) {
        spec.commandLine().getOut().println("NOT COSIGNED: " + e.getMessage());
        spec.commandLine().getOut().flush();
        return EvidenceCommand.FINDINGS;
      }
      try {
        // kept with the log, so that bundles exported from now on carry it
        ledger.keepCosignatures(cosigned);
      } catch (IOException e) {
        err.println(
            "the cosignature is not kept with the log (bundles will not carry it): "
                + e.getMessage());
      }
      if (last.isEmpty()) {
        err.println(
            "first checkpoint this witness cosigns: its history before "
                + LedgerCommand.entries(cp.size())
                + " is taken on trust");
      }
    }
    byte[] note = cosigned.encoded();
    Cli.writeAtomically(state, note, true);
    if (output != null) {
      Cli.writeAtomically(output, note, false);
    } else {
      spec.commandLine().getOut().print(new String(note, StandardCharsets.UTF_8));
      spec.commandLine().getOut().flush();
    }
    err.println("witness key: " + w.verifierKey());
    err.flush();
    return EvidenceCommand.OK;
  }

  private static LogCheckpoint parse(byte[] b, Path p) {
    try {
      return LogCheckpoint.parse(b);
    } catch (LedgerException e) {
      throw new EvidenceCommand.UsageException(p + ": " + e.getMessage());
    }
  }
}
