package org.evidencekit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.evidencekit.hash.HashAlgorithm;
import org.evidencekit.ingest.CatalogIndex;
import org.evidencekit.ledger.EntryType;
import org.evidencekit.ledger.EvidenceArchive;
import org.evidencekit.ledger.EvidenceLedger;
import org.evidencekit.ledger.LedgerEntry;
import org.evidencekit.ledger.PermanentRecords;
import org.evidencekit.ledger.SweepReport;
import org.evidencekit.seal.RecordingMetadata;
import org.evidencekit.seal.Seal;
import org.evidencekit.seal.Sealer;
import org.evidencekit.storage.EvidenceStore;
import org.evidencekit.storage.ObjectKey;
import org.evidencekit.store.FileSystemEvidenceStore;
import org.evidencekit.trust.SignatureSuite;
import org.evidencekit.trust.SigningKeys;
import org.evidencekit.trust.TrustAnchors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A case's record sheet selects its recordings through the catalog, which starts from a snapshot in
 * the store. Anyone who can write the store can plant or edit one, signing it with a
 * key of their own (a stolen station key): a row left out, a kept recording called destroyed, a
 * substitute's {@code sealed} entry. Only a snapshot the ledger's key signed for the ledger's own
 * root is taken; any other is refused and named, and the ledger is read instead, so the sheet is
 * what the ledger says. And a snapshot written before a recording kept its first {@code sealed}
 * entry (format 3) may cite a second one, which logs a substitute: it is read no more.
 */
class PlantedSnapshotSheetTest {
  static final String CASE = SealGoneSheetTest.CASE;
  static final String FILE = ReportTest.SPLIT3[1];
  static final String KEY = "DEVCAM7/2023-06-01/" + FILE;
  static final Clock LATER =
      Clock.fixed(SealGoneSheetTest.DOCKED.plusSeconds(3600), ZoneOffset.UTC);

  /** The key that signs the ledger's checkpoints and catalog snapshots. */
  static final SigningKeys.LocalSigningKey LEDGER_KEY =
      SigningKeys.generate(SignatureSuite.ED25519);

  static final TrustAnchors TRUSTED = trusting(LEDGER_KEY);

  /** A station's key, stolen: it signs seals anyone checks, but no ledger key is it. */
  static final SigningKeys.LocalSigningKey STOLEN_KEY =
      SigningKeys.generate(SignatureSuite.ED25519);

