package org.evidencekit.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@code evidence seal} without picocli, for its common forms only: {@code seal FILE [-o SEAL]
 * [--suite S] [--segment-size SIZE] [--force] [--json] [-q]}. Building picocli's model by
 * reflection costs 0.1-0.2 s of a JVM's start, a tenth of sealing a 2 GiB file; an ingest station
 * seals every file, so the plain form skips it. Anything else (help, other options, {@code
 * --opt=value}, a missing or doubled argument, values that look like options) returns null and goes
 * through picocli, which then parses and reports exactly as always. The command object and its
 * {@code call()} are the same either way; a test runs both paths on the same arguments and compares
 * what they print and write.
 */
final class SealFastPath {
  private SealFastPath() {}

  /** Runs the seal, or returns null when the arguments need picocli. */
  static Integer run(String[] args, PrintWriter out, PrintWriter err) {
    SealCommand c = parse(args);
    if (c == null) {
      return null;
    }
    c.fastOut = out;
    c.fastErr = err;
    try {
      return c.call();
    } catch (Exception e) {
      err.println(EvidenceCommand.errorLine(e, false));
      err.flush();
      return EvidenceCommand.USAGE;
    }
  }

  /** The command the arguments describe, or null if they need picocli. */
  static SealCommand parse(String[] args) {
    if (args.length < 2 || !args[0].equals("seal")) {
      return null;
    }
    SealCommand c = new SealCommand();
    c.suite = "sha256";
    c.segmentSize = "1MiB";
    boolean suite = false;
    boolean size = false;
    try {
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "-o", "--output" -> {
            if (c.output != null || ++i == args.length || looksLikeOption(args[i])) {
              return null;
            }
            c.output = Path.of(args[i]);
          }
          case "--suite" -> {
            if (suite || ++i == args.length || looksLikeOption(args[i])) {
              return null;
            }
            c.suite = args[i];
            suite = true;
          }
          case "--segment-size" -> {
            if (size || ++i == args.length || looksLikeOption(args[i])) {
              return null;
            }
            c.segmentSize = args[i];
            size = true;
          }
          case "--force" -> c.force = true;
          case "--json" -> c.json = true;
          case "-q", "--quiet" -> c.quiet = true;
          default -> {
            if (looksLikeOption(a) || c.file != null) {
              return null;
            }
            c.file = Path.of(a);
          }
        }
      }
    } catch (InvalidPathException e) {
      return null;
    }
    return c.file == null ? null : c;
  }

  private static boolean looksLikeOption(String s) {
    return s.startsWith("-") || s.isEmpty();
  }
}
