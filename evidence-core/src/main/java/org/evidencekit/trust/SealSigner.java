package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSignature;
import org.jspecify.annotations.Nullable;

/**
 * Signs seals: the signature covers the RFC 8785 canonical JSON of the seal without its
 * {@code signature} member ({@link Seal#signedPayload()}), so roots, every leaf, checkpoints and
 * the recording metadata are all signed. With a time-stamping authority the signature value is
 * timestamped (RFC 3161), which proves when the signed seal existed.
 *
 * <pre>{@code
 * Seal signed = SealSigner.sign(seal.withMetadata(metadata), key, tsa);
 * }</pre>
 */
public final class SealSigner {
  private SealSigner() {}

  /**
   * Signs {@code seal} (dropping any signature it has) with {@code key}, and timestamps the
   * signature with {@code tsa} when one is given.
   */
  public static Seal sign(Seal seal, SigningKeyProvider key, @Nullable TimestampAuthority tsa)
      throws IOException {
    requireNonNull(seal, "seal");
    requireNonNull(key, "key");
    byte[] value = key.sign(seal.signedPayload());
    SealSignature sig =
        SealSignature.of(
            key.suite().name(), key.keyId(), key.publicKeyDer(), key.certificateChainDer(), value);
    if (tsa != null) {
      var hash = key.suite().timestampHash();
      sig = sig.withTimestamp(tsa.timestamp(hash, hash.hash(value).toByteArray()), hash);
    }
    return seal.withSignature(sig);
  }
}
