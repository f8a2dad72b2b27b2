package org.evidencekit.seal;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * A GPS fix bound into a seal (R-06). Latitude and longitude are decimal degrees kept as written
 * ({@code "39.904200"}), stored as strings so the canonical JSON never rounds them.
 */
public final class GeoPosition {
  private final String latitude;
  private final String longitude;
  private final Instant time;

  private GeoPosition(String latitude, String longitude, Instant time) {
    this.latitude = latitude;
    this.longitude = longitude;
    this.time = time;
  }

  /**
   * A position; {@code time} may be null.
   *
   * @throws IllegalArgumentException if the numbers are not decimal degrees in range
   */
  public static GeoPosition of(String latitude, String longitude, Instant time) {
    check(requireNonNull(latitude, "latitude"), 90, "latitude");
    check(requireNonNull(longitude, "longitude"), 180, "longitude");
    return new GeoPosition(latitude, longitude, time);
  }

  private static void check(String v, int limit, String what) {
    if (!v.matches("-?[0-9]{1,3}(\\.[0-9]{1,12})?")) {
      throw new IllegalArgumentException(what + " '" + v + "' is not decimal degrees");
    }
    if (new BigDecimal(v).abs().compareTo(BigDecimal.valueOf(limit)) > 0) {
      throw new IllegalArgumentException(what + " " + v + " is beyond +/-" + limit);
    }
  }

  public String latitude() {
    return latitude;
  }

  public String longitude() {
    return longitude;
  }

  public Optional<Instant> time() {
    return Optional.ofNullable(time);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof GeoPosition)) {
      return false;
    }
    GeoPosition g = (GeoPosition) o;
    return latitude.equals(g.latitude)
        && longitude.equals(g.longitude)
        && java.util.Objects.equals(time, g.time);
  }

  @Override
  public int hashCode() {
    return latitude.hashCode() * 31 + longitude.hashCode();
  }

  @Override
  public String toString() {
    return latitude + "," + longitude + (time == null ? "" : "@" + time);
  }
}
