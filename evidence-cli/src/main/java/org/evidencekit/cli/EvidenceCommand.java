package org.evidencekit.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code evidence} command line. */
@Command(
    name = "evidence",
    mixinStandardHelpOptions = true,
    versionProvider = EvidenceCommand.Version.class,
    description = {
      "Seal, verify and prove law-enforcement recordings so nobody can quietly alter, cut or"
          + " lose them.",
      ""
    },
    footer = {
      "",
      "Exit codes: 0 ok/intact, 1 findings or tampered, 2 bad usage or unreadable input,"
          + " 3 inconclusive.",
      "Examples:",
      "  evidence seal recording.mp4 --suite sha256+sm3",
      "  evidence verify recording.mp4",
      "  evidence demo"
    })
public final class EvidenceCommand implements Runnable {
  static final int OK = 0;
  static final int FINDINGS = 1;
  static final int USAGE = 2;
  static final int INCONCLUSIVE = 3;

  @Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Show stack traces of errors.")
  boolean debug;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    PrintWriter out =
        new PrintWriter(
            new TerminalSafeWriter(
                new OutputStreamWriter(System.out, Charset.defaultCharset()), false),
            true);
    PrintWriter err =
        new PrintWriter(
            new TerminalSafeWriter(
                new OutputStreamWriter(System.err, Charset.defaultCharset()), true),
            true);
    // The AWS SDK logs through SLF4J and the CLI bundles no binding: without this, every S3
    // command (an ingest on the fast path too) starts with SLF4J's three-line "no providers"
    // notice on stderr.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    // The plain seal, verify and ingest skip picocli (FastPath).
    Integer fast = FastPath.run(args, out, err);
    if (fast != null) {
      System.exit(fast);
    }
    if (args.length > 0 && (args[0].equals("seal") || args[0].equals("verify"))) {
      HashWarmup.start(); // compiles the hash paths while picocli builds its model
    }
    System.exit(execute(args, out, err));
  }

  /**
   * The subcommands, in the order help lists them. In a holder class so that the seal fast path
   * does not pay for creating them.
   */
  private static final class Subcommands {
    static final Map<String, Supplier<Object>> ALL = new LinkedHashMap<>();

    static {
      ALL.put("ingest", IngestCommand::new);
      ALL.put("report", ReportCommand::new);
      ALL.put("record-sheet", RecordSheetCommand::new);
      ALL.put("seal", SealCommand::new);
      ALL.put("verify", VerifyCommand::new);
      ALL.put("prove", ProveCommand::new);
      ALL.put("probe", ProbeCommand::new);
      ALL.put("analyze", AnalyzeCommand::new);
      ALL.put("keygen", KeygenCommand::new);
      ALL.put("retention", RetentionCommand::new);
      ALL.put("ledger", LedgerCommand::new);
      ALL.put("kek-gen", CryptCommands.KekGen::new);
      ALL.put("encrypt", CryptCommands.Encrypt::new);
      ALL.put("decrypt", CryptCommands.Decrypt::new);
      ALL.put("export", LedgerCommand.Export::new);
      ALL.put("sweep", LedgerCommand.Sweep::new);
      ALL.put("spot-check", LedgerCommand.SpotCheck::new);
      ALL.put("demo", DemoCommand::new);
      ALL.put("help", CommandLine.HelpCommand::new);
      ALL.put("generate-completion", picocli.AutoComplete.GenerateCompletion::new);
    }
  }

  /**
   * Builds the command tree. picocli reflects over every registered subcommand at start-up, so when
   * the first argument names a subcommand only that one is built: it saves about a tenth of a
   * second on every run, which matters when sealing is measured against OpenSSL with the JVM start
   * included. Help, completion and errors get the full tree.
   */
  static CommandLine commandLine(String[] args) {
    CommandLine cl = new CommandLine(new EvidenceCommand());
    String first = args.length > 0 ? args[0] : "";
    boolean one =
        Subcommands.ALL.containsKey(first)
            && !first.equals("help")
            && !first.equals("generate-completion");
    for (Map.Entry<String, Supplier<Object>> e : Subcommands.ALL.entrySet()) {
      if (!one || e.getKey().equals(first)) {
        cl.addSubcommand(e.getKey(), e.getValue().get());
      }
    }
    return cl;
  }

  /**
   * Runs the command line with the given output streams; returns the exit code.
   *
   * <p>{@code -q}/{@code --quiet} works for every subcommand: one that defines it decides itself
   * what it leaves out; for the others standard output is dropped. Errors always reach stderr and
   * the exit code is unchanged.
   */
  static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine[] built = new CommandLine[1];
    return execute(args, out, err, () -> HelpLayout.width(built[0]), built);
  }

  /** As {@link #execute(String[], PrintWriter, PrintWriter)}, with help screens this wide. */
  static int execute(String[] args, PrintWriter out, PrintWriter err, int helpWidth) {
    return execute(args, out, err, () -> helpWidth, new CommandLine[1]);
  }

  private static int execute(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      java.util.function.IntSupplier helpWidth,
      CommandLine[] built) {
    CommandLine cl = commandLine(args);
    built[0] = cl;
    CommandLine target = target(cl, args);
    if (target != cl && target.getCommandSpec().findOption("-q") == null) {
      List<String> rest = new ArrayList<>(Arrays.asList(args));
      if (rest.removeIf(a -> a.equals("-q") || a.equals("--quiet"))) {
        args = rest.toArray(String[]::new);
        out = new PrintWriter(java.io.Writer.nullWriter());
      }
    }
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.registerConverter(java.time.Instant.class, EvidenceCommand::instant);
    HelpLayout.install(cl, helpWidth);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr()
              .println(
                  "evidence: "
                      + oneLine(
                          ex instanceof CommandLine.UnmatchedArgumentException u
                              ? unmatched(u)
                              : ex.getMessage())
                      + " (see '"
                      + c.getCommandSpec().qualifiedName()
                      + " --help')");
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          EvidenceCommand root =
              c.getCommandSpec().root().userObject() instanceof EvidenceCommand
                  ? (EvidenceCommand) c.getCommandSpec().root().userObject()
                  : null;
          if (root != null && root.debug) {
            ex.printStackTrace(c.getErr());
          }
          c.getErr().println(errorLine(ex, root != null && root.debug));
          return USAGE;
        });
    return cl.execute(args);
  }

  /**
   * An instant option ({@code --at}, {@code --from}, {@code --expires}, {@code --recording-start},
   * ...), read as {@link java.time.Instant#parse} reads it; anything else is said in the user's
   * terms, not as picocli's "cannot convert ... to class java.time.Instant
   * (java.time.format.DateTimeParseException ...)".
   */
  static java.time.Instant instant(String s) {
    try {
      return java.time.Instant.parse(s);
    } catch (java.time.format.DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'"
              + s
              + "' is not an ISO-8601 instant with its zone, like 2026-07-01T00:00:00Z or"
              + " 2026-07-01T08:00:00+08:00");
    }
  }

  /**
   * An argument nobody takes, said as what was given and what the command takes (picocli's own
   * message counts argument indexes).
   */
  static String unmatched(CommandLine.UnmatchedArgumentException u) {
    List<String> given = u.getUnmatched();
    if (given.isEmpty() || given.get(0).startsWith("-")) {
      return u.getMessage(); // "Unknown option: '--x'"
    }
    CommandLine.Model.CommandSpec spec = u.getCommandLine().getCommandSpec();
    if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
      return "unknown command '" + given.get(0) + "' for '" + spec.qualifiedName() + "'";
    }
    String takes =
        spec.positionalParameters().stream()
            .map(CommandLine.Model.PositionalParamSpec::paramLabel)
            .collect(java.util.stream.Collectors.joining(" "));
    return "unexpected argument(s) "
        + given.stream().map(a -> "'" + a + "'").collect(java.util.stream.Collectors.joining(", "))
        + ": '"
        + spec.qualifiedName()
        + "' takes "
        + (takes.isEmpty() ? "no arguments" : takes);
  }

  /** The one line an exception from a subcommand becomes on stderr. */
  static String errorLine(Exception ex, boolean debug) {
    String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    if (ex instanceof java.nio.file.NoSuchFileException) {
      msg = "no such file: " + ex.getMessage();
    } else if (ex instanceof java.nio.file.AccessDeniedException) {
      msg = "permission denied: " + ex.getMessage();
    } else if (ex instanceof java.nio.file.FileAlreadyExistsException) {
      msg = "already exists: " + ex.getMessage();
    } else if (ex instanceof org.evidencekit.storage.NoSuchObjectException) {
      msg = "no such object in the store: " + ex.getMessage(); // its message may be the bare key
    }
    boolean expected =
        ex instanceof UsageException
            || ex instanceof java.io.IOException
            || ex instanceof org.evidencekit.retention.ClockRefusedException
            || ex instanceof IllegalArgumentException;
    return "evidence: "
        + (expected ? "" : "internal error (" + ex.getClass().getSimpleName() + "): ")
        // a refusal of ours may name what it found (the first skipped paths of a card, with why)
        + oneLine(msg, ex instanceof UsageException ? USAGE_LINE_MAX : LINE_MAX)
        + (expected || debug ? "" : " (rerun with --debug)");
  }

  /** The subcommand the arguments name (the root when they name none). */
  private static CommandLine target(CommandLine root, String[] args) {
    CommandLine c = root;
    for (String a : args) {
      if (a.equals("--")) {
        break;
      }
      if (a.startsWith("-")) {
        continue;
      }
      CommandLine sub = c.getSubcommands().get(a);
      if (sub == null) {
        break;
      }
      c = sub;
    }
    return c;
  }

  /** The most of an exception's message printed. */
  private static final int LINE_MAX = 300;

  /** The most of a usage error's message printed: one of ours, which may list what it found. */
  private static final int USAGE_LINE_MAX = 1000;

  static String oneLine(String s) {
    return oneLine(s, LINE_MAX);
  }

  private static String oneLine(String s, int max) {
    String t = s == null ? "" : s.replace('\n', ' ').replace('\r', ' ').trim();
    return t.length() > max ? t.substring(0, max) + "..." : t;
  }

  /** A problem with what the user asked for; reported as one line, exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** This build's version, or "development build" outside the jar. */
  static String version() {
    String v = EvidenceCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "evidence " + version(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vendor")
            + ")",
        sm3Lanes()
      };
    }

    /**
     * Whether SM3 runs on vector lanes in this JVM, and why not: the one setting that changes SM3
     * speed five-fold, so {@code --version} shows it.
     */
    static String sm3Lanes() {
      return org.evidencekit.hash.HashAlgorithm.SM3.implementation();
    }
  }
}
