package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.retention.DestructionRegister;
import org.evidencekit.retention.Disposition;
import org.evidencekit.retention.DispositionApproval;
import org.evidencekit.retention.DispositionExecution;
import org.evidencekit.retention.RetentionFacts;
import org.evidencekit.retention.RetentionHistory;
import org.evidencekit.retention.RetentionPolicy;
import org.evidencekit.retention.TrustedClock;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A case file's record sheet accounts for every recording that was ever part of it (R-16, R-18,
 * recordings of the case destroyed under a four-eyes plan stay on it, described from the
 * seals kept for good, with when, under which plan, by whom and on whose approval they went. Real
 * camera fixtures (f02: a three-file split recording of 2023-06-01 14:10:00Z to 14:10:09Z),
 * ingested by the station, disposed of by {@link DispositionExecution} in 2040, long past their
 * period.
 */
class DestroyedRecordingsSheetTest {
  static final Instant DOCKED = Instant.parse("2023-06-01T16:00:00Z");
  static final Instant LATER = Instant.parse("2040-03-01T02:00:00Z");
  static final String CASE = "ZZ-2023-0042";
  static final String[] SPLIT3 = ReportTest.SPLIT3;

  @TempDir Path dir;

  private String keyOf(String file) {
    return "DEVCAM7/2023-06-01/" + file;
  }

  private void ingest() throws Exception {
    SealGoneSheetTest.ingestSplit3(dir, dir.resolve("store"));
  }

  /** Plans, approves twice and executes the disposal of {@code files} at {@code at}. */
  /**
   * The entry a named person's acceptance of the clock's jump logs ({@code
   * HighWaterMarkClock.acceptJump}, {@code --accept-clock-jump-by}), when {@code at} is more than
   * 31 days after the ledger's latest entry: the ledger takes nothing later without it, and
   * these set-ups ingest in 2023 and dispose in 2040.
   */
  static void acceptAJump(EvidenceLedger ledger, Instant at) throws java.io.IOException {
    Instant latest = ledger.view().latestTime().orElse(null);
    if (latest != null && at.isAfter(latest.plus(Duration.ofDays(31)))) {
      ledger.append(
          LedgerEntry.builder()
              .type(EntryType.CLOCK_JUMP_ACCEPTED)
              .time(at)
              .actor("records-officer")
              .subject(org.evidencekit.retention.HighWaterMarkClock.LEDGER_SUBJECT)
              .details(
                  java.util.Map.of(
                      "from", latest.toString(), "to", at.toString(), "reason", "years passed"))
              .build());
    }
  }

  static String dispose(EvidenceStore store, Instant at, String... files) throws Exception {
    return dispose(store, at, false, files);
  }

  /**
   * As {@link #dispose(EvidenceStore, Instant, String...)}; with {@code lapsed}, a third approver,
   * approver-carol, approves too with an approval that expires an hour later, and the plan is
   * executed two hours after {@code at}, under alice's and bob's approvals alone.
   */
  private static String dispose(EvidenceStore store, Instant at, boolean lapsed, String... files)
      throws Exception {
    return execute(store, at, lapsed, "executor-1", null, null, files).plan();
  }

  /**
   * As {@link #dispose(EvidenceStore, Instant, boolean, String...)}; with an {@code intruder}, one
   * who can write to the store approves the plan under that name with a key of their own, which no
   * one trusts, before the execution.
   */
  private static String disposeWithIntruder(
      EvidenceStore store, Instant at, boolean lapsed, String intruder, String... files)
      throws Exception {
    return execute(store, at, lapsed, "executor-1", null, intruder, files).plan();
  }

  /**
   * One plan's disposal as {@link #dispose(EvidenceStore, Instant, boolean, String...)} made it:
   * its digest, what it was executed with and the executor's key (to run it again).
   */
  private record Run(
      String plan,
      RetentionPolicy policy,
      RetentionFacts facts,
      TrustAnchors approverKeys,
      SigningKeys.LocalSigningKey executorKey) {}

