package org.evidencekit.continuity;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

  private EnforcementAction(Builder b) {
    this.id = b.id;
    this.type = b.type;
    this.span = b.span;
    this.place = b.place;
    this.stages = b.stages;
    this.deviceIds = b.deviceIds;
    this.officerIds = b.officerIds;
    this.recordingIds = b.recordingIds;
  }

  /**
   * Starts an action. {@link Builder#id}, {@link Builder#type} and {@link Builder#span} are
   * required; the rest default to none.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Collects an action's settings. Each may be set once (a second call is refused, so that one
   * setting cannot silently replace another); {@link #build()} names a missing required one.
   */
  public static final class Builder {
    private final Set<String> set = new HashSet<>();
    private String id;
    private String type;
    private Interval span;
    private String place;
    private List<Stage> stages = List.of();
    private List<String> deviceIds = List.of();
    private List<String> officerIds = List.of();
    private List<String> recordingIds = List.of();

    private Builder() {}

    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    /** The action's id, e.g. {@code ZZ-2023-0042/inspection}; required, not blank. */
    public Builder id(String id) {
      once("id");
      requireNonNull(id, "id");
      if (id.isBlank()) {
        throw new IllegalArgumentException("an action id must not be empty");
      }
      this.id = id;
      return this;
    }

    /**
     * The action's type: one of the constants ({@link #ON_SITE_INSPECTION}, …) or a bureau's own;
     * required, not blank.
     */
    public Builder type(String type) {
      once("type");
      requireNonNull(type, "type");
      if (type.isBlank()) {
        // an empty type would silently count as an optional custom type
        throw new IllegalArgumentException(
            "action " + (id == null ? "" : id + ": ") + "type must not be empty");
      }
      this.type = type;
      return this;
    }

    /** When the action took place, in trusted time; required. */
    public Builder span(Interval span) {
      once("span");
      this.span = requireNonNull(span, "span");
      return this;
    }

    /** Where it took place; default none. */
    public Builder place(String place) {
      once("place");
      this.place = requireNonNull(place, "place");
      return this;
    }

    /** Its stages (Art. 15), each within the action's span; default none. */
    public Builder stages(List<Stage> stages) {
      once("stages");
      this.stages = List.copyOf(requireNonNull(stages, "stages"));
      return this;
    }

    /** The devices whose recordings belong to it; default none. */
    public Builder deviceIds(List<String> deviceIds) {
      once("deviceIds");
      this.deviceIds = List.copyOf(requireNonNull(deviceIds, "deviceIds"));
      return this;
    }

    /** The officers whose recordings belong to it; default none. */
    public Builder officerIds(List<String> officerIds) {
      once("officerIds");
      this.officerIds = List.copyOf(requireNonNull(officerIds, "officerIds"));
      return this;
    }

    /** The recordings that belong to it (these alone, when given); default none. */
    public Builder recordingIds(List<String> recordingIds) {
      once("recordingIds");
      this.recordingIds = List.copyOf(requireNonNull(recordingIds, "recordingIds"));
      return this;
    }

    /**
     * The action.
     *
     * @throws IllegalStateException naming a missing id, type or span
     * @throws IllegalArgumentException if a stage lies outside the action's span
     */
    public EnforcementAction build() {
      if (id == null) {
        throw new IllegalStateException("an action needs an id");
      }
      if (type == null) {
        throw new IllegalStateException("action " + id + " needs a type");
      }
      if (span == null) {
        throw new IllegalStateException("action " + id + " needs a span");
      }
      for (Stage s : stages) {
        if (s.span().start().isBefore(span.start()) || s.span().end().isAfter(span.end())) {
          throw new IllegalArgumentException("stage " + s.name() + " lies outside action " + id);
        }
      }
      return new EnforcementAction(this);
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
