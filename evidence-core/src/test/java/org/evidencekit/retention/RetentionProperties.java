package org.evidencekit.retention;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Stateful: any sequence of ingests, case links, archivings, holds, releases, policy extensions and
 * clock readings never makes a recording disposable before two years from its end, before its case
 * term, or while a hold is on; and its effective retention never decreases.
 */
class RetentionProperties {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final ZoneId SH = ZoneId.of("Asia/Shanghai");

  record Step(String kind, int recording, int caseNo, int amount) {}

  @Provide
  Arbitrary<List<Step>> scenarios() {
    Arbitrary<String> kinds =
        Arbitraries.of(
            "ingest", "link", "archive", "hold", "release", "extend", "tick", "tick", "tick",
            "unlink");
    return Combinators.combine(
            kinds,
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(1, 400))
        .as(Step::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(60);
  }

  @Property(tries = 300)
  void neverDisposableEarlyAndNeverShorter(@ForAll("scenarios") List<Step> steps) {
    Instant now = T0;
    Map<String, RetentionFacts.Recording> recs = new LinkedHashMap<>();
    Map<String, RetentionFacts.Case> cases = new LinkedHashMap<>();
    for (int c = 0; c < 3; c++) {
      cases.put(
          "C" + c,
          new RetentionFacts.Case("C" + c, c == 2 ? "permanent" : (c == 0 ? "10y" : "30y"), null));
    }
    int policyYears = 2;
    int version = 1;
    RetentionPolicy policy = policy(policyYears, version);
    RetentionHistory history = RetentionHistory.empty();
    Map<String, Instant> lastEffective = new LinkedHashMap<>();
    Map<String, Boolean> everPermanent = new LinkedHashMap<>();
    Map<String, Instant> caseFloor = new LinkedHashMap<>();
    int holdIds = 0;
    for (Step s : steps) {
      String id = "R" + s.recording();
      switch (s.kind()) {
        case "ingest":
          if (!recs.containsKey(id)) {
            recs.put(
                id,
                RetentionFacts.Recording.builder(id)
                    .recordingEnd(now.minus(Duration.ofHours(1)))
                    .ingestTime(now)
                    .mediaType("video/mp4")
                    .build());
          }
          break;
        case "link":
          if (recs.containsKey(id) && !recs.get(id).caseIds().contains("C" + s.caseNo())) {
            recs.put(id, recs.get(id).toBuilder().addCaseId("C" + s.caseNo()).build());
          }
          break;
        case "unlink":
          if (recs.containsKey(id)) {
            RetentionFacts.Recording r = recs.get(id);
            RetentionFacts.Recording.Builder b =
                RetentionFacts.Recording.builder(id)
                    .recordingEnd(r.recordingEnd())
                    .ingestTime(r.ingestTime().orElse(null))
                    .mediaType("video/mp4");
            r.holds().forEach(b::addHold);
            recs.put(id, b.build());
          }
          break;
        case "archive":
          {
            RetentionFacts.Case c = cases.get("C" + s.caseNo());
            if (c.archivedAt().isEmpty()) {
              cases.put(c.id(), new RetentionFacts.Case(c.id(), c.caseClass(), now));
            }
            break;
          }
        case "hold":
          if (recs.containsKey(id)) {
            recs.put(
                id,
                recs.get(id).toBuilder()
                    .addHold(
                        new RetentionFacts.Hold(
                            "h" + (holdIds++), "legal", "test", "tester", now, null))
                    .build());
          }
          break;
        case "release":
          if (recs.containsKey(id)) {
            RetentionFacts.Recording r = recs.get(id);
            RetentionFacts.Recording.Builder b =
                RetentionFacts.Recording.builder(id)
                    .recordingEnd(r.recordingEnd())
                    .ingestTime(r.ingestTime().orElse(null))
                    .mediaType("video/mp4");
            r.caseIds().forEach(b::addCaseId);
            for (RetentionFacts.Hold h : r.holds()) {
              b.addHold(
                  h.releasedAt().isPresent()
                      ? h
                      : new RetentionFacts.Hold(
                          h.id(), h.kind(), h.reason(), h.by(), h.placedAt(), now));
            }
            recs.put(id, b.build());
          }
          break;
        case "extend":
          policyYears += 1;
          version += 1;
          policy = policy(policyYears, version);
          break;
        case "tick":
          now = now.plus(Duration.ofDays(s.amount() * 10L));
          break;
        default:
          throw new AssertionError(s.kind());
      }
      RetentionFacts facts =
          RetentionFacts.of(new ArrayList<>(recs.values()), new ArrayList<>(cases.values()));
      for (RetentionFacts.Recording r : recs.values()) {
        RetentionDecision d = RetentionEngine.decide(policy, facts, history, r.id(), now);
        history = history.record(d);
        // 1. never before two years from the end (kept through the last local day)
        Instant twoYears =
            r.recordingEnd()
                .atZone(SH)
                .toLocalDate()
                .plus(Period.ofYears(2))
                .plusDays(1)
                .atStartOfDay(SH)
                .toInstant();
        if (now.isBefore(twoYears)) {
          assertFalse(d.disposable(), "disposable before two years: " + d.derivation());
        }
        // 2. never while a hold is in force
        Instant at = now;
        if (r.holds().stream().anyMatch(h -> h.inForceAt(at))) {
          assertFalse(d.disposable(), "disposable under a hold");
        }
        // 3. never before the term of any case it is or was linked to
        for (String c : r.caseIds()) {
          RetentionFacts.Case cf = cases.get(c);
          if (cf.archivedAt().isEmpty() || cf.caseClass().equals("permanent")) {
            caseFloor.put(r.id(), Instant.MAX);
          } else {
            Period term = Period.ofYears(cf.caseClass().equals("10y") ? 10 : 30);
            Instant end =
                cf.archivedAt()
                    .get()
                    .atZone(SH)
                    .toLocalDate()
                    .plus(term)
                    .plusDays(1)
                    .atStartOfDay(SH)
                    .toInstant();
            caseFloor.merge(r.id(), end, (a, b) -> a.isAfter(b) ? a : b);
          }
        }
        Instant floor = caseFloor.get(r.id());
        if (floor != null && floor != Instant.MAX && now.isBefore(floor)) {
          assertFalse(d.disposable(), "disposable before its case term");
        }
        // 4. effective retention never decreases
        boolean perm = d.permanent();
        if (everPermanent.getOrDefault(r.id(), false)) {
          assertTrue(perm, "was permanent, is not any more");
        }
        everPermanent.put(r.id(), perm || everPermanent.getOrDefault(r.id(), false));
        Instant eff = d.latestFixedEnd().orElse(null);
        Instant prev = lastEffective.get(r.id());
        if (prev != null && eff != null) {
          assertFalse(eff.isBefore(prev), "retention decreased from " + prev + " to " + eff);
        }
        if (eff != null) {
          lastEffective.put(r.id(), eff);
        }
      }
    }
  }

  static RetentionPolicy policy(int years, int version) {
    return RetentionPolicy.of(
        "prop",
        version,
        RetentionPolicy.State.ACTIVE,
        SH,
        List.of(
            RetentionRule.of(
                "video",
                "video",
                Map.of("mediaType", "video/"),
                RetentionRule.Anchor.RECORDING_END,
                Period.ofYears(years))),
        RetentionPolicy.defaultCaseTerms());
  }
}
