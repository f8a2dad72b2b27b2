package org.evidencekit.verify;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Selector;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.seal.Identifiers;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSignature;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.KeyIds;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.StationRegister;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.trust.TrustPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Checks a seal's signature and RFC 3161 token under a trust policy. Every requirement that fails
 * yields its own finding code; a missing required part is a failure, never a skip.
 *
 * <p>Order matters: the signature must verify over the seal as stored first; then the token, whose
 * verified time is the trusted time at which the signer's certificates must have been valid; only
 * without a verified token is the seal's own claimed ingest time used, and a finding says so. The
 * token attests only that the seal was signed by its time, so the claimed ingest time is believed
 * only within the policy's bound before it ({@code TIMESTAMP_DELAYED}).
 */
final class SealTrustCheck {
  private SealTrustCheck() {}

  /**
   * Whether the seal's signature verifies over the seal with the key it carries: empty when it
   * does, else the {@code SIGNATURE_INVALID} finding. Says nothing about who signed.
   */
  static Optional<Finding> integrity(Seal seal) {
    SealSignature sig = seal.signature().orElse(null);
    if (sig == null) {
      return Optional.empty();
    }
    SignatureSuite suite = SignatureSuite.forName(sig.suite()).orElse(null);
    if (suite == null) {
      return Optional.of(invalid("unknown signature suite '" + sig.suite() + "'"));
    }
    byte[] spki = sig.publicKeyDer();
    AsymmetricKeyParameter pub;
    try {
      pub = Crypto.publicKey(spki);
      if (Crypto.suiteOf(pub) != suite) {
        return Optional.of(invalid("the public key is not a " + suite + " key"));
      }
    } catch (KeyFormatException e) {
      return Optional.of(invalid("the public key is unreadable: " + e.getMessage()));
    }
    if (!KeyIds.of(spki).equals(sig.keyId())) {
      return Optional.of(
          invalid("the key id " + sig.keyId() + " is not the id of the key in the seal"));
    }
    List<byte[]> certs = sig.certificatesDer();
    if (!certs.isEmpty()) {
      try {
        byte[] leafKey =
            Crypto.certificate(certs.get(0)).getSubjectPublicKeyInfo().getEncoded("DER");
        if (!Arrays.equals(leafKey, spki)) {
          return Optional.of(invalid("the signer certificate is for another key"));
        }
      } catch (IOException e) {
        return Optional.of(invalid("the signer certificate is unreadable: " + e.getMessage()));
      }
    }
    if (!Crypto.verify(suite, pub, seal.signedPayload(), sig.value())) {
      return Optional.of(
          invalid(
              "the " + suite + " signature does not verify: the seal was changed after signing"));
    }
    return Optional.empty();
  }

  /**
   * The findings of a seal's trust check, and the time its verified token attests (null without
   * one): the seal, its claimed ingest time included, was signed no later than that.
   */
  record Result(List<Finding> findings, @Nullable Instant attested) {}

