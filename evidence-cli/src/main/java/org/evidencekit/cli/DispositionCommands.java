package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.retention.ClockRefusedException;
import org.evidencekit.retention.DestructionRegister;
import org.evidencekit.retention.Disposition;
import org.evidencekit.retention.DispositionApproval;
import org.evidencekit.retention.DispositionExecution;
import org.evidencekit.retention.DispositionRefusedException;
import org.evidencekit.retention.RetentionFormatException;
import org.evidencekit.retention.RetentionPolicy;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.trust.TrustAnchors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evidence retention approve | execute | register}: four-eyes disposition. */
final class DispositionCommands {
  private DispositionCommands() {}

  /** Runs {@code body}, turning refusals and bad input into one-line usage errors. */
  static Integer guarded(Callable<Integer> body) throws Exception {
    try {
      return body.call();
    } catch (ClockRefusedException
        | DispositionRefusedException
        | RetentionFormatException
        | IllegalArgumentException
        | IllegalStateException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
  }

  static String planDigest(String s) {
    if (s == null || !s.matches("[0-9a-f]{64}")) {
      throw new EvidenceCommand.UsageException("--plan must be the plan's 64-hex-digit digest");
    }
    return s;
  }

  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description =
          "Sign a recorded disposition plan as one of its two approvers (never the planner).",
      footer = {
        "",
        "Example:",
        "  evidence retention approve --store /srv/evidence --plan 3f2a… --by records-officer-2 \\",
        "      --key officer2.pem --valid-days 14 --exclude DEVCAM7-0001='press inquiry'"
      })
  static final class Approve implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RetentionStore rs = new RetentionStore();