  static TrustAnchors trusting(SigningKeys.LocalSigningKey key) {
    try {
      return TrustAnchors.ofPublicKeys(List.of(key.publicKeyDer()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @TempDir Path dir;

  /**
   * What a writer of the store who holds {@code key} makes of edited snapshot lines (without the
   * signature line): the lines, signed as docs/report.md says a snapshot is signed.
   */
  static String signed(List<String> lines, SigningKeys.LocalSigningKey key) throws Exception {
    String body = String.join("\n", lines) + "\n";
    String digest = HashAlgorithm.SHA256.hash(body.getBytes(StandardCharsets.UTF_8)).hex();
    byte[] sig =
        key.sign(("evidencekit-catalog 6 signature\n" + digest).getBytes(StandardCharsets.UTF_8));
    return body
        + "signature\t"
        + Base64.getEncoder().encodeToString(key.publicKeyDer())
        + "\t"
        + Base64.getEncoder().encodeToString(sig)
        + "\n";
  }

  /** The content file of the store's only catalog snapshot. */
  private static Path snapshotContent(Path root) throws Exception {
    try (Stream<Path> all = Files.walk(root.resolve("objects/catalog.d"))) {
      List<Path> found = all.filter(p -> p.getFileName().toString().equals("content")).toList();
      assertEquals(1, found.size(), found.toString());
      return found.get(0);
    }
  }

  private static void overwrite(Path content, String text) throws Exception {
    content.getParent().toFile().setWritable(true);
    content.toFile().setWritable(true);
    Files.writeString(content, text);
  }

  private static Selection sheet(EvidenceStore st) throws Exception {
    ArchiveCatalog c = ArchiveCatalog.open(EvidenceArchive.open(st, LATER), "here", LATER, TRUSTED);
    assertEquals(OptionalLong.empty(), c.snapshot(), "the planted snapshot is not taken");
    assertEquals(1, c.snapshotsRefused().size(), c.snapshotsRefused().toString());
    return c.select(CatalogQuery.builder().caseId(CASE).build());
  }

  /**
   * The lines of a snapshot, without its signature, with {@link #KEY}'s live row made a {@code d}
   * row citing the {@code disposed} entry of {@code gone} (and {@link #KEY}'s own sealed entry),
   * the end line's counts mended.
   */
  private static List<String> falseDestroyedRow(Path content, String gone) throws Exception {
    String disposedAt = null;
    String[] keyRow = null;
    int live = 0;
    int destroyed = 0;
    int plans = 0;
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(content, StandardCharsets.UTF_8)) {
      if (line.startsWith("d\t") && line.endsWith("\t" + gone)) {
        disposedAt = line.split("\t")[1];
      }
      if (line.endsWith("\t" + KEY)) {
        keyRow = line.split("\t");
        continue;
      }
      if (line.startsWith("end\t") || line.startsWith("signature\t")) {
        continue;
      }
      live += line.matches("[0-9]+\t.*") ? 1 : 0;
      destroyed += line.startsWith("d\t") ? 1 : 0;
      plans += line.startsWith("p\t") ? 1 : 0;
      lines.add(line);
    }
    assertTrue(disposedAt != null, "the snapshot lists the destroyed one");
    assertTrue(keyRow != null, "the snapshot lists the kept one");
    lines.add("d\t" + disposedAt + "\t" + keyRow[0] + "\t" + keyRow[1] + "\t" + KEY);
    lines.add("end\t" + live + "\t" + (destroyed + 1) + "\t" + plans);
    return lines;
  }

  /** The index of the first {@code sealed} entry the ledger holds for {@code key}. */
  private static long firstSealed(EvidenceLedger ledger, String key) throws Exception {
    List<LedgerEntry> all = ledger.entries();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).type().equals(EntryType.SEALED) && all.get(i).subject().equals(key)) {
        return i;
      }
    }
    throw new AssertionError(key + " not sealed");
  }

