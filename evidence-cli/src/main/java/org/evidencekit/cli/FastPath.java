package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code evidence seal}, {@code evidence verify} and {@code evidence ingest} without picocli, for
 * their plain forms only:
 *
 * <pre>
 * seal FILE [-o SEAL] [--suite S] [--segment-size SIZE] [--force] [--json] [-q]
 * verify FILE [SEAL] [--range OFFSET:LENGTH] [--json] [-q]
 * ingest INPUT... --store S --device ID --officer ID [--case ID]... [--case-class C]
 *        [--device-clock ISO] [--key K [--cert C]] [--policy P] [--suite S] [--actor ID]
 *        [--json] [-q]
 * </pre>
 *
 * <p>picocli's classes are Java 5 class files, which the class-data archive cannot hold, and
 * building its model by reflection costs 0.15-0.2 s of a JVM's start: a tenth of sealing or
 * verifying a 2 GiB file, most of a small one, and 7 % of ingesting a 1 GiB recording (issue 25).
 * An ingest station seals every file and a spot check verifies many, so the plain forms skip it.
 * Anything else (help, other options, {@code --opt=value}, a missing or doubled argument, values
 * that look like options, an {@code @FILE} of arguments) returns null and goes through picocli,
 * which then parses and reports exactly as always. The command objects and their {@code call()} are
 * the same either way; a test runs both paths on the same arguments and compares what they print
 * and write.
 */
final class FastPath {
  private FastPath() {}

  /** Runs the command, or returns null when the arguments need picocli. */
  static Integer run(String[] args, PrintWriter out, PrintWriter err) {
    Callable<Integer> c = parse(args, out, err);
    if (c == null) {
      return null;
    }
    try {
      return c.call();
    } catch (Exception e) {
      err.println(EvidenceCommand.errorLine(e, false));
      err.flush();
      return EvidenceCommand.USAGE;
    }
  }

  /** The command the arguments describe, writing to {@code out} and {@code err}, or null. */
  static Callable<Integer> parse(String[] args, PrintWriter out, PrintWriter err) {
    if (args.length < 2) {
      return null;
    }
    try {
      switch (args[0]) {
        case "seal" -> {
          Plain p = Plain.scan(args, SEAL_VALUES, SEAL_FLAGS, 1);
          if (p == null || p.positional.size() != 1) {
            return null;
          }
          SealCommand c = new SealCommand();
          c.file = Path.of(p.positional.get(0));
          c.output = p.path("--output");
          c.suite = p.values.getOrDefault("--suite", "sha256");
          c.segmentSize = p.values.getOrDefault("--segment-size", "1MiB");
          c.force = p.values.containsKey("--force");
          c.json = p.values.containsKey("--json");
          c.quiet = p.values.containsKey("--quiet");
          c.streams(out, err);
          return c;
        }
        case "verify" -> {
          Plain p = Plain.scan(args, VERIFY_VALUES, VERIFY_FLAGS, 2);
          if (p == null || p.positional.isEmpty()) {
            return null;
          }
          VerifyCommand c = new VerifyCommand();
          c.file = Path.of(p.positional.get(0));
          c.sealFile = p.positional.size() > 1 ? Path.of(p.positional.get(1)) : null;
          c.range = p.values.get("--range");
          c.json = p.values.containsKey("--json");
          c.quiet = p.values.containsKey("--quiet");
          c.streams(out, err);
          return c;
        }
        case "ingest" -> {
          Plain p = Plain.scan(args, INGEST_VALUES, INGEST_FLAGS, Integer.MAX_VALUE);
          if (p == null
              || p.positional.isEmpty()
              || !p.values.keySet().containsAll(INGEST_REQUIRED)) {
            return null;
          }
          IngestCommand c = new IngestCommand();
          c.inputs = new ArrayList<>();
          for (String in : p.positional) {
            c.inputs.add(Path.of(in));
          }
          c.store = p.values.get("--store");
          c.device = p.values.get("--device");
          c.officer = p.values.get("--officer");
          c.cases.addAll(p.repeated.getOrDefault("--case", List.of()));
          c.caseClass = p.values.get("--case-class");
          c.deviceClock = p.values.get("--device-clock");
          c.key = p.path("--key");
          c.cert = p.path("--cert");
          c.policy = p.path("--policy");
          c.suite = p.values.getOrDefault("--suite", "sha256+sm3");
          c.actor = p.values.get("--actor");
          c.json = p.values.containsKey("--json");
          c.quiet = p.values.containsKey("--quiet");
          c.streams(out, err);
          return c;
        }
        default -> {
          return null;
        }
      }
    } catch (InvalidPathException e) {
      return null; // picocli reports it
    }
  }

  private static final Set<String> SEAL_VALUES = Set.of("--output", "--suite", "--segment-size");
  private static final Set<String> SEAL_FLAGS = Set.of("--force", "--json", "--quiet");
  private static final Set<String> VERIFY_VALUES = Set.of("--range");
  private static final Set<String> VERIFY_FLAGS = Set.of("--json", "--quiet");
  private static final Set<String> INGEST_VALUES =
      Set.of(
          "--store",
          "--device",
          "--officer",
          "--case",
          "--case-class",
          "--device-clock",
          "--key",
          "--cert",
          "--policy",
          "--suite",
          "--actor");
  private static final Set<String> INGEST_FLAGS = Set.of("--json", "--quiet");
  private static final Set<String> INGEST_REQUIRED = Set.of("--store", "--device", "--officer");

  /** Options that may be given several times, each value kept in order. */
  private static final Set<String> REPEATABLE = Set.of("--case");

  private static final Map<String, String> SHORT = Map.of("-o", "--output", "-q", "--quiet");

  /** A plain command line: each option at most once, values separate, positionals not dashed. */
  private static final class Plain {
    final Map<String, String> values = new HashMap<>();
    final Map<String, List<String>> repeated = new HashMap<>();
    final List<String> positional = new ArrayList<>();

    static Plain scan(String[] args, Set<String> valued, Set<String> flags, int maxPositional) {
      Plain p = new Plain();
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        if (a.startsWith("@")) {
          return null; // picocli reads it as a file of arguments (@FILE), wherever it stands
        }
        String name = SHORT.getOrDefault(a, a);
        if (valued.contains(name)) {
          boolean again = p.values.containsKey(name) && !REPEATABLE.contains(name);
          if (again || ++i == args.length || looksLikeOption(args[i])) {
            return null;
          }
          p.values.put(name, args[i]);
          p.repeated.computeIfAbsent(name, k -> new ArrayList<>()).add(args[i]);
        } else if (flags.contains(name)) {
          if (p.values.put(name, "") != null) {
            return null;
          }
        } else if (looksLikeOption(a) || p.positional.size() == maxPositional) {
          return null;
        } else {
          p.positional.add(a);
        }
      }
      return p;
    }

    Path path(String name) {
      String v = values.get(name);
      return v == null ? null : Path.of(v);
    }
  }

  private static boolean looksLikeOption(String s) {
    return s.startsWith("-") || s.isEmpty();
  }
}
