package org.evidencekit.retention;

import java.time.Instant;

/**
 * The time disposition trusts. A clock wound forward would make evidence disposable early, so a
 * trusted clock refuses to answer when it cannot vouch for the time.
 */
public interface TrustedClock {
  /**
   * The current instant.
   *
   * @throws ClockRefusedException if the time cannot be trusted now
   */
  Instant now() throws ClockRefusedException;

  /**
   * The time as this clock reads it, vouching for nothing and recording nothing: for refusing
   * early. A term already past by this reading (an approval's expiry) is refused before any time is
   * vouched for; a refusal on a reading nobody vouched for can only keep evidence longer, never
   * dispose of it early, so it is never used to allow anything. The default is {@link #now()}, for
   * clocks whose reading records nothing.
   *
   * @throws ClockRefusedException if the clock cannot be read at all
   */
  default Instant reading() throws ClockRefusedException {
    return now();
  }
}
