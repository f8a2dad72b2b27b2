package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;

/**
 * The default {@link TrustedClock}: the wall clock, checked against an anchor it cannot be talked
 * out of. The anchor is the latest time the evidence ledger holds (every seal, custody event and
 * decision is timed there) together with a persisted high-water mark (the latest time this clock
 * vouched for); deleting the mark file does not forget the ledger.
 *
 * <p>It refuses ({@link ClockRefusedException}) when it has no anchor at all (an empty ledger and
 * no mark: a named person {@link #initialise initialises} it, which the ledger records), when the
 * wall clock is more than two minutes behind the anchor (it ran backwards; within two minutes,
 * another station's clock a little ahead, the anchor's time is answered), or when it is more than
 * {@code maxJump} ahead of the ledger's latest entry (wound forward, or nothing was logged for
 * longer than expected: a named person {@link #acceptJump accepts} the jump with a reason, which
 * the ledger records). Each vouched time raises the mark durably; the mark keeps the clock from
 * running backwards, never carries it forward past the ledger. Thread-safe.
 *
 * <p>A command that vouches for the clock on behalf of the work it does names the person up front
 * with {@link #initialiseOnFirstReading} or {@link #acceptJumpOnFirstReading}: the vouching is
 * checked at once and recorded only when the work first reads the time, so work refused before it
 * needs the time (a bad argument, an object the store does not hold) leaves the ledger and the mark
 * as they were.
 */
public final class HighWaterMarkClock implements TrustedClock {
  /** The ledger subject of the clock's own entries. */
  public static final String LEDGER_SUBJECT = "trusted-clock";

  private final Clock wall;
  private final EvidenceLedger ledger;
  private final Path markFile;
  private final Duration maxJump;

  /** The latest ledger time seen, and the ledger size it was read at. */
  private Instant ledgerHigh;

  private long ledgerSeen;

  /** A vouching named up front, recorded at the next reading; null when none is pending. */
  private Vouching pending;

  /**
   * How far behind the anchor the wall clock may read and be given the anchor's time instead of a
   * refusal: honest stations' clocks differ by this much (the ingest station's default tolerance).
   */
  static final Duration STATION_SKEW = Duration.ofMinutes(2);

  /** The ledger's own bound ahead of its latest entry ({@code EvidenceLedger}, R-16). */
  static final Duration LEDGER_MAX_AHEAD = Duration.ofDays(31);

  private record Vouching(boolean initialise, String by, String reason) {}

  private HighWaterMarkClock(Clock wall, EvidenceLedger ledger, Path markFile, Duration maxJump) {
    this.wall = wall;
    this.ledger = ledger;
    this.markFile = markFile;
    this.maxJump = maxJump;
  }

  /**
   * A clock anchored on {@code ledger}: it never returns a time before the latest entry time it has
   * seen (all entries when anchored, the newest one at each later call) nor before the mark in
   * {@code markFile} (created when missing). Reads the whole ledger once.
   *
   * @param maxJump how far ahead of the ledger's latest entry (of the mark, while the ledger has
   *     none) the wall clock may be without a named acceptance: at most 31 days, the bound the
   *     ledger holds every entry to ({@code EntryTimeRefusedException})
   * @throws IllegalArgumentException if {@code maxJump} is not positive or is over 31 days
   */
  public static HighWaterMarkClock anchored(
      Clock wall, EvidenceLedger ledger, Path markFile, Duration maxJump) throws IOException {
    requireNonNull(wall, "wall");
    requireNonNull(ledger, "ledger");
    requireNonNull(markFile, "markFile");
    requireNonNull(maxJump, "maxJump");
    if (maxJump.isNegative() || maxJump.isZero()) {
      throw new IllegalArgumentException("maxJump must be positive");
    }
    if (maxJump.compareTo(LEDGER_MAX_AHEAD) > 0) {
      // the clock would vouch for a time the ledger refuses to log, and, seeing no jump, would
      // not let anyone accept one: no way forward but setting the bound lower
      throw new IllegalArgumentException(
          "maxJump is "
              + maxJump.toDays()
              + " days; the ledger takes no entry more than "
              + LEDGER_MAX_AHEAD.toDays()
              + " days after its latest without an accepted jump, so the bound is at most that");
    }
    HighWaterMarkClock c = new HighWaterMarkClock(wall, ledger, markFile, maxJump);
    long n = ledger.size();
    for (LedgerEntry e : ledger.entries()) {
      c.ledgerHigh = later(c.ledgerHigh, e.time());
    }
    c.ledgerSeen = n;
    return c;
  }

