package org.evidencekit.internal.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * RFC 5280 certification path validation for seal signers and time-stamping authorities, with
 * BouncyCastle's PKIX {@link CertPathValidator} (it verifies SM2/SM3, Ed25519 and ECDSA certificate
 * signatures alike): CA flag, path length, key usage keyCertSign on every issuer, validity of every
 * certificate at the given time, and the end certificate's usage for its purpose.
 *
 * <p>An anchor may be any trusted certificate, not only a self-signed root: a chain is accepted
 * when it reaches one (OpenSSL's {@code -partial_chain}). The anchor itself is held to the same
 * rules as OpenSSL holds it (valid at the time, a CA with keyCertSign that allows the path's
 * length), which PKIX alone leaves unchecked.
 */
public final class CertificatePaths {
  private CertificatePaths() {}

  /** What the end certificate is used for. */
  public enum Purpose {
    /** Signing seals: key usage, if present, must allow digitalSignature or nonRepudiation. */
    SEAL_SIGNING,
    /**
     * RFC 3161 time stamping: extended key usage critical and exactly timeStamping; key usage, if
     * present, only digitalSignature and/or nonRepudiation (RFC 3161 section 2.3).
     */
    TIME_STAMPING
  }

  /** Revocation input: CRLs supplied offline, and whether revocations after the time count. */
  public static final class Revocation {
    final List<X509CRLHolder> crls;
    final boolean timeAttested;

    /**
     * @param timeAttested whether {@code at} is attested by a trusted timestamp; only then does a
     *     revocation dated after it leave an earlier signature valid
     */
    public Revocation(List<X509CRLHolder> crls, boolean timeAttested) {
      this(crls, timeAttested, c -> Optional.empty());
    }

    /**
     * @param keyRevoked why a certificate's key, revoked by key id, no longer certifies at the time
     *     checked; applied to every certificate of the path, the anchor included
     */
    public Revocation(
        List<X509CRLHolder> crls,
        boolean timeAttested,
        java.util.function.Function<X509CertificateHolder, Optional<String>> keyRevoked) {
      this.crls = List.copyOf(crls);
      this.timeAttested = timeAttested;
      this.keyRevoked = java.util.Objects.requireNonNull(keyRevoked, "keyRevoked");
    }

    final java.util.function.Function<X509CertificateHolder, Optional<String>> keyRevoked;
  }

  private static final int MAX_PATH = 10;

  /**
   * Why {@code presented} (end certificate first, the rest in any order) does not lead to one of
   * {@code anchors} at time {@code at}; empty when it does.
   */
  public static Optional<String> problem(
      List<X509CertificateHolder> presented,
      List<X509CertificateHolder> anchors,
      Instant at,
      Purpose purpose,
      Revocation revocation) {
    if (presented.isEmpty()) {
      return Optional.of("no certificate was presented");
    }
    if (anchors.isEmpty()) {
      return Optional.of("no trusted certificate was given");
    }
    X509CertificateHolder leaf = presented.get(0);
    List<X509CertificateHolder> path = new ArrayList<>();
    X509CertificateHolder anchor = null;
    X509CertificateHolder cur = leaf;
    List<X509CertificateHolder> pool = new ArrayList<>(presented.subList(1, presented.size()));
    while (true) {
      X509CertificateHolder same = anchorEqualTo(cur, anchors);
      if (same != null) {
        anchor = same;
        break;
      }
      path.add(cur);
      if (path.size() > MAX_PATH) {
        return Optional.of("the chain is longer than " + MAX_PATH + " certificates");
      }
      X509CertificateHolder issuer = issuerAmong(cur, anchors);
      if (issuer != null) {
        anchor = issuer;
        break;
      }
      issuer = issuerAmong(cur, pool);
      if (issuer == null) {
        return Optional.of(
            "no trusted certificate issued "
                + cur.getSubject()
                + " (issuer "
                + cur.getIssuer()
                + " is neither trusted nor in the chain)");
      }
      pool.remove(issuer);
      cur = issuer;
    }
    Optional<String> p = anchorProblem(anchor, path, at);
    if (p.isPresent()) {
      return p;
    }
    if (!path.isEmpty()) {
      p = pkix(path, anchor, at);
      if (p.isPresent()) {
        return p;
      }
    }
    p = endUse(leaf, purpose);
    if (p.isPresent()) {
      return p;
    }
    // a key revoked by its id (a CA's key stolen) certifies nothing after the revocation, whatever
    // certificate carries it
    List<X509CertificateHolder> onPath = new ArrayList<>(path);
    onPath.add(anchor);
    for (X509CertificateHolder c : onPath) {
      p = revocation.keyRevoked.apply(c);
      if (p.isPresent()) {
        return Optional.of(c.getSubject() + ": " + p.get());
      }
    }
    if (!revocation.crls.isEmpty()) {
      if (path.isEmpty()) {
        // The signer's own certificate is trusted (a trust file listing the stations beside their
        // CA): it is still the certificate the CRLs speak of, and a stolen key's certificate
        // revoked there must not stay trusted for being an anchor. As OpenSSL does, its issuer's
        // CRL must be given, the issuer one of the trusted certificates.
        X509CertificateHolder issuer = issuerAmong(anchor, anchors);
        if (issuer == null) {
          return Optional.of(
              "no trusted certificate issued "
                  + anchor.getSubject()
                  + ", so no CRL can say whether it was revoked");
        }
        return revoked(anchor, issuer, at, revocation);
      }
      List<X509CertificateHolder> issuers = new ArrayList<>(path.subList(1, path.size()));
      issuers.add(anchor);
      for (int i = 0; i < path.size(); i++) {
        p = revoked(path.get(i), issuers.get(i), at, revocation);
        if (p.isPresent()) {
          return p;
        }
      }
    }
    return Optional.empty();
  }

  private static X509CertificateHolder anchorEqualTo(
      X509CertificateHolder c, List<X509CertificateHolder> anchors) {
    for (X509CertificateHolder a : anchors) {
      if (a.equals(c)) {
        return a;
      }
    }
    return null;
  }

  private static X509CertificateHolder issuerAmong(
      X509CertificateHolder c, List<X509CertificateHolder> candidates) {
    for (X509CertificateHolder i : candidates) {
      if (!i.equals(c) && Crypto.issuedBy(c, i)) {
        return i;
      }
    }
    return null;
  }

  /** The anchor as OpenSSL checks it: in date, and a CA allowed to issue this path. */
  private static Optional<String> anchorProblem(
      X509CertificateHolder anchor, List<X509CertificateHolder> path, Instant at) {
    if (!anchor.isValidOn(Date.from(at))) {
      return Optional.of(
          "the trusted certificate "
              + anchor.getSubject()
              + " is not valid at "
              + at
              + " (valid "
              + anchor.getNotBefore().toInstant()
              + " to "
              + anchor.getNotAfter().toInstant()
              + ")");
    }
    if (path.isEmpty()) {
      return Optional.empty();
    }
    if (anchor.getVersionNumber() >= 3) {
      BasicConstraints bc = BasicConstraints.fromExtensions(anchor.getExtensions());
      if (bc == null || !bc.isCA()) {
        return Optional.of(
            "the trusted certificate " + anchor.getSubject() + " is not a CA (basicConstraints)");
      }
      KeyUsage ku = KeyUsage.fromExtensions(anchor.getExtensions());
      if (ku != null && !ku.hasUsages(KeyUsage.keyCertSign)) {
        return Optional.of(
            "the key usage of the trusted certificate "
                + anchor.getSubject()
                + " does not include certificate signing");
      }
      if (bc.getPathLenConstraint() != null) {
        int intermediates = 0;
        for (int i = 1; i < path.size(); i++) {
          if (!path.get(i).getSubject().equals(path.get(i).getIssuer())) {
            intermediates++;
          }
        }
        if (intermediates > bc.getPathLenConstraint().intValue()) {
          return Optional.of(
              "the path length constraint of "
                  + anchor.getSubject()
                  + " ("
                  + bc.getPathLenConstraint()
                  + ") is exceeded by "
                  + intermediates
                  + " intermediate CA(s)");
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> pkix(
      List<X509CertificateHolder> path, X509CertificateHolder anchor, Instant at) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509", Crypto.bouncyCastle());
      List<X509Certificate> certs = new ArrayList<>();
      for (X509CertificateHolder h : path) {
        certs.add(jca(cf, h));
      }
      CertPath cp = cf.generateCertPath(certs);
      Set<TrustAnchor> ta = new HashSet<>();
      ta.add(new TrustAnchor(jca(cf, anchor), null));
      PKIXParameters params = new PKIXParameters(ta);
      params.setDate(Date.from(at));
      params.setRevocationEnabled(false);
      CertPathValidator v = CertPathValidator.getInstance("PKIX", Crypto.bouncyCastle());
      PKIXCertPathValidatorResult r = (PKIXCertPathValidatorResult) v.validate(cp, params);
      return r == null ? Optional.of("no validation result") : Optional.empty();
    } catch (CertPathValidatorException e) {
      String where =
          e.getIndex() >= 0 && e.getIndex() < path.size()
              ? " (at " + path.get(e.getIndex()).getSubject() + ")"
              : "";
      return Optional.of("RFC 5280 path validation fails" + where + ": " + e.getMessage());
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      return Optional.of("the chain cannot be validated: " + e.getMessage());
    }
  }

  private static X509Certificate jca(CertificateFactory cf, X509CertificateHolder h)
      throws IOException, GeneralSecurityException {
    return (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(h.getEncoded()));
  }

  private static Optional<String> endUse(X509CertificateHolder leaf, Purpose purpose) {
    KeyUsage ku = KeyUsage.fromExtensions(leaf.getExtensions());
    int signing = KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
    boolean kuSigns = ku == null || intersects(ku, signing);
    if (!kuSigns) {
      return Optional.of(
          "the key usage of "
              + leaf.getSubject()
              + " allows neither digitalSignature nor nonRepudiation");
    }
    if (purpose == Purpose.SEAL_SIGNING) {
      return Optional.empty();
    }
    if (ku != null && !onlyWithin(ku, signing)) {
      return Optional.of(
          "the key usage of time-stamping certificate "
              + leaf.getSubject()
              + " allows more than digitalSignature and nonRepudiation");
    }
    Extension eku = leaf.getExtension(Extension.extendedKeyUsage);
    if (eku == null) {
      return Optional.of(leaf.getSubject() + " has no extended key usage timeStamping");
    }
    if (!eku.isCritical()) {
      return Optional.of(
          "the extended key usage of " + leaf.getSubject() + " is not critical (RFC 3161)");
    }
    KeyPurposeId[] usages = ExtendedKeyUsage.getInstance(eku.getParsedValue()).getUsages();
    if (usages.length != 1 || !usages[0].equals(KeyPurposeId.id_kp_timeStamping)) {
      return Optional.of(
          "the extended key usage of "
              + leaf.getSubject()
              + " is not exactly timeStamping: "
              + Arrays.toString(usages));
    }
    return Optional.empty();
  }

  private static boolean intersects(KeyUsage ku, int bits) {
    return (usageBits(ku) & bits) != 0;
  }

  private static boolean onlyWithin(KeyUsage ku, int bits) {
    return (usageBits(ku) & ~bits) == 0;
  }

  /**
   * The KeyUsage bits in BouncyCastle's constant layout (first byte, then the decipherOnly bit).
   */
  private static int usageBits(KeyUsage ku) {
    byte[] b = ku.getBytes();
    int v = b.length > 0 ? b[0] & 0xff : 0;
    if (b.length > 1) {
      v |= (b[1] & 0xff) << 8;
    }
    return v;
  }

  private static Optional<String> revoked(
      X509CertificateHolder cert, X509CertificateHolder issuer, Instant at, Revocation r) {
    boolean covered = false;
    for (X509CRLHolder crl : r.crls) {
      if (!crl.getIssuer().equals(issuer.getSubject()) || !signedBy(crl, issuer)) {
        continue;
      }
      covered = true;
      var entry = crl.getRevokedCertificate(cert.getSerialNumber());
      if (entry != null) {
        Instant when = entry.getRevocationDate().toInstant();
        if (!r.timeAttested || !when.isAfter(at)) {
          return Optional.of(
              cert.getSubject()
                  + " (serial "
                  + cert.getSerialNumber()
                  + ") was revoked at "
                  + when
                  + (r.timeAttested ? ", before the attested time " + at : ""));
        }
      }
    }
    if (!covered) {
      return Optional.of(
          "no CRL of " + issuer.getSubject() + " was supplied to check " + cert.getSubject());
    }
    return Optional.empty();
  }

  /**
   * Whether one of {@code crls}, signed by a certificate among {@code trusted} that issued {@code
   * cert}, lists {@code cert} as revoked (at any date: a key that signs without a trusted time,
   * such as a checkpoint's, could claim any earlier one).
   */
  public static boolean revokedByTrustedIssuer(
      X509CertificateHolder cert, List<X509CertificateHolder> trusted, List<X509CRLHolder> crls) {
    for (X509CRLHolder crl : crls) {
      if (!crl.getIssuer().equals(cert.getIssuer())
          || crl.getRevokedCertificate(cert.getSerialNumber()) == null) {
        continue;
      }
      for (X509CertificateHolder issuer : trusted) {
        if (!issuer.equals(cert)
            && issuer.getSubject().equals(cert.getIssuer())
            && Crypto.issuedBy(cert, issuer)
            && signedBy(crl, issuer)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean signedBy(X509CRLHolder crl, X509CertificateHolder issuer) {
    try {
      ContentVerifierProvider v =
          new JcaContentVerifierProviderBuilder().setProvider(Crypto.bouncyCastle()).build(issuer);
      return crl.isSignatureValid(v);
    } catch (Exception e) {
      return false;
    }
  }
}
