package org.evidencekit.trust;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.internal.trust.CertificatePaths;
import org.evidencekit.internal.trust.Crypto;

/**
 * What a verifier trusts, given explicitly and never taken from the seal: public keys (the key
 * itself is trusted) and certificates (keys certified through a chain that passes RFC 5280 path
 * validation up to one of them are trusted), plus certificate revocation lists supplied offline.
 * Read from PEM files holding {@code PUBLIC KEY}, {@code CERTIFICATE} and {@code X509 CRL} blocks.
 *
 * <p>A key can be revoked by its key id, whether it is trusted bare or through a certificate: a CRL
 * cannot name a bare key, and a stolen key is stolen whatever vouches for it. A trust or CRL file
 * says so in a line of its own, outside the PEM blocks: {@code revoked-key sha256:<64 hex>
 * <ISO-8601 UTC instant>}. A revoked key's signature counts only when a verified timestamp attests
 * that it was made before the revocation; a time the signer wrote itself does not (R-05, R-18).
 */
public final class TrustAnchors {
  private static final String REVOKED_KEY = "revoked-key";
  private static final Pattern MEANT_AS_REVOKED_KEY =
      Pattern.compile("revoked[-_\\s]*keys?(\\s|:|$)", Pattern.CASE_INSENSITIVE);

  private final List<byte[]> publicKeys;
  private final List<X509CertificateHolder> certificates;
  private final List<X509CRLHolder> crls;
  private final Map<String, Instant> revokedKeys;

  private TrustAnchors(
      List<byte[]> publicKeys,
      List<X509CertificateHolder> certificates,
      List<X509CRLHolder> crls,
      Map<String, Instant> revokedKeys) {
    this.publicKeys = List.copyOf(publicKeys);
    this.certificates = List.copyOf(certificates);
    this.crls = List.copyOf(crls);
    this.revokedKeys = Map.copyOf(revokedKeys);
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
    return new TrustAnchors(List.of(), List.of(), List.of(), Map.of());
  }

  /** Trusts these public keys (SubjectPublicKeyInfo DER). */
  public static TrustAnchors ofPublicKeys(List<byte[]> spkiDer) throws KeyFormatException {
    List<byte[]> keys = new ArrayList<>();
    for (byte[] k : requireNonNull(spkiDer, "spkiDer")) {
      Crypto.publicKey(k);
      keys.add(k.clone());
    }
    return new TrustAnchors(keys, List.of(), List.of(), Map.of());
  }

  /** Trusts these certificates (DER) as anchors of certification paths. */
  public static TrustAnchors ofCertificates(List<byte[]> certificatesDer)
      throws KeyFormatException {
    List<X509CertificateHolder> certs = new ArrayList<>();
    for (byte[] c : requireNonNull(certificatesDer, "certificatesDer")) {
      certs.add(Crypto.certificate(c));
    }
    return new TrustAnchors(List.of(), certs, List.of(), Map.of());
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
    return new TrustAnchors(publicKeys, certificates, all, revokedKeys);
  }

  /**
   * These anchors with the key {@code keyId} ({@code sha256:} and 64 lowercase hex digits, as
   * {@link KeyIds#of} gives and seals carry) revoked at {@code revokedAt}: its signatures count
   * only when a verified timestamp attests a time before then ({@link #keyRevocationProblem}), and
   * it no longer signs anything that carries no such time ({@link #trustsKey}, {@link #keys}).
   *
   * @throws IllegalArgumentException if {@code keyId} is not a key id, or the key is already
   *     revoked at another time
   */
  public TrustAnchors withRevokedKey(String keyId, Instant revokedAt) {
    requireNonNull(keyId, "keyId");
    requireNonNull(revokedAt, "revokedAt");
    Map<String, Instant> all = new LinkedHashMap<>(revokedKeys);
    revoke(all, keyId, revokedAt);
    return new TrustAnchors(publicKeys, certificates, crls, all);
  }

  /**
   * These anchors with the keys {@code other} revokes revoked here too, each at the earlier of the
   * two times when both revoke it: a revoked key is stolen whatever role it was trusted in, so a
   * {@code revoked-key} line in the signers' trust file also withdraws a TSA's key, and one in the
   * TSAs' file a station's (R-05, R-18).
   */
  TrustAnchors withRevokedKeysOf(TrustAnchors other) {
    if (other.revokedKeys.isEmpty()) {
      return this;
    }
    Map<String, Instant> all = new LinkedHashMap<>(revokedKeys);
    other.revokedKeys.forEach((k, at) -> all.merge(k, at, (a, b) -> a.isBefore(b) ? a : b));
    return new TrustAnchors(publicKeys, certificates, crls, all);
  }

