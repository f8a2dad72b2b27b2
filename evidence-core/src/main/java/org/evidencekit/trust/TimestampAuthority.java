package org.evidencekit.trust;

import java.io.IOException;
import org.evidencekit.hash.HashAlgorithm;

/**
 * An RFC 3161 time-stamping authority. EvidenceKit timestamps the seal's signature value, not just
 * the content, so a token proves when that signature existed and cannot be moved to another seal.
 */
public interface TimestampAuthority {
  /**
   * Obtains a time-stamp token for a message imprint.
   *
   * @param algorithm the hash that made {@code digest}
   * @return the token, a DER CMS {@code SignedData}
   * @throws TimestampException if the authority refuses or answers something invalid
   */
  byte[] timestamp(HashAlgorithm algorithm, byte[] digest) throws IOException;
}
