package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.internal.json.StrictJson;
import org.evidencekit.seal.Seal;
import org.evidencekit.trust.TrustAnchors;
import org.evidencekit.verify.Finding;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;

/**
 * What an exported copy carries: its seal, the ledger's {@code sealed} entry for it, the
 * inclusion proof of that entry, and the signed checkpoint the proof leads to, with the witnesses'
 * cosignatures the log kept for it as further lines of the checkpoint note (C2SP tlog-cosignature;
 * none in a bundle made before a witness cosigned). {@link #verify} needs nothing else: no store,
 * no network. Format {@value #FORMAT}; each part is kept as its exact canonical bytes (base64), so
 * nothing is re-encoded on the way.
 *
 * <p>Checked with the ledger's key alone, a bundle is only as good as that key: whoever holds it
 * can sign a log of their own holding a forged entry. Checked with a {@link WitnessPolicy}, a
 * forged bundle needs a quorum of the witnesses' keys too.
 */
public final class ProofBundle {
  public static final String FORMAT = "evidencekit.proof-bundle/1";
  private static final StrictJson JSON = new StrictJson(LedgerException::new);

  private final Seal seal;
  private final LedgerEntry entry;
  private final InclusionProof inclusion;
  private final LogCheckpoint checkpoint;

  ProofBundle(Seal seal, LedgerEntry entry, InclusionProof inclusion, LogCheckpoint checkpoint) {
    this.seal = seal;
    this.entry = entry;
    this.inclusion = inclusion;
    this.checkpoint = checkpoint;
  }

  public Seal seal() {
    return seal;
  }

  public LedgerEntry entry() {
    return entry;
  }

  public InclusionProof inclusion() {
    return inclusion;
  }

  public LogCheckpoint checkpoint() {
    return checkpoint;
  }

  /**
   * Checks the bundle offline: the checkpoint is signed by a trusted key, the entry is in the log
   * it publishes, the entry is a {@code sealed} entry naming this seal, and (if given) the content
   * matches the seal.
   *
   * @param content the exported copy, or null to check only the bundle
   * @return every finding, coded with {@link LedgerFindingCode} for the bundle and with {@link
   *     FindingCode} for the content (the seal verification's own findings); empty when all holds
   */
  public List<Finding> verify(TrustAnchors ledgerKeys, ReadableByteChannel content)
      throws IOException {
    return verify(ledgerKeys, Optional.empty(), Optional.empty(), content);
  }

  /**
   * As {@link #verify(TrustAnchors, ReadableByteChannel)}, and: with {@code witnesses}, the
   * checkpoint must carry valid cosignatures of at least the policy's quorum of its witnesses, each
   * counted once ({@link LedgerFindingCode#WITNESS_QUORUM_MISSED} otherwise: a bundle that carries
   * none, a line of a witness not in the policy, a line over another checkpoint or with a broken
   * signature counts for nothing); with {@code origin}, the checkpoint must be of the log of that
   * name ({@link LedgerFindingCode#CHECKPOINT_OTHER_ORIGIN}).
   *
   * @param content the exported copy, or null to check only the bundle
   * @throws IllegalArgumentException if {@code origin} is not a log name
   */
  public List<Finding> verify(
      TrustAnchors ledgerKeys,
      Optional<WitnessPolicy> witnesses,
      Optional<String> origin,
      ReadableByteChannel content)
      throws IOException {
    requireNonNull(ledgerKeys, "ledgerKeys");
    requireNonNull(witnesses, "witnesses");
    requireNonNull(origin, "origin");
    origin.ifPresent(LogCheckpoint::checkOrigin);
    List<Finding> problems = new ArrayList<>();
    if (!checkpoint.verify(ledgerKeys)) {
      problems.add(
          Finding.of(
              LedgerFindingCode.CHECKPOINT_UNTRUSTED,
              "the checkpoint is not signed by a trusted ledger key"));
    }
    if (origin.isPresent() && !origin.get().equals(checkpoint.origin())) {
      problems.add(
          Finding.of(
              LedgerFindingCode.CHECKPOINT_OTHER_ORIGIN,
              checkpoint.isNote()
                  ? "the checkpoint is of the log '"
                      + checkpoint.origin()
                      + "', not of '"
                      + origin.get()
                      + "'"
                  : "the checkpoint is of the earlier JSON form, which names no log, not '"
                      + origin.get()
                      + "'"));
    }
    witnesses.ifPresent(w -> checkCosigned(w, problems));
    if (!inclusion.verifyAgainst(entry, checkpoint)) {
      problems.add(
          Finding.of(
              LedgerFindingCode.INCLUSION_PROOF_INVALID,
              "the inclusion proof does not lead from the entry to the checkpoint's root"));
    }
    if (!entry.type().equals(EntryType.SEALED)) {
      problems.add(
          Finding.of(
              LedgerFindingCode.ENTRY_NOT_SEALED,
              "the entry is a '" + entry.type() + "' entry, not 'sealed'"));
    }
    if (!entry.payloadDigest().orElse("").equals(seal.digest().hex())) {
      problems.add(
          Finding.of(
              LedgerFindingCode.ENTRY_FOR_OTHER_SEAL, "the ledger entry names a different seal"));
    }
    if (content != null) {
      VerificationReport r = Verifier.create().verify(content, seal);
      if (!r.isIntact()) {
        for (Finding f : r.findings()) {
          if (!FindingCode.isInformational(f.code())) {
            String m = "the content does not match the seal: " + f.message();
            problems.add(
                f.range()
                    .map(at -> Finding.of(f.code(), m, at))
                    .orElseGet(() -> Finding.of(f.code(), m)));
          }
        }
      }
    }
    return problems;
  }

