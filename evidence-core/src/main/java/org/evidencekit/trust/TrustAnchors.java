package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.evidencekit.internal.trust.Crypto;

/**
 * What a verifier trusts, given explicitly and never taken from the seal: public keys (the key
 * itself is trusted) and CA certificates (keys certified by them are trusted). Read from PEM files
 * holding {@code PUBLIC KEY} and/or {@code CERTIFICATE} blocks.
 */
public final class TrustAnchors {
  private final List<byte[]> publicKeys;
  private final List<X509CertificateHolder> certificates;

  private TrustAnchors(List<byte[]> publicKeys, List<X509CertificateHolder> certificates) {
    this.publicKeys = publicKeys;
    this.certificates = certificates;
  }

  /** Trusts nothing. */
  public static TrustAnchors none() {
    return new TrustAnchors(List.of(), List.of());
  }

  /** Trusts these public keys (SubjectPublicKeyInfo DER). */
  public static TrustAnchors ofPublicKeys(List<byte[]> spkiDer) throws KeyFormatException {
    List<byte[]> keys = new ArrayList<>();
    for (byte[] k : spkiDer) {
      Crypto.publicKey(k);
      keys.add(k.clone());
    }
    return new TrustAnchors(keys, List.of());
  }

  /** Reads every {@code PUBLIC KEY} and {@code CERTIFICATE} block of the files. */
  public static TrustAnchors fromPem(List<Path> files) throws IOException {
    List<byte[]> keys = new ArrayList<>();
    List<X509CertificateHolder> certs = new ArrayList<>();
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
        }
      }
      if (!any) {
        throw new KeyFormatException(f + ": no PUBLIC KEY or CERTIFICATE block");
      }
    }
    return new TrustAnchors(keys, certs);
  }

  public boolean isEmpty() {
    return publicKeys.isEmpty() && certificates.isEmpty();
  }

  /** Whether this exact public key is trusted. */
  public boolean trustsKey(byte[] spkiDer) {
    for (byte[] k : publicKeys) {
      if (Arrays.equals(k, spkiDer)) {
        return true;
      }
    }
    for (X509CertificateHolder c : certificates) {
      try {
        if (Arrays.equals(c.getSubjectPublicKeyInfo().getEncoded("DER"), spkiDer)) {
          return true;
        }
      } catch (IOException e) {
        // unreadable anchor key: not a match
      }
    }
    return false;
  }

  /** The anchor certificates. Internal use. */
  List<X509CertificateHolder> certificates() {
    return certificates;
  }

  /**
   * Whether the chain (leaf first) leads to a trusted key: the leaf's key is trusted, or each
   * certificate is issued by the next and the last by an anchor certificate (or is one).
   */
  public boolean trustsChain(List<byte[]> chainDer) {
    try {
      List<X509CertificateHolder> chain = new ArrayList<>();
      for (byte[] c : chainDer) {
        chain.add(Crypto.certificate(c));
      }
      if (chain.isEmpty()) {
        return false;
      }
      for (int i = 0; i < chain.size(); i++) {
        X509CertificateHolder c = chain.get(i);
        if (trustsKey(c.getSubjectPublicKeyInfo().getEncoded("DER"))) {
          return true;
        }
        for (X509CertificateHolder anchor : certificates) {
          if (Crypto.issuedBy(c, anchor)) {
            return true;
          }
        }
        if (i + 1 < chain.size() && !Crypto.issuedBy(c, chain.get(i + 1))) {
          return false;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
