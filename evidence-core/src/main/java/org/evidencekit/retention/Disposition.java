package org.evidencekit.retention;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.internal.json.CanonicalJson;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.RetentionLockedException;
import org.evidencekit.storage.WritableObject;

/**
 * Disposition in three steps: {@link #plan} (a dry run: what is disposable, when and why), {@link
 * Plan#approve} (who), and {@link #execute} (every condition re-checked at execution time with the
 * trusted clock, deletion through the store, and a tombstone with the seal root left behind so the
 * ledger stays verifiable).
 */
public final class Disposition {
  private Disposition() {}

  /** The dry run: every decision, and which are disposable. */
  public static Plan plan(
      RetentionPolicy policy, RetentionFacts facts, RetentionHistory history, Instant at) {
    return new Plan(RetentionEngine.decideAll(policy, facts, history, at), policy, at);
  }

  /** A disposition plan: decisions at one instant under one policy. */
  public static final class Plan {
    private final List<RetentionDecision> decisions;
    private final RetentionPolicy policy;
    private final Instant at;

    Plan(List<RetentionDecision> decisions, RetentionPolicy policy, Instant at) {
      this.decisions = List.copyOf(decisions);
      this.policy = policy;
      this.at = at;
    }

    public List<RetentionDecision> decisions() {
      return decisions;
    }

    public List<RetentionDecision> disposable() {
      List<RetentionDecision> out = new ArrayList<>();
      for (RetentionDecision d : decisions) {
        if (d.disposable()) {
          out.add(d);
        }
      }
      return out;
    }

    public Instant at() {
      return at;
    }

    /** CSV: recording, status, retain_until, policy, reasons (RFC 4180 quoting). */
    public String toCsv() {
      StringBuilder sb = new StringBuilder("recording,status,retain_until,policy,reasons\r\n");
      for (RetentionDecision d : decisions) {
        sb.append(csv(d.recordingId()))
            .append(',')
            .append(d.status())
            .append(',')
            .append(d.retainUntil().map(Instant::toString).orElse(""))
            .append(',')
            .append(csv(d.policyId() + " v" + d.policyVersion()))
            .append(',')
            .append(csv(String.join(" | ", d.derivation())))
            .append("\r\n");
      }
      return sb.toString();
    }

    private static String csv(String s) {
      return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
          ? "\"" + s.replace("\"", "\"\"") + "\""
          : s;
    }

    /** Canonical JSON of the plan (its digest is what an approval names). */
    public byte[] toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("format", "evidencekit.disposition-plan/1");
      m.put("at", at.toString());
      m.put("policy", policy.id());
      m.put("policyVersion", policy.version());
      List<Object> ds = new ArrayList<>();
      for (RetentionDecision d : decisions) {
        ds.add(decisionJson(d));
      }
      m.put("decisions", ds);
      return CanonicalJson.encode(m);
    }