  private void checkCosigned(WitnessPolicy witnesses, List<Finding> problems) {
    Map<String, Instant> valid = witnesses.cosignatures(checkpoint);
    if (valid.size() >= witnesses.quorum()) {
      return;
    }
    // the log signs under its origin; any other line is offered as a witness's
    long offered =
        checkpoint.isNote()
            ? checkpoint.note().signatures().stream()
                .filter(s -> !s.name().equals(checkpoint.origin()))
                .count()
            : 0;
    String why =
        offered == 0
            ? "the bundle carries no witness cosignature (made before a witness cosigned its"
                + " checkpoint, or by an earlier version)"
            : offered
                + " witness line(s) in the bundle, valid from "
                + (valid.isEmpty() ? "none of them" : String.join(", ", valid.keySet()))
                + " (a line of a witness not given, over another checkpoint or with a broken"
                + " signature counts for nothing)";
    problems.add(
        Finding.of(
            LedgerFindingCode.WITNESS_QUORUM_MISSED,
            "the checkpoint is cosigned by "
                + valid.size()
                + " of the "
                + witnesses.quorum()
                + " witnesses required ("
                + String.join(", ", witnesses.names())
                + "): "
                + why));
  }

  public byte[] toJson() {
    Base64.Encoder b64 = Base64.getEncoder();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("seal", b64.encodeToString(seal.toJson()));
    m.put("entry", b64.encodeToString(entry.canonical()));
    m.put("inclusion", b64.encodeToString(inclusion.toJson()));
    m.put("checkpoint", b64.encodeToString(checkpoint.encoded()));
    return CanonicalJson.encode(m);
  }

  public static ProofBundle parse(byte[] json) throws IOException {
    requireNonNull(json, "json");
    JsonNode n;
    try {
      n =
          JSON.requireObject(
              JSON.parse(json),
              "proof bundle",
              Set.of("format", "seal", "entry", "inclusion", "checkpoint"));
      if (!JSON.string(n, "format").equals(FORMAT)) {
        throw new LedgerException("not a proof bundle");
      }
    } catch (LedgerException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new LedgerException("bad proof bundle: " + e.getMessage());
    }
    return new ProofBundle(
        Seal.parse(JSON.base64(n, "seal")),
        LedgerEntry.parse(JSON.base64(n, "entry")),
        InclusionProof.parse(JSON.base64(n, "inclusion")),
        LogCheckpoint.parse(JSON.base64(n, "checkpoint")));
  }
}