  /**
   * As {@link #dispose(EvidenceStore, Instant, boolean, String...)}, executed by {@code executor};
   * with {@code bobsLedger}, approver-bob's approval is stored in {@code store} and logged there
   * instead, the plan logged there too (an approval the archive's ledger never logged); with {@code
   * intruder}, as {@link #disposeWithIntruder}.
   */
  private static Run execute(
      EvidenceStore store,
      Instant at,
      boolean lapsed,
      String executor,
      @Nullable EvidenceLedger bobsLedger,
      @Nullable String intruder,
      String... files)
      throws Exception {
    // the ledger's clock reads the execution's time: the ledger takes no entry past its clock
    Instant executed = lapsed ? at.plus(Duration.ofHours(2)) : at;
    EvidenceArchive archive = EvidenceArchive.open(store, Clock.fixed(executed, ZoneOffset.UTC));
    EvidenceLedger ledger = archive.ledger();
    acceptAJump(ledger, at);
    List<RetentionFacts.Recording> recs = new ArrayList<>();
    for (String f : files) {
      String key = "DEVCAM7/2023-06-01/" + f;
      recs.add(
          RetentionFacts.Recording.builder(key)
              .recordingEnd(Instant.parse("2023-06-01T14:10:09Z"))
              .objectKey(key)
              .sealRoot(archive.seal(key).digest().hex())
              .custodian("police-0042")
              .build());
    }
    RetentionFacts facts = RetentionFacts.of(recs, List.of());
    RetentionPolicy policy = RetentionPolicy.regulationDefault();
    TrustedClock clock = () -> at;
    Disposition.Plan plan =
        Disposition.plan(policy, facts, RetentionHistory.read(ledger), at).plannedBy("planner");
    assertEquals(files.length, plan.disposable().size(), plan.toCsv());
    String digest = Disposition.record(plan, store, ledger);
    SigningKeys.LocalSigningKey alice = SigningKeys.generate(SignatureSuite.ED25519);
    SigningKeys.LocalSigningKey bob = SigningKeys.generate(SignatureSuite.ED25519);
    SigningKeys.LocalSigningKey exec = SigningKeys.generate(SignatureSuite.ED25519);
    SigningKeys.LocalSigningKey carol = SigningKeys.generate(SignatureSuite.ED25519);
    if (lapsed) {
      Disposition.approve(
          DispositionApproval.builder()
              .planDigest(digest)
              .approver("approver-carol")
              .key(carol)
              .expiresAt(at.plus(Duration.ofHours(1))),
          store,
          ledger,
          clock);
    }
    if (bobsLedger != null) {
      // bob's approve ran against another store's ledger, which had the plan logged too (approve
      // needs its plan in the ledger it logs to); his approval went into this store
      bobsLedger.append(
          LedgerEntry.builder()
              .type(EntryType.DISPOSITION_PLANNED)
              .time(at)
              .actor("planner")
              .subject("plan:" + digest)
              .payloadDigest(digest)
              .build());
    }
    for (var who : List.of(alice, bob)) {
      Disposition.approve(
          DispositionApproval.builder()
              .planDigest(digest)
              .approver(who == alice ? "approver-alice" : "approver-bob")
              .key(who)
              .expiresAt(at.plus(Duration.ofDays(7))),
          store,
          who == bob && bobsLedger != null ? bobsLedger : ledger,
          clock);
    }
    if (intruder != null) {
      Disposition.approve(
          DispositionApproval.builder()
              .planDigest(digest)
              .approver(intruder)
              .key(SigningKeys.generate(SignatureSuite.ED25519))
              .expiresAt(at.plus(Duration.ofDays(7))),
          store,
          ledger,
          clock);
    }
    TrustAnchors approverKeys =
        TrustAnchors.ofPublicKeys(
            List.of(alice.publicKeyDer(), bob.publicKeyDer(), carol.publicKeyDer()));
    DestructionRegister reg =
        DispositionExecution.builder()
            .planDigest(digest)
            .policy(policy)
            .facts(facts)
            .approverKeys(approverKeys)
            .signer(exec)
            .executedBy(executor)
            .build()
            .run(store, ledger, lapsed ? () -> executed : clock);
    assertEquals(
        files.length, reg.items(DestructionRegister.Outcome.DISPOSED).size(), reg.toString());
    return new Run(digest, policy, facts, approverKeys, exec);
  }

