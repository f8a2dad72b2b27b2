package org.evidencekit.internal.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECKeyParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.SignatureSuite;

/** BouncyCastle's lightweight API behind our own types: keys, signatures, PEM, certificates. */
public final class Crypto {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ASN1ObjectIdentifier P256 = SECObjectIdentifiers.secp256r1;
  private static final ASN1ObjectIdentifier SM2 = GMObjectIdentifiers.sm2p256v1;

  private Crypto() {}

  /** A BouncyCastle JCA provider instance, never registered globally. */
  private static final class Provider {
    static final BouncyCastleProvider INSTANCE = new BouncyCastleProvider();
  }

  public static java.security.Provider bouncyCastle() {
    return Provider.INSTANCE;
  }

  // ---------------------------------------------------------------- keys

  public static AsymmetricCipherKeyPair generate(SignatureSuite suite) {
    if (suite == SignatureSuite.ED25519) {
      Ed25519KeyPairGenerator g = new Ed25519KeyPairGenerator();
      g.init(new Ed25519KeyGenerationParameters(RANDOM));
      return g.generateKeyPair();
    }
    ECKeyPairGenerator g = new ECKeyPairGenerator();
    g.init(
        new ECKeyGenerationParameters(
            domain(suite == SignatureSuite.SM2_SM3 ? SM2 : P256), RANDOM));
    return g.generateKeyPair();
  }

  private static ECNamedDomainParameters domain(ASN1ObjectIdentifier curve) {
    X9ECParameters x9 =
        curve.equals(SM2) ? GMNamedCurves.getByOID(SM2) : ECNamedCurveTable.getByOID(curve);
    return new ECNamedDomainParameters(curve, x9);
  }

  public static AsymmetricKeyParameter privateKey(byte[] pkcs8) throws KeyFormatException {
    try {
      AsymmetricKeyParameter k = PrivateKeyFactory.createKey(pkcs8);
      if (!k.isPrivate()) {
        throw new KeyFormatException("not a private key");
      }
      suiteOf(k);
      return k;
    } catch (IOException | RuntimeException e) {
      throw e instanceof KeyFormatException
          ? (KeyFormatException) e
          : new KeyFormatException("not a readable PKCS#8 private key (damaged or not a key)", e);
    }
  }

  public static AsymmetricKeyParameter publicKey(byte[] spki) throws KeyFormatException {
    try {
      AsymmetricKeyParameter k = PublicKeyFactory.createKey(spki);
      suiteOf(k);
      return k;
    } catch (IOException | RuntimeException e) {
      throw e instanceof KeyFormatException
          ? (KeyFormatException) e
          : new KeyFormatException("not a readable public key (damaged or not a key)", e);
    }
  }

