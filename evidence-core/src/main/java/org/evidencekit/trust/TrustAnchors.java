package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.evidencekit.internal.trust.CertificatePaths;
import org.evidencekit.internal.trust.Crypto;

/**
 * What a verifier trusts, given explicitly and never taken from the seal: public keys (the key
 * itself is trusted) and certificates (keys certified through a chain that passes RFC 5280 path
 * validation up to one of them are trusted), plus certificate revocation lists supplied offline.
 * Read from PEM files holding {@code PUBLIC KEY}, {@code CERTIFICATE} and {@code X509 CRL} blocks.
 */
public final class TrustAnchors {
  private final List<byte[]> publicKeys;
  private final List<X509CertificateHolder> certificates;
  private final List<X509CRLHolder> crls;

  private TrustAnchors(
      List<byte[]> publicKeys, List<X509CertificateHolder> certificates, List<X509CRLHolder> crls) {
    this.publicKeys = List.copyOf(publicKeys);
    this.certificates = List.copyOf(certificates);
    this.crls = List.copyOf(crls);
  }

  /** What an end certificate must be fit for. */
  public enum CertificateUse {
    /** Signing seals and checkpoints: key usage, if present, digitalSignature/nonRepudiation. */
    SIGNING,
    /** RFC 3161 time stamping: critical extended key usage of exactly timeStamping. */
    TIME_STAMPING
  }

  /** Trusts nothing. */
  public static TrustAnchors none() {
    return new TrustAnchors(List.of(), List.of(), List.of());
  }

  /** Trusts these public keys (SubjectPublicKeyInfo DER). */
  public static TrustAnchors ofPublicKeys(List<byte[]> spkiDer) throws KeyFormatException {
    List<byte[]> keys = new ArrayList<>();
    for (byte[] k : requireNonNull(spkiDer, "spkiDer")) {
      Crypto.publicKey(k);
      keys.add(k.clone());
    }
    return new TrustAnchors(keys, List.of(), List.of());
  }

  /** Trusts these certificates (DER) as anchors of certification paths. */
  public static TrustAnchors ofCertificates(List<byte[]> certificatesDer)
      throws KeyFormatException {
    List<X509CertificateHolder> certs = new ArrayList<>();
    for (byte[] c : requireNonNull(certificatesDer, "certificatesDer")) {
      certs.add(Crypto.certificate(c));
    }
    return new TrustAnchors(List.of(), certs, List.of());
  }

  /**
   * These anchors with CRLs (DER) to check every certificate of a path against. Once any CRL is
   * given, each certificate below the anchor must be covered by a CRL of its issuer (as {@code
   * openssl verify -crl_check_all} demands).
   */
  public TrustAnchors withRevocationLists(List<byte[]> crlDer) throws KeyFormatException {
    List<X509CRLHolder> all = new ArrayList<>(crls);
    for (byte[] c : requireNonNull(crlDer, "crlDer")) {
      all.add(crl(c));
    }
    return new TrustAnchors(publicKeys, certificates, all);
  }

  /** These anchors with the {@code X509 CRL} blocks of the files (each must hold one). */
  public TrustAnchors withRevocationListsFromPem(List<Path> files) throws IOException {
    List<X509CRLHolder> all = new ArrayList<>(crls);
    for (Path f : requireNonNull(files, "files")) {
      boolean any = false;
      for (Crypto.PemBlock b : Crypto.readPem(SigningKeys.read(f), f.toString())) {
        if (b.label.equals("X509 CRL")) {
          all.add(crl(b.der));
          any = true;
        }
      }
      if (!any) {
        throw new KeyFormatException(f + ": no X509 CRL block");
      }
    }
    return new TrustAnchors(publicKeys, certificates, all);
  }

  /**
   * Reads every {@code PUBLIC KEY}, {@code CERTIFICATE} and {@code X509 CRL} block of the files;
   * each file must hold at least one.
   */
  public static TrustAnchors fromPem(List<Path> files) throws IOException {
    List<byte[]> keys = new ArrayList<>();
    List<X509CertificateHolder> certs = new ArrayList<>();
    List<X509CRLHolder> crls = new ArrayList<>();
    for (Path f : requireNonNull(files, "files")) {
      boolean any = false;
      for (Crypto.PemBlock b : Crypto.readPem(SigningKeys.read(f), f.toString())) {
        if (b.label.equals("PUBLIC KEY")) {
          Crypto.publicKey(b.der);
          keys.add(b.der);
          any = true;
        } else if (b.label.equals("CERTIFICATE")) {
          certs.add(Crypto.certificate(b.der));
          any = true;
        } else if (b.label.equals("X509 CRL")) {
          crls.add(crl(b.der));
          any = true;
        }
      }
      if (!any) {
        throw new KeyFormatException(f + ": no PUBLIC KEY, CERTIFICATE or X509 CRL block");
      }
    }
    return new TrustAnchors(keys, certs, crls);
  }

  private static X509CRLHolder crl(byte[] der) throws KeyFormatException {
    try {
      return new X509CRLHolder(der);
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException("not a readable X.509 CRL: " + e.getMessage(), e);
    }
  }

  /** Whether there is no key and no certificate to trust (CRLs alone trust nothing). */
  public boolean isEmpty() {
    return publicKeys.isEmpty() && certificates.isEmpty();
  }

  /** Whether CRLs were supplied. */
  public boolean checksRevocation() {
    return !crls.isEmpty();
  }