  private static void revoke(Map<String, Instant> into, String keyId, Instant revokedAt) {
    if (!keyId.startsWith("sha256:") || !StrictJson.isLowerHex(keyId.substring(7), 64)) {
      throw new IllegalArgumentException(
          "not a key id (sha256: and 64 lowercase hex digits): '" + keyId + "'");
    }
    Instant before = into.putIfAbsent(keyId, revokedAt);
    if (before != null && !before.equals(revokedAt)) {
      throw new IllegalArgumentException(
          "key " + keyId + " is revoked twice, at " + before + " and at " + revokedAt);
    }
  }

  /**
   * These anchors with the {@code X509 CRL} blocks and {@code revoked-key} lines of the files (each
   * must hold at least one).
   */
  public TrustAnchors withRevocationListsFromPem(List<Path> files) throws IOException {
    List<X509CRLHolder> all = new ArrayList<>(crls);
    Map<String, Instant> revoked = new LinkedHashMap<>(revokedKeys);
    for (Path f : requireNonNull(files, "files")) {
      String text = SigningKeys.read(f);
      boolean any = revokedKeyLines(text, f.toString(), revoked);
      for (Crypto.PemBlock b : blocks(text, f.toString(), any)) {
        if (b.label.equals("X509 CRL")) {
          all.add(crl(b.der));
          any = true;
        }
      }
      if (!any) {
        throw new KeyFormatException(f + ": no X509 CRL block and no revoked-key line");
      }
    }
    return new TrustAnchors(publicKeys, certificates, all, revoked);
  }

  /** The PEM blocks of a file; none, rather than an error, when it holds revoked-key lines only. */
  private static List<Crypto.PemBlock> blocks(String text, String what, boolean hasRevokedKeys)
      throws KeyFormatException {
    if (hasRevokedKeys && !text.contains("-----BEGIN ")) {
      return List.of();
    }
    return Crypto.readPem(text, what);
  }

