package org.evidencekit.report;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.continuity.EnforcementAction;
import org.evidencekit.seal.DeviceIds;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.verify.Verifier;
import org.jspecify.annotations.Nullable;

/**
 * Which recordings a document covers and how deeply they are checked: a case, a device, an officer,
 * a time window (all optional; none means every recording), the enforcement actions to check
 * coverage of, and whether to read each recording's container index, re-verify its content and
 * check its seal's signature.
 */
public final class CatalogQuery {
  private final @Nullable String caseId;
  private final @Nullable String device;
  private final @Nullable String officer;
  private final @Nullable Instant from;
  private final @Nullable Instant to;
  private final List<EnforcementAction> actions;
  private final boolean timelines;
  private final boolean reverify;
  private final @Nullable Verifier signatures;

  private CatalogQuery(Builder b) {
    this.caseId = b.caseId;
    this.device = b.device;
    this.officer = b.officer;
    this.from = b.from;
    this.to = b.to;
    this.actions = List.copyOf(b.actions);
    this.timelines = b.timelines;
    this.reverify = b.reverify;
    this.signatures = b.signatures;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every recording, nothing re-read. */
  public static CatalogQuery all() {
    return builder().build();
  }

  public Optional<String> caseId() {
    return Optional.ofNullable(caseId);
  }

  public Optional<String> device() {
    return Optional.ofNullable(device);
  }

  public Optional<String> officer() {
    return Optional.ofNullable(officer);
  }

  public Optional<Instant> from() {
    return Optional.ofNullable(from);
  }

  public Optional<Instant> to() {
    return Optional.ofNullable(to);
  }

  public List<EnforcementAction> actions() {
    return actions;
  }

  /** Whether each stored recording's container index is read (holes, cuts, splices). */
  public boolean readsTimelines() {
    return timelines;
  }

  /** Whether every recording is re-read and re-verified against its seal and the ledger. */
  public boolean reverifies() {
    return reverify;
  }

  /** The verifier whose trust policy each seal's signature is checked against, if any. */
  public Optional<Verifier> signatures() {
    return Optional.ofNullable(signatures);
  }

  /** Whether no case, device, officer or time window narrows the selection. */
  public boolean selectsEverything() {
    return caseId == null && device == null && officer == null && from == null && to == null;
  }

  /** Whether a recording with this metadata is selected. */
  public boolean matches(RecordingMetadata md) {
    requireNonNull(md, "md");
    if (caseId != null && !md.caseIds().contains(caseId)) {
      return false;
    }
    if (device != null && !md.deviceId().map(device::equals).orElse(false)) {
      return false;
    }
    if (officer != null && !md.officerId().map(officer::equals).orElse(false)) {
      return false;
    }
    Instant start = md.recordingStart().orElse(null);
    Instant end = md.recordingEnd().orElse(start);
    if (from != null && (end == null || end.isBefore(from))) {
      return false;
    }
    return to == null || (start != null && start.isBefore(to));
  }

  /** The selection in words, for a title ("case ZZ-1, device DEVCAM7"), in UTC. */
  public String describe() {
    return describe(Labels.of(java.util.Locale.ENGLISH));
  }

  /** The selection in the page's words (times still UTC: the page localizes them). */
  String describe(Labels l) {
    List<String> parts = new ArrayList<>();
    if (caseId != null) {
      parts.add(l.t("case") + " " + caseId);
    }
    if (device != null) {
      parts.add(l.t("device") + " " + device);
    }
    if (officer != null) {
      parts.add(l.t("officer") + " " + officer);
    }
    if (from != null) {
      parts.add(l.t("from") + " " + from);
    }
    if (to != null) {
      parts.add(l.t("to") + " " + to);
    }
    return parts.isEmpty() ? l.t("all recordings") : String.join(", ", parts);
  }

  /** Builds a query; every setting may be given once. */
  public static final class Builder {
    private final Set<String> given = new HashSet<>();
    private @Nullable String caseId;
    private @Nullable String device;
    private @Nullable String officer;
    private @Nullable Instant from;
    private @Nullable Instant to;
    private List<EnforcementAction> actions = List.of();
    private boolean timelines;
    private boolean reverify;
    private @Nullable Verifier signatures;

    private Builder() {}

    private void once(String setting) {
      if (!given.add(setting)) {
        throw new IllegalStateException(setting + " is already set");
      }
    }

    public Builder caseId(String caseId) {
      once("caseId");
      this.caseId = nonBlank(caseId, "caseId");
      return this;
    }

    public Builder device(String device) {
      once("device");
      // the rule ingest keys by: an id no ingest could take selects nothing, so it is refused
      this.device = DeviceIds.check(nonBlank(device, "device"));
      return this;
    }

    public Builder officer(String officer) {
      once("officer");
      this.officer = nonBlank(officer, "officer");
      return this;
    }

    /** Only recordings ending at or after {@code from}. */
    public Builder from(Instant from) {
      once("from");
      this.from = requireNonNull(from, "from");
      return this;
    }

    /** Only recordings starting before {@code to}. */
    public Builder to(Instant to) {
      once("to");
      this.to = requireNonNull(to, "to");
      return this;
    }

    /** Enforcement actions whose coverage is checked (Art. 13, R-19). */
    public Builder actions(List<EnforcementAction> actions) {
      once("actions");
      this.actions = List.copyOf(requireNonNull(actions, "actions"));
      return this;
    }

    /** Read each stored recording's container index. */
    public Builder readTimelines() {
      once("readTimelines");
      this.timelines = true;
      return this;
    }

    /** Re-read and re-verify every recording; reads all content. */
    public Builder reverify() {
      once("reverify");
      this.reverify = true;
      return this;
    }

    /** Check each seal's signature and trusted time against {@code verifier}'s trust policy. */
    public Builder signatures(Verifier verifier) {
      once("signatures");
      this.signatures = requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public CatalogQuery build() {
      if (from != null && to != null && !from.isBefore(to)) {
        throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
      }
      return new CatalogQuery(this);
    }

    private static String nonBlank(String v, String name) {
      requireNonNull(v, name);
      if (v.isBlank()) {
        throw new IllegalArgumentException(name + " is blank");
      }
      return v;
    }
  }
}