  /**
   * The wall clock's reading, or the last trusted time if that is later, recording nothing: no
   * vouching named for the next {@link #now()} is recorded, the mark does not move, and nothing is
   * checked against the bound.
   *
   * @throws ClockRefusedException if the mark cannot be read
   */
  @Override
  public synchronized Instant reading() throws ClockRefusedException {
    return later(currentAnchor(), wall.instant());
  }

  /** The time this clock will not go below: the later of the ledger's and the mark's. */
  public synchronized Optional<Instant> anchor() throws ClockRefusedException {
    return Optional.ofNullable(currentAnchor());
  }

  @Override
  public synchronized Instant now() throws ClockRefusedException {
    Vouching v = pending;
    pending = null;
    if (v != null && (v.initialise() ? currentAnchor() == null : beyondBound())) {
      // (an initialisation that another writer made meanwhile is not made twice, and a jump that
      // is not there, or no longer, is not accepted: nothing to vouch for is logged as nothing)
      try {
        return v.initialise() ? initialise(v.by(), v.reason()) : acceptJump(v.by(), v.reason());
      } catch (IOException e) {
        throw new ClockRefusedException(
            "cannot record in the ledger that "
                + v.by()
                + (v.initialise() ? " initialised the clock: " : " accepted its jump: ")
                + e.getMessage());
      }
    }
    Instant t = wall.instant();
    Instant anchor = currentAnchor();
    if (anchor == null) {
      throw new ClockRefusedException(
          "the trusted clock has no anchor (the ledger is empty and there is no mark "
              + markFile
              + "): a named person must initialise it before it vouches for any time");
    }
    if (t.isBefore(anchor)) {
      if (t.isBefore(anchor.minus(STATION_SKEW))) {
        throw new ClockRefusedException(
            "the clock reads "
                + t
                + ", "
                + Duration.between(t, anchor).toSeconds()
                + " s before the last trusted time "
                + anchor
                + ": it ran backwards");
      }
      // Another station's clock, a little ahead, logged last: every reading here was refused
      // until this clock caught up. Take that time; the answer still never goes back.
      t = anchor;
    }
    Instant base = jumpBase();
    if (t.isAfter(base.plus(maxJump))) {
      throw new ClockRefusedException(
          "the clock reads "
              + t
              + ", "
              + Duration.between(base, t).toDays()
              + " days after "
              + (ledgerHigh != null ? "the ledger's latest entry " : "the last trusted time ")
              + base
              + " (bound "
              + (maxJump.toSeconds() % 86_400 == 0 ? maxJump.toDays() + " days" : maxJump)
              + "): a named person must accept the jump, with a reason, before it is trusted");
    }
    writeMark(t);
    return t;
  }