    /** Approves the disposal of the disposable recordings of this plan. */
    public Approval approve(String approver, Instant approvedAt) {
      requireNonNull(approver, "approver");
      requireNonNull(approvedAt, "approvedAt");
      if (approver.isBlank()) {
        throw new IllegalArgumentException("an approval names who approves");
      }
      List<String> ids = new ArrayList<>();
      for (RetentionDecision d : disposable()) {
        ids.add(d.recordingId());
      }
      return new Approval(
          approver, approvedAt, ids, HashAlgorithm.SHA256.hash(toJson()).hex(), policy);
    }
  }

  static Map<String, Object> decisionJson(RetentionDecision d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("recording", d.recordingId());
    m.put("status", d.status());
    d.retainUntil().ifPresent(u -> m.put("retainUntil", u.toString()));
    m.put("permanent", d.permanent());
    m.put("openEvents", new ArrayList<Object>(d.openEvents()));
    List<Object> holds = new ArrayList<>();
    d.holdsInForce().forEach(h -> holds.add(h.id()));
    m.put("holds", holds);
    m.put("shorteningRefused", d.shorteningRefused());
    m.put("derivation", new ArrayList<Object>(d.derivation()));
    return m;
  }

  /** Who approved disposing of which recordings, from which plan. */
  public static final class Approval {
    private final String approver;
    private final Instant approvedAt;
    private final List<String> recordingIds;
    private final String planDigest;
    private final RetentionPolicy policy;

    Approval(
        String approver,
        Instant approvedAt,
        List<String> recordingIds,
        String planDigest,
        RetentionPolicy policy) {
      this.approver = approver;
      this.approvedAt = approvedAt;
      this.recordingIds = List.copyOf(recordingIds);
      this.planDigest = planDigest;
      this.policy = policy;
    }

    public String approver() {
      return approver;
    }

    public Instant approvedAt() {
      return approvedAt;
    }

    public List<String> recordingIds() {
      return recordingIds;
    }

    /** SHA-256 of the approved plan's canonical JSON. */
    public String planDigest() {
      return planDigest;
    }
  }

  /** What happened to one recording at execution. */
  public static final class Outcome {
    public enum Kind {
      DISPOSED,
      KEPT,
      FAILED
    }

    private final String recordingId;
    private final Kind kind;
    private final String reason;

    Outcome(String recordingId, Kind kind, String reason) {
      this.recordingId = recordingId;
      this.kind = kind;
      this.reason = reason;
    }

    public String recordingId() {
      return recordingId;
    }

    public Kind kind() {
      return kind;
    }

    public String reason() {
      return reason;
    }

    @Override
    public String toString() {
      return recordingId + " " + kind + ": " + reason;
    }
  }

  /**
   * Executes an approval: for each approved recording, decides again with the trusted clock's time
   * and today's facts, and only if it is still disposable deletes its object through the store and
   * writes {@code tombstones/<recording>.json}. A clock that refuses stops everything.
   *
   * @throws ClockRefusedException before anything is deleted, if the time cannot be trusted
   */
  public static List<Outcome> execute(
      Approval approval,
      RetentionPolicy policy,
      RetentionFacts facts,
      RetentionHistory history,
      TrustedClock clock,
      EvidenceStore store)
      throws ClockRefusedException {
    requireNonNull(approval, "approval");
    Instant now = clock.now();
    List<Outcome> out = new ArrayList<>();
    for (String id : approval.recordingIds()) {
      if (facts.recording(id).isEmpty()) {
        out.add(new Outcome(id, Outcome.Kind.KEPT, "no longer in the facts"));
        continue;
      }
      RetentionDecision d = RetentionEngine.decide(policy, facts, history, id, now);
      if (!d.disposable()) {
        out.add(
            new Outcome(
                id, Outcome.Kind.KEPT, "no longer disposable at " + now + ": " + d.status()));
        continue;
      }
      RetentionFacts.Recording r = facts.recording(id).get();
      if (r.objectKey().isEmpty()) {
        out.add(new Outcome(id, Outcome.Kind.FAILED, "the facts give no object key"));
        continue;
      }
      ObjectKey key = ObjectKey.of(r.objectKey().get());
      try {
        writeTombstone(store, r, d, approval, now);
        store.delete(key);
        out.add(new Outcome(id, Outcome.Kind.DISPOSED, "deleted " + key + ", tombstone left"));
      } catch (RetentionLockedException e) {
        out.add(new Outcome(id, Outcome.Kind.KEPT, "the store refused: " + e.getMessage()));
      } catch (IOException e) {
        out.add(new Outcome(id, Outcome.Kind.FAILED, e.getMessage()));
      }
    }
    return out;
  }

  private static void writeTombstone(
      EvidenceStore store,
      RetentionFacts.Recording r,
      RetentionDecision d,
      Approval approval,
      Instant now)
      throws IOException {
    ObjectKey key = ObjectKey.of("tombstones/" + r.id() + ".json");
    if (store.exists(key)) {
      return; // an earlier, interrupted execution wrote it
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", "evidencekit.tombstone/1");
    m.put("recording", r.id());
    m.put("objectKey", r.objectKey().orElse(""));
    r.sealRoot().ifPresent(s -> m.put("sealRoot", s));
    m.put("disposedAt", now.toString());
    m.put("approvedBy", approval.approver());
    m.put("approvedAt", approval.approvedAt().toString());
    m.put("planDigest", approval.planDigest());
    m.put("decision", decisionJson(d));
    try (WritableObject w = store.create(key)) {
      w.write(ByteBuffer.wrap(CanonicalJson.encode(m)));
      w.commit();
    }
  }
}
