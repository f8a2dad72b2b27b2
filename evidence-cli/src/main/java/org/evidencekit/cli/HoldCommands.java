package org.evidencekit.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.retention.RetentionHolds;
import org.evidencekit.storage.EvidenceStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evidence retention hold | release}: holds recorded in the store's ledger. */
final class HoldCommands {
  private HoldCommands() {}

  @Command(
      name = "hold",
      mixinStandardHelpOptions = true,
      description =
          "Place a hold (legal, investigation, appeal, spot-check, …) on a recording: no"
              + " disposal until it is released. Recorded in the ledger.",
      footer = {
        "",
        "Example:",
        "  evidence retention hold --store /srv/evidence --recording DEVCAM7-0001 \\",
        "      --object DEVCAM7/2024-06-01/DEVCAM7_0001.mp4 --kind legal --reason 'appeal 2026-17' \\",
        "      --by legal-1"
      })
  static final class Hold implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RetentionStore rs = new RetentionStore();

    @Option(names = "--recording", required = true, paramLabel = "ID", description = "Which.")
    String recording;

    @Option(
        names = "--object",
        paramLabel = "KEY",
        description = "Its object key: the store is asked for a legal hold on it too.")
    String object;

    @Option(names = "--kind", required = true, paramLabel = "KIND", description = "e.g. legal.")
    String kind;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
    String reason;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who.")
    String by;

    @Override
    public Integer call() throws Exception {
      return DispositionCommands.guarded(
          () -> {
            try (EvidenceStore st = rs.open()) {
              EvidenceLedger ledger = RetentionStore.ledger(st);
              RetentionFacts.Hold h =
                  RetentionHolds.place(
                      ledger,
                      st,
                      rs.clock(ledger, spec.commandLine().getErr()),
                      recording,
                      Optional.ofNullable(object),
                      kind,
                      reason,
                      by);
              PrintWriter out = spec.commandLine().getOut();
              out.printf(
                  "%s placed on %s at %s by %s (%s: %s)%n",
                  h.id(), recording, h.placedAt(), h.by(), h.kind(), h.reason());
              out.flush();
              return EvidenceCommand.OK;
            }
          });
    }
  }

  @Command(
      name = "release",
      mixinStandardHelpOptions = true,
      description = "Release a hold placed with 'evidence retention hold'. Recorded in the ledger.",
      footer = {
        "",
        "Example:",
        "  evidence retention release --store /srv/evidence --hold hold-3f2a… \\",
        "      --reason 'appeal withdrawn' --by legal-1"
      })
  static final class Release implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RetentionStore rs = new RetentionStore();

    @Option(names = "--hold", required = true, paramLabel = "ID", description = "Which hold.")
    String hold;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why.")
    String reason;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who.")
    String by;

    @Override
    public Integer call() throws Exception {
      return DispositionCommands.guarded(
          () -> {
            try (EvidenceStore st = rs.open()) {
              EvidenceLedger ledger = RetentionStore.ledger(st);
              RetentionFacts.Hold h =
                  RetentionHolds.release(
                      ledger, rs.clock(ledger, spec.commandLine().getErr()), hold, reason, by);
              PrintWriter out = spec.commandLine().getOut();
              out.printf(
                  "%s released at %s by %s (%s)%n",
                  h.id(), h.releasedAt().orElseThrow(), by, reason);
              out.flush();
              return EvidenceCommand.OK;
            }
          });
    }
  }
}