  @Test
  void aRecordingLeftOutOfAPlantedSnapshotStaysOnItsCaseSheet() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    long logged;
    String sealDigest;
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      EvidenceLedger ledger = EvidenceLedger.open(st, LATER);
      assertTrue(CatalogIndex.write(st, ledger, 1, LEDGER_KEY).isPresent());
      logged = firstSealed(ledger, KEY);
      sealDigest = EvidenceArchive.open(st, LATER).seal(KEY).digest().hex();
    }
    // the attacker takes the recording's row out, mends the end line's count and signs it
    Path content = snapshotContent(root);
    List<String> kept = new ArrayList<>();
    for (String line : Files.readAllLines(content, StandardCharsets.UTF_8)) {
      if (line.startsWith("end\t3\t")) {
        kept.add(line.replace("end\t3\t", "end\t2\t"));
      } else if (!line.endsWith("\t" + KEY) && !line.startsWith("signature\t")) {
        kept.add(line);
      }
    }
    assertEquals(
        Files.readAllLines(content, StandardCharsets.UTF_8).size() - 2, kept.size(), "one row out");
    overwrite(content, signed(kept, STOLEN_KEY));

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      CatalogIndex planted = CatalogIndex.read(st, EvidenceLedger.open(st, LATER), TRUSTED);
      assertEquals(OptionalLong.empty(), planted.snapshot());
      assertTrue(
          planted.refused().get(0).contains("not signed by a trusted ledger key"),
          planted.refused().toString());
      assertTrue(planted.recordings().containsKey(KEY), "the ledger has it");

      Selection s = sheet(st);
      assertEquals(3, s.recordings().size(), "the case's three recordings");
      CatalogedRecording row =
          s.recordings().stream().filter(r -> r.key().equals(KEY)).findFirst().orElseThrow();
      assertEquals(logged, row.ledgerIndex(), "its sealed entry, from the ledger");
      assertEquals(sealDigest, row.seal().orElseThrow().digest().hex());
      assertEquals(FILE, row.fileName());
      assertTrue(row.verification().isEmpty(), "nothing wrong with the recording itself");
      assertEquals(
          List.of(1, 2, 3), s.recordings().stream().map(CatalogedRecording::number).toList());
    }
  }

  /**
   * A snapshot edited to say a kept recording was destroyed: its row becomes a {@code d} row citing
   * the {@code disposed} entry of the recording that was, signed by a stolen station key. It is
   * refused, and the sheet lists the recording as kept, the other alone as destroyed (R-16, R-18,
   *
   */
  @Test
  void aKeptRecordingASnapshotSaysWasDestroyedStaysKept() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    String gone = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[0];
    Clock destroyedAt = Clock.fixed(DestroyedRecordingsSheetTest.LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, destroyedAt)) {
      DestroyedRecordingsSheetTest.dispose(
          st, DestroyedRecordingsSheetTest.LATER, ReportTest.SPLIT3[0]);
      assertTrue(
          CatalogIndex.write(st, EvidenceLedger.open(st, destroyedAt), 1, LEDGER_KEY).isPresent());
    }
    Path content = snapshotContent(root);
    overwrite(content, signed(falseDestroyedRow(content, gone), STOLEN_KEY));

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      ArchiveCatalog c =
          ArchiveCatalog.open(EvidenceArchive.open(st, destroyedAt), "here", destroyedAt, TRUSTED);
      assertEquals(OptionalLong.empty(), c.snapshot());
      assertTrue(
          c.snapshotsRefused().get(0).contains("not signed by a trusted ledger key"),
          c.snapshotsRefused().toString());
      Selection s = c.select(CatalogQuery.builder().caseId(CASE).build());
      assertEquals(List.of(gone), s.destroyed().stream().map(r -> r.key()).toList());
      assertEquals(2, s.recordings().size());
      assertTrue(s.recordings().stream().anyMatch(r -> r.key().equals(KEY)), "kept");
      assertTrue(
          s.findings().stream().noneMatch(f -> f.code().startsWith("RECORDING_")),
          s.findings().toString());
    }
  }

  /**
   * A ledger that logged a substitute as a second {@code sealed} entry (as ledgers could before
   * ingest refused it), with a catalog snapshot of format 3 written then, which kept each
   * recording's latest entry: the catalog takes the first, as the sweep and the ledger's index do,
   * so the substitute in the store is flagged, not listed as the recording.
   */
  @Test
  void aSnapshotCitingASecondSealedEntryIsNotBelieved() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    Path substitute = dir.resolve("substitute.mp4");
    Files.write(substitute, "not what the camera recorded".getBytes(StandardCharsets.UTF_8));
    Seal forged =
        Sealer.create()
            .seal(substitute)
            .withMetadata(
                RecordingMetadata.builder()
                    .deviceId("DEVCAM9")
                    .officerId("police-9999")
                    .addCaseId(CASE)
                    .recordingStart(Instant.parse("2023-06-01T14:10:03Z"))
                    .build());
    ReplacedSealSheetTest.removeObject(root, FILE);
    ReplacedSealSheetTest.removeObject(root, FILE + ".seal.json");
    long first;
    String firstDigest;
    long second;
    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      PermanentRecords.put(st, ObjectKey.of(KEY), Files.readAllBytes(substitute));
      PermanentRecords.put(st, ObjectKey.of(KEY + ".seal.json"), forged.toJson());
      EvidenceLedger ledger = EvidenceLedger.open(st, LATER);
      first = firstSealed(ledger, KEY);
      LedgerEntry was = ledger.entry(first);
      firstDigest = was.payloadDigest().orElseThrow();
      second = ledger.size();
      ledger.append(
          LedgerEntry.builder()
              .type(EntryType.SEALED)
              .time(LATER.instant())
              .actor(was.actor())
              .subject(KEY)
              .payloadDigest(forged.digest().hex())
              .details(java.util.Map.of("device", "DEVCAM9", "officer", "police-9999"))
              .build());
      // the snapshot as it was written then: each recording's latest sealed entry
      StringBuilder b = new StringBuilder("evidencekit-catalog 3\n");
      b.append("ledger-size\t").append(ledger.size()).append('\n');
      b.append("ledger-root\t").append(ledger.root(ledger.size()).hex()).append('\n');
      for (String f : ReportTest.SPLIT3) {
        String k = "DEVCAM7/2023-06-01/" + f;
        long at = k.equals(KEY) ? second : firstSealed(ledger, k);
        b.append(at)
            .append('\t')
            .append(ledger.entry(at).payloadDigest().orElseThrow())
            .append('\t')
            .append(k)
            .append('\n');
      }
      b.append("end\t3\t0\n");
      PermanentRecords.put(
          st,
          ObjectKey.of(String.format(java.util.Locale.ROOT, "catalog/%020d.tsv", ledger.size())),
          b.toString().getBytes(StandardCharsets.UTF_8));
    }

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      CatalogIndex index = CatalogIndex.read(st, EvidenceLedger.open(st, LATER), TRUSTED);
      assertEquals(new CatalogIndex.Row(first, firstDigest), index.recordings().get(KEY));
      assertEquals(1, index.refused().size(), index.refused().toString());

      Selection s = sheet(st);
      assertEquals(3, s.recordings().size());
      CatalogedRecording row =
          s.recordings().stream().filter(r -> r.key().equals(KEY)).findFirst().orElseThrow();
      assertEquals(first, row.ledgerIndex());
      assertTrue(row.seal().isEmpty(), "the substitute is not its seal");
      assertEquals(SweepReport.Status.DAMAGED, row.verification().orElseThrow());
      assertEquals("DEVCAM7", row.metadata().deviceId().orElseThrow());
      assertEquals("police-0042", row.metadata().officerId().orElseThrow());
    }
  }

  /**
   * As above, and the kept recording's content deleted too, so the store holds only its seal, as
   * for one destroyed, among many destroyed recordings. The snapshot is not the ledger key's: the
   * catalog does not take it, and the recording stays on its case's sheet as kept, its content
   * missing.
   */
  @Test
  void aFalseDestroyedRowForARecordingWhoseContentWasDeletedIsNotBelieved() throws Exception {
    Path root = dir.resolve("store");
    SealGoneSheetTest.ingestSplit3(dir, root);
    String gone = "DEVCAM7/2023-06-01/" + ReportTest.SPLIT3[0];
    Clock destroyedAt = Clock.fixed(DestroyedRecordingsSheetTest.LATER, ZoneOffset.UTC);
    try (EvidenceStore st = FileSystemEvidenceStore.openOrCreate(root, destroyedAt)) {
      DestroyedRecordingsSheetTest.dispose(
          st, DestroyedRecordingsSheetTest.LATER, ReportTest.SPLIT3[0]);
      EvidenceLedger ledger = EvidenceLedger.open(st, destroyedAt);
      // objects of other archives' keys destroyed too: 300 more d rows for the sample to draw from
      List<LedgerEntry> others = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        others.add(
            LedgerEntry.builder()
                .type(EntryType.DISPOSED)
                .time(destroyedAt.instant())
                .actor("executor-1")
                .subject("ELSEWHERE/" + i)
                .details(java.util.Map.of("objectKey", "ELSEWHERE/" + i))
                .build());
      }
      ledger.appendAll(others);
      assertTrue(CatalogIndex.write(st, ledger, 1, LEDGER_KEY).isPresent());
    }
    Path content = snapshotContent(root);
    overwrite(content, signed(falseDestroyedRow(content, gone), STOLEN_KEY));
    ReplacedSealSheetTest.removeObject(root, FILE);

    try (EvidenceStore st = FileSystemEvidenceStore.open(root, Clock.systemUTC())) {
      ArchiveCatalog c =
          ArchiveCatalog.open(EvidenceArchive.open(st, destroyedAt), "here", destroyedAt, TRUSTED);
      assertEquals(OptionalLong.empty(), c.snapshot());
      Selection s = c.select(CatalogQuery.builder().caseId(CASE).build());
      assertEquals(List.of(gone), s.destroyed().stream().map(r -> r.key()).toList());
      CatalogedRecording row =
          s.recordings().stream().filter(r -> r.key().equals(KEY)).findFirst().orElseThrow();
      assertEquals(SweepReport.Status.MISSING, row.verification().orElseThrow());
    }
  }
}
