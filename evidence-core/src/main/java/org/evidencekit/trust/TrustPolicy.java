package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a verifier requires of a seal's signature and timestamp, and whom it trusts for each.
 * Anchors are given explicitly, never taken from the seal.
 *
 * <pre>{@code
 * TrustPolicy policy = TrustPolicy.builder()
 *     .signers(TrustAnchors.fromPem(List.of(Path.of("bureau-ca.pem"))))
 *     .timestampAuthorities(TrustAnchors.fromPem(List.of(Path.of("tsa.pem"))))
 *     .build();
 * }</pre>
 */
public final class TrustPolicy {
  private final TrustAnchors signers;
  private final TrustAnchors timestampAuthorities;
  private final boolean requireTimestamp;
  private final Clock clock;
  private final Duration clockSkew;
  private final Duration maxTimestampDelay;
  private final @Nullable StationRegister stationRegister;

  private TrustPolicy(Builder b) {
    this.stationRegister = b.stationRegister;
    // a revoked key is withdrawn in both roles, whichever anchors named it
    this.signers = b.signers.withRevokedKeysOf(b.timestampAuthorities);
    this.timestampAuthorities = b.timestampAuthorities.withRevokedKeysOf(b.signers);
    this.requireTimestamp =
        b.requireTimestamp == null ? !b.timestampAuthorities.isEmpty() : b.requireTimestamp;
    this.clock = b.clock;
    this.clockSkew = b.clockSkew;
    this.maxTimestampDelay = b.maxTimestampDelay;
  }

  public static Builder builder() {
    return new Builder();
  }

  public TrustAnchors signers() {
    return signers;
  }

  public TrustAnchors timestampAuthorities() {
    return timestampAuthorities;
  }

  /** Whether a seal without a timestamp fails (default: when TSA anchors are given). */
  public boolean requireTimestamp() {
    return requireTimestamp;
  }

  public Clock clock() {
    return clock;
  }

  /** How far a token's time may lie in the verifier's future, or before the ingest time. */
  public Duration clockSkew() {
    return clockSkew;
  }

  /**
   * How much later than a seal's claimed ingest time its verified token may be (default six hours).
   * A token attests only that the seal was signed no later than its time; the claimed ingest time
   * is whatever the signer wrote, so a seal timestamped later than this after it is not believed
   * ({@code TIMESTAMP_DELAYED}).
   */
  public Duration maxTimestampDelay() {
    return maxTimestampDelay;
  }

  /**
   * Which devices each station may seal for, if the bureau gave its register: without one, any
   * trusted signer may seal a recording claiming any device.
   */
  public Optional<StationRegister> stationRegister() {
    return Optional.ofNullable(stationRegister);
  }

  /**
   * The default bound. An ingest station stamps every seal of a run with the run's start and
   * timestamps each one as it logs it, once its content is durable, so an honest seal's token
   * follows its ingest time by up to the length of the run that read it: a full 256 GB card through
   * a USB 2 dock shared with other cameras (about 12 MB/s) takes six hours. A TSA that is down does
   * not stretch it: a seal that gets no token is not logged, and the re-run stamps its own time.
   * {@code evidence seal} stamps the time just before it asks the TSA. A back-dated seal can hide
   * up to this much of a late ingest (Art. 17): bureaus whose runs are short should set less.
   */
  private static final Duration DEFAULT_MAX_TIMESTAMP_DELAY = Duration.ofHours(6);

  /**
   * The largest clock skew: a day. It covers a verifier, station or TSA whose clock was set in the
   * wrong time zone (whole hours, within a day); clocks further apart are broken, and every check
   * the skew loosens (a token in the future, one before its ingest time, a seal claiming a time
   * before its certificate) would pass anything that far off. Bounded too so the verifier's
   * arithmetic on instants cannot overflow.
   */
  private static final Duration MAX_CLOCK_SKEW = Duration.ofDays(1);

  public static final class Builder {
    private TrustAnchors signers = TrustAnchors.none();
    private TrustAnchors timestampAuthorities = TrustAnchors.none();
    private Boolean requireTimestamp;
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = Duration.ofMinutes(5);
    private Duration maxTimestampDelay = DEFAULT_MAX_TIMESTAMP_DELAY;
    private @Nullable StationRegister stationRegister;

    private final Set<String> set = new HashSet<>();

    private Builder() {}

    /** A setting made twice is a caller's mistake: the first value would be silently lost. */
    private void once(String name) {
      if (!set.add(name)) {
        throw new IllegalStateException(name + " was already set");
      }
    }

    public Builder signers(TrustAnchors anchors) {
      requireNonNull(anchors, "anchors");
      once("signers");
      this.signers = anchors;
      return this;
    }

    public Builder timestampAuthorities(TrustAnchors anchors) {
      requireNonNull(anchors, "anchors");
      once("timestampAuthorities");
      this.timestampAuthorities = anchors;
      return this;
    }

    public Builder requireTimestamp(boolean require) {
      once("requireTimestamp");
      this.requireTimestamp = require;
      return this;
    }

    public Builder clock(Clock clock) {
      requireNonNull(clock, "clock");
      once("clock");
      this.clock = clock;
      return this;
    }

    /**
     * How far a token's time may lie in the verifier's future, or before the seal's ingest time, or
     * the claimed ingest time before the signer's certificate (default five minutes).
     *
     * @throws IllegalArgumentException if negative or more than a day: a verifier, station or TSA
     *     clock set in the wrong time zone is off by whole hours within a day; clocks further apart
     *     are broken, and every check the skew loosens would pass anything that far off
     */
    public Builder clockSkew(Duration skew) {
      requireNonNull(skew, "skew");
      if (skew.isNegative()) {
        throw new IllegalArgumentException("negative clock skew: " + skew);
      }
      if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
        throw new IllegalArgumentException(
            "a clock skew of "
                + skew
                + " is more than a day: clocks a day apart are broken, not skewed, and a larger"
                + " skew would let a token from the future or a seal back-dated before its"
                + " certificate pass");
      }
      once("clockSkew"); // a refused value is no setting: the corrected call is not a repeat
      this.clockSkew = skew;
      return this;
    }

    /**
     * How much later than a seal's claimed ingest time its verified token may be; see {@link
     * TrustPolicy#maxTimestampDelay()}. The bound is exact: it must cover the clocks' difference
     * between stations and the TSA too.
     */
    public Builder maxTimestampDelay(Duration delay) {
      requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("negative maximum timestamp delay: " + delay);
      }
      once("maxTimestampDelay");
      this.maxTimestampDelay = delay;
      return this;
    }

    /**
     * Binds each station to the devices it may seal for: a trusted seal naming a device its signer
     * is not bound to, or naming no device, is {@code DEVICE_NOT_BOUND}. See {@link
     * StationRegister}.
     */
    public Builder stationRegister(StationRegister register) {
      once("stationRegister");
      this.stationRegister = requireNonNull(register, "register");
      return this;
    }

    public TrustPolicy build() {
      if (signers.isEmpty()) {
        throw new IllegalStateException(
            "a trust policy needs signers: at least one trusted signer key or certificate");
      }
      return new TrustPolicy(this);
    }
  }
}