  /**
   * A named person vouches for the wall clock of a clock that has no anchor at all (a new
   * installation). Recorded in the ledger ({@code clock-initialised}, actor {@code by}).
   *
   * @return the time vouched for
   * @throws IllegalStateException if the clock already has an anchor (use {@link #acceptJump})
   * @throws ClockRefusedException if the mark cannot be read or written
   */
  public synchronized Instant initialise(String by, String reason)
      throws IOException, ClockRefusedException {
    checkNamed(by, reason);
    Instant anchor = currentAnchor();
    if (anchor != null) {
      throw new IllegalStateException(
          "the trusted clock is already anchored at " + anchor + "; a jump is accepted instead");
    }
    Instant t = wall.instant();
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.CLOCK_INITIALISED)
            .time(t)
            .actor(by)
            .subject(LEDGER_SUBJECT)
            .details(Map.of("reason", reason))
            .build());
    ledgerHigh = later(ledgerHigh, t);
    writeMark(t);
    return t;
  }

  /**
   * A named person confirms that the wall clock's current reading is right although it is more than
   * the bound ahead of the ledger's latest entry. Recorded in the ledger ({@code
   * clock-jump-accepted}, actor {@code by}, with the reason and the times jumped from and to).
   *
   * @return the time vouched for
   * @throws ClockRefusedException if the clock has no anchor or is behind it (a clock that ran
   *     backwards cannot be accepted)
   * @throws IllegalStateException if the clock is within the bound of the ledger's latest entry:
   *     there is no jump to accept, and nothing is logged
   */
  public synchronized Instant acceptJump(String by, String reason)
      throws IOException, ClockRefusedException {
    checkNamed(by, reason);
    Instant anchor = currentAnchor();
    if (anchor == null) {
      throw new ClockRefusedException(
          "the trusted clock has no anchor to jump from: initialise it");
    }
    Instant t = wall.instant();
    if (t.isBefore(anchor)) {
      throw new ClockRefusedException(
          "the clock reads " + t + ", behind the last trusted time " + anchor + "; not accepted");
    }
    if (!beyondBound()) {
      throw new IllegalStateException(noJump(anchor));
    }
    ledger.append(
        LedgerEntry.builder()
            .type(EntryType.CLOCK_JUMP_ACCEPTED)
            .time(t)
            .actor(by)
            .subject(LEDGER_SUBJECT)
            .details(Map.of("from", jumpBase().toString(), "to", t.toString(), "reason", reason))
            .build());
    ledgerHigh = later(ledgerHigh, t);
    writeMark(t);
    return t;
  }

  /**
   * As {@link #initialise}, recorded at the next {@link #now()} instead of at once: checked now
   * (named, with a reason, and no anchor yet), so a command that is refused before it reads the
   * time appends nothing. Replaces a vouching named before and not yet recorded.
   *
   * @throws IllegalStateException if the clock already has an anchor (use {@link
   *     #acceptJumpOnFirstReading})
   * @throws ClockRefusedException if the mark cannot be read
   */
  public synchronized void initialiseOnFirstReading(String by, String reason)
      throws ClockRefusedException {
    checkNamed(by, reason);
    Instant anchor = currentAnchor();
    if (anchor != null) {
      throw new IllegalStateException(
          "the trusted clock is already anchored at " + anchor + "; a jump is accepted instead");
    }
    pending = new Vouching(true, by, reason);
  }

  /**
   * As {@link #acceptJump}, recorded at the next {@link #now()} instead of at once: checked now
   * (named, with a reason, and an anchor to jump from), so a command that is refused before it
   * reads the time appends nothing. Replaces a vouching named before and not yet recorded.
   *
   * <p>Only a jump is accepted: if the clock does not read more than the bound after its anchor,
   * nothing is pending and nothing will be logged, and the reason is returned for the caller to
   * show. A pending acceptance whose jump is gone by the next reading is dropped the same way.
   *
   * @return empty if the acceptance is pending; else why there is nothing to accept
   * @throws ClockRefusedException if the clock has no anchor, or the mark cannot be read
   */
  public synchronized Optional<String> acceptJumpOnFirstReading(String by, String reason)
      throws ClockRefusedException {
    checkNamed(by, reason);
    Instant anchor = currentAnchor();
    if (anchor == null) {
      throw new ClockRefusedException(
          "the trusted clock has no anchor to jump from: initialise it");
    }
    if (!beyondBound()) {
      return Optional.of(noJump(anchor));
    }
    pending = new Vouching(false, by, reason);
    return Optional.empty();
  }

  /** Whether the wall clock reads more than the bound after {@link #jumpBase}: a jump to accept. */
  private boolean beyondBound() throws ClockRefusedException {
    Instant base = jumpBase();
    return base != null && wall.instant().isAfter(base.plus(maxJump));
  }

  /**
   * What a jump is measured from: the ledger's latest entry time, or the mark when the ledger has
   * none. Not the mark when the ledger has entries: the mark is a local file that anyone who can
   * write it could set ahead, and every reading raises it, logged or not, so measured from the mark
   * a clock wound forward by less than the bound at a time, one reading after each (or a mark
   * written ahead to match a wound clock), passed any bound with no named acceptance in the ledger
   * . The mark still keeps the clock from running backwards.
   */
  private Instant jumpBase() throws ClockRefusedException {
    Instant anchor = currentAnchor(); // reads the ledger's newest entry too
    return ledgerHigh != null ? ledgerHigh : anchor;
  }

  private String noJump(Instant anchor) throws ClockRefusedException {
    Instant t = wall.instant();
    Instant base = jumpBase();
    return "no clock jump to accept: the clock reads "
        + t
        + (t.isBefore(anchor)
            ? ", before the last trusted time " + anchor
            : ", within "
                + maxJump.toDays()
                + " days of "
                + (ledgerHigh != null ? "the ledger's latest entry " : "the last trusted time ")
                + base)
        + "; nothing is logged";
  }

  private static void checkNamed(String by, String reason) {
    requireNonNull(by, "by");
    requireNonNull(reason, "reason");
    if (by.isBlank()) {
      throw new IllegalArgumentException("the person vouching for the clock must be named");
    }
    if (reason.isBlank()) {
      throw new IllegalArgumentException("vouching for the clock needs a reason");
    }
  }

  private Instant currentAnchor() throws ClockRefusedException {
    long n = ledger.size();
    if (n > ledgerSeen) {
      try {
        ledgerHigh = later(ledgerHigh, ledger.entry(n - 1).time());
      } catch (IOException e) {
        throw new ClockRefusedException("cannot read the ledger's latest time: " + e.getMessage());
      }
      ledgerSeen = n;
    }
    return later(ledgerHigh, readMark());
  }

  private static Instant later(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  /**
   * Largest mark file read: a mark is one ISO-8601 instant and a line break (about 31 bytes). 4 KiB
   * is over a hundred times that; a bigger file is damage or planted, refused after reading at most
   * one byte past the bound (a 4 GiB one read whole was an OutOfMemoryError).
   */
  static final int MAX_MARK_BYTES = 4096;

  private Instant readMark() throws ClockRefusedException {
    refuseLink();
    try {
      byte[] b =
          org.evidencekit.internal.io.BoundedFiles.read(
              markFile,
              MAX_MARK_BYTES,
              size ->
                  new ClockRefusedException(
                      "the high-water mark file "
                          + markFile
                          + " is damaged: larger than the "
                          + MAX_MARK_BYTES
                          + " bytes a mark can take"));
      String s = new String(b, StandardCharsets.US_ASCII).trim();
      return Instant.parse(s);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new ClockRefusedException(
          "cannot read the high-water mark " + markFile + ": " + e.getMessage());
    } catch (DateTimeParseException e) {
      throw new ClockRefusedException("the high-water mark file " + markFile + " is damaged");
    }
  }

  /**
   * A mark file must be a regular file, and a symbolic link is none: one whose target is missing
   * read as "no mark yet" and the first mark written replaced the link with a file of its own, and
   * one to a file was read through but replaced the same way, leaving its target behind with the
   * old mark. Refused as a pipe or device there is, naming the link and its target.
   */
  private void refuseLink() throws ClockRefusedException {
    if (Files.isSymbolicLink(markFile)) {
      String target;
      try {
        target = Files.readSymbolicLink(markFile).toString();
      } catch (IOException e) {
        target = "?";
      }
      throw new ClockRefusedException(
          "cannot read the high-water mark "
              + markFile
              + ": not a regular file (a symbolic link to "
              + target
              + (Files.exists(markFile) ? "" : ", which does not exist")
              + "; the mark is written in place of the link, not into its target: give the"
              + " file itself)");
    }
  }

  private void writeMark(Instant t) throws ClockRefusedException {
    refuseLink();
    try {
      Path parent = markFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Path tmp = markFile.resolveSibling(markFile.getFileName() + ".tmp");
      // a new file, not whatever is there: a link planted as the .tmp would be written through
      Files.deleteIfExists(tmp);
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap((t + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      Files.move(
          tmp, markFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new ClockRefusedException(
          "cannot persist the clock's high-water mark " + markFile + ": " + e.getMessage());
    }
  }
}