  @Test
  void destroyedRecordingsOfTheCaseStayOnItsSheetWithTheirDisposal() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), later)) {
      // a catalog opened before the disposal and refreshed after it takes the disposal in ...
      ArchiveCatalog early = ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later);
      String plan = dispose(st, LATER, SPLIT3[0], SPLIT3[1]);
      assertFalse(st.exists(ObjectKey.of(keyOf(SPLIT3[0]))), "content destroyed");
      early.refresh();
      Selection s = early.select(CatalogQuery.builder().caseId(CASE).build());

      assertEquals(List.of(keyOf(SPLIT3[2])), s.recordings().stream().map(r -> r.key()).toList());
      assertEquals(1, s.tally().recordings(), "the tally speaks of what the archive holds");
      assertTrue(
          s.findings().stream().noneMatch(f -> f.code().startsWith("RECORDING_")),
          "a lawful disposal is no missing recording: " + s.findings());
      assertTrue(
          s.findings().stream().noneMatch(f -> f.code().startsWith("DISPOSAL_")),
          "its register names the approvers the ledger logged: " + s.findings());
      assertEquals(
          List.of(keyOf(SPLIT3[0]), keyOf(SPLIT3[1])),
          s.destroyed().stream().map(r -> r.key()).toList());
      assertEquals(List.of(2, 3), s.destroyed().stream().map(r -> r.number()).toList());
      CatalogedRecording first = s.destroyed().get(0);
      // what was recorded, from the seal kept for good
      assertEquals(SPLIT3[0], first.fileName());
      assertEquals(Instant.parse("2023-06-01T14:10:00Z"), first.start().orElseThrow());
      assertTrue(first.seal().isPresent());
      assertTrue(first.stored().isEmpty());
      CatalogedRecording.Disposal d = first.disposal().orElseThrow();
      assertEquals(LATER, d.at());
      assertEquals(plan, d.planDigest());
      assertEquals("executor-1", d.executedBy());
      // as the register names them, "name (key id)", in the register's order
      assertEquals(
          List.of("approver-alice", "approver-bob"),
          d.approvers().stream().map(a -> a.substring(0, a.indexOf(' '))).sorted().toList());
      LedgerEntry disposed = EvidenceLedger.open(st, later).entry(d.ledgerIndex());
      assertEquals(EntryType.DISPOSED, disposed.type());
      assertEquals(keyOf(SPLIT3[0]), disposed.objectKey());
      assertTrue(s.recordings().get(0).disposal().isEmpty());

      // ... and so does one opened after it, from a catalog snapshot
      assertTrue(
          CatalogIndex.write(
                  st, EvidenceLedger.open(st, later), 1, PlantedSnapshotSheetTest.LEDGER_KEY)
              .isPresent());
      ArchiveCatalog fromSnapshot =
          ArchiveCatalog.open(
              EvidenceArchive.open(st, later), "here", later, PlantedSnapshotSheetTest.TRUSTED);
      assertTrue(fromSnapshot.snapshot().isPresent(), fromSnapshot.snapshotsRefused().toString());
      Selection fresh = fromSnapshot.select(CatalogQuery.builder().caseId(CASE).build());
      assertEquals(
          s.destroyed().stream().map(r -> r.disposal().orElseThrow()).toList(),
          fresh.destroyed().stream().map(r -> r.disposal().orElseThrow()).toList());

      Presentation p = Presentation.of(ZoneOffset.UTC, Locale.ENGLISH);
      List<String> csv = new String(RecordSheet.csv(s, p), StandardCharsets.UTF_8).lines().toList();
      assertEquals(4, csv.size(), "header and every recording ever in the case");
      assertTrue(
          csv.get(0)
              .endsWith(
                  ",legalHold,status,destroyedAt,disposalPlan,destroyedBy,approvedBy,disposedEntry"
                      + ",disposalNote"),
          csv.get(0));
      assertTrue(csv.get(1).contains(",kept,,,,,"), csv.get(1));
      assertTrue(csv.get(2).startsWith("2," + SPLIT3[0] + ",video/mp4,3.000,"), csv.get(2));
      assertTrue(
          csv.get(2).contains(",destroyed,2040-03-01T02:00:00Z," + plan + ",executor-1,"),
          csv.get(2));
      assertTrue(
          csv.get(2).endsWith("," + String.join("; ", d.approvers()) + "," + d.ledgerIndex() + ","),
          csv.get(2));

      String json = new String(RecordSheet.json(s, p), StandardCharsets.UTF_8);
      assertTrue(json.contains("\"count\" : 3,"), json);
      assertTrue(json.contains("\"destroyed\" : 2,"), json);
      assertTrue(json.contains("\"status\" : \"destroyed\""), json);
      assertTrue(json.contains("\"disposalPlan\" : \"" + plan + "\""), json);
      assertTrue(json.contains("\"status\" : \"kept\""), json);
      // a destroyed recording has no hold to state: empty, not "no" (the store's flag is gone)
      for (JsonNode row : new ObjectMapper().readTree(json).get("recordings")) {
        String status = row.get("status").asText();
        assertEquals(
            status.equals("destroyed"),
            row.get("legalHold").asText().isEmpty(),
            status + ": " + row.get("legalHold"));
      }

      byte[] html = RecordSheet.html(s, p);
      Document doc = ReportTest.parse(html);
      // the heading row, three recordings, a disposal line under each destroyed one
      assertEquals(6, doc.getElementsByTagName("tr").getLength());
      String text = ReportTest.text(html);
      assertTrue(text.contains("Count: 3 (destroyed: 2)"), text);
      assertTrue(text.contains("executor-1"), text);
      assertTrue(text.contains("approver-bob"), text);

      // the supervisor report accounts for them too, apart from what the archive holds
      byte[] report = SupervisorReport.html(s, p);
      String said = ReportTest.text(report);
      assertTrue(said.contains("Destroyed under an approved plan"), said);
      assertTrue(said.contains("executed by executor-1"), said);
      assertEquals(
          2, said.split("Destroyed 2040-03-01 02:00", -1).length - 1, "one line per destroyed");
    }
  }

  /**
   * The seal kept for good of a destroyed recording, replaced under the store by garbage: the
   * case's sheet is still made (it stopped with the seal's parse error), the recording stays among
   * the destroyed described from its sealed entry, and the printed sheet says its seal cannot be
   * read.
   */
  @Test
  void aDestroyedRecordingWhoseKeptSealIsGarbageStaysOnItsCaseSheet() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      dispose(st, LATER, SPLIT3[0]);
    }
    DamagedSealReportTest.plantSeal(
        root, SPLIT3[0], "]]] not a seal".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, later)) {
      Selection s = caseSheet(st, later);
      assertEquals(2, s.recordings().size());
      assertEquals(List.of(keyOf(SPLIT3[0])), s.destroyed().stream().map(r -> r.key()).toList());
      CatalogedRecording damaged = s.destroyed().get(0);
      assertTrue(damaged.seal().isEmpty());
      assertEquals(List.of(CASE), damaged.metadata().caseIds());
      assertEquals(Instant.parse("2023-06-01T14:10:00Z"), damaged.start().orElseThrow());
      String text =
          ReportTest.text(
              RecordSheet.html(s, Presentation.of(Presentation.DEFAULT_ZONE, Locale.ENGLISH)));
      assertTrue(text.contains("Its seal in the store cannot be read"), text);
      assertFalse(text.contains("Its seal is not in the store"), text);
      assertTrue(text.contains("Count: 3 (destroyed: 1)"), text);
    }
  }

  /**
   * The seal kept for good of a destroyed recording, removed from under the store (the store never
   * deletes one): the recording stays on its case's sheet, described from the sealed entry logged
   * before its disposal, and the printed sheet says why its roots are blank. It used
   * to drop off the sheet without a word.
   */
  @Test
  void aDestroyedRecordingWhoseSealIsAlsoGoneStaysOnItsCaseSheet() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    String plan;
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      plan = dispose(st, LATER, SPLIT3[0]);
    }
    SealGoneSheetTest.removeSeal(root, SPLIT3[0]);
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, later)) {
      Selection s = caseSheet(st, later);
      assertEquals(2, s.recordings().size());
      assertEquals(
          List.of(keyOf(SPLIT3[0])), s.destroyed().stream().map(r -> r.key()).toList(), "kept on");
      CatalogedRecording gone = s.destroyed().get(0);
      assertTrue(gone.seal().isEmpty());
      assertEquals(List.of(CASE), gone.metadata().caseIds());
      assertEquals("DEVCAM7", gone.metadata().deviceId().orElseThrow());
      assertEquals("police-0042", gone.metadata().officerId().orElseThrow());
      assertEquals(Instant.parse("2023-06-01T14:10:00Z"), gone.start().orElseThrow());
      assertEquals(plan, gone.disposal().orElseThrow().planDigest());
      String text =
          ReportTest.text(
              RecordSheet.html(s, Presentation.of(Presentation.DEFAULT_ZONE, Locale.ENGLISH)));
      assertTrue(text.contains("Its seal is not in the store"), text);
      assertTrue(text.contains("Count: 3 (destroyed: 1)"), text);
      // another case's sheet does not take it
      assertTrue(
          ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later)
              .select(CatalogQuery.builder().caseId("ZZ-OTHER").build())
              .destroyed()
              .isEmpty());
    }
  }

  /**
   * The content file of the plan's (only) destruction register, as the filesystem store keeps it.
   */
  private static Path registerContent(Path root, String plan) throws Exception {
    Path folder = root.resolve("objects/disposition.d/registers.d/" + plan + ".d");
    try (Stream<Path> all = Files.walk(folder)) {
      List<Path> found = all.filter(p -> p.getFileName().toString().equals("content")).toList();
      assertEquals(1, found.size(), found.toString());
      return found.get(0);
    }
  }

  /** Overwrites an object's content outside the store, as root or an attacker would. */
  private static void overwrite(Path content, byte[] bytes) throws Exception {
    content.getParent().toFile().setWritable(true);
    content.toFile().setWritable(true);
    Files.write(content, bytes);
  }

  /** Every text a case's documents print: the sheet in its three formats and the report. */
  private static String printed(Selection s) throws Exception {
    Presentation p = Presentation.of(ZoneOffset.UTC, Locale.ENGLISH);
    return new String(RecordSheet.csv(s, p), StandardCharsets.UTF_8)
        + new String(RecordSheet.json(s, p), StandardCharsets.UTF_8)
        + ReportTest.text(RecordSheet.html(s, p))
        + ReportTest.text(SupervisorReport.html(s, p));
  }

  /**
   * Names put into a destruction register by hand (its object's content replaced outside the store)
   * are not printed as approvers: the sheet names those whose approval of the plan the ledger
   * logged, and says the register is not the one the ledger logged. They used to be
   * printed as the register named them.
   */
  @Test
  void approversPlantedInTheDestructionRegisterAreNotPrinted() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    String plan;
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      plan = dispose(st, LATER, SPLIT3[0], SPLIT3[1]);
    }
    Path content = registerContent(root, plan);
    byte[] signed = Files.readAllBytes(content);
    // who approved, as the execution wrote it: approver-alice and approver-bob, "name (key id)"
    List<String> approved = DestructionRegister.parse(signed).approvers();
    assertEquals(2, approved.size(), approved.toString());
    String text = new String(signed, StandardCharsets.UTF_8);
    assertTrue(text.contains("\"approver-alice ("), text);
    overwrite(
        content,
        text.replace("\"approver-alice (", "\"judge-mallory (")
            .replace("\"approver-bob (", "\"chief-trudy (")
            .getBytes(StandardCharsets.UTF_8));
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, later)) {
      assertTrue(
          DestructionRegister.read(st, plan).stream()
              .anyMatch(r -> r.approvers().toString().contains("judge-mallory")),
          "the planted register reads as any other");
    }

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, later)) {
      Selection s = caseSheet(st, later);
      assertEquals(2, s.destroyed().size());
      for (CatalogedRecording r : s.destroyed()) {
        assertEquals(
            approved.stream().sorted().toList(),
            r.disposal().orElseThrow().approvers().stream().sorted().toList(),
            "the approvals the ledger logged");
      }
      String all = printed(s);
      assertFalse(all.contains("judge-mallory"), all);
      assertFalse(all.contains("chief-trudy"), all);
      assertTrue(all.contains("approver-alice") && all.contains("approver-bob"), all);

      // an edited register is not the one the ledger logged: nothing of it is taken
      assertRegisterDiffers(s, plan, List.of(keyOf(SPLIT3[0]), keyOf(SPLIT3[1])));
      assertTrue(
          s.findings().stream().noneMatch(x -> x.code().equals("DISPOSAL_APPROVERS_UNVOUCHED")),
          s.findings().toString());
    }
  }

  /**
   * One who can write to the store approves the plan, under a name of their choice and with a key
   * of their own, before it is executed: the approval is stored and logged as any other, but the
   * execution does not count it (no trusted key signed it), and the register it signs and logs
   * names alice and bob. The sheet names the approvers the ledger logged that this register, whose
   * digest the ledger logged, names: never the intruder's name. It used to print it.
   */
  @Test
  void anApprovalTheExecutionDidNotCountIsNotNamedThoughTheLedgerLogsIt() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), later)) {
      String plan = disposeWithIntruder(st, LATER, false, "judge-mallory", SPLIT3[0]);
      assertTrue(
          EvidenceLedger.open(st, later).entries().stream()
              .anyMatch(
                  e ->
                      e.type().equals(EntryType.DISPOSITION_APPROVED)
                          && e.actor().equals("judge-mallory")),
          "the intruder's approval is logged");
      List<String> counted = DestructionRegister.read(st, plan).get(0).approvers();
      assertEquals(2, counted.size(), counted.toString());
      Selection s = caseSheet(st, later);
      CatalogedRecording.Disposal d = s.destroyed().get(0).disposal().orElseThrow();
      assertEquals(counted.stream().sorted().toList(), d.approvers().stream().sorted().toList());
      assertFalse(printed(s).contains("judge-mallory"), printed(s));
      assertTrue(
          s.findings().stream().noneMatch(f -> f.code().startsWith("DISPOSAL_")),
          s.findings().toString());
    }
  }

  /**
   * An approval the ledger logged that had expired when the plan was executed allowed nothing: the
   * sheet does not name its approver, and the register (which names the two in force) agrees with
   * the ledger, so no note.
   */
  @Test
  void anApprovalExpiredAtTheExecutionIsNotNamed() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), later)) {
      String plan = dispose(st, LATER, true, SPLIT3[0]);
      assertEquals(
          3,
          EvidenceLedger.open(st, later).entries().stream()
              .filter(e -> e.type().equals(EntryType.DISPOSITION_APPROVED))
              .filter(e -> e.subject().equals("plan:" + plan))
              .count(),
          "carol's approval is logged");
      Selection s = caseSheet(st, later);
      CatalogedRecording.Disposal d = s.destroyed().get(0).disposal().orElseThrow();
      assertEquals(LATER.plus(Duration.ofHours(2)), d.at());
      assertEquals(
          List.of("approver-alice", "approver-bob"),
          d.approvers().stream().map(a -> a.substring(0, a.indexOf(' '))).sorted().toList());
      assertTrue(
          s.findings().stream().noneMatch(f -> f.code().startsWith("DISPOSAL_")),
          s.findings().toString());
      assertFalse(printed(s).contains("approver-carol"));
    }
  }

  /**
   * A catalog that read the approvals once takes in those logged after, on refresh: a second plan's
   * approvers are on the sheet, with nothing said against its register.
   */
  @Test
  void approvalsLoggedAfterTheCatalogReadThemAreTakenInOnRefresh() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), later)) {
      dispose(st, LATER, SPLIT3[0]);
      ArchiveCatalog c = ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later);
      Selection first = c.select(CatalogQuery.builder().caseId(CASE).build());
      assertEquals(2, first.destroyed().get(0).disposal().orElseThrow().approvers().size());
      String second = dispose(st, LATER.plusSeconds(60), SPLIT3[1]);
      c.refresh();
      Selection s = c.select(CatalogQuery.builder().caseId(CASE).build());
      CatalogedRecording.Disposal d =
          s.destroyed().stream()
              .filter(r -> r.key().equals(keyOf(SPLIT3[1])))
              .findFirst()
              .orElseThrow()
              .disposal()
              .orElseThrow();
      assertEquals(second, d.planDigest());
      assertEquals(
          DestructionRegister.read(st, second).get(0).approvers().stream().sorted().toList(),
          d.approvers().stream().sorted().toList());
      assertTrue(
          s.findings().stream().noneMatch(f -> f.code().startsWith("DISPOSAL_")),
          s.findings().toString());
    }
  }

  /** How many of the printed sheet's lines across the table hold {@code text}. */
  private static int notes(byte[] html, String text) throws Exception {
    NodeList rows = ReportTest.parse(html).getElementsByTagName("tr");
    int n = 0;
    for (int i = 0; i < rows.getLength(); i++) {
      Element tr = (Element) rows.item(i);
      if (tr.getAttribute("class").equals("disposal")
          && tr.getTextContent().replace("\u200b", "").contains(text)) {
        n++;
      }
    }
    return n;
  }

  /**
   * A destruction register the ledger logged that is unreadable or gone takes nothing from the
   * sheet: the disposal and its approvers are still those the ledger logged, and the sheet says the
   * register in the store is not the one logged. It used to be a warning, as if the
   * execution had stopped before writing it.
   */
  @Test
  void anUnreadableOrMissingRegisterIsSaidAndTheLedgersApproversStay() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    String plan;
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      plan = dispose(st, LATER, SPLIT3[0]);
    }
    Path content = registerContent(root, plan);
    List<String> approved = DestructionRegister.parse(Files.readAllBytes(content)).approvers();
    for (String how : List.of("unreadable", "missing")) {
      if (how.equals("unreadable")) {
        overwrite(content, "{\"format\":\"not a register\"}".getBytes(StandardCharsets.UTF_8));
      } else {
        remove(content);
        assertTrue(registerContents(root, plan).isEmpty());
      }
      Selection s = caseSheet(root, later);
      CatalogedRecording r = s.destroyed().get(0);
      assertEquals(keyOf(SPLIT3[0]), r.key(), how);
      CatalogedRecording.Disposal d = r.disposal().orElseThrow();
      assertEquals(
          approved.stream().sorted().toList(), d.approvers().stream().sorted().toList(), how);
      assertEquals("executor-1", d.executedBy(), how);
      assertEquals(LATER, d.at(), how);
      assertRegisterDiffers(s, plan, List.of(keyOf(SPLIT3[0])));
      assertTrue(printed(s).contains("approver-alice"), how);
    }
  }

  /** The row's note when the plan's register in the store is not the one the ledger logged. */
  static final String DIFFERS_NOTE = "is not the one the ledger logged";

  /**
   * The content files of the plan's destruction registers, as the filesystem store keeps them, in
   * batch order.
   */
  private static List<Path> registerContents(Path root, String plan) throws Exception {
    Path folder = root.resolve("objects/disposition.d/registers.d/" + plan + ".d");
    try (Stream<Path> all = Files.walk(folder)) {
      return all.filter(p -> p.getFileName().toString().equals("content")).sorted().toList();
    }
  }

  /** Removes a stored object's folder outside the store, as root or an attacker would. */
  private static void remove(Path content) throws Exception {
    try (Stream<Path> all = Files.walk(content.getParent())) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        p.toFile().setWritable(true);
        Files.delete(p);
      }
    }
  }

  /** A catalog of the store at {@code root} as it is now, and the case's selection. */
  private static Selection caseSheet(Path root, Clock clock) throws Exception {
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, clock)) {
      return caseSheet(st, clock);
    }
  }

  /** The case's selection from a catalog opened now on {@code st}. */
  private static Selection caseSheet(EvidenceStore st, Clock clock) throws Exception {
    return ArchiveCatalog.open(EvidenceArchive.open(st, clock), "here", clock)
        .select(CatalogQuery.builder().caseId(CASE).build());
  }

  /**
   * The selection has one {@code DISPOSAL_REGISTER_DIFFERS} error for {@code plan}, naming {@code
   * keys}, and each of their rows says so in every format; no other finding names them.
   */
  private void assertRegisterDiffers(Selection s, String plan, List<String> keys) throws Exception {
    List<ReportFinding> found =
        s.findings().stream().filter(f -> f.code().equals("DISPOSAL_REGISTER_DIFFERS")).toList();
    assertEquals(1, found.size(), s.findings().toString());
    ReportFinding f = found.get(0);
    assertEquals(ReportFinding.Severity.ERROR, f.severity());
    assertEquals(keys, f.recordings());
    assertTrue(f.message().contains("plan " + plan), f.message());
    assertTrue(
        s.findings().stream()
            .filter(x -> x != f)
            .noneMatch(x -> x.recordings().stream().anyMatch(keys::contains)),
        "one finding for the rows: " + s.findings());
    assertTrue(RecordSheet.findings(s).contains(f), "the sheet answers for it (exit 1)");
    Presentation p = Presentation.of(ZoneOffset.UTC, Locale.ENGLISH);
    List<String> csv = new String(RecordSheet.csv(s, p), StandardCharsets.UTF_8).lines().toList();
    for (String line : csv.subList(1, csv.size())) {
      boolean concerned = keys.stream().anyMatch(k -> line.contains("," + k + ","));
      assertEquals(concerned, line.contains(DIFFERS_NOTE), line);
    }
    String json = new String(RecordSheet.json(s, p), StandardCharsets.UTF_8);
    assertEquals(keys.size(), json.split(DIFFERS_NOTE, -1).length - 1, json);
    assertEquals(keys.size(), notes(RecordSheet.html(s, p), DIFFERS_NOTE));
    String report = ReportTest.text(SupervisorReport.html(s, p));
    assertTrue(report.contains("DISPOSAL_REGISTER_DIFFERS"), report);
  }

  /**
   * A destruction register edited by hand (its object's content replaced outside the store) to name
   * another executor is not the register the ledger logged: the sheet prints the disposal as the
   * ledger logged it, keeps both rows and says the register differs. The edit
   * used to pass without a word.
   */
  @Test
  void aRegisterEditedToNameAnotherExecutorIsSaidToDifferAndItsExecutorIsNotPrinted()
      throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    String plan;
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      plan = dispose(st, LATER, SPLIT3[0], SPLIT3[1]);
    }
    Path content = registerContent(root, plan);
    String text = Files.readString(content);
    String edited =
        text.replace("\"executedBy\":\"executor-1\"", "\"executedBy\":\"executor-mallory\"");
    assertFalse(edited.equals(text), text);
    overwrite(content, edited.getBytes(StandardCharsets.UTF_8));

    Selection s = caseSheet(root, later);
    assertEquals(
        List.of(keyOf(SPLIT3[0]), keyOf(SPLIT3[1])),
        s.destroyed().stream().map(r -> r.key()).toList(),
        "both rows stay");
    for (CatalogedRecording r : s.destroyed()) {
      CatalogedRecording.Disposal d = r.disposal().orElseThrow();
      assertEquals("executor-1", d.executedBy(), "the disposed entry's actor");
      assertEquals(LATER, d.at());
      assertEquals(plan, d.planDigest());
      assertEquals(2, d.approvers().size(), d.approvers().toString());
    }
    assertFalse(printed(s).contains("executor-mallory"), printed(s));
    assertRegisterDiffers(s, plan, List.of(keyOf(SPLIT3[0]), keyOf(SPLIT3[1])));
  }

  /**
   * A register edited so that one recording it destroyed reads as kept: that recording stays on the
   * sheet as destroyed, as the ledger logged it, and neither row is described from the edited
   * register. It used to read as a register that was never written.
   */
  @Test
  void aRegisterEditedToSayARecordingWasKeptIsSaidToDiffer() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    String plan;
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      plan = dispose(st, LATER, SPLIT3[0], SPLIT3[1]);
    }
    Path content = registerContent(root, plan);
    String text = Files.readString(content);
    String item = "\"objectKey\":\"" + keyOf(SPLIT3[1]) + "\",\"outcome\":\"";
    String edited = text.replace(item + "DISPOSED\"", item + "KEPT\"");
    assertFalse(edited.equals(text), text);
    overwrite(content, edited.getBytes(StandardCharsets.UTF_8));
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, later)) {
      assertEquals(
          List.of(keyOf(SPLIT3[0])),
          DestructionRegister.read(st, plan)
              .get(0)
              .items(DestructionRegister.Outcome.DISPOSED)
              .stream()
              .map(i -> i.objectKey())
              .toList(),
          "the edited register reads as any other");
    }

    Selection s = caseSheet(root, later);
    assertEquals(
        List.of(keyOf(SPLIT3[0]), keyOf(SPLIT3[1])),
        s.destroyed().stream().map(r -> r.key()).toList());
    CatalogedRecording.Disposal d = s.destroyed().get(1).disposal().orElseThrow();
    assertEquals("executor-1", d.executedBy());
    assertEquals(LATER, d.at());
    assertRegisterDiffers(s, plan, List.of(keyOf(SPLIT3[0]), keyOf(SPLIT3[1])));
  }

  /**
   * The executor's key, stolen, signs a register of the same plan naming another executor, stored
   * in place of the one the ledger logged: its signature verifies with the executor's key, and the
   * sheet still says it is not the register the ledger logged.
   */
  @Test
  void aRegisterSignedWithTheExecutorsStolenKeyButNeverLoggedIsSaidToDiffer() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    Run run;
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later);
        EvidenceStore elsewhere =
            FileSystemEvidenceStore.openOrCreate(dir.resolve("elsewhere"), later)) {
      run = execute(st, LATER, false, "executor-1", null, null, SPLIT3[0]);
      // run again by someone holding the key: its register goes into the store, its ledger
      // entries into a ledger of another store, where the forger logged the plan themselves (an
      // execution needs its plan in the ledger it logs to)
      EvidenceLedger forgersLedger = EvidenceLedger.open(elsewhere, later);
      forgersLedger.append(
          LedgerEntry.builder()
              .type(EntryType.DISPOSITION_PLANNED)
              .time(LATER)
              .actor("executor-mallory")
              .subject("plan:" + run.plan())
              .payloadDigest(run.plan())
              .build());
      DestructionRegister forged =
          DispositionExecution.builder()
              .planDigest(run.plan())
              .policy(run.policy())
              .facts(run.facts())
              .approverKeys(run.approverKeys())
              .signer(run.executorKey())
              .executedBy("executor-mallory")
              .build()
              .run(st, forgersLedger, () -> LATER);
      assertTrue(
          forged.verify(TrustAnchors.ofPublicKeys(List.of(run.executorKey().publicKeyDer()))),
          "signed with the executor's key");
    }
    List<Path> contents = registerContents(root, run.plan());
    assertEquals(2, contents.size(), contents.toString());
    overwrite(contents.get(0), Files.readAllBytes(contents.get(1)));
    remove(contents.get(1));

    Selection s = caseSheet(root, later);
    assertEquals(List.of(keyOf(SPLIT3[0])), s.destroyed().stream().map(r -> r.key()).toList());
    assertEquals("executor-1", s.destroyed().get(0).disposal().orElseThrow().executedBy());
    assertFalse(printed(s).contains("executor-mallory"), printed(s));
    assertRegisterDiffers(s, run.plan(), List.of(keyOf(SPLIT3[0])));
  }

  /**
   * A plan's register replaced by the valid, signed register of an older plan (by another
   * executor): the recording the newer plan destroyed keeps its own disposal on the sheet and is
   * said to have a register that differs; the older plan's recording is untouched.
   */
  @Test
  void aRegisterReplacedByAnOlderPlansRegisterIsSaidToDiffer() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    String older;
    String plan;
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later)) {
      older = execute(st, LATER, false, "executor-2", null, null, SPLIT3[1]).plan();
      plan = execute(st, LATER.plusSeconds(60), false, "executor-1", null, null, SPLIT3[0]).plan();
    }
    overwrite(registerContent(root, plan), Files.readAllBytes(registerContent(root, older)));

    Selection s = caseSheet(root, later);
    assertEquals(
        List.of(keyOf(SPLIT3[0]), keyOf(SPLIT3[1])),
        s.destroyed().stream().map(r -> r.key()).toList());
    CatalogedRecording.Disposal d = s.destroyed().get(0).disposal().orElseThrow();
    assertEquals(plan, d.planDigest());
    assertEquals("executor-1", d.executedBy());
    assertEquals(LATER.plusSeconds(60), d.at());
    assertEquals(2, d.approvers().size(), d.approvers().toString());
    assertEquals("executor-2", s.destroyed().get(1).disposal().orElseThrow().executedBy());
    assertRegisterDiffers(s, plan, List.of(keyOf(SPLIT3[0])));
  }

  /**
   * An approval stored in the archive's store but logged in another ledger (its entry went
   * elsewhere): the execution counts it (a trusted key signed it), so it logs it in the archive's
   * ledger before it deletes anything, and the sheet names both approvers, as the register the
   * ledger logged does, with nothing to report. Before, the sheet named only the one
   * the ledger recorded and said the register named others.
   */
  @Test
  void anApprovalLoggedOnlyElsewhereIsLoggedByTheExecutionAndNamed() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    Path root = dir.resolve("store");
    Run run;
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, later);
        EvidenceStore elsewhere =
            FileSystemEvidenceStore.openOrCreate(dir.resolve("elsewhere"), later)) {
      run =
          execute(
              st,
              LATER,
              false,
              "executor-1",
              EvidenceLedger.open(elsewhere, later),
              null,
              SPLIT3[0]);
      assertEquals(
          List.of("approver-alice", "approver-bob"),
          DestructionRegister.read(st, run.plan()).get(0).approvers().stream()
              .map(a -> a.substring(0, a.indexOf(' ')))
              .sorted()
              .toList(),
          "the execution went by the approvals stored");
      assertEquals(
          1,
          EvidenceLedger.open(st, later).entries().stream()
              .filter(
                  e ->
                      e.type().equals(EntryType.DISPOSITION_APPROVED)
                          && e.actor().equals("approver-bob"))
              .count(),
          "bob's approval logged in the archive's ledger by the execution");
    }
    Selection s = caseSheet(root, later);
    CatalogedRecording r = s.destroyed().get(0);
    assertEquals(
        List.of("approver-alice", "approver-bob"),
        r.disposal().orElseThrow().approvers().stream()
            .map(a -> a.substring(0, a.indexOf(' ')))
            .sorted()
            .toList());
    assertTrue(
        s.findings().stream().noneMatch(f -> f.code().startsWith("DISPOSAL_")),
        s.findings().toString());
  }

  @Test
  void aCaseWhoseRecordingsWereAllDestroyedStillHasItsSheet() throws Exception {
    ingest();
    Clock later = Clock.fixed(LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(dir.resolve("store"), later)) {
      String plan = dispose(st, LATER, SPLIT3);
      ArchiveCatalog c = ArchiveCatalog.open(EvidenceArchive.open(st, later), "here", later);
      Selection s = c.select(CatalogQuery.builder().caseId(CASE).build());
      assertTrue(s.recordings().isEmpty());
      assertEquals(List.of(1, 2, 3), s.destroyed().stream().map(r -> r.number()).toList());
      assertTrue(
          s.destroyed().stream().allMatch(r -> r.disposal().get().planDigest().equals(plan)));
      assertEquals(
          List.of(SPLIT3[0], SPLIT3[1], SPLIT3[2]),
          s.destroyed().stream().map(r -> r.fileName()).toList());
      // a case nothing ever named has neither
      Selection none = c.select(CatalogQuery.builder().caseId("NO-SUCH").build());
      assertTrue(none.recordings().isEmpty() && none.destroyed().isEmpty());
    }
  }
}
