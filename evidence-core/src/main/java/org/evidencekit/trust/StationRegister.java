package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.evidencekit.internal.io.BoundedFiles;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.internal.seal.Identifiers;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.seal.DeviceIds;
import org.jspecify.annotations.Nullable;

/**
 * Which devices each ingest station may seal for: the bureau's register binding a station's signing
 * key (by key id, as seals carry it) or its certificate's subject to device ids or id prefixes,
 * each binding valid for a period. Given to a verifier beside the trust anchors ({@link
 * TrustPolicy.Builder#stationRegister}) and, like them, trusted as given, never taken from a seal.
 *
 * <p>Without a register any trusted station may seal a recording claiming any device, officer and
 * case: whoever holds one station's key can put a recording into another district's camera history.
 * With one, a seal whose device its signer is not bound to at the seal's trusted time is {@code
 * DEVICE_NOT_BOUND} (R-05, R-07, R-18), and so is a seal that names no device. A device id is
 * compared exactly as written (one holding an invisible character is not the id it looks like).
 *
 * <pre>{@code
 * {"format": "evidencekit.station-register/1",
 *  "stations": [
 *    {"name": "district-3/ingest-7", "keyId": "sha256:<64 hex>",
 *     "devices": ["DEVCAM7", "D3-*"],
 *     "from": "2026-01-01T00:00:00Z", "until": "2027-01-01T00:00:00Z"},
 *    {"name": "district-5/ingest-2", "subject": "CN=ingest-2,OU=District 5,O=Bureau 7",
 *     "devices": ["D5-*"]}]}
 * }</pre>
 *
 * A station is named by exactly one of {@code keyId} (its key, trusted bare or certified) or {@code
 * subject} (RFC 4514, compared as X.500 names are: the subject of the signer certificate whose
 * chain the verifier validated, so a renewed certificate with a new key keeps its binding).
 *
 * <p>A device entry is an exact id, or a prefix followed by one {@code *} ({@code *} alone: any
 * device); an entry no device id ({@link DeviceIds}) can match, such as {@code D/E}, is refused.
 * {@code from} and {@code until} are optional: the binding holds from {@code from} included to
 * {@code until} excluded. A key may have several entries (a camera moved from one station to
 * another gets an entry at each, with the dates of the move).
 */
public final class StationRegister {
  /** The format this reads. */
  public static final String FORMAT = "evidencekit.station-register/1";

  private static final StrictJson JSON = new StrictJson(KeyFormatException::new);
  private static final int MAX_FILE = 4 << 20;
  private static final int MAX_STATIONS = 100_000;
  private static final int MAX_DEVICES = 100_000;
  private static final Set<String> TOP = Set.of("format", "stations");
  private static final Set<String> STATION =
      Set.of("name", "keyId", "subject", "devices", "from", "until");

  /** One station's binding: {@code keyId} or {@code subject} names it, the other is null. */
  private record Binding(
      String name,
      @Nullable String keyId,
      @Nullable X500Name subject,
      List<String> devices,
      @Nullable Instant from,
      @Nullable Instant until) {
    boolean names(String signerKeyId, @Nullable X500Name signerSubject) {
      return keyId != null
          ? keyId.equals(signerKeyId)
          : signerSubject != null && signerSubject.equals(subject);
    }

    boolean covers(String deviceId) {
      for (String d : devices) {
        if (d.endsWith("*")
            ? deviceId.startsWith(d.substring(0, d.length() - 1))
            : deviceId.equals(d)) {
          return true;
        }
      }
      return false;
    }

    boolean validAt(Instant at) {
      return (from == null || !at.isBefore(from)) && (until == null || at.isBefore(until));
    }

    String describe() {
      return String.join(", ", devices)
          + (from == null ? "" : " from " + from)
          + (until == null ? "" : " until " + until);
    }
  }

  private final List<Binding> bindings;

  private StationRegister(List<Binding> bindings) {
    this.bindings = List.copyOf(bindings);
  }

