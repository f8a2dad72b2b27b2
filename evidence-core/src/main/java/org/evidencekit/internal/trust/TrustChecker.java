package org.evidencekit.internal.trust;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
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
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.SealSignature;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.KeyIds;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.TrustPolicy;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;

/**
 * Checks a seal's signature and RFC 3161 token under a trust policy. Every requirement that fails
 * yields its own finding code; a missing required part is a failure, never a skip.
 */
public final class TrustChecker {
  private TrustChecker() {}

  public static List<Finding> check(Seal seal, TrustPolicy policy) {
    List<Finding> out = new ArrayList<>();
    SealSignature sig = seal.signature().orElse(null);
    if (sig == null) {
      out.add(Finding.of(FindingCode.SIGNATURE_MISSING, "the seal is not signed"));
      return out;
    }
    SignatureSuite suite = SignatureSuite.forName(sig.suite()).orElse(null);
    if (suite == null) {
      out.add(invalid("unknown signature suite '" + sig.suite() + "'"));
      return out;
    }
    byte[] spki = sig.publicKeyDer();
    AsymmetricKeyParameter pub;
    try {
      pub = Crypto.publicKey(spki);
      if (Crypto.suiteOf(pub) != suite) {
        out.add(invalid("the public key is not a " + suite + " key"));
        return out;
      }
    } catch (KeyFormatException e) {
      out.add(invalid("the public key is unreadable: " + e.getMessage()));
      return out;
    }
    if (!KeyIds.of(spki).equals(sig.keyId())) {
      out.add(invalid("the key id " + sig.keyId() + " is not the id of the key in the seal"));
      return out;
    }
    List<byte[]> certs = sig.certificatesDer();
    if (!certs.isEmpty()) {
      try {
        byte[] leafKey =
            Crypto.certificate(certs.get(0)).getSubjectPublicKeyInfo().getEncoded("DER");
        if (!Arrays.equals(leafKey, spki)) {
          out.add(invalid("the signer certificate is for another key"));
          return out;
        }
      } catch (java.io.IOException e) {
        out.add(invalid("the signer certificate is unreadable: " + e.getMessage()));
        return out;
      }
    }
    if (!Crypto.verify(suite, pub, seal.signedPayload(), sig.value())) {
      out.add(
          invalid(
              "the " + suite + " signature does not verify: the seal was changed after signing"));
      return out;
    }
    boolean trusted =
        policy.signers().trustsKey(spki)
            || (!certs.isEmpty() && policy.signers().trustsChain(certs));
    if (!trusted) {
      out.add(
          Finding.of(
              FindingCode.SIGNER_UNTRUSTED,
              "signed by " + sig.keyId() + " (" + suite + "), which is not a trusted signer"));
      return out;
    }
    out.add(
        Finding.of(
            FindingCode.SIGNATURE_VERIFIED, "signed by " + sig.keyId() + " (" + suite + ")"));
    checkTimestamp(seal, sig, policy, out);
    return out;
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

  private static void checkTimestamp(
      Seal seal, SealSignature sig, TrustPolicy policy, List<Finding> out) {
    byte[] tokenDer = sig.timestampToken().orElse(null);
    if (tokenDer == null) {
      if (policy.requireTimestamp()) {
        out.add(
            Finding.of(
                FindingCode.TIMESTAMP_MISSING,
                "the signature has no RFC 3161 timestamp and the policy requires one"));
      }
      return;
    }
    HashAlgorithm hash = sig.timestampHash().orElseThrow();
    TimeStampToken token;
    try {
      token = new TimeStampToken(new CMSSignedData(tokenDer));
    } catch (Exception e) {
      out.add(badToken("the timestamp token is unreadable: " + e.getMessage()));
      return;
    }
    var info = token.getTimeStampInfo();
    byte[] expected = hash.hash(sig.value()).toByteArray();
    if (!info.getMessageImprintAlgOID().equals(oid(hash))
        || !Arrays.equals(info.getMessageImprintDigest(), expected)) {
      out.add(
          badToken(
              "the timestamp is for other data, not this signature (a token replayed from another"
                  + " seal?)"));
      return;
    }
    @SuppressWarnings("unchecked")
    Collection<X509CertificateHolder> matches =
        token.getCertificates().getMatches((Selector<X509CertificateHolder>) token.getSID());
    if (matches.isEmpty()) {
      out.add(badToken("the token carries no certificate of its time-stamping authority"));
      return;
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
      return;
    }
    Instant time = info.getGenTime().toInstant();
    Instant now = policy.clock().instant();
    if (time.isAfter(now.plus(policy.clockSkew()))) {
      out.add(badToken("the timestamp " + time + " lies in the future (now " + now + ")"));
      return;
    }
    Instant ingest = seal.metadata().flatMap(m -> m.ingestTime()).orElse(null);
    if (ingest != null && time.isBefore(ingest.minus(policy.clockSkew()))) {
      out.add(badToken("the timestamp " + time + " is before the ingest time " + ingest));
      return;
    }
    if (policy.timestampAuthorities().isEmpty()) {
      out.add(
          Finding.of(
              FindingCode.TIMESTAMP_UNCHECKED,
              "timestamped "
                  + time
                  + " by "
                  + tsaCert.getSubject()
                  + ", but no time-stamping authority is trusted"));
      return;
    }
    List<byte[]> chain = new ArrayList<>();
    try {
      chain.add(tsaCert.getEncoded());
      @SuppressWarnings("unchecked")
      Collection<X509CertificateHolder> all = token.getCertificates().getMatches(null);
      for (X509CertificateHolder c : all) {
        if (!c.equals(tsaCert)) {
          chain.add(c.getEncoded());
        }
      }
    } catch (java.io.IOException e) {
      out.add(badToken("unreadable TSA certificate: " + e.getMessage()));
      return;
    }
    if (!policy.timestampAuthorities().trustsChain(chain)) {
      out.add(
          Finding.of(
              FindingCode.TIMESTAMP_UNTRUSTED,
              "timestamped by " + tsaCert.getSubject() + ", which is not a trusted authority"));
      return;
    }
    out.add(
        Finding.of(
            FindingCode.TIMESTAMP_VERIFIED,
            "timestamped " + time + " by " + tsaCert.getSubject() + " (" + hash + " imprint)"));
  }
}
