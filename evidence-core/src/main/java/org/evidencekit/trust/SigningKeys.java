package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.evidencekit.internal.io.FileKind;
import org.evidencekit.internal.trust.Crypto;
import org.jspecify.annotations.Nullable;

/**
 * Signing keys from files and memory: PEM (PKCS#8 {@code PRIVATE KEY} or SEC 1 {@code EC PRIVATE
 * KEY}, as OpenSSL writes them), PKCS#12 keystores, and fresh keys. The suite follows from the key:
 * Ed25519, EC P-256 or SM2.
 */
public final class SigningKeys {
  /**
   * Largest key, certificate, trust-anchor or keystore file read: a key is under 1 KiB, a chain or
   * keystore a few KiB, a whole CA bundle a few hundred KiB. Anything bigger is not a key file.
   */
  private static final int MAX_FILE = 1 << 20;

  private SigningKeys() {}

  /** A signing key held in memory. */
  public static final class LocalSigningKey implements SigningKeyProvider {
    private final SignatureSuite suite;
    private final AsymmetricKeyParameter privateKey;
    private final byte[] publicKey;
    private final List<byte[]> chain;

    LocalSigningKey(AsymmetricKeyParameter privateKey, List<byte[]> chain)
        throws KeyFormatException {
      this.suite = Crypto.suiteOf(privateKey);
      this.privateKey = privateKey;
      this.publicKey = Crypto.spki(Crypto.publicOf(privateKey));
      List<byte[]> copy = new ArrayList<>();
      chain.forEach(c -> copy.add(c.clone()));
      this.chain = Collections.unmodifiableList(copy);
      if (!chain.isEmpty()) {
        byte[] certKey;
        try {
          certKey = Crypto.certificate(chain.get(0)).getSubjectPublicKeyInfo().getEncoded("DER");
        } catch (IOException e) {
          throw new KeyFormatException("unreadable certificate key: " + e.getMessage(), e);
        }
        if (!Arrays.equals(certKey, publicKey)) {
          throw new KeyFormatException("the certificate is not for this private key");
        }
      }
    }

    @Override
    public SignatureSuite suite() {
      return suite;
    }

    @Override
    public byte[] publicKeyDer() {
      return publicKey.clone();
    }

    @Override
    public List<byte[]> certificateChainDer() {
      List<byte[]> out = new ArrayList<>();
      chain.forEach(c -> out.add(c.clone()));
      return out;
    }

    @Override
    public byte[] sign(byte[] message) {
      requireNonNull(message, "message");
      return Crypto.sign(suite, privateKey, message);
    }

    /** The private key as a PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public String privateKeyPem() {
      return Crypto.pem("PRIVATE KEY", Crypto.pkcs8(privateKey));
    }

    /** The public key as a PEM ({@code -----BEGIN PUBLIC KEY-----}), for trust anchors. */
    public String publicKeyPem() {
      return Crypto.pem("PUBLIC KEY", publicKey);
    }

    /** This key with a certificate chain (DER, leaf first) for its public key. */
    public LocalSigningKey withCertificateChain(List<byte[]> chainDer) throws KeyFormatException {
      return new LocalSigningKey(privateKey, chainDer);
    }
  }

