package org.evidencekit.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.evidencekit.storage.tck.InMemoryEvidenceStore;
import org.evidencekit.trust.TrustAnchors;

/**
 * Random runs of appends against a naive model of the time rules (R-04, R-14, R-16;
 * docs/ledger.md): each entry is taken exactly when the model says, and what the ledger took
 * verifies with no time finding.
 */
class EntryTimeRulesProperties {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final Duration SKEW = Duration.ofMinutes(2);
  static final Duration JUMP = Duration.ofDays(31);

  enum Kind {
    VIEWED,
    ACCEPT_NAMED,
    ACCEPT_OTHER_FROM,
    DISPOSED
  }

  record Step(Kind kind, long seconds, boolean fromNow) {}

  @Provide
  Arbitrary<List<Step>> runs() {
    // offsets near every bound (2 minutes, 31 days) and far from them, either way
    Arbitrary<Long> seconds =
        Arbitraries.oneOf(
            Arbitraries.longs().between(-400, 400),
            Arbitraries.longs().between(-86_400L * 40, 86_400L * 40),
            Arbitraries.of(
                -121L, -120L, 120L, 121L, 86_400L * 31, 86_400L * 31 + 1, -86_400L * 400));
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.of(Kind.class), seconds, Arbitraries.of(true, false, false, false))
            .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 150)
  void appendsAreTakenExactlyWhenTheModelSays(@ForAll("runs") List<Step> run) throws IOException {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    EvidenceLedger l = EvidenceLedger.open(new InMemoryEvidenceStore(clock), clock);
    Instant first = null;
    Instant latest = null;
    int n = 0;
    for (Step s : run) {
      Instant base = s.fromNow() || latest == null ? NOW : latest;
      Instant t = base.plusSeconds(s.seconds());
      LedgerEntry e = entry(s.kind(), t, latest);
      boolean modelTakes = takes(s.kind(), t, first, latest);
      boolean taken;
      try {
        l.append(e);
        taken = true;
      } catch (EntryTimeRefusedException refused) {
        taken = false;
      }
      assertEquals(modelTakes, taken, () -> s + " at " + t + " after " + run);
      if (taken) {
        n++;
        first = first == null ? t : first;
        latest = latest == null || t.isAfter(latest) ? t : latest;
      }
    }
    assertEquals(n, l.size());
    LedgerReport r = l.verify(TrustAnchors.none());
    assertTrue(r.intact(), () -> r.findings() + " after " + run);
  }

  /** The rules as docs/ledger.md states them, for entries of these four kinds only. */
  static boolean takes(Kind k, Instant t, Instant first, Instant latest) {
    if (t.isAfter(NOW.plus(SKEW))) {
      return false;
    }
    boolean accept = k == Kind.ACCEPT_NAMED || k == Kind.ACCEPT_OTHER_FROM;
    if (latest == null) {
      return true;
    }
    if (k == Kind.ACCEPT_OTHER_FROM) {
      return false; // its from is ten days off the latest time
    }
    if (k == Kind.DISPOSED) {
      // a recording the ledger never sealed: only the first entry is a floor
      if (t.isBefore(first.minus(SKEW))) {
        return false;
      }
    } else if (t.isBefore(latest.minus(SKEW))) {
      return false;
    }
    return accept || !t.isAfter(latest.plus(JUMP));
  }

  static LedgerEntry entry(Kind k, Instant t, Instant latest) {
    LedgerEntry.Builder b = LedgerEntry.builder().time(t).actor("a-1");
    Instant from = latest == null ? NOW : latest;
    switch (k) {
      case VIEWED:
        return b.type(EntryType.VIEWED).subject("cam/x.mp4").build();
      case DISPOSED:
        return b.type(EntryType.DISPOSED)
            .subject("rec-1")
            .details(Map.of("plan", "p", "objectKey", "cam/never-sealed.mp4"))
            .build();
      default:
        if (k == Kind.ACCEPT_OTHER_FROM) {
          from = from.minus(Duration.ofDays(10));
        }
        return b.type(EntryType.CLOCK_JUMP_ACCEPTED)
            .subject("trusted-clock")
            .details(Map.of("from", from.toString(), "to", t.toString(), "reason", "checked"))
            .build();
    }
  }
}
