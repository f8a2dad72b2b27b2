package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.evidencekit.hash.Digest;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint carries no attested time, so a ledger key revoked in the trust file ({@code
 * revoked-key} line, {@link TrustAnchors#withRevokedKey}) signs no checkpoint any more, whatever it
 * claims: the thief could otherwise publish a shrunken or rewritten log under it.
 */
class RevokedLedgerKeyTest {
  @Test
  void aCheckpointSignedByARevokedKeyIsNotTrusted() throws IOException {
    for (SignatureSuite suite : SignatureSuite.all()) {
      SigningKeys.LocalSigningKey key = SigningKeys.generate(suite);
      LogCheckpoint cp =
          LogCheckpoint.sign("ledger.bureau-7.example/evidence", 12, Digest.of(new byte[32]), key);
      TrustAnchors trusted = TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
      assertTrue(cp.verify(trusted), suite::toString);
      TrustAnchors revoked =
          trusted.withRevokedKey(key.keyId(), Instant.parse("2099-01-01T00:00:00Z"));
      assertFalse(cp.verify(revoked), suite::toString);
      // as read back from its stored form
      assertFalse(LogCheckpoint.parse(cp.encoded()).verify(revoked), suite::toString);
    }
  }
}