  /** A fresh key of {@code suite}. */
  public static LocalSigningKey generate(SignatureSuite suite) {
    requireNonNull(suite, "suite");
    AsymmetricCipherKeyPair kp = Crypto.generate(suite);
    try {
      return new LocalSigningKey(kp.getPrivate(), List.of());
    } catch (KeyFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Reads a PEM private key, and optionally a PEM certificate (chain, leaf first) for it.
   *
   * @throws KeyFormatException naming the file and what is wrong
   */
  public static LocalSigningKey readPem(Path privateKeyPem, @Nullable Path certificatePem)
      throws IOException {
    requireNonNull(privateKeyPem, "privateKeyPem");
    AsymmetricKeyParameter key = null;
    Set<String> labels = new LinkedHashSet<>();
    for (Crypto.PemBlock b : Crypto.readPem(read(privateKeyPem), privateKeyPem.toString())) {
      labels.add(b.label);
      try {
        if (b.label.equals("PRIVATE KEY")) {
          key = Crypto.privateKey(b.der);
        } else if (b.label.equals("EC PRIVATE KEY")) {
          key = Crypto.privateKey(Crypto.sec1ToPkcs8(b.der));
        }
      } catch (KeyFormatException e) {
        throw new KeyFormatException(
            privateKeyPem + ": its " + b.label + " block is " + e.getMessage(), e);
      }
      if (b.label.equals("ENCRYPTED PRIVATE KEY")) {
        throw new KeyFormatException(
            privateKeyPem + ": encrypted keys are not supported; use PKCS#12 with a password");
      }
    }
    if (key == null) {
      // a public key or a certificate given where the private key was expected
      throw new KeyFormatException(
          privateKeyPem
              + " holds "
              + String.join(", ", labels)
              + ", not a private key: expected -----BEGIN PRIVATE KEY----- (or EC PRIVATE KEY)");
    }
    List<byte[]> chain = new ArrayList<>();
    if (certificatePem != null) {
      for (Crypto.PemBlock b : Crypto.readPem(read(certificatePem), certificatePem.toString())) {
        if (b.label.equals("CERTIFICATE")) {
          Crypto.certificate(b.der);
          chain.add(b.der);
        }
      }
      if (chain.isEmpty()) {
        throw new KeyFormatException(certificatePem + ": no CERTIFICATE block");
      }
    }
    return new LocalSigningKey(key, chain);
  }

  /**
   * Reads the first private key entry of a PKCS#12 keystore, with its certificate chain.
   *
   * @throws KeyFormatException for a wrong password, no key entry or an unsupported key
   */
  public static LocalSigningKey readPkcs12(Path keystore, char[] password) throws IOException {
    requireNonNull(keystore, "keystore");
    requireNonNull(password, "password");
    byte[] all = readBounded(keystore);
    byte[] head = Arrays.copyOf(all, Math.min(64, all.length));
    if (head.length < 2 || (head[0] & 0xff) != 0x30) {
      // not DER at all: say what it is rather than what the keystore parser met
      throw new KeyFormatException(
          keystore
              + " is not a PKCS#12 keystore (it looks like "
              + FileKind.describe(head).orElse("binary data")
              + ")");
    }
    // parsed from the bytes read: the parser then never reads past the bound, whatever length
    // the file's DER header declares
    try (InputStream in = new java.io.ByteArrayInputStream(all)) {
      KeyStore ks = KeyStore.getInstance("PKCS12", Crypto.bouncyCastle());
      ks.load(in, password);
      Enumeration<String> aliases = ks.aliases();
      while (aliases.hasMoreElements()) {
        String alias = aliases.nextElement();
        if (!ks.isKeyEntry(alias)) {
          continue;
        }
        java.security.Key k = ks.getKey(alias, password);
        List<byte[]> chain = new ArrayList<>();
        Certificate[] certs = ks.getCertificateChain(alias);
        if (certs != null) {
          for (Certificate c : certs) {
            chain.add(c.getEncoded());
          }
        }
        return new LocalSigningKey(Crypto.privateKey(k.getEncoded()), chain);
      }
      throw new KeyFormatException(keystore + ": no private key entry");
    } catch (GeneralSecurityException e) {
      throw new KeyFormatException(keystore + ": " + e.getMessage(), e);
    } catch (IOException e) {
      if (e instanceof KeyFormatException || e instanceof java.nio.file.NoSuchFileException) {
        throw e;
      }
      throw new KeyFormatException(
          keystore + ": not a readable PKCS#12 keystore, or the password is wrong", e);
    } catch (RuntimeException e) {
      // the keystore parser's own words about a damaged ASN.1 structure mean nothing to a user
      throw new KeyFormatException(keystore + ": a damaged PKCS#12 keystore", e);
    }
  }

  static String read(Path p) throws IOException {
    return new String(readBounded(p), StandardCharsets.US_ASCII);
  }

  /**
   * The bytes of a key, certificate or keystore file, reading at most one byte past {@link
   * #MAX_FILE}: a file that is larger (or a device that never ends) is refused, not read whole.
   */
  private static byte[] readBounded(Path p) throws IOException {
    return org.evidencekit.internal.io.BoundedFiles.readRegularFile(
        p,
        MAX_FILE,
        size ->
            new KeyFormatException(
                p + " is larger than 1 MiB (" + MAX_FILE + " bytes): not a key file"));
  }
}