  /** Reads a register file (JSON, at most 4 MiB). */
  public static StationRegister read(Path file) throws IOException {
    requireNonNull(file, "file");
    byte[] json =
        BoundedFiles.readRegularFile(
            file,
            MAX_FILE,
            size -> new KeyFormatException(file + " is larger than 4 MiB: not a station register"));
    try {
      return parse(json);
    } catch (KeyFormatException e) {
      throw new KeyFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a register.
   *
   * @throws KeyFormatException if it is not one: not JSON, another format, an unknown member, a
   *     malformed key id, device entry or time, a period that ends before it begins
   */
  public static StationRegister parse(byte[] json) throws KeyFormatException {
    requireNonNull(json, "json");
    try {
      JsonNode top = JSON.requireObject(JSON.parse(json), "station register", TOP);
      String format = JSON.string(top, "format");
      if (!format.equals(FORMAT)) {
        throw new KeyFormatException("format '" + format + "' is not " + FORMAT);
      }
      List<Binding> out = new ArrayList<>();
      List<JsonNode> stations = JSON.array(top, "stations", MAX_STATIONS);
      for (int i = 0; i < stations.size(); i++) {
        try {
          out.add(binding(stations.get(i)));
        } catch (KeyFormatException e) {
          throw new KeyFormatException("stations[" + i + "]: " + e.getMessage(), e);
        }
      }
      return new StationRegister(out);
    } catch (KeyFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new KeyFormatException(e.getMessage(), e);
    }
  }

  private static Binding binding(JsonNode n) throws IOException {
    JSON.requireObject(n, "station", STATION);
    String name = JSON.string(n, "name");
    if (name.isBlank()) {
      throw new KeyFormatException("'name' is empty");
    }
    if (n.has("keyId") == n.has("subject")) {
      throw new KeyFormatException("a station needs exactly one of 'keyId' and 'subject'");
    }
    String keyId = null;
    X500Name subject = null;
    if (n.has("keyId")) {
      keyId = JSON.string(n, "keyId");
      if (!keyId.startsWith("sha256:") || !StrictJson.isLowerHex(keyId.substring(7), 64)) {
        throw new KeyFormatException(
            "'keyId' '" + keyId + "' is not a key id (sha256: and 64 lowercase hex digits)");
      }
    } else {
      String given = JSON.string(n, "subject");
      try {
        subject = new X500Name(BCStyle.INSTANCE, given);
      } catch (RuntimeException e) {
        throw new KeyFormatException(
            "'subject' '" + given + "' is not an X.500 name such as CN=ingest-2,O=Bureau 7");
      }
      if (subject.getRDNs().length == 0) {
        throw new KeyFormatException("'subject' is empty");
      }
    }
    List<String> devices = new ArrayList<>();
    List<JsonNode> given = JSON.array(n, "devices", MAX_DEVICES);
    if (given.isEmpty()) {
      throw new KeyFormatException("'devices' is empty: a station bound to no device is left out");
    }
    for (JsonNode d : given) {
      if (!d.isTextual() || d.textValue().isEmpty()) {
        throw new KeyFormatException("'devices' holds an entry that is not a device id");
      }
      String s = d.textValue();
      int star = s.indexOf('*');
      if (star >= 0 && star != s.length() - 1) {
        throw new KeyFormatException(
            "device entry '" + s + "': '*' may only end it (a prefix), not stand inside it");
      }
      devices.add(deviceEntry(s));
    }
    Instant from = instant(n, "from");
    Instant until = instant(n, "until");
    if (from != null && until != null && !from.isBefore(until)) {
      throw new KeyFormatException("'until' " + until + " is not after 'from' " + from);
    }
    return new Binding(name, keyId, subject, devices, from, until);
  }

  private static @Nullable Instant instant(JsonNode n, String field) throws IOException {
    if (!n.has(field)) {
      return null;
    }
    String s = JSON.string(n, field);
    try {
      if (!s.endsWith("Z")) {
        throw new DateTimeParseException("not UTC", s, 0);
      }
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new KeyFormatException(
          "'" + field + "' '" + s + "' is not a UTC time such as 2026-03-01T08:00:00Z");
    }
  }

  /**
   * A device entry that some device id following {@link DeviceIds}'s rule matches: an exact id
   * follows it, a prefix starts one (itself, or with a character more: {@code ledger*} and {@code
   * .*} match ids, {@code D/*} none). An entry nothing matches binds the station to no device, a
   * typo the bureau would otherwise find only when every seal of that device is {@code
   * DEVICE_NOT_BOUND}.
   */
  private static String deviceEntry(String entry) throws KeyFormatException {
    if (entry.equals("*")) {
      return entry;
    }
    boolean prefix = entry.endsWith("*");
    String id = prefix ? entry.substring(0, entry.length() - 1) : entry;
    try {
      DeviceIds.check(id);
    } catch (IllegalArgumentException e) {
      boolean starts;
      try {
        DeviceIds.check(id + "0");
        starts = true;
      } catch (IllegalArgumentException longer) {
        starts = false;
      }
      if (!prefix || !starts) {
        throw new KeyFormatException(
            "device entry '"
                + Identifiers.printable(entry)
                + "' can match no device: "
                + e.getMessage());
      }
    }
    return entry;
  }

  /**
   * Why the station whose key is {@code signerKeyId} may not seal a recording of {@code deviceId}
   * at {@code at}; empty when a binding of the register allows it. {@code signerChainDer} is the
   * signer's certificate chain as the verifier validated it, leaf first (empty for a bare key): its
   * leaf's subject is what {@code subject} bindings name. The reason names the station and what it
   * is bound to.
   */
  public Optional<String> problem(
      String signerKeyId, List<byte[]> signerChainDer, String deviceId, Instant at) {
    requireNonNull(signerKeyId, "signerKeyId");
    requireNonNull(signerChainDer, "signerChainDer");
    requireNonNull(deviceId, "deviceId");
    requireNonNull(at, "at");
    X500Name signerSubject = null;
    if (!signerChainDer.isEmpty()) {
      try {
        signerSubject =
            X500Name.getInstance(
                BCStyle.INSTANCE, Crypto.certificate(signerChainDer.get(0)).getSubject());
      } catch (KeyFormatException | RuntimeException e) {
        signerSubject = null; // a leaf that cannot be read names no subject
      }
    }
    List<Binding> own = new ArrayList<>();
    for (Binding b : bindings) {
      if (b.names(signerKeyId, signerSubject)) {
        if (b.covers(deviceId) && b.validAt(at)) {
          return Optional.empty();
        }
        own.add(b);
      }
    }
    if (own.isEmpty()) {
      return Optional.of(
          "the signer "
              + signerKeyId
              + (signerSubject == null ? "" : " (" + signerSubject + ")")
              + " is not in the station register: it may seal for no device, and this seal names"
              + " device "
              + Identifiers.printable(deviceId));
    }
    List<String> bound = new ArrayList<>();
    own.forEach(b -> bound.add(b.describe()));
    return Optional.of(
        "the seal names device "
            + Identifiers.printable(deviceId)
            + ", but its signer, station "
            + own.get(0).name
            + " ("
            + signerKeyId
            + "), may seal only for "
            + String.join("; ", bound)
            + ": not for this device at "
            + at);
  }
}
