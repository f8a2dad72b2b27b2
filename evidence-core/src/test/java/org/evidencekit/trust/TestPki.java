package org.evidencekit.trust;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.evidencekit.internal.trust.Crypto;

/**
 * A test PKI made in the tests with BouncyCastle's certificate builder: every field a path rule
 * looks at (CA flag, path length, key usage, extended key usage, validity) is set explicitly.
 */
final class TestPki {
  private static final AtomicLong SERIAL = new AtomicLong(1000);

  enum Alg {
    P256("SHA256withECDSA"),
    ED25519("Ed25519"),
    SM2("SM3withSM2");

    final String signature;

    Alg(String signature) {
      this.signature = signature;
    }
  }

  /** A key pair and its certificate. */
  static final class Cert {
    final KeyPair keys;
    final X509CertificateHolder holder;
    final Alg alg;

    Cert(KeyPair keys, X509CertificateHolder holder, Alg alg) {
      this.keys = keys;
      this.holder = holder;
      this.alg = alg;
    }

    byte[] der() {
      try {
        return holder.getEncoded();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }

    String pem() {
      return Crypto.pem("CERTIFICATE", der());
    }

    X500Name name() {
      return holder.getSubject();
    }
  }

  static KeyPair keys(Alg alg) {
    try {
      KeyPairGenerator g;
      switch (alg) {
        case ED25519:
          g = KeyPairGenerator.getInstance("Ed25519", Crypto.bouncyCastle());
          break;
        case SM2:
          g = KeyPairGenerator.getInstance("EC", Crypto.bouncyCastle());
          g.initialize(new ECGenParameterSpec("sm2p256v1"));
          break;
        default:
          g = KeyPairGenerator.getInstance("EC", Crypto.bouncyCastle());
          g.initialize(new ECGenParameterSpec("secp256r1"));
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What to put in a certificate; null fields are left out. */
  static final class Spec {
    String cn;
    Instant notBefore = Instant.parse("2024-01-01T00:00:00Z");
    Instant notAfter = Instant.parse("2030-01-01T00:00:00Z");
    Boolean ca;
    Integer pathLen;
    Integer keyUsage;
    KeyPurposeId[] eku;
    boolean ekuCritical = true;
    Alg alg = Alg.P256;

    Spec(String cn) {
      this.cn = cn;
    }

    static Spec ca(String cn) {
      Spec s = new Spec(cn);
      s.ca = true;
      s.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
      return s;
    }

    static Spec leaf(String cn) {
      Spec s = new Spec(cn);
      s.ca = false;
      s.keyUsage = KeyUsage.digitalSignature;
      return s;
    }

    static Spec tsa(String cn) {
      Spec s = leaf(cn);
      s.eku = new KeyPurposeId[] {KeyPurposeId.id_kp_timeStamping};
      return s;
    }

    Spec valid(String from, String to) {
      notBefore = Instant.parse(from);
      notAfter = Instant.parse(to);
      return this;
    }

    Spec pathLen(int n) {
      pathLen = n;
      return this;
    }

    Spec alg(Alg a) {
      alg = a;
      return this;
    }
  }

  /** A self-signed certificate. */
  static Cert root(Spec s) {
    KeyPair k = keys(s.alg);
    return make(s, k, new X500Name("CN=" + s.cn), k, s.alg);
  }

  /** A certificate for a new key, issued (signed) by {@code issuer}. */
  static Cert issue(Cert issuer, Spec s) {
    return make(s, keys(s.alg), issuer.name(), issuer.keys, issuer.alg);
  }

  /** A certificate naming {@code issuer} but signed by another key (a forgery). */
  static Cert forge(Cert issuer, Spec s) {
    return make(s, keys(s.alg), issuer.name(), keys(issuer.alg), issuer.alg);
  }

  private static Cert make(Spec s, KeyPair subject, X500Name issuer, KeyPair signer, Alg signAlg) {
    try {
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIAL.incrementAndGet()),
              Date.from(s.notBefore),
              Date.from(s.notAfter),
              new X500Name("CN=" + s.cn),
              subject.getPublic());
      if (s.ca != null) {
        b.addExtension(
            Extension.basicConstraints,
            true,
            s.ca
                ? (s.pathLen == null ? new BasicConstraints(true) : new BasicConstraints(s.pathLen))
                : new BasicConstraints(false));
      }
      if (s.keyUsage != null) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(s.keyUsage));
      }
      if (s.eku != null) {
        b.addExtension(Extension.extendedKeyUsage, s.ekuCritical, new ExtendedKeyUsage(s.eku));
      }
      ContentSigner cs =
          new JcaContentSignerBuilder(signAlg.signature)
              .setProvider(Crypto.bouncyCastle())
              .build(signer.getPrivate());
      return new Cert(subject, b.build(cs), s.alg);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A CRL of {@code issuer} revoking {@code revoked} at {@code when}. */
  static byte[] crl(
      Cert issuer, Instant thisUpdate, Instant nextUpdate, List<Cert> revoked, Instant when) {
    try {
      X509v2CRLBuilder b = new X509v2CRLBuilder(issuer.name(), Date.from(thisUpdate));
      b.setNextUpdate(Date.from(nextUpdate));
      for (Cert c : revoked) {
        b.addCRLEntry(c.holder.getSerialNumber(), Date.from(when), CRLReason.keyCompromise);
      }
      ContentSigner cs =
          new JcaContentSignerBuilder(issuer.alg.signature)
              .setProvider(Crypto.bouncyCastle())
              .build(issuer.keys.getPrivate());
      return b.build(cs).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<byte[]> ders(Cert... certs) {
    List<byte[]> out = new ArrayList<>();
    for (Cert c : certs) {
      out.add(c.der());
    }
    return out;
  }

  private TestPki() {}
}
