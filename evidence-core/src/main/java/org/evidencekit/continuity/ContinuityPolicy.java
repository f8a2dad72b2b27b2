package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;

/**
 * Tolerances and rules of the analysis. Defaults: the Art. 13 mandatory types, files chain when the
 * next starts within 1.5 s of the previous end (a frame plus the 1-second resolution of creation
 * times), device clocks may be off by 30 s, documents may differ from recordings by 60 s, ingest
 * within 24 h (Art. 17), a recording that starts within 2 h after an action's end on its device is
 * suspected post-hoc.
 */
public record ContinuityPolicy(
    Set<String> mandatoryTypes,
    Duration chainTolerance,
    Duration clockOffsetTolerance,
    Duration documentTolerance,
    Duration ingestDeadline,
    Duration postHocWindow,
    Duration partyInformedWithin) {
  public ContinuityPolicy {
    mandatoryTypes = Set.copyOf(mandatoryTypes);
    requireNonNull(chainTolerance);
    requireNonNull(clockOffsetTolerance);
    requireNonNull(documentTolerance);
    requireNonNull(ingestDeadline);
    requireNonNull(postHocWindow);
    requireNonNull(partyInformedWithin);
  }

  public static ContinuityPolicy defaults() {
    return new ContinuityPolicy(
        Set.of(
            EnforcementAction.ON_SITE_INSPECTION,
            EnforcementAction.HEARING,
            EnforcementAction.REFUSAL_TO_SIGN,
            EnforcementAction.SERVICE_BY_LEAVING),
        Duration.ofMillis(1500),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofHours(24),
        Duration.ofHours(2),
        Duration.ofMinutes(2));
  }
}