  static Result check(Seal seal, TrustPolicy policy) {
    List<Finding> out = new ArrayList<>();
    SealSignature sig = seal.signature().orElse(null);
    if (sig == null) {
      out.add(Finding.of(FindingCode.SIGNATURE_MISSING, "the seal is not signed"));
      return new Result(out, null);
    }
    Optional<Finding> broken = integrity(seal);
    if (broken.isPresent()) {
      out.add(broken.get());
      return new Result(out, null);
    }
    SignatureSuite suite = SignatureSuite.forName(sig.suite()).orElseThrow();
    List<Finding> time = new ArrayList<>();
    Instant attested = checkTimestamp(seal, sig, policy, time);
    Instant at = attested;
    Instant claimed = seal.metadata().flatMap(m -> m.ingestTime()).orElse(null);
    if (attested != null && claimed != null) {
      delayed(attested, claimed, policy).ifPresent(time::add);
    }
    if (at == null) {
      at = claimed != null ? claimed : policy.clock().instant();
    }
    byte[] spki = sig.publicKeyDer();
    TrustAnchors signers = policy.signers();
    String who = sig.keyId() + " (" + suite + ")";
    Optional<String> keyRevoked = signers.keyRevocationProblem(spki, at, attested != null);
    if (signers.trustsBareKey(spki)) {
      if (keyRevoked.isPresent()) {
        out.add(
            Finding.of(
                FindingCode.SIGNER_UNTRUSTED,
                "signed by " + who + ", a trusted key, but " + keyRevoked.get()));
      } else {
        out.add(Finding.of(FindingCode.SIGNATURE_VERIFIED, "signed by " + who));
        unbound(seal, sig, List.of(), at, attested != null, policy).ifPresent(out::add);
      }
      out.addAll(time);
      return new Result(out, attested);
    }
    List<byte[]> chain = sig.certificatesDer();
    if (chain.isEmpty()) {
      chain = signers.anchorCertificateOf(spki).map(List::of).orElse(List.of());
    }
    if (chain.isEmpty()) {
      out.add(
          Finding.of(
              FindingCode.SIGNER_UNTRUSTED,
              "signed by "
                  + who
                  + ", which is neither a trusted key nor certified by a trusted CA"));
      out.addAll(time);
      return new Result(out, attested);
    }
    Optional<String> problem =
        signers.chainProblem(chain, at, TrustAnchors.CertificateUse.SIGNING, attested != null);
    if (problem.isEmpty() && attested != null && claimed != null) {
      problem = backDated(chain.get(0), claimed, policy);
    }
    if (problem.isEmpty()) {
      problem = keyRevoked;
    }
    if (problem.isPresent()) {
      out.add(
          Finding.of(
              FindingCode.SIGNER_UNTRUSTED,
              "signed by "
                  + who
                  + ", but its certificate chain is not trusted at "
                  + at
                  + ": "
                  + problem.get()));
    } else {
      out.add(
          Finding.of(
              FindingCode.SIGNATURE_VERIFIED,
              "signed by " + who + ", certificate chain valid at " + at));
      unbound(seal, sig, chain, at, attested != null, policy).ifPresent(out::add);
    }
    if (attested == null) {
      out.add(
          Finding.of(
              FindingCode.SIGNING_TIME_UNATTESTED,
              "no verified timestamp attests when the seal was signed: the certificates were"
                  + " checked at "
                  + (claimed != null
                      ? "the seal's own claimed ingest time " + claimed
                      : "the verifier's current time " + at)));
    }
    out.addAll(time);
    return new Result(out, attested);
  }

  /**
   * A trusted station's seal naming a device the bureau's station register does not bind it to at
   * {@code at}, or naming no device at all (the trusted time the signer was checked at): one
   * station's key, stolen, would otherwise seal recordings for any camera of the bureau (R-05,
   * Without a verified token {@code at} is whatever the signer wrote, so the binding
   * must hold at the verifier's own time too, the latest the seal can have been signed: a binding
   * that ended (a camera moved to another station) is no longer kept by a claimed time before its
   * end, as a revoked key is not.
   */
  private static Optional<Finding> unbound(
      Seal seal,
      SealSignature sig,
      List<byte[]> chain,
      Instant at,
      boolean timeAttested,
      TrustPolicy policy) {
    if (policy.stationRegister().isEmpty()) {
      return Optional.empty();
    }
    String device = seal.metadata().flatMap(m -> m.deviceId()).orElse(null);
    if (device == null) {
      // a seal naming no device could otherwise claim any district's officer and case unjudged
      return Optional.of(
          Finding.of(
              FindingCode.DEVICE_NOT_BOUND,
              "the seal names no device: with a station register a trusted signer ("
                  + sig.keyId()
                  + ") seals only for devices it is bound to, and an honest station names the"
                  + " device of every recording it seals"));
    }
    StationRegister register = policy.stationRegister().get();
    Optional<String> problem = register.problem(sig.keyId(), chain, device, at);
    if (problem.isEmpty() && !timeAttested) {
      Instant now = policy.clock().instant();
      problem =
          register
              .problem(sig.keyId(), chain, device, now)
              .map(
                  why ->
                      why
                          + " (no verified timestamp attests that it was signed at "
                          + at
                          + ", a time its signer wrote, so it must be bound now too)");
    }
    return problem.map(why -> Finding.of(FindingCode.DEVICE_NOT_BOUND, why));
  }

  /**
   * A seal's device, officer or case id holding a character a reader does not see (control,
   * zero-width, bidirectional override, line separator): printed, it reads as another id, so a
   * report's reader can take a recording for another camera's, officer's or case's. Ingest refuses
   * such ids, so only a hand-made seal holds one. The id is named escaped; a station register still
   * compares it exactly as written.
   */
  static Optional<Finding> hiddenCharacters(Seal seal) {
    RecordingMetadata md = seal.metadata().orElse(null);
    if (md == null) {
      return Optional.empty();
    }
    List<String> where = new ArrayList<>();
    md.deviceId().ifPresent(d -> hidden("deviceId", d).ifPresent(where::add));
    md.officerId().ifPresent(o -> hidden("officerId", o).ifPresent(where::add));
    for (String c : md.caseIds()) {
      hidden("case id", c).ifPresent(where::add);
    }
    if (where.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        Finding.of(
            FindingCode.UNPRINTABLE_IDENTIFIER,
            String.join("; ", where)
                + ": printed it reads as another id (ingest refuses such ids; the seal was not made"
                + " by a station's ingest)"));
  }

