package org.evidencekit.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.verify.FindingCode;
import org.evidencekit.verify.VerificationReport;
import org.evidencekit.verify.Verifier;

/**
 * Verifies one device's chain of seals (R-07, Art. 21): each seal names the {@link Seal#digest()}
 * of the device's previous seal in {@code previousSealDigest}, the first names none. A deleted
 * recording leaves a link pointing at nothing; a replaced one leaves that plus a seal nobody
 * follows; a second seal on the same predecessor is a fork; a link that runs backwards in recording
 * time without running forwards in ingest time is a reorder. Chains follow ingest order (each
 * station appends to the device's tip in the ledger), so recordings ingested late or by several
 * stations at once are not reorders.
 */
public final class DeviceChain {
  private DeviceChain() {}

  /** What is wrong with a link. */
  public enum Problem {
    /** A seal names a predecessor that is not among the device's seals: a recording is gone. */
    MISSING(LedgerFindingCode.CHAIN_MISSING),
    /**
     * A seal names a predecessor that is not there, and another seal with no successor sits in its
     * place in recording time but was ingested after it: the recording was replaced.
     */
    REPLACED(LedgerFindingCode.CHAIN_REPLACED),
    /** Two or more seals name the same predecessor. */
    FORKED(LedgerFindingCode.CHAIN_FORKED),
    /**
     * A seal's recording starts before its predecessor's and it was not ingested after it: the
     * chain was put together in an order no ingest produces.
     */
    REORDERED(LedgerFindingCode.CHAIN_REORDERED),
    /** More than one seal names no predecessor. */
    SECOND_GENESIS(LedgerFindingCode.CHAIN_SECOND_GENESIS),
    /** A seal of another device, or with no device, was passed in. */
    FOREIGN(LedgerFindingCode.CHAIN_FOREIGN_SEAL),
    /**
     * Checked on its own ({@link #verify(String, List, Verifier)}), a seal of the chain is not
     * intact: its signature is missing, broken or not by a signer the verifier trusts, or its own
     * tree does not hold. Its links prove nothing: anyone could have made such a seal to fill a gap
     * left by a deleted recording.
     */
    UNTRUSTED(LedgerFindingCode.CHAIN_UNTRUSTED_SEAL);

    private final String code;

    Problem(String code) {
      this.code = code;
    }

    /** The stable finding code ({@link LedgerFindingCode}) of this problem. */
    public String code() {
      return code;
    }
  }

  /**
   * One finding: the problem (with its stable {@link #code()}), the seal (digest hex) at which it
   * shows and a sentence for people.
   */
  public static final class Finding {
    private final Problem problem;
    private final String sealDigest;
    private final String detail;

    Finding(Problem problem, String sealDigest, String detail) {
      this.problem = problem;
      this.sealDigest = sealDigest;
      this.detail = detail;
    }

    public Problem problem() {
      return problem;
    }

    public String sealDigest() {
      return sealDigest;
    }

    /** The stable code, one of the {@code CHAIN_} codes of {@link LedgerFindingCode}. */
    public String code() {
      return problem.code();
    }

    /** One sentence for people, naming the seals involved. */
    public String message() {
      return detail;
    }

    @Override
    public String toString() {
      return code() + " at " + sealDigest.substring(0, 12) + ": " + detail;
    }
  }

