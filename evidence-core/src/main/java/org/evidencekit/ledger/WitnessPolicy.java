package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.evidencekit.internal.note.NoteKeys;
import org.evidencekit.internal.note.SignedNote;

/**
 * Which witnesses a verifier relies on and how many must have cosigned a checkpoint (k of n). A
 * cosignature counts when its line's name and key id match a configured witness and its Ed25519
 * signature verifies over {@code cosignature/v1}, its time and the checkpoint text as written;
 * lines of unknown keys are ignored, as the signed-note format requires.
 */
public final class WitnessPolicy {
  private final int quorum;
  private final Map<String, Known> witnesses;

  private static final class Known {
    final String name;
    final int keyId;
    final byte[] raw;

    Known(String name, int keyId, byte[] raw) {
      this.name = name;
      this.keyId = keyId;
      this.raw = raw;
    }
  }

  private WitnessPolicy(int quorum, Map<String, Known> witnesses) {
    this.quorum = quorum;
    this.witnesses = witnesses;
  }

  /**
   * A policy requiring {@code quorum} of these witnesses, each given as a verifier key {@code
   * name+keyid+base64(0x04 || Ed25519 key)} ({@link Witness#verifierKey}).
   *
   * @throws IllegalArgumentException for a malformed or repeated key, or a quorum outside 1..n
   */
  public static WitnessPolicy of(int quorum, List<String> verifierKeys) {
    requireNonNull(verifierKeys, "verifierKeys");
    Map<String, Known> byName = new TreeMap<>();
    for (String vkey : verifierKeys) {
      Known k = parse(requireNonNull(vkey, "verifier key"));
      if (byName.put(k.name, k) != null) {
        throw new IllegalArgumentException("witness " + k.name + " is given twice");
      }
    }
    if (quorum < 1 || quorum > byName.size()) {
      throw new IllegalArgumentException(
          "a quorum of " + quorum + " out of " + byName.size() + " witnesses");
    }
    return new WitnessPolicy(quorum, Collections.unmodifiableMap(byName));
  }

  private static Known parse(String vkey) {
    String[] parts = vkey.trim().split("\\+", 3);
    if (parts.length != 3 || !parts[1].matches("[0-9a-f]{8}")) {
      throw new IllegalArgumentException(
          "a witness verifier key is name+8 hex digits+base64 key, got '" + vkey + "'");
    }
    byte[] typed;
    try {
      typed = Base64.getDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key of witness " + parts[0] + " is not base64");
    }
    if (typed.length != 33 || typed[0] != NoteKeys.COSIGNATURE_V1) {
      throw new IllegalArgumentException(
          "witness " + parts[0] + ": not an Ed25519 cosignature key (type 0x04, 32 bytes)");
    }
    byte[] raw = Arrays.copyOfRange(typed, 1, 33);
    LogCheckpoint.checkOrigin(parts[0]);
    int id = NoteKeys.cosignerKeyId(parts[0], raw);
    if (id != (int) Long.parseLong(parts[1], 16)) {
      throw new IllegalArgumentException(
          "witness " + parts[0] + ": the key id " + parts[1] + " is not this key's");
    }
    return new Known(parts[0], id, raw);
  }

  public int quorum() {
    return quorum;
  }

  /** The configured witnesses' names, in order. */
  public List<String> names() {
    return List.copyOf(witnesses.keySet());
  }

  /**
   * The verified cosignatures on {@code checkpoint} of the configured witnesses: name to the time
   * the witness signed, in name order.
   */
  public Map<String, Instant> cosignatures(LogCheckpoint checkpoint) {
    requireNonNull(checkpoint, "checkpoint");
    Map<String, Instant> out = new LinkedHashMap<>();
    for (Map.Entry<String, SignedNote.Signature> e : verified(checkpoint).entrySet()) {
      long t = ByteBuffer.wrap(e.getValue().value()).getLong();
      out.put(e.getKey(), Instant.ofEpochSecond(t));
    }
    return out;
  }

  /** Each configured witness's name and key id, in name order. */
  Map<String, Integer> keyIds() {
    Map<String, Integer> out = new LinkedHashMap<>();
    witnesses.values().forEach(k -> out.put(k.name, k.keyId));
    return out;
  }

  /** Whether at least {@link #quorum} configured witnesses cosigned. */
  public boolean isSatisfiedBy(LogCheckpoint checkpoint) {
    return cosignatures(checkpoint).size() >= quorum;
  }

  private Map<String, SignedNote.Signature> verified(LogCheckpoint checkpoint) {
    Map<String, SignedNote.Signature> out = new TreeMap<>();
    if (!checkpoint.isNote()) {
      return out;
    }
    byte[] text = checkpoint.text();
    for (SignedNote.Signature s : checkpoint.note().signatures()) {
      Known k = witnesses.get(s.name());
      if (k == null || k.keyId != s.keyId()) {
        continue;
      }
      byte[] v = s.value();
      if (v.length != 8 + 64) {
        continue;
      }
      long t = ByteBuffer.wrap(v).getLong();
      if (t < 0) {
        continue;
      }
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(k.raw, 0));
      byte[] msg = NoteKeys.cosignedMessage(t, text);
      verifier.update(msg, 0, msg.length);
      if (verifier.verifySignature(Arrays.copyOfRange(v, 8, v.length))) {
        out.put(k.name, s);
      }
    }
    return out;
  }

  /**
   * Seed material for a spot check: the checkpoint text and the verified cosignature lines of the
   * configured witnesses, in name order. Nobody can know it before the witnesses have signed.
   *
   * @throws LedgerException if fewer than {@link #quorum} witnesses cosigned
   */
  byte[] seedMaterial(LogCheckpoint checkpoint) throws LedgerException {
    Map<String, SignedNote.Signature> v = verified(checkpoint);
    if (v.size() < quorum) {
      throw new LedgerException(
          "the checkpoint is cosigned by "
              + v.size()
              + " of the "
              + quorum
              + " witnesses required ("
              + String.join(", ", witnesses.keySet())
              + ")");
    }
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(checkpoint.text());
    for (SignedNote.Signature s : v.values()) {
      b.writeBytes(s.line());
    }
    return b.toByteArray();
  }

  @Override
  public String toString() {
    List<String> ids = new ArrayList<>();
    witnesses.values().forEach(k -> ids.add(k.name + "+" + HexFormat.of().toHexDigits(k.keyId)));
    return quorum + " of " + ids;
  }
}
