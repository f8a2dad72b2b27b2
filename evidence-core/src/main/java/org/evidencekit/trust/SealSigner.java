package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.tsp.TimeStampToken;
import org.evidencekit.seal.RecordingMetadata;
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

  /**
   * Holds the time the token of a seal just signed states to the signer's own clock. A
   * station writes a seal's ingest time from its clock and has the seal timestamped as it signs it,
   * so its clock and its authority's must agree: when they do not (a station clock or a TSA set
   * wrong), every seal it makes is one a verifier does not believe ({@code TIMESTAMP_DELAYED}, or a
   * token before the ingest time), so it is refused before it is logged. The token is read, not
   * verified: whom to trust for time is the verifier's question.
   *
   * @param signed a seal {@link #sign} signed with a time-stamping authority
   * @param now the signer's clock, read after the token arrived
   * @param tolerance how far apart the token's time and {@code now} may be, how far the claimed
   *     ingest time may lead {@code now}, and how far the token may precede the claimed ingest time
   *     beyond that lead
   * @throws TimestampException if the seal has no token, the token cannot be read, or its time is
   *     more than {@code tolerance} from {@code now} or before the claimed ingest time by more than
   *     the tolerance and the claimed time's lead over {@code now} (itself at most the tolerance)
   */
  public static void checkTimestampTime(Seal signed, Instant now, Duration tolerance)
      throws TimestampException {
    requireNonNull(signed, "signed");
    requireNonNull(now, "now");
    requireNonNull(tolerance, "tolerance");
    if (tolerance.isNegative()) {
      throw new IllegalArgumentException("negative tolerance: " + tolerance);
    }
    byte[] der = signed.signature().flatMap(SealSignature::timestampToken).orElse(null);
    if (der == null) {
      throw new TimestampException("the seal has no timestamp token to check");
    }
    Instant token;
    try {
      token =
          new TimeStampToken(new CMSSignedData(der)).getTimeStampInfo().getGenTime().toInstant();
    } catch (Exception e) { // BouncyCastle fails with whatever the broken part gives
      throw new TimestampException(
          "the time-stamping authority's token cannot be read: " + e.getMessage(), e);
    }
    Duration apart = Duration.between(now, token);
    if (apart.abs().compareTo(tolerance) > 0) {
      throw new TimestampException(
          "the time-stamping authority's token says "
              + token
              + " but this clock reads "
              + now
              + ", "
              + apart.abs()
              + (apart.isNegative() ? " earlier" : " later")
              + " (tolerance "
              + tolerance
              + "): this clock or the authority's is wrong; a seal so dated would not be believed,"
              + " so it is not made");
    }
    Instant claimed = signed.metadata().flatMap(RecordingMetadata::ingestTime).orElse(null);
    // the claimed time may lead this clock by up to the tolerance (a station dates its seals at
    // the ledger's latest time, another station's clock slightly ahead, rather than go back in the
    // log): that lead is no fault of the token, which is held to this clock above
    Duration lead = claimed == null ? Duration.ZERO : Duration.between(now, claimed);
    lead = lead.isNegative() ? Duration.ZERO : lead.compareTo(tolerance) > 0 ? tolerance : lead;
    if (claimed != null && token.isBefore(claimed.minus(tolerance).minus(lead))) {
      throw new TimestampException(
          "the time-stamping authority's token says "
              + token
              + ", before the seal's ingest time "
              + claimed
              + " (tolerance "
              + tolerance
              + "): a clock is wrong; a seal so dated would not be believed, so it is not made");
    }
  }
}
