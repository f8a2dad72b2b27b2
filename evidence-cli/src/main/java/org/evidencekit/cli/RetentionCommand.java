package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.retention.Disposition;
import org.evidencekit.retention.RetentionDecision;
import org.evidencekit.retention.RetentionEngine;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.retention.RetentionFormatException;
import org.evidencekit.retention.RetentionHistory;
import org.evidencekit.retention.RetentionPolicy;
import org.evidencekit.retention.UpcomingDisposals;
import org.evidencekit.storage.EvidenceStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description = {
      "Decide how long recordings must be kept (R-16, Art. 19): at least two years, case-linked"
          + " recordings as long as the case file, holds block disposal, retention only extends."
    },
    subcommands = {
      RetentionCommand.Plan.class,
      RetentionCommand.Explain.class,
      RetentionCommand.Upcoming.class,
      DispositionCommands.Approve.class,
      DispositionCommands.Execute.class,
      DispositionCommands.Register.class,
      HoldCommands.Hold.class,
      HoldCommands.Release.class
    })
final class RetentionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Largest policy, facts or history file read: facts of a few million recordings are some hundreds
   * of MiB, the others far less.
   */
  static final long MAX_INPUT_BYTES = 512L << 20;

  /** Options both subcommands share. */
  static class Inputs {
    @Option(
        names = "--policy",
        paramLabel = "P.json",
        description = "Retention policy (default: the regulation's rules only).")
    Path policy;

    @Option(
        names = "--facts",
        required = true,
        paramLabel = "F.json",
        description = "Recordings, cases and holds.")
    Path facts;

    @Option(
        names = "--history",
        paramLabel = "H.json",
        description = "Earlier decisions' high-water marks; retention never goes below them.")
    Path history;

    @Option(
        names = "--at",
        paramLabel = "ISO",
        description = "Decide as of this instant (default: now), e.g. 2026-07-01T00:00:00Z.")
    Instant at;

    RetentionPolicy policy() throws Exception {
      return policy(policy);
    }

    /** The policy in {@code file}, or the regulation's rules only when null. */
    static RetentionPolicy policy(Path file) throws Exception {
      if (file == null) {
        return RetentionPolicy.regulationDefault();
      }
      try {
        return RetentionPolicy.parse(read(file, "policy"));
      } catch (org.evidencekit.retention.RetentionFormatException e) {
        throw new EvidenceCommand.UsageException(file + ": " + e.getMessage());
      }
    }

    RetentionFacts facts() throws Exception {
      return facts(facts);
    }

    /**
     * The facts in {@code file}; a format error names the file, as the policy's does (a command
     * given facts, policy and history said which was wrong only by the error's wording).
     */
    static RetentionFacts facts(Path file) throws Exception {
      try {
        return RetentionFacts.parse(read(file, "facts"));
      } catch (RetentionFormatException e) {
        throw new EvidenceCommand.UsageException(file + ": " + e.getMessage());
      }
    }

    RetentionHistory history() throws Exception {
      if (history == null) {
        return RetentionHistory.empty();
      }
      try {
        return RetentionHistory.parse(read(history, "history"));
      } catch (RetentionFormatException e) {
        throw new EvidenceCommand.UsageException(history + ": " + e.getMessage());
      }
    }

    Instant at() {
      return at == null ? Instant.now() : at;
    }

    static byte[] read(Path p, String what) throws Exception {
      return Cli.readBounded(p, MAX_INPUT_BYTES, what);
    }
  }

  static String local(Instant t, ZoneId zone) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(t.atZone(zone));
  }

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = {
        "Dry run: what becomes disposable, when, and why. Deletes nothing.",
        "With --store the store's ledger is the history; with --by too the plan is recorded"
            + " (create-only, ledgered) at the trusted clock's time, for two approvers to sign."
      },
      footer = {
        "",
        "Examples:",
        "  evidence retention plan --policy policy.json --facts facts.json --at 2026-07-01T00:00:00Z",
        "  evidence retention plan --store /srv/evidence --facts facts.json --by records-officer-1"
      })
  static final class Plan implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin Inputs in = new Inputs();

    @picocli.CommandLine.Mixin RetentionStore rs = new RetentionStore();

    @Option(names = "--by", paramLabel = "NAME", description = "Who plans (with --store).")
    String by;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(names = "--csv", description = "Print the plan as CSV.")
    boolean csv;

    @Override
    public Integer call() throws Exception {
      if (json && csv) {
        throw new EvidenceCommand.UsageException("choose --json or --csv, not both");
      }
      return DispositionCommands.guarded(
          () -> {
            RetentionPolicy p = in.policy();
            RetentionFacts facts = in.facts();
            if (rs.spec == null) {
              if (by != null) {
                throw new EvidenceCommand.UsageException("--by records a plan: give --store too");
              }
              return print(p, Disposition.plan(p, facts, in.history(), in.at()), null);
            }
            if (by == null) {
              // a dry run with the store's ledger as history; nothing is written
              if (in.history != null) {
                throw new EvidenceCommand.UsageException("choose --store or --history, not both");
              }
              try (EvidenceStore st = rs.open()) {
                RetentionHistory h = RetentionHistory.read(RetentionStore.ledger(st));
                return print(p, Disposition.plan(p, facts, h, in.at()), null);
              }
            }
            if (in.at != null || in.history != null) {
              throw new EvidenceCommand.UsageException(
                  "a recorded plan is made at the trusted clock's time with the store's ledger"
                      + " as history: --at and --history are for dry runs");
            }
            if (by.isBlank()) {
              throw new EvidenceCommand.UsageException("--by must name who plans");
            }
            try (EvidenceStore st = rs.open()) {
              EvidenceLedger ledger = RetentionStore.ledger(st);
              RetentionHistory history = RetentionHistory.read(ledger);
              // the time is read last, after everything that can refuse the plan: a clock vouched
              // for with --init-clock-by or --accept-clock-jump-by is recorded only for a plan
              // that is recorded
              Instant now = rs.clock(ledger, spec.commandLine().getErr()).now();
              Disposition.Plan plan = Disposition.plan(p, facts, history, now).plannedBy(by);
              String digest = Disposition.record(plan, st, ledger);
              return print(p, plan, digest);
            }
          });
    }

    private int print(RetentionPolicy p, Disposition.Plan plan, String digest) throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      if (csv) {
        plan.writeCsv(out);
      } else if (json) {
        out.println(new String(plan.toJson(), StandardCharsets.UTF_8));
      } else {
        out.printf(
            "retention plan at %s, policy %s v%d (dates in %s)%n",
            plan.at(), p.id(), p.version(), p.zone());
        // as wide as the longest id: ids are often object keys (DEVCAM7/2023-06-01/NAME.mp4, the
        // ingest station's), and a fixed 24 pushed the other columns out of line on every such row
        int width = 24;
        for (RetentionDecision d : plan.decisions()) {
          width = Math.max(width, d.recordingId().length());
        }
        String row = "%-" + width + "s %-11s %-18s %s%n";
        out.printf(row, "RECORDING", "STATUS", "RETENTION ENDS", "WHY");
        for (RetentionDecision d : plan.decisions()) {
          String why =
              !d.holdsInForce().isEmpty()
                  ? d.holdsInForce().size() + " hold(s) in force"
                  : !d.openEvents().isEmpty()
                      ? d.openEvents().get(0)
                      : d.permanent() ? "permanent" : lastRule(d);
          out.printf(
              row,
              d.recordingId(),
              d.status(),
              d.retainUntil().map(u -> local(u, p.zone())).orElse("-"),
              why + (d.shorteningRefused() ? " (shortening refused)" : ""));
        }
        for (String problem : plan.problems()) {
          out.printf(row, "-", "ERROR", "-", problem);
        }
        out.printf(
            "%d of %d disposable%s%s; nothing was deleted%n",
            plan.disposable().size(),
            plan.decisions().size(),
            plan.alreadyDisposed().isEmpty()
                ? ""
                : ", " + plan.alreadyDisposed().size() + " disposed of before",
            plan.problems().isEmpty() ? "" : ", " + plan.problems().size() + " row(s) not planned");
        if (digest != null) {
          out.printf(
              "plan %s recorded by %s; two approvers sign it with 'evidence retention approve"
                  + " --store %s --plan %s --by NAME --key KEY.pem'%n",
              digest, by, rs.spec, digest);
        }
      }
      out.flush();
      if (digest != null && (json || csv)) {
        spec.commandLine().getErr().println("plan " + digest + " recorded by " + by);
      }
      for (String problem : plan.problems()) {
        spec.commandLine().getErr().println("evidence: not planned: " + problem);
      }
      return plan.problems().isEmpty() ? EvidenceCommand.OK : EvidenceCommand.FINDINGS;
    }

    private static String lastRule(RetentionDecision d) {
      // a rule applied from two anchors (art19-minimum-2y: the end, and the ledger's seal) once
      Set<String> rules = new LinkedHashSet<>();
      for (String line : d.derivation()) {
        rules.add(line.substring(0, Math.max(0, line.indexOf(':'))));
      }
      return String.join(", ", rules);
    }
  }

  @Command(
      name = "explain",
      mixinStandardHelpOptions = true,
      description = "Explain the decision for one recording: every rule, fact and date used.",
      footer = {
        "",
        "Example:",
        "  evidence retention explain --facts facts.json --recording DEVCAM7-0001"
      })
  static final class Explain implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin Inputs in = new Inputs();

    @Option(names = "--recording", required = true, paramLabel = "ID", description = "Which one.")
    String recording;

    @Option(
        names = "--store",
        paramLabel = "STORE",
        description = "Read the history and holds from this store's ledger.")
    String store;

    @Option(names = "--json", description = "Print the decision as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try {
        RetentionPolicy p = in.policy();
        RetentionFacts f = in.facts();
        if (f.recording(recording).isEmpty()) {
          throw new EvidenceCommand.UsageException(
              "the facts have no recording '" + recording + "'");
        }
        RetentionHistory h;
        if (store != null) {
          if (in.history != null) {
            throw new EvidenceCommand.UsageException("choose --store or --history, not both");
          }
          try (EvidenceStore st = Stores.open(store, false)) {
            h = RetentionHistory.read(RetentionStore.ledger(st));
          }
        } else {
          h = in.history();
        }
        RetentionDecision d = RetentionEngine.decide(p, f, h, recording, in.at());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("recording", d.recordingId());
          m.put("status", d.status().name());
          m.put("disposable", d.disposable());
          m.put("retainUntil", d.retainUntil().map(Instant::toString).orElse(null));
          m.put("permanent", d.permanent());
          m.put("openEvents", d.openEvents());
          List<String> holds = new ArrayList<>();
          d.holdsInForce().forEach(x -> holds.add(x.id()));
          m.put("holds", holds);
          m.put("policy", p.id() + " v" + p.version());
          m.put("at", d.evaluatedAt().toString());
          m.put("derivation", d.derivation());
          Cli.printJson(out, m);
        } else {
          out.printf(
              "%s: %s at %s under %s v%d%n",
              d.recordingId(), d.status(), d.evaluatedAt(), p.id(), p.version());
          d.retainUntil()
              .ifPresent(
                  u ->
                      out.printf(
                          "  disposable from %s (%s %s)%n", u, local(u, p.zone()), p.zone()));
          for (String line : d.derivation()) {
            out.println("  - " + line);
          }
        }
        return EvidenceCommand.OK;
      } catch (RetentionFormatException | IllegalArgumentException e) {
        throw new EvidenceCommand.UsageException(e.getMessage());
      }
    }
  }

  @Command(
      name = "upcoming",
      mixinStandardHelpOptions = true,
      description =
          "What becomes disposable in the next N days, per custodian and case: notice before"
              + " expiry, so that a hold can be asked for in time.",
      footer = {
        "",
        "Example:",
        "  evidence retention upcoming --facts facts.json --days 60 --store /srv/evidence"
      })
  static final class Upcoming implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin Inputs in = new Inputs();

    @Option(
        names = "--store",
        paramLabel = "STORE",
        description = "Read the history and holds from this store's ledger.")
    String store;

    @Option(
        names = "--days",
        paramLabel = "N",
        defaultValue = "30",
        description = "How far ahead (default 30).")
    int days;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (days < 0 || days > 36_600) {
        throw new EvidenceCommand.UsageException("--days must be 0 to 36600");
      }
      return DispositionCommands.guarded(
          () -> {
            RetentionPolicy p = in.policy();
            RetentionHistory h;
            if (store != null) {
              if (in.history != null) {
                throw new EvidenceCommand.UsageException("choose --store or --history, not both");
              }
              try (EvidenceStore st = Stores.open(store, false)) {
                h = RetentionHistory.read(RetentionStore.ledger(st));
              }
            } else {
              h = in.history();
            }
            Instant at = in.at();
            List<UpcomingDisposals.Notice> ns =
                UpcomingDisposals.within(p, in.facts(), h, at, Duration.ofDays(days));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
              List<Object> items = new ArrayList<>();
              for (UpcomingDisposals.Notice n : ns) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("custodian", n.custodian());
                m.put("case", n.caseId());
                m.put("recording", n.recordingId());
                m.put("disposableFrom", n.disposableFrom().toString());
                items.add(m);
              }
              Cli.printJson(out, items);
              return EvidenceCommand.OK;
            }
            out.printf(
                "becoming disposable from %s to %s (dates in %s): %d%n",
                local(at, p.zone()),
                local(at.plus(Duration.ofDays(days)), p.zone()),
                p.zone(),
                ns.size());
            // as wide as the longest id, as 'retention plan' is: ids are often object keys
            int width = 24;
            for (UpcomingDisposals.Notice n : ns) {
              width = Math.max(width, n.recordingId().length());
            }
            String row = "    %-" + width + "s disposable from %s%n";
            String custodian = null;
            String caseId = null;
            for (UpcomingDisposals.Notice n : ns) {
              if (!n.custodian().equals(custodian)) {
                custodian = n.custodian();
                caseId = null;
                out.printf("custodian %s%n", custodian.isEmpty() ? "(none named)" : custodian);
              }
              if (!n.caseId().equals(caseId)) {
                caseId = n.caseId();
                out.printf("  %s%n", caseId.isEmpty() ? "no case" : "case " + caseId);
              }
              out.printf(row, n.recordingId(), local(n.disposableFrom(), p.zone()));
            }
            out.flush();
            return EvidenceCommand.OK;
          });
    }
  }
}
