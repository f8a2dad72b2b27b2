package org.evidencekit.retention;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.time.Period;

/**
 * Calendar arithmetic of retention periods, shared by the engine and the policy checks so that the
 * "only extends" check compares exactly what the engine computes.
 */
final class Periods {
  private Periods() {}

  /** Longest period a rule or case class may name; anything longer is meant as permanent. */
  static final int MAX_YEARS = 1000;

  /**
   * The Gregorian calendar repeats every 400 years (146,097 days, exactly 4,800 months), and period
   * arithmetic only looks at the calendar, so comparing two periods from every start date of one
   * cycle compares them from every start date there is.
   */
  private static final LocalDate CYCLE_START = LocalDate.of(2000, 1, 1);

  private static final int CYCLE_DAYS = 146_097;

  /**
   * The last local day a recording anchored on {@code start} is kept. A period ending on a 29
   * February that does not exist ends on 1 March (never a day less).
   */
  static LocalDate lastDay(LocalDate start, Period period) {
    LocalDate last = start.plus(period);
    if (start.getMonth() == Month.FEBRUARY
        && start.getDayOfMonth() == 29
        && last.getMonth() == Month.FEBRUARY
        && last.getDayOfMonth() == 28
        && period.getDays() == 0) {
      last = last.plusDays(1);
    }
    return last;
  }

  /**
   * Refuses a period that is not positive or is absurdly long.
   *
   * @param what names the rule or case class in the message
   */
  static Period checkSane(String what, Period period) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException(
          what + ": period " + period + " must be positive (no negative parts)");
    }
    long months = period.toTotalMonths();
    if (months > 12L * MAX_YEARS || period.getDays() > 366L * MAX_YEARS) {
      throw new IllegalArgumentException(
          what
              + ": period "
              + period
              + " is longer than "
              + MAX_YEARS
              + " years; say \"permanent\" for recordings kept forever");
    }
    return period;
  }

  /**
   * Whether {@code a} keeps at least as long as {@code b} from every start date: proven over a
   * whole 400-year cycle, not sampled.
   */
  static boolean atLeast(Period a, Period b) {
    return firstShorterStart(a, b) == null;
  }

  /** A start date from which {@code a} ends before {@code b}, or null when there is none. */
  static LocalDate firstShorterStart(Period a, Period b) {
    if (a.equals(b)) {
      return null;
    }
    try {
      LocalDate d = CYCLE_START;
      for (int i = 0; i < CYCLE_DAYS; i++, d = d.plusDays(1)) {
        if (lastDay(d, a).isBefore(lastDay(d, b))) {
          return d;
        }
      }
      return null;
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("period " + a + " or " + b + " is beyond the calendar");
    }
  }
}
