package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.evidencekit.hash.Digest;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.json.CanonicalJson;

/**
 * One event in the ledger: what happened ({@link EntryType}), when, who did it, to what (recording
 * or object key), the digest of the payload it concerns (e.g. the seal), and details (e.g. "to":
 * "court", "reason": "appeal"). Its leaf in the log is the SHA-256 tree leaf hash of its RFC 8785
 * canonical JSON ({@link #canonical()}).
 */
public final class LedgerEntry {
  private final String type;
  private final Instant time;
  private final String actor;
  private final String subject;
  private final String payloadDigest;
  private final Map<String, String> details;

  private LedgerEntry(
      String type,
      Instant time,
      String actor,
      String subject,
      String payloadDigest,
      Map<String, String> details) {
    this.type = type;
    this.time = time;
    this.actor = actor;
    this.subject = subject;
    this.payloadDigest = payloadDigest;
    this.details = Collections.unmodifiableMap(new TreeMap<>(details));
  }

  /**
   * An entry.
   *
   * @param payloadDigest lowercase hex SHA-256 of what the event concerns, or null
   */
  public static LedgerEntry of(
      String type,
      Instant time,
      String actor,
      String subject,
      String payloadDigest,
      Map<String, String> details) {
    requireNonNull(type, "type");
    requireNonNull(time, "time");
    requireNonNull(actor, "actor");
    requireNonNull(subject, "subject");
    requireNonNull(details, "details");
    if (type.isBlank() || actor.isBlank() || subject.isBlank()) {
      throw new IllegalArgumentException("type, actor and subject must not be blank");
    }
    if (payloadDigest != null && !payloadDigest.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("payload digest must be 64 lowercase hex digits");
    }
    return new LedgerEntry(type, time, actor, subject, payloadDigest, details);
  }

  public String type() {
    return type;
  }

  public Instant time() {
    return time;
  }

  public String actor() {
    return actor;
  }

  public String subject() {
    return subject;
  }

  public java.util.Optional<String> payloadDigest() {
    return java.util.Optional.ofNullable(payloadDigest);
  }

  public Map<String, String> details() {
    return details;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    m.put("time", time.toString());
    m.put("actor", actor);
    m.put("subject", subject);
    if (payloadDigest != null) {
      m.put("payloadDigest", payloadDigest);
    }
    m.put("details", new LinkedHashMap<String, Object>(details));
    return m;
  }

  private static final org.evidencekit.internal.json.StrictJson JSON =
      new org.evidencekit.internal.json.StrictJson(LedgerException::new);

  /**
   * Parses the canonical JSON of an entry. Bytes that are valid JSON but not the canonical form of
   * what they say are refused: the log commits to the bytes, so two spellings of one entry must not
   * exist.
   */
  public static LedgerEntry parse(byte[] json) throws LedgerException {
    requireNonNull(json, "json");
    LedgerEntry e;
    try {
      com.fasterxml.jackson.databind.JsonNode n =
          JSON.requireObject(
              JSON.parse(json),
              "ledger entry",
              java.util.Set.of("type", "time", "actor", "subject", "payloadDigest", "details"));
      com.fasterxml.jackson.databind.JsonNode d =
          JSON.requireObject(JSON.required(n, "details"), "details", detailNames(n));
      Map<String, String> details = new TreeMap<>();
      for (java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f :
          d.properties()) {
        if (!f.getValue().isTextual()) {
          throw new LedgerException("detail '" + f.getKey() + "' is not a string");
        }
        details.put(f.getKey(), f.getValue().asText());
      }
      e =
          of(
              JSON.string(n, "type"),
              Instant.parse(JSON.string(n, "time")),
              JSON.string(n, "actor"),
              JSON.string(n, "subject"),
              n.has("payloadDigest") ? JSON.string(n, "payloadDigest") : null,
              details);
    } catch (LedgerException ex) {
      throw ex;
    } catch (java.io.IOException | RuntimeException ex) {
      throw new LedgerException("bad ledger entry: " + ex.getMessage());
    }
    if (!java.util.Arrays.equals(e.canonical(), json)) {
      throw new LedgerException("ledger entry is not in canonical form");
    }
    return e;
  }

  private static java.util.Set<String> detailNames(com.fasterxml.jackson.databind.JsonNode n)
      throws LedgerException {
    com.fasterxml.jackson.databind.JsonNode d = n.get("details");
    if (d == null || !d.isObject()) {
      throw new LedgerException("details must be an object");
    }
    java.util.Set<String> names = new java.util.HashSet<>();
    for (java.util.Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f : d.properties()) {
      names.add(f.getKey());
    }
    return names;
  }

  /** RFC 8785 canonical JSON: the bytes the log commits to. */
  public byte[] canonical() {
    return CanonicalJson.encode(toMap());
  }

  /** The log's leaf hash of this entry: SHA-256(0x00 || canonical JSON). */
  public Digest leafHash() {
    return org.evidencekit.merkle.MerkleTree.leafHash(HashAlgorithm.SHA256, canonical());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LedgerEntry
        && java.util.Arrays.equals(canonical(), ((LedgerEntry) o).canonical());
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(canonical());
  }

  @Override
  public String toString() {
    return type + " " + subject + " by " + actor + " at " + time;
  }
}
