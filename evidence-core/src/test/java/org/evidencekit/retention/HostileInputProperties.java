package org.evidencekit.retention;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.Hostile;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;

/**
 * Retention's parsers under attack (Art. 19-21: what decides when a recording may be destroyed
 * comes as files from other systems). Policies, facts, histories, approvals, destruction registers,
 * tombstones and stored plans parse or are refused with {@link RetentionFormatException} (a stored
 * plan also with {@link DispositionRefusedException}); what parses can be planned with, printed and
 * verified without an unchecked exception.
 */
class HostileInputProperties {
  static final Instant AT = Instant.parse("2027-01-01T00:00:00Z");
  static final byte[] POLICY = resource("retention-policy.json");
  static final byte[] FACTS = resource("retention-facts.json");

  static byte[] resource(String name) {
    try (InputStream in = HostileInputProperties.class.getResourceAsStream("/hostile/" + name)) {
      return in.readAllBytes();
    } catch (IOException | NullPointerException e) {
      throw new AssertionError("test resource /hostile/" + name, e);
    }
  }

  static RetentionPolicy policy() {
    try {
      return RetentionPolicy.parse(POLICY);
    } catch (RetentionFormatException e) {
      throw new AssertionError(e);
    }
  }

  static RetentionFacts facts() {
    try {
      return RetentionFacts.parse(FACTS);
    } catch (RetentionFormatException e) {
      throw new AssertionError(e);
    }
  }

  private static Arbitrary<byte[]> hostile(List<byte[]> valid) {
    return Arbitraries.oneOf(
        Hostile.randomBytes(700), Hostile.mutationsOf(valid), Hostile.nastyValuesIn(valid));
  }

  @Provide
  Arbitrary<byte[]> policies() {
    return hostile(List.of(POLICY, RetentionPolicyTest.V1.getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<byte[]> factsDocuments() {
    return hostile(List.of(FACTS));
  }

  @Provide
  Arbitrary<byte[]> histories() {
    RetentionHistory h = RetentionHistory.empty();
    for (RetentionDecision d : RetentionEngine.decideAll(policy(), facts(), h, AT)) {
      h = h.record(d);
    }
    return hostile(List.of(h.toJson()));
  }

  @Provide
  Arbitrary<byte[]> approvals() throws Exception {
    return hostile(List.of(DispositionTamperTest.approval().toJson()));
  }

  @Provide
  Arbitrary<byte[]> registers() throws Exception {
    return hostile(List.of(DispositionTamperTest.register().toJson()));
  }

  @Provide
  Arbitrary<byte[]> tombstones() {
    Tombstone disposed =
        new Tombstone(
            "DEVCAM7-0001",
            "DEVCAM7/2024-06-01/DEVCAM7_0001.mp4",
            Tombstone.State.DISPOSED,
            AT,
            "ab".repeat(32),
            "ro-4",
            "cd".repeat(32),
            "ef".repeat(32),
            "");
    Tombstone refused =
        new Tombstone(
            "R",
            "k.mp4",
            Tombstone.State.REFUSED,
            AT,
            "ab".repeat(32),
            "ro-4",
            null,
            null,
            "retention lock");
    return hostile(List.of(disposed.toJson(), refused.toJson()));
  }

  @Provide
  Arbitrary<byte[]> plans() {
    return hostile(
        List.of(Disposition.plan(policy(), facts(), RetentionHistory.empty(), AT).toJson()));
  }

  @Property(tries = 1000)
  void aPolicyParsesIntoOneThatPlansOrIsRefused(@ForAll("policies") byte[] input) {
    RetentionFacts facts = facts();
    Hostile.check(
        "RetentionPolicy.parse",
        input,
        b -> {
          RetentionPolicy p = RetentionPolicy.parse(b);
          p.caseClassTerms();
          p.activate();
          Disposition.Plan plan = Disposition.plan(p, facts, RetentionHistory.empty(), AT);
          plan.toCsv();
          return plan.toJson();
        },
        RetentionFormatException.class);
  }

  @Property(tries = 1000)
  void factsParseIntoOnesThatPlanOrAreRefused(@ForAll("factsDocuments") byte[] input) {
    RetentionPolicy policy = policy();
    Hostile.check(
        "RetentionFacts.parse",
        input,
        b -> {
          RetentionFacts f = RetentionFacts.parse(b);
          f.rejectedRows();
          Disposition.Plan plan = Disposition.plan(policy, f, RetentionHistory.empty(), AT);
          plan.toCsv();
          return plan.toJson();
        },
        RetentionFormatException.class);
  }

  @Property(tries = 1000)
  void aHistoryParsesIntoOneThatPlansOrIsRefused(@ForAll("histories") byte[] input) {
    RetentionPolicy policy = policy();
    RetentionFacts facts = facts();
    Hostile.check(
        "RetentionHistory.parse",
        input,
        b -> {
          RetentionHistory h = RetentionHistory.parse(b);
          h.toJson();
          return Disposition.plan(policy, facts, h, AT).toJson();
        },
        RetentionFormatException.class);
  }

  @Property(tries = 1000)
  void anApprovalParsesOrIsRefusedAndItsCheckIsAVerdict(@ForAll("approvals") byte[] input) {
    Hostile.check(
        "DispositionApproval.parse",
        input,
        b -> {
          DispositionApproval a = DispositionApproval.parse(b);
          a.verify(DispositionTamperTest.TRUST);
          a.digest();
          return a.toString();
        },
        RetentionFormatException.class);
  }

  @Property(tries = 1000)
  void aRegisterParsesOrIsRefusedAndItsCheckIsAVerdict(@ForAll("registers") byte[] input) {
    Hostile.check(
        "DestructionRegister.parse",
        input,
        b -> {
          DestructionRegister r = DestructionRegister.parse(b);
          r.verify(DispositionTamperTest.TRUST);
          r.digest();
          r.toText(ZoneId.of("Asia/Shanghai"));
          return r.toString();
        },
        RetentionFormatException.class);
  }

  @Property(tries = 1000)
  void aTombstoneParsesOrIsRefused(@ForAll("tombstones") byte[] input) {
    Hostile.check(
        "Tombstone.parse",
        input,
        b -> {
          Tombstone t = Tombstone.parse(b);
          return t.toJson();
        },
        RetentionFormatException.class);
  }

  /** A stored plan is named by its own digest, so whoever can write the store can plant one. */
  @Property(tries = 1000)
  void aStoredPlanReadsOrIsRefused(@ForAll("plans") byte[] input) {
    Hostile.check(
        "Disposition.readPlan",
        input,
        b -> {
          InMemoryEvidenceStore store = new InMemoryEvidenceStore(Clock.fixed(AT, ZoneOffset.UTC));
          String digest = HashAlgorithm.SHA256.hash(b).hex();
          try (var w = store.create(ObjectKey.of(Disposition.PLANS + digest + ".json"))) {
            w.write(ByteBuffer.wrap(b));
            w.commit();
          }
          Disposition.StoredPlan p = Disposition.readPlan(store, digest);
          p.disposable();
          return p;
        },
        RetentionFormatException.class,
        DispositionRefusedException.class);
  }
}
