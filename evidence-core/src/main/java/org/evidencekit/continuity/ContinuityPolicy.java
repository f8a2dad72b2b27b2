package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Tolerances and rules of the analysis. Defaults: the Art. 13(1)-(4) mandatory types (Art. 13(5)
 * lets a bureau add its own: {@link #withMandatoryTypes}), files chain when the next starts within
 * 1.5 s of the previous end (a frame plus the 1-second resolution of creation times), device clocks
 * may be off by 30 s, documents may differ from recordings by 60 s, ingest within 24 h of the end
 * of the enforcement (Art. 17), a recording that starts within 2 h after an action's end on its
 * device, belongs to no action and continues no recorded session is suspected post-hoc.
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
    for (String t : mandatoryTypes) {
      if (t.isBlank()) {
        throw new IllegalArgumentException("a mandatory type must not be empty");
      }
    }
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
            EnforcementAction.REFUSAL_TO_PROVIDE_EVIDENCE,
            EnforcementAction.SERVICE_BY_LEAVING),
        Duration.ofMillis(1500),
        Duration.ofSeconds(30),
        Duration.ofSeconds(60),
        Duration.ofHours(24),
        Duration.ofHours(2),
        Duration.ofMinutes(2));
  }

  /** This policy with {@code more} types mandatory as well (Art. 13(5): others as needed). */
  public ContinuityPolicy withMandatoryTypes(Collection<String> more) {
    requireNonNull(more, "more");
    Set<String> all = new LinkedHashSet<>(mandatoryTypes);
    all.addAll(more);
    return new ContinuityPolicy(
        all,
        chainTolerance,
        clockOffsetTolerance,
        documentTolerance,
        ingestDeadline,
        postHocWindow,
        partyInformedWithin);
  }

  /**
   * The Art. 13 clause that makes a type mandatory, e.g. {@code 13(1)}; {@code 13(5)} for a type
   * the bureau added; empty for a type that is not mandatory.
   */
  public Optional<String> clause(String type) {
    requireNonNull(type, "type");
    if (!mandatoryTypes.contains(type)) {
      return Optional.empty();
    }
    switch (type) {
      case EnforcementAction.ON_SITE_INSPECTION:
        return Optional.of("13(1)");
      case EnforcementAction.HEARING:
        return Optional.of("13(2)");
      case EnforcementAction.REFUSAL_TO_SIGN:
      case EnforcementAction.REFUSAL_TO_PROVIDE_EVIDENCE:
        return Optional.of("13(3)");
      case EnforcementAction.SERVICE_BY_LEAVING:
        return Optional.of("13(4)");
      default:
        return Optional.of("13(5)");
    }
  }
}