  /** SEC 1 {@code EC PRIVATE KEY} (what {@code openssl ecparam -genkey} writes) to PKCS#8. */
  public static byte[] sec1ToPkcs8(byte[] sec1) throws KeyFormatException {
    try {
      ECPrivateKey k = ECPrivateKey.getInstance(sec1);
      if (k.getParametersObject() == null) {
        throw new KeyFormatException("EC private key without curve parameters");
      }
      return new PrivateKeyInfo(
              new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, k.getParametersObject()),
              k)
          .getEncoded();
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException("not a readable EC private key (damaged or not a key)", e);
    }
  }

  public static SignatureSuite suiteOf(AsymmetricKeyParameter k) throws KeyFormatException {
    if (k instanceof Ed25519PrivateKeyParameters || k instanceof Ed25519PublicKeyParameters) {
      return SignatureSuite.ED25519;
    }
    if (k instanceof ECKeyParameters) {
      ECDomainParameters d = ((ECKeyParameters) k).getParameters();
      if (d instanceof ECNamedDomainParameters) {
        ASN1ObjectIdentifier oid = ((ECNamedDomainParameters) d).getName();
        if (oid.equals(P256)) {
          return SignatureSuite.ECDSA_P256_SHA256;
        }
        if (oid.equals(SM2)) {
          return SignatureSuite.SM2_SM3;
        }
      }
      if (d.getCurve().equals(GMNamedCurves.getByOID(SM2).getCurve())) {
        return SignatureSuite.SM2_SM3;
      }
      if (d.getCurve().equals(ECNamedCurveTable.getByOID(P256).getCurve())) {
        return SignatureSuite.ECDSA_P256_SHA256;
      }
    }
    throw new KeyFormatException(
        "unsupported key type: use Ed25519, EC P-256 or SM2 (got "
            + k.getClass().getSimpleName()
            + ")");
  }

  public static AsymmetricKeyParameter publicOf(AsymmetricKeyParameter priv) {
    if (priv instanceof Ed25519PrivateKeyParameters) {
      return ((Ed25519PrivateKeyParameters) priv).generatePublicKey();
    }
    ECPrivateKeyParameters ec = (ECPrivateKeyParameters) priv;
    return new ECPublicKeyParameters(
        ec.getParameters().getG().multiply(ec.getD()).normalize(), ec.getParameters());
  }

  public static byte[] spki(AsymmetricKeyParameter pub) {
    try {
      return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * PKCS#8 DER. Ed25519 keys are written as version 1 (RFC 8410 without the optional public key):
   * the version 2 form with the public key is not loaded by OpenSSL 3.0.
   */
  public static byte[] pkcs8(AsymmetricKeyParameter priv) {
    try {
      if (priv instanceof Ed25519PrivateKeyParameters) {
        return new PrivateKeyInfo(
                new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                new DEROctetString(((Ed25519PrivateKeyParameters) priv).getEncoded()))
            .getEncoded("DER");
      }
      return PrivateKeyInfoFactory.createPrivateKeyInfo(priv).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- signatures

  public static byte[] sign(SignatureSuite suite, AsymmetricKeyParameter priv, byte[] message) {
    try {
      if (suite == SignatureSuite.ED25519) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, priv);
        s.update(message, 0, message.length);
        return s.generateSignature();
      }
      if (suite == SignatureSuite.ECDSA_P256_SHA256) {
        ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        s.init(true, priv);
        BigInteger[] rs = s.generateSignature(sha256(message));
        return StandardDSAEncoding.INSTANCE.encode(
            ((ECPrivateKeyParameters) priv).getParameters().getN(), rs[0], rs[1]);
      }
      SM2Signer s = new SM2Signer();
      s.init(
          true,
          new ParametersWithID(
              new ParametersWithRandom(priv, RANDOM),
              SignatureSuite.SM2_DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII)));
      s.update(message, 0, message.length);
      return s.generateSignature();
    } catch (CryptoException | IOException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }

  public static boolean verify(
      SignatureSuite suite, AsymmetricKeyParameter pub, byte[] message, byte[] signature) {
    try {
      if (suite == SignatureSuite.ED25519) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(false, pub);
        s.update(message, 0, message.length);
        return s.verifySignature(signature);
      }
      if (suite == SignatureSuite.ECDSA_P256_SHA256) {
        ECDSASigner s = new ECDSASigner();
        s.init(false, pub);
        BigInteger[] rs =
            StandardDSAEncoding.INSTANCE.decode(
                ((ECPublicKeyParameters) pub).getParameters().getN(), signature);
        return s.verifySignature(sha256(message), rs[0], rs[1]);
      }
      SM2Signer s = new SM2Signer();
      s.init(
          false,
          new ParametersWithID(
              pub, SignatureSuite.SM2_DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII)));
      s.update(message, 0, message.length);
      return s.verifySignature(signature);
    } catch (IOException | RuntimeException e) {
      return false; // malformed signature encodings are invalid signatures
    }
  }

  private static byte[] sha256(byte[] m) {
    SHA256Digest d = new SHA256Digest();
    d.update(m, 0, m.length);
    byte[] out = new byte[32];
    d.doFinal(out, 0);
    return out;
  }

  // ---------------------------------------------------------------- PEM

  /** One PEM block: its label and DER bytes. */
  public static final class PemBlock {
    public final String label;
    public final byte[] der;

    PemBlock(String label, byte[] der) {
      this.label = label;
      this.der = der;
    }
  }

  public static List<PemBlock> readPem(String text, String what) throws KeyFormatException {
    List<PemBlock> out = new ArrayList<>();
    int i = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", i);
      if (begin < 0) {
        break;
      }
      int labelEnd = text.indexOf("-----", begin + 11);
      if (labelEnd < 0) {
        throw new KeyFormatException(what + ": unterminated PEM header");
      }
      String label = text.substring(begin + 11, labelEnd);
      String endMarker = "-----END " + label + "-----";
      int end = text.indexOf(endMarker, labelEnd);
      if (end < 0) {
        throw new KeyFormatException(what + ": PEM block '" + label + "' has no end line");
      }
      String body = text.substring(labelEnd + 5, end);
      if (body.contains("Proc-Type:") || body.contains("DEK-Info:")) {
        throw new KeyFormatException(what + ": encrypted PEM keys are not supported");
      }
      try {
        out.add(new PemBlock(label, Base64.getMimeDecoder().decode(body.trim())));
      } catch (IllegalArgumentException e) {
        throw new KeyFormatException(what + ": PEM block '" + label + "' is not base64");
      }
      i = end + endMarker.length();
    }
    if (out.isEmpty()) {
      String kind =
          org.evidencekit.internal.io.FileKind.describe(
                  text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
              .orElse("binary data");
      throw new KeyFormatException(
          what + " is not a PEM file (it looks like " + kind + "): expected -----BEGIN lines");
    }
    return out;
  }

  public static String pem(String label, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
  }

  // ---------------------------------------------------------------- certificates

  public static X509CertificateHolder certificate(byte[] der) throws KeyFormatException {
    try {
      return new X509CertificateHolder(der);
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException("not a readable X.509 certificate (damaged or not one)", e);
    }
  }

  /** Whether {@code cert} carries a valid signature by {@code issuer}'s key. */
  public static boolean issuedBy(X509CertificateHolder cert, X509CertificateHolder issuer) {
    try {
      if (!cert.getIssuer().equals(issuer.getSubject())) {
        return false;
      }
      ContentVerifierProvider v =
          new JcaContentVerifierProviderBuilder().setProvider(bouncyCastle()).build(issuer);
      return cert.isSignatureValid(v);
    } catch (Exception e) {
      return false;
    }
  }
}
