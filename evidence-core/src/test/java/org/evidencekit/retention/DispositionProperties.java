package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.storage.WritableObject;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.storage.tck.MutableClock;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;

/**
 * Stateful (R-16, Art. 19): whatever the order of holds, releases, time passing and approved
 * executions, nothing is deleted before two years from its end or while a hold is in force, nothing
 * is disposed of twice, and every object gone has a {@code disposed} tombstone and ledger entry
 * with its content's SHA-256 — checked against a naive model of what happened.
 */
class DispositionProperties {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final SigningKeys.LocalSigningKey K1 = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey K2 = SigningKeys.generate(SignatureSuite.ED25519);
  static final SigningKeys.LocalSigningKey KX = SigningKeys.generate(SignatureSuite.ED25519);

  record Step(String kind, int recording, int days) {}

  @Provide
  Arbitrary<List<Step>> scenarios() {
    return Combinators.combine(
            Arbitraries.of("hold", "release", "tick", "tick", "dispose", "dispose"),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(1, 300))
        .as(Step::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(14);
  }

  /**
   * Time passing beyond the ledger's bound of 31 days after its latest entry is a jump a named
   * person accepts, as the trusted clock asks and the ledger requires (R-16); the test clock
   * vouches for any time, so the acceptance is logged here.
   */
  static void acceptAJump(EvidenceLedger ledger, Instant now) throws IOException {
    Instant latest = ledger.view().latestTime().orElse(null);
    if (latest != null && now.isAfter(latest.plus(Duration.ofDays(31)))) {
      ledger.append(
          LedgerEntry.builder()
              .type(EntryType.CLOCK_JUMP_ACCEPTED)
              .time(now)
              .actor("admin-1")
              .subject(HighWaterMarkClock.LEDGER_SUBJECT)
              .details(
                  Map.of("from", latest.toString(), "to", now.toString(), "reason", "time passed"))
              .build());
    }
  }

  @Property(tries = 25)
  void neverEarlyNeverHeldNeverTwiceAlwaysRecorded(@ForAll("scenarios") List<Step> steps)
      throws Exception {
    MutableClock wall = new MutableClock(T0);
    EvidenceStore store = new InMemoryEvidenceStore(wall);
    EvidenceLedger ledger = EvidenceLedger.open(store, wall);
    TrustedClock clock = wall::instant;
    List<RetentionFacts.Recording> rs = new ArrayList<>();
    Map<String, Instant> floor = new HashMap<>();
    for (int i = 0; i < 4; i++) {
      Instant end = T0.minus(Duration.ofDays(600 + 40L * i));
      String id = "R" + i;
      rs.add(RetentionFacts.Recording.builder(id).recordingEnd(end).objectKey("rec/" + id).build());
      floor.put(id, end.plus(Duration.ofDays(2 * 365)));
      try (WritableObject w = store.create(ObjectKey.of("rec/" + id))) {
        w.write(ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8)));
        w.commit();
      }
    }
    RetentionFacts facts = RetentionFacts.of(rs, List.of());
    RetentionPolicy reg = RetentionPolicy.regulationDefault();
    Map<String, String> heldBy = new HashMap<>(); // naive model: recording -> hold id in force
    Map<String, Instant> deletedAt = new HashMap<>();
    for (Step s : steps) {
      String id = "R" + s.recording();
      switch (s.kind()) {
        case "tick":
          wall.advance(Duration.ofDays(s.days()));
          acceptAJump(ledger, wall.instant());
          break;
        case "hold":
          if (!heldBy.containsKey(id) && !deletedAt.containsKey(id)) {
            heldBy.put(
                id,
                RetentionHolds.place(
                        ledger, store, clock, id, Optional.of("rec/" + id), "legal", "x", "l")
                    .id());
          }
          break;
        case "release":
          if (heldBy.containsKey(id)) {
            wall.advance(Duration.ofSeconds(1));
            acceptAJump(ledger, wall.instant());
            RetentionHolds.release(ledger, clock, heldBy.remove(id), "done", "l");
          }
          break;
        default:
          {
            wall.advance(Duration.ofSeconds(1));
            acceptAJump(ledger, wall.instant());
            Disposition.Plan p =
                Disposition.plan(reg, facts, RetentionHistory.read(ledger), wall.instant())
                    .plannedBy("planner");
            if (p.disposable().isEmpty()) {
              break;
            }
            String d = Disposition.record(p, store, ledger);
            for (var k : List.of(List.of("a1", K1), List.of("a2", K2))) {
              Disposition.approve(
                  DispositionApproval.builder()
                      .planDigest(d)
                      .approver((String) k.get(0))
                      .key((SigningKeys.LocalSigningKey) k.get(1))
                      .expiresAt(wall.instant().plus(Duration.ofDays(1))),
                  store,
                  ledger,
                  clock);
            }
            DispositionExecution.builder()
                .planDigest(d)
                .policy(reg)
                .facts(facts)
                .approverKeys(
                    TrustAnchors.ofPublicKeys(List.of(K1.publicKeyDer(), K2.publicKeyDer())))
                .signer(KX)
                .executedBy("x")
                .build()
                .run(store, ledger, clock);
            for (String r : floor.keySet()) {
              if (!store.exists(ObjectKey.of("rec/" + r)) && !deletedAt.containsKey(r)) {
                deletedAt.put(r, wall.instant());
                assertFalse(wall.instant().isBefore(floor.get(r)), r + " deleted early");
                assertFalse(heldBy.containsKey(r), r + " deleted while held");
              }
            }
          }
      }
    }
    Map<String, Integer> disposedEntries = new HashMap<>();
    for (LedgerEntry e : ledger.entries()) {
      if (e.type().equals(EntryType.DISPOSED)) {
        disposedEntries.merge(e.subject(), 1, Integer::sum);
        assertEquals(DispositionTamperTest.sha256Hex(e.subject()), e.payloadDigest().orElseThrow());
      }
    }
    for (String r : floor.keySet()) {
      boolean gone = deletedAt.containsKey(r);
      assertEquals(gone ? 1 : 0, disposedEntries.getOrDefault(r, 0), r);
      List<Tombstone> t = Tombstone.history(store, r);
      if (gone) {
        assertEquals(Tombstone.State.DISPOSED, t.get(t.size() - 1).state(), r);
      } else {
        assertTrue(t.stream().noneMatch(x -> x.state() == Tombstone.State.DISPOSED), r);
      }
    }
  }
}
