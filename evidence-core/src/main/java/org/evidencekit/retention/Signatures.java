package org.evidencekit.retention;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.KeyIds;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * A signature over a record's canonical JSON without its {@code signature} member: suite, key id,
 * public key and value, as the ledger's checkpoints carry them.
 */
final class Signatures {
  private Signatures() {}

  static final Set<String> FIELDS = Set.of("suite", "keyId", "publicKey", "value");

  static Map<String, Object> sign(SigningKeyProvider key, byte[] payload) throws IOException {
    byte[] value = key.sign(payload);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("suite", key.suite().name());
    m.put("keyId", key.keyId());
    m.put("publicKey", Base64.getEncoder().encodeToString(key.publicKeyDer()));
    m.put("value", Base64.getEncoder().encodeToString(value));
    return m;
  }

  /** A parsed signature. */
  static final class Signature {
    final String suite;
    final String keyId;
    final byte[] publicKey;
    final byte[] value;

    Signature(String suite, String keyId, byte[] publicKey, byte[] value) {
      this.suite = suite;
      this.keyId = keyId;
      this.publicKey = publicKey.clone();
      this.value = value.clone();
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("suite", suite);
      m.put("keyId", keyId);
      m.put("publicKey", Base64.getEncoder().encodeToString(publicKey));
      m.put("value", Base64.getEncoder().encodeToString(value));
      return m;
    }

    /** Whether it verifies over {@code payload}, names its own key, and the key is trusted. */
    boolean verify(byte[] payload, TrustAnchors anchors) {
      SignatureSuite s = SignatureSuite.forName(suite).orElse(null);
      if (s == null || !KeyIds.of(publicKey).equals(keyId) || !anchors.trustsKey(publicKey)) {
        return false;
      }
      try {
        AsymmetricKeyParameter pub = Crypto.publicKey(publicKey);
        return Crypto.suiteOf(pub) == s && Crypto.verify(s, pub, payload, value);
      } catch (KeyFormatException e) {
        return false;
      }
    }
  }

  static Signature parse(StrictJson json, JsonNode parent) throws IOException {
    JsonNode s = json.object(parent, "signature", FIELDS);
    return new Signature(
        json.string(s, "suite"),
        json.string(s, "keyId"),
        canonicalBase64(json, s, "publicKey"),
        canonicalBase64(json, s, "value"));
  }

  /**
   * Base64 in its one canonical spelling: the unused bits of the last character must be zero, so a
   * stored record has exactly one byte form (a flipped padding bit would otherwise still verify).
   */
  private static byte[] canonicalBase64(StrictJson json, JsonNode n, String field)
      throws IOException {
    byte[] b = json.base64(n, field);
    if (!Base64.getEncoder().encodeToString(b).equals(json.string(n, field))) {
      throw new RetentionFormatException("'" + field + "' is not canonical base64");
    }
    return b;
  }
}
