package org.evidencekit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.retention.ClockRefusedException;
import org.evidencekit.retention.HighWaterMarkClock;
import picocli.CommandLine.Option;

/**
 * The trusted-clock options (retention commands that change the store, ingest, and the ledger
 * commands that append): the clock is anchored on the store's ledger and a mark file; initialising
 * it or accepting a jump names a person and a reason, which the ledger records.
 */
final class ClockOptions {
  @Option(
      names = "--clock-mark",
      paramLabel = "FILE",
      description =
          "The trusted clock's high-water mark file (default: ~/.evidencekit/clock-mark).")
  Path clockMark;

  @Option(
      names = "--max-clock-jump-days",
      paramLabel = "N",
      defaultValue = "31",
      description =
          "How far the clock may be ahead of its anchor without acceptance: 1 to 31 (default 31,"
              + " the ledger's own bound).")
  int maxJumpDays;

  @Option(
      names = "--init-clock-by",
      paramLabel = "NAME",
      description =
          "Initialise a clock that has no anchor yet (an empty ledger and no mark); needs"
              + " --clock-reason. Ledgered; where the clock is anchored already, nothing is.")
  String initBy;

  @Option(
      names = "--accept-clock-jump-by",
      paramLabel = "NAME",
      description = "Accept the clock's jump beyond the bound; needs --clock-reason. Ledgered.")
  String acceptBy;

  @Option(
      names = "--clock-reason",
      paramLabel = "TEXT",
      description = "Why the clock is initialised or its jump accepted.")
  String clockReason;

  /** Whether any clock option was given (ingest uses the trusted clock only then). */
  boolean given() {
    return clockMark != null || initBy != null || acceptBy != null || clockReason != null;
  }

  /**
   * The trusted clock, initialised or moved on first if the options say so; an acceptance with no
   * jump to accept is said on {@code err} and logs nothing.
   */
  HighWaterMarkClock clock(EvidenceLedger ledger, java.io.PrintWriter err) throws IOException {
    if (maxJumpDays < 1 || maxJumpDays > 31) {
      // over 31 the clock vouched for times the ledger refuses, and saw no jump to accept
      throw new EvidenceCommand.UsageException(
          "--max-clock-jump-days must be 1 to 31: the ledger takes no entry more than 31 days"
              + " after its latest without an accepted jump");
    }
    if (initBy != null && acceptBy != null) {
      throw new EvidenceCommand.UsageException(
          "choose --init-clock-by or --accept-clock-jump-by, not both");
    }
    if ((initBy != null || acceptBy != null) && (clockReason == null || clockReason.isBlank())) {
      throw new EvidenceCommand.UsageException("vouching for the clock needs --clock-reason");
    }
    Path mark =
        clockMark != null
            ? clockMark
            : defaultMark(System.getenv("HOME"), System.getProperty("user.home"));
    HighWaterMarkClock c =
        HighWaterMarkClock.anchored(Clock.systemUTC(), ledger, mark, Duration.ofDays(maxJumpDays));
    try {
      // recorded when the command first reads the time: a command refused before that (a bad
      // argument, an object the store does not hold) leaves the ledger as it was
      Optional<Instant> anchor = c.anchor();
      if (initBy != null && anchor.isPresent()) {
        // as an acceptance with no jump to accept: the clock needs no one to vouch for it, so the
        // command goes ahead on the anchored clock, with every check, and logs no vouching
        err.println(
            "evidence: --init-clock-by: nothing to initialise, nothing logged: the trusted clock is"
                + " already anchored at "
                + anchor.get()
                + " (the store's ledger or the mark "
                + mark
                + "); --init-clock-by is for a store with an empty ledger and no mark yet");
      } else if (initBy != null) {
        c.initialiseOnFirstReading(initBy, clockReason);
      } else if (acceptBy != null) {
        c.acceptJumpOnFirstReading(acceptBy, clockReason)
            .ifPresent(why -> err.println("evidence: --accept-clock-jump-by: " + why));
      } else if (anchor.isEmpty()) {
        // the library refuses the first reading; say here which options vouch for it
        throw new EvidenceCommand.UsageException(
            "the trusted clock has no anchor (the store's ledger is empty and there is no mark "
                + mark
                + "): a named person must initialise it, with --init-clock-by NAME"
                + " --clock-reason TEXT");
      }
    } catch (ClockRefusedException | IllegalStateException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
    return c;
  }

  /**
   * The mark file when {@code --clock-mark} is not given: {@code ~/.evidencekit/clock-mark} with
   * {@code ~} read as a shell reads it, from {@code HOME}. The JVM's {@code user.home} comes from
   * the password database and ignores {@code HOME}, so a station run with another {@code HOME} (a
   * service account's, a fresh one for a new archive) silently shared the login's mark.
   */
  static Path defaultMark(String home, String userHome) {
    String base = home != null && !home.isBlank() ? home : userHome;
    return Path.of(base, ".evidencekit", "clock-mark");
  }

  /**
   * The trusted time for the entries a ledger command appends, read once after the command's own
   * checks and before it writes anything: a clock wound forward past the bound is refused (exit 2)
   * and the store and the ledger stay as they were, so no entry stamped with a forged time can move
   * the ledger's latest time ahead for the next ingest or disposition to measure its jump from
   * (R-14, R-16, R-18).
   */
  Instant trustedNow(EvidenceLedger ledger, java.io.PrintWriter err) throws IOException {
    HighWaterMarkClock c = clock(ledger, err);
    try {
      return c.now();
    } catch (ClockRefusedException e) {
      throw new EvidenceCommand.UsageException(e.getMessage());
    }
  }
}
