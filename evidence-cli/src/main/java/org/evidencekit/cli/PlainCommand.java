package org.evidencekit.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that also runs without picocli ({@link FastPath}): it writes to picocli's streams when
 * picocli built it, else to the ones {@link #streams} gave it.
 */
abstract class PlainCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private PrintWriter plainOut;
  private PrintWriter plainErr;

  /** For {@link FastPath}, which bypasses picocli (then {@code spec} stays null). */
  final void streams(PrintWriter out, PrintWriter err) {
    plainOut = out;
    plainErr = err;
  }

  final PrintWriter out() {
    return spec != null ? spec.commandLine().getOut() : plainOut;
  }

  final PrintWriter err() {
    return spec != null ? spec.commandLine().getErr() : plainErr;
  }
}