  /**
   * Whether this exact public key is trusted: given as a key, or the key of an anchor certificate
   * that no given CRL of a trusted issuer revokes (for checkpoint keys and the signers of
   * disposition records, which carry no certificate and no trusted time, so a revocation at any
   * date counts; seal signers go through {@link #chainProblem} so that the certificate's validity
   * and usage are checked).
   */
  public boolean trustsKey(byte[] spkiDer) {
    requireNonNull(spkiDer, "spkiDer");
    for (byte[] k : publicKeys) {
      if (Arrays.equals(k, spkiDer)) {
        return true;
      }
    }
    for (X509CertificateHolder c : certificates) {
      try {
        if (Arrays.equals(c.getSubjectPublicKeyInfo().getEncoded("DER"), spkiDer) && !revoked(c)) {
          return true;
        }
      } catch (IOException e) {
        // an anchor whose key cannot be encoded matches nothing
      }
    }
    return false;
  }

  /**
   * Whether {@code signature} is this trusted key's signature over {@code message} ({@link
   * #trustsKey}; the suite is the key's own, as {@link SigningKeyProvider#sign} makes it): for
   * statements signed by a ledger's key, such as catalog snapshots, which carry no certificate.
   */
  public boolean verifiesSignature(byte[] spkiDer, byte[] message, byte[] signature) {
    requireNonNull(spkiDer, "spkiDer");
    requireNonNull(message, "message");
    requireNonNull(signature, "signature");
    if (!trustsKey(spkiDer)) {
      return false;
    }
    try {
      var pub = Crypto.publicKey(spkiDer);
      return Crypto.verify(Crypto.suiteOf(pub), pub, message, signature);
    } catch (KeyFormatException e) {
      return false; // a key of no known suite: nothing it signed is verified
    }
  }

  /**
   * Every trusted key (SubjectPublicKeyInfo DER): the bare keys, then the anchors' keys, but not
   * those of anchors a given CRL of a trusted issuer revokes.
   */
  public List<byte[]> keys() {
    List<byte[]> out = new ArrayList<>();
    publicKeys.forEach(k -> out.add(k.clone()));
    for (X509CertificateHolder c : certificates) {
      if (revoked(c)) {
        continue;
      }
      try {
        out.add(c.getSubjectPublicKeyInfo().getEncoded("DER"));
      } catch (IOException e) {
        // an anchor whose key cannot be encoded contributes none
      }
    }
    return out;
  }

  /** Whether this key is trusted as a bare key (no certificate, so nothing about time applies). */
  public boolean trustsBareKey(byte[] spkiDer) {
    requireNonNull(spkiDer, "spkiDer");
    for (byte[] k : publicKeys) {
      if (Arrays.equals(k, spkiDer)) {
        return true;
      }
    }
    return false;
  }

  /** The anchor certificate (DER) whose key this is, if any. */
  public Optional<byte[]> anchorCertificateOf(byte[] spkiDer) {
    for (X509CertificateHolder c : certificates) {
      try {
        if (Arrays.equals(c.getSubjectPublicKeyInfo().getEncoded("DER"), spkiDer)) {
          return Optional.of(c.getEncoded());
        }
      } catch (IOException e) {
        // an anchor whose key cannot be encoded matches nothing
      }
    }
    return Optional.empty();
  }

  /** Whether a given CRL, signed by a trusted issuer of this anchor, revokes it. */
  private boolean revoked(X509CertificateHolder anchor) {
    try {
      return !crls.isEmpty() && CertificatePaths.revokedByTrustedIssuer(anchor, certificates, crls);
    } catch (RuntimeException e) {
      return true; // a CRL or certificate that cannot be decoded: fail closed
    }
  }

  /**
   * Why the chain (end certificate first, the others in any order) does not lead to an anchor
   * certificate under RFC 5280 at {@code at} for {@code use}; empty when it does. Checks every
   * signature, the CA flag and key usage keyCertSign of each issuer, path length constraints,
   * validity of every certificate (the anchor included) at {@code at}, the end certificate's usage,
   * and, when CRLs were given, revocation. A revocation dated after {@code at} leaves the path
   * valid only when {@code timeAttested} (the time comes from a verified timestamp token).
   */
  public Optional<String> chainProblem(
      List<byte[]> chainDer, Instant at, CertificateUse use, boolean timeAttested) {
    requireNonNull(chainDer, "chainDer");
    requireNonNull(at, "at");
    requireNonNull(use, "use");
    List<X509CertificateHolder> chain = new ArrayList<>();
    for (byte[] c : chainDer) {
      try {
        chain.add(Crypto.certificate(c));
      } catch (KeyFormatException e) {
        return Optional.of(e.getMessage());
      }
    }
    try {
      return CertificatePaths.problem(
          chain,
          certificates,
          at,
          use == CertificateUse.TIME_STAMPING
              ? CertificatePaths.Purpose.TIME_STAMPING
              : CertificatePaths.Purpose.SEAL_SIGNING,
          new CertificatePaths.Revocation(crls, timeAttested));
    } catch (RuntimeException e) {
      // a certificate's parts (a name's strings, an extension) are decoded when first used, and
      // the chain comes with the seal: a part that cannot be decoded is a chain that is not trusted
      return Optional.of("a certificate of the chain cannot be read: " + e.getMessage());
    }
  }
}
