package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.evidencekit.hash.Digest;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.KeyIds;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * A signed statement of the log's size and root at a time: whoever holds it can demand an inclusion
 * proof for any entry and a consistency proof to any later checkpoint, so the log can only ever
 * grow. Signed like seals (Ed25519, ECDSA P-256, SM2) over the canonical JSON without the
 * signature. Format {@value #FORMAT}.
 */
public final class LogCheckpoint {
  public static final String FORMAT = "evidencekit.ledger-checkpoint/1";
  private static final StrictJson JSON = new StrictJson(LedgerException::new);

  private final long size;
  private final Digest root;
  private final Instant time;
  private final String suite;
  private final String keyId;
  private final byte[] publicKey;
  private final byte[] signature;

  private LogCheckpoint(
      long size,
      Digest root,
      Instant time,
      String suite,
      String keyId,
      byte[] publicKey,
      byte[] signature) {
    this.size = size;
    this.root = root;
    this.time = time;
    this.suite = suite;
    this.keyId = keyId;
    this.publicKey = publicKey;
    this.signature = signature;
  }

  static LogCheckpoint sign(long size, Digest root, Instant time, SigningKeyProvider key)
      throws IOException {
    byte[] payload = payload(size, root, time);
    return new LogCheckpoint(
        size, root, time, key.suite().name(), key.keyId(), key.publicKeyDer(), key.sign(payload));
  }

  private static byte[] payload(long size, Digest root, Instant time) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("size", size);
    m.put("root", root.hex());
    m.put("time", time.toString());
    return CanonicalJson.encode(m);
  }

  public long size() {
    return size;
  }

  public Digest root() {
    return root;
  }

  public Instant time() {
    return time;
  }

  public String keyId() {
    return keyId;
  }

  /** Whether the signature verifies and its key is trusted. */
  public boolean verify(TrustAnchors anchors) {
    requireNonNull(anchors, "anchors");
    SignatureSuite s = SignatureSuite.forName(suite).orElse(null);
    if (s == null || !KeyIds.of(publicKey).equals(keyId) || !anchors.trustsKey(publicKey)) {
      return false;
    }
    try {
      AsymmetricKeyParameter pub = Crypto.publicKey(publicKey);
      return Crypto.suiteOf(pub) == s
          && Crypto.verify(s, pub, payload(size, root, time), signature);
    } catch (KeyFormatException e) {
      return false;
    }
  }

  public byte[] toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("size", size);
    m.put("root", root.hex());
    m.put("time", time.toString());
    Map<String, Object> sig = new LinkedHashMap<>();
    sig.put("suite", suite);
    sig.put("keyId", keyId);
    sig.put("publicKey", Base64.getEncoder().encodeToString(publicKey));
    sig.put("value", Base64.getEncoder().encodeToString(signature));
    m.put("signature", sig);
    return CanonicalJson.encode(m);
  }

  public static LogCheckpoint parse(byte[] json) throws LedgerException {
    try {
      JsonNode n =
          JSON.requireObject(
              JSON.parse(json),
              "checkpoint",
              Set.of("format", "size", "root", "time", "signature"));
      if (!JSON.string(n, "format").equals(FORMAT)) {
        throw new LedgerException("not a ledger checkpoint");
      }
      JsonNode s = JSON.object(n, "signature", Set.of("suite", "keyId", "publicKey", "value"));
      return new LogCheckpoint(
          JSON.integer(n, "size", 0, CanonicalJson.MAX_SAFE_INTEGER),
          Digest.of(JSON.hex(n, "root", 32)),
          Instant.parse(JSON.string(n, "time")),
          JSON.string(s, "suite"),
          JSON.string(s, "keyId"),
          JSON.base64(s, "publicKey"),
          JSON.base64(s, "value"));
    } catch (LedgerException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new LedgerException("bad ledger checkpoint: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "checkpoint size " + size + " root " + root + " at " + time;
  }
}