  private static Optional<String> hidden(String field, String id) {
    int i = Identifiers.firstHidden(id);
    return i < 0
        ? Optional.empty()
        : Optional.of(
            String.format(
                Locale.ROOT,
                "its %s %s holds the invisible or control character U+%04X at position %d",
                field,
                Identifiers.printable(id),
                id.codePointAt(i),
                i));
  }

  /**
   * A seal whose token attests a time when its signer's certificate was valid can still claim an
   * ingest time before that certificate existed: its signer signed it later and back-dated it (a
   * stolen key can date a seal as it likes; only the token's time is attested). The station signs
   * as it ingests, so an honest seal never claims a time before its signer was certified.
   */
  private static Optional<String> backDated(byte[] leafDer, Instant claimed, TrustPolicy policy) {
    Instant from;
    try {
      from = Crypto.certificate(leafDer).getNotBefore().toInstant();
    } catch (KeyFormatException e) {
      return Optional.of(e.getMessage());
    }
    if (claimed.plus(policy.clockSkew()).isBefore(from)) {
      return Optional.of(
          "the seal claims it was ingested at "
              + claimed
              + ", before its signer's certificate became valid at "
              + from
              + ": back-dated");
    }
    return Optional.empty();
  }

  /**
   * A token attests only that the seal was signed no later than its time; the seal's ingest time is
   * whatever its signer wrote. A station signs and timestamps as it ingests, so a token much later
   * than the claimed ingest time is a seal made later and back-dated (a stolen key dates a seal as
   * it likes): it would pass as ingested in time (Art. 17, R-14) and in order in its device's
   * history. The verifier's trust in the signature stays as checked at the token's
   * time; the claim is what is not believed, and the verdict says so.
   */
  private static Optional<Finding> delayed(Instant attested, Instant claimed, TrustPolicy policy) {
    Duration delay = Duration.between(claimed, attested);
    if (delay.compareTo(policy.maxTimestampDelay()) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        Finding.of(
            FindingCode.TIMESTAMP_DELAYED,
            "the seal claims it was ingested at "
                + claimed
                + ", but its verified timestamp is "
                + attested
                + ", "
                + human(delay)
                + " later (the policy allows "
                + human(policy.maxTimestampDelay())
                + "): only signing by "
                + attested
                + " is attested, not the claimed ingest time (back-dated?)"));
  }

  /** A non-negative duration in days down to milliseconds, the zero parts left out. */
  private static String human(Duration d) {
    long s = d.getSeconds();
    StringBuilder b = new StringBuilder();
    long[] parts = {s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60, d.toMillisPart()};
    String[] units = {" d", " h", " min", " s", " ms"};
    for (int i = 0; i < parts.length; i++) {
      if (parts[i] != 0) {
        b.append(b.length() == 0 ? "" : " ").append(parts[i]).append(units[i]);
      }
    }
    return b.length() == 0 ? "0 s" : b.toString();
  }

  private static Finding invalid(String message) {
    return Finding.of(FindingCode.SIGNATURE_INVALID, message);
  }

  private static Finding badToken(String message) {
    return Finding.of(FindingCode.TIMESTAMP_INVALID, message);
  }

  static ASN1ObjectIdentifier oid(HashAlgorithm algorithm) {
    return algorithm == HashAlgorithm.SM3
        ? GMObjectIdentifiers.sm3
        : NISTObjectIdentifiers.id_sha256;
  }

  /**
   * Adds the timestamp's findings; returns its time when it verified under a trusted TSA.
   *
   * <p>The token comes inside the seal, so whoever hands over a seal chooses its every byte, and
   * BouncyCastle decodes a token's parts (its certificates, their names) only when they are first
   * asked for, failing with whatever unchecked exception the broken part gives. Any of them is a
   * token that cannot be read: a finding, never an exception out of the verifier.
   */
  private static Instant checkTimestamp(
      Seal seal, SealSignature sig, TrustPolicy policy, List<Finding> out) {
    List<Finding> found = new ArrayList<>();
    try {
      Instant time = readTimestamp(seal, sig, policy, found);
      out.addAll(found);
      return time;
    } catch (RuntimeException e) {
      out.add(badToken("the timestamp token is unreadable: " + e.getMessage()));
      return null;
    }
  }

