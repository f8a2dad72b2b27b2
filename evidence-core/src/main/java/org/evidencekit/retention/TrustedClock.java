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
}
