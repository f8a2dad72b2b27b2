package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.function.Predicate;
import org.evidencekit.seal.DeviceIds;
import org.evidencekit.seal.Seal;
import org.jspecify.annotations.Nullable;

/**
 * Which recordings a spot check draws from (R-17, Art. 20): a device, an officer, a period of
 * recording starts, or all. One value gives both the filter and the text the check is seeded with
 * and logs ({@link #text()}), so the two cannot say different things: {@code evidence spot-check}
 * builds it from its options, and an application embedding the archive builds the same one.
 *
 * <pre>{@code
 * SpotCheckCriteria c = SpotCheckCriteria.builder()
 *     .device("CAM-7")
 *     .startedFrom(Instant.parse("2026-03-01T00:00:00Z"))
 *     .startedBefore(Instant.parse("2026-04-01T00:00:00Z"))
 *     .build();
 * SpotCheckResult r = archive.spotCheck(cosigned, witnesses, 5, c, "audit-1");
 * }</pre>
 */
public final class SpotCheckCriteria implements Predicate<Seal> {
  private static final SpotCheckCriteria ALL = new SpotCheckCriteria(new Builder());

  private final @Nullable String device;
  private final @Nullable String officer;
  private final @Nullable Instant from;
  private final @Nullable Instant before;

  private SpotCheckCriteria(Builder b) {
    this.device = b.device;
    this.officer = b.officer;
    this.from = b.from;
    this.before = b.before;
  }

  /** Every recording sealed before the checkpoint. */
  public static SpotCheckCriteria all() {
    return ALL;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether {@code seal}'s recording is one to draw from: its device and officer as its metadata
   * names them, its recording start within the period. A seal without a start is outside any period
   * (it cannot be placed in one) and inside when none is given.
   */
  @Override
  public boolean test(Seal seal) {
    requireNonNull(seal, "seal");
    if (device != null && !device.equals(EvidenceArchive.device(seal).orElse(null))) {
      return false;
    }
    if (officer != null && !officer.equals(EvidenceArchive.officer(seal).orElse(null))) {
      return false;
    }
    if (from == null && before == null) {
      return true;
    }
    Instant start = EvidenceArchive.recordingStart(seal).orElse(null);
    return start != null
        && (from == null || !start.isBefore(from))
        && (before == null || start.isBefore(before));
  }

  /**
   * The criteria as the check's seed and its {@code spot-checked} entries carry them: {@code all},
   * or {@code device=D;officer=O;from=T;to=T;} with the parts given, in that order (instants in
   * ISO-8601 UTC). In a device or officer id, {@code %}, {@code ;} and {@code =} are written {@code
   * %25}, {@code %3B} and {@code %3D}, so no two criteria give the same text.
   */
  public String text() {
    StringBuilder b = new StringBuilder();
    if (device != null) {
      b.append("device=").append(escape(device)).append(';');
    }
    if (officer != null) {
      b.append("officer=").append(escape(officer)).append(';');
    }
    if (from != null) {
      b.append("from=").append(from).append(';');
    }
    if (before != null) {
      b.append("to=").append(before).append(';');
    }
    return b.length() == 0 ? "all" : b.toString();
  }

  private static String escape(String id) {
    return id.replace("%", "%25").replace(";", "%3B").replace("=", "%3D");
  }

  @Override
  public String toString() {
    return text();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpotCheckCriteria && ((SpotCheckCriteria) o).text().equals(text());
  }

  @Override
  public int hashCode() {
    return text().hashCode();
  }

  /** Builds criteria; each part may be given once, none means all. */
  public static final class Builder {
    private @Nullable String device;
    private @Nullable String officer;
    private @Nullable Instant from;
    private @Nullable Instant before;

    private Builder() {}

    /** Only recordings of this device (as their seals name it). */
    public Builder device(String deviceId) {
      // the rule ingest keys by: an id no ingest could take selects nothing, so it is refused
      this.device = DeviceIds.check(id(deviceId, "deviceId", device));
      return this;
    }

    /** Only recordings of this officer (as their seals name them). */
    public Builder officer(String officerId) {
      this.officer = id(officerId, "officerId", officer);
      return this;
    }

    /** Only recordings that started at or after {@code t}. */
    public Builder startedFrom(Instant t) {
      requireNonNull(t, "from");
      once(from, "from");
      this.from = t;
      return this;
    }

    /** Only recordings that started before {@code t}. */
    public Builder startedBefore(Instant t) {
      requireNonNull(t, "before");
      once(before, "before");
      this.before = t;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the period is empty ({@code from} not before {@code
     *     before})
     */
    public SpotCheckCriteria build() {
      if (from != null && before != null && !from.isBefore(before)) {
        throw new IllegalArgumentException(
            "the period is empty: " + from + " is not before " + before);
      }
      return device == null && officer == null && from == null && before == null
          ? ALL
          : new SpotCheckCriteria(this);
    }

    private static String id(String v, String what, @Nullable String current) {
      requireNonNull(v, what);
      once(current, what);
      if (v.isBlank()) {
        throw new IllegalArgumentException(what + " is blank");
      }
      return v;
    }

    private static void once(@Nullable Object current, String what) {
      if (current != null) {
        throw new IllegalStateException(what + " is given already");
      }
    }
  }
}
