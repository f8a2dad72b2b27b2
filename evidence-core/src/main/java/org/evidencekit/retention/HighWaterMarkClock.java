package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * The default {@link TrustedClock}: the wall clock, checked against a persisted high-water mark
 * (the latest time it ever vouched for). It refuses when the wall clock is behind the mark (ran
 * backwards) or ahead of it by more than {@code maxJump} (wound forward, or the job did not run for
 * longer than expected: an operator confirms with {@link #acceptJump}). Each vouched time raises
 * the mark durably.
 */
public final class HighWaterMarkClock implements TrustedClock {
  private final Clock wall;
  private final Path markFile;
  private final Duration maxJump;

  public HighWaterMarkClock(Clock wall, Path markFile, Duration maxJump) {
    this.wall = requireNonNull(wall, "wall");
    this.markFile = requireNonNull(markFile, "markFile");
    this.maxJump = requireNonNull(maxJump, "maxJump");
    if (maxJump.isNegative() || maxJump.isZero()) {
      throw new IllegalArgumentException("maxJump must be positive");
    }
  }

  @Override
  public synchronized Instant now() throws ClockRefusedException {
    Instant t = wall.instant();
    Instant mark = readMark();
    if (mark != null) {
      if (t.isBefore(mark)) {
        throw new ClockRefusedException(
            "the clock reads "
                + t
                + ", before the last trusted time "
                + mark
                + ": it ran backwards");
      }
      if (t.isAfter(mark.plus(maxJump))) {
        throw new ClockRefusedException(
            "the clock reads "
                + t
                + ", "
                + Duration.between(mark, t).toDays()
                + " days after the last trusted time "
                + mark
                + " (bound "
                + maxJump
                + "); confirm the time with acceptJump before disposing of anything");
      }
    }
    writeMark(t);
    return t;
  }

  /** An operator confirms that the wall clock's current reading is right. */
  public synchronized void acceptJump(String by) throws ClockRefusedException {
    requireNonNull(by, "by");
    Instant t = wall.instant();
    Instant mark = readMark();
    if (mark != null && t.isBefore(mark)) {
      throw new ClockRefusedException("a clock behind its high-water mark cannot be accepted");
    }
    writeMark(t);
  }

  private Instant readMark() throws ClockRefusedException {
    try {
      String s = new String(Files.readAllBytes(markFile), StandardCharsets.US_ASCII).trim();
      return Instant.parse(s);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (DateTimeParseException e) {
      throw new ClockRefusedException("the high-water mark file " + markFile + " is damaged");
    }
  }

  private void writeMark(Instant t) {
    try {
      Path tmp = markFile.resolveSibling(markFile.getFileName() + ".tmp");
      try (FileChannel ch =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap((t + "\n").getBytes(StandardCharsets.US_ASCII)));
        ch.force(true);
      }
      Files.move(
          tmp, markFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot persist the clock's high-water mark", e);
    }
  }
}
