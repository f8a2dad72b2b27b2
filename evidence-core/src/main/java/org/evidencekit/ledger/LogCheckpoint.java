package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.evidencekit.hash.Digest;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.internal.note.NoteKeys;
import org.evidencekit.internal.note.SignedNote;
import org.evidencekit.internal.trust.Crypto;
import org.evidencekit.trust.KeyFormatException;
import org.evidencekit.trust.KeyIds;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * A signed statement of the log's size and root: whoever holds it can demand an inclusion proof for
 * any entry and a consistency proof to any later checkpoint, so the log can only ever grow.
 *
 * <p>Written as a C2SP {@code tlog-checkpoint} signed note (origin line, tree size, base64 root),
 * so transparency-log tools, witnesses and monitors read it; Ed25519 log keys make standard note
 * signatures (type {@code 0x01}), P-256 keys the transparency-dev ECDSA type ({@code 0x02}) and SM2
 * keys a private-use type (docs/ledger.md). Witnesses add C2SP {@code tlog-cosignature} lines
 * ({@link Witness}). Checkpoints of the earlier JSON form ({@value #FORMAT}) are still read and
 * verified. Every signature is checked over the bytes as written, never over a re-rendering.
 */
public final class LogCheckpoint {
  /** The earlier JSON form, read and verified, no longer written. */
  public static final String FORMAT = "evidencekit.ledger-checkpoint/1";

  /** The readable JSON view of a note checkpoint ({@link #toJson}). */
  public static final String NOTE_JSON_FORMAT = "evidencekit.ledger-checkpoint/2";

  private static final StrictJson JSON = new StrictJson(LedgerException::new);

  private final String origin;
  private final long size;
  private final Digest root;
  private final SignedNote note;

  // the JSON form only
  private final String timeText;
  private final String suite;
  private final String keyId;
  private final byte[] publicKey;
  private final byte[] signature;

  private LogCheckpoint(String origin, long size, Digest root, SignedNote note) {
    this.origin = origin;
    this.size = size;
    this.root = root;
    this.note = note;
    this.timeText = null;
    this.suite = null;
    this.keyId = null;
    this.publicKey = null;
    this.signature = null;
  }

  private LogCheckpoint(
      long size,
      Digest root,
      String timeText,
      String suite,
      String keyId,
      byte[] publicKey,
      byte[] signature) {
    this.origin = "";
    this.size = size;
    this.root = root;
    this.note = null;
    this.timeText = timeText;
    this.suite = suite;
    this.keyId = keyId;
    this.publicKey = publicKey;
    this.signature = signature;
  }

  /** The note text of a checkpoint: origin, size and base64 root, one per line. */
  static byte[] noteText(String origin, long size, Digest root) {
    return (origin
            + "\n"
            + size
            + "\n"
            + Base64.getEncoder().encodeToString(root.toByteArray())
            + "\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Signs a checkpoint note; the signature line is named after the origin. */
  static LogCheckpoint sign(String origin, long size, Digest root, SigningKeyProvider key)
      throws IOException {
    checkOrigin(origin);
    if (size < 0 || size > CanonicalJson.MAX_SAFE_INTEGER) {
      // parse refuses such a note (see parseNote), so none is signed
      throw new IllegalArgumentException("a tree size of 0 to 2^53 - 1, not " + size);
    }
    byte[] text = noteText(origin, size, root);
    int id = NoteKeys.logKeyId(origin, key.suite(), key.publicKeyDer());
    SignedNote n =
        SignedNote.of(text, List.of(new SignedNote.Signature(origin, id, key.sign(text))));
    return new LogCheckpoint(origin, size, root, n);
  }

  /**
   * The note verifier key of a log key under {@code origin}, {@code name+keyid+base64(type ||
   * key)}: what transparency-log tools take to check this log's checkpoints (for Ed25519 keys, Go's
   * {@code golang.org/x/mod/sumdb/note} reads it as is).
   */
  public static String verifierKey(String origin, byte[] publicKeyDer) throws KeyFormatException {
    checkOrigin(origin);
    requireNonNull(publicKeyDer, "publicKeyDer");
    SignatureSuite suite = Crypto.suiteOf(Crypto.publicKey(publicKeyDer));
    return NoteKeys.verifierKey(
        origin,
        NoteKeys.logKeyId(origin, suite, publicKeyDer),
        NoteKeys.typeAndKey(suite, publicKeyDer));
  }

  static void checkOrigin(String origin) {
    requireNonNull(origin, "origin");
    if (origin.isEmpty()
        || origin.length() > 256
        || origin.chars().anyMatch(c -> c == '+' || c <= 0x20 || Character.isSpaceChar(c))) {
      throw new IllegalArgumentException(
          "a log origin is a non-empty name without spaces or '+', such as"
              + " ledger.bureau-7.example/evidence; got '"
              + origin
              + "'");
    }
  }

  /** The log's name, from the checkpoint's first line (empty for the earlier JSON form). */
  public String origin() {
    return origin;
  }

  public long size() {
    return size;
  }

  public Digest root() {
    return root;
  }

  /**
   * The time the earlier JSON form states. A C2SP checkpoint states none: the times that count are
   * its witnesses' cosignature times ({@link WitnessPolicy#cosignatures}).
   */
  public Optional<Instant> time() {
    return timeText == null ? Optional.empty() : Optional.of(Instant.parse(timeText));
  }

  /**
   * Who signed: for the JSON form the seal-style key id, for a note the first signature line's
   * {@code name+keyid}.
   */
  public String keyId() {
    if (note == null) {
      return keyId;
    }
    SignedNote.Signature s = note.signatures().get(0);
    return s.name() + "+" + HexFormat.of().toHexDigits(s.keyId());
  }

  /** Whether this is a C2SP signed note (not the earlier JSON form). */
  public boolean isNote() {
    return note != null;
  }

  SignedNote note() {
    return note;
  }

  /** The note text (origin, size, root lines) that every note signature covers. */
  byte[] text() {
    return note.text();
  }

  /** This checkpoint with one more signature line. */
  LogCheckpoint with(SignedNote.Signature s) {
    return new LogCheckpoint(origin, size, root, note.with(s));
  }

  /**
   * Whether a trusted key signed it: some signature line matches a trusted key (by the key id
   * computed from the line's name and the key) and verifies over the text as written, and no line
   * that matches a trusted key fails to verify. Witness cosignatures are checked by {@link
   * WitnessPolicy}.
   */
  public boolean verify(TrustAnchors anchors) {
    requireNonNull(anchors, "anchors");
    if (note == null) {
      return verifyJson(anchors);
    }
    byte[] text = note.text();
    boolean verified = false;
    for (SignedNote.Signature s : note.signatures()) {
      for (byte[] spki : anchors.keys()) {
        SignatureSuite suite;
        int id;
        try {
          suite = Crypto.suiteOf(Crypto.publicKey(spki));
          id = NoteKeys.logKeyId(s.name(), suite, spki);
        } catch (KeyFormatException e) {
          continue;
        }
        if (id != s.keyId()) {
          continue;
        }
        if (!NoteKeys.verify(suite, spki, text, s.value())) {
          return false; // a known key's signature that fails: the note was altered
        }
        verified = true;
      }
    }
    return verified;
  }

  private boolean verifyJson(TrustAnchors anchors) {
    SignatureSuite s = SignatureSuite.forName(suite).orElse(null);
    if (s == null || !KeyIds.of(publicKey).equals(keyId) || !anchors.trustsKey(publicKey)) {
      return false;
    }
    try {
      AsymmetricKeyParameter pub = Crypto.publicKey(publicKey);
      return Crypto.suiteOf(pub) == s
          && Crypto.verify(s, pub, jsonPayload(size, root.hex(), timeText), signature);
    } catch (KeyFormatException e) {
      return false;
    }
  }

  private static byte[] jsonPayload(long size, String rootHex, String time) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("size", size);
    m.put("root", rootHex);
    m.put("time", time);
    return CanonicalJson.encode(m);
  }

  /** The checkpoint as written: the signed note, or the earlier form's canonical JSON. */
  public byte[] encoded() {
    return note != null ? note.encoded() : legacyJson();
  }

  private byte[] legacyJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("size", size);
    m.put("root", root.hex());
    m.put("time", timeText);
    Map<String, Object> sig = new LinkedHashMap<>();
    sig.put("suite", suite);
    sig.put("keyId", keyId);
    sig.put("publicKey", Base64.getEncoder().encodeToString(publicKey));
    sig.put("value", Base64.getEncoder().encodeToString(signature));
    m.put("signature", sig);
    return CanonicalJson.encode(m);
  }

  /**
   * A readable JSON form: for a note, origin, size and hex root beside the note itself (which
   * {@link #parse} takes as the authority and checks the other members against); for the earlier
   * form, that JSON.
   */
  public byte[] toJson() {
    if (note == null) {
      return legacyJson();
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", NOTE_JSON_FORMAT);
    m.put("origin", origin);
    m.put("size", size);
    m.put("root", root.hex());
    m.put("note", new String(note.encoded(), StandardCharsets.UTF_8));
    return CanonicalJson.encode(m);
  }

  /** Reads a checkpoint: a C2SP note, its JSON view, or the earlier JSON form. */
  public static LogCheckpoint parse(byte[] bytes) throws LedgerException {
    requireNonNull(bytes, "bytes");
    if (bytes.length > SignedNote.MAX_BYTES * 2) {
      throw new LedgerException("a checkpoint larger than " + SignedNote.MAX_BYTES * 2 + " bytes");
    }
    if (bytes.length > 0 && bytes[0] == '{') {
      return parseJson(bytes);
    }
    return parseNote(bytes);
  }

  static LogCheckpoint parseNote(byte[] bytes) throws LedgerException {
    SignedNote n;
    try {
      n = SignedNote.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw new LedgerException("not a checkpoint note: " + e.getMessage());
    }
    String[] lines = new String(n.text(), StandardCharsets.UTF_8).split("\n", -1);
    // the text ends with a newline, so the split ends with one empty string
    if (lines.length < 4) {
      throw new LedgerException("a checkpoint has at least three lines: origin, size, root");
    }
    for (int i = 0; i < lines.length - 1; i++) {
      if (lines[i].isEmpty()) {
        throw new LedgerException("a checkpoint line is empty (line " + (i + 1) + ")");
      }
    }
    String origin = lines[0];
    if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw new LedgerException("the tree size '" + lines[1] + "' is not a decimal number");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new LedgerException("the tree size '" + lines[1] + "' is too large");
    }
    // the note allows any 64-bit size, but a ledger's sizes travel in canonical JSON (this
    // checkpoint's own JSON view, proofs, bundles), exact only up to 2^53 - 1
    if (size > CanonicalJson.MAX_SAFE_INTEGER) {
      throw new LedgerException(
          "the tree size "
              + size
              + " is past 2^53 - 1, the largest a ledger's JSON documents can carry");
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new LedgerException("the root hash is not base64");
    }
    if (root.length != 32 || !Base64.getEncoder().encodeToString(root).equals(lines[2])) {
      throw new LedgerException("the root hash is not 32 bytes in canonical base64");
    }
    return new LogCheckpoint(origin, size, Digest.of(root), n);
  }

  private static LogCheckpoint parseJson(byte[] json) throws LedgerException {
    try {
      JsonNode top = JSON.parse(json);
      if (top != null && top.has("note")) {
        JsonNode n =
            JSON.requireObject(
                top, "checkpoint", Set.of("format", "origin", "size", "root", "note"));
        if (!JSON.string(n, "format").equals(NOTE_JSON_FORMAT)) {
          throw new LedgerException("not a ledger checkpoint");
        }
        LogCheckpoint cp = parseNote(JSON.string(n, "note").getBytes(StandardCharsets.UTF_8));
        if (!cp.origin.equals(JSON.string(n, "origin"))
            || cp.size != JSON.integer(n, "size", 0, Long.MAX_VALUE)
            || !Arrays.equals(cp.root.toByteArray(), JSON.hex(n, "root", 32))) {
          throw new LedgerException("the checkpoint's JSON members disagree with its note");
        }
        return cp;
      }
      JsonNode n =
          JSON.requireObject(
              top, "checkpoint", Set.of("format", "size", "root", "time", "signature"));
      if (!JSON.string(n, "format").equals(FORMAT)) {
        throw new LedgerException("not a ledger checkpoint");
      }
      JsonNode s = JSON.object(n, "signature", Set.of("suite", "keyId", "publicKey", "value"));
      String time = JSON.string(n, "time");
      Instant.parse(time);
      LogCheckpoint cp =
          new LogCheckpoint(
              JSON.integer(n, "size", 0, CanonicalJson.MAX_SAFE_INTEGER),
              Digest.of(JSON.hex(n, "root", 32)),
              time,
              JSON.string(s, "suite"),
              JSON.string(s, "keyId"),
              JSON.base64(s, "publicKey"),
              JSON.base64(s, "value"));
      // the signature covers canonical bytes: a stored form that would be re-rendered before
      // checking (another spelling of the root, the time, a number) is refused, not normalised
      if (!Arrays.equals(cp.legacyJson(), json)) {
        throw new LedgerException(
            "the checkpoint is not in its canonical form, so its bytes are not the ones signed");
      }
      return cp;
    } catch (LedgerException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (e instanceof DateTimeParseException) {
        throw new LedgerException("bad ledger checkpoint time: " + e.getMessage());
      }
      throw new LedgerException("bad ledger checkpoint: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "checkpoint "
        + (origin.isEmpty() ? "" : origin + " ")
        + "size "
        + size
        + " root "
        + root
        + (timeText == null ? "" : " at " + timeText);
  }
}
