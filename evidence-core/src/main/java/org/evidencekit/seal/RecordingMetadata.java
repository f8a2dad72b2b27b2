package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Facts about a recording bound into its seal, so that the signature covers them: device, officer,
 * cases, recording start and end, the device clock offset measured at docking, GPS positions
 * media type, original file name, ingest time and the digest of the previous seal of
 * the same device, which chains a device's recordings. Every field is optional; absent
 * fields are absent from the JSON.
 */
public final class RecordingMetadata {
  private final String deviceId;
  private final String officerId;
  private final List<String> caseIds;
  private final Instant recordingStart;
  private final Instant recordingEnd;
  private final Long clockOffsetMillis;
  private final List<GeoPosition> positions;
  private final String mediaType;
  private final String originalFileName;
  private final Instant ingestTime;
  private final String previousSealDigest;

  private RecordingMetadata(Builder b) {
    this.deviceId = b.deviceId;
    this.officerId = b.officerId;
    this.caseIds = List.copyOf(b.caseIds);
    this.recordingStart = b.recordingStart;
    this.recordingEnd = b.recordingEnd;
    this.clockOffsetMillis = b.clockOffsetMillis;
    this.positions = List.copyOf(b.positions);
    this.mediaType = b.mediaType;
    this.originalFileName = b.originalFileName;
    this.ingestTime = b.ingestTime;
    this.previousSealDigest = b.previousSealDigest;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<String> deviceId() {
    return Optional.ofNullable(deviceId);
  }

  public Optional<String> officerId() {
    return Optional.ofNullable(officerId);
  }

  public List<String> caseIds() {
    return caseIds;
  }

  public Optional<Instant> recordingStart() {
    return Optional.ofNullable(recordingStart);
  }

  public Optional<Instant> recordingEnd() {
    return Optional.ofNullable(recordingEnd);
  }

  /** Device clock minus trusted clock at docking, in milliseconds (positive: device ahead). */
  public Optional<Long> clockOffsetMillis() {
    return Optional.ofNullable(clockOffsetMillis);
  }

  public List<GeoPosition> positions() {
    return positions;
  }

  public Optional<String> mediaType() {
    return Optional.ofNullable(mediaType);
  }

  public Optional<String> originalFileName() {
    return Optional.ofNullable(originalFileName);
  }

  public Optional<Instant> ingestTime() {
    return Optional.ofNullable(ingestTime);
  }

  /** Lowercase hex SHA-256 of the previous seal of the same device, if any. */
  public Optional<String> previousSealDigest() {
    return Optional.ofNullable(previousSealDigest);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RecordingMetadata)) {
      return false;
    }
    RecordingMetadata m = (RecordingMetadata) o;
    return Objects.equals(deviceId, m.deviceId)
        && Objects.equals(officerId, m.officerId)
        && caseIds.equals(m.caseIds)
        && Objects.equals(recordingStart, m.recordingStart)
        && Objects.equals(recordingEnd, m.recordingEnd)
        && Objects.equals(clockOffsetMillis, m.clockOffsetMillis)
        && positions.equals(m.positions)
        && Objects.equals(mediaType, m.mediaType)
        && Objects.equals(originalFileName, m.originalFileName)
        && Objects.equals(ingestTime, m.ingestTime)
        && Objects.equals(previousSealDigest, m.previousSealDigest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceId, officerId, caseIds, recordingStart, ingestTime);
  }

  /** Builds metadata; strings must be non-blank and at most 1,000 characters. */
  public static final class Builder {
    private String deviceId;
    private String officerId;
    private final List<String> caseIds = new ArrayList<>();
    private Instant recordingStart;
    private Instant recordingEnd;
    private Long clockOffsetMillis;
    private final List<GeoPosition> positions = new ArrayList<>();
    private String mediaType;
    private String originalFileName;
    private Instant ingestTime;
    private String previousSealDigest;

    private final Set<String> set = new HashSet<>();

    private Builder() {}

    /** A setting made twice is a caller's mistake: the first value would be silently lost. */
    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    /**
     * A new case id: {@link #text} without a comma, the separator of the case ids a {@code sealed}
     * ledger entry logs. Seals made before the rule are read as signed ({@link #addStoredCaseId}).
     */
    static String caseId(String v, String what) {
      String id = text(v, what);
      int comma = id.indexOf(',');
      if (comma >= 0) {
        throw new IllegalArgumentException(
            what
                + " holds a comma at position "
                + comma
                + ": the ledger logs a recording's case ids joined by commas, so a case id may"
                + " not hold one");
      }
      return id;
    }

    private static String text(String v, String what) {
      requireNonNull(v, what);
      if (v.isBlank() || v.length() > 1000) {
        throw new IllegalArgumentException(what + " must be 1 to 1000 non-blank characters");
      }
      return v;
    }

    public Builder deviceId(String v) {
      once("deviceId");
      this.deviceId = text(v, "deviceId");
      return this;
    }

    public Builder officerId(String v) {
      once("officerId");
      this.officerId = text(v, "officerId");
      return this;
    }

    /**
     * A case the recording belongs to (repeatable, once per case): 1 to 1,000 characters, not
     * blank, no comma.
     *
     * @throws IllegalArgumentException if {@code v} holds a comma (the ledger logs a recording's
     *     case ids joined by commas, so {@code A,B} would read back as cases {@code A} and {@code
     *     B}), or was added already: a case named twice is most often another case mistyped, which
     *     would then not hold the recording for its period
     */
    public Builder addCaseId(String v) {
      String id = caseId(v, "caseId");
      if (caseIds.contains(id)) {
        throw new IllegalArgumentException(
            "case " + id + " is given twice; name each case the recording belongs to once");
      }
      caseIds.add(id);
      return this;
    }

    /**
     * A case id as a stored seal holds it: seals made before repeated ids were refused are read as
     * they were signed.
     */
    Builder addStoredCaseId(String v) {
      caseIds.add(text(v, "caseId"));
      return this;
    }

    public Builder recordingStart(Instant v) {
      once("recordingStart");
      this.recordingStart = requireNonNull(v, "recordingStart");
      return this;
    }

    public Builder recordingEnd(Instant v) {
      once("recordingEnd");
      this.recordingEnd = requireNonNull(v, "recordingEnd");
      return this;
    }

    public Builder clockOffsetMillis(long v) {
      once("clockOffsetMillis");
      this.clockOffsetMillis = v;
      return this;
    }

    public Builder addPosition(GeoPosition v) {
      positions.add(requireNonNull(v, "position"));
      return this;
    }

    public Builder mediaType(String v) {
      once("mediaType");
      this.mediaType = text(v, "mediaType");
      return this;
    }

    public Builder originalFileName(String v) {
      once("originalFileName");
      this.originalFileName = text(v, "originalFileName");
      return this;
    }

    public Builder ingestTime(Instant v) {
      once("ingestTime");
      this.ingestTime = requireNonNull(v, "ingestTime");
      return this;
    }

    public Builder previousSealDigest(String hex) {
      once("previousSealDigest");
      requireNonNull(hex, "previousSealDigest");
      if (!org.evidencekit.internal.json.StrictJson.isLowerHex(hex, 64)) {
        throw new IllegalArgumentException("previousSealDigest must be 64 lowercase hex digits");
      }
      this.previousSealDigest = hex;
      return this;
    }

    public RecordingMetadata build() {
      if (recordingStart != null && recordingEnd != null && recordingEnd.isBefore(recordingStart)) {
        throw new IllegalArgumentException("recording ends before it starts");
      }
      return new RecordingMetadata(this);
    }
  }
}
