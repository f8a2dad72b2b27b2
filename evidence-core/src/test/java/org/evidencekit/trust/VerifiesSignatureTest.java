package org.evidencekit.trust;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TrustAnchors#verifiesSignature}: a statement signed by a ledger's key (a catalog snapshot,
 * ) is believed only when a trusted key made that very signature over those very bytes,
 * in each suite.
 */
class VerifiesSignatureTest {
  private static final byte[] MESSAGE =
      "evidencekit-catalog 5 signature\n0123abcd".getBytes(StandardCharsets.UTF_8);

  @Test
  void onlyATrustedKeysSignatureOverTheSameBytesVerifies() throws Exception {
    for (SignatureSuite suite : SignatureSuite.all()) {
      SigningKeys.LocalSigningKey key = SigningKeys.generate(suite);
      SigningKeys.LocalSigningKey other = SigningKeys.generate(suite);
      TrustAnchors trusted = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
      byte[] sig = key.sign(MESSAGE);

      assertTrue(trusted.verifiesSignature(key.publicKeyDer(), MESSAGE, sig), suite.name());

      byte[] altered = MESSAGE.clone();
      altered[altered.length - 1] ^= 1;
      assertFalse(trusted.verifiesSignature(key.publicKeyDer(), altered, sig), suite.name());
      byte[] flipped = sig.clone();
      flipped[flipped.length / 2] ^= 1;
      assertFalse(trusted.verifiesSignature(key.publicKeyDer(), MESSAGE, flipped), suite.name());
      assertFalse(
          trusted.verifiesSignature(key.publicKeyDer(), MESSAGE, new byte[0]), suite.name());
      // another key's own signature, named as its own: that key is not trusted
      assertFalse(
          trusted.verifiesSignature(other.publicKeyDer(), MESSAGE, other.sign(MESSAGE)),
          suite.name());
      // another key's signature presented under the trusted key
      assertFalse(
          trusted.verifiesSignature(key.publicKeyDer(), MESSAGE, other.sign(MESSAGE)),
          suite.name());
      assertFalse(
          TrustAnchors.none().verifiesSignature(key.publicKeyDer(), MESSAGE, sig), suite.name());
    }
  }
}
