package org.evidencekit.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;

/** A one-line progress bar on stderr, redrawn at most ten times a second. */
final class ProgressBar implements LongConsumer {
  /** Files smaller than this finish before a bar would help. */
  static final long THRESHOLD = 256L << 20;

  private final PrintWriter err;
  private final String label;
  private final long total;
  private final long start = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  private ProgressBar(PrintWriter err, String label, long total) {
    this.err = err;
    this.label = label;
    this.total = total;
  }

  /** A bar when it helps (interactive terminal, large input, not quiet), or nothing. */
  static ProgressBar maybe(PrintWriter err, String label, long total, boolean quiet) {
    if (quiet || total < THRESHOLD || System.console() == null) {
      return null;
    }
    return new ProgressBar(err, label, total);
  }

  @Override
  public void accept(long done) {
    long now = System.nanoTime();
    if (now - lastDraw < 100_000_000L && done < total) {
      return;
    }
    lastDraw = now;
    double secs = Math.max(1e-9, (now - start) / 1e9);
    int pct = (int) (done * 100 / Math.max(1, total));
    int width = 30;
    int fill = pct * width / 100;
    err.print(
        String.format(
            Locale.ROOT,
            "\r%s [%s%s] %3d%% %s/%s %.0f MB/s ",
            label,
            "#".repeat(fill),
            " ".repeat(width - fill),
            pct,
            Cli.humanBytes(done),
            Cli.humanBytes(total),
            done / secs / 1e6));
    err.flush();
    drawn = true;
  }

  void finish() {
    if (drawn) {
      err.print("\r" + " ".repeat(100) + "\r");
      err.flush();
    }
  }
}
