package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.evidencekit.retention.Disposition;
import org.evidencekit.retention.RetentionDecision;
import org.evidencekit.retention.RetentionEngine;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.retention.RetentionFormatException;
import org.evidencekit.retention.RetentionHistory;
import org.evidencekit.retention.RetentionPolicy;
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
    subcommands = {RetentionCommand.Plan.class, RetentionCommand.Explain.class})
final class RetentionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

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
      return RetentionFacts.parse(read(facts, "facts"));
    }

    RetentionHistory history() throws Exception {
      return history == null
          ? RetentionHistory.empty()
          : RetentionHistory.parse(read(history, "history"));
    }

    Instant at() {
      return at == null ? Instant.now() : at;
    }

    static byte[] read(Path p, String what) throws Exception {
      Cli.readableFile(p, what);
      if (Files.size(p) > 512L << 20) {
        throw new EvidenceCommand.UsageException(what + " " + p + " is larger than 512 MiB");
      }
      return Files.readAllBytes(p);
    }
  }

  static String local(Instant t, ZoneId zone) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(t.atZone(zone));
  }

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = "Dry run: what becomes disposable, when, and why. Deletes nothing.",
      footer = {
        "",
        "Example:",
        "  evidence retention plan --policy policy.json --facts facts.json --at 2026-07-01T00:00:00Z"
      })
  static final class Plan implements Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Mixin Inputs in = new Inputs();

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Option(names = "--csv", description = "Print the plan as CSV.")
    boolean csv;

    @Override
    public Integer call() throws Exception {
      if (json && csv) {
        throw new EvidenceCommand.UsageException("choose --json or --csv, not both");
      }
      try {
        RetentionPolicy p = in.policy();
        Disposition.Plan plan = Disposition.plan(p, in.facts(), in.history(), in.at());
        PrintWriter out = spec.commandLine().getOut();
        if (csv) {
          out.print(plan.toCsv());
          out.flush();
        } else if (json) {
          out.println(new String(plan.toJson(), java.nio.charset.StandardCharsets.UTF_8));
          out.flush();
        } else {
          out.printf(
              "retention plan at %s, policy %s v%d (dates in %s)%n",
              plan.at(), p.id(), p.version(), p.zone());
          out.printf("%-24s %-11s %-18s %s%n", "RECORDING", "STATUS", "RETENTION ENDS", "WHY");
          for (RetentionDecision d : plan.decisions()) {
            String why =
                !d.holdsInForce().isEmpty()
                    ? d.holdsInForce().size() + " hold(s) in force"
                    : !d.openEvents().isEmpty()
                        ? d.openEvents().get(0)
                        : d.permanent() ? "permanent" : lastRule(d);
            out.printf(
                "%-24s %-11s %-18s %s%n",
                d.recordingId(),
                d.status(),
                d.retainUntil().map(u -> local(u, p.zone())).orElse("-"),
                why + (d.shorteningRefused() ? " (shortening refused)" : ""));
          }
          out.printf(
              "%d of %d disposable; nothing was deleted (use the library's Disposition.execute"
                  + " after approval)%n",
              plan.disposable().size(), plan.decisions().size());
        }
        return EvidenceCommand.OK;
      } catch (RetentionFormatException | IllegalArgumentException e) {
        throw new EvidenceCommand.UsageException(e.getMessage());
      }
    }

    private static String lastRule(RetentionDecision d) {
      List<String> rules = new ArrayList<>();
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
        RetentionDecision d = RetentionEngine.decide(p, f, in.history(), recording, in.at());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("recording", d.recordingId());
          m.put("status", d.status());
          m.put("disposable", d.disposable());
          m.put("retainUntil", d.retainUntil().map(Instant::toString).orElse(null));
          m.put("permanent", d.permanent());
          m.put("openEvents", d.openEvents());
          List<String> holds = new ArrayList<>();
          d.holdsInForce().forEach(h -> holds.add(h.id()));
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
}