  /**
   * Checks the chain formed by {@code seals} as {@link #verify(String, List)} does, and each seal
   * on its own with {@code verifier} ({@link Verifier#verifySeal}): its leaves fold to its roots
   * and, under the verifier's trust policy, it is signed (and timestamped, if the policy asks) by a
   * trusted signer. A seal that is not intact is an {@link Problem#UNTRUSTED} finding
   * naming why; the links are checked all the same. Without a trust policy a seal's signature is
   * checked only for being unbroken, so an attacker's own key passes: give the verifier the
   * stations' anchors to check a chain of seal files from elsewhere.
   *
   * @return every finding; empty when the chain is one unbroken line of intact seals
   */
  public static List<Finding> verify(String deviceId, List<Seal> seals, Verifier verifier) {
    requireNonNull(verifier, "verifier");
    List<Finding> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Seal s : seals) {
      String d = s.digest().hex();
      if (!seen.add(d)) {
        continue;
      }
      VerificationReport r = verifier.verifySeal(s);
      if (!r.isIntact()) {
        List<String> why = new ArrayList<>();
        for (org.evidencekit.verify.Finding f : r.findings()) {
          if (!FindingCode.isInformational(f.code())) {
            why.add(f.code());
          }
        }
        out.add(
            new Finding(
                Problem.UNTRUSTED,
                d,
                "seal is "
                    + r.verdict()
                    + " checked on its own ("
                    + String.join(", ", why)
                    + "): its links prove nothing"));
      }
    }
    out.addAll(verify(deviceId, seals));
    return out;
  }

  /**
   * Checks the chain formed by {@code seals}, all from {@code deviceId}, in any order. Only the
   * links are checked, not who made the seals: see {@link #verify(String, List, Verifier)}.
   *
   * @return every finding; empty when the chain is one unbroken line
   */
  public static List<Finding> verify(String deviceId, List<Seal> seals) {
    requireNonNull(deviceId, "deviceId");
    requireNonNull(seals, "seals");
    List<Finding> out = new ArrayList<>();
    Map<String, Seal> byDigest = new LinkedHashMap<>();
    for (Seal s : seals) {
      String d = s.digest().hex();
      String dev = s.metadata().flatMap(RecordingMetadata::deviceId).orElse(null);
      if (!deviceId.equals(dev)) {
        out.add(new Finding(Problem.FOREIGN, d, "seal belongs to device " + dev));
        continue;
      }
      byDigest.put(d, s);
    }
    Map<String, List<String>> successors = new HashMap<>();
    List<String> genesis = new ArrayList<>();
    List<String> dangling = new ArrayList<>();
    for (Map.Entry<String, Seal> e : byDigest.entrySet()) {
      String prev = previous(e.getValue());
      if (prev == null) {
        genesis.add(e.getKey());
      } else {
        successors.computeIfAbsent(prev, k -> new ArrayList<>()).add(e.getKey());
        if (!byDigest.containsKey(prev)) {
          dangling.add(e.getKey());
        }
      }
    }
    Comparator<String> byStart = Comparator.comparing(d -> start(byDigest.get(d)));
    genesis.sort(byStart);
    for (int i = 1; i < genesis.size(); i++) {
      out.add(
          new Finding(
              Problem.SECOND_GENESIS,
              genesis.get(i),
              "names no predecessor, but " + genesis.get(0).substring(0, 12) + " already does"));
    }
    for (Map.Entry<String, List<String>> e : successors.entrySet()) {
      if (e.getValue().size() > 1 && byDigest.containsKey(e.getKey())) {
        List<String> next = new ArrayList<>(e.getValue());
        next.sort(byStart);
        for (String d : next.subList(1, next.size())) {
          out.add(
              new Finding(
                  Problem.FORKED,
                  d,
                  "names predecessor "
                      + e.getKey().substring(0, 12)
                      + ", as "
                      + next.get(0).substring(0, 12)
                      + " does"));
        }
      }
    }
    // Seals nobody follows; the newest of them is the legitimate tail.
    List<String> deadEnds = new ArrayList<>();
    for (String d : byDigest.keySet()) {
      if (!successors.containsKey(d)) {
        deadEnds.add(d);
      }
    }
    deadEnds.sort(byStart);
    if (!deadEnds.isEmpty()) {
      deadEnds.remove(deadEnds.size() - 1);
    }
    dangling.sort(byStart);
    for (String d : dangling) {
      Seal s = byDigest.get(d);
      String replacement = null;
      Instant ingested = ingest(s);
      for (String x : deadEnds) {
        Seal cand = byDigest.get(x);
        // A seal that sits before s in recording time but was ingested after s was put there
        // later: the original predecessor was swapped out. Without ingest times the two cases
        // look the same and the link is reported as MISSING.
        if (!start(cand).isAfter(start(s))
            && ingested != null
            && ingest(cand) != null
            && ingest(cand).isAfter(ingested)) {
          replacement = x;
        }
      }
      if (replacement != null) {
        deadEnds.remove(replacement);
        out.add(
            new Finding(
                Problem.REPLACED,
                d,
                "names predecessor "
                    + previous(s).substring(0, 12)
                    + ", which is gone; "
                    + replacement.substring(0, 12)
                    + " stands in its place and nothing follows it"));
      } else {
        out.add(
            new Finding(
                Problem.MISSING,
                d,
                "names predecessor " + previous(s).substring(0, 12) + ", which is gone"));
      }
    }
    for (Map.Entry<String, Seal> e : byDigest.entrySet()) {
      String prev = previous(e.getValue());
      Seal p = prev == null ? null : byDigest.get(prev);
      // Chains run in ingest order: a card ingested late, or by another station at the same time,
      // legitimately follows a newer recording. A link is reordered only if it also runs backwards
      // in ingest time (or there are no ingest times to tell).
      if (p != null && start(e.getValue()).isBefore(start(p)) && !ingestedAfter(e.getValue(), p)) {
        out.add(
            new Finding(
                Problem.REORDERED,
                e.getKey(),
                "recording starts "
                    + start(e.getValue())
                    + ", before its predecessor's "
                    + start(p)));
      }
    }
    return out;
  }

  /** Whether {@code s} was ingested at or after {@code p} (both times known). */
  private static boolean ingestedAfter(Seal s, Seal p) {
    Instant a = ingest(s);
    Instant b = ingest(p);
    return a != null && b != null && !a.isBefore(b);
  }

  private static String previous(Seal s) {
    return s.metadata().flatMap(RecordingMetadata::previousSealDigest).orElse(null);
  }

  private static Instant ingest(Seal s) {
    return s.metadata().flatMap(RecordingMetadata::ingestTime).orElse(null);
  }

  private static Instant start(Seal s) {
    return s.metadata().flatMap(RecordingMetadata::recordingStart).orElse(Instant.MIN);
  }
}