    @Option(names = "--plan", required = true, paramLabel = "DIGEST", description = "The plan.")
    String plan;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who approves.")
    String by;

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "Your key.")
    Path key;

    @Option(names = "--cert", paramLabel = "CERT.pem", description = "Your certificate.")
    Path cert;

    @Option(
        names = "--expires",
        paramLabel = "ISO",
        description = "When the approval lapses, e.g. 2026-08-01T00:00:00Z.")
    Instant expires;

    @Option(
        names = "--valid-days",
        paramLabel = "N",
        description = "Or: the approval lapses N days from now.")
    Integer validDays;

    @Option(
        names = "--exclude",
        paramLabel = "RECORDING=REASON",
        description = "Keep a recording of the plan, for the stated reason (repeatable).")
    Map<String, String> exclude = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
      return guarded(
          () -> {
            if ((expires == null) == (validDays == null)) {
              throw new EvidenceCommand.UsageException("give one of --expires or --valid-days");
            }
            DispositionApproval.Builder terms =
                DispositionApproval.builder()
                    .planDigest(planDigest(plan))
                    .approver(by)
                    .key(Trust.readKey(key, cert));
            if (expires != null) {
              terms.expiresAt(expires);
            } else {
              // from the time the approval is made, which approve reads after its checks
              terms.validFor(Duration.ofDays(validDays));
            }
            exclude.forEach(terms::exclude);
            try (EvidenceStore st = rs.open()) {
              EvidenceLedger ledger = RetentionStore.ledger(st);
              // a clock vouched for here is recorded when approve reads the time: only for an
              // approval it makes, not for one it refuses
              DispositionApproval a =
                  Disposition.approve(
                      terms, st, ledger, rs.clock(ledger, spec.commandLine().getErr()));
              Disposition.StoredPlan p = Disposition.readPlan(st, a.planDigest());
              PrintWriter out = spec.commandLine().getOut();
              out.printf(
                  "approved plan %s (planned by %s at %s): %d recording(s) offered, %d excluded%n",
                  p.digest(), p.plannedBy(), p.at(), p.disposable().size(), a.exclusions().size());
              out.printf(
                  "approver %s, key %s, expires %s; %d approval(s) stored%n",
                  a.approver(),
                  a.keyId(),
                  a.expiresAt(),
                  Disposition.approvals(st, p.digest()).size());
              out.flush();
              return EvidenceCommand.OK;
            }
          });
    }
  }

  @Command(
      name = "execute",
      mixinStandardHelpOptions = true,
      description = {
        "Execute an approved plan: everything re-checked with the trusted clock and today's facts,"
            + " tombstones before and after each delete, a signed destruction register.",
        "Running it again disposes of nothing twice."
      },
      footer = {
        "",
        "Example:",
        "  evidence retention execute --store /srv/evidence --plan 3f2a… --facts facts.json \\",
        "      --approver-trust officer2.pub.pem --approver-trust officer3.pub.pem \\",
        "      --key executor.pem --by records-officer-1"
      })
  static final class Execute implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RetentionStore rs = new RetentionStore();

    @Option(names = "--plan", required = true, paramLabel = "DIGEST", description = "The plan.")
    String plan;

    @Option(
        names = "--policy",
        paramLabel = "P.json",
        description = "Retention policy in force (default: the regulation's rules only).")
    Path policy;

    @Option(
        names = "--facts",
        required = true,
        paramLabel = "F.json",
        description = "Recordings, cases and holds as they are now.")
    Path facts;

    @Option(
        names = "--approver-trust",
        required = true,
        paramLabel = "PUB.pem",
        description = "A public key approvers may sign with (repeatable).")
    List<Path> approverTrust = new ArrayList<>();

    @Option(
        names = "--executor-trust",
        paramLabel = "PUB.pem",
        description =
            "Another executor's public key (repeatable): a register of theirs that a stopped run"
                + " left unlogged is logged. Registers signed with --key always are.")
    List<Path> executorTrust = new ArrayList<>();

    @Option(names = "--key", required = true, paramLabel = "KEY", description = "Your key.")
    Path key;

    @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who executes.")
    String by;

    @Option(names = "--json", description = "Print the register as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return guarded(
          () -> {
            for (Path p : approverTrust) {
              Cli.readableFile(p, "approver key");
            }
            for (Path p : executorTrust) {
              Cli.readableFile(p, "executor key");
            }
            RetentionPolicy pol = RetentionCommand.Inputs.policy(policy);
            DispositionExecution.Builder b =
                DispositionExecution.builder()
                    .planDigest(planDigest(plan))
                    .policy(pol)
                    .facts(RetentionCommand.Inputs.facts(facts))
                    .approverKeys(TrustAnchors.fromPem(approverTrust))
                    .signer(Trust.readKey(key, null))
                    .executedBy(by);
            if (!executorTrust.isEmpty()) {
              b.executorKeys(TrustAnchors.fromPem(executorTrust));
            }
            DispositionExecution ex = b.build();
            try (EvidenceStore st = rs.open()) {
              EvidenceLedger ledger = RetentionStore.ledger(st);
              DestructionRegister reg =
                  ex.run(st, ledger, rs.clock(ledger, spec.commandLine().getErr()));
              print(spec.commandLine().getOut(), reg, json, pol.zone());
              boolean trouble =
                  !reg.items(DestructionRegister.Outcome.FAILED).isEmpty()
                      || !reg.items(DestructionRegister.Outcome.REFUSED).isEmpty();
              return trouble ? EvidenceCommand.FINDINGS : EvidenceCommand.OK;
            }
          });
    }
  }

  static void print(PrintWriter out, DestructionRegister reg, boolean json, ZoneId zone) {
    if (json) {
      out.println(new String(reg.toJson(), StandardCharsets.UTF_8));
    } else {
      out.print(reg.toText(zone));
    }
    out.flush();
  }

  @Command(
      name = "register",
      mixinStandardHelpOptions = true,
      description = {
        "Print the destruction registers (销毁清册) of a plan, checking their signatures.",
        "An object under the plan's registers that is not one of them (unreadable, not a register,"
            + " another plan's) is named on standard error with what it is, and hides none of"
            + " them. Exit 0 when all is well, 1 for a signature not verified or such an object,"
            + " 2 for bad input."
      },
      footer = {
        "",
        "Example:",
        "  evidence retention register --store /srv/evidence --plan 3f2a… --trust executor.pub.pem"
      })
  static final class Register implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--store",
        required = true,
        paramLabel = "STORE",
        description = "A folder or a URI (file:…, s3://bucket/prefix?endpoint=URL).")
    String store;

    @Option(names = "--plan", required = true, paramLabel = "DIGEST", description = "The plan.")
    String plan;

    @Option(names = "--batch", paramLabel = "N", description = "Only this batch.")
    Long batch;

    @Option(
        names = "--trust",
        paramLabel = "PUB.pem",
        description = "Executor public keys; every register printed must be signed by one.")
    List<Path> trust = new ArrayList<>();

    @Option(
        names = "--zone",
        paramLabel = "ZONE",
        description = "Dates in (default Asia/Shanghai).")
    ZoneId zone = RetentionPolicy.DEFAULT_ZONE;

    @Option(names = "--json", description = "Print JSON, one register per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      return guarded(
          () -> {
            for (Path p : trust) {
              Cli.readableFile(p, "executor key");
            }
            TrustAnchors anchors = trust.isEmpty() ? null : TrustAnchors.fromPem(trust);
            try (EvidenceStore st = Stores.open(store, false)) {
              PrintWriter out = spec.commandLine().getOut();
              PrintWriter err = spec.commandLine().getErr();
              int[] shown = {0};
              int[] problems = {0};
              boolean[] bad = {false};
              // read leniently: an object planted beside the registers is named, and
              // hides none of them
              DestructionRegister.scan(
                  st,
                  planDigest(plan),
                  found -> {
                    if (found.register().isEmpty()) {
                      problems[0]++;
                      err.println(
                          Cli.printable(found.key().value())
                              + ": not a destruction register of the plan: "
                              + Cli.printable(found.problem()));
                      err.flush();
                      return;
                    }
                    DestructionRegister r = found.register().get();
                    if (batch != null && r.batch() != batch) {
                      return;
                    }
                    shown[0]++;
                    print(out, r, json, zone);
                    if (anchors != null) {
                      boolean ok = r.verify(anchors);
                      bad[0] |= !ok;
                      err.printf(
                          "batch %d: signature %s%n",
                          r.batch(), ok ? "verified" : "NOT VERIFIED with the trusted keys");
                      err.flush();
                    }
                  });
              if (shown[0] == 0) {
                String none =
                    "no destruction register for plan "
                        + plan
                        + (batch == null ? "" : " batch " + batch);
                if (problems[0] == 0) {
                  throw new EvidenceCommand.UsageException(none);
                }
                err.println("evidence: " + none);
                err.flush();
              }
              return bad[0] || problems[0] > 0 ? EvidenceCommand.FINDINGS : EvidenceCommand.OK;
            }
          });
    }
  }
}