  private static Instant readTimestamp(
      Seal seal, SealSignature sig, TrustPolicy policy, List<Finding> out) {
    byte[] tokenDer = sig.timestampToken().orElse(null);
    if (tokenDer == null) {
      if (policy.requireTimestamp()) {
        out.add(
            Finding.of(
                FindingCode.TIMESTAMP_MISSING,
                "the signature has no RFC 3161 timestamp and the policy requires one"));
      }
      return null;
    }
    HashAlgorithm hash = sig.timestampHash().orElseThrow();
    TimeStampToken token;
    try {
      token = new TimeStampToken(new CMSSignedData(tokenDer));
    } catch (Exception e) {
      out.add(badToken("the timestamp token is unreadable: " + e.getMessage()));
      return null;
    }
    var info = token.getTimeStampInfo();
    byte[] expected = hash.hash(sig.value()).toByteArray();
    if (!info.getMessageImprintAlgOID().equals(oid(hash))
        || !Arrays.equals(info.getMessageImprintDigest(), expected)) {
      out.add(
          badToken(
              "the timestamp is for other data, not this signature (a token replayed from another"
                  + " seal?)"));
      return null;
    }
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> matches =
        token.getCertificates().getMatches((Selector<X509CertificateHolder>) token.getSID());
    if (matches.isEmpty()) {
      out.add(badToken("the token carries no certificate of its time-stamping authority"));
      return null;
    }
    X509CertificateHolder tsaCert = matches.iterator().next();
    try {
      SignerInformationVerifier v =
          new JcaSimpleSignerInfoVerifierBuilder()
              .setProvider(Crypto.bouncyCastle())
              .build(tsaCert);
      // checks the CMS signature, the ESS certificate id, and that the certificate is valid at
      // genTime with a critical extended key usage of exactly id-kp-timeStamping
      token.validate(v);
    } catch (Exception e) {
      out.add(badToken("the timestamp does not verify: " + e.getMessage()));
      return null;
    }
    Instant time = info.getGenTime().toInstant();
    Instant now = policy.clock().instant();
    if (time.isAfter(now.plus(policy.clockSkew()))) {
      out.add(badToken("the timestamp " + time + " lies in the future (now " + now + ")"));
      return null;
    }
    Instant ingest = seal.metadata().flatMap(m -> m.ingestTime()).orElse(null);
    if (ingest != null && time.isBefore(ingest.minus(policy.clockSkew()))) {
      out.add(badToken("the timestamp " + time + " is before the ingest time " + ingest));
      return null;
    }
    if (policy.timestampAuthorities().isEmpty()) {
      out.add(
          Finding.of(
              FindingCode.TIMESTAMP_UNCHECKED,
              "timestamped "
                  + time
                  + " by "
                  + tsaCert.getSubject()
                  + ", but no time-stamping authority is trusted, so this time attests nothing"));
      return null;
    }
    List<byte[]> chain = new ArrayList<>();
    try {
      byte[] tsaKey = tsaCert.getSubjectPublicKeyInfo().getEncoded("DER");
      // the token's own time is the only time there is, as for a CRL on the TSA's certificate: a
      // token dated at or after the revocation fails; whoever stole the key can still date one
      // earlier, which no revocation can tell apart
      Optional<String> tsaRevoked =
          policy.timestampAuthorities().keyRevocationProblem(tsaKey, time, true);
      if (tsaRevoked.isPresent()) {
        out.add(
            Finding.of(
                FindingCode.TIMESTAMP_UNTRUSTED,
                "timestamped by " + tsaCert.getSubject() + ", but " + tsaRevoked.get()));
        return null;
      }
      if (policy.timestampAuthorities().trustsBareKey(tsaKey)) {
        out.add(
            Finding.of(
                FindingCode.TIMESTAMP_VERIFIED,
                "timestamped " + time + " by " + tsaCert.getSubject() + " (" + hash + " imprint)"));
        return time;
      }
      chain.add(tsaCert.getEncoded());
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> all = token.getCertificates().getMatches(null);
      for (X509CertificateHolder c : all) {
        if (!c.equals(tsaCert)) {
          chain.add(c.getEncoded());
        }
      }
    } catch (IOException e) {
      out.add(badToken("unreadable TSA certificate: " + e.getMessage()));
      return null;
    }
    Optional<String> problem =
        policy
            .timestampAuthorities()
            .chainProblem(chain, time, TrustAnchors.CertificateUse.TIME_STAMPING, true);
    if (problem.isPresent()) {
      out.add(
          Finding.of(
              FindingCode.TIMESTAMP_UNTRUSTED,
              "timestamped by "
                  + tsaCert.getSubject()
                  + ", which is not a trusted authority at "
                  + time
                  + ": "
                  + problem.get()));
      return null;
    }
    out.add(
        Finding.of(
            FindingCode.TIMESTAMP_VERIFIED,
            "timestamped " + time + " by " + tsaCert.getSubject() + " (" + hash + " imprint)"));
    return time;
  }
}
