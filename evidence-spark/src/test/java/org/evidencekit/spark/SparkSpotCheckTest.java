package org.evidencekit.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.LedgerException;
import org.evidencekit.ledger.LogCheckpoint;
import org.evidencekit.ledger.SpotCheckResult;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.ledger.Witness;
import org.evidencekit.ledger.WitnessPolicy;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spot checks at scale: the selection a checkpoint seeds is the single-process one, the
 * verdicts are what was done to the chosen recordings, each is logged.
 */
class SparkSpotCheckTest {
  @AfterAll
  static void stop() {
    TestSpark.stop();
  }

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-06-01T08:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void sameSelectionAndVerdictsAsTheSingleProcessSpotCheck() throws Exception {
    Files.createDirectories(dir.resolve("store"));
    StoreOpener opener = StoreOpener.uri(dir.resolve("store").toUri());
    SyntheticArchive archive = new SyntheticArchive(CLOCK);
    LogCheckpoint cp;
    var ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
    Witness legal =
        Witness.create("legal.bureau.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    WitnessPolicy witnesses = WitnessPolicy.of(1, List.of(legal.verifierKey()));
    try (EvidenceStore store = opener.open()) {
      archive.write(store, 200, 4, 2);
      // Art. 20: the sample is seeded only by a checkpoint the legal section has cosigned
      cp =
          legal.cosign(
              EvidenceLedger.open(store, CLOCK).checkpoint(ledgerKey),
              TrustAnchors.ofPublicKeys(List.of(ledgerKey.publicKeyDer())),
              Optional.empty(),
              Optional.empty(),
              CLOCK.instant());
    }
    // a recording logged after the checkpoint is outside the population it fixes
    try (EvidenceStore store = opener.open()) {
      EvidenceLedger.open(store, CLOCK)
          .append(
              LedgerEntry.builder()
                  .type(EntryType.SEALED)
                  .time(CLOCK.instant())
                  .actor("late")
                  .subject("late/rec.bin")
                  .payloadDigest("0".repeat(64))
                  .build());
    }
    // a filter on the seal, judged on the executors: recordings over 2 KiB
    SealFilter big = s -> s.length() > 2048;
    Map<String, SweepReport.Status> single = new LinkedHashMap<>();
    int singlePopulation;
    try (EvidenceStore store = opener.open()) {
      SpotCheckResult r =
          EvidenceArchive.open(store, CLOCK)
              .spotCheck(cp, witnesses, 40, "over 2 KiB", big, "auditor-0");
      r.results().forEach((k, i) -> single.put(k, i.status()));
      singlePopulation = r.population();
    }
    SpotCheckOutcome o =
        SparkSpotCheck.builder()
            .store(opener)
            .clock(CLOCK)
            .actor("auditor-1")
            .checkpoint(cp)
            .witnesses(witnesses)
            .count(40)
            .criteria("over 2 KiB", big)
            .splitBytes(2L * SyntheticArchive.SEGMENT)
            .build()
            .run(TestSpark.session());
    Map<String, SweepReport.Status> spark = new LinkedHashMap<>();
    o.results().forEach(r -> spark.put(r.key(), r.status()));
    assertEquals(single, spark, "the same recordings in the same order with the same verdicts");
    assertEquals(singlePopulation, o.population());
    assertFalse(spark.containsKey("late/rec.bin"));
    for (Map.Entry<String, SweepReport.Status> e : spark.entrySet()) {
      assertEquals(archive.expected.get(e.getKey()), e.getValue(), e.getKey());
    }

    // an outcome with nothing checked (a population nothing was drawn from) is not all OK,
    // as the library's own spot check says; every recording drawn here had a verdict
    assertTrue(o.allOk() == spark.values().stream().allMatch(st -> st == SweepReport.Status.OK));
    assertFalse(new SpotCheckOutcome(cp, "nothing", 0, List.of()).allOk());

    try (EvidenceStore store = opener.open()) {
      List<LedgerEntry> logged = new ArrayList<>();
      for (LedgerEntry e : EvidenceLedger.open(store, CLOCK).entries()) {
        if (e.type().equals(EntryType.SPOT_CHECKED) && e.actor().equals("auditor-1")) {
          logged.add(e);
        }
      }
      assertEquals(
          new ArrayList<>(spark.keySet()), logged.stream().map(LedgerEntry::subject).toList());
      for (LedgerEntry e : logged) {
        assertEquals(spark.get(e.subject()).name(), e.details().get("result"));
        assertEquals(Long.toString(cp.size()), e.details().get("checkpointSize"));
      }
    }
  }

  /**
   * A recording whose content and seal object were replaced together (a substitute seal, such as
   * one signed with a stolen station key, can name another device or officer) stays in the
   * population whatever the filter says, in Spark as in one process, and is found DAMAGED (R-17,
   * The filter used to be judged on the substitute, which took the recording out.
   */
  @Test
  void aSubstitutedSealDoesNotTakeItsRecordingOutOfThePopulation() throws Exception {
    Files.createDirectories(dir.resolve("store"));
    StoreOpener opener = StoreOpener.uri(dir.resolve("store").toUri());
    SyntheticArchive archive = new SyntheticArchive(CLOCK);
    var ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
    Witness legal =
        Witness.create("legal.bureau.example/w1", SigningKeys.generate(SignatureSuite.ED25519));
    WitnessPolicy witnesses = WitnessPolicy.of(1, List.of(legal.verifierKey()));
    LogCheckpoint cp;
    try (EvidenceStore store = opener.open()) {
      archive.write(store, 200, 0, 2);
      cp =
          legal.cosign(
              EvidenceLedger.open(store, CLOCK).checkpoint(ledgerKey),
              TrustAnchors.ofPublicKeys(List.of(ledgerKey.publicKeyDer())),
              Optional.empty(),
              Optional.empty(),
              CLOCK.instant());
    }
    // the substituted recordings of SyntheticArchive (every 97th from the 5th)
    List<String> substituted =
        List.of("cam-05/rec-00005.bin", "cam-11/rec-00102.bin", "cam-04/rec-00199.bin");
    SealFilter none = s -> false;
    Map<String, SweepReport.Status> single = new LinkedHashMap<>();
    try (EvidenceStore store = opener.open()) {
      EvidenceArchive.open(store, CLOCK)
          .spotCheck(cp, witnesses, 40, "none", none, "auditor-0")
          .results()
          .forEach((k, i) -> single.put(k, i.status()));
    }
    SpotCheckOutcome o =
        SparkSpotCheck.builder()
            .store(opener)
            .clock(CLOCK)
            .actor("auditor-1")
            .checkpoint(cp)
            .witnesses(witnesses)
            .count(40)
            .criteria("none", none)
            .build()
            .run(TestSpark.session());
    Map<String, SweepReport.Status> spark = new LinkedHashMap<>();
    o.results().forEach(r -> spark.put(r.key(), r.status()));
    assertEquals(single, spark);
    for (String k : substituted) {
      assertEquals(SweepReport.Status.DAMAGED, spark.get(k), k + " in " + spark);
    }
  }

  private static LedgerEntry viewed(String actor) {
    return LedgerEntry.builder()
        .type(EntryType.VIEWED)
        .time(CLOCK.instant())
        .actor(actor)
        .subject("cam/rec.bin")
        .build();
  }

  @Test
  void aCheckpointOfAnotherLedgerIsRefused() throws Exception {
    var ledgerKey = SigningKeys.generate(SignatureSuite.ED25519);
    Files.createDirectories(dir.resolve("a"));
    Files.createDirectories(dir.resolve("b"));
    StoreOpener a = StoreOpener.uri(dir.resolve("a").toUri());
    LogCheckpoint foreign;
    try (EvidenceStore sa = a.open();
        EvidenceStore sb = StoreOpener.uri(dir.resolve("b").toUri()).open()) {
      // the same first entry, then different ones: a fork after entry 0
      EvidenceLedger.open(sa, CLOCK).appendAll(List.of(viewed("x"), viewed("y")));
      EvidenceLedger.open(sb, CLOCK).appendAll(List.of(viewed("x"), viewed("z")));
      foreign = EvidenceLedger.open(sb, CLOCK).checkpoint(ledgerKey);
    }
    SparkSpotCheck check =
        SparkSpotCheck.builder()
            .store(a)
            .clock(CLOCK)
            .actor("auditor-1")
            .checkpoint(foreign)
            .witnesses(
                WitnessPolicy.of(
                    1,
                    List.of(
                        Witness.create("w.example/1", SigningKeys.generate(SignatureSuite.ED25519))
                            .verifierKey())))
            .count(1)
            .build();
    LedgerException e = assertThrows(LedgerException.class, () -> check.run(TestSpark.session()));
    assertTrue(e.getMessage().contains("not of this ledger"), e.getMessage());
  }

  @Test
  void builderNamesWhatIsMissing() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> SparkSpotCheck.builder().count(3).build());
    assertEquals("missing store, clock, actor, checkpoint, witnesses", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SparkSpotCheck.builder().count(0));
  }
}
