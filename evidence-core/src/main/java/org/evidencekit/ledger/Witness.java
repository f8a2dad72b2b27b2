package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import org.evidencekit.internal.note.NoteKeys;
import org.evidencekit.internal.note.SignedNote;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeyProvider;
import org.evidencekit.trust.TrustAnchors;

/**
 * A witness (e.g. the legal section that spot-checks, Art. 20, R-17): cosigns a checkpoint with a
 * C2SP {@code tlog-cosignature} (Ed25519, timestamped) only after checking that the log signed it
 * and that it is consistent with the last checkpoint this witness cosigned. Cosigned checkpoints
 * keep a log from showing one history to some and another to others, and seed spot checks that
 * nobody can know or steer before the witnesses have signed.
 *
 * <p>The witness keeps its own state (the last checkpoint it cosigned) and passes it in: a witness
 * must never cosign a checkpoint that does not extend it.
 */
public final class Witness {
  private final String name;
  private final SigningKeyProvider key;
  private final byte[] raw;
  private final int keyId;

  private Witness(String name, SigningKeyProvider key, byte[] raw) {
    this.name = name;
    this.key = key;
    this.raw = raw;
    this.keyId = NoteKeys.cosignerKeyId(name, raw);
  }

  /**
   * A witness named {@code name} (a schema-less URL such as {@code legal.bureau-7.example/w1})
   * signing with an Ed25519 key.
   *
   * @throws IllegalArgumentException if the key is not Ed25519 or the name is not a note key name
   */
  public static Witness create(String name, SigningKeyProvider key) throws IOException {
    requireNonNull(name, "name");
    requireNonNull(key, "key");
    LogCheckpoint.checkOrigin(name);
    if (key.suite() != SignatureSuite.ED25519) {
      throw new IllegalArgumentException(
          "C2SP cosignatures are Ed25519: a witness key must be ed25519, not " + key.suite());
    }
    return new Witness(name, key, NoteKeys.ed25519Raw(key.publicKeyDer()));
  }

  public String name() {
    return name;
  }

  /**
   * The verifier key to give to whoever checks cosignatures: {@code name+keyid+base64(0x04 ||
   * key)}, as {@link WitnessPolicy#of} reads it.
   */
  public String verifierKey() {
    return NoteKeys.verifierKey(
        name, keyId, NoteKeys.concat(new byte[] {NoteKeys.COSIGNATURE_V1}, raw));
  }

  /**
   * Checks and cosigns {@code checkpoint}: it must be a note signed by one of {@code logKeys}; if
   * this witness cosigned {@code last} before, the checkpoint must be of the same log, not smaller,
   * the same root at the same size, and a larger one must come with a consistency {@code proof}
   * from {@code last}. Returns the checkpoint with this witness's line added.
   *
   * @param now the cosignature's time, whole seconds since the epoch are signed
   * @throws LedgerException when any check fails, saying which (that nothing is cosigned is the
   *     exception's meaning, not repeated in its message): nothing is signed
   */
  public LogCheckpoint cosign(
      LogCheckpoint checkpoint,
      TrustAnchors logKeys,
      Optional<LogCheckpoint> last,
      Optional<ConsistencyProof> proof,
      Instant now)
      throws IOException {
    requireNonNull(checkpoint, "checkpoint");
    requireNonNull(logKeys, "logKeys");
    requireNonNull(last, "last");
    requireNonNull(proof, "proof");
    requireNonNull(now, "now");
    if (!checkpoint.isNote()) {
      throw new LedgerException("only C2SP checkpoint notes are cosigned");
    }
    if (!checkpoint.verify(logKeys)) {
      throw new LedgerException(
          "the checkpoint is not signed by any of the log keys this witness trusts");
    }
    if (last.isPresent()) {
      LogCheckpoint prev = last.get();
      if (!prev.origin().equals(checkpoint.origin())) {
        throw new LedgerException(
            "the last cosigned checkpoint is of log '"
                + prev.origin()
                + "', this one of '"
                + checkpoint.origin()
                + "'");
      }
      if (checkpoint.size() < prev.size()) {
        throw new LedgerException(
            "the log shrank from "
                + prev.size()
                + " to "
                + EntryCount.of(checkpoint.size())
                + " since this witness cosigned");
      }
      if (checkpoint.size() == prev.size()) {
        if (!checkpoint.root().equals(prev.root())) {
          throw new LedgerException(
              "two different roots for " + EntryCount.of(prev.size()) + ": the log forked");
        }
      } else if (prev.size() > 0) {
        if (proof.isEmpty() || !proof.get().verifyBetween(prev, checkpoint)) {
          throw new LedgerException(
              "no valid consistency proof from "
                  + prev.size()
                  + " to "
                  + EntryCount.of(checkpoint.size()));
        }
      }
    }
    long t = now.getEpochSecond();
    if (t < 0) {
      throw new IllegalArgumentException("a cosignature time before 1970");
    }
    byte[] sig = key.sign(NoteKeys.cosignedMessage(t, checkpoint.text()));
    byte[] value = ByteBuffer.allocate(8 + sig.length).putLong(t).put(sig).array();
    return checkpoint.with(new SignedNote.Signature(name, keyId, value));
  }
}
