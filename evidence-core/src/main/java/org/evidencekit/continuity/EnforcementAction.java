package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * An enforcement action that recordings should cover (Art. 13), in trusted time. With stages (Art.
 * 15: consecutive stages recorded continuously, the same stage at different places or times
 * intermittently), only the stages must be covered and the pauses between them are allowed.
 * Devices, officers and recording ids, when given, say which recordings belong to it.
 */
public final class EnforcementAction {
  /** Art. 13(1): on-site inspection, which must be recorded. */
  public static final String ON_SITE_INSPECTION = "on-site-inspection";

  /** Art. 13(2): a hearing. */
  public static final String HEARING = "hearing";

  /** Art. 13(3), first limb: a party refuses to sign or seal an enforcement document. */
  public static final String REFUSAL_TO_SIGN = "refusal-to-sign";

  /** Art. 13(3), second limb: a party refuses to provide evidence. */
  public static final String REFUSAL_TO_PROVIDE_EVIDENCE = "refusal-to-provide-evidence";

  /** Art. 13(4): service of documents by leaving them. */
  public static final String SERVICE_BY_LEAVING = "service-by-leaving";

  /** Art. 12: an inquiry, which needs the party told before recording. */
  public static final String INQUIRY = "inquiry";

  private final String id;
  private final String type;
  private final Interval span;
  private final String place;
  private final List<Stage> stages;
  private final List<String> deviceIds;
  private final List<String> officerIds;
  private final List<String> recordingIds;

  /** A stage of an action, e.g. "inspection of the premises". */
  public record Stage(String name, Interval span) {}

  public EnforcementAction(
      String id,
      String type,
      Interval span,
      String place,
      List<Stage> stages,
      List<String> deviceIds,
      List<String> officerIds,
      List<String> recordingIds) {
    this.id = requireNonNull(id, "id");
    this.type = requireNonNull(type, "type");
    if (id.isBlank()) {
      throw new IllegalArgumentException("an action id must not be empty");
    }
    if (type.isBlank()) {
      // an empty type would silently count as an optional custom type
      throw new IllegalArgumentException("action " + id + ": type must not be empty");
    }
    this.span = requireNonNull(span, "span");
    this.place = place;
    this.stages = List.copyOf(stages);
    this.deviceIds = List.copyOf(deviceIds);
    this.officerIds = List.copyOf(officerIds);
    this.recordingIds = List.copyOf(recordingIds);
    for (Stage s : stages) {
      if (s.span().start().isBefore(span.start()) || s.span().end().isAfter(span.end())) {
        throw new IllegalArgumentException("stage " + s.name() + " lies outside action " + id);
      }
    }
  }

  public String id() {
    return id;
  }

  public String type() {
    return type;
  }

  public Interval span() {
    return span;
  }

  public Optional<String> place() {
    return Optional.ofNullable(place);
  }

  public List<Stage> stages() {
    return stages;
  }

  public List<String> deviceIds() {
    return deviceIds;
  }

  public List<String> officerIds() {
    return officerIds;
  }

  public List<String> recordingIds() {
    return recordingIds;
  }

  /** What must be covered: the stages, or the whole action. */
  public List<Interval> required() {
    if (stages.isEmpty()) {
      return List.of(span);
    }
    return stages.stream().map(Stage::span).toList();
  }

  /** Whether the recording belongs to this action by id, device or officer (any, if none given). */
  boolean claims(RecordingSpan r) {
    if (!recordingIds.isEmpty()) {
      return recordingIds.contains(r.id());
    }
    if (deviceIds.isEmpty() && officerIds.isEmpty()) {
      return true;
    }
    return deviceIds.contains(r.deviceId())
        || r.officerId().map(officerIds::contains).orElse(false);
  }
}