  /**
   * Adds the file's {@code revoked-key} lines; returns whether it has any. A line outside the PEM
   * blocks that begins with "revoked key" in any spelling ({@code Revoked-Key}, {@code
   * revoked_key}, {@code revokedkeys}) is meant as one, so one that does not read is an error,
   * never ignored: a misspelt revocation silently left out would keep trusting a stolen key. Other
   * text stays ignored, as in any PEM file ({@code openssl crl -text} writes "Revoked
   * Certificates:").
   */
  private static boolean revokedKeyLines(String text, String what, Map<String, Instant> into)
      throws KeyFormatException {
    boolean any = false;
    boolean inBlock = false;
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.startsWith("-----BEGIN ")) {
        inBlock = true;
      } else if (line.startsWith("-----END ")) {
        inBlock = false;
      }
      if (inBlock || !MEANT_AS_REVOKED_KEY.matcher(line).lookingAt()) {
        continue;
      }
      String[] parts = line.split("[ \\t]+");
      String where = what + ", line " + (i + 1) + ": ";
      if (parts.length != 3 || !parts[0].equals(REVOKED_KEY)) {
        throw new KeyFormatException(
            where + "expected 'revoked-key sha256:<64 hex> <UTC time, e.g. 2026-03-01T08:00:00Z>'");
      }
      Instant at;
      try {
        if (!parts[2].endsWith("Z")) {
          throw new DateTimeParseException("not UTC", parts[2], 0);
        }
        at = Instant.parse(parts[2]);
      } catch (DateTimeParseException e) {
        throw new KeyFormatException(
            where + "'" + parts[2] + "' is not a UTC time such as 2026-03-01T08:00:00Z");
      }
      try {
        revoke(into, parts[1], at);
      } catch (IllegalArgumentException e) {
        throw new KeyFormatException(where + e.getMessage());
      }
      any = true;
    }
    return any;
  }

  /**
   * Reads every {@code PUBLIC KEY}, {@code CERTIFICATE} and {@code X509 CRL} block and every {@code
   * revoked-key} line of the files; each file must hold at least one.
   */
  public static TrustAnchors fromPem(List<Path> files) throws IOException {
    List<byte[]> keys = new ArrayList<>();
    List<X509CertificateHolder> certs = new ArrayList<>();
    List<X509CRLHolder> crls = new ArrayList<>();
    Map<String, Instant> revoked = new LinkedHashMap<>();
    for (Path f : requireNonNull(files, "files")) {
      String text = SigningKeys.read(f);
      boolean any = revokedKeyLines(text, f.toString(), revoked);
      for (Crypto.PemBlock b : blocks(text, f.toString(), any)) {
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
        throw new KeyFormatException(
            f + ": no PUBLIC KEY, CERTIFICATE or X509 CRL block and no revoked-key line");
      }
    }
    return new TrustAnchors(keys, certs, crls, revoked);
  }

  private static X509CRLHolder crl(byte[] der) throws KeyFormatException {
    try {
      return new X509CRLHolder(der);
    } catch (IOException | RuntimeException e) {
      throw new KeyFormatException("not a readable X.509 CRL: " + why(e), e);
    }
  }

  /**
   * What a DER parser's failure says: BouncyCastle throws some without a message (an {@link
   * java.io.EOFException} for an indefinite length that ends with the input).
   */
  private static String why(Exception e) {
    if (e instanceof java.io.EOFException) {
      return "its DER encoding ends before its last element";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? "malformed DER (" + e.getClass().getSimpleName() + ")" : m;
  }

  /**
   * Whether there is no key and no certificate to trust (CRLs and revoked keys alone trust
   * nothing).
   */
  public boolean isEmpty() {
    return publicKeys.isEmpty() && certificates.isEmpty();
  }

  /** Whether CRLs were supplied. */
  public boolean checksRevocation() {
    return !crls.isEmpty();
  }

  /**
   * Whether this exact public key is trusted: given as a key, or the key of an anchor certificate
   * that no given CRL of a trusted issuer revokes, and not a revoked key (for checkpoint keys and
   * the signers of disposition records, which carry no certificate and no trusted time, so a
   * revocation at any date counts; seal signers go through {@link #chainProblem} and {@link
   * #keyRevocationProblem} so that the certificate's validity and usage and the signing time are
   * checked).
   */
  public boolean trustsKey(byte[] spkiDer) {
    requireNonNull(spkiDer, "spkiDer");
    if (revokedKeys.containsKey(KeyIds.of(spkiDer))) {
      return false;
    }
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
   * those of anchors a given CRL of a trusted issuer revokes, nor revoked keys.
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
    out.removeIf(k -> revokedKeys.containsKey(KeyIds.of(k)));
    return out;
  }

  /**
   * Why a signature by this key made at {@code at} is not trusted because the key is revoked
   * ({@link #withRevokedKey}); empty when the key is not revoked, or {@code at} is before its
   * revocation and {@code timeAttested} (the time comes from a verified timestamp token). A time
   * the signer wrote itself does not keep a revoked key's signature: whoever holds the key writes
   * any time.
   */
  public Optional<String> keyRevocationProblem(byte[] spkiDer, Instant at, boolean timeAttested) {
    requireNonNull(spkiDer, "spkiDer");
    requireNonNull(at, "at");
    String id = KeyIds.of(spkiDer);
    Instant revokedAt = revokedKeys.get(id);
    if (revokedAt == null || (timeAttested && at.isBefore(revokedAt))) {
      return Optional.empty();
    }
    return Optional.of(
        timeAttested
            ? "the key "
                + id
                + " was revoked at "
                + revokedAt
                + ", and the verified timestamp "
                + at
                + " is not before that"
            : "the key "
                + id
                + " was revoked at "
                + revokedAt
                + ", and no verified timestamp attests that it signed before then (a time its"
                + " holder wrote attests nothing: "
                + at
                + ")");
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
          new CertificatePaths.Revocation(
              crls,
              timeAttested,
              c -> {
                try {
                  return keyRevocationProblem(
                      c.getSubjectPublicKeyInfo().getEncoded("DER"), at, timeAttested);
                } catch (IOException e) {
                  return Optional.of("its key cannot be encoded: " + e.getMessage());
                }
              }));
    } catch (RuntimeException e) {
      // a certificate's parts (a name's strings, an extension) are decoded when first used, and
      // the chain comes with the seal: a part that cannot be decoded is a chain that is not trusted
      return Optional.of("a certificate of the chain cannot be read: " + e.getMessage());
    }
  }
}
