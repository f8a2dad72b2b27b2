package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * One approver's signed approval of a stored disposition plan: who, when, until when it may be
 * executed, which of the plan's recordings are excluded and why, and a signature with the
 * approver's key over all of it, the plan's digest included. Execution needs two of them from two
 * different people with two different keys, neither of them the planner (four eyes). Stored as
 * {@code disposition/approvals/<plan digest>/<approver>.json}, format {@value #FORMAT}.
 */
public final class DispositionApproval {
  public static final String FORMAT = "evidencekit.disposition-approval/1";
  private static final StrictJson JSON = new StrictJson(RetentionFormatException::new);
  private static final Set<String> FIELDS =
      Set.of(
          "format", "planDigest", "approver", "approvedAt", "expiresAt", "exclusions", "signature");

  private final String planDigest;
  private final String approver;
  private final Instant approvedAt;
  private final Instant expiresAt;
  private final Map<String, String> exclusions;
  private final Signatures.Signature signature;

  private DispositionApproval(
      String planDigest,
      String approver,
      Instant approvedAt,
      Instant expiresAt,
      Map<String, String> exclusions,
      Signatures.Signature signature) {
    this.planDigest = planDigest;
    this.approver = approver;
    this.approvedAt = approvedAt;
    this.expiresAt = expiresAt;
    this.exclusions = Collections.unmodifiableMap(new TreeMap<>(exclusions));
    this.signature = signature;
  }

  /** The approval terms an approver signs; see {@link Disposition#approve}. */
  public static Builder builder() {
    return new Builder();
  }

  public String planDigest() {
    return planDigest;
  }

  public String approver() {
    return approver;
  }

  public Instant approvedAt() {
    return approvedAt;
  }

  /** After this instant the approval no longer allows anything. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Recordings of the plan the approver excluded from disposal, with the reason. */
  public Map<String, String> exclusions() {
    return exclusions;
  }

  /** {@code sha256:} and the hex SHA-256 of the approver's public key. */
  public String keyId() {
    return signature.keyId;
  }

  /** Whether the signature verifies over these terms and the approver's key is trusted. */
  public boolean verify(TrustAnchors approverKeys) {
    requireNonNull(approverKeys, "approverKeys");
    return signature.verify(payload(), approverKeys);
  }

  /** SHA-256 of {@link #toJson()}. */
  public String digest() {
    return HashAlgorithm.SHA256.hash(toJson()).hex();
  }

  private Map<String, Object> terms() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("planDigest", planDigest);
    m.put("approver", approver);
    m.put("approvedAt", approvedAt.toString());
    m.put("expiresAt", expiresAt.toString());
    m.put("exclusions", new LinkedHashMap<String, Object>(exclusions));
    return m;
  }

  private byte[] payload() {
    return CanonicalJson.encode(terms());
  }

  public byte[] toJson() {
    Map<String, Object> m = terms();
    m.put("signature", signature.toMap());
    return CanonicalJson.encode(m);
  }

  public static DispositionApproval parse(byte[] json) throws RetentionFormatException {
    requireNonNull(json, "json");
    try {
      JsonNode n = JSON.requireObject(JSON.parse(json), "approval", FIELDS);
      if (!JSON.string(n, "format").equals(FORMAT)) {
        throw new RetentionFormatException("format must be " + FORMAT);
      }
      Map<String, String> ex = new LinkedHashMap<>();
      JsonNode e = JSON.required(n, "exclusions");
      if (!e.isObject()) {
        throw new RetentionFormatException("'exclusions' must map recordings to reasons");
      }
      for (var x : e.properties()) {
        if (!x.getValue().isTextual()) {
          throw new RetentionFormatException("exclusion reasons must be strings");
        }
        ex.put(x.getKey(), x.getValue().textValue());
      }
      return new DispositionApproval(
          JSON.string(n, "planDigest"),
          JSON.string(n, "approver"),
          RetentionFacts.instant(n, "approvedAt"),
          RetentionFacts.instant(n, "expiresAt"),
          ex,
          Signatures.parse(JSON, n));
    } catch (RetentionFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new RetentionFormatException("bad disposition approval: " + e.getMessage());
    }
  }

  static DispositionApproval sign(Builder b, Instant approvedAt) throws IOException {
    Instant expiresAt = b.lapseFor(approvedAt);
    DispositionApproval unsigned =
        new DispositionApproval(
            b.planDigest,
            b.approver,
            approvedAt,
            expiresAt,
            b.exclusions,
            new Signatures.Signature("", "", new byte[0], new byte[0]));
    Map<String, Object> sig = Signatures.sign(b.key, unsigned.payload());
    return new DispositionApproval(
        b.planDigest,
        b.approver,
        approvedAt,
        expiresAt,
        b.exclusions,
        new Signatures.Signature(
            (String) sig.get("suite"),
            (String) sig.get("keyId"),
            b.key.publicKeyDer(),
            Base64.getDecoder().decode((String) sig.get("value"))));
  }

  @Override
  public String toString() {
    return "approval of plan "
        + planDigest
        + " by "
        + approver
        + " ("
        + keyId()
        + ") at "
        + approvedAt
        + ", expires "
        + expiresAt
        + (exclusions.isEmpty() ? "" : ", excluding " + exclusions.keySet());
  }

  /** What an approver signs. Each setting once; {@code exclude} once per recording. */
  public static final class Builder {
    private String planDigest;
    private String approver;
    private Instant expiresAt;
    private Duration validFor;
    private SigningKeyProvider key;
    private final Map<String, String> exclusions = new TreeMap<>();

    private Builder() {}

    private static <T> T once(T current, T value, String name) {
      requireNonNull(value, name);
      if (current != null) {
        throw new IllegalStateException(name + " is already set");
      }
      return value;
    }

    /** The plan's digest (64 lowercase hex digits), as {@link Disposition#record} returned it. */
    public Builder planDigest(String v) {
      planDigest = once(planDigest, v, "planDigest");
      if (!v.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("a plan digest is 64 lowercase hex digits");
      }
      return this;
    }

    /** Who approves; must not be the planner nor blank. */
    public Builder approver(String v) {
      approver = once(approver, v, "approver");
      if (v.isBlank()) {
        throw new IllegalArgumentException("an approval names who approves");
      }
      return this;
    }

    /**
     * When the approval lapses: no later than the year 9999, the last one a stored approval is read
     * with (as registers, tombstones and the facts' instants are).
     *
     * @throws IllegalArgumentException past the year 9999
     */
    public Builder expiresAt(Instant v) {
      requireNonNull(v, "expiresAt");
      withinCalendar(v);
      if (validFor != null) {
        throw new IllegalStateException("give expiresAt or validFor, not both");
      }
      expiresAt = once(expiresAt, v, "expiresAt");
      return this;
    }

    /**
     * Or: the approval lapses this long after it is made, at the trusted clock's time that {@link
     * Disposition#approve} reads once it has checked everything that does not need the time (so a
     * refused approval reads no time, and a clock vouched for on its behalf records nothing). A
     * lapse past the year 9999 is refused: at once when {@code v} is longer than the calendar's
     * whole span, else when the time is read.
     *
     * @throws IllegalArgumentException if {@code v} is not positive, or longer than the calendar
     */
    public Builder validFor(Duration v) {
      requireNonNull(v, "validFor");
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("an approval must be valid for a positive time");
      }
      if (v.compareTo(Duration.between(Instant.EPOCH, LAST_INSTANT)) > 0) {
        throw new IllegalArgumentException(
            "an approval valid for "
                + v.toDays()
                + " days would lapse past the year "
                + RetentionFacts.MAX_YEAR
                + ": give a lapse within the calendar its readers accept");
      }
      if (expiresAt != null) {
        throw new IllegalStateException("give expiresAt or validFor, not both");
      }
      validFor = once(validFor, v, "validFor");
      return this;
    }

    /** The last instant of the year 9999, the last one a stored approval is read with. */
    private static final Instant LAST_INSTANT =
        java.time.LocalDate.of(RetentionFacts.MAX_YEAR + 1, 1, 1)
            .atStartOfDay(java.time.ZoneOffset.UTC)
            .toInstant()
            .minusNanos(1);

    private static void withinCalendar(Instant v) {
      if (v.isAfter(LAST_INSTANT)) {
        // stored, it could never be read back: the plan's execution would refuse every approval
        throw new IllegalArgumentException(
            "the approval would lapse at "
                + v
                + ", past the year "
                + RetentionFacts.MAX_YEAR
                + ": give a lapse within the calendar its readers accept");
      }
    }

    /** The approver's signing key. */
    public Builder key(SigningKeyProvider v) {
      key = once(key, v, "key");
      return this;
    }

    /** Keeps one of the plan's recordings out of this disposal, for a stated reason. */
    public Builder exclude(String recordingId, String reason) {
      requireNonNull(recordingId, "recordingId");
      requireNonNull(reason, "reason");
      if (reason.isBlank()) {
        throw new IllegalArgumentException("excluding " + recordingId + " needs a reason");
      }
      if (exclusions.putIfAbsent(recordingId, reason) != null) {
        throw new IllegalStateException(recordingId + " is already excluded");
      }
      return this;
    }

    void check() {
      for (String[] f :
          new String[][] {
            {"planDigest", planDigest},
            {"approver", approver},
            {"expiresAt or validFor", expiresAt == null && validFor == null ? null : "x"},
            {"key", key == null ? null : "x"}
          }) {
        if (f[1] == null) {
          throw new IllegalStateException("the approval needs " + f[0]);
        }
      }
    }

    String planDigest() {
      return planDigest;
    }

    String approver() {
      return approver;
    }

    /**
     * When an approval made at {@code approvedAt} lapses.
     *
     * @throws IllegalArgumentException past the year 9999
     */
    Instant lapseFor(Instant approvedAt) {
      if (expiresAt != null) {
        return expiresAt;
      }
      Instant v = approvedAt.plus(validFor);
      withinCalendar(v);
      return v;
    }

    Map<String, String> exclusions() {
      return exclusions;
    }

    SigningKeyProvider key() {
      return key;
    }
  }
}
